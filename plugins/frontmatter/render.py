"""Render a Markdown body to HTML that is safe to put on the site.

Python-Markdown renders, reading no raw HTML (a tag in a body is shown as
text); nh3 (the Ammonia sanitiser) then keeps only a small allow-list of
tags, attributes and URL schemes, whatever the body held.
Root-relative links (``/models/lead-partner/``) are prefixed with SITEURL so
they still resolve when the site is served from a sub-path.
"""

from __future__ import annotations

import html as html_module
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
#: A table's header cells, and any tag in one (for its label); both in linear time.
_HEADER_CELL = re.compile(r"<th\b[^>]*+>([^<]*+(?:<(?!/th>)[^<]*+)*+)</th>")
_TAG = re.compile(r"<[^<>]*+>")
_HREF = re.compile(r'<a href="([^"]*+)"')
#: Links nh3 keeps as they are, and Pelican leaves alone.
_PLAIN_HREF = re.compile(r"(?:https?://|mailto:|tel:|/|#)[^{}|]*+\Z", re.IGNORECASE)
#: All run over the HTML a body renders to (tests/test_patterns.py).
CONTENT_PATTERNS = (_H1, _ROOT_LINK, _HREF, _PLAIN_HREF, _HEADER_CELL, _TAG)


class Renderer:
    def __init__(self, siteurl: str = ""):
        self.siteurl = siteurl.rstrip("/")
        self.markdown = markdown.Markdown(
            extensions=["tables", "sane_lists", "fenced_code", "toc", "def_list", "abbr"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )
        # Raw HTML is refused by validation; should any get past it, it
        # shows as the text it is rather than being parsed as HTML (which
        # nh3 would then strip without a word).
        self.markdown.preprocessors.deregister("html_block")
        self.markdown.inlinePatterns.deregister("html")

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
        problems = [_link_problem(target, body, source, line) for target in _HREF.findall(html)
                    if not _PLAIN_HREF.match(target) and _removed_or_replaced(target)]
        if problems:
            raise ContentError(problems)
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
    starts, at = [], html.find("<table>")
    while at >= 0:
        starts.append(at)
        at = html.find("<table>", at + 1)
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


def _removed_or_replaced(target: str) -> bool:
    """Whether nh3 would drop this link (its scheme is not allowed) or
    Pelican would rewrite it (a placeholder such as {filename})."""
    if target[:1] in "{|":
        return True
    kept = nh3.clean(f'<a href="{target}">x</a>', tags={"a"}, attributes={"a": {"href"}}, url_schemes=URL_SCHEMES,
                     link_rel=None)
    return "href=" not in kept


def _link_problem(target: str, body: str, source: str, line: int) -> Problem:
    """Validation refuses such links first; this is the second guard, so
    that none is dropped without a word. It names the line the link's text
    is on, where it can be found."""
    shown = html_module.unescape(target)
    where = body.find(shown)
    if where >= 0:
        line += body.count("\n", 0, where)
        column = where - body.rfind("\n", 0, where)
    else:
        column = 1
    return Problem(source, line, column, "body", f"the link '{shown[:60]}' cannot be kept on the page",
                   hint="links must start with https://, http://, mailto: or tel:, or be a path on this site such "
                        "as /members/")
