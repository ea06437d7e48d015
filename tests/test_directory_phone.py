"""The member directory on a phone: the filters fold behind one button that
says how many members are listed, applying them puts the user on the
results, every count is one the user would get, and an area filter says
what it includes. Chromium at 320 and 390 px, keyboard only."""

from __future__ import annotations

import re

import pytest

from content_types.directory import FILTERS_BY_NAME, member_values
from site_helpers import page as built_page
from test_browser_accessibility import axe_again, describe, run_axe

PHONES = [320, 390]


def live_directory(browser, site_url, width, query="", **options):
    context = browser.new_context(viewport={"width": width, "height": 740}, **options)
    tab = context.new_page()
    tab.page_errors = []
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    tab.goto(f"{site_url}/members/{query}")
    if options.get("java_script_enabled", True):
        tab.wait_for_selector(".app-directory--live")
    return context, tab


def tab_to(tab, selector, presses=80):
    for _ in range(presses):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def listed(tab) -> int:
    return tab.locator("#member-results .app-card").count()


# -- the static side: what an area includes -------------------------------------


def test_uk_wide_means_working_across_the_uk_not_everyone(project):
    areas = FILTERS_BY_NAME["area"]
    vocabularies = project.vocabularies
    local = member_values({"areas": ["norfolk"]}, areas, vocabularies)
    national = member_values({"areas": ["uk-wide"]}, areas, vocabularies)
    assert "uk-wide" not in local
    assert {"norfolk", "east-of-england", "england"} <= local  # part of the region and the nation
    assert {"uk-wide", "norfolk", "islington", "scotland"} <= national  # works in every area


def test_area_pages_say_what_they_include(site, members, project):
    norfolk = built_page(site, "members/areas/norfolk/").select_one(".app-lead").get_text(" ", strip=True)
    assert "East of England, England or UK-wide" in norfolk
    london = built_page(site, "members/areas/london/").select_one(".app-lead").get_text(" ", strip=True)
    assert "in part of it (Harrow, Islington)" in london
    across = {slug for slug, meta in members.items() if "uk-wide" in meta["areas"]}
    uk = site / "members" / "areas" / "uk-wide" / "index.html"
    assert uk.exists() == bool(across), "UK-wide has a page only if someone works across the UK"
    form = built_page(site, "members/").select_one("#filter-area-hint").get_text(" ", strip=True)
    assert "UK-wide lists only the organisations that work across the whole country" in form


# -- in Chromium ------------------------------------------------------------------


@pytest.mark.browser
def test_older_people_in_norfolk_gives_no_count_to_places_with_no_such_member(page, site_url, members, project):
    """The reported bug: with these two ticked, Islington, Devon and Luton said "(1)"."""
    page.goto(f"{site_url}/members/?service=older-people&area=norfolk")
    page.wait_for_selector(".app-directory--live")
    services, areas = FILTERS_BY_NAME["service"], FILTERS_BY_NAME["area"]
    vocabularies = project.vocabularies
    older = [meta for meta in members.values() if "older-people" in member_values(meta, services, vocabularies)]
    for place in ("islington", "devon", "luton", "norfolk"):
        serving = sum(place in member_values(meta, areas, vocabularies) for meta in older)
        box = f"#filter-area-{place}"
        assert page.text_content(f'label[for="filter-area-{place}"] .app-count') == f"({serving})", place
        assert page.is_disabled(box) == (serving == 0 and not page.is_checked(box)), place
    # What the ticked area includes, in words.
    assert page.text_content(".app-selected__scope") == \
        "Norfolk also lists organisations working across East of England, England or UK-wide."
    assert not page.page_errors


@pytest.mark.browser
def test_the_counts_with_javascript_are_the_counts_without(browser, site_url):
    pages = {}
    for enabled in (False, True):
        context = browser.new_context(java_script_enabled=enabled)
        tab = context.new_page()
        tab.goto(f"{site_url}/members/")
        if enabled:
            tab.wait_for_selector(".app-directory--live")
        pages[enabled] = tab.eval_on_selector_all(
            ".app-filters label", "labels => labels.map(l => [l.htmlFor, l.querySelector('.app-count').textContent])")
        # The browse links (the filters without JavaScript) give the same counts.
        pages[enabled, "browse"] = tab.eval_on_selector_all(
            ".app-browse a", "links => links.map(a => [a.getAttribute('href'), a.nextSibling.textContent.trim()])")
        context.close()
    assert pages[True] == pages[False] and len(pages[True]) > 40
    assert pages[True, "browse"] == pages[False, "browse"]
    counts = dict(pages[True])
    for href, count in pages[True, "browse"]:
        match = re.fullmatch(r"/members/areas/([a-z-]+)/", href)
        if match:
            assert counts[f"filter-area-{match.group(1)}"] == count, href


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_the_results_are_one_tap_away_and_filtering_is_by_keyboard(browser, site_url, width):
    context, tab = live_directory(browser, site_url, width)
    try:
        toggle = tab.locator(".app-filters-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        assert toggle.get_attribute("aria-controls") == "member-filters"
        assert tab.locator("#member-filters").is_hidden()
        everyone = listed(tab)
        assert toggle.text_content() == f"Filter organisations ({everyone} listed)"
        # The results start on the first screen.
        assert tab.locator("#results-heading").bounding_box()["y"] < 740
        assert tab.evaluate("document.documentElement.scrollWidth") <= width

        tab_to(tab, ".app-filters-toggle")
        tab.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert tab.locator("#member-filters").is_visible()
        tab_to(tab, "#filter-area-northumberland")
        tab.keyboard.press("Space")
        status = tab.locator(".app-results-count")
        assert status.get_attribute("aria-live") == "polite"
        found = int(status.text_content().split()[0])
        assert found == listed(tab) and found < everyone
        # Both buttons say how many organisations a tap shows.
        assert toggle.text_content() == f"Filter organisations ({found} listed)"
        apply = tab.locator("#member-filters button[type=submit]")
        assert apply.text_content() == f"Show {found} organisations"
        tab_to(tab, "#member-filters button[type=submit]", presses=200)
        tab.keyboard.press("Enter")
        assert tab.evaluate("document.activeElement.id") == "results-heading"
        assert toggle.get_attribute("aria-expanded") == "false" and tab.locator("#member-filters").is_hidden()
        assert "area=northumberland" in tab.url
        heading = tab.locator("#results-heading").bounding_box()
        assert 0 <= heading["y"] < 740, "the results heading is on screen"
        # The selected filter's tag removes it; focus stays on the results.
        tab_to(tab, ".app-selected__tag", presses=5)
        tab.keyboard.press("Enter")
        assert "area=northumberland" not in tab.url and listed(tab) == everyone
        assert tab.evaluate("document.activeElement.id") == "results-heading"
        assert toggle.text_content() == f"Filter organisations ({everyone} listed)"
        assert not tab.page_errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONES)
def test_axe_on_a_phone_with_the_filters_folded_and_open(browser, site_url, width):
    context, tab = live_directory(browser, site_url, width, "?service=youth-services")
    try:
        violations = run_axe(tab)
        assert not violations, "folded: " + describe(violations)
        tab.locator(".app-filters-toggle").click()
        violations = axe_again(tab)
        assert not violations, "open: " + describe(violations)
    finally:
        context.close()


@pytest.mark.browser
def test_on_a_wide_screen_the_filters_stay_open_and_without_javascript_the_browse_lists_show(browser, site_url):
    context, tab = live_directory(browser, site_url, 1280)
    try:
        assert tab.locator(".app-filters-toggle").is_hidden()
        assert tab.locator("#member-filters").is_visible()
        assert tab.locator("#member-filters button[type=submit]").text_content() == "Apply filters"
        tab.set_viewport_size({"width": 320, "height": 740})
        tab.wait_for_function("document.querySelector('#member-filters').hidden")
        assert tab.locator(".app-filters-toggle").is_visible()
    finally:
        context.close()
    context, tab = live_directory(browser, site_url, 320, java_script_enabled=False)
    try:
        assert not tab.locator(".app-filters-toggle").count()
        link = tab.locator('.app-browse a[href="/members/areas/northumberland/"]')
        assert tab.locator("#member-filters").is_visible() and link.is_hidden()  # in a closed <details>
        tab.locator(".app-browse__group summary", has_text="Area served").click()
        assert link.is_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("area", ["norfolk", "london", "england"])
def test_an_area_pages_service_counts_are_the_live_counts_for_that_area(page, site_url, site, area):
    """The static page of an area and the live form with that area ticked
    agree on every service's count, and on the number of members."""
    static = built_page(site, f"members/areas/{area}/")
    narrow = {}
    for item in static.select(".app-narrow__list li"):
        href = item.a["href"].rstrip("/").split("/")[-1]
        narrow[href] = item.get_text(" ", strip=True).rsplit("(", 1)[1].rstrip(")")
    assert narrow
    page.goto(f"{site_url}/members/?area={area}")
    page.wait_for_selector(".app-directory--live")
    live = dict(page.eval_on_selector_all(
        "input[name=service]", "boxes => boxes.map(b => [b.value, "
        "document.querySelector(`label[for='${b.id}'] .app-count`).textContent.slice(1, -1)])"))
    assert {service: live[service] for service in narrow} == narrow
    assert all(live[service] == "0" for service in set(live) - set(narrow)), "a service with no page counts 0"
    total = static.select_one(".app-lead").get_text().split()[0]
    assert page.text_content(".app-results-count").startswith(f"{total} organisation")
