"""Pages written again only when what they show has changed.

``make serve`` builds again, in the same process, after every edit. At ten
thousand members a rebuild rendered all 14,500 pages to change one, and
took 20 s. This module remembers, for the site a build in this process
put in the output folder, a key per file. The next build in the process
(``tools/build.py``) then updates that folder in place: a page whose key
is unchanged is neither rendered nor written, a page no longer made is
deleted, and the rest is written as usual. A build that finds a content
error stops before anything is written, so the site stays as it was; a
build that fails while writing makes the next one a full build into a
fresh folder again.

A page's key is the **site key** plus, for an item page, a digest of its
own body. The site key is a digest of everything else any page can show:

- the front matter of every content file (as read and validated), with
  its path, so any change of metadata anywhere (a title, a service, a
  partner) renders every page again, as relationships, facet pages and
  cards may all show it;
- the settings and the shared template context (the vocabularies, the
  search index's address, ...), the theme's templates, the build date.

A body is only ever shown on its own page (the templates are written so:
cards, lists and relations show front matter), so editing the text of a
profile renders one page. ``tests/test_reuse.py`` builds again after each
kind of edit and checks the folder is then byte for byte what a clean
build writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from pathlib import Path

#: What the output folder holds now: (output folder, its inode, {file: key}).
_committed: tuple[str, int, dict[str, bytes]] | None = None
#: What the build in progress made, committed once it succeeds.
_pending: dict[str, bytes] | None = None
#: Whether the build in progress has begun to write (see writing_begins).
writing = False


def _digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def metadata_key(settings: dict, site: dict, read_fingerprint: tuple) -> bytes:
    """The digest of the front matter of every content file (as read and
    validated, with its path), of what reading depends on (vocabularies,
    schemas, build date) and of the settings: what relationships, facets,
    cards and open data are made from."""
    metadata = b"".join(_digest(c.source_path.encode(), c.metadata_digest) for items in site.values() for c in items)
    return _digest(metadata, repr(read_fingerprint).encode(), settings_digest(settings))


def site_key(metadata: bytes, context: dict, template_folders: list[str]) -> bytes:
    """The digest of everything but the bodies that pages are made from:
    the metadata key, the shared template context and the templates."""
    templates = []
    for folder in template_folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                templates.append(_digest(str(path).encode(), path.read_bytes()))
    shared = {key: value for key, value in context.items() if key not in _CONTENT_LISTS and key != "OUTPUT_PATH"}
    return _digest(metadata, b"".join(templates), _stable(shared).encode())


def settings_digest(settings: dict) -> bytes:
    """The settings, but for the output folder (a new one each build)."""
    return _digest(_stable({key: value for key, value in settings.items() if key != "OUTPUT_PATH"}).encode())


def page_key(site: bytes, content=None) -> bytes:
    return _digest(site, content._content.encode() if content is not None and content._content else b"")


#: Context entries that list content objects: their metadata is in the site
#: key already, and their order follows from it.
_CONTENT_LISTS = frozenset({"members", "case_studies", "models", "tenders", "guides", "events", "site_pages",
                            "open_tenders", "closed_tenders", "upcoming_events", "past_events",
                            "generated_content", "static_content", "static_links", "articles", "pages",
                            "hidden_pages", "draft_pages", "drafts", "dates", "categories", "tags", "authors",
                            "related_posts", "period_archives", "all_articles"})


def _stable(value, depth: int = 0) -> str:
    """A text that is the same for equal inputs from one build to the next
    (no memory addresses): content objects by path, functions by name."""
    if depth > 12:
        return "…"
    if value is None or isinstance(value, (str, int, float, bool, dt.date, dt.datetime, Path)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k, depth + 1)}:{_stable(v, depth + 1)}"
                              for k, v in sorted(value.items(), key=lambda item: repr(item[0]))) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_stable(v, depth + 1) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_stable(v, depth + 1) for v in value)) + "}"
    if hasattr(value, "source_path") and hasattr(value, "metadata"):
        return f"<content {value.source_path}>"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<{getattr(value, '__module__', '')}.{value.__qualname__}>"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + _stable(dataclasses.asdict(value), depth + 1)
    if hasattr(value, "__dict__"):
        return type(value).__name__ + _stable(vars(value), depth + 1)
    return type(value).__name__


def updatable(output: str) -> bool:
    """Whether ``output`` holds, untouched since, the site the last build in
    this process wrote, so that the next can update it in place."""
    if _committed is None or _committed[0] != output:
        return False
    try:
        return os.stat(output).st_ino == _committed[1]
    except OSError:
        return False


class Reuse:
    """One build's view of the files the output folder already holds."""

    def __init__(self, output_path: str, enabled: bool = True):
        global _pending
        self.output_path = output_path
        self.previous: dict[str, bytes] = _committed[2] if enabled and updatable(output_path) else {}
        self.keys: dict[str, bytes] = {}
        _pending = self.keys

    def unchanged(self, name: str, key: bytes) -> bool:
        """Record the file's key (``name`` relative to the output folder);
        True if the folder holds it already as it would be written now."""
        self.keys[name] = key
        return self.previous.get(name) == key

    def all_unchanged(self, names: list[str], key: bytes) -> bool:
        return all([self.unchanged(name, key) for name in names])


def writing_begins() -> None:
    """Called as the build starts to write (Pelican's
    ``all_generators_finalized``): a failure from here on may leave the
    folder half updated."""
    global writing
    writing = True


def begin() -> None:
    global writing, _pending
    writing, _pending = False, None


def commit(output: str) -> list[str]:
    """The build succeeded into ``output``: remember what it holds. Returns
    the files the previous build made and this one did not (for an update
    in place, to delete)."""
    global _committed, _pending
    previous = _committed[2] if _committed is not None and _committed[0] == output else {}
    if _pending is None:
        _committed = None
        return []
    stale = [name for name in previous if name not in _pending]
    _committed = (output, os.stat(output).st_ino, _pending)
    _pending = None
    return stale


def failed() -> bool:
    """The build failed. Returns whether the output folder may be half
    updated (and then forgets it, so the next build is a full one)."""
    global _committed, _pending
    _pending = None
    if writing:
        _committed = None
    return writing
