"""The columns of the member open data, in one stable order.

Validated fields come from the member schema, in its order; computed ones
(slug, page URL, org-ids, case studies) are added where a reader expects
them. ``maintainers`` (GitHub accounts) is left out: it is about editing
the site, not about the organisation.

Each column is described for someone using the data, in ``DESCRIPTIONS``:
the schema's descriptions are written for the person editing a profile
("Put it in quotes."), and /data/ and members.json need to say what a value
means and how it is written in the files instead.
"""

from __future__ import annotations

import datetime as dt
import re

from validation.collection import SLUG

LEFT_OUT = {"maintainers"}
#: What each column holds, for a reader of members.csv and members.json.
#: Codes are explained by members.json's ``vocabularies``; in the CSV, lists
#: are joined with "; " and true/false are written as such.
DESCRIPTIONS = {
    "slug": "The profile's identifier on this site, the last part of its address. Stable; use it to join tables.",
    "name": "The organisation's name, as registered or as it calls itself.",
    "url": "The address of the organisation's profile page on this site.",
    "summary": "One sentence on what the organisation does, for whom and where.",
    "legal_form": "Its legal form, as a code (vocabularies.legal_forms in members.json gives the labels); "
                  "not-stated when the sources do not say.",
    "vcse": "true if it is a voluntary, community or social enterprise (VCSE) organisation, false if not; "
            "empty when not stated.",
    "charity_number": "Its charity number in England and Wales (6 or 7 digits), as on the Charity Commission's "
                      "register.",
    "scottish_charity_number": "Its Scottish charity number (SC and 6 digits), as on the OSCR register.",
    "ni_charity_number": "Its Northern Ireland charity number, as on the Charity Commission for Northern Ireland's "
                         "register.",
    "company_number": "Its Companies House number: 8 characters with leading zeros kept, so read it as text, "
                      "not as a number.",
    "mutuals_number": "Its number on the FCA's Mutuals Public Register (co-operatives and community benefit "
                      "societies).",
    "org_ids": "Its Org-IDs (org-id.guide), made from the registration numbers above: GB-CHC (England and Wales "
               "charities), GB-SC (Scottish charities), GB-NIC (Northern Ireland charities), GB-COH (companies), "
               "GB-MPR (mutuals).",
    "membership_tier": "Its membership of the consortium: full, associate, or none for an organisation that is only "
                       "named in a case study.",
    "services": "The services it offers, as codes (labels in vocabularies.services).",
    "areas": "The areas it serves, as codes (labels in vocabularies.areas), as the profile gives them. The directory "
             "also counts them as serving the places inside those areas.",
    "website": "Its website.",
    "email": "Its public email address.",
    "phone": "Its public phone number, as the profile writes it.",
    "size_band": "Its size by yearly income, as a code (labels, with the income range, in vocabularies.size_bands).",
    "can_lead_bids": "true if it can act as lead partner and hold a contract for a consortium; empty when not stated.",
    "looking_for_partners": "true if it is looking for partners to bid or deliver with; empty when not stated.",
    "partnership_interests": "What it would like to partner on, in its own words.",
    "quality_marks": "The quality marks and accreditations it holds.",
    "policies": "The policies a commissioner usually asks for that it has in place.",
    "track_record": "Contracts and projects it has delivered.",
    "case_studies": "The case studies on this site that name it as a partner, by identifier (each at "
                    "/case-studies/<identifier>/).",
    "last_verified": "The date (YYYY-MM-DD) someone last checked that the profile is right.",
    "sources": "The published documents the profile's facts come from: title, publisher and year in the CSV; "
               "with their addresses and notes in members.json.",
    "example": "true if the profile was made up to demonstrate the site: not a real organisation.",
}
COMPUTED = ("slug", "url", "org_ids", "case_studies")
# Computed columns go after the field they follow.
AFTER = {"slug": None, "url": "name", "org_ids": "mutuals_number", "case_studies": "track_record"}


def columns(member_schema: dict) -> list[tuple[str, str]]:
    """(name, description) for every column, in order. A field added to the
    schema without a description here falls back to the schema's own (and a
    test says so)."""
    fields = [(name, DESCRIPTIONS.get(name) or spec.get("description") or _ref_description(spec, member_schema))
              for name, spec in member_schema["properties"].items() if name not in LEFT_OUT]
    order = [("slug", DESCRIPTIONS["slug"])]
    for name, description in fields:
        order.append((name, description))
        for computed, after in AFTER.items():
            if after == name:
                order.append((computed, DESCRIPTIONS[computed]))
    return order


def value_schemas(member_schema: dict) -> dict[str, dict]:
    """Each column's values as JSON Schema, by column name: a schema field's
    own (its ``$ref`` followed, so a column's type is visible here), and
    for the computed columns, what they are made of. members.csv's table
    schema and members.json's JSON Schema are both made from these
    (``described.py``), so the files and their descriptions cannot part."""
    slug = SLUG.pattern
    identifiers = "|".join(re.escape(spec["x-identifier"]) for spec in member_schema["properties"].values()
                           if spec.get("x-identifier"))
    computed = {
        "slug": {"type": "string", "pattern": slug},
        # Root-relative when the site is built without SITEURL (a preview).
        "url": {"type": "string", "format": "uri-reference"},
        "org_ids": {"type": "array", "uniqueItems": True,
                    "items": {"type": "string", "pattern": f"^({identifiers})-[A-Z0-9]+$"}},
        "case_studies": {"type": "array", "uniqueItems": True, "items": {"type": "string", "pattern": slug}},
    }
    found = {}
    for name, _ in columns(member_schema):
        if name in computed:
            found[name] = computed[name]
            continue
        spec = member_schema["properties"][name]
        ref = spec.get("$ref", "")
        if ref.startswith("#/$defs/"):
            spec = {**member_schema["$defs"][ref.split("/")[-1]], **{k: v for k, v in spec.items() if k != "$ref"}}
        found[name] = spec
    return found


def _ref_description(spec: dict, schema: dict) -> str:
    ref = spec.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return schema["$defs"][ref.split("/")[-1]].get("description", "")
    return ""


def member_record(member, siteurl: str) -> dict:
    """One member as plain JSON values (dates as ISO text)."""
    meta = member.metadata
    record = {}
    for name, value in meta.items():
        if name in LEFT_OUT or name not in member.schema_properties:
            continue
        record[name] = _plain(value)
    record["slug"] = member.slug
    record["url"] = f"{siteurl}/{member.url}"
    record["org_ids"] = list(member.org_ids)
    record["case_studies"] = [case_study.slug for case_study, _ in member.case_studies]
    if "sources" in record:
        record["sources"] = [s for s in record["sources"]]
    return record


def csv_value(value) -> str:
    """A cell: lists joined with '; ', booleans as true/false, and text that a
    spreadsheet would run as a formula made inert with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(_flat(v) for v in value)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def _flat(value) -> str:
    if isinstance(value, dict):  # a source: its title, publisher and year
        return ", ".join(str(value[k]) for k in ("title", "publisher", "year") if value.get(k))
    return str(value)


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
