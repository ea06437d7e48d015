"""What a build in this process leaves for the next one (``make serve``).

Only one thing is kept here: :class:`Kept`, what the output folder holds
now and what each of its pages was made from. The build in progress
fills a :class:`Kept` of its own, which replaces the last once the build
has succeeded (:func:`commit`); a build that fails while writing forgets
the folder, so the next one is a full build into a fresh folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class PageEntry:
    """One page as the output folder holds it: its template, the
    variables it was given, and what it read (a recording.Record)."""

    template: str
    variables: dict
    record: object


@dataclass
class Kept:
    #: the output folder, and its inode (a folder put in its place is another)
    output: str = ""
    inode: int = 0
    #: a digest of the settings the pages were made with
    settings: bytes = b""
    #: save_as -> PageEntry, for every page the content types wrote
    pages: dict[str, PageEntry] = field(default_factory=dict)
    #: other files written only when their key changes (the open data), by
    #: name relative to the output folder -> key
    files: dict[str, bytes] = field(default_factory=dict)
    #: (source path, attribute) -> its value, for every part of a content
    #: object some page read
    values: dict[tuple[str, str], object] = field(default_factory=dict)
    #: name -> value, for every name some page read from the shared context
    shared: dict[str, object] = field(default_factory=dict)
    #: template name -> source, for every template some page used
    sources: dict[str, str] = field(default_factory=dict)
    #: how many pages this build rendered (the rest were as they were)
    rendered: int = 0


@dataclass
class Memo:
    """What one plugin keeps from one build for the next in this process:
    ``value``, made from inputs whose digest is ``key``."""

    key: object = None
    value: object = None

    def get(self, key, default=None):
        """The value kept, if it was made from ``key`` (never for None)."""
        return self.value if key is not None and self.key == key else default

    def keep(self, key, value) -> None:
        self.key, self.value = key, value


#: name -> Memo: what the plugins keep between builds (see memo()).
memos: dict[str, Memo] = {}


def memo(name: str) -> Memo:
    """The memo a plugin keeps under ``name`` (``"plugin.what"``)."""
    return memos.setdefault(name, Memo())


#: What the output folder holds now, or None (nothing, or not known).
committed: Kept | None = None
#: The build in progress, committed once it succeeds (None: it keeps nothing).
pending: Kept | None = None
#: Whether the build in progress has begun to write (see writing_begins).
writing = False
#: Whether the build in progress is to be remembered for the next one in
#: this process. A one-off build (``make build``, CI) is not, and records
#: nothing.
remembering = True
#: How many pages the last build rendered, for tests and the benchmark.
last_rendered: int | None = None


def begin(remember: bool = True) -> None:
    """A build starts; ``remember`` says whether another build in this
    process may follow and update its output in place."""
    global writing, pending, remembering
    writing, pending, remembering = False, None, remember


def updatable(output: str) -> bool:
    """Whether ``output`` holds, untouched since, the site the last build in
    this process wrote, so that the next can update it in place."""
    if committed is None or committed.output != output:
        return False
    try:
        return os.stat(output).st_ino == committed.inode
    except OSError:
        return False


def previous(output: str, enabled: bool = True) -> Kept:
    """What the folder holds, for the build in progress to compare with
    (empty when it is to be written whole)."""
    return committed if enabled and updatable(output) else Kept()


def start(output: str) -> Kept | None:
    """The build in progress's own Kept, to fill (None if not remembering)."""
    global pending
    pending = Kept(output=output) if remembering else None
    return pending


def writing_begins() -> None:
    """Called as the build starts to write (Pelican's
    ``all_generators_finalized``): a failure from here on may leave the
    folder half updated."""
    global writing
    writing = True


def commit(output: str) -> list[str]:
    """The build succeeded into ``output``: remember what it holds. Returns
    the files the previous build made and this one did not (for an update
    in place, to delete)."""
    global committed, pending, last_rendered
    before = committed if committed is not None and committed.output == output else Kept()
    done, pending = pending, None
    if done is None:
        committed = None
        return []
    last_rendered = done.rendered
    done.output, done.inode = output, os.stat(output).st_ino
    stale = [name for name in (*before.pages, *before.files) if name not in done.pages and name not in done.files]
    committed = done
    return stale


def failed() -> bool:
    """The build failed. Returns whether the output folder may be half
    updated (and then forgets it, so the next build is a full one)."""
    global committed, pending
    pending = None
    if writing:
        committed = None
    return writing
