"""The columns of the member open data, in one stable order.

Validated fields come from the member schema, in its order; computed ones
(slug, page URL, org-ids, case studies) are added where a reader expects
them. ``maintainers`` (GitHub accounts) is left out: it is about editing
the site, not about the organisation.
"""

from __future__ import annotations

import datetime as dt

LEFT_OUT = {"maintainers"}
COMPUTED = {
    "slug": "The profile's identifier on this site (its file name).",
    "url": "The address of the profile page.",
    "org_ids": "Org-IDs derived from the registration numbers (GB-CHC, GB-SC, GB-NIC, GB-COH, GB-MPR).",
    "case_studies": "Slugs of the case studies that name the organisation as a partner.",
}
# Computed columns go after the field they follow.
AFTER = {"slug": None, "url": "name", "org_ids": "mutuals_number", "case_studies": "track_record"}


def columns(member_schema: dict) -> list[tuple[str, str]]:
    """(name, description) for every column, in order."""
    fields = [(name, spec.get("description") or _ref_description(spec, member_schema))
              for name, spec in member_schema["properties"].items() if name not in LEFT_OUT]
    order = [("slug", COMPUTED["slug"])]
    for name, description in fields:
        order.append((name, description))
        for computed, after in AFTER.items():
            if after == name:
                order.append((computed, COMPUTED[computed]))
    return order


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
