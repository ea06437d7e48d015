"""No page scrolls sideways on a 320 px phone: every URL in the built
sitemap.xml, in Chromium, in one browser context. A box that scrolls
sideways inside the page (a wide table, a code example) is allowed, but must
be reachable by keyboard and named (tabindex="0", a role and a label), so a
keyboard user can scroll it too."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.browser

WIDTH = 320

#: What the page measures of itself: how wide the document is, the elements
#: that stick out past the right edge (not counting those inside a box that
#: scrolls or clips), and the boxes that scroll sideways without being
#: reachable by keyboard.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const inBox = from => {
    for (let up = from; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [], scrollers = [];
  // Text that overflows its element (a long word) does not widen the
  // element's box, so each run of text is measured too.
  const text = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = text.nextNode(); node && out.length < 3; node = text.nextNode()) {
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !inBox(node.parentElement)) {
      out.push('text "' + node.textContent.trim().slice(0, 40) + '" in ' + name(node.parentElement) +
               ' reaches ' + Math.round(box.right) + 'px');
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !inBox(el.parentElement) && out.length < 6) {
      out.push(name(el) + ' reaches ' + Math.round(box.right) + 'px');
    }
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    const style = getComputedStyle(el);
    if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (el.getAttribute('tabindex') !== '0' || !el.getAttribute('role') || !named) scrollers.push(name(el));
    }
  }
  return {width: document.documentElement.scrollWidth, out: out, scrollers: scrollers};
}"""


def sitemap_paths(site) -> list[str]:
    tree = ET.parse(site / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in tree.getroot().findall("s:url/s:loc", namespace)]


def test_no_page_in_the_sitemap_scrolls_sideways_at_320_pixels(browser, site, site_url):
    paths = sitemap_paths(site)
    assert len(paths) > 100 and all(path.startswith("/") for path in paths)
    context = browser.new_context(viewport={"width": WIDTH, "height": 640})
    tab = context.new_page()
    # Nothing is fetched from another host, so "load" is the whole page; the
    # scripts' enhancements are measured once they have drawn.
    tab.route("**/*", lambda route: route.abort() if not route.request.url.startswith(site_url)
              else route.continue_())
    failures = []
    try:
        for path in paths:
            tab.goto(site_url + path, wait_until="load")
            if tab.locator("[data-module]").count():
                tab.wait_for_load_state("networkidle")
            found = tab.evaluate(MEASURE)
            problems = []
            if found["width"] > WIDTH:
                problems.append(f"the page is {found['width']}px wide")
            problems += found["out"]
            problems += [f"{box} scrolls sideways but is not reachable by keyboard (tabindex=0, role, label)"
                         for box in found["scrollers"]]
            if problems:
                failures.append(f"{path}: " + "; ".join(problems))
    finally:
        context.close()
    assert not failures, f"{len(failures)} of {len(paths)} pages fail at {WIDTH}px:\n" + "\n".join(failures)
