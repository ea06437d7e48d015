"""Search index built at build time with lunr (Python), for lunr.js in the
browser (see README.md)."""

from pelican import signals

from .writer import check, prepare, write


def register():
    signals.initialized.connect(check)
    signals.all_generators_finalized.connect(prepare)
    signals.finalized.connect(write)
