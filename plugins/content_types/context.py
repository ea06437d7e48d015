"""What templates get: each type's list in listing order, the directory's
filters with their counts, the vocabularies and schemas, the build date and
its rules, and the globals ``member_cards`` and ``directory_filters``, each
rendered once per build and reused on every page that shows it."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from validation.schemas import resolve
from validation.types import CONTENT_TYPES

import incremental

from . import linked_data
from .day_of_reading import rules_for_browser
from .directory import FILTERS, facet_title, facet_url

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

#: What member_cards renders a card's heading level as, then replaces: no
#: field may hold a control character (validation.fields.HIDDEN).
_LEVEL = "\x00"


def order(site: dict[str, list]) -> None:
    """Put each type's list in its listing order, in place."""
    site["member"].sort(key=lambda m: m.title.casefold())
    site["case_study"].sort(key=lambda c: c.title.casefold())
    site["model"].sort(key=lambda m: (m.metadata["order"], m.title.casefold()))
    site["guide"].sort(key=lambda g: (g.metadata["order"], g.title.casefold()))
    site["page"].sort(key=lambda p: p.title.casefold())
    site["event"].sort(key=lambda e: _sortable(e.metadata["start"]))
    # Open tenders soonest deadline first; closed ones newest first below.
    site["tender"].sort(key=lambda t: (t.deadline is None, t.deadline.timestamp() if t.deadline else 0))


def publish(context: dict, site: dict[str, list], project, today: dt.date, member_facets: dict, settings) -> None:
    """Put what templates get into ``context``: ``site``'s lists, related
    and ordered, and what is made from them and from ``project``."""
    vocabularies = project.vocabularies
    context["member_filters"] = [
        {"filter": f, "options": [
            {"value": value, "label": facet_title(f, value, vocabularies),
             "count": len(member_facets[f].get(value, [])), "url": facet_url(f, value)}
            for value in (vocabularies[f.vocabulary].terms if f.vocabulary else ["yes"])]}
        for f in FILTERS]
    model_schema = project.schemas["model"]
    context["model_attributes"] = [(name, spec["title"]) for name, spec in model_schema["properties"].items()
                                   if spec.get("x-compare")]
    context["field_docs"] = {
        name: {field: _field_doc(spec, schema) for field, spec in schema["properties"].items()}
        for name, schema in project.schemas.items()
    }
    for name, items in site.items():
        context[CONTEXT_NAMES[name]] = items
    # How many entries in the directory are members, and how many of
    # those are examples, as the directory and the home page say.
    in_consortium = [m for m in site["member"] if m.metadata["membership_tier"] != "none"]
    context["member_counts"] = {
        "members": len(in_consortium), "examples": sum(1 for m in in_consortium if m.metadata.get("example")),
        "named_only": len(site["member"]) - len(in_consortium)}
    context["vocab"] = vocabularies
    context["schemas"] = project.schemas
    context["content_types"] = CONTENT_TYPES
    context["consortium_json_ld"] = linked_data.consortium(settings)
    context["today"] = today
    context["day_rules"] = rules_for_browser(today)
    tenders = site["tender"]
    context["open_tenders"] = [t for t in tenders if t.status != "closed"]
    context["closed_tenders"] = [t for t in tenders if t.status == "closed"]
    events = site["event"]
    context["upcoming_events"] = [e for e in events if not e.is_past]
    context["past_events"] = [e for e in events if e.is_past]


def date_orders(context: dict) -> tuple[dict, dict]:
    """Past events and closed tenders in date order (what item pages see)
    and newest first (what list pages, and the pages later generators
    write, see)."""
    in_date_order = {"past_events": context["past_events"], "closed_tenders": context["closed_tenders"]}
    newest_first = {
        "past_events": sorted(context["past_events"], key=lambda e: _sortable(e.metadata["start"]), reverse=True),
        "closed_tenders": sorted(context["closed_tenders"], reverse=True,
                                 key=lambda t: (t.deadline is not None, t.deadline.timestamp() if t.deadline else 0)),
    }
    return in_date_order, newest_first


def member_cards(macros, pages: incremental.Pages, macros_record):
    """``member_cards(members, level)`` for templates: the card macro of
    _macros.html (``macros``) for each member, joined. A member's card
    appears on every directory page that lists it (its services, areas,
    legal form, tier, flags), so each is rendered once: at ten thousand
    members that saves tens of thousands of identical renders. What
    setting up the macros read (``macros_record``) counts for each card."""
    cards = {}  # (slug, level) -> (the card, what rendering it read)
    drafts = {}  # slug -> (the card with _LEVEL for its heading's level, what it read)
    piece, include = pages.piece, incremental.include
    recording = pages.recording

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
                if draft is None and not recording:
                    draft = drafts[member.slug] = (str(macros.member_card(member, _LEVEL)), None)
                elif draft is None:
                    with piece(macros_record) as record:
                        draft = drafts[member.slug] = (str(macros.member_card(member, _LEVEL)), record)
                else:
                    include(draft[1])
                if draft[0].count(_LEVEL) == 2:  # the heading's start and end tags alone
                    card = (Markup(draft[0].replace(_LEVEL, str(int(level)))), draft[1])
                else:
                    with piece(macros_record) as record:
                        card = (macros.member_card(member, level), record)
                cards[key] = card
            else:
                include(card[1])
            joined.append(card[0])
        return Markup("".join(joined))

    return member_cards


def once(macro, pages: incremental.Pages, macros_record):
    """``macro`` for templates, rendered once for each value it is given
    (by identity: the shared context's), not on every page that calls it.
    The directory's filter form took 8 ms of each of its 200 pages."""
    rendered: dict[int, tuple[object, Markup, object]] = {}
    piece, include = pages.piece, incremental.include

    def once(value):
        known = rendered.get(id(value))
        if known is None or known[0] is not value:
            with piece(macros_record) as record:
                known = rendered[id(value)] = (value, macro(value), record)
        else:
            include(known[2])
        return known[1]

    return once


def _field_doc(spec: dict, schema: dict) -> dict:
    resolved = resolve(spec, schema)
    vocabulary = resolved.get("x-vocabulary") or resolve(resolved.get("items", {}), schema).get("x-vocabulary")
    return {"description": resolved.get("description", ""), "vocabulary": vocabulary}


def _sortable(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time(0, 0))
