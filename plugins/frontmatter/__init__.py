"""The only reader for .md files: YAML front matter, validated, then Markdown.

``register()`` connects Pelican's ``readers_init`` signal; see reader.py.
"""

from pelican import signals

from .reader import FrontMatterReader


def add_reader(readers):
    for extension in ("md", "markdown", "mdown", "mkd"):
        readers.reader_classes.pop(extension, None)
    readers.reader_classes["md"] = FrontMatterReader


def register():
    signals.readers_init.connect(add_reader)
