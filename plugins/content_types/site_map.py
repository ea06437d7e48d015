"""The site map, from one list of pages: sitemap.xml for search engines and
/sitemap/ for people, grouped by section."""

from __future__ import annotations

from xml.sax.saxutils import escape

#: The site map page's address (part of the contract: the footer links it).
SITE_MAP_URL = "sitemap/"
#: The sections of the site map page, in the main navigation's order: the
#: first part of a page's address, and the section's heading. A page
#: whose address starts with none of these is under "About this site".
#: Pages deeper than a section's own pages (members/services/…/) are listed
#: after them, under DEEPER_HEADINGS' heading.
SECTIONS = [
    ("", "Home and search"),
    ("members/", "Members"),
    ("case-studies/", "Case studies"),
    ("models/", "Consortium models"),
    ("tenders/", "Tenders"),
    ("guides/", "Guides"),
    ("events/", "Events"),
    ("data/", "Open data"),
]
OTHER_SECTION = "About this site"
DEEPER_HEADINGS = {"members/": "Directory pages for each filter", None: "More pages"}


def site_map_sections(pages: list[tuple[str, str]]) -> list[dict]:
    """``pages`` as ``(URL, title)`` pairs (URLs relative to SITEURL) grouped
    for the site map page: ``[{"heading", "pages": [{"url", "title"}],
    "deeper": {"heading", "pages"} or None}]`` in SECTIONS' order, each
    section's own page first, then by title."""
    by_prefix = {prefix: [] for prefix, _ in SECTIONS if prefix}
    first, other = [], []
    for url, title in sorted(set(pages)):
        prefix = url.split("/", 1)[0] + "/" if "/" in url else ""
        if prefix in by_prefix:
            by_prefix[prefix].append((url, title))
        elif url in ("", "search/", SITE_MAP_URL):
            first.append((url, title))
        else:
            other.append((url, title))
    groups = [(prefix, heading, first if not prefix else by_prefix[prefix]) for prefix, heading in SECTIONS]
    groups.append((None, OTHER_SECTION, other))
    sections = []
    for prefix, heading, listed in groups:
        if not listed:
            continue
        listed = sorted(listed, key=lambda page: (page[0].count("/"), page[1].casefold()))
        top = [{"url": url, "title": title} for url, title in listed if url.count("/") <= 2]
        deeper = [{"url": url, "title": title} for url, title in listed if url.count("/") > 2]
        sections.append({"heading": heading, "pages": top, "deeper": {
            "heading": DEEPER_HEADINGS.get(prefix, DEEPER_HEADINGS[None]), "pages": deeper} if deeper else None})
    return sections


def sitemap_xml(siteurl: str, urls: list[str]) -> str:
    """The sitemaps.org XML of every page."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(set(urls)):
        lines.append(f"  <url><loc>{escape(siteurl)}/{escape(url)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
