"""The directory's filter rows are described once and read by name.

members/filter-data.json holds one row (a list) per member. Its fields are
FILTER_ROW_FIELDS in plugins/member_data/writer.py, which writes the rows
from it and names them once in the file's ``fields``;
theme/static/js/member-filter.js reads a row only through the positions it
finds there (rowLayout, readRow). These tests check the three against each
other and the README, with member-filter.js run by Node.js (as
test_search_store.py runs search.js), and that the rows, read back the way
the page reads them, say what the real content says.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from building import ROOT
from content_types.directory import FILTERS, member_values
from member_data.writer import CARD_FIELDS, FILTER_ROW_FIELDS

MEMBER_FILTER_JS = ROOT / "theme" / "static" / "js" / "member-filter.js"
README = ROOT / "plugins" / "member_data" / "README.md"

#: Reads filter-data.json (argv[2]) with member-filter.js (argv[1]): its
#: tables, the layout it finds, and every row read back by name.
READ_WITH_THE_SCRIPT = """
const script = require(process.argv[1]);
const data = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const layout = script.rowLayout(data);
process.stdout.write(JSON.stringify({
  card: script.CARD, cardFilters: script.CARD_FILTERS, at: layout.at, values: layout.values,
  members: data.members.map(function (row) { return script.readRow(row, layout); })
}));
"""

#: rowLayout on a file whose ``fields`` lack one the script needs.
WITHOUT_A_FIELD = """
const script = require(process.argv[1]);
const data = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
data.fields = data.fields.filter(function (name) { return name !== process.argv[3]; });
try { script.rowLayout(data); process.stdout.write("read"); }
catch (error) { process.stdout.write(error.message); }
"""


def node(script: str, *arguments: str) -> str:
    result = subprocess.run(["node", "-e", script, str(MEMBER_FILTER_JS), *arguments],
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def filter_data_path(site):
    return site / "members" / "filter-data.json"


@pytest.fixture(scope="module")
def filter_data(filter_data_path) -> dict:
    return json.loads(filter_data_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def read_back(filter_data_path) -> dict:
    return json.loads(node(READ_WITH_THE_SCRIPT, str(filter_data_path)))


def test_the_file_names_the_fields_the_writer_describes_once(filter_data):
    assert filter_data["fields"] == list(FILTER_ROW_FIELDS)
    assert [f["name"] for f in filter_data["filters"]] == [f.name for f in FILTERS]
    assert all(len(row) == len(FILTER_ROW_FIELDS) for row in filter_data["members"])
    # Names are in the file once, not per row.
    text = json.dumps(filter_data["members"])
    assert '"membership_tier"' not in text and '"summary"' not in text


def test_the_readme_describes_the_row_as_the_writer_does():
    in_readme = re.search(r"Each\s+member\s+is\s+a\s+row\s+`\[([^\]]*)\]`", README.read_text(encoding="utf-8"))
    assert in_readme, "the README should describe the filter row as `[field, …]`"
    described = in_readme.group(1).replace("then per filter its name: ", "").split(", ")
    assert tuple(described) == FILTER_ROW_FIELDS


def test_member_filter_js_reads_every_field_where_the_writer_puts_it(read_back):
    assert tuple(read_back["card"]) == CARD_FIELDS
    assert set(read_back["cardFilters"]) <= {f.name for f in FILTERS}
    assert read_back["at"] == {name: i for i, name in enumerate(FILTER_ROW_FIELDS)}
    assert read_back["values"] == [FILTER_ROW_FIELDS.index(f.name) for f in FILTERS]


@pytest.mark.parametrize("field", ["summary", "lead"])
def test_member_filter_js_refuses_a_file_without_a_field_it_reads(filter_data_path, field):
    assert node(WITHOUT_A_FIELD, str(filter_data_path), field) == f"filter-data.json has no field {field}"


def test_the_rows_read_back_by_name_say_what_the_content_says(read_back, filter_data, members, project):
    values = {f["name"]: f["values"] for f in filter_data["filters"]}
    assert {member["slug"] for member in read_back["members"]} == set(members)
    assert len(read_back["members"]) == len(members)
    for member in read_back["members"]:
        meta = members[member["slug"]]
        assert member["name"] == meta["name"] and member["summary"] == meta["summary"]
        assert [values["service"][i] for i in member["services"]] == meta["services"]
        assert [values["area"][i] for i in member["areas"]] == meta["areas"]
        assert values["tier"][member["membership_tier"]] == meta["membership_tier"]
        assert member["example"] == (1 if meta.get("example") else 0)
        for filter_ in FILTERS:
            matched = {values[filter_.name][i] for i in member[filter_.name]}
            assert matched == member_values(meta, filter_, project.vocabularies), (member["slug"], filter_.name)
    assert {m["membership_tier"] for m in read_back["members"]} != {0}, "the tiers should differ"
    assert any(m["example"] for m in read_back["members"]) and not all(m["example"] for m in read_back["members"])
