"""The member directory: static filter pages, profiles, structured data,
open data, print, and live filtering in Chromium."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re

import pytest

from building import ROOT, run_build
from content_types.directory import FILTERS, member_values
from member_data.columns import DESCRIPTIONS, columns, csv_value
from member_data.writer import FILTER_ROW_FIELDS
from site_helpers import page
from tools.synthetic import copy_project, write_members
from validation.validate import org_ids


def expected_slugs(members, project, filter_name, value):
    filter_ = next(f for f in FILTERS if f.name == filter_name)
    return {slug for slug, meta in members.items()
            if value in member_values(meta, filter_, project.vocabularies)}


def listed_slugs(document):
    return {a["href"].strip("/").split("/")[-1] for a in document.select(".app-card__title a")}


# -- static pages -------------------------------------------------------------


def test_every_member_is_listed_on_the_directory(site, members):
    assert listed_slugs(page(site, "members/")) == set(members)


def test_a_card_is_the_same_on_every_page_but_for_its_headings_level(site, members):
    """Cards are rendered once and given the heading level of each page:
    third level on the directory (under "All organisations"), second on a
    filter page (under its title); nothing else in the card differs."""
    def cards(url):
        document = page(site, url)
        return {card.select_one(".app-card__title a")["href"]: card for card in document.select("li.app-card")}

    directory, services = cards("members/"), cards("members/services/youth-services/")
    assert services and set(services) <= set(directory)
    for href, card in services.items():
        assert card.select_one(".app-card__title").name == "h2"
        assert directory[href].select_one(".app-card__title").name == "h3"
        assert str(directory[href]).replace("<h3 ", "<h2 ").replace("</h3>", "</h2>") == str(card)


def test_each_filter_value_has_a_page_listing_exactly_its_members(site, project, members):
    for filter_ in FILTERS:
        values = project.vocabularies[filter_.vocabulary].terms if filter_.vocabulary else ["yes"]
        for value in values:
            wanted = expected_slugs(members, project, filter_.name, value)
            url = f"members/{filter_.folder}/" + (f"{value}/" if filter_.vocabulary else "")
            if not wanted:
                assert not (site / url).exists(), f"{url} should not exist: nobody matches"
                continue
            assert listed_slugs(page(site, url)) == wanted, url


def test_an_area_page_includes_members_of_larger_and_smaller_areas(site, members):
    leeds = listed_slugs(page(site, "members/areas/leeds/"))
    region = listed_slugs(page(site, "members/areas/yorkshire-and-the-humber/"))
    assert "disc" in leeds and "disc" in region  # DISC serves Leeds, which is in the region
    northern = {slug for slug, meta in members.items() if "yorkshire-and-the-humber" in meta["areas"]}
    assert northern and northern <= leeds


def area_note(area: str, entries: list[dict]) -> str:
    """What an area's page says it includes, worked out from areas.yml as a
    reader would: the areas containing it, nearest first, and the areas
    directly inside it (with a word for any further down)."""
    parent = {e["id"]: e.get("parent") for e in entries}
    label = {e["id"]: e["label"] for e in entries}
    larger, up = [], parent[area]
    while up:
        larger.append(label[up])
        up = parent[up]
    if not larger:
        return "Only organisations that work across the whole country are listed, not every one that works in part of it."
    inside = [e["id"] for e in entries if e.get("parent") == area]
    deeper = any(parent[e["id"]] in inside for e in entries)
    containing = ", ".join(larger[:-1]) + " or " + larger[-1] if len(larger) > 1 else larger[0]
    note = f"This includes organisations working across a larger area that contains {label[area]} ({containing})"
    if inside:
        note += ", and organisations working in part of it (" + ", ".join(label[i] for i in inside)
        note += ", or an area within them)" if deeper else ")"
    return note + "."


def test_each_area_page_says_which_larger_and_smaller_areas_it_includes(site):
    import yaml

    entries = yaml.safe_load((ROOT / "content/_data/areas.yml").read_text(encoding="utf-8"))
    pages = sorted(p.parent.name for p in (site / "members/areas").glob("*/index.html"))
    kinds = set()
    for area in pages:
        lead = " ".join(page(site, f"members/areas/{area}/").select_one(".app-lead").get_text().split())
        note = area_note(area, entries)
        assert lead.endswith(" " + note), (area, lead)
        kinds.add(("parts" if "in part of it" in note else "") + ("deeper" if "within them" in note else ""))
    # The real areas give every form of the note: a local area, a nation
    # with local areas, and a nation with regions that hold local areas.
    assert {"", "parts", "partsdeeper"} <= kinds, kinds


def test_long_lists_are_paginated_and_the_first_page_stays_small(tmp_path):
    project = copy_project(tmp_path / "project")
    write_members(project / "members", 120)
    output = tmp_path / "output"
    result = run_build(output, root=project)
    assert result.returncode == 0, result.stdout + result.stderr
    first = page(output, "members/")
    third = page(output, "members/page/3/")
    assert len(first.select(".app-card")) == 50
    assert third.select(".app-card") and third.find("a", attrs={"aria-current": "page"}).get_text() == "3"
    assert first.find("a", rel="next")["href"] == "/members/page/2/"
    size = len(gzip.compress((output / "members" / "index.html").read_bytes()))
    assert size < 100 * 1024


# -- profiles -----------------------------------------------------------------


def test_profiles_show_every_field_given(site, members, project):
    for slug, meta in members.items():
        document = page(site, f"members/{slug}/")
        terms = [dt_.get_text(strip=True) for dt_ in document.select(".app-summary-list dt")]
        assert "Legal form" in terms and "Services" in terms and "Last verified" in terms
        text = document.select_one(".app-summary-list").get_text(" ", strip=True)
        for field in ("website", "email", "phone", "charity_number", "company_number", "scottish_charity_number"):
            if meta.get(field):
                assert meta[field] in text, f"{slug}: {field} not shown"
        for service in meta["services"]:
            assert document.find("a", href=f"/members/services/{service}/"), f"{slug}: {service} not linked"


def test_identifiers_link_to_their_public_register(site, members):
    example = next(slug for slug, meta in members.items() if meta.get("charity_number"))
    number = members[example]["charity_number"]
    document = page(site, f"members/{example}/")
    link = document.find("a", string=number)
    assert link["href"].startswith("https://register-of-charities.charitycommission.gov.uk/") and number in link["href"]


def test_edit_link_opens_the_profile_editor_first_then_the_file_on_github(site, members):
    for slug in members:
        editor, github = page(site, f"members/{slug}/").select(".app-edit a")
        assert editor.get_text().startswith("Edit this profile")
        assert editor["href"] == f"/contribute/profile/?member={slug}"
        assert github["href"].endswith(f"/edit/main/members/{slug}.md")


def test_profiles_have_schema_org_json_ld_and_open_graph(site, members, project):
    for slug, meta in members.items():
        document = page(site, f"members/{slug}/")
        assert document.find("meta", property="og:title")["content"] == meta["name"]
        scripts = document.find_all("script", type="application/ld+json")
        if meta.get("example"):  # made up: not marked up as a real organisation
            assert scripts == [], slug
            continue
        data = json.loads(scripts[0].string)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] in ("NGO", "Organization")
        assert data["name"] == meta["name"] and data["mainEntityOfPage"].endswith(f"/members/{slug}/")
        assert data.get("url") == meta.get("website"), "url is the organisation's own website"
        assert data["areaServed"] == [project.vocabularies["areas"].label(a) for a in meta["areas"]]
        expected_ids = org_ids(meta, project.schemas["member"])
        assert [f"{i['propertyID']}-{i['value']}" for i in data.get("identifier", [])] == expected_ids
    disc = json.loads(page(site, "members/disc/").find("script", type="application/ld+json").string)
    assert "Leeds Community Drugs Services" in [m["name"] for m in disc["memberOf"]]


def test_json_ld_cannot_be_broken_out_of(site):
    # tojson escapes <, > and & so a field cannot close the script element.
    for path in (site / "members").glob("*/index.html"):
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', path.read_text(), re.S)
        if script:
            assert "<" not in script.group(1)


# -- open data ----------------------------------------------------------------


def test_members_csv_reads_back_as_the_content(site, members, project):
    text = (site / "data" / "members.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == [name for name, _ in columns(project.schemas["member"])]
    assert {row["slug"] for row in rows} == set(members)
    for row in rows:
        meta = members[row["slug"]]
        assert row["name"] == csv_value(meta["name"])
        assert row["summary"] == csv_value(meta["summary"])
        assert row["services"] == "; ".join(meta["services"])
        assert row["areas"] == "; ".join(meta["areas"])
        assert row["org_ids"] == "; ".join(org_ids(meta, project.schemas["member"]))
        assert row["last_verified"] == meta["last_verified"].isoformat()


def test_members_json_reads_back_as_the_content(site, members, project):
    document = json.loads((site / "data" / "members.json").read_text())
    assert [c["name"] for c in document["columns"]] == [name for name, _ in columns(project.schemas["member"])]
    assert document["licence"]
    by_slug = {m["slug"]: m for m in document["members"]}
    assert set(by_slug) == set(members)
    for slug, meta in members.items():
        record = by_slug[slug]
        assert record["name"] == meta["name"] and record["services"] == meta["services"]
        assert record["org_ids"] == org_ids(meta, project.schemas["member"])
        for flag in ("can_lead_bids", "looking_for_partners", "vcse"):
            if flag in meta:
                assert record[flag] is meta[flag]
        assert "maintainers" not in record
    assert "leeds-community-drugs-services" in by_slug["disc"]["case_studies"]


def test_the_data_page_explains_every_column_and_the_licence(site, project):
    document = page(site, "data/")
    text = document.get_text(" ")
    for name, _ in columns(project.schemas["member"]):
        assert document.find("code", string=name), f"column {name} is not explained"
    assert "CC BY 4.0" in text
    for href in ("/data/members.csv", "/data/members.json"):
        assert document.find("a", href=href)


#: Advice for someone editing a profile, which the schema's descriptions give
#: and the open data's column notes must not.
EDITING_ADVICE = ("Put it in quotes", "Leave out", "without the @", "in quotes", "your ", "You ")


def test_column_notes_describe_the_data_for_its_users_not_for_editors(site, project):
    schema = project.schemas["member"]
    described = dict(columns(schema))
    assert set(described) <= set(DESCRIPTIONS), \
        "describe every column for data users in plugins/member_data/columns.py DESCRIPTIONS"
    rows = page(site, "data/").find(id="columns-caption").find_parent("table").tbody.find_all("tr")
    assert [row.th.get_text(strip=True) for row in rows] == list(described)
    for row in rows:
        name, note = row.th.get_text(strip=True), row.td.get_text(" ", strip=True)
        assert note == described[name]
        for advice in EDITING_ADVICE:
            assert advice not in note, f"{name}: '{advice}' is advice for editors"
    assert "Put it in quotes" in schema["properties"]["company_number"]["description"], \
        "the schema keeps its advice for editors"
    document = json.loads((site / "data" / "members.json").read_text(encoding="utf-8"))
    assert {c["name"]: c["description"] for c in document["columns"]} == described


def test_spreadsheet_formulas_are_made_inert():
    assert csv_value("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_value("+44 113 496 0000") == "'+44 113 496 0000"
    assert csv_value(["a", "b"]) == "a; b"
    assert csv_value(True) == "true" and csv_value(None) == ""


# -- in the browser -------------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def results(page_):
    return {a.get_attribute("href").strip("/").split("/")[-1] for a in page_.query_selector_all("#member-results .app-card__title a")}


def count_for(page_, box_id):
    return page_.text_content(f'label[for="{box_id}"] .app-count')


def expected_matches(members, project, state: dict[str, set[str]]) -> int:
    """How many members meet every filter in ``state`` ({filter name: the
    values ticked in it}), any of a filter's values being enough."""
    filters = {f.name: f for f in FILTERS}
    return sum(all(set(member_values(meta, filters[name], project.vocabularies)) & wanted
                   for name, wanted in state.items() if wanted)
               for meta in members.values())


def listed_count(page_) -> int:
    text = page_.text_content(".app-results-count")
    number = re.match(r"(\d+) organisations? match", text)
    assert number or text.startswith("No organisations match"), text
    return int(number.group(1)) if number else 0


def as_count(n: int) -> str:
    return f"({n})"


@pytest.mark.browser
def test_two_filters_combine_and_counts_follow(page, site_url, members, project):
    page.goto(f"{site_url}/members/")
    page.wait_for_selector(".app-directory--live")
    page.check("#filter-service-drugs-and-alcohol")
    page.check("#filter-area-leeds")
    wanted = expected_slugs(members, project, "service", "drugs-and-alcohol") & \
        expected_slugs(members, project, "area", "leeds")
    assert results(page) == wanted
    assert page.text_content(".app-results-count") == f"{len(wanted)} organisations match the selected filters"
    # Each option shows how many members meet the other filters and have it
    # (within a filter, values combine with OR).
    youth = expected_matches(members, project, {"service": {"youth-services"}, "area": {"leeds"}})
    assert count_for(page, "filter-service-youth-services") == f"({youth})"
    empty = page.query_selector_all(".app-checkbox--empty input:disabled")
    assert empty, "options that would bring no member are marked and cannot be ticked"
    assert "service=drugs-and-alcohol" in page.url and "area=leeds" in page.url
    assert not page.page_errors


@pytest.mark.browser
def test_each_option_shows_how_many_members_it_brings(page, site_url, members, project):
    state = {"service": {"youth-services"}, "area": {"northumberland"}}
    page.goto(f"{site_url}/members/?service=youth-services&area=northumberland")
    page.wait_for_selector(".app-directory--live")
    now = listed_count(page)
    assert now == expected_matches(members, project, state) > 0
    boxes = page.eval_on_selector_all(
        "[data-module=app-member-filter] input[type=checkbox]",
        "boxes => boxes.filter(box => box.getClientRects().length).map(box => [box.id, box.name, box.value])")
    assert len(boxes) > 40, "every option of every filter is on the page"
    grown = 0
    for box_id, name, value in boxes:
        shown = count_for(page, box_id)
        # The members meeting every other filter that have this value.
        brings = expected_matches(members, project, {**state, name: {value}})
        assert shown == as_count(brings), f"{box_id} said {shown}; {brings} members have it"
        marked = page.eval_on_selector(f"#{box_id}", "box => box.parentNode.classList.contains('app-checkbox--empty')")
        disabled = page.is_disabled(f"#{box_id}")
        if page.is_checked(f"#{box_id}"):
            assert not marked and not disabled
            continue
        assert marked == disabled == (brings == 0), f"{box_id}: only options that bring nobody are marked"
        if disabled:
            continue
        page.check(f"#{box_id}")
        after = listed_count(page)
        assert after == expected_matches(members, project, {**state, name: state.get(name, set()) | {value}})
        if name not in state:  # a filter not in use yet: the count is the list once it is ticked
            assert after == brings
        grown += after > now
        page.uncheck(f"#{box_id}")
        assert listed_count(page) == now
    assert grown >= 2, "ticking another service or area adds members (values within a filter combine with OR)"
    assert not page.page_errors


def option_counts(rows: list, filters: list, state: list[set[int]]) -> list[list[int]]:
    """For every option, how many of the filter data's ``rows`` meet every
    other filter in use and have that option's value (``state``: the value
    indexes ticked per filter)."""
    at = [FILTER_ROW_FIELDS.index(filter_["name"]) for filter_ in filters]

    def listed(wanted):
        return sum(all(set(row[at[f]]) & values for f, values in enumerate(wanted) if values) for row in rows)

    return [[listed([{v} if g == f else values for g, values in enumerate(state)])
             for v in range(len(filter_["values"]))] for f, filter_ in enumerate(filters)]


@pytest.mark.browser
def test_live_filtering_stays_correct_and_fast_with_ten_thousand_members(page, site_url, site):
    from tools.bench_directory import TARGETS, TIME_A_CLICK

    data = json.loads((site / "members" / "filter-data.json").read_text(encoding="utf-8"))
    real = data["members"]
    slug, name = (FILTER_ROW_FIELDS.index(field) for field in ("slug", "name"))
    data["members"] = [[f"{m[slug]}-{i}" if k == slug else f"{m[name]} {i}" if k == name else value
                        for k, value in enumerate(m)] for i in range(10000 // len(real) + 1) for m in real][:10000]
    body = json.dumps(data)
    page.route("**/members/filter-data.json",
               lambda route: route.fulfill(body=body, content_type="application/json"))
    page.goto(f"{site_url}/members/")
    page.wait_for_selector(".app-directory--live")
    assert listed_count(page) == 10000
    clicks = ("#filter-service-youth-services", "#filter-area-northumberland", "#filter-lead")
    timings = [page.evaluate(TIME_A_CLICK, box) for box in clicks[:2]]
    # Only the first page of the results is drawn.
    assert listed_count(page) > 50 and len(page.query_selector_all("#member-results .app-card")) == 50
    filters = data["filters"]
    state = [set() for _ in filters]
    state[0].add(filters[0]["values"].index("youth-services"))
    state[1].add(filters[1]["values"].index("northumberland"))
    expected = option_counts(data["members"], filters, state)
    for f, filter_ in enumerate(filters):
        for v, value in enumerate(filter_["values"]):
            box = f"filter-{filter_['name']}" if filter_["values"] == ["yes"] else f"filter-{filter_['name']}-{value}"
            if page.query_selector(f"#{box}"):
                assert count_for(page, box) == as_count(expected[f][v]), box
    # The third on, then all off, on and off again: ten changes in all.
    timings += [page.evaluate(TIME_A_CLICK, box) for box in clicks[2:] + clicks[::-1] + clicks + clicks[::-1]]
    timings.sort()
    assert timings[len(timings) // 2] < TARGETS["filter_ms"], \
        f"a filter change takes {timings} ms from the click to the next frame"
    assert not page.page_errors


@pytest.mark.browser
def test_the_url_restores_the_state_and_the_back_button_works(page, site_url):
    page.goto(f"{site_url}/members/?service=drugs-and-alcohol&area=leeds")
    page.wait_for_selector(".app-directory--live")
    assert page.is_checked("#filter-service-drugs-and-alcohol") and page.is_checked("#filter-area-leeds")
    both = results(page)
    page.reload()
    page.wait_for_selector(".app-directory--live")
    assert results(page) == both
    page.uncheck("#filter-area-leeds")
    assert "area=leeds" not in page.url
    page.go_back()
    page.wait_for_function("document.querySelector('#filter-area-leeds').checked")
    assert results(page) == both


@pytest.mark.browser
def test_filters_work_with_the_keyboard_alone(page, site_url, members, project):
    page.goto(f"{site_url}/members/")
    page.wait_for_selector(".app-directory--live")
    page.focus("#app-header-q")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filter-lead":
            break
    else:
        pytest.fail("the 'can lead bids' filter cannot be reached with Tab")
    page.keyboard.press("Space")
    assert results(page) == expected_slugs(members, project, "lead", "yes")
    # A selected-filter tag removes the filter from the keyboard too.
    page.focus(".app-selected__tag")
    page.keyboard.press("Enter")
    assert results(page) == set(members)


@pytest.mark.browser
def test_axe_finds_nothing_with_filters_applied(page, site_url):
    page.goto(f"{site_url}/members/?service=drugs-and-alcohol&area=leeds")
    page.wait_for_selector(".app-directory--live")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', "
                               "'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}}).then(r => r.violations)")
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def after_content(page_, selector: str) -> str:
    """What a print style sheet writes after the first element matching ``selector``."""
    return page_.evaluate("selector => getComputedStyle(document.querySelector(selector), '::after').content",
                          selector)


@pytest.mark.browser
def test_a_printed_profile_is_a_clean_document(page, site_url, site):
    page.goto(f"{site_url}/members/example-youth-trust/")
    page.emulate_media(media="print")
    for selector in (".app-header", ".app-header__search", ".app-nav", ".app-breadcrumbs", ".app-footer",
                     ".app-edit", ".app-skip-link", "#tenders-heading"):
        assert page.query_selector(selector), f"{selector} is not on the profile: update this test"
        assert not page.is_visible(selector), f"{selector} is printed"
    assert page.is_visible(".app-summary-list") and page.is_visible(".app-notice--example")
    assert "http" in after_content(page, '.app-summary-list a[href^="http"]'), "link targets are written out"
    # Service and area tags lead only to the directory; an email address is its own target.
    assert after_content(page, ".app-tag a") == "none"
    assert after_content(page, '.app-summary-list a[href^="mailto:"]') == "none"
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the capability statement prints on {pages} pages"


@pytest.mark.browser
def test_a_printed_profile_writes_out_the_sites_own_links(page, site_url, site):
    # A profile that names its consortia links to their case studies with
    # root-relative addresses (SITEURL is empty in this build).
    slug = next(path.parent.name for path in sorted((site / "members").glob("*/index.html"))
                if page_links(path, "/case-studies/"))
    page.goto(f"{site_url}/members/{slug}/")
    page.emulate_media(media="print")
    link = 'main a[href^="/case-studies/"]'
    assert after_content(page, link) == f'" ({page.get_attribute(link, "href")})"'


def page_links(path, prefix: str) -> bool:
    return f'href="{prefix}' in path.read_text(encoding="utf-8").split("<main", 1)[-1]
