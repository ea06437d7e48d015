"""The member directory's filters: one definition used by the static filter
pages, the filter form and the data behind live filtering.

A member matches an area when it serves that area, a larger area that
contains it (a UK-wide charity serves Leeds) or part of it (a Leeds charity
works in Yorkshire and the Humber). The one exception is the whole country,
the area with no parent (UK-wide): every area is part of it, so it matches
only the members that work across the UK, not everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import incremental

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filter:
    name: str  # the query parameter and the key in the filter data
    label: str  # the form's legend
    folder: str  # static pages live under members/<folder>/
    vocabulary: str | None  # None for yes/no filters
    field: str
    heading: str  # the static page's heading, with {} for the value's label


FILTERS = (
    Filter("service", "Service", "services", "services", "services", "Organisations offering {}"),
    Filter("area", "Area served", "areas", "areas", "areas", "Organisations serving {}"),
    Filter("legal_form", "Legal form", "legal-forms", "legal_forms", "legal_form", "Legal form: {}"),
    Filter("tier", "Membership tier", "membership", "membership_tiers", "membership_tier", "Membership: {}"),
    Filter("lead", "Can lead bids", "can-lead-bids", None, "can_lead_bids", "Organisations that can lead bids"),
    Filter("partners", "Looking for partners", "looking-for-partners", None, "looking_for_partners",
           "Organisations looking for partners"),
)

FILTERS_BY_NAME = {f.name: f for f in FILTERS}


def member_values(member_meta: dict, filter_: Filter, vocabularies: dict) -> set[str]:
    """The filter values a member matches (for yes/no filters: {"yes"} or nothing)."""
    if filter_.vocabulary is None:
        return {"yes"} if member_meta.get(filter_.field) else set()
    value = member_meta.get(filter_.field)
    values = set(value) if isinstance(value, list) else {value} if value else set()
    if filter_.name == "area":
        return area_reach(values, vocabularies["areas"])
    return values


def area_reach(member_areas: set[str], areas) -> set[str]:
    """Every area a member serving ``member_areas`` matches: each of them,
    the smaller areas inside it and the larger areas containing it, except
    the whole country (see the module's docstring)."""
    reach = _reach_of_each_area(areas)
    reached = set()
    for area in member_areas:
        reached |= reach.get(area, {area})
    return reached


_reach_cache: dict[int, tuple[object, dict[str, set[str]]]] = {}


def _reach_of_each_area(areas) -> dict[str, set[str]]:
    # Worked out once per vocabulary: ten thousand members share a few
    # dozen areas.
    cached = _reach_cache.get(id(areas))
    if cached is None or cached[0] is not areas:
        reach = {area: {area, *(a for a in areas.ancestors(area) if areas.ancestors(a))}
                 for area in areas.terms}
        for term in areas.terms:
            for ancestor in areas.ancestors(term):
                reach.setdefault(ancestor, {ancestor}).add(term)
        _reach_cache.clear()
        cached = _reach_cache[id(areas)] = (areas, reach)
    return cached[1]


def facet_groups(members: list, vocabularies: dict) -> dict[Filter, dict[str, list]]:
    """For each filter, the members that match each value (in the members' order)."""
    groups: dict[Filter, dict[str, list]] = {f: {} for f in FILTERS}
    for member in members:
        for filter_ in FILTERS:
            for value in member_values(member.metadata, filter_, vocabularies):
                groups[filter_].setdefault(value, []).append(member)
    return groups


#: The last build's facet groups, by slug: (facets, combinations), kept
#: under the digest of what they were made from. See member_groups.
_groups_kept = incremental.memo("content_types.groups")


def member_groups(members: list, vocabularies: dict, shared_key: bytes) -> tuple[dict, dict]:
    """The members of each facet value (``facet_groups``) and of each area
    and service (``combined_groups``): made from the filters' fields only,
    so a rebuild in which those are as they were takes the last build's
    groups, by slug, with today's objects. ``shared_key`` is what they
    depend on besides the content (vocabularies, settings, build date)."""
    # What the groups are made of: the members in order and the fields
    # the filters read (and the vocabularies, in the shared key).
    # A new summary leaves it as it was.
    fields = [f.field for f in FILTERS]
    key = incremental.digest_of_text(repr((shared_key, [
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


#: The one pair of filters combined into static pages, so that "who in our
#: area offers this service?" has an answer, and a URL, without JavaScript:
#: members/areas/<area>/services/<service>/.
COMBINED = ("area", "service")


def combined_groups(groups: dict[Filter, dict[str, list]]) -> dict[tuple[str, str], list]:
    """For each (area, service) that some member matches, those members (in
    the members' order). Pairs nobody matches have no page."""
    outer, inner = (FILTERS_BY_NAME[name] for name in COMBINED)
    areas_of: dict[str, list[str]] = {}
    for area, serving in groups[outer].items():
        for member in serving:
            areas_of.setdefault(member.slug, []).append(area)
    combined: dict[tuple[str, str], list] = {}
    for service, offering in groups[inner].items():
        for member in offering:  # in the members' order, so each list is too
            for area in areas_of.get(member.slug, ()):
                combined.setdefault((area, service), []).append(member)
    return combined


def narrowing(combinations: dict[tuple[str, str], list], vocabularies: dict) -> dict:
    """For each area page, the services its members offer, and for each
    service page, the areas: (label, count, URL of the combined page)."""
    area_filter, service_filter = (FILTERS_BY_NAME[name] for name in COMBINED)
    narrow: dict[tuple[str, str], dict] = {}
    for (area, service), members in combinations.items():
        narrow.setdefault((area_filter.name, area), {"by": service_filter, "options": []})["options"].append(
            (facet_title(service_filter, service, vocabularies), len(members), combined_url(area, service)))
        narrow.setdefault((service_filter.name, service), {"by": area_filter, "options": []})["options"].append(
            (facet_title(area_filter, area, vocabularies), len(members), combined_url(area, service)))
    for entry in narrow.values():
        entry["options"].sort(key=lambda option: option[0].casefold())
    return narrow


def combined_url(area: str, service: str) -> str:
    return f"members/{FILTERS_BY_NAME[COMBINED[0]].folder}/{area}/{FILTERS_BY_NAME[COMBINED[1]].folder}/{service}/"


def facet_url(filter_: Filter, value: str) -> str:
    if filter_.vocabulary is None:
        return f"members/{filter_.folder}/"
    return f"members/{filter_.folder}/{value}/"


def facet_title(filter_: Filter, value: str, vocabularies: dict) -> str:
    if filter_.vocabulary is None:
        return filter_.label
    return vocabularies[filter_.vocabulary].label(value)


def paginate(items: list, base_url: str, size: int = PAGE_SIZE) -> list[dict]:
    """Split ``items`` into pages: base_url, base_url + 'page/2/', ..."""
    count = max(1, -(-len(items) // size))
    urls = [base_url] + [f"{base_url}page/{n}/" for n in range(2, count + 1)]
    pages = []
    for number in range(1, count + 1):
        pages.append({
            "number": number,
            "count": count,
            "items": items[(number - 1) * size: number * size],
            "first_index": (number - 1) * size + 1,
            "url": urls[number - 1],
            "previous_url": urls[number - 2] if number > 1 else None,
            "next_url": urls[number] if number < count else None,
            "urls": urls,
            "window": _window(number, urls),
            "total": len(items),
        })
    return pages


def _window(current: int, urls: list[str], around: int = 2) -> list[tuple[int | None, str | None]]:
    """The page links to show: the first, the last, and ``around`` either
    side of the current page, with ``(None, None)`` for each gap (shown as
    an ellipsis), so a 200-page directory does not link all 200 pages from
    each of them."""
    count = len(urls)
    shown = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    window, previous = [], 0
    for number in shown:
        if number - previous > 1:
            window.append((None, None))
        window.append((number, urls[number - 1]))
        previous = number
    return window
