"""The open data on /data/, read back with the tools its users have: every
CSV against its published Frictionless description, every JSON file against
its published JSON Schema, and the OCDS package against the OCDS release
package schema with the extensions it declares (copies of the published
schemas in tests/fixtures/ocds/, so nothing is downloaded)."""

from __future__ import annotations

import copy
import csv
import json
import shutil
import socket
from pathlib import Path

import jsonschema
import pytest
from frictionless import Package
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from member_data.columns import columns
from site_helpers import page
from tender_feeds.ocds import EXTENSIONS, PACKAGE_SCHEMA, extension_path

OCDS = Path(__file__).parent / "fixtures" / "ocds"
RELEASE_SCHEMA = PACKAGE_SCHEMA.replace("release-package-schema.json", "release-schema.json")
#: The JSON files /data/ publishes for reuse, and the schema each follows.
JSON_FILES = {"members.json": "schemas/members.json.schema.json", "tenders.json": "schemas/tenders.json.schema.json"}


@pytest.fixture
def offline(monkeypatch):
    """No connection can be opened: what runs here must not need the network."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"tried to open a connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


# -- members.csv and the data package ---------------------------------------------------------


def test_every_published_csv_is_described_in_the_data_package(site):
    package = _load(site / "data" / "datapackage.json")
    described = {site / "data" / resource["path"] for resource in package["resources"]}
    assert set(site.rglob("*.csv")) == described
    licence = package["licenses"][0]
    assert licence["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert licence["name"] == "CC-BY-4.0"


def test_frictionless_finds_members_csv_valid_against_its_description(site, offline):
    report = Package(str(site / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_identifiers_stay_text_with_their_leading_zeros(site, members, offline):
    """example-recycling-cic's company number is "01234567": read as a number,
    it would lose its leading zero."""
    assert members["example-recycling-cic"]["company_number"] == "01234567"
    resource = Package(str(site / "data" / "datapackage.json")).get_resource("members")
    rows = {row["slug"]: row for row in resource.read_rows()}
    assert rows["example-recycling-cic"]["company_number"] == "01234567"
    for name in ("charity_number", "scottish_charity_number", "ni_charity_number", "company_number",
                 "mutuals_number", "org_ids"):
        field = resource.schema.get_field(name)
        assert field.type in ("string", "list"), name
        assert getattr(field, "item_type", "string") == "string", name
    assert rows["example-recycling-cic"]["org_ids"] == ["GB-COH-01234567"]
    assert rows["example-recycling-cic"]["services"] == list(members["example-recycling-cic"]["services"])


def test_frictionless_reports_a_value_that_breaks_the_description(site, tmp_path, offline):
    """The description is checked, not only read: a company number of seven
    digits (its leading zero lost) is an error."""
    shutil.copytree(site / "data", tmp_path / "data")
    path = tmp_path / "data" / "members.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert ",01234567," in text
    path.write_text(text.replace(",01234567,", ",1234567,"), encoding="utf-8-sig", newline="")
    report = Package(str(tmp_path / "data" / "datapackage.json")).validate()
    assert not report.valid
    assert [error[1] for error in report.flatten(["rowNumber", "fieldName"])] == ["company_number"]


def test_the_table_schema_describes_the_columns_members_csv_has(site, project):
    schema = _load(site / "data" / "schemas" / "members.csv.table-schema.json")
    with (site / "data" / "members.csv").open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    expected = columns(project.schemas["member"])
    assert [field["name"] for field in schema["fields"]] == header == [name for name, _ in expected]
    assert [field["description"] for field in schema["fields"]] == [description for _, description in expected]
    lists = {field["name"] for field in schema["fields"] if field["type"] == "list"}
    assert {"services", "areas", "org_ids", "case_studies", "sources"} <= lists
    assert {field["delimiter"] for field in schema["fields"] if field["type"] == "list"} == {"; "}


# -- the JSON files ---------------------------------------------------------------------------


def _members_validator(site: Path):
    schema = _load(site / "data" / "schemas" / "members.json.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_every_json_file_on_the_data_page_has_a_published_schema(site):
    links = {a["href"].rsplit("/", 1)[-1] for a in page(site, "data/").find_all("a", href=True)
             if a["href"].endswith(".json")}
    published = {path.name for path in (site / "data").glob("*.json")} - {"datapackage.json"}
    assert published == set(JSON_FILES)
    for name, schema in JSON_FILES.items():
        assert name in links and schema.rsplit("/", 1)[-1] in links, name
        assert (site / "data" / schema).exists(), schema
    assert {"datapackage.json", "members.csv.table-schema.json"} <= links


def test_members_json_follows_its_published_schema(site):
    document = _load(site / "data" / "members.json")
    errors = [f"{error.json_path}: {error.message}" for error in _members_validator(site).iter_errors(document)]
    assert errors == []
    assert document["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert document["schema"] == "/data/schemas/members.json.schema.json"


def test_the_members_json_schema_rejects_a_record_that_is_not_as_described(site):
    document = _load(site / "data" / "members.json")
    validator = _members_validator(site)
    record = next(m for m in document["members"] if m["slug"] == "example-recycling-cic")
    for change in ({"company_number": 1234567}, {"services": "recycling"}, {"maintainers": ["someone"]},
                   {"vcse": "yes"}):
        broken = copy.deepcopy(document)
        broken["members"][document["members"].index(record)].update(change)
        assert not validator.is_valid(broken), change


# -- the OCDS package ---------------------------------------------------------------------------


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch, as OCDS applies an extension's release-schema.json."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _extension_folder(url: str, output: Path, siteurl: str) -> Path:
    """Where the tests find the release schema of a declared extension: the
    copies of the published ones, and the site's own as it publishes them."""
    for name in ("lots", "location", "suitability"):
        if url.startswith(f"https://raw.githubusercontent.com/open-contracting-extensions/ocds_{name}_extension/"):
            return OCDS / name
    assert url.startswith(f"{siteurl}/data/extensions/"), f"no copy of the declared extension {url}"
    return output / url.removeprefix(f"{siteurl}/").removesuffix("/extension.json")


@pytest.fixture(scope="module")
def ocds(subpath_site):
    """The real content's package (built with a full SITEURL), and the OCDS
    release schema with every extension the package declares applied."""
    output, siteurl = subpath_site
    package = _load(output / "data" / "tenders.json")
    release_schema = _load(OCDS / "release-schema.json")
    for url in package["extensions"]:
        release_schema = merge_patch(release_schema, _load(_extension_folder(url, output, siteurl) /
                                                           "release-schema.json"))
    return output, package, release_schema


def test_the_package_declares_its_extensions_by_address(ocds, subpath_site):
    output, package, _ = ocds
    _, siteurl = subpath_site
    own = f"{siteurl}/{extension_path('vcse_suitability')}"
    assert package["extensions"] == EXTENSIONS + [own]
    extension = _load(output / extension_path("vcse_suitability"))
    for field in ("name", "description", "documentationUrl", "compatibility", "schemas"):
        assert extension[field], field
    assert extension["compatibility"] == ["1.1"]
    assert extension["documentationUrl"]["en"].endswith("/plugins/tender_feeds/README.md")
    # It adds to the Suitability extension's object, which the package declares too.
    assert set(extension["dependencies"]) <= set(package["extensions"])


def test_the_package_follows_its_published_schema_and_ocds_with_its_extensions(ocds):
    output, package, release_schema = ocds
    published = _load(output / "data" / "schemas" / "tenders.json.schema.json")
    assert published["allOf"] == [{"$ref": PACKAGE_SCHEMA}]
    registry = Registry().with_resources([
        (PACKAGE_SCHEMA, Resource.from_contents(_load(OCDS / "release-package-schema.json"), DRAFT4)),
        (RELEASE_SCHEMA, Resource.from_contents(release_schema, DRAFT4)),
    ])
    jsonschema.Draft4Validator.check_schema(published)
    validator = jsonschema.Draft4Validator(published, registry=registry)
    errors = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(package)]
    assert errors == []
    # The schema is not empty: a release without an ocid fails it.
    broken = copy.deepcopy(package)
    del broken["releases"][0]["ocid"]
    assert not validator.is_valid(broken)


def _undeclared(value, schema: dict, root: dict, path: str) -> list[str]:
    """The paths of every field in ``value`` that ``schema`` (with its local
    ``$ref``s followed) does not define: as if every object said
    ``additionalProperties: false``."""
    while "$ref" in schema:
        schema = root["definitions"][schema["$ref"].removeprefix("#/definitions/")]
    found = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key not in properties:
                found.append(f"{path}.{key}")
            else:
                found += _undeclared(item, properties[key], root, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _undeclared(item, schema.get("items", {}), root, f"{path}[{index}]")
    return found


def test_every_field_the_package_uses_is_defined_by_ocds_or_a_declared_extension(ocds):
    _, package, release_schema = ocds
    undeclared = []
    for index, release in enumerate(package["releases"]):
        undeclared += _undeclared(release, release_schema, release_schema, f"releases[{index}]")
    assert undeclared == []
    used = json.dumps(package)
    for field in ("deliveryAddress", "deliveryLocation", "suitability", "vcse", "lots"):
        assert f'"{field}"' in used, f"the real tenders no longer use {field}: the test checks less"
    # Without the site's own extension, vcse would be undeclared.
    core = _load(OCDS / "release-schema.json")
    for name in ("lots", "location", "suitability"):
        core = merge_patch(core, _load(OCDS / name / "release-schema.json"))
    without = [path for index, release in enumerate(package["releases"])
               for path in _undeclared(release, core, core, f"releases[{index}]")]
    assert without and all(path.endswith(".suitability.vcse") for path in without)
