"""The descriptions published beside the member data: a Frictionless data
package (/data/datapackage.json) with the table schema of members.csv, and
the JSON Schema of members.json.

Both are made from ``columns.value_schemas``: the member schema's fields
and the computed columns, in the files' own order. Nothing here lists a
column by hand.
"""

from __future__ import annotations

import copy

from .columns import LEFT_OUT, columns, value_schemas

#: Where each file is published, relative to the output folder.
DATA_PACKAGE = "data/datapackage.json"
TABLE_SCHEMA = "data/schemas/members.csv.table-schema.json"
JSON_SCHEMA = "data/schemas/members.json.schema.json"
#: How members.csv joins a list's items (columns.csv_value).
LIST_SEPARATOR = "; "
#: The codes whose labels members.json gives, under ``vocabularies``.
VOCABULARIES = ("services", "areas", "legal_forms", "membership_tiers", "size_bands")


def table_schema(member_schema: dict) -> dict:
    """The Table Schema (Frictionless) of members.csv: each column's type,
    what it holds, and the constraints a reader can check. Identifiers are
    strings with their pattern, so "01234567" keeps its leading zero."""
    required = set(member_schema.get("required", ())) | {"slug", "url"}
    fields = []
    for (name, description), spec in zip(columns(member_schema), value_schemas(member_schema).values()):
        field = {"name": name, "description": description, **_table_type(spec)}
        constraints = {}
        if name in required:
            constraints["required"] = True
        if spec.get("x-identifier") or name == "slug":
            # Table Schema patterns are anchored already (XML Schema style).
            constraints["pattern"] = spec["pattern"].removeprefix("^").removesuffix("$")
        if spec.get("type") == "string" and spec.get("enum"):
            constraints["enum"] = list(spec["enum"])
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": ["slug"], "missingValues": [""]}


def _table_type(spec: dict) -> dict:
    """A column's Table Schema type, from its JSON Schema. A list is a
    ``list`` of strings joined with "; " (items are codes, names or the
    sources' "title, publisher, year"); true and false are written as such."""
    kind = spec.get("type")
    if kind == "array":
        return {"type": "list", "delimiter": LIST_SEPARATOR, "itemType": "string"}
    if kind == "boolean":
        return {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}
    if kind == "integer":
        return {"type": "integer"}
    if spec.get("format") == "date":
        return {"type": "date"}
    if spec.get("format") in ("uri", "email"):
        return {"type": "string", "format": spec["format"]}
    return {"type": "string"}


def data_package(settings: dict, siteurl: str) -> dict:
    """The Frictionless data package of every CSV the site publishes
    (members.csv is the only one), with the licence by its address."""
    licence = {"path": settings.get("DATA_LICENCE_URL", ""), "title": settings.get("DATA_LICENCE", "")}
    if settings.get("DATA_LICENCE_ID"):
        licence = {"name": settings["DATA_LICENCE_ID"], **licence}
    package = {
        "profile": "tabular-data-package",
        "name": "members",
        "title": f"{settings['SITENAME']}: members",
        "description": "The organisations in the member directory: members of the consortium and organisations "
                       "named in its case studies, one row each.",
        "licenses": [licence],
        "resources": [{
            "name": "members",
            "path": "members.csv",
            "profile": "tabular-data-resource",
            "title": "Members",
            "description": "One row per organisation, in name order. members.json holds the same records with "
                           "lists as lists and the labels of every code.",
            "format": "csv",
            "mediatype": "text/csv",
            # With a byte-order mark, which readers of UTF-8 skip.
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True,
                        "header": True},
            "schema": TABLE_SCHEMA.removeprefix("data/"),
        }],
    }
    if siteurl:
        package["homepage"] = f"{siteurl}/data/"
    return package


def json_schema(member_schema: dict, siteurl: str) -> dict:
    """The JSON Schema (draft 2020-12) of members.json: its description,
    licence, columns and vocabularies, and each record with the member
    schema's own definition of each field (``maintainers`` left out) and
    the computed ones."""
    values = value_schemas(member_schema)
    required = [name for name in ("slug", "url", "org_ids", "case_studies", *member_schema.get("required", ()))
                if name in values]
    record = {
        "type": "object",
        "description": "One organisation. A field the profile does not give is left out.",
        "additionalProperties": False,
        "required": required,
        "properties": {name: {"description": description, **_without_description(values[name])}
                       for name, description in columns(member_schema)},
    }
    definitions = {name: spec for name, spec in copy.deepcopy(member_schema.get("$defs", {})).items()
                   if name not in LEFT_OUT}
    text = {"type": "string"}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "members.json",
        "description": "The member directory as JSON: the organisations' records, the meaning of each field "
                       "and the labels of every code.",
        "type": "object",
        "additionalProperties": False,
        "required": ["description", "generated", "licence", "licence_url", "columns", "vocabularies", "members"],
        "properties": {
            "description": text,
            "generated": {"type": "string", "format": "date", "description": "The date the site was built for."},
            "licence": {"type": "string", "description": "The licence the data may be reused under."},
            "licence_url": {"type": "string", "format": "uri", "description": "The licence's address."},
            "schema": {"type": "string", "format": "uri-reference", "description": "This schema's address."},
            "columns": {
                "type": "array",
                "description": "Each field of a record, in order, with what it holds.",
                "items": {"type": "object", "additionalProperties": False, "required": ["name", "description"],
                          "properties": {"name": {"enum": [name for name, _ in columns(member_schema)]},
                                         "description": text}},
            },
            "vocabularies": {
                "type": "object",
                "description": "The label of each code, by vocabulary.",
                "additionalProperties": False,
                "required": list(VOCABULARIES),
                "properties": {name: {"type": "object", "additionalProperties": text} for name in VOCABULARIES},
            },
            "members": {"type": "array", "items": {"$ref": "#/$defs/member_record"}},
        },
        "$defs": {**definitions, "member_record": record},
    }
    if siteurl:
        schema["$id"] = f"{siteurl}/{JSON_SCHEMA}"
    return schema


def _without_description(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "description"}
