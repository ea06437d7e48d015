"""The site's own files, besides its pages: the site map, from one list of
pages (sitemap.xml for search engines, /sitemap/ for people, grouped by
section), robots.txt and the published schemas under /data/schemas/.
A new generated file goes here."""

from __future__ import annotations

import json
import os
from pathlib import Path
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
#: The pages other generators write, as the site map lists them.
OTHER_PAGES = [("", "Home"), ("search/", "Search"), ("contribute/profile/", "Profile editor"),
               (SITE_MAP_URL, "Site map")]
#: The list pages' titles, as their templates give them (for the site map page).
LIST_TITLES = {"members": "Members", "case_studies": "Case studies", "models": "Consortium models compared",
               "tenders": "Tender opportunities", "tenders_archive": "Closed tenders", "guides": "Guides",
               "events": "Events", "data": "Open data"}


def listed_pages(pages: list) -> list[tuple[str, str]]:
    """What the site map page and sitemap.xml list, as ``(URL, title)``:
    the pages other generators write and ``pages``, the generator's
    ``(save_as, template, url, variables)``."""
    return OTHER_PAGES + [(url, page_title(template, variables)) for _, template, url, variables in pages]


def page_title(template: str, variables: dict) -> str:
    """A page's title as its template gives it, for the site map page."""
    if "page" in variables:
        return variables["page"].title
    listing = variables.get("listing")
    if template == "member_facet":
        title = variables["facet"].heading.format(variables["facet_label"])
        if variables.get("within"):
            title += " in " + variables["within"][2]
    else:
        title = LIST_TITLES[template]
    return f"{title} (page {listing['number']})" if listing and listing["number"] > 1 else title


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


def robots_txt(siteurl: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n"


def write_site_files(output_path: str, siteurl: str, schemas: dict, listed: list[tuple[str, str]]) -> None:
    """Write the published schemas, sitemap.xml (of ``listed``, as
    ``listed_pages`` gives them) and robots.txt into ``output_path``."""
    folder = Path(output_path) / "data" / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        (folder / f"{name}.schema.json").write_text(
            json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _write_text(output_path, "sitemap.xml", sitemap_xml(siteurl, [url for url, _ in listed]))
    _write_text(output_path, "robots.txt", robots_txt(siteurl))


def _write_text(output_path: str, name: str, text: str) -> None:
    with open(os.path.join(output_path, name), "w", encoding="utf-8") as handle:
        handle.write(text)
