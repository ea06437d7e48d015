"""The member fields' labels for people, and which fields a member fills in.

One table for every form a member uses: the site's profile editor
(``editor.py``) and the GitHub issue form (``tools/issue_form.py``, which
``tools.issue_to_profile`` reads issues back with), so their wording
cannot drift apart.
"""

from __future__ import annotations

#: Fields a member does not fill in: sources are for profiles written from
#: published reports, and example marks made-up demonstration profiles.
LEFT_OUT = {"sources", "example"}
#: Choices only the site's editors use, for organisations named in reports.
EDITORS_ONLY = {"legal_forms": {"not-stated"}, "membership_tiers": {"none"}}
#: Labels that read better than the field's name.
LABELS = {
    "name": "Organisation name",
    "summary": "Summary: one sentence about what you do",
    "vcse": "Are you a voluntary, community or social enterprise (VCSE) organisation?",
    "charity_number": "Charity number (England and Wales)",
    "ni_charity_number": "Charity number (Northern Ireland)",
    "company_number": "Company number (Companies House)",
    "mutuals_number": "Mutuals Public Register number",
    "areas": "Areas served",
    "email": "Public email address",
    "phone": "Public phone number",
    "size_band": "Size by yearly income",
    "can_lead_bids": "Can you lead a bid and hold a contract for a consortium?",
    "looking_for_partners": "Are you looking for partners to bid or deliver with?",
    "partnership_interests": "What would you like to partner on?",
    "track_record": "Track record",
    "maintainers": "GitHub user names of the people who may change this profile",
}
LONG_TEXT = {"partnership_interests"}
#: Advice in the schema's descriptions that is about writing the file, not a form.
FILE_ONLY_SENTENCES = (" Put it in quotes.",)


def label(name: str) -> str:
    """The label of the member field ``name``."""
    return LABELS.get(name, name.replace("_", " ").capitalize())
