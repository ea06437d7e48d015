"""Write members.csv, members.json and the data behind live filtering."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from content_types.directory import FILTERS, member_values
import incremental
from incremental import changes_since, related_mark, with_changes

from . import described
from .columns import columns, csv_value, member_record


#: What the last build made of each member, for the next in this process
#: (make serve): {source path: (what the member's lines depend on, its CSV
#: row, its members.json line, its filter row)}, kept under what it all
#: depends on.
_kept = incremental.memo("member_data.lines")


def write_member_data(site: dict, context: dict, output: Path, siteurl: str,
                      shared_key: bytes | None = None) -> tuple | None:
    """Write the three files. With ``shared_key`` (what every member's lines
    depend on besides its front matter and relations: the vocabularies,
    schemas, settings and build date), a member whose front matter and
    relations are as the last build had them keeps its lines: after a
    summary edit at ten thousand members that is one member made again, not
    1.4 s of all of them. Returns what changed (see :func:`changes`), for
    the parent process when this one is a second one."""
    schema = context["schemas"]["member"]
    vocabularies = context["vocab"]
    members = site["member"]
    names = [name for name, _ in columns(schema)]
    key = (shared_key, siteurl) if shared_key is not None else None
    before = _kept.get(key, {})
    lines = {}
    fresh = []
    for member in members:
        mark = related_mark(member) if key is not None else None
        known = before.get(member.source_path)
        if known is not None and mark is not None and known[0] == mark:
            lines[member.source_path] = known
        else:
            fresh.append((member, mark))
    if fresh:
        properties = set(schema["properties"])
        index = _filter_index(vocabularies)
        for member, mark in fresh:
            member.schema_properties = properties
            record = member_record(member, siteurl)
            row = io.StringIO(newline="")
            csv.writer(row, lineterminator="\r\n").writerow([csv_value(record.get(name)) for name in names])
            lines[member.source_path] = (
                mark, row.getvalue(),
                json.dumps({name: record[name] for name in names if name in record}, ensure_ascii=False),
                json.dumps(_filter_row(member, vocabularies, index), ensure_ascii=False, separators=(",", ":")))
    ordered = [lines[member.source_path] for member in members]
    data = output / "data"
    data.mkdir(parents=True, exist_ok=True)

    header = io.StringIO(newline="")
    csv.writer(header, lineterminator="\r\n").writerow(names)
    # A byte-order mark lets spreadsheet programs recognise UTF-8.
    (data / "members.csv").write_text(header.getvalue() + "".join(line[1] for line in ordered),
                                      encoding="utf-8-sig", newline="")

    document = {
        "description": "Members of the consortium and organisations named in its case studies.",
        "generated": context["today"].isoformat(),
        "licence": context.get("DATA_LICENCE", ""),
        "licence_url": context.get("DATA_LICENCE_URL", ""),
        "schema": f"{siteurl}/{described.JSON_SCHEMA}",
        "columns": [{"name": n, "description": d} for n, d in columns(schema)],
        "vocabularies": {name: {t.id: t.label for t in vocabularies[name].terms.values()}
                         for name in described.VOCABULARIES},
    }
    (data / "members.json").write_text(_readable_json(document, "members", [line[2] for line in ordered]),
                                       encoding="utf-8")
    _write_descriptions(output, schema, context, siteurl)

    (output / "members").mkdir(parents=True, exist_ok=True)
    filters = json.dumps(_filters(vocabularies), ensure_ascii=False, separators=(",", ":"))
    fields = json.dumps(FILTER_ROW_FIELDS, separators=(",", ":"))
    (output / "members" / "filter-data.json").write_text(
        f'{{"fields":{fields},"filters":{filters},"members":[{",".join(line[3] for line in ordered)}]}}',
        encoding="utf-8")
    previous = _kept.value or {}
    _kept.keep(key, lines if key is not None else {})
    return changes(previous)


def _write_descriptions(output: Path, schema: dict, context: dict, siteurl: str) -> None:
    """The data package, members.csv's table schema and members.json's
    JSON Schema: made from the member schema and settings only, so written
    whole each time (a few kilobytes)."""
    (output / "data" / "schemas").mkdir(parents=True, exist_ok=True)
    for path, document in ((described.DATA_PACKAGE, described.data_package(context, siteurl)),
                           (described.TABLE_SCHEMA, described.table_schema(schema)),
                           (described.JSON_SCHEMA, described.json_schema(schema, siteurl))):
        (output / path).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def changes(before: dict) -> tuple:
    """What :func:`write_member_data` kept for the next build, as changes
    since ``before``: the lines it made anew, and the paths of all."""
    return _kept.key, changes_since(before, _kept.value)


def apply_changes(found: tuple | None) -> None:
    """Keep, in this process, what a second one made (its :func:`changes`)."""
    if found is None:
        return
    key, lines = found
    _kept.keep(key, with_changes(_kept.value or {}, lines))


def _readable_json(document: dict, name: str, lines: list[str]) -> str:
    """``document`` with the records (``lines``, each one's JSON) added
    under ``name``, indented, but each record on one line: readable, and
    quick to write. Indenting every record took Python's slow JSON encoder
    1.8 s at 10,000 members."""
    head = json.dumps(document, ensure_ascii=False, indent=1)
    joined = ",\n  ".join(lines)
    body = f'[\n  {joined}\n ]' if lines else "[]"
    return f'{head[:-2]},\n {json.dumps(name)}: {body}\n}}\n'


# members/filter-data.json, the compact data live filtering needs, is
# {"fields": FILTER_ROW_FIELDS, "filters": _filters(...),
#  "members": [_filter_row(member) ...]}: each member is a row (a list, so no
# name is repeated per member) whose fields the file names once.

#: A filter row's fields, in order: what a card shows, named as the front
#: matter names them (``services`` etc. as value indexes into that filter's
#: ``values``, ``example`` 1 or 0), then per filter, named as the filter
#: (its query parameter), the indexes of the values the member matches.
#: theme/static/js/member-filter.js reads rows by these names, through the
#: file's ``fields``; tests/test_filter_rows.py checks the three agree.
CARD_FIELDS = ("slug", "name", "summary", "services", "areas", "membership_tier", "example")
FILTER_ROW_FIELDS = CARD_FIELDS + tuple(f.name for f in FILTERS)
assert len(set(FILTER_ROW_FIELDS)) == len(FILTER_ROW_FIELDS), "a filter is named as a card field"
#: Each filter's place in FILTERS, by name.
_FILTER_AT = {f.name: i for i, f in enumerate(FILTERS)}


def _filters(vocabularies: dict) -> list:
    """Each filter's name, values and their labels (the service and area
    names shown on each card); for a vocabulary whose values nest (areas),
    also ``parents``: each value's parent's index, or null, so the page
    can say which larger areas a ticked area's list includes."""
    filters = []
    for filter_ in FILTERS:
        vocabulary = vocabularies[filter_.vocabulary] if filter_.vocabulary else None
        values = list(vocabulary.terms) if vocabulary else ["yes"]
        entry = {"name": filter_.name, "values": values,
                 "labels": [vocabulary.label(v) for v in values] if vocabulary else ["Yes"]}
        if vocabulary and any(term.parent for term in vocabulary.terms.values()):
            index = {value: i for i, value in enumerate(values)}
            entry["parents"] = [index.get(vocabulary.terms[v].parent) for v in values]
        filters.append(entry)
    return filters


def _filter_index(vocabularies: dict) -> list[dict]:
    return [{value: i for i, value in enumerate(f["values"])} for f in _filters(vocabularies)]


def _filter_row(member, vocabularies: dict, index: list[dict]) -> list:
    """A member as a row of :data:`FILTER_ROW_FIELDS`; indexes point into
    each filter's ``values``. The matched areas are those the member reaches
    (content_types.directory), so the browser does no area arithmetic."""
    meta = member.metadata
    card = {
        "slug": member.slug,
        "name": meta["name"],
        "summary": meta["summary"],
        "services": [index[_FILTER_AT["service"]][s] for s in meta["services"]],
        "areas": [index[_FILTER_AT["area"]][a] for a in meta["areas"]],
        "membership_tier": index[_FILTER_AT["tier"]][meta["membership_tier"]],
        "example": 1 if meta.get("example") else 0,
    }
    row = [card[name] for name in CARD_FIELDS]
    row += [sorted(index[i][v] for v in member_values(meta, f, vocabularies)) for i, f in enumerate(FILTERS)]
    return row
