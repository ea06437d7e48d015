"""The search store says which documents are examples and which directory
entries are not members, and the search page shows both as every other card
does.

Example content (front matter ``example: true``) is made up to show how the
site works; a member document with membership tier ``none`` is an
organisation only named in a case study. The store (``docs`` in
search/index.json) carries a fifth and a sixth optional field for them; plugins/search_index/README.md describes the fields,
files.py writes them from DOCUMENT_FIELDS and search.js reads them through
DOCUMENT. These tests check the built store against the real content, the
three descriptions against each other (search.js run by Node.js, as in
test_search_folding.py), and the results in Chromium, with axe.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from building import ROOT
from search_index.files import DOCUMENT_FIELDS
from test_search import search, wait_for_answer

SEARCH_JS = ROOT / "theme" / "static" / "js" / "search.js"
README = ROOT / "plugins" / "search_index" / "README.md"
EXAMPLE = DOCUMENT_FIELDS.index("example")
NAMED = DOCUMENT_FIELDS.index("named")
#: Queries whose results mix example and real pages of every kind that has
#: examples: "example" is in the example members' names and in real pages'
#: text; the others are words of an example tender's and event's titles.
QUERIES = ("example", "Wolverhampton", "bidding together workshop", "Leeds")


@pytest.fixture(scope="module")
def index(site) -> dict:
    return json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def content(project) -> dict:
    entries, problems, _ = project.check_all()
    assert not [p for p in problems if p.severity == "error"], [p.format() for p in problems]
    return entries


def titles(content: dict, example: bool) -> set[tuple[str, str]]:
    return {(type_name, meta.get("title") or meta["name"])
            for type_name, items in content.items() for _slug, (_, meta) in items.items()
            if bool(meta.get("example")) == example}


def example_paths(content: dict, index: dict) -> set[str]:
    """Each example's URL path, from its front matter and its type's URL pattern."""
    patterns = {name: (prefix, suffix) for name, _label, _plural, prefix, suffix in index["types"]}
    return {patterns[type_name][0] + slug + patterns[type_name][1]
            for type_name, items in content.items() for slug, (_, meta) in items.items() if meta.get("example")}


def test_the_store_marks_exactly_the_documents_whose_front_matter_says_example(index, content):
    type_names = [entry[0] for entry in index["types"]]
    position = {name: i for i, name in enumerate(DOCUMENT_FIELDS)}
    marked, unmarked = set(), set()
    for doc in index["docs"]:
        entry = (type_names[doc[position["type"]]], doc[position["title"]])
        assert doc[-1] != 0 or len(doc) == EXAMPLE, f"trailing 0 flags are left out: {doc}"
        if len(doc) > EXAMPLE and doc[EXAMPLE] == 1:
            marked.add(entry)
        else:
            assert len(doc) == EXAMPLE or doc[EXAMPLE] == 0, doc
            unmarked.add(entry)
    assert marked == titles(content, example=True)
    assert unmarked == titles(content, example=False)
    assert {"member", "tender", "event"} <= {type_name for type_name, _ in marked}
    assert unmarked, "real content should be in the store too"


def test_the_store_flags_exactly_the_directory_entries_that_are_not_members(index, content):
    """A member document whose membership tier is "none" (an organisation only
    named in a case study) carries ``named``; every other document does not."""
    type_names = [entry[0] for entry in index["types"]]
    flagged = {doc[2] for doc in index["docs"] if len(doc) > NAMED and doc[NAMED] == 1}
    assert all(type_names[doc[0]] == "member" for doc in index["docs"] if len(doc) > NAMED and doc[NAMED] == 1)
    named = {meta["name"] for _, (_, meta) in content["member"].items() if meta["membership_tier"] == "none"}
    assert named and flagged == named


def javascript_document_fields() -> dict:
    script = "process.stdout.write(JSON.stringify(require(process.argv[1]).DOCUMENT))"
    result = subprocess.run(["node", "-e", script, str(SEARCH_JS)], capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_search_js_reads_the_fields_where_the_writer_and_the_readme_put_them():
    in_readme = re.search(r"Each entry is `\[([^\]]*)\]`", README.read_text(encoding="utf-8"))
    assert in_readme, "the README should describe the store's entry as `[field, …]`"
    assert tuple(in_readme.group(1).split(", ")) == DOCUMENT_FIELDS
    assert javascript_document_fields() == {name: i for i, name in enumerate(DOCUMENT_FIELDS)}


# -- in Chromium ----------------------------------------------------------------------------


def shown_results(page) -> list[dict]:
    """Each result shown: its URL path, its link's text, and its heading's labels."""
    return page.eval_on_selector_all(".app-search-result", """items => items.map(item => {
        const link = item.querySelector('.app-search-result__link');
        return {path: new URL(link.href).pathname.slice(1), title: link.textContent,
                labels: Array.from(item.querySelectorAll('.app-search-result__title .app-label'),
                                   label => label.textContent),
                outside: item.querySelectorAll('.app-label:not(.app-search-result__title > .app-label)').length};
    })""")


@pytest.mark.browser
def test_example_results_carry_the_example_label_and_real_ones_do_not(page, site_url, index, content):
    examples = example_paths(content, index)
    labelled, unlabelled = set(), set()
    for query in QUERIES:
        search(page, site_url, query)
        results = shown_results(page)
        assert results, query
        for result in results:
            assert result["outside"] == 0, (query, result)
            if result["path"] in examples:
                assert result["labels"] == ["Example"], (query, result)
                labelled.add(result["path"])
            else:
                assert result["labels"] == [], (query, result)
                unlabelled.add(result["path"])
    kinds = {path.split("/")[0] for path in labelled}
    assert {"members", "tenders", "events"} <= kinds, labelled
    assert unlabelled, "the queries should find real pages too"
    assert not page.page_errors


@pytest.mark.browser
def test_the_label_is_in_the_heading_not_the_link_as_on_the_directory_cards(page, site_url):
    name = "Example Youth Trust"
    page.goto(f"{site_url}/members/")
    assert page.get_by_role("heading", name=f"{name} Example", exact=True).count() == 1
    search(page, site_url, name)
    result = page.locator(".app-search-result").first
    assert result.get_by_role("heading", name=f"{name} Example", exact=True).count() == 1
    assert result.get_by_role("link", name=name, exact=True).count() == 1


@pytest.mark.browser
def test_a_result_is_labelled_member_only_when_it_is_one(page, site_url, content):
    """As on the directory's cards: "Member" for a member, "Named in a case
    study, not a member" for an organisation only named in a case study (Young
    Lancashire); and a count of results that holds one says "organisations"."""
    tiers = {meta["name"]: meta["membership_tier"] for _, (_, meta) in content["member"].items()}
    seen = set()
    for query in ("Young Lancashire", "Example Youth Trust", "Leeds"):
        search(page, site_url, query)
        page.wait_for_load_state("networkidle")
        shown = page.eval_on_selector_all(".app-search-result--member", """items => items.map(item => [
            item.querySelector('.app-search-result__link').textContent,
            item.querySelector('.app-search-result__type').textContent])""")
        assert shown, query
        for name, label in shown:
            expected = "Named in a case study, not a member" if tiers[name] == "none" else "Member"
            assert label == expected, (query, name, label)
            seen.add(label)
        kinds = page.eval_on_selector_all(".app-search__type", "buttons => buttons.map(b => b.textContent)")
        said = page.text_content("[role=status]")
        if any(tiers[name] == "none" for name, _ in shown):
            assert not [kind for kind in kinds if kind.startswith("Members")], (query, kinds)
            assert not re.search(r"\bmembers?\b", said), (query, said)
            if len(kinds) > 1:
                assert any(kind.startswith("Organisations (") for kind in kinds), (query, kinds)
    assert seen == {"Member", "Named in a case study, not a member"}
    assert not page.page_errors


@pytest.mark.browser
def test_axe_finds_no_violation_with_example_results_shown(page, site_url):
    from test_browser_accessibility import describe, run_axe

    page.goto(f"{site_url}/search/?q=example")
    wait_for_answer(page)
    page.wait_for_load_state("networkidle")
    assert page.locator(".app-search-result__title .app-label").count()
    violations = run_axe(page)
    assert not violations, describe(violations)
