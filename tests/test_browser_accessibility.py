"""axe-core in Debian's Chromium on one page of every type, plus keyboard
and small-screen checks. Fails on any violation."""

from __future__ import annotations

import json

import pytest

from building import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = [
    "", "members/", "members/disc/", "members/example-youth-trust/", "members/services/drugs-and-alcohol/",
    "members/areas/leeds/", "case-studies/", "case-studies/leeds-community-drugs-services/", "models/",
    "models/lead-partner/", "tenders/", "tenders/archive/", "tenders/northumberland-hidden-harm-service-2008/",
    "guides/", "guides/what-is-a-consortium/", "events/", "events/understanding-consortium-working/",
    "events/example-bidding-together-workshop/", "tenders/example-youth-employment-wolverhampton/",
    "search/", "contribute/", "contribute/profile/", "tenders/example-community-recovery-leeds/", "accessibility/", "data/", "sitemap/", "404.html",
]


def run_axe(page) -> list[dict]:
    """axe's violations on the page, adding axe to it first."""
    page.add_script_tag(path=str(AXE))
    return axe_again(page)


def axe_again(page) -> list[dict]:
    """axe's violations on the page, once run_axe has added axe (after a
    change of state on the same page)."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in violations
    )


@pytest.mark.parametrize("url", PAGES)
def test_axe_finds_no_violation(page, site_url, site, url):
    if url and not (site / url).exists() and not (site / url / "index.html").exists():
        pytest.fail(f"{url} was not built")
    page.goto(f"{site_url}/{url}")
    violations = run_axe(page)
    assert not violations, describe(violations)
    assert not page.page_errors


@pytest.mark.parametrize("url", ["", "members/disc/", "models/", "case-studies/leeds-community-drugs-services/",
                                 "contribute/profile/?member=living-options-devon"])
def test_no_horizontal_scrolling_at_320_pixels(browser, site_url, url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{site_url}/{url}")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 320, f"{url} is {width}px wide at a 320px viewport"


def test_the_skip_link_comes_first_and_moves_focus_to_main(page, site_url):
    page.goto(f"{site_url}/members/disc/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.getAttribute('href')]")
    assert focused == ["Skip to main content", "#main"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible_on_links(page, site_url):
    page.goto(f"{site_url}/members/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.boxShadow, s.backgroundColor]; }""")
    assert style[0] != "none" or style[1] != "none", json.dumps(style)
