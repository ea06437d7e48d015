"""The site map page for people, made from the same list as sitemap.xml, and
the header's search box at 320 px."""

from __future__ import annotations

import re

import pytest

from site_helpers import html_files, page, soup


def _sitemap_xml_urls(site) -> list[str]:
    return re.findall(r"<loc>/([^<]*)</loc>", (site / "sitemap.xml").read_text())


def test_the_site_map_page_lists_exactly_the_pages_in_sitemap_xml(site):
    document = page(site, "sitemap/")
    listed = [a["href"].removeprefix("/") for a in document.select("main .app-site-map__list a")]
    assert sorted(listed) == sorted(_sitemap_xml_urls(site))
    assert len(listed) == len(set(listed))
    assert "sitemap/" in listed
    assert document.find("main").find("a", href="/sitemap.xml")


def test_the_site_map_is_grouped_by_section_with_titles(site):
    document = page(site, "sitemap/")
    headings = [h.find(string=True, recursive=False).strip() for h in document.select("main h2")]
    assert headings[:8] == ["Home and search", "Members", "Case studies", "Consortium models", "Tenders",
                            "Guides", "Events", "Open data"]
    for section in document.select("main section"):
        heading = section.h2.get_text(" ", strip=True)
        links = section.select(".app-site-map__list a")
        assert f"({len(links)} page" in heading
        assert all(a.get_text(strip=True) for a in links)
    members = document.select_one("main section:nth-of-type(2)")
    first = members.select_one(".app-site-map__list a")
    assert (first["href"], first.get_text()) == ("/members/", "Members")
    assert members.find("a", href="/members/disc/").get_text() == \
        page(site, "members/disc/").h1.get_text(strip=True)
    assert members.h3.get_text() == "Directory pages for each filter"


def test_every_page_s_footer_links_the_site_map_page_not_the_xml(site):
    for path in html_files(site):
        footer = soup(path).select_one("footer.app-footer")
        if footer is None:
            continue
        assert footer.find("a", href="/sitemap/", string="Site map"), path
        assert not footer.find("a", href="/sitemap.xml"), path


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_the_header_search_placeholder_fits(browser, site_url, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 640})
    tab = context.new_page()
    tab.goto(f"{site_url}/sitemap/")
    room, needed = tab.evaluate("""() => {
        const box = document.getElementById("app-header-q");
        const style = getComputedStyle(box);
        const canvas = document.createElement("canvas").getContext("2d");
        canvas.font = style.font;
        return [box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                canvas.measureText(box.placeholder).width];
    }""")
    tab.screenshot(path=str(tmp_path / f"header-{width}.png"), clip={"x": 0, "y": 0, "width": width, "height": 120})
    width_used = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert needed <= room, f"the placeholder needs {needed:.0f}px, the box has {room:.0f}px at {width}px"
    assert width_used <= width
