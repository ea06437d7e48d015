"""Write members.csv, members.json and the data behind live filtering."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from content_types.directory import FILTERS, member_values

from .columns import columns, csv_value, member_record


def write_member_data(site: dict, context: dict, output: Path, siteurl: str) -> None:
    schema = context["schemas"]["member"]
    vocabularies = context["vocab"]
    members = site["member"]
    properties = set(schema["properties"])
    for member in members:
        member.schema_properties = properties
    records = [member_record(m, siteurl) for m in members]
    names = [name for name, _ in columns(schema)]
    data = output / "data"
    data.mkdir(parents=True, exist_ok=True)

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for record in records:
        writer.writerow([csv_value(record.get(name)) for name in names])
    # A byte-order mark lets spreadsheet programs recognise UTF-8.
    (data / "members.csv").write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")

    document = {
        "description": "Members of the consortium and organisations named in its case studies.",
        "generated": context["today"].isoformat(),
        "licence": context.get("DATA_LICENCE", ""),
        "columns": [{"name": n, "description": d} for n, d in columns(schema)],
        "vocabularies": {name: {t.id: t.label for t in vocabularies[name].terms.values()}
                         for name in ("services", "areas", "legal_forms", "membership_tiers", "size_bands")},
    }
    members_json = [{name: record[name] for name in names if name in record} for record in records]
    (data / "members.json").write_text(_readable_json(document, "members", members_json), encoding="utf-8")

    (output / "members").mkdir(parents=True, exist_ok=True)
    (output / "members" / "filter-data.json").write_text(
        json.dumps(filter_data(members, vocabularies), ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8")


def _readable_json(document: dict, name: str, records: list) -> str:
    """``document`` with ``records`` added under ``name``, indented, but each
    record on one line: readable, and quick to write. Indenting every
    record took Python's slow JSON encoder 1.8 s at 10,000 members."""
    head = json.dumps(document, ensure_ascii=False, indent=1)
    lines = ",\n  ".join(json.dumps(record, ensure_ascii=False) for record in records)
    body = f'[\n  {lines}\n ]' if records else "[]"
    return f'{head[:-2]},\n {json.dumps(name)}: {body}\n}}\n'


def filter_data(members: list, vocabularies: dict) -> dict:
    """The compact data live filtering needs.

    ``filters`` lists each filter's values; a member is ``[slug, name,
    summary, flags, [value indexes per filter]...]`` where value indexes point
    into ``filters[i].values``. Area indexes are the areas the member reaches
    (see content_types.directory), so the browser does no area arithmetic.
    ``labels`` give the service and area names shown on each card.
    """
    filters = []
    for filter_ in FILTERS:
        values = list(vocabularies[filter_.vocabulary].terms) if filter_.vocabulary else ["yes"]
        filters.append({"name": filter_.name, "values": values,
                        "labels": [vocabularies[filter_.vocabulary].label(v) for v in values]
                        if filter_.vocabulary else ["Yes"]})
    index = [{value: i for i, value in enumerate(f["values"])} for f in filters]
    rows = []
    for member in members:
        meta = member.metadata
        row = [member.slug, meta["name"], meta["summary"],
               [index[0][s] for s in meta["services"]], [index[1][a] for a in meta["areas"]],
               index[3][meta["membership_tier"]], 1 if meta.get("example") else 0]
        row += [sorted(index[i][v] for v in member_values(meta, f, vocabularies)) for i, f in enumerate(FILTERS)]
        rows.append(row)
    return {"filters": filters, "members": rows}
