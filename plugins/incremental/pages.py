"""Which pages a rebuild renders: those whose recorded inputs changed.

:class:`Pages` is one build's view. :meth:`Pages.to_render` compares each
page with what the output folder holds (``state.committed``): a page is
rendered again when it is new, when its template is another, when the
settings are others, or when anything it read when it was last rendered
(:mod:`.recording`) is not what it is now:

- a template it used (by source);
- a name it looked up: one of its own variables, else the shared context
  (the lists of every type, the filters' counts, the vocabularies, …);
- a part of a content object it read: its front matter, its body, its
  URL, one of its relations (a list of other objects, each counted by its
  file; what of them the page read is recorded in turn, so a value two
  hops away is compared where it lives), also through a piece memoised for
  many pages (a member's card), whose reads count for each page showing it.

Values are compared by reference first, then by value (:mod:`.compare`):
an object make serve kept from the last build (its file unchanged) gives
the very same values, so most comparisons cost a lookup.
"""

from __future__ import annotations

from contextlib import contextmanager

from jinja2 import TemplateNotFound

from . import state
from .compare import captured, same
from .recording import Record, install, recording
from .state import PageEntry

#: Names a page's context has from Pelican's writer, the same for the same file.
_WRITER_NAMES = frozenset({"output_file"})


class _Missing:
    def __repr__(self):
        return "<missing>"


MISSING = _Missing()


class Pages:
    def __init__(self, env, context: dict, objects: dict, settings_digest: bytes, output: str,
                 enabled: bool = True):
        """``objects``: every content object of this build, by source path."""
        self.env = env
        self.context = context
        self.objects = objects
        self.previous = state.previous(output, enabled)
        self.kept = state.start(output)
        self.recording = self.kept is not None
        if self.recording:
            self.kept.settings = settings_digest
            install(env)
        self.same_settings = bool(self.previous.pages) and self.previous.settings == settings_digest
        self._pairs: dict[tuple[str, str], bool] = {}
        self._names: dict[str, bool] = {}
        self._sources: dict[str, str | None] = {}
        self._templates: dict[str, bool] = {}
        self._parts: dict[int, bool] = {}
        self._name_sets: dict[int, bool] = {}
        self._held: list = []
        #: frozensets of names, one object for each distinct set
        self._interned: dict[frozenset, frozenset] = {}
        self._compared: dict[tuple[int, int], bool] = {}
        self.rendered = 0

    # -- deciding --------------------------------------------------------------

    def to_render(self, pages: list) -> list:
        """The pages of ``pages`` (``(save_as, template name, url,
        variables)``) the output folder does not hold as they are now; the
        others are kept as they are, with what they were made from."""
        if not self.recording:
            self.rendered = len(pages)
            return pages
        chosen = []
        for page in pages:
            save_as, template, _, variables = page
            entry = self.previous.pages.get(save_as) if self.same_settings else None
            if entry is not None and entry.template == template and not self._changed(entry, variables):
                self.kept.pages[save_as] = PageEntry(template, variables, entry.record)
            else:
                chosen.append(page)
        self.rendered = self.kept.rendered = len(chosen)
        return chosen

    def _changed(self, entry: PageEntry, variables: dict) -> bool:
        record = entry.record
        before = entry.variables
        if before.keys() != variables.keys():
            return True
        # A page's names are split once it is rendered (rendered_pages):
        # its own variables, compared here, and the shared context's, in a
        # set many pages share, whose answer is worked out once.
        for name in record.own_names:
            old, new = before.get(name, MISSING), variables.get(name, MISSING)
            if old is not new and not self._same(old, new):
                return True
        return self._record_changed(record)

    def _record_changed(self, record: Record) -> bool:
        """Whether a template, shared name or part of a content object the
        record (or a piece it shows) read is not what it was."""
        names = record.names
        changed = self._name_sets.get(id(names))
        if changed is None:
            changed = self._name_sets[id(names)] = any(
                [self._name_changed(name) for name in names if name not in _WRITER_NAMES])
            self._held.append(names)  # so that its id stays its own meanwhile
        if changed:
            return True
        for name in record.templates:
            if self._template_changed(name):
                return True
        pairs = self._pairs
        for pair in record.reads:
            changed = pairs.get(pair)
            if changed is None:
                changed = self._pair_changed(pair)
            if changed:
                return True
        known = self._parts
        for part in record.parts:
            changed = known.get(id(part))
            if changed is None:
                changed = known[id(part)] = self._record_changed(part)
            if changed:
                return True
        return False

    def _same(self, old, new) -> bool:
        if old is new:
            return True
        if type(old) in (list, dict) and len(old) > 8:  # often one value many pages are given
            key = (id(old), id(new))
            found = self._compared.get(key)
            if found is None:
                found = self._compared[key] = same(old, new)
            return found
        return same(old, new)

    def _pair_changed(self, pair: tuple[str, str]) -> bool:
        value = self._value(pair)
        changed = self._pairs[pair] = value is MISSING and pair[0] not in self.objects or not same(
            self.previous.values.get(pair, MISSING), value)
        return changed

    def _value(self, pair: tuple[str, str]):
        """The value of a part of a content object now (kept for the next build)."""
        values = self.kept.values
        if pair in values:
            return values[pair]
        content = self.objects.get(pair[0])
        if content is None:
            return MISSING
        if pair[1] == "metadata" and "metadata_digest" in content.__dict__:
            # The front matter as read, by its digest: quicker to compare,
            # and without the parsed file it holds for messages (and the
            # body with it), which no page shows.
            value = self.kept.values[pair] = content.metadata_digest
            return value
        try:
            value = getattr(content, pair[1])
        except AttributeError:
            try:
                value = content[pair[1]]
            except Exception:
                value = MISSING
        value = values[pair] = captured(value)
        return value

    def _shared_value(self, name: str):
        if name in self.context:
            return captured(self.context[name])
        return captured(self.env.globals.get(name, MISSING))

    def _name_changed(self, name: str) -> bool:
        changed = self._names.get(name)
        if changed is None:
            value = self.kept.shared[name] = self._shared_value(name)
            changed = self._names[name] = not same(self.previous.shared.get(name, MISSING), value)
        return changed

    def _source(self, name: str) -> str | None:
        if name not in self._sources:
            try:
                self._sources[name] = self.env.loader.get_source(self.env, name)[0]
            except TemplateNotFound:
                self._sources[name] = None
        return self._sources[name]

    def _template_changed(self, name: str) -> bool:
        changed = self._templates.get(name)
        if changed is None:
            source = self.kept.sources[name] = self._source(name)
            # A template that is not there (an include that may be missing)
            # is None: it changes when it appears.
            changed = self._templates[name] = self.previous.sources.get(name, MISSING) != source
        return changed

    # -- rendering -------------------------------------------------------------

    @contextmanager
    def rendering(self, template_name: str):
        """Record what the page rendered meanwhile reads; yields its Record
        (None when this build records nothing)."""
        if not self.recording:
            yield None
            return
        with recording() as record:
            record.templates.add(template_name)
            yield record

    @contextmanager
    def piece(self, base: Record | None):
        """Record what a piece made once for many pages (a member's card)
        reads meanwhile, and what ``base`` read (the macros it is made
        with); the page being rendered, and each later one that
        :func:`include` s it, counts the piece's reads as its own. Yields
        the piece's Record (None when this build records nothing)."""
        if not self.recording:
            yield None
            return
        with recording() as record:
            if base is not None:
                record.include(base)
            yield record

    def rendered_pages(self, pages: list, records: list) -> None:
        """The pages rendered (``pages`` as given to :meth:`to_render`) and
        their records (``(save_as, Record)``, from this process or another):
        kept, with the values of all they read, for the next build."""
        if not self.recording:
            return
        by_name = dict(records)
        seen: set[int] = set()
        for save_as, template, _, variables in pages:
            record = by_name.get(save_as)
            if record is None:
                continue
            self._split_names(record, variables)
            self.kept.pages[save_as] = PageEntry(template, variables, record)
            self._take_values(record, seen)

    def _split_names(self, record: Record, variables: dict) -> None:
        """Split the names a page read into its own variables' and the
        shared context's (each distinct set of those kept once)."""
        names = record.names
        record.own_names = self._intern(frozenset([name for name in names if name in variables]))
        record.names = self._intern(frozenset([name for name in names if name not in variables]))

    def _intern(self, names: frozenset) -> frozenset:
        return self._interned.setdefault(names, names)

    def _take_values(self, record: Record, seen: set) -> None:
        if id(record) in seen:
            return
        seen.add(id(record))
        for pair in record.reads:
            self._value(pair)
        for name in record.names:
            if name not in self.kept.shared:
                self.kept.shared[name] = self._shared_value(name)
        for name in record.templates:
            self.kept.sources[name] = self._source(name)
        for part in record.parts:
            if not isinstance(part.names, frozenset):
                part.names = self._intern(frozenset(part.names))
            self._take_values(part, seen)
