"""Reading every content file: on both cores, and only once per change.

Reading a file (parsing its YAML, validating it, rendering its Markdown)
is most of a cold build's time. :func:`read_all` reads each file through
Pelican's ``Readers.read_file`` (so the ``frontmatter`` reader is the one
that reads it) and:

- keeps what it read between builds in the same process, keyed by the
  file's size, modification time and inode and by everything else a read
  depends on (the vocabularies, the schemas, SITEURL, the build date), so
  ``make serve`` re-reads only the files that changed;
- from ``CONTENT_TYPES_PARALLEL_FROM`` files to read, reads every other one
  in a forked second process.

A file that cannot be read gives its problems, never a traceback; files
with errors are not kept, so they are read (and reported) every time.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path

from frontmatter.problems import ContentError, Problem

from . import parallel
from .contents import CLASSES

logger = logging.getLogger(__name__)

#: relative path -> (fingerprint, stamp, pickled (html, metadata), digest of the metadata)
_kept: dict[str, tuple[tuple, tuple, bytes, bytes]] = {}
#: relative path -> the content object made from it last time. Relating the
#: types sets every computed attribute afresh on each build, so an object
#: from an unchanged file is used again: making 10,000 of them anew took
#: 1.6 s of each rebuild.
_objects: dict[str, object] = {}
#: How many files the last build had to read (the rest were kept); for
#: tests and the benchmark.
files_read = 0


@dataclass
class Read:
    """One file's outcome: the content object, or the problems that stopped it."""

    relative: str
    content: object | None = None
    problems: list | None = None


def read_all(generator, project, files: list, fingerprint: tuple) -> list[Read]:
    """Read ``files`` (``(content_type, path)`` pairs); the outcomes come
    back in the same order."""
    named = [(content_type, path, project.source_of(path)) for content_type, path in files]
    stamps = {relative: _stamp(path) for _, path, relative in named}
    outcomes: dict[str, Read] = {}
    to_read = []
    for content_type, path, relative in named:
        kept = _kept.get(relative)
        if kept and kept[0] == fingerprint and kept[1] == stamps[relative]:
            content = _objects.get(relative)
            if content is not None:
                content.settings, content._context = generator.settings, generator.context
            else:
                content = _objects[relative] = _content(generator, content_type, path, kept[2], kept[3])
            outcomes[relative] = Read(relative, content=content)
        else:
            to_read.append((content_type, relative))
    global files_read
    files_read = len(to_read)
    if len(to_read) >= generator.settings.get("CONTENT_TYPES_PARALLEL_FROM", 1000):
        other_half = parallel.start(_read_pickled, (generator, to_read[1::2]), in_background=True)
        mine = _read_pickled(generator, to_read[0::2])
        try:
            theirs = other_half.result()
        except parallel.BackgroundError as error:
            logger.error("content_types: could not read the content files: %s", error)
            theirs = []
        results = mine + theirs
    else:
        results = _read_pickled(generator, to_read)
    types = dict((relative, content_type) for content_type, relative in to_read)
    for relative, blob, problems, digest in results:
        if blob is None:
            outcomes[relative] = Read(relative, problems=problems)
            continue
        content = _content(generator, types[relative], Path(generator.path) / relative, blob, digest)
        outcomes[relative] = Read(relative, content=content)
        if not any(p.severity == "error" for p in content.metadata["problems"]):
            _kept[relative] = (fingerprint, stamps[relative], blob, digest)
            _objects[relative] = content
        else:
            _objects.pop(relative, None)
    for relative in set(_kept) - set(stamps):
        del _kept[relative]  # a file that was deleted or renamed
        _objects.pop(relative, None)
    return [outcomes.get(relative) or Read(relative, problems=[Problem(relative, message="could not be read")])
            for _, _, relative in named]


def _read_pickled(generator, to_read: list) -> list[tuple[str, bytes | None, list | None, bytes | None]]:
    """Read each file; return (relative, pickled (html, metadata) or None,
    problems or None, a digest of the metadata or None). Pickled, so a
    second process can send it back; the digest is for :mod:`.reuse`."""
    results = []
    for content_type, relative in to_read:
        try:
            content = generator.readers.read_file(
                base_path=generator.path, path=relative, content_class=CLASSES[content_type.name],
                context=generator.context)
        except ContentError as error:
            results.append((relative, None, error.problems, None))
            continue
        except Exception as error:  # a bug of ours, not the author's: still name the file
            logger.exception("Could not read %s", relative)
            results.append((relative, None, [Problem(relative, message=f"could not be read: {error}")], None))
            continue
        # The parsed file (for messages that point into it) holds the body:
        # left out, so the digest changes only when the front matter does.
        metadata = pickle.dumps({k: v for k, v in content.metadata.items() if k != "source_document"},
                                pickle.HIGHEST_PROTOCOL)
        results.append((relative, pickle.dumps((content._content, content.metadata), pickle.HIGHEST_PROTOCOL),
                        None, hashlib.blake2b(metadata, digest_size=16).digest()))
    return results


def _content(generator, content_type, path: Path, blob: bytes, digest: bytes):
    # What Readers.read_file does last, with what it read before: a fresh
    # object each build, as relating the types sets attributes on it.
    html, metadata = pickle.loads(blob)
    content = CLASSES[content_type.name](content=html, metadata=metadata, settings=generator.settings,
                                         source_path=str(path), context=generator.context)
    content.metadata_digest = digest
    return content


def _stamp(path: Path) -> tuple:
    status = path.stat()
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def fingerprint_of(project, settings: dict, today) -> tuple:
    """Everything besides the file itself that what is read from it depends on."""
    data = sorted((project.root / "content" / "_data").glob("*.yml"))
    from validation.schemas import SCHEMA_FOLDER

    from .reuse import settings_digest

    schemas = sorted(SCHEMA_FOLDER.glob("*.json"))
    return (str(project.root), settings_digest(settings), str(today),
            tuple((p.name, _stamp(p)) for p in data + schemas))
