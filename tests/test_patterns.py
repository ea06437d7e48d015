"""No pattern that runs over contributed text takes more than linear time.

A regular expression that backtracks can take time growing with the square
(or worse) of its input: one line of a couple of thousand backticks made
``make check`` take minutes. So every module that compiles a pattern lists
it, in ``CONTENT_PATTERNS`` if it ever sees text from a content file (a
field, a body, a file name, a vocabulary) and in ``TRUSTED_PATTERNS`` if it
only sees our own settings and templates; a test fails when a module
compiles a pattern it does not list, so a new one cannot be missed. Every
content pattern, and every ``pattern`` in the schemas, is then run over
long pathological text (runs of each punctuation character, of spaces and
tabs, and mixtures, behind the prefixes patterns look for) at two lengths.
The test fails when the time grows clearly faster than the length: this is
a check of growth, not of speed (the figures are in ``make bench-hostile``).
"""

from __future__ import annotations

import ast
import importlib
import string
import time
from pathlib import Path

import pytest

from validation import body, fields, links
from validation.checkers import ecma_regex
from validation.schemas import load_schemas
from validation.vocabularies import load_vocabularies

ROOT = Path(__file__).resolve().parent.parent
#: Where code reads contributed text.
FOLDERS = ("plugins/validation", "plugins/frontmatter", "plugins/content_types", "plugins/search_index",
           "plugins/tender_feeds", "plugins/member_data", "plugins/contribute", "tools")
#: Patterns made inside a function, with why they need no place in a list.
MADE_IN_FUNCTIONS = {
    ("plugins/validation/checkers.py", "compile"): "the schemas' own patterns, timed below as schema patterns",
    ("tools/codeowners.py", "compile"): "the member schema's maintainers pattern, timed below as a schema pattern",
    ("tools/bench.py", "search"): "over the benchmark's own printed figures",
}
SHORT, LONG = 1000, 8000
#: Linear growth makes the long text take LONG / SHORT times as long; this
#: allows three times that (a quadratic pattern takes eight times more).
GROWTH_LIMIT = 3 * LONG / SHORT
#: Times below this are too short to judge on a loaded machine.
FLOOR_SECONDS = 0.002

FILLERS = list(string.punctuation) + [
    " ", "\t", "a", "a ", " a", "[](", "](", "`a", "a`", "\\`", "<a", "< ", "a@", "a.", "-a", "a-", "# ", "> ",
    "- ", "**", "_a", "[a", "a]", "&#", "a:", "\\\\", " \t",
]
PREFIXES = ["", "a", "a ", "<", "<a", "# ", "# a", "[a]:", "[a]: a", "> [a]: ", "](", "`", "```", "https://", "a@", "---"]
SUFFIXES = ["", "!\n"]


def source_modules() -> dict[str, str]:
    """Every module in FOLDERS that uses the re module: path → import name."""
    modules = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if "re." not in text:
                continue
            relative = path.relative_to(ROOT).as_posix()
            parts = path.relative_to(ROOT / ("." if folder == "tools" else "plugins")).with_suffix("").parts
            modules[relative] = ".".join(parts)
    return modules


def pattern_calls(path: Path):
    """(function name, assigned module-level name or None, inside a function) for every re.<function>(…)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) \
                    and isinstance(child.func.value, ast.Name) and child.func.value.id == "re" \
                    and child.func.attr in ("compile", "match", "search", "sub", "subn", "findall", "finditer",
                                            "split", "fullmatch"):
                name = None
                if not in_function and isinstance(node, ast.Assign) and len(node.targets) == 1 \
                        and isinstance(node.targets[0], ast.Name):
                    name = node.targets[0].id
                found.append((child.func.attr, name, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def registered_patterns():
    """(where, pattern) for every content pattern the modules list."""
    patterns = []
    for path, module_name in source_modules().items():
        module = importlib.import_module(module_name)
        for pattern in getattr(module, "CONTENT_PATTERNS", ()):
            patterns.append((f"{module_name}:{pattern.pattern[:40]}", pattern))
    return patterns


def schema_patterns():
    """(where, pattern) for every "pattern" in the completed schemas."""
    found = {}

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found[node["pattern"]] = where
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for name, schema in load_schemas(load_vocabularies(ROOT)).items():
        walk(schema, name)
    return [(f"schema {where}: {pattern[:40]}", ecma_regex(pattern)) for pattern, where in found.items()]


def pathological(length: int):
    """(name, text) pairs: each filler repeated to ``length`` behind each prefix."""
    for prefix in PREFIXES:
        for filler in FILLERS:
            run = (filler * (length // len(filler) + 1))[:length]
            for suffix in SUFFIXES:
                yield f"{prefix!r} + {filler!r}*n + {suffix!r}", prefix + run + suffix


def seconds(pattern, text: str, repeat: int) -> float:
    """The shortest of ``repeat`` runs of findall (which tries every
    starting point, as search and finditer do) and fullmatch."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        pattern.findall(text)
        pattern.fullmatch(text)
        best = min(best, time.perf_counter() - started)
    return best


# -- every pattern is listed -------------------------------------------------------


def test_every_compiled_pattern_is_listed_as_content_or_trusted():
    unlisted = []
    for path, module_name in source_modules().items():
        module = importlib.import_module(module_name)
        listed = {id(p) for p in getattr(module, "CONTENT_PATTERNS", ()) + getattr(module, "TRUSTED_PATTERNS", ())}
        for function, name, in_function in pattern_calls(ROOT / path):
            if in_function and (path, function) in MADE_IN_FUNCTIONS:
                continue
            if function != "compile" or in_function or name is None:
                unlisted.append(f"{path}: re.{function}(...) outside a module-level pattern: compile it as a "
                                "module constant and list it")
            elif id(getattr(module, name)) not in listed:
                unlisted.append(f"{path}: {name} is in neither CONTENT_PATTERNS nor TRUSTED_PATTERNS")
    assert not unlisted, "\n".join(unlisted)


def test_the_lists_hold_the_patterns_the_issue_named():
    assert len(registered_patterns()) > 40
    assert body.blank_code_spans.__module__ == "validation.body"  # code spans: plain code, not a pattern
    assert links.heading_text.__module__ == "validation.links"  # headings: plain code, not a pattern
    assert fields.MARKUP in fields.CONTENT_PATTERNS
    assert body._REFERENCE_TARGET in body.CONTENT_PATTERNS


def test_the_pathological_texts_include_the_issue_s_cases():
    texts = {name for name, _ in pathological(10)}
    for case in ("'a' + '`'*n + ''", "'# ' + ' '*n + '!\\n'", "'<' + ' '*n + ''", "'[a]:' + ' '*n + ''"):
        assert case in texts


# -- linear time ---------------------------------------------------------------------


@pytest.mark.parametrize("where,pattern", registered_patterns() + schema_patterns(), ids=lambda x: str(x)[:60])
def test_the_pattern_takes_linear_time_on_pathological_text(where, pattern):
    short = dict(pathological(SHORT))
    slow = []
    for name, text in pathological(LONG):
        taken = seconds(pattern, text, 1)
        if taken < FLOOR_SECONDS or taken < GROWTH_LIMIT * seconds(pattern, short[name], 1):
            continue  # nearly every text: too quick to be a worry, or as quick as linear growth allows
        # Measure again, more carefully, before calling it slow.
        taken = seconds(pattern, text, 5)
        before = seconds(pattern, short[name], 5)
        if taken >= FLOOR_SECONDS and taken >= GROWTH_LIMIT * before:
            plain = seconds(pattern, ("plain words of text " * LONG)[:len(text)], 5)
            slow.append(f"{name}: {before * 1000:.1f} ms at {SHORT} characters, {taken * 1000:.1f} ms at {LONG} "
                        f"({taken / max(plain, 1e-9):.0f} times plain text of that length)")
    assert not slow, f"{where} grows faster than linearly:\n" + "\n".join(slow)
