"""Member open data: /data/members.csv, /data/members.json and the data
behind the directory's live filtering (see README.md)."""

import logging
from pathlib import Path

from pelican import signals

from content_types import parallel

from .writer import write_member_data

logger = logging.getLogger(__name__)
_state = {}

#: What write_member_data writes, relative to the output folder.
FILES = ["data/members.csv", "data/members.json", "members/filter-data.json"]


def start(generators):
    """Write the files once the content is read and related: for a large
    directory in a second process, while the pages are written."""
    _state.pop("pending", None)  # left by a build that failed before finishing
    generator = next((g for g in generators if hasattr(g, "site")), None)
    if generator is None:
        return
    # Made from front matter only: if that is as it was when the output
    # folder was last written (make serve, after a profile's text was
    # edited), the files there are left as they are.
    if generator.reuse.all_unchanged(FILES, generator.metadata_key):
        return
    settings = generator.settings
    in_background = len(generator.site["member"]) >= settings.get("CONTENT_TYPES_PARALLEL_FROM", 1000)
    _state["pending"] = parallel.start(write_member_data, (
        generator.site, generator.context, Path(generator.output_path), settings["SITEURL"]), in_background)


def finish(pelican):
    pending = _state.pop("pending", None)
    if pending is None:
        return
    try:
        pending.result()
    except parallel.BackgroundError as error:
        logger.error("member_data: could not write the open data files: %s", error)


def register():
    signals.all_generators_finalized.connect(start)
    signals.finalized.connect(finish)
