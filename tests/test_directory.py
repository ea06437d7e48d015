"""The member directory: static filter pages, profiles, structured data,
open data, print, and live filtering in Chromium."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re

import pytest

from building import ROOT, SITE_TODAY, run_build
from content_types.directory import FILTERS, member_values
from member_data.columns import columns, csv_value
from site_helpers import page
from tools.synthetic import copy_project, write_members
from validation.project import Project
from validation.validate import org_ids


@pytest.fixture(scope="module")
def project():
    return Project(ROOT, dt.date.fromisoformat(SITE_TODAY))


@pytest.fixture(scope="module")
def members(project):
    entries, _, _ = project.check_all()
    return {slug: meta for slug, (_, meta) in entries["member"].items()}


def expected_slugs(members, project, filter_name, value):
    filter_ = next(f for f in FILTERS if f.name == filter_name)
    return {slug for slug, meta in members.items()
            if value in member_values(meta, filter_, project.vocabularies)}


def listed_slugs(document):
    return {a["href"].strip("/").split("/")[-1] for a in document.select(".app-card__title a")}


# -- static pages -------------------------------------------------------------


def test_every_member_is_listed_on_the_directory(site, members):
    assert listed_slugs(page(site, "members/")) == set(members)


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


def test_edit_link_opens_the_profile_file_on_github(site, members):
    for slug in members:
        link = page(site, f"members/{slug}/").select_one(".app-edit a")
        assert link.get_text().startswith("Edit this profile")
        assert link["href"].endswith(f"/edit/main/members/{slug}.md")


def test_profiles_have_schema_org_json_ld_and_open_graph(site, members, project):
    for slug, meta in members.items():
        document = page(site, f"members/{slug}/")
        data = json.loads(document.find("script", type="application/ld+json").string)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] in ("NGO", "Organization")
        assert data["name"] == meta["name"] and data["url"].endswith(f"/members/{slug}/")
        assert data["areaServed"] == [project.vocabularies["areas"].label(a) for a in meta["areas"]]
        expected_ids = org_ids(meta, project.schemas["member"])
        assert [i["value"] for i in data.get("identifier", [])] == expected_ids
        if meta.get("website"):
            assert data["sameAs"] == [meta["website"]]
        assert document.find("meta", property="og:title")["content"] == meta["name"]
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


@pytest.mark.browser
def test_two_filters_combine_and_counts_follow(page, site_url, members, project):
    page.goto(f"{site_url}/members/")
    page.wait_for_selector(".app-directory--live")
    page.check("#filter-service-drugs-and-alcohol")
    page.check("#filter-area-leeds")
    wanted = expected_slugs(members, project, "service", "drugs-and-alcohol") & \
        expected_slugs(members, project, "area", "leeds")
    assert results(page) == wanted
    assert page.text_content(".app-results-count") == f"{len(wanted)} members match the selected filters"
    # Each option shows how many members it would leave with the other filters.
    in_leeds = expected_slugs(members, project, "area", "leeds")
    youth = expected_slugs(members, project, "service", "youth-services") & in_leeds
    assert count_for(page, "filter-service-youth-services") == (f"({len(youth)})" if youth else "(none)")
    empty = page.query_selector_all(".app-checkbox--empty")
    assert empty, "options that would leave no member are marked"
    assert "service=drugs-and-alcohol" in page.url and "area=leeds" in page.url
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


@pytest.mark.browser
def test_a_printed_profile_is_a_clean_document(page, site_url):
    page.goto(f"{site_url}/members/example-youth-trust/")
    page.emulate_media(media="print")
    for selector in (".app-header", ".app-nav", ".app-footer", ".app-edit"):
        assert not page.is_visible(selector), f"{selector} is printed"
    shown = page.evaluate("getComputedStyle(document.querySelector('.app-summary-list a[href^=\"http\"]'), '::after').content")
    assert "http" in shown, "link targets are written out"
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the capability statement prints on {pages} pages"
