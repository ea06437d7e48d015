"""Content files read safely: YAML front matter (every scalar kept as
written, every field's line recorded), Markdown rendered and sanitised,
and the problems a file can have, each naming its file and line.

The bottom layer: it imports neither Pelican nor any other plugin, so
``make check`` (``validation``) loads only what it needs. The Pelican reader
that puts it to work with the schemas is ``content_types.reader``.
"""
