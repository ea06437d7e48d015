"""Checks on the Markdown body that must hold before anything is rendered.

Content comes from pull requests by people outside the team, so a body may
not carry raw HTML or links that run script. These checks work on the text
(so ``make check`` finds them without rendering) and name the line; the
renderer sanitises the HTML as well, as a second line of defence.
"""

from __future__ import annotations

import html
import re

from frontmatter.problems import Problem

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_RAW_HTML = re.compile(r"<(!--|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$))")
# A link target may hold balanced parentheses: [x](javascript:alert(1)).
_INLINE_TARGET = re.compile(r"\]\(\s*<?\s*((?:[^()\s>]|\([^()\s]*\))*)")
_REFERENCE_TARGET = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?\s*(\S+?)>?(\s|$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>")
# A line that ends before its link target, which Markdown lets follow on the
# next line: "[x](" or "[x]:".
_TARGET_ON_NEXT_LINE = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:)\s*$")
_FIRST_WORD = re.compile(r"\s*<?\s*((?:[^()\s>]|\([^()\s]*\))+)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)\s*(:|&#0*58;|&colon;|%3a)", re.IGNORECASE)


def check_body(document) -> list[Problem]:
    problems = []
    fence = None
    target_follows = False
    for offset, line in enumerate(document.body.split("\n")):
        number = document.body_line + offset
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            target_follows = False
            continue
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        raw_html = _RAW_HTML.search(text)
        if raw_html:
            tag = raw_html.group(1)
            shown = "<!--" if tag == "!--" else f"<{tag}>"
            problems.append(Problem(document.source, number, raw_html.start() + 1, "body",
                                    f"raw HTML ('{shown}') is not allowed",
                                    hint="use Markdown instead: **bold**, [link text](https://example.org), '## ' for headings"))
        targets = [(m.group(1), m.start(1)) for m in _INLINE_TARGET.finditer(text)]
        targets += [(m.group(1), m.start(1)) for m in _AUTOLINK.finditer(text)]
        reference = _REFERENCE_TARGET.match(text)
        if reference:
            targets.append((reference.group(1), reference.start(1)))
        if target_follows:
            first = _FIRST_WORD.match(text)
            if first:
                targets.append((first.group(1), first.start(1)))
        target_follows = bool(_TARGET_ON_NEXT_LINE.search(text))
        for target, column in targets:
            scheme = _SCHEME.match(_as_browser_reads(target))
            if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
                problems.append(Problem(document.source, number, column + 1, "body",
                                        f"the link '{target[:60]}' uses '{scheme.group(1)}:', which is not allowed",
                                        hint="links must start with https://, http://, mailto: or tel:, or be a path on this site such as /members/"))
    return problems


def _as_browser_reads(target: str) -> str:
    """The link as a browser will follow it: character references decoded
    (``&#x3a;`` is ':'), tabs and line breaks removed, leading spaces and
    control characters dropped."""
    return re.sub(r"[\t\n\r]", "", html.unescape(target)).lstrip("".join(map(chr, range(0x21))))
