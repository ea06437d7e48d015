"""Builds that do only what changed, and the second core: everything the
site keeps from one build to the next in one process (``make serve``).

Not a Pelican plugin but the layer below the plugins (see README.md):

- :mod:`.state`: what the output folder holds and what each page was made from;
- :mod:`.recording` and :mod:`.pages`: what each page reads while it is
  rendered, and which pages a rebuild renders again;
- :mod:`.compare`: whether a value is what it was;
- :mod:`.changes`: what a derived view (a search document, open data lines)
  depends on, and what a second process sends back;
- :mod:`.parallel`: work shared with a forked second process;
- :mod:`.templates`: compiled templates, kept;
- :class:`ContentBuild`: what the content types publish to the plugins
  after them, each build.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import state
from .changes import changes_since, related_mark, with_changes
from .digests import digest, digest_of_text, settings_digest
from .pages import Pages
from .recording import Record, include, recording
from .state import Memo, commit, failed, memo, updatable, writing_begins
from .templates import compiled_templates

__all__ = ["ContentBuild", "Memo", "Pages", "Record", "begin", "changes_since", "commit", "compiled_templates",
           "digest", "digest_of_text", "failed", "include", "last_build_rendered", "memo", "publish", "published",
           "recording", "related_mark", "remembering", "settings_digest", "updatable", "with_changes",
           "writing_begins"]


@dataclass
class ContentBuild:
    """What the content types hand the plugins that work from them (the
    search index, the open data, the tender feeds), once the content is
    read, validated and related: see :func:`published`."""

    #: {type name: [content object, …]}, each list in listing order
    site: dict
    #: the generators' shared context (vocabularies, schemas, today, …)
    context: dict
    settings: dict
    output_path: str
    #: a digest of what everything made from the content depends on besides
    #: the content (vocabularies, schemas, settings, build date)
    shared_key: bytes
    #: a digest of every file's front matter and of ``shared_key``'s inputs
    front_matter_key: bytes
    #: the output folder's other files and their keys, as it holds them
    _previous_files: dict = field(default_factory=dict, repr=False)

    def files_unchanged(self, names: list[str], key: bytes) -> bool:
        """Record ``key`` for each of ``names`` (files relative to the output
        folder that a plugin writes); True if the folder holds them already,
        made from inputs with that key, so they need not be written."""
        if state.pending is not None:
            for name in names:
                state.pending.files[name] = key
        return all(self._previous_files.get(name) == key for name in names)


_published: ContentBuild | None = None


def publish(build: ContentBuild | None) -> None:
    """The content types' generator has this build's content ready (or, with
    None, a build starts and has none yet)."""
    global _published
    _published = build


def published() -> ContentBuild | None:
    """This build's content, for the plugins that work from it; None when
    the content types did not run."""
    return _published


def begin(remember: bool = True) -> None:
    """A build starts; ``remember`` says whether another build in this
    process may follow and update its output in place (make serve), so
    that it records what its pages read."""
    state.begin(remember)
    publish(None)


def remembering() -> bool:
    """Whether a build may follow this one in this process (make serve), so
    that what it makes is worth keeping."""
    return state.remembering


def last_build_rendered() -> int | None:
    """How many pages the last successful build rendered (None if it kept nothing)."""
    return state.last_rendered
