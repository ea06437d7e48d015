"""Render a Markdown body to HTML that is safe to put on the site.

Python-Markdown renders, reading no raw HTML (a tag in a body is shown as
text); nh3 (the Ammonia sanitiser) then keeps only a small allow-list of
tags, attributes and URL schemes, whatever the body held.
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
#: Both run over the HTML a body renders to (tests/test_patterns.py).
CONTENT_PATTERNS = (_H1, _ROOT_LINK)


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
        # The page title is the page's only <h1>: a '# ' heading in a body
        # becomes a second-level heading.
        html = _H1.sub(r"<\1h2", html)
        html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                         link_rel="noopener noreferrer", strip_comments=True)
        if self.siteurl:
            html = _ROOT_LINK.sub(f'href="{self.siteurl}/', html)
        return html
