"""Search puts the user on its results: after a search focus goes to the
results summary, both search boxes show the query, an empty box says what
can be searched, and without JavaScript the page offers the browse pages.
Chromium at 320 and 390 px, keyboard only."""

from __future__ import annotations

import re

import pytest

from test_browser_accessibility import describe, run_axe

pytestmark = pytest.mark.browser

PHONES = [320, 390]
BROWSE = ["/members/", "/case-studies/", "/models/", "/tenders/", "/guides/"]


@pytest.fixture(params=PHONES)
def phone(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 740}, is_mobile=True,
                                  has_touch=True)
    tab = context.new_page()
    tab.page_errors = []
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    tab.width = request.param
    yield tab
    context.close()


def focused(tab) -> str:
    return tab.evaluate("document.activeElement.className || document.activeElement.tagName")


def wait_for_summary_focus(tab):
    tab.wait_for_function("document.activeElement.classList.contains('app-search__count')", timeout=15_000)


def test_a_search_from_the_header_puts_focus_on_the_summary_one_tab_from_the_results(phone, site_url):
    phone.goto(f"{site_url}/guides/")
    for _ in range(5):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.id") == "app-header-q":
            break
    phone.keyboard.type("Leeds")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/search/?q=Leeds")
    wait_for_summary_focus(phone)
    summary = phone.locator(".app-search__count")
    assert re.fullmatch(r"\d+ results? for Leeds", summary.text_content())
    # Both boxes show the query: the one used keeps it.
    assert phone.input_value("#app-header-q") == "Leeds" and phone.input_value("#app-search-q") == "Leeds"
    phone.wait_for_function("document.querySelector('[role=status]').textContent.includes('Leeds')")
    box = summary.bounding_box()
    assert 0 <= box["y"] < 740 and box["x"] + box["width"] <= phone.width
    # From the summary, past the kind buttons, to the first result.
    kinds = phone.locator(".app-search__type").count()
    for _ in range(kinds + 1):
        phone.keyboard.press("Tab")
    first = phone.locator(".app-search-result__link").first.get_attribute("href")
    assert phone.evaluate("document.activeElement.getAttribute('href')") == first
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.width
    assert not phone.page_errors


def test_a_search_on_the_search_page_keeps_the_query_in_the_box_used(phone, site_url):
    phone.goto(f"{site_url}/search/?q=Leeds")
    wait_for_summary_focus(phone)
    # The header's box, on the search page: searches here, keeps its text.
    phone.locator("#app-header-q").focus()
    phone.keyboard.press("Control+A")
    phone.keyboard.type("youth")
    phone.keyboard.press("Enter")
    wait_for_summary_focus(phone)
    assert "youth" in phone.locator(".app-search__count").text_content()
    assert phone.input_value("#app-header-q") == "youth" and phone.input_value("#app-search-q") == "youth"
    phone.wait_for_url("**/search/?q=youth")
    # The page's box: the header's follows it.
    phone.locator("#app-search-q").focus()
    phone.keyboard.press("Control+A")
    phone.keyboard.type("housing")
    phone.keyboard.press("Enter")
    wait_for_summary_focus(phone)
    assert "housing" in phone.locator(".app-search__count").text_content()
    assert phone.input_value("#app-header-q") == "housing" and phone.input_value("#app-search-q") == "housing"
    violations = run_axe(phone)
    assert not violations, "with results: " + describe(violations)
    assert not phone.page_errors


def test_an_empty_search_says_what_can_be_searched_and_offers_ways_in(phone, site_url):
    phone.goto(f"{site_url}/search/")
    phone.wait_for_load_state("networkidle")
    message = phone.locator(".app-search__empty-message")
    assert message.is_visible() and "charity or company number" in message.text_content()
    assert phone.locator(".app-search__no-js-message").is_hidden()
    links = phone.eval_on_selector_all(".app-search__ways-in a", "links => links.map(a => a.getAttribute('href'))")
    assert set(BROWSE) <= set(links)
    phone.locator("#app-search-q").focus()
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.classList.contains('app-search__empty-message')")
    violations = run_axe(phone)
    assert not violations, "empty: " + describe(violations)
    # Typing hides the ways in; emptying the box brings them back.
    phone.locator("#app-search-q").focus()
    phone.keyboard.type("Leeds")
    phone.wait_for_selector(".app-search-result")
    assert message.is_hidden()
    for _ in range(5):
        phone.keyboard.press("Backspace")
    phone.wait_for_function("!document.querySelector('.app-search__empty-message').hidden")
    assert not phone.locator(".app-search-result").count()
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.width


def test_no_results_puts_focus_on_the_message_and_passes_axe(phone, site_url):
    phone.goto(f"{site_url}/search/?q=zzqqx")
    wait_for_summary_focus(phone)
    assert phone.locator(".app-search__count").text_content().startswith("No results for")
    violations = run_axe(phone)
    assert not violations, "no results: " + describe(violations)


def test_without_javascript_the_search_page_offers_the_browse_pages(browser, site_url):
    for width in PHONES:
        context = browser.new_context(viewport={"width": width, "height": 740}, java_script_enabled=False)
        try:
            tab = context.new_page()
            tab.goto(f"{site_url}/search/?q=Leeds")
            for href in BROWSE:
                assert tab.locator(f'.app-search__ways-in a[href="{href}"]').is_visible(), href
            assert tab.locator(".app-search__no-js-message").is_visible()
            assert tab.locator(".app-search__empty-message").is_hidden()
            assert tab.evaluate("document.documentElement.scrollWidth") <= width
            tab.locator('.app-search__ways-in a[href="/models/"]').focus()
            tab.keyboard.press("Enter")
            tab.wait_for_url("**/models/")
        finally:
            context.close()


def test_axe_on_the_search_page_as_it_is_without_its_script(page, site_url):
    """axe needs JavaScript, so the no-JavaScript state is made by not
    loading search.js: the page is then what a browser without it shows."""
    page.route("**/theme/js/search.js", lambda route: route.abort())
    page.goto(f"{site_url}/search/?q=Leeds")
    assert page.locator(".app-search__no-js-message").is_visible()
    violations = run_axe(page)
    assert not violations, describe(violations)
