"""Tender feeds and data: an Atom feed of tenders, an iCalendar file of
every deadline and event, and the tenders as OCDS JSON (see README.md)."""

from pathlib import Path

from pelican import signals

import incremental

from .settings import check_settings, report
from .writer import write_tender_feeds

_state = {}


def check(pelican):
    report(check_settings(pelican.settings))


def remember_generators(generators):
    content = incremental.published()
    if content is not None:
        _state["generator"] = content


def write(pelican):
    generator = _state.pop("generator", None)
    if generator is not None:
        write_tender_feeds(generator.site, generator.context, pelican.settings, Path(pelican.output_path))


def register():
    signals.initialized.connect(check)
    signals.all_generators_finalized.connect(remember_generators)
    signals.finalized.connect(write)
