"""Write the feed, the calendar and the OCDS data into the output folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from .atom import tender_feed
from .common import generated_at
from .ical import deadlines_calendar, event_calendar, event_calendar_path
from .ocds import SCHEMA_PATH, own_extension_files, package_schema, release_package

logger = logging.getLogger(__name__)


def write_tender_feeds(site: dict, context: dict, settings: dict, output: Path) -> list[Path]:
    """Write every file whose path setting is not empty, and each event's
    own calendar (unless TENDER_FEEDS_EVENT_CALENDARS is off); return their paths.

    ``site`` is the collections generator's ``{type: [content]}`` with the
    tenders' computed status, deadline and bid window already set."""
    tenders, events = site["tender"], site["event"]
    vocabularies = context["vocab"]
    generated = generated_at(context["today"], pinned=bool(str(settings.get("SITE_TODAY") or "").strip()))
    files = {
        "TENDER_FEEDS_ATOM_PATH": lambda: tender_feed(tenders, settings, vocabularies),
        "TENDER_FEEDS_CALENDAR_PATH": lambda: deadlines_calendar(tenders, events, settings, vocabularies, generated),
        "TENDER_FEEDS_OCDS_PATH": lambda: (json.dumps(release_package(tenders, settings, vocabularies, generated),
                                                      ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
    }
    written = []
    if settings.get("TENDER_FEEDS_EVENT_CALENDARS"):
        for event in events:
            path = output / event_calendar_path(event)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(event_calendar(event, settings, generated))
            written.append(path)
    for setting, render in files.items():
        if not settings.get(setting):
            continue
        path = output / settings[setting]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render())
        written.append(path)
        logger.debug("tender_feeds: wrote %s", path)
    if settings.get("TENDER_FEEDS_OCDS_PATH"):
        # What the package refers to: its schema and the site's own extensions.
        for name, content in {SCHEMA_PATH: package_schema(settings), **own_extension_files(settings)}.items():
            path = output / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
    return written
