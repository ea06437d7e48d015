"""Search: the index lunr (Python) builds, and lunr.js using it in Chromium.

The first half reads the built files; the second drives the search page in
Debian's Chromium with the real lunr.js. The benchmark (tools/bench_search.py)
is not part of this run: it is slow.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from building import ROOT, SITE_TODAY, run_build
from conftest import serve
from search_index.documents import fold, folded_words
from search_index.packing import pack, packed_index, renumbered, unpack
from search_index.settings import DEFAULTS, check_settings
from site_helpers import page as built_page
from tools.synthetic import copy_project
from validation.project import Project
from validation.types import CONTENT_TYPES

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LEEDS_CASE_STUDY = "case-studies/leeds-community-drugs-services/"
SPV_MODEL = "models/special-purpose-vehicle/"
IDENTIFIERS = ("charity_number", "scottish_charity_number", "ni_charity_number", "company_number", "mutuals_number")
AWKWARD_QUERIES = [
    "PQQ: deadline", "hub and spoke?!", '"hub and spoke"', "'Leeds'", "lead*", "*", "+", "~", "^", "-", ":",
    "+youth", "youth~2", "youth^10", "title:leeds", "leeds:", "Ysgol Gymraeg", "Café", "CAFÉ", "Llanelli Ŵyl",
    "St Anne's", "St Anne’s", "(DISC)", "<b>leeds</b>", "<img src=x onerror=alert(1)>", "{}[]\\|/`", "%20",
    "a", "the and of", "0", "١٢٣", "北京", "🙂 youth", "x" * 300,
    ("Consortium working brings organisations together to bid for contracts. " * 14)[:1000],
]


@pytest.fixture(scope="module")
def content():
    entries, problems, _ = Project(ROOT, dt.date.fromisoformat(SITE_TODAY)).check_all()
    assert not [p for p in problems if p.severity == "error"], [p.format() for p in problems]
    return entries


@pytest.fixture(scope="module")
def index(site) -> dict:
    return json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))


def doc_url(index: dict, doc: list) -> str:
    name, _label, _plural, prefix, suffix = index["types"][doc[0]]
    slug = doc[1] if doc[1] != "" else re.sub(r"[^a-z0-9]+", "-", doc[2].lower()).strip("-")
    return f"{prefix}{slug}{suffix}"


def shard_files(site: Path, index: dict) -> list[dict]:
    return [json.loads((site / "search" / shard["url"]).read_text(encoding="utf-8")) for shard in index["shards"]]


# -- the index files -------------------------------------------------------------


def test_the_index_holds_every_document_once_with_its_type_title_and_url(site, index, content):
    type_names = [entry[0] for entry in index["types"]]
    indexed = [(type_names[doc[0]], doc_url(index, doc), doc[2]) for doc in index["docs"]]
    assert len(indexed) == len(set(indexed))
    expected = []
    for type_name, items in content.items():
        for _slug, (_, meta) in items.items():
            expected.append((type_name, meta.get("title") or meta["name"]))
    assert sorted((t, title) for t, _, title in indexed) == sorted(expected)
    for _type_name, url, title in indexed:
        document = built_page(site, url)
        assert document.h1.get_text(strip=True) == title, url


def test_every_document_has_a_summary_and_the_store_holds_no_html(index):
    for doc in index["docs"]:
        assert doc[3].strip(), doc
        assert "<" not in doc[2] + doc[3], doc


def test_the_types_are_labelled_for_people(index):
    labels = {entry[0]: entry[1] for entry in index["types"]}
    assert labels["member"] == "Member"
    assert labels["case_study"] == "Case study"
    assert set(labels) == set(CONTENT_TYPES)


def test_the_first_index_is_lunr_2_3_9_over_title_keywords_and_summary(index):
    packed = index["index"]
    assert index["format"] == 2
    assert packed["version"] == "2.3.9" == json.loads((ROOT / "node_modules/lunr/package.json").read_text())["version"]
    assert packed["fields"] == ["title", "keywords", "summary"]
    assert packed["pipeline"] == ["stemmer"]
    assert packed["terms"] == sorted(packed["terms"], key=lambda term: term.encode("utf-16-be"))
    assert len(packed["terms"]) == len(set(packed["terms"])) == len(packed["postings"])
    for per_field in packed["postings"]:
        assert len(per_field) == 3 and all(len(numbers) % 2 == 0 for numbers in per_field)


def refs_for(packed: dict, term: str, field: str) -> set[int]:
    numbers = packed["postings"][packed["terms"].index(term)][packed["fields"].index(field)]
    refs, ref = set(), -1
    for gap in numbers[::2]:
        ref += gap
        refs.add(ref)
    return refs


def test_structured_fields_are_keywords(index, content):
    """Identifiers, areas and a model's other names are searchable."""
    urls = [doc_url(index, doc) for doc in index["docs"]]
    for slug, (_, meta) in content["member"].items():
        for field in IDENTIFIERS:
            if meta.get(field):
                assert urls.index(f"members/{slug}/") in refs_for(index["index"], fold(meta[field]), "keywords")
    assert urls.index(SPV_MODEL) in refs_for(index["index"], "spoke", "keywords")
    assert urls.index(LEEDS_CASE_STUDY) in refs_for(index["index"], "leed", "keywords")  # stemmed, as lunr indexes


def test_full_text_shards_hold_the_body_of_every_page(site, index, content):
    shards = shard_files(site, index)
    refs = [ref for shard in shards for ref in shard["refs"]]
    assert len(refs) == len(set(refs)) == len(index["docs"])
    for meta, shard in zip(index["shards"], shards):
        data = (site / "search" / meta["url"]).read_bytes()
        assert meta["url"] == f"text-{meta['name']}.{hashlib.sha256(data).hexdigest()[:10]}.json"
        assert meta["bytes"] == len(data) and meta["gzipBytes"] == len(gzip.compress(data, 6))
        assert meta["prefetch"] == (meta["gzipBytes"] <= DEFAULTS["SEARCH_PREFETCH_BYTES"])
        assert shard["index"]["fields"] == ["body"] and len(shard["text"]) == len(shard["refs"])
    texts = {ref: text for shard in shards for ref, text in zip(shard["refs"], shard["text"])}
    urls = [doc_url(index, doc) for doc in index["docs"]]
    leeds = texts[urls.index(LEEDS_CASE_STUDY)]
    assert "Leeds used to have five Community Drugs Teams" in leeds and "<" not in leeds


def test_lunr_js_is_copied_from_node_modules(site):
    assert (site / "theme/js/lunr.min.js").read_bytes() == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()


def test_the_index_answers_in_lunr_python_as_built(index):
    from lunr.index import Index

    loaded = Index.load(unpack(index["index"]))
    urls = [doc_url(index, doc) for doc in index["docs"]]
    top = [urls[int(result["ref"])] for result in loaded.search("leeds")[:3]]
    assert LEEDS_CASE_STUDY in top


# -- packing and folding -------------------------------------------------------------

SAMPLE = [
    {"ref": 0, "title": "Leeds Community Drugs Services", "body": "A city-wide service. Leeds, Leeds!"},
    {"ref": 1, "title": "Special purpose vehicle", "body": "Hub and spoke; a company owned by its members."},
    {"ref": 2, "title": "Ysgol Gymraeg Café", "body": ""},
    {"ref": 3, "title": "Community café in Leeds", "body": "Services for young people."},
]


def lunr_index(fields, documents):
    """The index lunr (Python) itself builds from the folded texts: what
    packed_index must give, packed."""
    from lunr import get_default_builder

    builder = get_default_builder()
    builder.ref("ref")
    for name, boost in fields:
        builder.field(name, boost=boost)
    for document in documents:
        builder.add({"ref": document["ref"], **{name: fold(document.get(name) or "") for name, _ in fields}})
    return builder.build()


def test_the_index_is_the_one_lunr_builds_from_the_plain_text():
    """packed_index works the index out itself; not a single term or score
    may differ from lunr's own."""
    documents = [*SAMPLE, {"ref": 4, "title": "Services, services and SERVICES", "body": "Leeds leeds-based ß æther"},
                 {"ref": 5, "title": "The and of", "body": "running runs ran"}, {"ref": 6, "title": "the"}]
    fields = [("title", 10), ("body", 1)]
    assert packed_index(fields, documents) == pack(lunr_index(fields, documents).serialize())
    # Documents in any order give the same index.
    assert packed_index(fields, documents[::-1]) == packed_index(fields, documents)


def test_the_shards_of_the_built_site_are_lunrs_indexes(site):
    """The same check on the real site's texts as the build indexed them:
    ragged lengths, repeated words, words the pipeline drops."""
    index = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    assert index["shards"]
    for shard in index["shards"]:
        data = json.loads((site / "search" / shard["url"]).read_text(encoding="utf-8"))
        documents = [{"ref": ref, "body": text} for ref, text in zip(data["refs"], data["text"])]
        assert len(documents) > 5
        assert data["index"] == pack(lunr_index([("body", 1)], documents).serialize()), shard["name"]


def test_the_index_is_lunrs_on_synthetic_members():
    """Three boosted fields, as the first index has, over varied generated
    profiles (tools/synthetic.py)."""
    import random

    from tools.synthetic import synthetic_member
    from validation.vocabularies import load_vocabularies

    vocabularies = load_vocabularies(ROOT)
    rng = random.Random(7)
    documents = []
    for ref in range(150):
        slug, text = synthetic_member(ref, rng, vocabularies)
        header, _, body = text.partition("\n---\n")
        documents.append({"ref": ref, "title": slug.replace("-", " "), "keywords": header, "summary": body[:300]})
    fields = [("title", 10), ("keywords", 5), ("summary", 2)]
    assert packed_index(fields, documents) == pack(lunr_index(fields, documents).serialize())


def test_unpack_gives_back_lunrs_own_serialisation():
    serialized = lunr_index([("title", 10), ("body", 1)], SAMPLE).serialize()
    unpacked, expected = unpack(pack(serialized)), renumbered(serialized)
    # The order of field vectors means nothing to lunr: compare them as a mapping.
    assert dict(unpacked.pop("fieldVectors")) == dict(expected.pop("fieldVectors"))
    assert unpacked == expected


def test_a_packed_index_answers_exactly_as_the_original():
    from lunr.index import Index

    original = lunr_index([("title", 10), ("body", 1)], SAMPLE)
    reloaded = Index.load(unpack(packed_index([("title", 10), ("body", 1)], SAMPLE)))
    for query in ("leeds", "cafe", "servic*", "hub spoke", "gymraeg", "young"):
        assert [(r["ref"], r["score"]) for r in reloaded.search(query)] == \
               [(r["ref"], r["score"]) for r in original.search(query)], query


@pytest.mark.parametrize("text, folded", [
    ("Café", "cafe"), ("Ysgol Gymraeg", "ysgol gymraeg"), ("Eisteddfod Ŵyl", "eisteddfod wyl"),
    ("St Anne's", "st annes"), ("St Anne’s", "st annes"), ("PQQ: deadline", "pqq deadline"),
    ("BARCA-Leeds", "barca leeds"), ('"hub and spoke"', "hub and spoke"), ("lead*", "lead"), ("+~^", ""),
    ("under_score", "under score"), ("NIC100002", "nic100002"),
])
def test_fold(text, folded):
    assert fold(text) == folded


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_ascii_text_is_folded_by_its_table_as_by_the_rule(text):
    """ASCII text, most of what is indexed, is folded by a translation
    table; it must give what the general rule gives (apostrophes removed,
    lower case, every run of characters other than letters and digits one
    space) and the words packing reads."""
    by_rule = re.sub(r"[\W_]+", " ", text.replace("'", "").lower()).strip()
    assert fold(text) == by_rule
    assert folded_words(text) == (by_rule.split(" ") if by_rule else [])


# -- settings and set-up ---------------------------------------------------------------


def test_good_settings_pass_and_bad_ones_are_named():
    types = list(CONTENT_TYPES)
    settings = {}
    assert check_settings(settings, types) == []
    assert settings["SEARCH_INDEX_PATH"] == "search"
    bad = {"SEARCH_INDEX_PATH": "../elsewhere", "SEARCH_FIELD_BOOSTS": {"title": 0},
           "SEARCH_TEXT_SHARDS": {"all": ["member", "case_study", "cheese"]}, "SEARCH_FULL_TEXT_BELOW": -1,
           "SEARCH_PREFETCH_BYTES": "lots", "SEARCH_SUMMARY_CHARS": 10, "SEARCH_BACKGROUND_FROM": -5,
           "SEARCH_LUNR_JS": ""}
    problems = check_settings(bad, types)
    assert [problem.split(" ", 1)[0] for problem in problems] == list(bad)
    assert "found '../elsewhere'" in problems[0]
    assert problems[2] == (
        "SEARCH_TEXT_SHARDS must map shard names (lower-case letters, digits, hyphens) to lists of content types, "
        "each of member, case_study, model, tender, guide, event, page in exactly one shard; "
        "unknown: cheese; missing: model, tender, guide, event, page")
    assert bad["SEARCH_INDEX_PATH"] == "search"  # put back to the default


def test_the_build_fails_plainly_when_lunr_js_is_not_installed(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "node_modules").unlink()
    result = run_build(tmp_path / "output", root=project)
    assert result.returncode != 0
    assert "search_index: node_modules/lunr/lunr.min.js is missing" in result.stdout
    assert "run `make setup`" in result.stdout
    assert not (tmp_path / "output").exists()


# -- the search page without JavaScript ----------------------------------------------------


def test_the_search_page_is_a_plain_form_that_says_search_needs_javascript(site):
    document = built_page(site, "search/")
    assert len(document.find_all("h1")) == 1
    form = document.find("form", class_="app-search-form")
    assert form["action"] == "/search/" and form.get("method") == "get"
    field = form.find("input", attrs={"name": "q"})
    assert document.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    assert document.find(attrs={"role": "status"})
    assert "Search needs JavaScript" in document.find(class_="app-search__no-js").get_text()
    links = {a["href"] for a in document.find(class_="app-search__no-js").find_all("a")}
    assert {"/members/", "/case-studies/", "/models/", "/tenders/", "/guides/", "/events/"} <= links


def test_scripts_load_only_on_the_search_page_with_no_inline_handlers(site):
    scripts = [s["src"] for s in built_page(site, "search/").find_all("script", src=True)]
    assert scripts == ["/theme/js/js-enabled.js", "/theme/js/lunr.min.js", "/theme/js/search.js"]
    for url in ("", "members/disc/"):
        assert not any("search.js" in s.get("src", "") for s in built_page(site, url).find_all("script"))
    for tag in built_page(site, "search/").find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")], tag.name


def test_the_sub_path_build_points_search_at_the_sub_path(subpath_site):
    output, siteurl = subpath_site
    document = built_page(output, "search/")
    container = document.find(attrs={"data-module": "app-search"})
    assert container["data-index-url"] == f"{siteurl}/search/index.json"
    assert container["data-site-url"] == siteurl
    assert [s["src"] for s in document.find_all("script", src=True)] == \
           [f"{siteurl}/theme/js/js-enabled.js", f"{siteurl}/theme/js/lunr.min.js", f"{siteurl}/theme/js/search.js"]


# -- in Chromium -----------------------------------------------------------------------------

browser_test = pytest.mark.browser


def wait_for_answer(page, timeout=15_000):
    page.wait_for_function("document.querySelector('[role=status]').textContent.trim().length > 0",
                           timeout=timeout)


def search(page, base: str, query: str) -> list[str]:
    """Open /search/?q=query; return the result URLs shown, in order."""
    page.goto(f"{base}/search/?q={quote(query)}")
    wait_for_answer(page)
    return result_urls(page)


def result_urls(page) -> list[str]:
    return page.eval_on_selector_all(".app-search-result__link", "links => links.map(a => a.href)")


def paths(urls: list[str], base: str) -> list[str]:
    return [url[len(base) + 1:] if url.startswith(base + "/") else url for url in urls]


def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@browser_test
def test_leeds_puts_the_leeds_case_study_in_the_top_three(page, site_url):
    assert LEEDS_CASE_STUDY in paths(search(page, site_url, "Leeds"), site_url)[:3]
    assert not page.page_errors


@browser_test
def test_hub_and_spoke_finds_the_special_purpose_vehicle_model(page, site_url):
    assert paths(search(page, site_url, "hub and spoke"), site_url)[0] == SPV_MODEL


@browser_test
def test_every_identifier_of_every_example_member_finds_it(page, site_url, content):
    examples = {slug: meta for slug, (_, meta) in content["member"].items() if slug.startswith("example-")}
    checked = 0
    for slug, meta in examples.items():
        for field in IDENTIFIERS:
            if meta.get(field):
                found = paths(search(page, site_url, meta[field]), site_url)
                assert found[:1] == [f"members/{slug}/"], (field, meta[field], found)
                checked += 1
    assert checked >= 3, "the example members should show every kind of identifier"
    assert not page.page_errors


@browser_test
def test_matched_words_are_highlighted_and_results_labelled_by_type(page, site_url):
    search(page, site_url, "Leeds")
    result = page.locator(".app-search-result", has=page.locator(f'a[href$="/{LEEDS_CASE_STUDY}"]'))
    assert result.locator(".app-search-result__type").text_content() == "Case study"
    marks = result.locator("mark").all_text_contents()
    assert marks and all(fold(mark).startswith("leeds") for mark in marks)


@browser_test
def test_every_result_url_resolves(page, site_url):
    seen = set()
    for query in ("Leeds", "hub and spoke", "youth", "consortium", "PQQ", "tender deadline"):
        search(page, site_url, query)
        while page.locator(".app-search__more").count():
            page.locator(".app-search__more").click()
        seen.update(result_urls(page))
    assert len(seen) > 20
    for url in sorted(seen):
        assert url.startswith(site_url + "/")
        assert page.request.get(url).status == 200, url


@browser_test
@pytest.mark.parametrize("query", AWKWARD_QUERIES, ids=lambda q: q[:30])
def test_awkward_queries_give_results_or_a_friendly_message(page, site_url, query):
    errors = console_errors(page)
    found = search(page, site_url, query)
    assert not page.page_errors and not errors
    if not found:
        none = page.locator(".app-search__none")
        assert none.is_visible()
        assert none.locator("li").count() >= 3, "no suggestions"
        assert none.locator("a[href$='/members/']").count() == 1
    assert page.locator("img, script", has_text="").evaluate_all(
        "nodes => nodes.filter(n => n.closest('.app-search__results')).length") == 0


@browser_test
def test_results_appear_as_you_type_and_the_count_is_announced(page, site_url):
    page.goto(f"{site_url}/search/")
    page.wait_for_function("!document.querySelector('.app-search__results').hidden")
    page.wait_for_load_state("networkidle")
    field = page.locator("#app-search-q")
    field.press_sequentially("Lee", delay=80)
    page.wait_for_selector(".app-search-result")
    assert LEEDS_CASE_STUDY in paths(result_urls(page), site_url)
    page.wait_for_url("**/search/?q=Lee")  # shareable once typing pauses
    count = int(page.locator(".app-search__count").text_content().split()[0])
    page.wait_for_function(f"document.querySelector('[role=status]').textContent.startsWith('{count} result')")
    assert page.get_attribute("[role=status]", "aria-live") == "polite"
    assert not page.page_errors


@browser_test
def test_a_shared_search_url_runs_on_load(page, site_url):
    found = search(page, site_url, "Leeds")
    assert found and page.input_value("#app-search-q") == "Leeds"
    # More results can arrive when a full-text shard loads: wait until the
    # announcement and the visible count agree, rather than read them at
    # two moments.
    page.wait_for_function("""() => {
        const said = document.querySelector('[role=status]').textContent.trim().split(/\\s+/)[0];
        const shown = document.querySelector('.app-search__count');
        return shown && said !== '' && said === String(parseInt(shown.textContent, 10));
    }""", timeout=15_000)


@browser_test
def test_the_kind_filter_shows_one_type_and_is_announced(page, site_url):
    search(page, site_url, "Leeds")
    page.get_by_role("button", name=re.compile(r"^Case studies")).click()
    assert paths(result_urls(page), site_url) == [LEEDS_CASE_STUDY]
    assert page.get_attribute(".app-search__type[aria-pressed=true]", "class")
    page.wait_for_function("document.querySelector('[role=status]').textContent.startsWith('1 case study shown')")
    assert "type=case_study" in page.url


@browser_test
def test_keyboard_alone_from_the_header_box_to_the_case_study(page, site_url):
    page.goto(f"{site_url}/")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "app-header-q":
            break
    assert page.evaluate("document.activeElement.id") == "app-header-q"
    page.keyboard.type("Leeds")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Leeds")
    wait_for_answer(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.href || ''").endswith(LEEDS_CASE_STUDY):
            break
    else:
        pytest.fail("Tab never reached the Leeds case study")
    outline, shadow = page.evaluate("(s => [s.outlineStyle, s.boxShadow])(getComputedStyle(document.activeElement))")
    assert outline != "none" or shadow != "none", "focus is not visible"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{LEEDS_CASE_STUDY}")


@browser_test
def test_show_more_results_moves_focus_to_the_first_new_result(page, site_url):
    search(page, site_url, "consortium")
    assert page.locator(".app-search-result").count() == 20
    page.locator(".app-search__more").focus()
    page.keyboard.press("Enter")
    assert page.locator(".app-search-result").count() > 20
    assert page.evaluate("document.activeElement.href") == result_urls(page)[20]


@browser_test
def test_a_narrow_screen_shows_results_without_sideways_scrolling(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  bypass_csp=True)  # as conftest's page fixture
    tab = context.new_page()
    try:
        assert LEEDS_CASE_STUDY in paths(search(tab, site_url, "Leeds"), site_url)[:3]
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360
        link = tab.locator(f'.app-search-result__link[href$="/{LEEDS_CASE_STUDY}"]')
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
        link.tap()
        tab.wait_for_url(f"**/{LEEDS_CASE_STUDY}")
    finally:
        context.close()


@browser_test
def test_search_keeps_working_offline_once_loaded(browser, site_url):
    context = browser.new_context(bypass_csp=True)  # as conftest's page fixture
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        search(tab, site_url, "Leeds")
        tab.wait_for_load_state("networkidle")  # the small full-text shards are prefetched
        context.set_offline(True)
        field = tab.locator("#app-search-q")
        for query, expected in (("hub and spoke", SPV_MODEL), ("PQQ", "case-studies/northumberland-hidden-harm/")):
            field.fill(query)
            field.press("Enter")
            tab.wait_for_function(f"document.querySelector('[role=status]').textContent.includes({json.dumps(query)})")
            assert expected in paths(result_urls(tab), site_url), query
        assert not errors
    finally:
        context.close()


@browser_test
def test_search_asks_no_other_host_and_fetches_the_first_index_only_up_front(page, site_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    search(page, site_url, "Leeds")
    page.wait_for_load_state("networkidle")
    assert all(urlsplit(url).netloc == urlsplit(site_url).netloc for url in requested), requested
    first = [url for url in requested if "/search/" in url and url.endswith(".json")]
    assert first[0].endswith("/search/index.json")


@browser_test
def test_when_the_index_cannot_load_the_lists_are_offered(page, site_url):
    page.route("**/search/index.json", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(f"{site_url}/search/?q=Leeds")
    wait_for_answer(page)
    assert "could not load" in page.locator(".app-search__results").text_content()
    assert page.locator(".app-search__no-js a[href$='/members/']").is_visible()
    assert not page.page_errors


@browser_test
def test_without_javascript_the_page_says_so_and_links_to_the_lists(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(f"{site_url}/search/?q=Leeds")
        assert tab.locator(".app-search__no-js-message").is_visible()
        assert tab.locator(".app-search__no-js a[href='/members/']").is_visible()
        tab.locator("#app-header-q").fill("youth")
        tab.locator("#app-header-q").press("Enter")
        tab.wait_for_url("**/search/?q=youth")
    finally:
        context.close()


@browser_test
def test_lunr_js_answers_as_lunr_python_on_the_same_index(page, site_url, index):
    """The serialised index lunr (Python) built, loaded by lunr.js in Chromium."""
    from lunr.index import Index

    serialized = unpack(index["index"])
    page.goto(f"{site_url}/search/")
    page.wait_for_function("window.lunr !== undefined")
    python = Index.load(serialized)
    for query in ("leeds", "hub spoke", "youth servic*", "1234567", "consortium"):
        in_javascript = page.evaluate(
            "([data, query]) => lunr.Index.load(data).search(query).map(r => [r.ref, Math.round(r.score * 1e6)])",
            [serialized, query])
        in_python = [[r["ref"], round(r["score"] * 1e6)] for r in python.search(query)]
        assert in_javascript == in_python, query


@browser_test
def test_axe_finds_no_violation_with_results_shown(page, site_url):
    from test_browser_accessibility import describe, run_axe

    search(page, site_url, "Leeds")
    page.wait_for_load_state("networkidle")
    assert page.locator("mark").count()
    violations = run_axe(page)
    assert not violations, describe(violations)
    search(page, site_url, "zzqqx")
    violations = run_axe(page)
    assert not violations, describe(violations)


# -- under a sub-path, served for real ---------------------------------------------------------


@pytest.fixture(scope="module")
def served_subpath(tmp_path_factory):
    """The site built for http://127.0.0.1:PORT/consortium and served there."""
    parent = tmp_path_factory.mktemp("served-subpath")
    server = serve(parent)
    siteurl = f"http://127.0.0.1:{server.server_address[1]}/consortium"
    result = run_build(parent / "consortium", siteurl=siteurl)
    assert result.returncode == 0, result.stdout + result.stderr
    yield siteurl
    server.shutdown()


@browser_test
def test_search_works_under_a_sub_path(page, served_subpath):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    found = search(page, served_subpath, "Leeds")
    assert LEEDS_CASE_STUDY in paths(found, served_subpath)[:3]
    for url in found:
        assert url.startswith(served_subpath + "/")
        assert page.request.get(url).status == 200, url
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(served_subpath + "/") for url in requested), requested
    assert not page.page_errors


def test_the_background_build_gives_what_the_build_in_process_gives():
    """A large site builds its search files in a forked process
    (SEARCH_BACKGROUND_FROM); the result must be byte for byte the same, and
    a failure there must reach the build as an error, not vanish."""
    from incremental import parallel as background

    documents = [{"ref": d["ref"], "title": d["title"], "body": d["body"]} for d in SAMPLE]
    in_process = background.start(packed_index, ([("title", 10), ("body", 1)], documents), in_background=False)
    forked = background.start(packed_index, ([("title", 10), ("body", 1)], documents), in_background=True)
    assert forked.result() == in_process.result()
    failing = background.start(packed_index, ([("title", 10)], [{"title": "no ref"}]), in_background=True)
    with pytest.raises(background.BackgroundError, match="KeyError"):
        failing.result()
