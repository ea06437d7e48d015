"""The models comparison on a phone: one generated table, read with its
headers in view (sticky model names and questions inside a box a keyboard
can scroll), or two chosen models side by side; the caption is never cut
off and the case studies are one link away. Chromium at 320 and 390 px."""

from __future__ import annotations

import pytest

from site_helpers import page as built_page
from test_browser_accessibility import axe_again, describe, run_axe

PHONES = [320, 390]


def test_the_comparison_is_one_table_with_the_examples_second_and_linked_from_the_top(site):
    document = built_page(site, "models/")
    tables = document.select("main table")
    assert len(tables) == 1
    table = tables[0]
    assert table.caption and table.caption.get("id") == "compare-caption"
    box = table.parent
    assert box.get("role") == "region" and box.get("tabindex") == "0" and box.get("aria-labelledby") == "compare-caption"
    rows = [th.get_text(strip=True) for th in table.tbody.find_all("th", scope="row")]
    assert rows[1] == "Case studies" and table.find(id="compare-examples").get_text() == "Case studies"
    link = document.select_one('main a[href="#compare-examples"]')
    assert link and link.find_next("table") is table, "the link to the examples comes before the table"


def open_models(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 740})
    tab = context.new_page()
    tab.page_errors = []
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    tab.goto(f"{site_url}/models/")
    tab.wait_for_selector(".app-compare__controls")
    return context, tab


def shown_models(tab) -> list[str]:
    return tab.eval_on_selector_all("thead th[data-model]", "ths => ths.filter(th => !th.hidden).map(th => th.dataset.model)")


def rect(tab, selector):
    return tab.locator(selector).first.bounding_box()


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_two_models_side_by_side_chosen_by_keyboard(browser, site_url, width):
    context, tab = open_models(browser, site_url, width)
    try:
        everyone = tab.eval_on_selector_all("thead th[data-model]", "ths => ths.map(th => th.dataset.model)")
        assert len(everyone) >= 3 and shown_models(tab) == everyone[:2]
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        box = tab.locator(".app-compare__box")
        assert tab.evaluate("b => b.scrollWidth <= b.clientWidth", box.element_handle()), "two models fit"
        caption, frame = rect(tab, ".app-compare__caption"), box.bounding_box()
        assert caption["x"] >= frame["x"] and caption["x"] + caption["width"] <= frame["x"] + frame["width"]
        # Keyboard: the second model is chosen with the arrow keys.
        for _ in range(40):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "compare-second":
                break
        else:
            pytest.fail("Tab never reached the second model's select")
        tab.keyboard.press("ArrowDown")
        assert shown_models(tab) == [everyone[0], everyone[2]]
        status = tab.locator(".app-compare [role=status]")
        assert status.text_content() == f"Showing {tab.text_content('thead th[data-model=' + everyone[0] + ']')}" \
            f" and {tab.text_content('thead th[data-model=' + everyone[2] + ']')}."
        # The model names stay in view down to the last question.
        tab.locator("tbody tr:last-child th").scroll_into_view_if_needed()
        names, last = rect(tab, f"thead th[data-model={everyone[0]}]"), rect(tab, "tbody tr:last-child th")
        frame = box.bounding_box()
        assert frame["y"] - 1 <= names["y"] and names["y"] + names["height"] <= last["y"] + 1
        # And back to every model.
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.className").count("app-compare__toggle")
        tab.keyboard.press("Enter")
        assert shown_models(tab) == everyone
        assert status.text_content() == f"Showing all {len(everyone)} models."
        assert not tab.page_errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONES)
def test_on_a_phone_every_model_scrolls_with_its_headers_in_view(browser, site_url, width):
    context, tab = open_models(browser, site_url, width)
    try:
        tab.locator(".app-compare__toggle").click()
        box = tab.locator(".app-compare__box")
        assert box.get_attribute("tabindex") == "0"
        box.focus()  # the box scrolls from the keyboard
        before = tab.evaluate("b => b.scrollLeft", box.element_handle())
        tab.keyboard.press("ArrowRight")
        tab.wait_for_function("([b, x]) => b.scrollLeft > x", arg=[box.element_handle(), before])
        tab.evaluate("b => { b.scrollLeft = b.scrollWidth; b.scrollTop = b.scrollHeight / 2; }", box.element_handle())
        frame = box.bounding_box()
        question = tab.evaluate("""b => { const top = b.getBoundingClientRect().top + 150;
            const th = [...b.querySelectorAll('tbody th')].find(th => th.getBoundingClientRect().bottom > top);
            const r = th.getBoundingClientRect(); return {x: r.x, text: th.textContent}; }""", box.element_handle())
        assert abs(question["x"] - frame["x"]) <= 2, "the questions stay at the left edge"
        last = tab.evaluate("""b => { const ths = b.querySelectorAll('thead th');
            const r = ths[ths.length - 1].getBoundingClientRect(); return {y: r.y, right: r.right}; }""",
                            box.element_handle())
        assert abs(last["y"] - frame["y"]) <= 2, "the model names stay at the top"
        assert last["right"] <= frame["x"] + frame["width"] + 1
        caption = rect(tab, ".app-compare__caption")
        tab.evaluate("b => { b.scrollTop = 0; }", box.element_handle())
        caption = rect(tab, ".app-compare__caption")
        assert caption["x"] >= frame["x"] and caption["x"] + caption["width"] <= frame["x"] + frame["width"], \
            "the caption is not cut off when the table scrolls sideways"
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


@pytest.mark.browser
def test_the_examples_link_puts_the_user_on_the_case_studies_row(browser, site_url):
    context, tab = open_models(browser, site_url, 320)
    try:
        tab.locator('main a[href="#compare-examples"]').click()
        assert tab.evaluate("document.activeElement.id") == "compare-examples"
        row = rect(tab, "#compare-examples")
        assert 0 <= row["y"] < 740
        on_top = tab.evaluate("""() => { const r = document.getElementById('compare-examples').getBoundingClientRect();
            const at = document.elementFromPoint(r.x + 10, r.y + r.height / 2);
            return !!at.closest('#compare-examples'); }""")
        assert on_top, "the row is not hidden under the model names"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_axe_on_each_view_of_the_comparison(browser, site_url, width):
    context, tab = open_models(browser, site_url, width)
    try:
        first = run_axe(tab)
        assert not first, "first view: " + describe(first)
        tab.locator(".app-compare__toggle").click()
        second = axe_again(tab)
        assert not second, "other view: " + describe(second)
    finally:
        context.close()


@pytest.mark.browser
def test_on_a_wide_screen_every_model_shows_first_and_without_javascript_the_table_is_whole(browser, site_url):
    context, tab = open_models(browser, site_url, 1280)
    try:
        assert len(shown_models(tab)) >= 3
        assert tab.locator(".app-compare__toggle").text_content() == "Compare two models"
        assert tab.locator("#compare-first").is_hidden()
        # Each model's select says which it is, not just "Compare" and "with".
        assert [tab.locator(f'label[for="compare-{which}"]').text_content() for which in ("first", "second")] == \
            ["First model", "Second model"]
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 320, "height": 740}, java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/models/")
        assert not tab.locator(".app-compare__controls").count()
        assert tab.locator("thead th[data-model]").count() >= 3
        assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()
