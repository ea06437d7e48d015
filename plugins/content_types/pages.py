"""Which pages the content types make, each with its template and
variables, and writing them: every item page, the list pages, the
directory's pages (per filter value, per area and service, paginated) and
the site map page. A page whose recorded inputs are as they were is left
alone (``incremental.Pages``); from CONTENT_TYPES_PARALLEL_FROM pages on,
the rendering is shared with a forked second process."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import TemplateError

import incremental
from incremental import parallel

from .directory import COMBINED, FILTERS_BY_NAME, combined_url, facet_title, facet_url, narrowing, paginate
from .site_files import SITE_MAP_URL, site_map_sections

logger = logging.getLogger(__name__)

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


def pages_of(site: dict[str, list], member_facets: dict, member_combinations: dict, vocabularies: dict,
             in_date_order: dict, newest_first: dict) -> list:
    """Every page but the site map, as ``(save_as, template, url,
    variables)``."""
    pages = []
    for name, items in site.items():
        for content in items:
            pages.append((content.save_as, content.template, content.url,
                          {"page": content, name: content, **in_date_order}))
    for listing in paginate(site["member"], "members/"):
        pages.append((listing["url"] + "index.html", "members", listing["url"],
                      {"listing": listing, **newest_first}))
    for template, save_as in LIST_PAGES:
        if template != "members":
            pages.append((save_as, template, save_as[: -len("index.html")], newest_first))
    narrow = narrowing(member_combinations, vocabularies)
    for filter_, groups in member_facets.items():
        for value, members in groups.items():
            for listing in paginate(members, facet_url(filter_, value)):
                pages.append((listing["url"] + "index.html", "member_facet", listing["url"], {
                    "listing": listing, "facet": filter_, "facet_value": value,
                    "facet_label": facet_title(filter_, value, vocabularies),
                    "narrow": narrow.get((filter_.name, value)), **newest_first}))
    area_filter, service_filter = (FILTERS_BY_NAME[name] for name in COMBINED)
    for (area, service), members in member_combinations.items():
        within = (area_filter, area, facet_title(area_filter, area, vocabularies), facet_url(area_filter, area))
        for listing in paginate(members, combined_url(area, service)):
            pages.append((listing["url"] + "index.html", "member_facet", listing["url"], {
                "listing": listing, "facet": service_filter, "facet_value": service,
                "facet_label": facet_title(service_filter, service, vocabularies), "within": within,
                **newest_first}))
    return pages


def site_map_page(listed: list[tuple[str, str]], newest_first: dict) -> tuple:
    """The site map page, of ``listed`` (``site_files.listed_pages``)."""
    return (SITE_MAP_URL + "index.html", "sitemap", SITE_MAP_URL,
            {"site_map": site_map_sections(listed), **newest_first})


def write_pages(generator, writer, pages: list, recorded: incremental.Pages) -> None:
    """Write every page of ``pages`` with ``generator``'s templates and
    context; from CONTENT_TYPES_PARALLEL_FROM pages on, on two processes
    (``parallel.share``), so both cores render. A page the output folder
    holds as it was made last is left alone (``recorded``, the build's
    ``incremental.Pages``). Two pages with one file name are an error, as
    Pelican's writer would say if it saw them all."""
    seen, twice = set(), set()
    for save_as, *_ in pages:
        (twice if save_as in seen else seen).add(save_as)
    if twice:
        logger.error("content_types: more than one page would be written to %s", ", ".join(sorted(twice)))
        return
    pages = recorded.to_render(pages)
    settings = generator.settings
    in_background = len(pages) >= settings.get("CONTENT_TYPES_PARALLEL_FROM", 1000)
    if in_background:
        _compile_theme(generator.env, settings)
    try:
        records = parallel.share(lambda chunk: _write_some(generator, writer, chunk, recorded), pages, 25,
                                 in_background)
    except parallel.BackgroundError as error:
        logger.error("content_types: could not write the pages: %s", error)
        return
    recorded.rendered_pages(pages, records)


def _compile_theme(env, settings) -> None:
    """Compile the theme's templates before the pages are shared with a
    forked process, which then inherits them: each process compiled its
    own (0.45 s for the theme's 29 templates, measured alone)."""
    folder = Path(settings["THEME"], "templates")
    for path in sorted(folder.glob("*.html")) if folder.is_dir() else ():
        try:
            env.get_template(path.name)
        except TemplateError:  # it fails where a page uses it, as before
            pass


def _write_some(generator, writer, pages: list, recorded: incremental.Pages) -> list:
    """Write ``pages``; returns what each read, (save_as, Record), when
    this build records that for the next."""
    records = []
    relative_urls = generator.settings["RELATIVE_URLS"]
    for save_as, template, url, variables in pages:
        template = generator.get_template(template)
        if not recorded.recording:  # make build: nothing to record, nor a context to enter
            writer.write_file(save_as, template, generator.context, relative_urls=relative_urls, url=url,
                              **variables)
            continue
        with recorded.rendering(template.name) as record:
            writer.write_file(save_as, template, generator.context, relative_urls=relative_urls, url=url,
                              **variables)
        records.append((save_as, record))
    return records
