"""The collections generator: it only sequences the content types' jobs.

read (``reading``, through the reader) → validate (every file, then across
files) → relate (``relations``) → order and publish to the shared context
(``context``, with the directory's groups from ``directory``) → write the
pages (``pages``) and the site's own files (``site_files``).

It follows Pelican's PagesGenerator, but unlike Pelican's generators it
never skips a broken file: every problem of every file is gathered and the
build fails with all of them.
"""

from __future__ import annotations

import logging

from pelican.generators import Generator

from frontmatter.problems import ContentError
from validation.types import CONTENT_TYPES

import incremental

from . import context as template_context
from .contact_links import FILTERS as CONTACT_FILTERS
from .directory import member_groups
from .pages import pages_of, site_map_page, write_pages
from .reader import project_for, site_today
from .reading import fingerprint_of, read_all
from .relations import relate
from .site_files import listed_pages, write_site_files

logger = logging.getLogger(__name__)


def share_compiled_templates(generator) -> None:
    """Give a generator's Jinja environment the in-memory cache of compiled
    templates (Pelican's own generators render the home, search and 404
    pages with the same theme, on every rebuild)."""
    generator.env.bytecode_cache = incremental.compiled_templates(
        repr(sorted(generator.settings.get("JINJA_ENVIRONMENT", {}).items())))


class ContentTypesGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share_compiled_templates(self)
        self.env.filters.update(CONTACT_FILTERS)
        self.site: dict[str, list] = {name: [] for name in CONTENT_TYPES}
        self.problems = []

    # -- read, validate, relate, order, publish --------------------------------

    def generate_context(self):
        project = project_for(self.settings)
        today = site_today(self.settings)
        entries = {name: {} for name in CONTENT_TYPES}
        existing = {name: set() for name in CONTENT_TYPES}
        problems = []
        files = project.content_files()
        for content_type, path in files:
            if path.suffix == ".md":
                existing[content_type.name].add(path.stem)
        self.read_fingerprint = read_fingerprint = fingerprint_of(project, self.settings, today)
        for (content_type, _), read in zip(files, read_all(self, project, files, read_fingerprint)):
            if read.content is None:
                problems += read.problems
                continue
            content = read.content
            problems += content.problems
            entries[content_type.name][content.slug] = (content.source_document, content.metadata)
            self.site[content_type.name].append(content)
        problems += project.check_across(entries, existing)
        self.problems = sorted(problems)
        if any(p.severity == "error" for p in self.problems):
            error = ContentError(self.problems)
            error.files_checked = len(files)  # for the summary line, as make check gives it
            raise error
        for problem in self.problems:
            logger.warning("%s", problem.format())

        #: What everything made from the content depends on besides the
        #: content itself (vocabularies, schemas, settings, build date).
        self.shared_key = incremental.digest_of_text(repr(read_fingerprint))
        # DELETE_OUTPUT_DIRECTORY empties the folder first: nothing in it to keep.
        self.pages = incremental.Pages(
            self.env, self.context, {c.source_path: c for items in self.site.values() for c in items},
            self.shared_key, self.output_path,
            self.settings.get("CONTENT_TYPES_REUSE_PAGES", True) and not self.settings.get("DELETE_OUTPUT_DIRECTORY"))
        relate(self.site, project.vocabularies, project.schemas, today, self.shared_key)
        template_context.order(self.site)
        self.member_facets, self.member_combinations = member_groups(
            self.site["member"], project.vocabularies, self.shared_key)
        template_context.publish(self.context, self.site, project, today, self.member_facets, self.settings)
        incremental.publish(incremental.ContentBuild(
            site=self.site, context=self.context, settings=self.settings, output_path=self.output_path,
            shared_key=self.shared_key, front_matter_key=_front_matter_key(self.site, read_fingerprint),
            _previous_files=self.pages.previous.files))

    # -- write -----------------------------------------------------------------

    def generate_output(self, writer):
        # What the macros read as they are set up counts for every piece
        # made with them (a member's card, the directory's filters).
        with self.pages.piece(None) as macros_record:
            macros = self.env.get_template("_macros.html").make_module(vars=self.context)
        self.env.globals["member_cards"] = template_context.member_cards(macros, self.pages, macros_record)
        self.env.globals["directory_filters"] = template_context.once(
            macros.directory_filters, self.pages, macros_record)
        in_date_order, newest_first = template_context.date_orders(self.context)
        pages = pages_of(self.site, self.member_facets, self.member_combinations, self.context["vocab"],
                         in_date_order, newest_first)
        # The site map page and sitemap.xml list the same pages, these.
        listed = listed_pages(pages)
        pages.append(site_map_page(listed, newest_first))
        self.context.update(newest_first)
        write_pages(self, writer, pages, self.pages)
        write_site_files(self.output_path, self.settings["SITEURL"], self.context["schemas"], listed)


def _front_matter_key(site: dict, read_fingerprint: tuple) -> bytes:
    """The digest of the front matter of every content file (as read and
    validated, with its path) and of what reading depends on (the read
    fingerprint: vocabularies, schemas, build date, settings): what
    relationships, facets, cards and open data are made from."""
    metadata = b"".join(incremental.digest(c.source_path.encode(), c.metadata_digest)
                        for items in site.values() for c in items)
    return incremental.digest(metadata, repr(read_fingerprint).encode())
