"""The plugin's settings: every default in one place, every bad value
reported at start-up with the plugin's name (README.md has the table)."""

from __future__ import annotations

import logging
import re
from pathlib import PurePosixPath

logger = logging.getLogger(__name__)

KNOWLEDGE_TYPES = ["case_study", "model", "tender", "guide", "event", "page"]

#: Setting name -> default.
DEFAULTS = {
    "SEARCH_INDEX_PATH": "search",
    "SEARCH_FIELD_BOOSTS": {"title": 10, "keywords": 4, "summary": 2},
    "SEARCH_TEXT_SHARDS": {"knowledge": KNOWLEDGE_TYPES, "members": ["member"]},
    "SEARCH_FULL_TEXT_BELOW": 10,
    "SEARCH_PREFETCH_BYTES": 100_000,
    "SEARCH_SUMMARY_CHARS": 300,
    "SEARCH_LUNR_JS": "node_modules/lunr/lunr.min.js",
    # From this many documents the index is built in a second process while
    # the pages are written (incremental/parallel.py); below it, in the
    # build's own.
    "SEARCH_BACKGROUND_FROM": 500,
}
FIRST_INDEX_FIELDS = ("title", "keywords", "summary")
SHARD_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
#: Runs over settings, not content (tests/test_patterns.py).
TRUSTED_PATTERNS = (SHARD_NAME,)


def check_settings(settings: dict, type_names: list[str]) -> list[str]:
    """Fill in the defaults; return one message for each bad setting.

    A bad setting is put back to its default so that the rest of the build
    runs and reports its own problems; the logged error still fails it."""
    for name, default in DEFAULTS.items():
        settings.setdefault(name, default)
    problems = {}

    path = settings["SEARCH_INDEX_PATH"]
    if not isinstance(path, str) or not _is_inside_output(path):
        problems["SEARCH_INDEX_PATH"] = f"must be a folder inside the output, such as 'search'; found {path!r}"

    boosts = settings["SEARCH_FIELD_BOOSTS"]
    if not isinstance(boosts, dict) or set(boosts) != set(FIRST_INDEX_FIELDS) \
            or not all(_is_number(boost) and boost > 0 for boost in boosts.values()):
        problems["SEARCH_FIELD_BOOSTS"] = (
            f"must give a positive number for each of {', '.join(FIRST_INDEX_FIELDS)}, "
            f"for example {DEFAULTS['SEARCH_FIELD_BOOSTS']}; found {boosts!r}")

    shards = settings["SEARCH_TEXT_SHARDS"]
    expected = (f"must map shard names (lower-case letters, digits, hyphens) to lists of content types, "
                f"each of {', '.join(type_names)} in exactly one shard")
    if not isinstance(shards, dict) or not all(
            isinstance(name, str) and SHARD_NAME.fullmatch(name) and isinstance(types, list)
            for name, types in shards.items()):
        problems["SEARCH_TEXT_SHARDS"] = f"{expected}; found {shards!r}"
    else:
        listed = [type_name for types in shards.values() for type_name in types]
        unknown = [str(type_name) for type_name in listed if type_name not in type_names]
        missing = [type_name for type_name in type_names if type_name not in listed]
        twice = list(dict.fromkeys(type_name for type_name in listed if listed.count(type_name) > 1))
        details = [f"unknown: {', '.join(unknown)}" if unknown else "",
                   f"missing: {', '.join(missing)}" if missing else "",
                   f"listed twice: {', '.join(twice)}" if twice else ""]
        if unknown or missing or twice:
            problems["SEARCH_TEXT_SHARDS"] = f"{expected}; {'; '.join(d for d in details if d)}"

    for name, minimum in (("SEARCH_FULL_TEXT_BELOW", 0), ("SEARCH_PREFETCH_BYTES", 0), ("SEARCH_SUMMARY_CHARS", 40),
                          ("SEARCH_BACKGROUND_FROM", 0)):
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            problems[name] = f"must be a whole number of at least {minimum}; found {value!r}"

    lunr_js = settings["SEARCH_LUNR_JS"]
    if not isinstance(lunr_js, str) or not lunr_js:
        problems["SEARCH_LUNR_JS"] = f"must be the path of lunr.min.js in the project; found {lunr_js!r}"

    for name in problems:
        settings[name] = DEFAULTS[name]
    return [f"{name} {message}" for name, message in problems.items()]


def report(problems: list[str]) -> None:
    for problem in problems:
        logger.error("search_index: setting %s", problem)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_inside_output(value: str) -> bool:
    path = PurePosixPath(value)
    return not path.is_absolute() and "\\" not in value and ".." not in path.parts and path.name not in ("", ".")
