"""Contribute: what /contribute/ needs so that members can add and update
their own profiles (the prefilled "Add your organisation" link, the
template's examples for the field table). See README.md.

``register()`` only connects Pelican's ``generator_init`` signal.
"""

from pelican import signals

from .context import add_to_context


def register():
    signals.generator_init.connect(add_to_context)
