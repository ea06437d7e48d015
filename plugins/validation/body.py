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
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# A line that ends before its link target, which Markdown lets follow on the
# next line: "[x](" or "[x]:".
_TARGET_ON_NEXT_LINE = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:)\s*$")
_FIRST_WORD = re.compile(r"\s*<?\s*((?:[^()\s>]|\([^()\s]*\))+)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)\s*(:|&#0*58;|&colon;|%3a)", re.IGNORECASE)
_IMAGE = re.compile(r"!\[")
#: Python-Markdown recurses into nested emphasis, links and lists (a
#: RecursionError a few hundred levels down) and takes time that grows with
#: the square of the depth of nested brackets, so a body may nest only so
#: deep and repeat such a character only so often.
MAX_NESTING = 32
MAX_RUN = 50
MAX_PARAGRAPH = 5000  # characters; the longest in the real content is under half that
MAX_LINKS = 500  # in one body; the most in the real content is a few dozen
_RUN = re.compile(r"([*_~\[\]()>])\1{%d,}" % MAX_RUN)
#: A body without any of these holds no HTML, link, image or nesting (a line
#: indented beyond the limit starts with at least 33 spaces or tabs).
_MARKDOWN_SIGNS = re.compile(r"[<>\[\]()*_~]|^[ \t]{33}", re.MULTILINE)
_NESTING_CHARACTERS = re.compile(r"[*_~\[\]()>]")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([*_-])( *\1){2,} *$")
_BRACKET = re.compile(r"\\.|[\[\]]")
_EMPHASIS = re.compile(r"\\.|[*_]+")
_QUOTES = re.compile(r"^(?: {0,3}> ?)+")
_INDENT = re.compile(r"^[ \t]*")


def check_body(document) -> list[Problem]:
    if len(document.body) <= MAX_PARAGRAPH and not _MARKDOWN_SIGNS.search(document.body):
        return []  # plain prose, as most bodies are: nothing below can find a problem
    problems = []
    fence = None
    target_follows = False
    limits = _Limits()
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
            limits.new_paragraph()
            continue
        if not line.strip():
            limits.new_paragraph()
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line
        too_deep = limits.check(line, text)
        if too_deep:
            column, message, hint = too_deep
            problems.append(Problem(document.source, number, column, "body", message, hint=hint))
        image = _IMAGE.search(text) if "![" in text else None
        if image:
            problems.append(Problem(document.source, number, image.start() + 1, "body",
                                    "images are not supported ('![...](...)')",
                                    hint="link to the picture instead, as [what it shows](https://example.org/picture.png), or remove it"))
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


class _Limits:
    """What one body holds that Python-Markdown cannot render safely: nesting
    too deep (it recurses), long runs of one character, and paragraphs or
    numbers of links so large that rendering slows to a crawl (its link and
    emphasis patterns take time that grows with the square of their input).
    Reports the first line beyond a limit, once a paragraph."""

    def __init__(self):
        self.brackets_in_body = 0
        self.new_paragraph()

    def new_paragraph(self):
        self.brackets = 0
        self.emphasis = 0
        self.length = 0
        self.reported = False

    def check(self, line: str, text: str):
        """``text`` is ``line`` with its code spans blanked out; returns
        (column, message, hint) or None."""
        if self.reported:
            return None
        found = self._find(line, text)
        self.reported = found is not None
        return found

    def _find(self, line: str, text: str):
        deeper = f"more than Markdown can safely render (at most {MAX_NESTING} levels)"
        indent = _INDENT.match(line).group().expandtabs(4)
        if len(indent) > 4 * MAX_NESTING:
            return (1, f"the line is indented {len(indent)} spaces: lists nested that deep are {deeper}",
                    "indent it less; each level of a list needs 4 spaces")
        quotes = _QUOTES.match(text)
        if quotes and quotes.group().count(">") > MAX_NESTING:
            return (1, f"quotes ('>') are nested {quotes.group().count('>')} levels deep, {deeper}",
                    "use fewer '>' at the start of the line")
        self.length += len(line) + 1
        if self.length > MAX_PARAGRAPH:
            too_long = (1, f"the paragraph is longer than {MAX_PARAGRAPH} characters, more than Markdown can safely "
                        "render", "split it into shorter paragraphs, with a blank line between them")
        else:
            too_long = None
        if not _NESTING_CHARACTERS.search(text):
            return too_long
        if not _THEMATIC_BREAK.match(text):
            run = _RUN.search(text)
            if run:
                return (run.start() + 1,
                        f"a run of {len(run.group())} '{run.group(1)}' characters is more than Markdown can safely "
                        f"render (at most {MAX_RUN})",
                        "shorten it; to show the characters themselves, put them in a code block")
        if "[" in text or "]" in text:
            for match in _BRACKET.finditer(text):
                character = match.group()
                if character == "[":
                    self.brackets += 1
                    self.brackets_in_body += 1
                    if self.brackets > MAX_NESTING:
                        return (match.start() + 1, f"brackets ('[') are nested more than {MAX_NESTING} levels deep, "
                                "more than Markdown can safely render",
                                "close each '[' with ']' sooner, or write '\\[' for a bracket that is only text")
                    if self.brackets_in_body == MAX_LINKS + 1:
                        return (match.start() + 1, f"the body has more than {MAX_LINKS} links or '[' brackets, more "
                                "than Markdown can safely render",
                                "link to fewer pages, or write '\\[' for a bracket that is only text")
                elif character == "]":
                    self.brackets = max(0, self.brackets - 1)
        if "*" in text or "_" in text:
            for match in _EMPHASIS.finditer(text):
                if match.group()[0] == "\\":
                    continue
                before = text[match.start() - 1] if match.start() else " "
                after = text[match.end()] if match.end() < len(text) else " "
                opens, closes = not after.isspace(), not before.isspace()
                if opens and (not closes or self.emphasis == 0):
                    self.emphasis += 1
                    if self.emphasis > MAX_NESTING:
                        return (match.start() + 1, f"emphasis ('*' or '_') is nested more than {MAX_NESTING} levels "
                                "deep, more than Markdown can safely render",
                                "close each '*' or '_' sooner, or write '\\*' for a star that is only text")
                elif closes:
                    self.emphasis = max(0, self.emphasis - 1)
        return too_long
