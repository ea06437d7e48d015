"""Content types as collections: members, case studies, models, tenders,
guides, events and pages, their pages and every computed relationship."""

from pelican import signals

from .generator import ContentTypesGenerator, share_compiled_templates
from .reader import add_reader


def get_generators(pelican):
    return ContentTypesGenerator


def register():
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(share_compiled_templates)
