"""Checks on the Markdown body that must hold before anything is rendered.

Content comes from pull requests by people outside the team, so a body may
not carry raw HTML or links that run script. These checks work on the text
(so ``make check`` finds them without rendering) and name the line; the
renderer sanitises the HTML as well, as a second line of defence.

They see the body as Python-Markdown will: :func:`code_lines` finds the
fenced code blocks as its ``fenced_code`` extension does (a fence at the
start of a line, closed by the same fence; a fence never closed is text),
code spans are found with its rule (escaped backticks open none), and a
link definition counts inside quotes and list items too. Every pattern here
runs in time linear in the text it is given (``CONTENT_PATTERNS``, which
``tests/test_patterns.py`` times against pathological text).
"""

from __future__ import annotations

import bisect
import html
import re
from urllib.parse import urlsplit

from frontmatter.problems import Problem

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
#: An opening fence as fenced_code reads one: at the very start of the line,
#: then at most a language (the {attributes} form is read as text here,
#: which can only make the checks stricter).
_FENCE_OPENING = re.compile(r"(`{3,}+|~{3,}+) *+(?:\.?[\w#.+-]*+ *+)?")
_BACKTICKS = re.compile(r"`++")
_RAW_HTML = re.compile(r"<(!--|/?[A-Za-z][A-Za-z0-9-]*+(?=[\s/>]|$))")
# A link target may hold balanced parentheses: [x](javascript:alert(1)).
_INLINE_TARGET = re.compile(r"\]\(\s*+<?\s*+((?:[^()\s>]++|\([^()\s]*+\))*+)")
#: The quotes, list markers and indentation a link definition may stand
#: behind: Python-Markdown reads definitions inside quotes and list items.
_CONTAINERS = r"(?:[ \t>]++|[-*+](?=[ \t])|[0-9]{1,9}+[.)](?=[ \t]))*+"
_REFERENCE_TARGET = re.compile(r"\A" + _CONTAINERS + r"\[[^\]]*+\]:[ \t]*+<?[ \t]*+(\S++)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*+:[^<>\s]*+)>")
# A line that ends before its link target, which Markdown lets follow on the
# next line: "[x](" or "[x]:".
_TARGET_ON_NEXT_LINE = re.compile(r"(?:\]\(\s*+<?|\A" + _CONTAINERS + r"\[[^\]]*+\]:)\s*+\Z")
_FIRST_WORD = re.compile(r"\A\s*+<?\s*+((?:[^()\s>]++|\([^()\s]*+\))++)")
_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.\-]*+)\s*+(:|&#0*+58;|&colon;|%3a)", re.IGNORECASE)
#: Pelican's link placeholders ({filename}, {static}, {index}, |tag|, …),
#: which it replaces in links after rendering.
_PLACEHOLDER = re.compile(r"\A[{|][^{}|]*+[}|]")
#: A link whose text has no spaces: it may show a web address.
_SHOWN_TEXT = re.compile(r"\[([^\[\]\s]{4,200}+)\]\(\s*+<?\s*+([^()\s>]++)")
_IMAGE = re.compile(r"!\[")
_BREAKS = re.compile(r"[\t\n\r]")
#: Python-Markdown recurses into nested emphasis, links and lists (a
#: RecursionError a few hundred levels down) and takes time that grows with
#: the square of the depth of nested brackets, so a body may nest only so
#: deep and repeat such a character only so often.
MAX_NESTING = 32
MAX_RUN = 50
MAX_PARAGRAPH = 5000  # characters; the longest in the real content is under half that
MAX_LINKS = 500  # in one body; the most in the real content is a few dozen
#: Lines of text (outside code blocks): Python-Markdown's time grows faster
#: than the number of blocks (headings that share a name most of all); the
#: longest body in the real content has about 200.
MAX_LINES = 2000
#: Fences never closed: for each, fenced_code searches the rest of the body.
MAX_UNCLOSED_FENCES = 10
_RUN = re.compile(r"([*_~\[\]()>#])\1{%d,}+" % MAX_RUN)
#: A body without any of these holds no HTML, link, image or nesting (a line
#: indented beyond the limit starts with at least 33 spaces or tabs).
_MARKDOWN_SIGNS = re.compile(r"[<>\[\]()*_~]|^[ \t]{33}", re.MULTILINE)
_NESTING_CHARACTERS = re.compile(r"[*_~\[\]()>]")
_HASH_RUN = "#" * (MAX_RUN + 1)  # a heading line of these takes Markdown time that grows with its square
_THEMATIC_BREAK = re.compile(r"\A {0,3}+([*_-])(?: *+\1){2,}+ *+\Z")
_BRACKET = re.compile(r"\\.|[\[\]]")
_EMPHASIS = re.compile(r"\\.|[*_]++")
_QUOTES = re.compile(r"\A(?: {0,3}+> ?+)++")
_INDENT = re.compile(r"\A[ \t]*+")
_PART_START = re.compile(r"\A {0,3}+(?:[>#]|[-*+] |[0-9]{1,9}+[.)] |[-*_] *+[-*_] *+[-*_])")

#: Every pattern above that runs over contributed text.
CONTENT_PATTERNS = (_FENCE_OPENING, _BACKTICKS, _RAW_HTML, _INLINE_TARGET, _REFERENCE_TARGET, _AUTOLINK,
                    _TARGET_ON_NEXT_LINE, _FIRST_WORD, _SHOWN_TEXT, _SCHEME, _PLACEHOLDER, _IMAGE, _BREAKS, _RUN,
                    _MARKDOWN_SIGNS, _NESTING_CHARACTERS, _THEMATIC_BREAK, _BRACKET, _EMPHASIS, _QUOTES, _INDENT,
                    _PART_START)


def code_lines(lines: list[str]) -> list[bool]:
    """Which lines fenced_code makes into code blocks (fences included):
    an opening fence at the start of a line, closed by the next line that
    is the same fence (then spaces only). A fence with no such line is
    text. Linear in the number of lines: the closing lines are looked up,
    not searched for."""
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        if line[:3] in ("```", "~~~"):
            fence = line.rstrip(" ")
            if fence.count(fence[0]) == len(fence):
                closings.setdefault(fence, []).append(number)
    code = [False] * len(lines)
    if not closings:
        return code
    number = 0
    while number < len(lines):
        line = lines[number]
        opening = _FENCE_OPENING.fullmatch(line.expandtabs(4)) if line[:3] in ("```", "~~~") else None
        if opening:
            candidates = closings.get(opening.group(1), ())
            at = bisect.bisect_right(candidates, number)
            if at < len(candidates):
                end = candidates[at]
                code[number:end + 1] = [True] * (end + 1 - number)
                number = end + 1
                continue
        number += 1
    return code


def blank_code_spans(text: str) -> str:
    """``text`` (one paragraph) with its code spans replaced by spaces,
    found as Python-Markdown finds them: a run of backticks not escaped by
    a backslash opens a span, closed by the next run of the same length or,
    failing that, by the longest later run if it is shorter. Linear (with
    a logarithm): each run's partner is looked up rather than searched for."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    if len(runs) < 2:
        return text
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    # longest[i]: the longest run from run i on, and the first run that long.
    longest = [(0, -1)] * (len(runs) + 1)
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        longest[index] = (length, index) if length >= longest[index + 1][0] else longest[index + 1]
    spans = []
    index, floor = 0, 0
    while index < len(runs):
        start, end = runs[index]
        backslashes = 0
        while start - backslashes - 1 >= floor and text[start - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2:  # the first backtick is escaped; the next may open
            start += 1
        ticks = end - start
        if ticks == 0:
            index += 1
            continue
        same = by_length.get(ticks, ())
        at = bisect.bisect_right(same, index)
        if at < len(same):
            partner = same[at]
        else:
            length, partner = longest[index + 1]
            if not 0 < length < ticks:
                index += 1
                continue
        spans.append((start, runs[partner][1]))
        floor = runs[partner][1]
        index = partner + 1
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(_blanked(text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _blanked(code: str) -> str:
    """Code as spaces, keeping its line breaks so that lines still line up."""
    return "\n".join(" " * len(line) for line in code.split("\n"))


def _without_code_spans(block: list[str]) -> list[str]:
    """The lines of one block with the code spans blanked that are code
    however Markdown divides the block: Python-Markdown pairs backticks
    within a paragraph, a heading, a list item or a quote, and which of
    those a line belongs to depends on more than this check reads. So text
    is hidden only if it is inside a code span whether the block is read as
    one paragraph, as separate lines, or split where quotes, headings and
    list items start."""
    joined = "\n".join(block)
    whole = blank_code_spans(joined)
    by_line = "\n".join(blank_code_spans(line) for line in block)
    by_part = "\n".join(blank_code_spans("\n".join(part)) for part in _parts(block))
    if whole == by_line == by_part:
        return whole.split("\n")
    kept = [a if a != " " else b if b != " " else c for a, b, c in zip(whole, by_line, by_part)]
    return "".join(kept).split("\n")


def _parts(block: list[str]):
    """The block split before each line that starts a quote, a heading, a
    list item or a rule, as Python-Markdown may split it."""
    part: list[str] = []
    for line in block:
        if part and _PART_START.match(line):
            yield part
            part = []
        part.append(line)
    yield part


def _blocks(lines: list[str], code: list[bool]):
    """The runs of lines Markdown reads as one block of text: between blank
    lines and code blocks. Yields (first line's index, lines)."""
    first = None
    for number, line in enumerate(lines):
        if code[number] or not line.strip():
            if first is not None:
                yield first, lines[first:number]
                first = None
        elif first is None:
            first = number
    if first is not None:
        yield first, lines[first:]


def check_body(document) -> list[Problem]:
    body = document.body
    if len(body) <= MAX_PARAGRAPH and not _MARKDOWN_SIGNS.search(body) and _HASH_RUN not in body \
            and ("```" not in body or body.count("\n```") < MAX_UNCLOSED_FENCES):
        return []  # ("~" is a sign already)  # plain prose, as most bodies are: nothing below can find a problem
    problems = []
    lines = body.split("\n")
    code = code_lines(lines)
    texts = list(lines)
    if "`" in body:
        for first, block in _blocks(lines, code):
            if any("`" in line for line in block):
                texts[first:first + len(block)] = _without_code_spans(block)
    target_follows = False
    limits = _Limits()
    text_lines = unclosed_fences = 0
    for offset, line in enumerate(lines):
        number = document.body_line + offset
        if code[offset]:
            if not code[offset - 1] if offset else True:
                target_follows = False
                limits.new_paragraph()
            continue
        text_lines += 1
        if text_lines > MAX_LINES:
            problems.append(Problem(document.source, number, 1, "body",
                                    f"the text is longer than {MAX_LINES} lines, more than Markdown can safely render",
                                    hint="shorten it, or split it between several pages"))
            break  # the body is refused; the rest need not be read
        if line[:3] in ("```", "~~~"):
            unclosed_fences += 1
            if unclosed_fences == MAX_UNCLOSED_FENCES + 1:
                problems.append(Problem(document.source, number, 1, "body",
                                        f"more than {MAX_UNCLOSED_FENCES} code fences ('{line[:3]}') are never closed, "
                                        "more than Markdown can safely render",
                                        hint="close each code block with a line holding the same fence it opened with"))
        if not line.strip():
            limits.new_paragraph()
        text = texts[offset]
        too_deep = limits.check(line, text)
        if too_deep:
            column, message, hint = too_deep
            problems.append(Problem(document.source, number, column, "body", message, hint=hint))
        image = _IMAGE.search(text) if "![" in text else None
        if image:
            problems.append(Problem(document.source, number, image.start() + 1, "body",
                                    "images are not supported ('![...](...)')",
                                    hint="link to the picture instead, as [what it shows](https://example.org/picture.png), or remove it"))
        raw_html = _RAW_HTML.search(text) if "<" in text else None
        if raw_html:
            tag = raw_html.group(1)
            shown = "<!--" if tag == "!--" else f"<{tag}>"
            problems.append(Problem(document.source, number, raw_html.start() + 1, "body",
                                    f"raw HTML ('{shown}') is not allowed",
                                    hint="use Markdown instead: **bold**, [link text](https://example.org), '## ' for headings"))
        targets = [(m.group(1), m.start(1)) for m in _INLINE_TARGET.finditer(text)] if "](" in text else []
        if "<" in text:
            targets += [(m.group(1), m.start(1)) for m in _AUTOLINK.finditer(text)]
        reference = _REFERENCE_TARGET.match(text) if "]:" in text else None
        if reference:
            targets.append((reference.group(1).removesuffix(">"), reference.start(1)))
        if target_follows:
            first = _FIRST_WORD.match(text)
            if first:
                targets.append((first.group(1), first.start(1)))
        target_follows = bool(_TARGET_ON_NEXT_LINE.search(text)) if "](" in text or "]:" in text else False
        if "](" in text:
            for shown in _SHOWN_TEXT.finditer(text):
                problem = shown_host_problem(shown.group(1), shown.group(2))
                if problem:
                    message, hint = problem
                    problems.append(Problem(document.source, number, shown.start(1), "body", message, hint=hint))
        for target, column in targets:
            problem = link_problem(target)
            if problem:
                message, hint = problem
                problems.append(Problem(document.source, number, column + 1, "body", message, hint=hint))
    return problems


def link_problem(target: str) -> tuple[str, str] | None:
    """(message, hint) for a link target a body may not have, or None."""
    if target[:1] in "{|" and _PLACEHOLDER.match(target):
        return (f"the link '{target[:60]}' uses a Pelican placeholder ('{_PLACEHOLDER.match(target).group()}'), "
                "which this site does not use",
                "link to the page's address on this site instead, such as /members/example-trust/")
    followed = _as_browser_reads(target)
    scheme = _SCHEME.match(followed)
    if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
        return (f"the link '{target[:60]}' uses '{scheme.group(1)}:', which is not allowed",
                "links must start with https://, http://, mailto: or tel:, or be a path on this site such as /members/")
    host = _web_host(followed)
    if host is not None and "@" in host:
        return (f"the link '{target[:60]}' holds a user name before '@', so it goes to '{host.rpartition('@')[2][:80]}'",
                "write the address without the part up to '@', as https://www.example.org/")
    return None


def shown_host_problem(text: str, target: str) -> tuple[str, str] | None:
    """(message, hint) when a link's text shows a web address on one host
    and the link goes to another: [www.example.org](https://elsewhere.example/)."""
    shown = text.lower().removeprefix("https://").removeprefix("http://").split("/")[0]
    labels = shown.split(".")
    if len(labels) < 2 or not all(labels) or not (labels[-1].isascii() and labels[-1].isalpha()) \
            or len(labels[-1]) < 2:
        return None  # the text is not an address: "e.g.", "v1.2"
    host = _web_host(_as_browser_reads(target))
    if host is None or "@" in host:
        return None  # not a web link, or refused already
    if host.lower().removeprefix("www.") == shown.removeprefix("www."):
        return None
    return (f"the link text shows '{shown[:80]}' but the link goes to '{host[:80]}'",
            "make the text say where the link goes, or link to the address it shows")


def _web_host(target: str) -> str | None:
    """The host (with any user name) of an http(s) address, or None."""
    if not target[:5].lower().startswith(("http:", "https")):
        return None
    try:
        return urlsplit(target).netloc.split(":")[0] if "@" not in target else urlsplit(target).netloc
    except ValueError:
        return None


def _as_browser_reads(target: str) -> str:
    """The link as a browser will follow it: character references decoded
    (``&#x3a;`` is ':'), tabs and line breaks removed, leading spaces and
    control characters dropped."""
    return _BREAKS.sub("", html.unescape(target)).lstrip("".join(map(chr, range(0x21))))


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
        if not _NESTING_CHARACTERS.search(text) and _HASH_RUN not in text:
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
