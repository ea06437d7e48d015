"""Pelican reader for Markdown files with YAML front matter.

It parses (``frontmatter.parse``), validates against the file's
content-type schema (``validation``) and renders the body
(``frontmatter.render``). A file with any
error raises :class:`ContentError` instead of returning a page, so no page
is ever built without its metadata; the collections generator gathers
those errors and fails the build with all of them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican.readers import BaseReader

from frontmatter.problems import ContentError, Problem
from frontmatter.render import Renderer
from validation.project import Project
from validation.schemas import SCHEMA_FOLDER
from validation.today import uk_today
from validation.types import type_for_source

_projects: dict = {}


def site_today(settings) -> dt.date:
    value = str(settings.get("SITE_TODAY") or "").strip()
    return dt.date.fromisoformat(value) if value else uk_today()


def project_for(settings):
    """The validation project for these settings (built once per build)."""
    # make serve builds again in the same process: a changed vocabulary or
    # schema must give a new project, not the one it read before.
    data = sorted(Path(settings["PATH"], "content", "_data").glob("*.yml")) + sorted(SCHEMA_FOLDER.glob("*.json"))
    stamps = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in data)
    key = (settings["PATH"], site_today(settings), stamps)
    if key not in _projects:
        _projects.clear()
        _projects[key] = Project(Path(settings["PATH"]), key[1])
    return _projects[key]


def add_reader(readers) -> None:
    """Make this the only reader for Markdown (Pelican's ``readers_init``)."""
    for extension in ("md", "markdown", "mdown", "mkd"):
        readers.reader_classes.pop(extension, None)
    readers.reader_classes["md"] = FrontMatterReader


class FrontMatterReader(BaseReader):
    enabled = True
    file_extensions = ["md"]

    def __init__(self, settings):
        super().__init__(settings)
        self.renderer = Renderer(settings.get("SITEURL", ""))
        self._project = None  # one build's readers: the project is looked up once

    @property
    def project(self):
        if self._project is None:
            self._project = project_for(self.settings)
        return self._project

    def read(self, source_path):
        project = self.project
        path = Path(source_path)
        source = project.source_of(path)
        content_type = type_for_source(source)
        if content_type is None:
            raise ContentError([Problem(source, message="Markdown files belong in a content folder",
                                        hint="move it into members/, case_studies/ or a folder under content/")])
        checked = project.check_file(path, content_type)
        if any(p.severity == "error" for p in checked.problems):
            raise ContentError(checked.problems)
        document = checked.document
        metadata = dict(checked.meta)
        metadata["title"] = metadata.get("title") or metadata.get("name")
        metadata["slug"] = path.stem
        metadata["source_document"] = document
        metadata["problems"] = checked.problems
        metadata["content_type"] = content_type.name
        return self.renderer.render(document.body, document.source, document.body_line), metadata
