"""Contribute: what /contribute/ and the profile editor (/contribute/profile/)
need so that members can add and update their own profiles: the prefilled
"Add your organisation" link, the template's examples for the field table,
the editor's form and messages, and the files the editor loads. See README.md.

``register()`` only connects Pelican's signals.
"""

from pelican import signals

from .context import add_to_context
from .files import write_editor_files


def register():
    signals.generator_init.connect(add_to_context)
    signals.all_generators_finalized.connect(write_editor_files)
