"""Reading every content file: on both cores, and only once per change.

Reading a file (parsing its YAML, validating it, rendering its Markdown)
is most of a cold build's time. :func:`read_all` reads each file with the
``frontmatter`` reader Pelican has set up (as ``Readers.read_file`` would,
less its cost: see :func:`_read_some`) and:

- keeps what it read between builds in the same process, keyed by the
  file's size, modification time and inode and by everything else a read
  depends on (the vocabularies, the schemas, SITEURL, the build date), so
  ``make serve`` re-reads only the files that changed;
- from ``CONTENT_TYPES_PARALLEL_FROM`` files to read, shares them with a
  forked second process (``parallel.share``).

A file that cannot be read gives its problems, never a traceback; files
with errors are not kept, so they are read (and reported) every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from frontmatter.problems import ContentError, Problem
from validation.schemas import SCHEMA_FOLDER
from validation.types import CONTENT_SUFFIX

from incremental import parallel, settings_digest
from .contents import CLASSES

logger = logging.getLogger(__name__)

#: relative path -> (fingerprint, stamp, digest of the metadata)
_kept: dict[str, tuple[tuple, tuple, bytes]] = {}
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
        content = _objects.get(relative)
        if kept and kept[0] == fingerprint and kept[1] == stamps[relative] and content is not None:
            content.settings, content._context = generator.settings, generator.context
            outcomes[relative] = Read(relative, content=content)
        else:
            to_read.append((content_type, relative))
    global files_read
    files_read = len(to_read)
    if generator.settings.get("TYPOGRIFY"):  # see _read_some
        logger.warning("content_types: TYPOGRIFY is not applied to the content files; "
                       "set TYPOGRIFY = False in pelicanconf.py")
    in_background = len(to_read) >= generator.settings.get("CONTENT_TYPES_PARALLEL_FROM", 1000)
    if in_background:  # the forked process inherits them
        project.compile_checks()
    here = os.getpid()
    types = dict((relative, content_type) for content_type, relative in to_read)

    def made(relative, html, metadata, problems, digest):
        return _content(generator, types[relative], Path(generator.path) / relative, html, metadata, digest)

    def read_some(chunk):
        """Each file read, and its content object if it was read here:
        made as each chunk is read, while the other process reads too
        (making all 10,000 after the reading took 0.4 to 0.8 s on one core).
        What the other process read comes back pickled, and its objects are
        made here afterwards."""
        read = _read_some(generator, chunk)
        here_now = os.getpid() == here
        return [(result, made(*result) if here_now and result[2] is not None else None) for result in read]

    try:
        results = parallel.share(read_some, to_read, 50, in_background)
    except parallel.BackgroundError as error:
        logger.error("content_types: could not read the content files: %s", error)
        results = []
    for (relative, html, metadata, problems, digest), content in results:
        if metadata is None:
            outcomes[relative] = Read(relative, problems=problems)
            continue
        if content is None:
            content = made(relative, html, metadata, problems, digest)
        outcomes[relative] = Read(relative, content=content)
        if not any(p.severity == "error" for p in content.metadata["problems"]):
            _kept[relative] = (fingerprint, stamps[relative], digest)
            _objects[relative] = content
        else:
            _kept.pop(relative, None)
            _objects.pop(relative, None)
    for relative in set(_kept) - set(stamps):
        del _kept[relative]  # a file that was deleted or renamed
        _objects.pop(relative, None)
    return [outcomes.get(relative) or Read(relative, problems=[Problem(relative, message="could not be read")])
            for _, _, relative in named]


def _read_some(generator, to_read: list) -> list[tuple[str, str | None, dict | None, list | None, bytes | None]]:
    """Read each file with the ``frontmatter`` reader; return (relative,
    html, metadata, None, digest of the metadata) or (relative, None, None,
    problems, None). What a second process returns travels pickled.

    This is what Pelican's ``Readers.read_file`` does for these files, less
    what does not apply to them: the metadata it would add from settings
    and paths is added here; its check for images without ``alt`` has
    nothing to find, as the sanitiser lets no ``<img>`` through; and the
    content object it makes (a second time, as a page is made in the
    process that writes it) is made once, in :func:`_content`. That took
    4.7 s of a 10,000-member build. Pelican's TYPOGRIFY is not applied
    (pelicanconf.py turns it off; a build that turns it on is told so).
    """
    from pelican.readers import _filter_discardable_metadata, default_metadata, parse_path_metadata, path_metadata

    settings = generator.settings
    reader = generator.readers.readers[CONTENT_SUFFIX.lstrip(".")]
    defaults = _filter_discardable_metadata(default_metadata(settings=settings, process=reader.process_metadata))
    results = []
    for content_type, relative in to_read:
        full_path = os.path.join(generator.path, relative)
        try:
            html, read = reader.read(full_path)
        except ContentError as error:
            results.append((relative, None, None, error.problems, None))
            continue
        except Exception as error:  # a bug of ours, not the author's: still name the file
            logger.exception("Could not read %s", relative)
            results.append((relative, None, None, [Problem(relative, message=f"could not be read: {error}")], None))
            continue
        metadata = dict(defaults)
        metadata.update(path_metadata(full_path=full_path, source_path=relative, settings=settings))
        metadata.update(_filter_discardable_metadata(parse_path_metadata(
            source_path=relative, settings=settings, process=reader.process_metadata)))
        metadata["reader"] = "frontmatter"
        metadata.update(_filter_discardable_metadata(read))
        # The parsed file (for messages that point into it) holds the body:
        # left out, so the digest changes only when the front matter does.
        digest = hashlib.blake2b(pickle.dumps({k: v for k, v in metadata.items() if k != "source_document"},
                                              pickle.HIGHEST_PROTOCOL), digest_size=16).digest()
        results.append((relative, html, metadata, None, digest))
    return results


def _content(generator, content_type, path: Path, html: str, metadata: dict, digest: bytes):
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
    schemas = sorted(SCHEMA_FOLDER.glob("*.json"))
    return (str(project.root), settings_digest(settings), str(today),
            tuple((p.name, _stamp(p)) for p in data + schemas))
