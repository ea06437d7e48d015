"""Member open data: /data/members.csv, /data/members.json and the data
behind the directory's live filtering (see README.md)."""

from pathlib import Path

from pelican import signals

from .writer import write_member_data

_state = {}


def remember_generators(generators):
    for generator in generators:
        if hasattr(generator, "site"):
            _state["generator"] = generator


#: What write_member_data writes, relative to the output folder.
FILES = ["data/members.csv", "data/members.json", "members/filter-data.json"]


def write(pelican):
    generator = _state.pop("generator", None)
    if generator is None:
        return
    # Made from front matter only: if that is as it was when the output
    # folder was last written (make serve, after a profile's text was
    # edited), the files there are left as they are.
    if generator.reuse.all_unchanged(FILES, generator.metadata_key):
        return
    write_member_data(generator.site, generator.context, Path(pelican.output_path), pelican.settings["SITEURL"])


def register():
    signals.all_generators_finalized.connect(remember_generators)
    signals.finalized.connect(write)
