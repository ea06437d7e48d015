"""Load and check a whole project's content, without Pelican.

:class:`Project` is what both ``make check`` and the build use: it reads the
vocabularies and schemas once, then checks every content file and the
references between them, collecting every problem before anyone fails.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import queue
import sys
from dataclasses import dataclass, field
from pathlib import Path

from frontmatter.parse import Document, read_document
from frontmatter.problems import ContentError, Problem

from .collection import check_collection, reserved_slug_problem, slug_problem
from .links import check_internal_links
from .schemas import load_schemas
from .tree import symbolic_link_problems
from .types import CONTENT_SUFFIX, CONTENT_TYPES, ContentType, type_for_source
from .validate import DocumentValidator
from .vocabularies import load_vocabularies


#: Projects with at least this many files are checked by a pool of processes,
#: one per core; below it, starting the pool costs more than it saves.
PARALLEL_FROM = 1500
_CHUNK = 200  # files per task: small enough to share the work out evenly


@dataclass
class CheckedFile:
    document: Document | None
    meta: dict
    problems: list[Problem]


@dataclass
class Project:
    root: Path
    today: dt.date
    vocabularies: dict = field(init=False)
    schemas: dict = field(init=False)
    validators: dict = field(init=False)

    def __post_init__(self):
        self.root = Path(self.root)
        self._absolute_root = os.path.join(os.path.abspath(self.root), "")
        self._listed: dict[Path, list] = {}
        #: The files the last content_files() listed that are not symbolic links.
        self._plain_files: set[Path] = set()
        self._paths: dict[tuple[Path, str], Path] = {}
        self.vocabularies = load_vocabularies(self.root)
        self.schemas = load_schemas(self.vocabularies)
        self.validators = {name: DocumentValidator(name, schema, self.vocabularies, self.today)
                           for name, schema in self.schemas.items()}

    def compile_checks(self) -> None:
        """Compile every schema's fast check now: before forking, so that
        the forked processes share them instead of each compiling its own
        (0.15 s of CPU each)."""
        for validator in self.validators.values():
            validator.check.compile()

    def _path(self, folder: Path, name: str) -> Path:
        """``folder / name``, the same object each time it is asked for:
        make serve lists the folders on every build, and making and
        printing 10,000 paths anew took a quarter of a second of each."""
        key = (folder, name)
        path = self._paths.get(key)
        if path is None:
            path = self._paths[key] = folder / name
        return path

    def source_of(self, path: Path) -> str:
        # Normalise without following symbolic links, so a link is named as
        # itself rather than as the file it points to.
        absolute = os.path.abspath(path)
        if absolute.startswith(self._absolute_root):
            return absolute[len(self._absolute_root):].replace(os.sep, "/")
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def content_files(self) -> list[tuple[ContentType, Path]]:
        files = []
        self._listed = {}  # for stray_problems, which comes next and would list the folders again
        self._plain_files = set()
        for content_type in CONTENT_TYPES.values():
            folder = self.root / content_type.folder
            self._listed[folder] = listed = _entries(folder)
            for entry in listed:
                if entry.is_file() and not entry.name.startswith("."):
                    path = self._path(folder, entry.name)
                    files.append((content_type, path))
                    if not entry.is_symlink():  # the listing says so: check_file need not ask again
                        self._plain_files.add(path)
        return files

    def check_file(self, path: Path, content_type: ContentType | None = None, source: str | None = None) -> CheckedFile:
        """Check one file on its own. ``source``, the path as messages show
        it, is worked out from ``path`` unless given."""
        source = source or self.source_of(path)
        content_type = content_type or type_for_source(source)
        if content_type is None:
            return CheckedFile(None, {}, [Problem(source, message="this folder holds no content type")])
        if path not in self._plain_files and path.is_symlink():
            # A link could pull a file from outside the project into the site.
            return CheckedFile(None, {}, [Problem(source, message=f"'{path.name}' is a symbolic link",
                                                  hint="content files must be ordinary files; copy the content in")])
        if path.suffix != CONTENT_SUFFIX:
            return CheckedFile(None, {}, [Problem(source, message=f"'{path.name}' is not a Markdown file",
                                                  hint=f"content files end in {CONTENT_SUFFIX}; rename or remove it")])
        problems = []
        slug_issue = slug_problem(source, path.stem) or reserved_slug_problem(
            source, content_type.name, content_type.url_prefix, path.stem)
        if slug_issue:
            problems.append(slug_issue)
        try:
            document = read_document(path, source)
        except ContentError as error:
            return CheckedFile(None, {}, problems + error.problems)
        meta, found = self.validators[content_type.name].validate(document)
        return CheckedFile(document, meta, problems + found)

    def check_all(self) -> tuple[dict, list[Problem], int]:
        """Check every content file. Returns the valid entries by type
        (``{type: {slug: (document, meta)}}``), every problem, and the number
        of files checked."""
        # Everything checked stays in memory until the checks across files,
        # so the cyclic garbage collector would rescan an ever larger heap
        # for nothing: documents hold no cycles.
        with _collector_paused():
            entries = {name: {} for name in CONTENT_TYPES}
            existing = {name: set() for name in CONTENT_TYPES}
            problems: list[Problem] = []
            files = self.content_files()
            for (content_type, path), checked in zip(files, self.check_files(files)):
                problems += checked.problems
                slug, suffix = os.path.splitext(path.name)
                if suffix == CONTENT_SUFFIX:
                    existing[content_type.name].add(slug)
                if checked.document is not None:
                    entries[content_type.name][slug] = (checked.document, checked.meta)
            problems += self.check_across(entries, existing)
            return entries, sorted(problems), len(files)

    def check_across(self, entries: dict, existing: dict) -> list[Problem]:
        """The checks across files, in the one order both ``make check``
        (:meth:`check_all`) and the build (content_types.generator) run them:
        values that must be unique (names, registered numbers, OCIDs) and
        references between files (case-study partners, models, tenders'
        interested members), internal links, files that are not content,
        symbolic links. ``entries`` are the valid entries by type
        (``{type: {slug: (document, meta)}}``); ``existing`` the slugs of
        every content file by type, valid or not, so a reference to a file
        that has its own error is not reported again."""
        problems = check_collection(entries, self.schemas, existing)
        problems += check_internal_links(entries)
        problems += self.stray_problems()
        problems += symbolic_link_problems(self.root)
        return problems

    def check_files(self, files: list[tuple[ContentType, Path]]) -> list[CheckedFile]:
        """:meth:`check_file` for each of :meth:`content_files`, in order;
        shared among the cores for a large project."""
        with _collector_paused():
            workers = _worker_count()
            if len(files) < PARALLEL_FROM or workers < 2:
                return _check_chunk(self, files)
            return self._check_in_parallel(files, workers)

    def _check_in_parallel(self, files, workers: int) -> list[CheckedFile]:
        """Forked helpers inherit the project (schemas compiled and all), the
        list of files and a counter. Every process, this one too, takes the
        next chunk of files until none is left; the helpers send each
        chunk's results back as soon as it is done. Whatever a helper does
        not send back (it failed, or was stopped) is checked here after all,
        so the results are those of checking the files one by one."""
        self.compile_checks()
        context = multiprocessing.get_context("fork")
        taken, results = context.Value("i", 0), context.Queue()
        helpers = [context.Process(target=_help, args=(self, files, taken, results), daemon=True)
                   for _ in range(workers - 1)]
        for helper in helpers:
            helper.start()
        chunks = range(0, len(files), _CHUNK)
        done: dict[int, list[CheckedFile]] = {}

        def receive(wait: bool):
            while len(done) < len(chunks):
                try:
                    start, checked = results.get(timeout=1 if wait else 0.0)
                except queue.Empty:
                    if not wait or not any(helper.is_alive() for helper in helpers) and results.empty():
                        return
                    continue
                if checked is not None:
                    done[start] = checked

        try:
            while True:
                start = _take(taken)
                if start >= len(files):
                    break
                done[start] = _check_chunk(self, files[start:start + _CHUNK])
                receive(wait=False)
            receive(wait=True)
        finally:
            for helper in helpers:
                helper.join(timeout=5)
                if helper.is_alive():
                    helper.terminate()
        for start in chunks:
            if start not in done:
                done[start] = _check_chunk(self, files[start:start + _CHUNK])
        return [checked for start in chunks for checked in done[start]]

    def stray_problems(self) -> list[Problem]:
        """Files and folders where no content type looks: they would never
        be published, so say so instead of skipping them."""
        problems = []
        folders = {t.folder for t in CONTENT_TYPES.values()}
        listed, self._listed = self._listed, {}
        for content_type in CONTENT_TYPES.values():
            folder = self.root / content_type.folder
            for entry in listed[folder] if folder in listed else _entries(folder):
                if entry.name.startswith("."):
                    if entry.name != ".gitkeep" and entry.is_file():
                        problems.append(Problem(self.source_of(folder / entry.name),
                                                message=f"'{entry.name}' is a hidden file (its name starts with '.'), "
                                                        "so it would not be published",
                                                hint="remove the '.' from the start of its name, or delete the file"))
                elif entry.is_dir():
                    problems.append(Problem(self.source_of(folder / entry.name), message=f"folders inside {content_type.folder}/ are not read",
                                            hint=f"move the files it holds into {content_type.folder}/ itself"))
        content = self.root / "content"
        if content.is_dir():
            for path in sorted(content.iterdir()):
                if path.name.startswith(".") or path.name == "_data" or f"content/{path.name}" in folders:
                    continue
                where = "this folder" if path.is_dir() else "this file"
                problems.append(Problem(self.source_of(path), message=f"{where} is not part of any content type, so it would not be published",
                                        hint="guides, models, tenders, events and pages each have a folder under content/"))
        return problems


def _entries(folder: Path) -> list[os.DirEntry]:
    """The entries of a folder by name (none if it does not exist)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []


@contextlib.contextmanager
def _collector_paused():
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _check_chunk(project: Project, files) -> list[CheckedFile]:
    # content_files() lists each file as its folder / its name, so that is its source.
    return [project.check_file(path, content_type, f"{content_type.folder}/{path.name}")
            for content_type, path in files]


def _take(taken) -> int:
    """Where the next chunk of files starts (the counter is shared)."""
    with taken.get_lock():
        start = taken.value * _CHUNK
        taken.value += 1
    return start


def _help(project: Project, files, taken, results) -> None:
    """A helper process: check chunks of files until none is left. A chunk
    it fails on is left to the parent, which checks it again."""
    while True:
        start = _take(taken)
        if start >= len(files):
            return
        try:
            checked = _check_chunk(project, files[start:start + _CHUNK])
        except Exception:
            checked = None
        results.put((start, checked))


def can_fork() -> bool:
    """Whether work may be shared with forked processes: not on Windows,
    which cannot fork, and not on macOS, where forking is unsafe with some
    system libraries. The one rule for every fork pool (this one and
    ``incremental.parallel``)."""
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def _worker_count() -> int:
    """Cores this process may use, if it can fork helpers (:func:`can_fork`)."""
    if not can_fork():
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1
