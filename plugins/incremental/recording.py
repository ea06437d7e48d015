"""What a page is made from, recorded while it is rendered.

Every attribute or item a template reads goes through its Jinja
environment's ``getattr`` and ``getitem`` (``page.title``,
``case_study.model_page.metadata``, ``sort(attribute="title")``), every
name through its context's ``resolve_or_missing``, and every template it
extends, includes or imports through ``_load_template``. :func:`install`
wraps those four on one environment so that, while a :class:`Record` is
being made (:func:`recording`), each read of a content object is noted in
it as (the object's file, what was read), each name and each template by
name. Outside a recording the wrappers only look up one global, and an
environment :func:`install` was not called on is Jinja's own.

What was read is noted, not its value: the values are taken once the
pages are written (:mod:`.pages`), the same way a rebuild takes them
before deciding what to render, so the two always compare like with like.
"""

from __future__ import annotations

from contextlib import contextmanager

from jinja2.runtime import Context
from pelican.contents import Content


class Record:
    """What one page (or one memoised piece of pages, a member's card) read."""

    __slots__ = ("reads", "names", "own_names", "templates", "parts")

    def __init__(self):
        #: (source path of a content object, attribute or item name)
        self.reads: set[tuple[str, str]] = set()
        #: names the templates looked up in their context (once the page is
        #: written, those the shared context has; own_names, its variables)
        self.names: set[str] = set()
        self.own_names: frozenset[str] = frozenset()
        #: the templates rendered, extended, included or imported
        self.templates: set[str] = set()
        #: records of memoised pieces this page shows (each member card's)
        self.parts: list[Record] = []

    def __getstate__(self):
        return (self.reads, self.names, self.own_names, self.templates, self.parts)

    def __setstate__(self, state):
        self.reads, self.names, self.own_names, self.templates, self.parts = state

    def include(self, part: Record) -> None:
        """This page shows a piece made once for many pages: what the piece
        read counts for this page too."""
        if part is not self and not any(p is part for p in self.parts):
            self.parts.append(part)

    def all_reads(self):
        """Every (file, part) this record and its pieces read."""
        yield from self.reads
        for part in self.parts:
            yield from part.all_reads()


#: The record being made now, or None.
_current: Record | None = None


@contextmanager
def recording(record: Record | None = None):
    """Record what is read meanwhile into ``record`` (a new one if None),
    yielded; the record being made before (a page showing this piece)
    includes this one."""
    global _current
    outer = _current
    record = Record() if record is None else record
    _current = record
    try:
        yield record
    finally:
        _current = outer
        if outer is not None:
            outer.include(record)


def include(part: Record | None) -> None:
    """The page being recorded shows ``part`` (made, and recorded, earlier)."""
    if _current is not None and part is not None:
        _current.include(part)


def active() -> bool:
    return _current is not None


def install(env) -> None:
    """Make ``env`` record what its templates read (see the module's doc)."""
    if getattr(env, "_recording_installed", False):
        return
    env._recording_installed = True
    plain_getattr, plain_getitem, plain_load = env.getattr, env.getitem, env._load_template

    def recording_getattr(obj, attribute):
        value = plain_getattr(obj, attribute)
        if _current is not None and isinstance(obj, Content):
            _current.reads.add((obj.source_path, attribute))
        return value

    def recording_getitem(obj, argument):
        value = plain_getitem(obj, argument)
        if _current is not None and isinstance(obj, Content) and isinstance(argument, str):
            _current.reads.add((obj.source_path, argument))
        return value

    def recording_load(name, globals):
        if _current is not None:
            _current.templates.add(name)
        return plain_load(name, globals)

    env.getattr, env.getitem, env._load_template = recording_getattr, recording_getitem, recording_load
    env.context_class = RecordingContext


class RecordingContext(Context):
    def resolve_or_missing(self, key):
        if _current is not None:
            _current.names.add(key)
        return super().resolve_or_missing(key)
