"""Render a Markdown body to HTML that is safe to put on the site.

Python-Markdown renders; nh3 (the Ammonia sanitiser) then keeps only a small
allow-list of tags, attributes and URL schemes, whatever the body held.
Root-relative links (``/models/lead-partner/``) are prefixed with SITEURL so
they still resolve when the site is served from a sub-path.
"""

from __future__ import annotations

import re

import markdown
import nh3

from .problems import ContentError, Problem

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "a", "ul", "ol", "li",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "abbr", "dl", "dt", "dd",
    "sup", "sub", "del",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_H1 = re.compile(r"<(/?)h1\b")
_ROOT_LINK = re.compile(r'href="/(?!/)')
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]*>")


class Renderer:
    def __init__(self, siteurl: str = ""):
        self.siteurl = siteurl.rstrip("/")
        self.markdown = markdown.Markdown(
            extensions=["tables", "sane_lists", "fenced_code", "toc", "def_list", "abbr"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )

    def render(self, body: str, source: str = "", line: int = 1) -> str:
        """The body as safe HTML. ``source`` and ``line`` (where the body
        starts) name the file in the error for a body too deeply nested to
        render; validation refuses those first, so this is a second guard."""
        self.markdown.reset()
        try:
            html = self.markdown.convert(body)
        except RecursionError:
            self.markdown.reset()
            raise ContentError([Problem(source, line, 1, "body",
                                        "the text is nested too deeply for Markdown to render",
                                        hint="use fewer levels of lists, quotes, links and emphasis")]) from None
        # The page title is the page's only <h1>: a '# ' heading in a body
        # becomes a second-level heading.
        html = _H1.sub(r"<\1h2", html)
        html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                         link_rel="noopener noreferrer", strip_comments=True)
        if self.siteurl:
            html = _ROOT_LINK.sub(f'href="{self.siteurl}/', html)
        if "<table>" in html:
            html = _scrolling_tables(html)
        return html


def _scrolling_tables(html: str) -> str:
    """Each table in a box that scrolls sideways on a phone rather than
    pushing the page, reachable by keyboard and named by its column
    headings (the CSS is .app-table-wrap)."""
    # The first row is looked for only up to the next table, so each part
    # of the text is read once, however many tables it holds.
    starts = [m.start() for m in re.finditer("<table>", html)]
    parts, start = [], 0
    for at, following in zip(starts, starts[1:] + [len(html)]):
        row_end = html.find("</tr>", at, following)
        first_row = html[at:row_end] if row_end >= 0 else ""
        headings = [_TAG.sub("", cell).strip() for cell in _HEADER_CELL.findall(first_row)]
        label = ("Table: " + ", ".join(h for h in headings if h) if any(headings) else "Table").replace('"', "&quot;")
        parts += [html[start:at], f'<div class="app-table-wrap" role="region" tabindex="0" aria-label="{label}">']
        start = at
    parts.append(html[start:])
    return "".join(parts).replace("</table>", "</table></div>")
