"""Member open data: /data/members.csv, /data/members.json and the data
behind the directory's live filtering (see README.md)."""

import logging
from pathlib import Path

from pelican import signals

import incremental
from incremental import parallel

from . import described
from .columns import columns
from .writer import apply_changes, write_member_data

logger = logging.getLogger(__name__)
_state = {}

#: What write_member_data writes, relative to the output folder.
FILES = ["data/members.csv", "data/members.json", "members/filter-data.json",
         described.DATA_PACKAGE, described.TABLE_SCHEMA, described.JSON_SCHEMA]


def start(generators):
    """Write the files once the content is read and related: for a large
    directory in a second process, while the pages are written."""
    _state.pop("pending", None)  # left by a build that failed before finishing
    content = incremental.published()
    if content is None:
        return
    # The open data's columns, for the /data/ page (_data_members.html).
    content.context["member_columns"] = columns(content.context["schemas"]["member"])
    # Made from front matter only: if that is as it was when the output
    # folder was last written (make serve, after a profile's text was
    # edited), the files there are left as they are.
    if content.files_unchanged(FILES, content.front_matter_key):
        return
    settings = content.settings
    in_background = len(content.site["member"]) >= settings.get("CONTENT_TYPES_PARALLEL_FROM", 1000)
    # Each member's lines are kept for the next build in this process (make
    # serve) only when one may follow.
    shared_key = content.shared_key if incremental.remembering() else None
    _state["pending"] = parallel.start(write_member_data, (
        content.site, content.context, Path(content.output_path), settings["SITEURL"], shared_key),
        in_background)
    _state["in_background"] = in_background


def finish(pelican):
    pending = _state.pop("pending", None)
    if pending is None:
        return
    try:
        found = pending.result()
    except parallel.BackgroundError as error:
        logger.error("member_data: could not write the open data files: %s", error)
        return
    if _state.pop("in_background"):  # made in a second process: keep its lines here
        apply_changes(found)


def register():
    signals.all_generators_finalized.connect(start)
    signals.finalized.connect(finish)
