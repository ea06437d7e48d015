"""Compiled templates kept from one build to the next in this process."""

from __future__ import annotations

from jinja2 import BytecodeCache


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory between the builds of one process
    (make serve): compiling the theme took a quarter of a second of each
    rebuild. Jinja keys each by the template's name and a checksum of its
    source, so an edited template is compiled again."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


#: One cache per Jinja configuration (the settings' JINJA_ENVIRONMENT).
_caches: dict[str, CompiledTemplates] = {}


def compiled_templates(configuration: str) -> CompiledTemplates:
    """The cache of compiled templates for one Jinja configuration."""
    return _caches.setdefault(configuration, CompiledTemplates())
