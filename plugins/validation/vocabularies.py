"""Controlled vocabularies: the data files under ``content/_data/``.

Each file is a YAML list of entries with an ``id`` (what content files
write), a ``label`` (what the site shows) and optionally a ``description``
and, for areas, a ``parent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _Loader


class VocabularyError(Exception):
    """A vocabulary file is missing or malformed (a maintainer's mistake)."""


@dataclass
class Term:
    id: str
    label: str
    description: str = ""
    parent: str | None = None


@dataclass
class Vocabulary:
    name: str
    source: str  # e.g. content/_data/services.yml
    terms: dict[str, Term] = field(default_factory=dict)
    #: term id -> its ancestors, worked out once (matching asks tens of
    #: thousands of times); the terms do not change once loaded.
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    #: term id -> the ids of the terms whose parent it is, in file order
    #: (every area filter page's note asks); made on first use.
    _children: dict[str, tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    def label(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term.label if term else term_id

    def ancestors(self, term_id: str) -> tuple[str, ...]:
        """The chain of parents of a term, nearest first (for areas)."""
        found = self._ancestors.get(term_id)
        if found is None:
            chain, seen = [], {term_id}
            term = self.terms.get(term_id)
            while term and term.parent and term.parent not in seen:
                chain.append(term.parent)
                seen.add(term.parent)
                term = self.terms.get(term.parent)
            found = self._ancestors[term_id] = tuple(chain)
        return found

    def children(self, term_id: str) -> tuple[str, ...]:
        """The terms whose parent is ``term_id``, in the file's order (for areas)."""
        if self._children is None:
            found: dict[str, list[str]] = {}
            for term in self.terms.values():
                if term.parent:
                    found.setdefault(term.parent, []).append(term.id)
            self._children = {parent: tuple(ids) for parent, ids in found.items()}
        return self._children.get(term_id, ())

    def descendants(self, term_id: str) -> tuple[str, ...]:
        """Every term within ``term_id``: its children, theirs, and so on (for areas)."""
        found, queue, seen = [], list(self.children(term_id)), {term_id}
        while queue:
            child = queue.pop(0)
            if child not in seen:
                seen.add(child)
                found.append(child)
                queue.extend(self.children(child))
        return tuple(found)


def load_vocabularies(root: Path, data_folder: str = "content/_data") -> dict[str, Vocabulary]:
    folder = root / data_folder
    vocabularies = {}
    for path in sorted(folder.glob("*.yml")):
        source = f"{data_folder}/{path.name}"
        try:
            entries = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise VocabularyError(f"{source}: error: not valid YAML: {error}") from None
        if not isinstance(entries, list):
            raise VocabularyError(f"{source}:1:1: error: must be a list of entries with id and label")
        vocabulary = Vocabulary(path.stem, source)
        for number, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"] \
                    or not isinstance(entry.get("label"), str) or not entry["label"]:
                raise VocabularyError(f"{source}: error: entry {number + 1} needs an id and a label")
            if entry["id"] in vocabulary.terms:
                raise VocabularyError(f"{source}: error: the id '{entry['id']}' is listed twice")
            vocabulary.terms[entry["id"]] = Term(
                entry["id"], entry["label"], entry.get("description", ""), entry.get("parent")
            )
        for term in vocabulary.terms.values():
            if term.parent and term.parent not in vocabulary.terms:
                raise VocabularyError(f"{source}: error: '{term.id}' has an unknown parent '{term.parent}'")
        vocabularies[vocabulary.name] = vocabulary
    return vocabularies
