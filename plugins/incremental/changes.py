"""What a derived view of a content object (its search document, its open
data lines) depends on, and the helpers that send what a second process
kept back to its parent."""

from __future__ import annotations

import datetime as dt

from frontmatter.parse import Document
from markupsafe import Markup
from pelican.contents import Content

#: Values that cannot hold a content object, passed over at once: most of
#: an object's attributes are these. A parsed file (Document) holds only
#: what the file says; walking its positions took half of the search
#: documents' time in a rebuild at ten thousand members.
_LEAVES = frozenset({str, Markup, int, float, bool, type(None), bytes, dt.date, dt.datetime, dict, set, frozenset,
                     Document})


def related_mark(content) -> tuple | None:
    """What a content object's derived views depend on besides its body and
    what every object's do (vocabularies, schemas, settings, build date):
    its front matter and the front matter of every content object it points
    to. None if unknown (an object not read by the content types).

    The objects it points to are found, not declared: every attribute of
    the object that holds a content object, directly, in a list or tuple,
    or as an attribute of what the list holds (a case study's partners, a
    tender's matches). Worked out once per build (each build gives the
    object a new context): page records, search documents and open data
    may all ask."""
    digest = getattr(content, "metadata_digest", None)
    if digest is None:
        return None
    return digest, tuple(sorted({(r.source_path, r.metadata_digest) for r in related(content)}))


def related(content) -> list:
    """The content objects ``content`` points to (see :func:`related_mark`)."""
    kept = content.__dict__.get("_related_to")
    if kept is not None and kept[0] is content._context:
        return kept[1]
    found = []
    leaves = _LEAVES
    for name, value in content.__dict__.items():
        if type(value) in leaves or name.startswith("_") or name in ("metadata", "settings"):
            continue
        _collect(value, found, 0)
    content._related_to = (content._context, found)
    return found


def _collect(value, found: list, depth: int) -> None:
    if type(value) in _LEAVES:
        return
    if isinstance(value, Content):
        if hasattr(value, "metadata_digest"):
            found.append(value)
        return
    if depth > 2:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, found, depth + 1)
    elif hasattr(value, "__dict__") and not isinstance(value, type) and not callable(value):
        for item in vars(value).values():
            _collect(item, found, depth + 1)


def changes_since(before: dict, now: dict) -> tuple[list, dict]:
    """What a second process kept for the next build (``now``, by source
    path) as what its parent, holding ``before`` still, lacks: the paths of
    all, and the entries that are not ``before``'s. Only those are sent
    back (pickled); see :func:`with_changes`."""
    return list(now), {path: entry for path, entry in now.items() if before.get(path) is not entry}


def with_changes(before: dict, changes: tuple[list, dict]) -> dict:
    """``before`` brought up to date with a second process's ``changes``."""
    paths, new = changes
    return {path: new[path] if path in new else before[path] for path in paths}
