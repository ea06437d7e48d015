"""The plugin's settings: every default in one place, every bad value
reported at start-up with the plugin's name."""

from __future__ import annotations

import logging
import re
from pathlib import PurePosixPath

logger = logging.getLogger(__name__)

#: Setting name -> default. README.md describes each one.
DEFAULTS = {
    "TENDER_FEEDS_ATOM_PATH": "feeds/tenders.atom.xml",
    "TENDER_FEEDS_ATOM_MAX_ENTRIES": 100,
    "TENDER_FEEDS_CALENDAR_PATH": "data/deadlines.ics",
    "TENDER_FEEDS_EVENT_CALENDARS": True,
    "TENDER_FEEDS_REMINDER_DAYS": 7,
    "TENDER_FEEDS_OCDS_PATH": "data/tenders.json",
    "TENDER_FEEDS_OCID_PREFIX": "ocds-xxxxxx",
}
#: The default OCID prefix is a placeholder, not a registered prefix: OCIDs
#: made with it are not unique beyond this site.
PLACEHOLDER_OCID_PREFIX = DEFAULTS["TENDER_FEEDS_OCID_PREFIX"]
PATH_SETTINGS = ("TENDER_FEEDS_ATOM_PATH", "TENDER_FEEDS_CALENDAR_PATH", "TENDER_FEEDS_OCDS_PATH")
OCID_PREFIX = re.compile(r"ocds-[a-z0-9]{6}")
#: Runs over a setting, not content (tests/test_patterns.py).
TRUSTED_PATTERNS = (OCID_PREFIX,)


def check_settings(settings: dict) -> list[str]:
    """Fill in the defaults; return one message for each bad setting.

    A bad setting is put back to its default so that the rest of the build
    runs and reports its own problems; the logged error still fails it."""
    for name, default in DEFAULTS.items():
        settings.setdefault(name, default)
    problems = {}
    for name in PATH_SETTINGS:
        value = settings[name]
        if value not in (None, "") and not (isinstance(value, str) and _is_inside_output(value)):
            problems[name] = (f"must be a path inside the output folder, such as '{DEFAULTS[name]}', "
                              f"or empty to write no file; found {value!r}")
    for name, minimum in (("TENDER_FEEDS_ATOM_MAX_ENTRIES", 1), ("TENDER_FEEDS_REMINDER_DAYS", 0)):
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            problems[name] = f"must be a whole number of at least {minimum}; found {value!r}"
    if not isinstance(settings["TENDER_FEEDS_EVENT_CALENDARS"], bool):
        problems["TENDER_FEEDS_EVENT_CALENDARS"] = f"must be True or False; found {settings['TENDER_FEEDS_EVENT_CALENDARS']!r}"
    prefix = settings["TENDER_FEEDS_OCID_PREFIX"]
    if not isinstance(prefix, str) or not OCID_PREFIX.fullmatch(prefix):
        problems["TENDER_FEEDS_OCID_PREFIX"] = (
            "must be 'ocds-' and six lower-case letters or digits, the prefix the Open Contracting "
            f"Partnership registers for a publisher; found {prefix!r}")
    for name in problems:
        settings[name] = DEFAULTS[name]
    if settings["TENDER_FEEDS_OCID_PREFIX"] == PLACEHOLDER_OCID_PREFIX and settings["TENDER_FEEDS_OCDS_PATH"] \
            and "TENDER_FEEDS_OCID_PREFIX" not in problems:
        logger.warning("tender_feeds: TENDER_FEEDS_OCID_PREFIX is the placeholder %r, so the OCIDs in %s are "
                       "not unique beyond this site; register a prefix with the Open Contracting Partnership "
                       "and set it in pelicanconf.py", PLACEHOLDER_OCID_PREFIX, settings["TENDER_FEEDS_OCDS_PATH"])
    return [f"{name} {message}" for name, message in problems.items()]


def report(problems: list[str]) -> None:
    for problem in problems:
        logger.error("tender_feeds: setting %s", problem)


def _is_inside_output(value: str) -> bool:
    path = PurePosixPath(value)
    return not path.is_absolute() and "\\" not in value and ".." not in path.parts and path.name not in ("", ".")
