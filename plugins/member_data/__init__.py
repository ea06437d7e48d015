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


def write(pelican):
    generator = _state.pop("generator", None)
    if generator is not None:
        write_member_data(generator.site, generator.context, Path(pelican.output_path), pelican.settings["SITEURL"])


def register():
    signals.all_generators_finalized.connect(remember_generators)
    signals.finalized.connect(write)
