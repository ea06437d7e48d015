"""Load and check a whole project's content, without Pelican.

:class:`Project` is what both ``make check`` and the build use: it reads the
vocabularies and schemas once, then checks every content file and the
references between them, collecting every problem before anyone fails.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from frontmatter.parse import Document, read_document
from frontmatter.problems import ContentError, Problem

from .collection import check_collection, slug_problem
from .links import check_internal_links
from .schemas import load_schemas
from .types import CONTENT_SUFFIX, CONTENT_TYPES, ContentType, type_for_source
from .validate import DocumentValidator
from .vocabularies import load_vocabularies


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
        self.vocabularies = load_vocabularies(self.root)
        self.schemas = load_schemas(self.vocabularies)
        self.validators = {name: DocumentValidator(name, schema, self.vocabularies, self.today)
                           for name, schema in self.schemas.items()}

    def source_of(self, path: Path) -> str:
        # Normalise without following symbolic links, so a link is named as
        # itself rather than as the file it points to.
        for file, root in ((Path(os.path.abspath(path)), Path(os.path.abspath(self.root))),
                           (path.resolve(), self.root.resolve())):
            try:
                return file.relative_to(root).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def content_files(self) -> list[tuple[ContentType, Path]]:
        files = []
        for content_type in CONTENT_TYPES.values():
            folder = self.root / content_type.folder
            if folder.is_dir():
                files += [(content_type, path) for path in sorted(folder.iterdir())
                          if path.is_file() and not path.name.startswith(".")]
        return files

    def check_file(self, path: Path, content_type: ContentType | None = None) -> CheckedFile:
        source = self.source_of(path)
        content_type = content_type or type_for_source(source)
        if content_type is None:
            return CheckedFile(None, {}, [Problem(source, message="this folder holds no content type")])
        if path.is_symlink():
            # A link could pull a file from outside the project into the site.
            return CheckedFile(None, {}, [Problem(source, message=f"'{path.name}' is a symbolic link",
                                                  hint="content files must be ordinary files; copy the content in")])
        if path.suffix != CONTENT_SUFFIX:
            return CheckedFile(None, {}, [Problem(source, message=f"'{path.name}' is not a Markdown file",
                                                  hint=f"content files end in {CONTENT_SUFFIX}; rename or remove it")])
        problems = []
        slug_issue = slug_problem(source, path.stem)
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
        entries = {name: {} for name in CONTENT_TYPES}
        problems: list[Problem] = []
        files = self.content_files()
        for content_type, path in files:
            checked = self.check_file(path, content_type)
            problems += checked.problems
            if checked.document is not None:
                entries[content_type.name][path.stem] = (checked.document, checked.meta)
        existing = {name: set() for name in CONTENT_TYPES}
        for content_type, path in files:
            if path.suffix == CONTENT_SUFFIX:
                existing[content_type.name].add(path.stem)
        problems += check_collection(entries, self.schemas, existing)
        problems += check_internal_links(entries)
        problems += self.stray_problems()
        return entries, sorted(problems), len(files)

    def stray_problems(self) -> list[Problem]:
        """Files and folders where no content type looks: they would never
        be published, so say so instead of skipping them."""
        problems = []
        folders = {t.folder for t in CONTENT_TYPES.values()}
        for content_type in CONTENT_TYPES.values():
            folder = self.root / content_type.folder
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.is_dir() and not path.name.startswith("."):
                    problems.append(Problem(self.source_of(path), message=f"folders inside {content_type.folder}/ are not read",
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
