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

What a page's key is made of is in :class:`PageKeys`: the templates'
source and the values of the names they read (Jinja lists them), content
objects counted by their front matter and their relations' (and the
page's own object by its body too). Editing the text of a profile renders
its page alone; editing its front matter, the pages that show it.
``tests/test_reuse.py`` builds again after each kind of edit and checks
the folder is then byte for byte what a clean build writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from .contents import CLASSES, ContentPage
from .relations import RELATION_ATTRIBUTES

#: What the output folder holds now: (output folder, its inode,
#: {file: (key, the page's own body or None)}, the site key of that build,
#: the frames of its pages (PageKeys.frames, with their key) or None).
_committed: tuple[str, int, dict[str, tuple], bytes | None, tuple | None] | None = None
#: The build in progress (its Reuse), committed once it succeeds.
_pending = None
#: Whether the build in progress has begun to write (see writing_begins).
writing = False
#: Whether the build in progress is to be remembered for the next one in
#: this process. A one-off build (``make build``, CI) is not: working out
#: 14,500 page keys took 2.3 s of a 10,000-member build that nothing read.
remembering = True


def _digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def digest_of_text(text: str) -> bytes:
    return _hash(text.encode())


def metadata_key(site: dict, read_fingerprint: tuple) -> bytes:
    """The digest of the front matter of every content file (as read and
    validated, with its path) and of what reading depends on (the read
    fingerprint: vocabularies, schemas, build date, settings): what
    relationships, facets, cards and open data are made from."""
    metadata = b"".join(_digest(c.source_path.encode(), c.metadata_digest) for items in site.values() for c in items)
    return _digest(metadata, repr(read_fingerprint).encode())


def site_key(metadata: bytes, context: dict, env) -> bytes:
    """A digest of everything pages are made from but their own bodies: the
    front matter of every file (``metadata_key``), the shared context and
    every template. While it stays the same, only a page whose body changed
    needs rendering, and no page's key need be worked out again."""
    shared = {key: value for key, value in context.items() if key not in _CONTENT_LISTS and key != "OUTPUT_PATH"}
    return _digest(metadata, templates_digest(env), _stable(shared).encode())


def templates_digest(env) -> bytes:
    """A digest of every template's name and source."""
    return _digest(*sorted(_digest(name.encode(), env.loader.get_source(env, name)[0].encode())
                           for name in env.list_templates()))


#: Context entries that list content objects: their front matter is in the
#: metadata key already.
_CONTENT_LISTS = frozenset({"members", "case_studies", "models", "tenders", "guides", "events", "site_pages",
                            "open_tenders", "closed_tenders", "upcoming_events", "past_events",
                            "generated_content", "static_content", "static_links", "articles", "pages",
                            "hidden_pages", "draft_pages", "drafts", "dates", "categories", "tags", "authors",
                            "related_posts", "period_archives", "all_articles"})


class PageKeys:
    """The key of each page, from what its templates can see.

    Jinja tells which names a template and everything it extends, includes
    and imports reads from its context (``jinja2.meta``). A page's key is a
    digest of:

    - the settings, what reading depends on (vocabularies, schemas, build
      date), the title and URL of every content object (link texts and
      orders follow from them), and the source of its templates;
    - each name its templates read, as this page has it: a variable of the
      page, else the shared context. A content object counts as its front
      matter, its relations' front matter (a member's case studies and
      tenders, a tender's matches, a case study's partners and model) and,
      for the page's own object, its body.

    So a member's new summary renders its profile, the directory pages that
    list it and the pages related to it; a new service also the pages that
    show the filters' counts.

    A page's variables are worked out in two parts: its *frame*, the
    variables with each content object (or list of them) as a placeholder,
    and the objects in those places, by path. Frames are what costs: a
    listing page's is the JSON of its pagination. ``structure`` is a digest
    of everything the generator makes the variables' other values from (the
    directory's groups); while it, the templates and ``base`` are what they
    were in the last build (``previous``), each page keeps its last frame,
    and only the objects in it are looked up again. After a member's new
    summary, that is all that changes. ``frames`` is this build's, for the
    next.
    """

    def __init__(self, read_fingerprint: tuple, site: dict, context: dict, env,
                 structure: bytes | None = None, previous: tuple | None = None):
        identities = b"".join([_identity(c) for items in site.values() for c in items])
        # The read fingerprint holds the settings' digest (reading.fingerprint_of).
        self.base = _digest(repr(read_fingerprint).encode(), identities)
        self.context = context
        self.env = env
        self._templates: dict[str, tuple[bytes, list[str]]] = {}
        self._shared: dict[str, bytes] = {}
        self._objects: dict[int, bytes] = {}
        #: id -> (value, frame digest, the paths in it) for the values many
        #: pages share (every profile is given the past events and closed
        #: tenders, the pages of a listing their URLs); the value is held so
        #: that its id stays its own while the keys are made.
        self._values: dict[int, tuple[object, bytes, list]] = {}
        #: id -> (list, its paths as one tuple), so that a list many pages are
        #: given is one place in each frame, and its digest is made once.
        self._lists: dict[int, tuple[list, tuple]] = {}
        self._places: dict[int, tuple[object, bytes]] = {}
        # Each object's digest, worked out once and kept on the object for
        # this build: a listing page's key joins fifty of them.
        self._by_path: dict[str, bytes] = {}
        for items in site.values():
            for content in items:
                content.page_key_digest = self._by_path[content.source_path] = self._object(content)
        self.frames_key = None if structure is None else _digest(self.base, structure, templates_digest(env))
        #: save_as -> (frame digest, the paths in its places): the last
        #: build's while they hold, and this build's as keys are made.
        self.frames: dict[str, tuple[bytes, tuple]] = (
            dict(previous[1]) if previous is not None and self.frames_key is not None and previous[0] == self.frames_key
            else {})
        #: How many pages kept their last frame (tests/test_reuse.py counts them).
        self.frames_kept = 0

    def key(self, template_name: str, save_as: str, variables: dict) -> bytes:
        source, names = self._template(template_name)
        frame = self.frames.get(save_as)
        if frame is not None:
            try:
                places = [self._place(place) for place in frame[1]]
                self.frames_kept += 1
            except KeyError:  # an object that is no longer there: work the frame out again
                frame = None
        if frame is None:
            paths: list = []
            parts = [source, _hash(save_as.encode())]  # each 16 bytes, so joined unambiguously
            for name in names:
                if name in variables:
                    parts.append(self._frame(variables[name], paths))
                else:
                    parts.append(_SHARED if name in self.context else _ABSENT)
            frame = self.frames[save_as] = (_hash(b"".join(parts)), tuple(paths))
            places = [self._place(place) for place in frame[1]]
        parts = [self.base, frame[0], *places]
        context = self.context
        for name in names:
            if name not in variables and name in context:
                if name not in self._shared:
                    self._shared[name] = self._value(context[name])
                parts.append(self._shared[name])
        own = variables.get("page")
        parts.append(_hash(own._content.encode() if own is not None and own._content else b""))
        return _hash(b"".join(parts))

    def _template(self, name: str) -> tuple[bytes, list[str]]:
        if name not in self._templates:
            sources, names, queue, seen = [], set(), [name], set()
            while queue:
                current = queue.pop()
                if current in seen:
                    continue
                seen.add(current)
                text = self.env.loader.get_source(self.env, current)[0]
                found = _analysed.get((current, text))
                if found is None:
                    found = _analysed[current, text] = _analyse(self.env, current, text)
                source, read, referenced = found
                sources.append(source)
                names |= read
                queue += referenced
            self._templates[name] = (_digest(*sorted(sources)), sorted(names))
        return self._templates[name]

    def _place(self, place) -> bytes:
        """The digest of what is in a place of a frame: one object (its
        path) or a list of them (a tuple of paths). Raises KeyError for a
        path no object of this build has."""
        if type(place) is str:
            return self._by_path[place]
        known = self._places.get(id(place))
        if known is not None and known[0] is place:
            return known[1]
        digest = _hash(b"".join([self._by_path[path] for path in place]))
        self._places[id(place)] = (place, digest)
        return digest

    def _value(self, value) -> bytes:
        """A value's whole digest: its frame and the objects in its places."""
        paths: list = []
        frame = self._frame(value, paths)
        if not paths:
            return frame
        return _hash(b"".join([frame, *[self._place(place) for place in paths]]))

    def _frame(self, value, paths: list) -> bytes:
        """The digest of ``value`` with its content objects as placeholders;
        their paths are added to ``paths``, in order."""
        if isinstance(value, ContentPage):
            self._plain(value, paths)
            return _ONE_OBJECT
        if type(value) is list and value and isinstance(value[0], ContentPage):
            listed = self._listed(value)
            if listed is not None:
                paths.append(listed)
                return _OBJECTS
        known = self._values.get(id(value))
        if known is None or known[0] is not value:
            inside: list = []
            try:
                text = json.dumps(self._swap_objects(value, inside), default=lambda v: self._plain(v, inside),
                                  sort_keys=True, ensure_ascii=False)
            except (TypeError, ValueError):  # keys JSON cannot take (tuples), say
                inside = []
                text = _stable(value, objects=lambda content: self._plain(content, inside))
            known = self._values[id(value)] = (value, _hash(text.encode()), inside)
        paths += known[2]
        return known[1]

    def _listed(self, value: list) -> tuple | None:
        """A list of content objects as one tuple of paths (the same tuple
        each time the same list is asked for), or None if not all are."""
        known = self._lists.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if not all(isinstance(item, ContentPage) for item in value):
            return None
        listed = tuple([item.source_path for item in value])
        for item in value:  # an object from outside the site, should one be given
            if item.source_path not in self._by_path:
                self._by_path[item.source_path] = self._object(item)
        self._lists[id(value)] = (value, listed)
        return listed

    def _swap_objects(self, value, paths: list, depth: int = 0):
        """``value`` with the content objects in its lists and dicts (a
        listing's members) as placeholders, their paths added to ``paths``:
        quicker than json.dumps calling back for each."""
        if type(value) in _PLAIN:  # most of what a page is given: quickest first
            return value
        if isinstance(value, ContentPage):
            return self._plain(value, paths)
        if type(value) is list and value and isinstance(value[0], ContentPage):
            listed = self._listed(value)
            if listed is not None:
                paths.append(listed)
                return "<objects>"
        if depth and isinstance(value, (list, tuple, dict)) and len(value) > 8:
            # A long list inside a value is often shared (each page of a
            # listing holds the URLs of all its pages): by its frame, once.
            return self._frame(value, paths).hex()
        if depth < 3 and isinstance(value, (list, tuple)):
            return [self._swap_objects(item, paths, depth + 1) for item in value]
        if depth < 3 and isinstance(value, dict):
            return {key: self._swap_objects(item, paths, depth + 1) for key, item in value.items()}
        return value

    def _plain(self, value, paths: list):
        """What json.dumps makes of a value it has no form for (as _stable);
        a content object is a placeholder, its path added to ``paths``."""
        if isinstance(value, ContentPage):
            if value.source_path not in self._by_path:
                self._by_path[value.source_path] = self._object(value)
            paths.append(value.source_path)
            return "<object>"
        if hasattr(value, "source_path") and hasattr(value, "metadata"):  # another generator's
            return f"<content {value.source_path}>"
        if isinstance(value, (dt.date, dt.datetime, Path)):
            return repr(value)
        if isinstance(value, (set, frozenset)):
            return sorted(map(repr, value))
        if callable(value) and hasattr(value, "__qualname__"):
            return f"<{getattr(value, '__module__', '')}.{value.__qualname__}>"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {"<type>": type(value).__name__, **{f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
        if hasattr(value, "__dict__"):
            return {"<type>": type(value).__name__, **{str(k): v for k, v in vars(value).items()}}
        return type(value).__name__

    def _object(self, content) -> bytes:
        """A content object as its front matter and its relations' front matter."""
        found = self._objects.get(id(content))
        if found is None:
            related = sorted({f"{r.source_path}:{r.metadata_digest.hex()}" for r in _related(content)})
            found = self._objects[id(content)] = _digest(
                content.source_path.encode(), content.metadata_digest, "|".join(related).encode())
        return found


def _identity(content) -> bytes:
    """A digest of an object's path, title and URL. Kept on the object: an
    object is used again by the next build only while its file and the
    settings are as they were (reading.read_all), so these are too."""
    found = content.__dict__.get("_identity_digest")
    if found is None:
        found = content._identity_digest = _digest(content.source_path.encode(), str(content.title).encode(),
                                                   content.url.encode())
    return found


#: Values _swap_objects leaves as they are.
_PLAIN = frozenset({str, int, float, bool, type(None)})

#: (template name, source) -> what _analyse found: parsing is slow, sources rarely change.
_analysed: dict[tuple[str, str], tuple[bytes, set[str], list[str]]] = {}


def _analyse(env, name: str, text: str) -> tuple[bytes, set[str], list[str]]:
    """A template's digest, the names it reads from its context and the
    templates it extends, includes or imports."""
    from jinja2 import meta

    tree = env.parse(text)
    referenced = list(meta.find_referenced_templates(tree))
    if None in referenced:  # a name worked out while rendering: it could be any template
        referenced = env.list_templates()
    return _digest(name.encode(), text.encode()), meta.find_undeclared_variables(tree), referenced


def related_mark(content) -> tuple | None:
    """What a content object's derived views (its search document, say)
    depend on besides its body and the read fingerprint: its front matter
    and its relations' (see :func:`_related`). None if unknown."""
    digest = getattr(content, "metadata_digest", None)
    if digest is None:
        return None
    return digest, tuple(sorted((r.source_path, r.metadata_digest) for r in _related(content)))


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


def _related(content) -> list:
    """The content objects a content object's relations point to (the
    attributes relations.relate sets, RELATION_ATTRIBUTES): directly, in
    lists and tuples, or through an object with a ``member`` (a tender's
    matches, a case study's partners). Worked out once per build (each
    build gives the object a new context): page keys and search documents
    both ask."""
    kept = content.__dict__.get("_related_to")
    if kept is not None and kept[0] is content._context:
        return kept[1]
    found = []
    attributes = content.__dict__
    for name in _RELATIONS_OF.get(type(content), ()):
        value = attributes.get(name)
        for item in value if isinstance(value, (list, tuple)) else (value,):
            for part in item if isinstance(item, tuple) else (item,):
                if _is_content(part):
                    found.append(part)
                elif _is_content(getattr(part, "member", None)):
                    found.append(part.member)
    content._related_to = (content._context, found)
    return found


_RELATIONS_OF = {CLASSES[name]: names for name, names in RELATION_ATTRIBUTES.items()}


def _is_content(value) -> bool:
    return isinstance(value, ContentPage)


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


_ABSENT = _hash(b"absent")
_SHARED = _hash(b"shared")  # a name a page has from the shared context
_ONE_OBJECT = _hash(b"one content object")
_OBJECTS = _hash(b"a list of content objects")


def settings_digest(settings: dict) -> bytes:
    """The settings, but for the output folder (a new one each build)."""
    return _digest(_stable({key: value for key, value in settings.items() if key != "OUTPUT_PATH"}).encode())


def _stable(value, depth: int = 0, objects=None) -> str:
    """A text that is the same for equal inputs from one build to the next
    (no memory addresses): content objects by path (or as ``objects`` gives
    them), functions by name."""
    if depth > 12:
        return "…"
    if value is None or isinstance(value, (str, int, float, bool, dt.date, dt.datetime, Path)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k, depth + 1, objects)}:{_stable(v, depth + 1, objects)}"
                              for k, v in sorted(value.items(), key=lambda item: repr(item[0]))) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_stable(v, depth + 1, objects) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_stable(v, depth + 1, objects) for v in value)) + "}"
    if hasattr(value, "source_path") and hasattr(value, "metadata"):
        return objects(value) if objects is not None and _is_content(value) else f"<content {value.source_path}>"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<{getattr(value, '__module__', '')}.{value.__qualname__}>"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + _stable({f.name: getattr(value, f.name) for f in dataclasses.fields(value)},
                                              depth + 1, objects)
    if hasattr(value, "__dict__"):
        return type(value).__name__ + _stable(vars(value), depth + 1, objects)
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
        valid = enabled and updatable(output_path)
        #: file -> (key, the page's own body or None), as the folder holds them
        self.previous: dict[str, tuple] = _committed[2] if valid else {}
        #: the site key (site_key) of the build that wrote the folder
        self.previous_site: bytes | None = _committed[3] if valid else None
        self.keys: dict[str, tuple] = {}
        self.site: bytes | None = None
        #: (frames key, frames) of the build that wrote the folder, and of this one
        self.previous_frames: tuple | None = _committed[4] if valid else None
        self.frames: tuple | None = self.previous_frames
        self.remembering = remembering
        _pending = self

    def unchanged(self, name: str, key: bytes, body: str | None = None) -> bool:
        """Record the file's key (``name`` relative to the output folder);
        True if the folder holds it already as it would be written now."""
        self.keys[name] = (key, body)
        previous = self.previous.get(name)
        return previous is not None and previous[0] == key

    def same_body(self, name: str, body: str | None) -> bool:
        """When the site key is the last build's, a page is unchanged if its
        own body is: keep its entry as it was."""
        previous = self.previous.get(name)
        if previous is None or not (previous[1] is body or previous[1] == body):
            return False
        self.keys[name] = previous
        return True

    def all_unchanged(self, names: list[str], key: bytes) -> bool:
        return all([self.unchanged(name, key) for name in names])


def writing_begins() -> None:
    """Called as the build starts to write (Pelican's
    ``all_generators_finalized``): a failure from here on may leave the
    folder half updated."""
    global writing
    writing = True


def begin(remember: bool = True) -> None:
    """A build starts; ``remember`` says whether another build in this
    process may follow and update its output in place."""
    global writing, _pending, remembering
    writing, _pending, remembering = False, None, remember


def commit(output: str) -> list[str]:
    """The build succeeded into ``output``: remember what it holds. Returns
    the files the previous build made and this one did not (for an update
    in place, to delete)."""
    global _committed, _pending
    previous = _committed[2] if _committed is not None and _committed[0] == output else {}
    if _pending is None or not _pending.remembering:
        _committed = None
        return []
    stale = [name for name in previous if name not in _pending.keys]
    _committed = (output, os.stat(output).st_ino, _pending.keys, _pending.site, _pending.frames)
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
