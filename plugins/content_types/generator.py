"""The collections generator: reads every content type, relates them, writes
their item and list pages, the sitemap, robots.txt and the published schemas.

It follows Pelican's PagesGenerator: read (through the front-matter reader),
collect, order, publish to the shared context, then write. Unlike Pelican's
generators it never skips a broken file: every problem of every file is
gathered and the build fails with all of them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

from jinja2 import TemplateError
from markupsafe import Markup
from pelican.generators import Generator

from frontmatter.problems import ContentError
from validation.schemas import resolve
from validation.types import CONTENT_TYPES

import incremental
from incremental import parallel

from . import linked_data
from .contact_links import FILTERS as CONTACT_FILTERS
from .reader import project_for, site_today
from .reading import fingerprint_of, read_all
from .directory import (COMBINED, FILTERS, FILTERS_BY_NAME, combined_groups, combined_url, facet_groups,
                        facet_title, facet_url, paginate)
from .day_of_reading import rules_for_browser
from .relations import relate
from .site_map import SITE_MAP_URL, site_map_sections, sitemap_xml

logger = logging.getLogger(__name__)

#: Context names for the lists of each type (templates use these).
CONTEXT_NAMES = {
    "member": "members",
    "case_study": "case_studies",
    "model": "models",
    "tender": "tenders",
    "guide": "guides",
    "event": "events",
    "page": "site_pages",
}
#: List pages: (template, save_as) per type. URLs are part of the contract.
LIST_PAGES = [
    ("members", "members/index.html"),
    ("case_studies", "case-studies/index.html"),
    ("models", "models/index.html"),
    ("tenders", "tenders/index.html"),
    ("tenders_archive", "tenders/archive/index.html"),
    ("guides", "guides/index.html"),
    ("events", "events/index.html"),
    ("data", "data/index.html"),
]
#: The list pages' titles, as their templates give them (for the site map page).
LIST_TITLES = {"members": "Members", "case_studies": "Case studies", "models": "Consortium models compared",
               "tenders": "Tender opportunities", "tenders_archive": "Closed tenders", "guides": "Guides",
               "events": "Events", "data": "Open data"}


#: What member_cards renders a card's heading level as, then replaces: no
#: field may hold a control character (validation.fields.HIDDEN).
_LEVEL = "\x00"

#: The last build's facet groups, by slug: (facets, combinations), kept
#: under the digest of what they were made from. See ContentTypesGenerator._groups.
_groups_kept = incremental.memo("content_types.groups")


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

    # -- read, validate, relate ----------------------------------------------

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
        self._order()
        self.member_facets, self.member_combinations = self._groups(project.vocabularies)
        self.context["member_filters"] = [
            {"filter": f, "options": [
                {"value": value, "label": facet_title(f, value, project.vocabularies),
                 "count": len(self.member_facets[f].get(value, [])), "url": facet_url(f, value)}
                for value in (project.vocabularies[f.vocabulary].terms if f.vocabulary else ["yes"])]}
            for f in FILTERS]
        model_schema = project.schemas["model"]
        self.context["model_attributes"] = [(name, spec["title"]) for name, spec in model_schema["properties"].items()
                                            if spec.get("x-compare")]
        self.context["field_docs"] = {
            name: {field: _field_doc(spec, schema) for field, spec in schema["properties"].items()}
            for name, schema in project.schemas.items()
        }
        for name, items in self.site.items():
            self.context[CONTEXT_NAMES[name]] = items
        # How many entries in the directory are members, and how many of
        # those are examples, as the directory and the home page say.
        in_consortium = [m for m in self.site["member"] if m.metadata["membership_tier"] != "none"]
        self.context["member_counts"] = {
            "members": len(in_consortium), "examples": sum(1 for m in in_consortium if m.metadata.get("example")),
            "named_only": len(self.site["member"]) - len(in_consortium)}
        self.context["vocab"] = project.vocabularies
        self.context["schemas"] = project.schemas
        self.context["content_types"] = CONTENT_TYPES
        self.context["consortium_json_ld"] = linked_data.consortium(self.settings)
        self.context["today"] = today
        self.context["day_rules"] = rules_for_browser(today)
        tenders = self.site["tender"]
        self.context["open_tenders"] = [t for t in tenders if t.status != "closed"]
        self.context["closed_tenders"] = [t for t in tenders if t.status == "closed"]
        events = self.site["event"]
        self.context["upcoming_events"] = [e for e in events if not e.is_past]
        self.context["past_events"] = [e for e in events if e.is_past]
        incremental.publish(incremental.ContentBuild(
            site=self.site, context=self.context, settings=self.settings, output_path=self.output_path,
            shared_key=self.shared_key, front_matter_key=_front_matter_key(self.site, read_fingerprint),
            _previous_files=self.pages.previous.files))

    def _groups(self, vocabularies) -> tuple[dict, dict]:
        """The members of each facet value and of each area and service: made
        from the filters' fields only, so a rebuild in which those are as
        they were takes the last build's groups, by slug, with today's
        objects."""
        members = self.site["member"]
        # What the groups are made of: the members in order and the fields
        # the filters read (and the vocabularies, in the read fingerprint).
        # A new summary leaves it as it was.
        fields = [f.field for f in FILTERS]
        key = incremental.digest_of_text(repr((self.shared_key, [
            (m.slug, [m.metadata.get(field) for field in fields]) for m in members])))
        kept = _groups_kept.get(key)
        if kept is not None:
            by_slug = {member.slug: member for member in members}
            facets = {f: {value: [by_slug[slug] for slug in slugs] for value, slugs in groups.items()}
                      for f, groups in kept[0].items()}
            combined = {pair: [by_slug[slug] for slug in slugs] for pair, slugs in kept[1].items()}
            return facets, combined
        facets = facet_groups(members, vocabularies)
        combined = combined_groups(facets)
        _groups_kept.keep(key, ({f: {value: [m.slug for m in group] for value, group in groups.items()}
                                 for f, groups in facets.items()},
                                {pair: [m.slug for m in group] for pair, group in combined.items()}))
        return facets, combined

    def _order(self):
        site = self.site
        site["member"].sort(key=lambda m: m.title.casefold())
        site["case_study"].sort(key=lambda c: c.title.casefold())
        site["model"].sort(key=lambda m: (m.metadata["order"], m.title.casefold()))
        site["guide"].sort(key=lambda g: (g.metadata["order"], g.title.casefold()))
        site["page"].sort(key=lambda p: p.title.casefold())
        site["event"].sort(key=lambda e: _sortable(e.metadata["start"]))
        # Open tenders soonest deadline first; closed ones newest first below.
        site["tender"].sort(key=lambda t: (t.deadline is None, t.deadline.timestamp() if t.deadline else 0))

    # -- write -----------------------------------------------------------------

    def generate_output(self, writer):
        # What the macros read as they are set up counts for every piece
        # made with them (a member's card, the directory's filters).
        with self.pages.piece(None) as self.macros_record:
            macros = self.env.get_template("_macros.html").make_module(vars=self.context)
        self.env.globals["member_cards"] = self._member_cards(macros)
        self.env.globals["directory_filters"] = self._once(macros.directory_filters)
        context = self.context
        # Item pages see past events and closed tenders in date order; list
        # pages (and the pages later generators write) newest first.
        in_date_order = {"past_events": context["past_events"], "closed_tenders": context["closed_tenders"]}
        newest_first = {
            "past_events": sorted(context["past_events"], key=lambda e: _sortable(e.metadata["start"]), reverse=True),
            "closed_tenders": sorted(context["closed_tenders"], reverse=True,
                                     key=lambda t: (t.deadline is not None, t.deadline.timestamp() if t.deadline else 0)),
        }
        pages = []  # (save_as, template, url, variables): every page this generator writes
        for name, items in self.site.items():
            for content in items:
                pages.append((content.save_as, content.template, content.url,
                              {"page": content, name: content, **in_date_order}))
        for listing in paginate(self.site["member"], "members/"):
            pages.append((listing["url"] + "index.html", "members", listing["url"],
                          {"listing": listing, **newest_first}))
        for template, save_as in LIST_PAGES:
            if template != "members":
                pages.append((save_as, template, save_as[: -len("index.html")], newest_first))
        vocabularies = context["vocab"]
        narrowing = self._narrowing(vocabularies)
        for filter_, groups in self.member_facets.items():
            for value, members in groups.items():
                for listing in paginate(members, facet_url(filter_, value)):
                    pages.append((listing["url"] + "index.html", "member_facet", listing["url"], {
                        "listing": listing, "facet": filter_, "facet_value": value,
                        "facet_label": facet_title(filter_, value, vocabularies),
                        "narrow": narrowing.get((filter_.name, value)), **newest_first}))
        area_filter, service_filter = (FILTERS_BY_NAME[name] for name in COMBINED)
        for (area, service), members in self.member_combinations.items():
            within = (area_filter, area, facet_title(area_filter, area, vocabularies), facet_url(area_filter, area))
            for listing in paginate(members, combined_url(area, service)):
                pages.append((listing["url"] + "index.html", "member_facet", listing["url"], {
                    "listing": listing, "facet": service_filter, "facet_value": service,
                    "facet_label": facet_title(service_filter, service, vocabularies), "within": within,
                    **newest_first}))
        # The site map page and sitemap.xml list the same pages, these.
        listed = [("", "Home"), ("search/", "Search"), ("contribute/profile/", "Profile editor"),
                  (SITE_MAP_URL, "Site map")]
        listed += [(url, _page_title(template, variables)) for _, template, url, variables in pages]
        pages.append((SITE_MAP_URL + "index.html", "sitemap", SITE_MAP_URL,
                      {"site_map": site_map_sections(listed), **newest_first}))
        context.update(newest_first)
        self._write_pages(writer, pages)
        self._write_schemas()
        self._write_text("sitemap.xml", sitemap_xml(self.settings["SITEURL"], [url for url, _ in listed]))
        self._write_text("robots.txt", _robots(self.settings["SITEURL"]))

    def _write_pages(self, writer, pages: list) -> None:
        """Write every page; from CONTENT_TYPES_PARALLEL_FROM pages on, on
        two processes (``parallel.share``), so both cores render. A page the
        output folder holds as it was made last is left alone
        (``incremental.Pages``).
        Two pages with one file name are an error, as
        Pelican's writer would say if it saw them all."""
        seen, twice = set(), set()
        for save_as, *_ in pages:
            (twice if save_as in seen else seen).add(save_as)
        if twice:
            logger.error("content_types: more than one page would be written to %s", ", ".join(sorted(twice)))
            return
        pages = self.pages.to_render(pages)
        in_background = len(pages) >= self.settings.get("CONTENT_TYPES_PARALLEL_FROM", 1000)
        if in_background:
            self._compile_theme()
        try:
            records = parallel.share(lambda chunk: self._write_some(writer, chunk), pages, 25, in_background)
        except parallel.BackgroundError as error:
            logger.error("content_types: could not write the pages: %s", error)
            return
        self.pages.rendered_pages(pages, records)

    def _compile_theme(self) -> None:
        """Compile the theme's templates before the pages are shared with a
        forked process, which then inherits them: each process compiled its
        own (0.45 s for the theme's 29 templates, measured alone)."""
        folder = Path(self.settings["THEME"], "templates")
        for path in sorted(folder.glob("*.html")) if folder.is_dir() else ():
            try:
                self.env.get_template(path.name)
            except TemplateError:  # it fails where a page uses it, as before
                pass

    def _write_some(self, writer, pages: list) -> list:
        """Write ``pages``; returns what each read, (save_as, Record), when
        this build records that for the next."""
        records = []
        for save_as, template, url, variables in pages:
            template = self.get_template(template)
            with self.pages.rendering(template.name) as record:
                writer.write_file(save_as, template, self.context,
                                  relative_urls=self.settings["RELATIVE_URLS"], url=url, **variables)
            if record is not None:
                records.append((save_as, record))
        return records

    def _narrowing(self, vocabularies) -> dict:
        """For each area page, the services its members offer, and for each
        service page, the areas: (label, count, URL of the combined page)."""
        area_filter, service_filter = (FILTERS_BY_NAME[name] for name in COMBINED)
        narrow: dict[tuple[str, str], dict] = {}
        for (area, service), members in self.member_combinations.items():
            narrow.setdefault((area_filter.name, area), {"by": service_filter, "options": []})["options"].append(
                (facet_title(service_filter, service, vocabularies), len(members), combined_url(area, service)))
            narrow.setdefault((service_filter.name, service), {"by": area_filter, "options": []})["options"].append(
                (facet_title(area_filter, area, vocabularies), len(members), combined_url(area, service)))
        for entry in narrow.values():
            entry["options"].sort(key=lambda option: option[0].casefold())
        return narrow

    def _member_cards(self, macros):
        """``member_cards(members, level)`` for templates: the card macro of
        _macros.html (``macros``) for each member, joined. A member's card
        appears on every directory page that lists it (its services, areas,
        legal form, tier, flags), so each is rendered once: at ten thousand
        members that saves tens of thousands of identical renders."""
        cards = {}  # (slug, level) -> (the card, what rendering it read)
        drafts = {}  # slug -> (the card with _LEVEL for its heading's level, what it read)
        piece, include = self.pages.piece, incremental.include

        def member_cards(members, level=2):
            joined = []
            for member in members:
                key = (member.slug, level)
                card = cards.get(key)
                if card is None:
                    # Rendered once for all heading levels (the directory's
                    # pages use two): a field cannot hold the control
                    # character that stands for the level.
                    draft = drafts.get(member.slug)
                    if draft is None:
                        with piece(self.macros_record) as record:
                            draft = drafts[member.slug] = (str(macros.member_card(member, _LEVEL)), record)
                    else:
                        include(draft[1])
                    if draft[0].count(_LEVEL) == 2:  # the heading's start and end tags alone
                        card = (Markup(draft[0].replace(_LEVEL, str(int(level)))), draft[1])
                    else:
                        with piece(self.macros_record) as record:
                            card = (macros.member_card(member, level), record)
                    cards[key] = card
                else:
                    include(card[1])
                joined.append(card[0])
            return Markup("".join(joined))

        return member_cards

    def _once(self, macro):
        """``macro`` for templates, rendered once for each value it is given
        (by identity: the shared context's), not on every page that calls it.
        The directory's filter form took 8 ms of each of its 200 pages."""
        rendered: dict[int, tuple[object, Markup, object]] = {}
        piece, include = self.pages.piece, incremental.include

        def once(value):
            known = rendered.get(id(value))
            if known is None or known[0] is not value:
                with piece(self.macros_record) as record:
                    known = rendered[id(value)] = (value, macro(value), record)
            else:
                include(known[2])
            return known[1]

        return once

    def _write_schemas(self):
        folder = Path(self.output_path) / "data" / "schemas"
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in self.context["schemas"].items():
            (folder / f"{name}.schema.json").write_text(
                json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def _write_text(self, name, text):
        path = os.path.join(self.output_path, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def _front_matter_key(site: dict, read_fingerprint: tuple) -> bytes:
    """The digest of the front matter of every content file (as read and
    validated, with its path) and of what reading depends on (the read
    fingerprint: vocabularies, schemas, build date, settings): what
    relationships, facets, cards and open data are made from."""
    metadata = b"".join(incremental.digest(c.source_path.encode(), c.metadata_digest)
                        for items in site.values() for c in items)
    return incremental.digest(metadata, repr(read_fingerprint).encode())


def _field_doc(spec: dict, schema: dict) -> dict:
    resolved = resolve(spec, schema)
    vocabulary = resolved.get("x-vocabulary") or resolve(resolved.get("items", {}), schema).get("x-vocabulary")
    return {"description": resolved.get("description", ""), "vocabulary": vocabulary}


def _sortable(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time(0, 0))


def _page_title(template: str, variables: dict) -> str:
    """A page's title as its template gives it, for the site map page."""
    if "page" in variables:
        return variables["page"].title
    listing = variables.get("listing")
    if template == "member_facet":
        title = variables["facet"].heading.format(variables["facet_label"])
        if variables.get("within"):
            title += " in " + variables["within"][2]
    else:
        title = LIST_TITLES[template]
    return f"{title} (page {listing['number']})" if listing and listing["number"] > 1 else title


def _robots(siteurl: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n"
