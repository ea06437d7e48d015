"""The only reader for .md files: YAML front matter, validated, then Markdown.

``register()`` connects Pelican's ``readers_init`` signal; see reader.py.
Pelican is imported only then, so ``make check`` (which uses parse.py and
problems.py alone) does not pay for loading it.
"""


def add_reader(readers):
    from .reader import FrontMatterReader

    for extension in ("md", "markdown", "mdown", "mkd"):
        readers.reader_classes.pop(extension, None)
    readers.reader_classes["md"] = FrontMatterReader


def register():
    from pelican import signals

    signals.readers_init.connect(add_reader)
