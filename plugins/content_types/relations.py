"""Every computed relationship, in one place.

Nothing here is ever read from front matter: a member's case studies come
from case-study partners, a model's examples from the case studies that name
it, a tender's status from its deadline and the build date, its possible
partners from services and areas. Templates only read what this sets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

import incremental
from validation.validate import identifier_fields, org_ids
from validation.vocabularies import VocabularyError

from .day_of_reading import event_is_past, event_last_day, tender_state, verified_age
#: A bid window shorter than this gets a warning: six weeks, the Leeds case
#: study's lesson that partners need time to decide and to form a consortium.
SHORT_BID_WINDOW_DAYS = 42
#: Points for matching partners (see match_partners).
MATCH_POINTS = {"service": 4, "cpv_service": 2, "area": 6}
EXACT_MATCH_BONUS = 100


@dataclass
class Partner:
    name: str
    role: str
    sector: str | None
    member: object | None
    description: str | None


@dataclass
class Match:
    member: object
    score: int
    reasons: list[str]


#: The last build's tender matches, by slug ({tender's file: [(slug, score,
#: reasons)]}), kept under the digest of what matching read.
_matches_kept = incremental.memo("content_types.matches")

_CPV_CODE = re.compile(r"[0-9]{8}")
#: Runs over the CPV vocabulary's ids (tests/test_patterns.py).
CONTENT_PATTERNS = (_CPV_CODE,)


def relate(site: dict, vocabularies: dict, schemas: dict, today: dt.date, shared_key: bytes | None = None) -> None:
    """Set computed attributes on the content objects in ``site``
    (``{type name: [content, ...]}``). ``shared_key`` stands for what
    matching depends on besides the content (the vocabularies, the CPV
    table, settings, the build date: the read fingerprint): when it and
    what matching reads from the members and tenders are the last build's,
    the tenders' matches are too (make serve, after a summary edit)."""
    members = {m.slug: m for m in site["member"]}
    match_key = None
    if shared_key is not None:
        match_key = _digest_of(shared_key, [
            (m.slug, m.title, [m.metadata.get(field) for field in _MATCHED_FIELDS]) for m in members.values()
        ], [(t.source_path, t.metadata) for t in site["tender"]])
    models = {m.slug: m for m in site["model"]}
    areas = vocabularies["areas"]

    identifiers = identifier_fields(schemas["member"])
    for member in members.values():
        # An object make serve kept from the last build (content_types.reading)
        # has the same front matter and schemas: its org-ids stand.
        if "org_ids" not in member.__dict__:
            member.org_ids = org_ids(member.metadata, schemas["member"], identifiers)
        member.verified_age = verified_age(member.metadata["last_verified"], today)
        member.case_studies = []
        member.tenders_interested = []
        member.matching_tenders = []
    for model in models.values():
        model.case_studies = []

    for case_study in site["case_study"]:
        case_study.model_page = models.get(case_study.metadata["model"])
        if case_study.model_page is not None:
            case_study.model_page.case_studies.append(case_study)
        case_study.partner_list = [
            Partner(p["name"], p["role"], p.get("sector"), members.get(p.get("member")), p.get("description"))
            for p in case_study.metadata["partners"]
        ]
        case_study.leads = [p for p in case_study.partner_list if p.role in ("lead", "hub")]
        for partner in case_study.partner_list:
            if partner.member is not None:
                partner.member.case_studies.append((case_study, partner.role))

    everyone = list(members.values())
    offering: dict[str, list[int]] = {}  # service -> positions in everyone of the members offering it
    for at, member in enumerate(everyone):
        for service in dict.fromkeys(member.metadata.get("services", [])):
            offering.setdefault(service, []).append(at)
    matched = {}
    kept = _matches_kept.get(match_key)
    for tender in site["tender"]:
        _tender_status(tender, today)
        tender.interested = [members[s] for s in tender.metadata.get("interested_members", []) if s in members]
        for member in tender.interested:
            member.tenders_interested.append(tender)
        if kept is not None:
            tender.matches = [Match(members[slug], score, reasons)
                              for slug, score, reasons in kept[tender.source_path]]
        else:
            tender.matches = match_partners(tender, everyone, vocabularies, offering=offering)
        matched[tender.source_path] = [(m.member.slug, m.score, m.reasons) for m in tender.matches]
        if tender.status != "closed":
            for match in tender.matches:
                match.member.matching_tenders.append(tender)

    for event in site["event"]:
        event.last_day = event_last_day(event.metadata["start"], event.metadata.get("end"))
        event.is_past = event_is_past(event.last_day, today)

    _matches_kept.keep(match_key, matched)
    for model in models.values():
        model.case_studies.sort(key=lambda c: c.title.casefold())
    for member in members.values():
        member.case_studies.sort(key=lambda pair: pair[0].title.casefold())
        member.matching_tenders.sort(key=lambda t: t.deadline)
    del areas


#: What match_partners reads from a member's front matter.
_MATCHED_FIELDS = ("services", "areas", "can_lead_bids", "looking_for_partners")


def _digest_of(*parts) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()


def _tender_status(tender, today: dt.date) -> None:
    """Set a tender's deadline, status and bid window as they stand on ``today``.

    ``today`` is a UK calendar date (the build date, or SITE_TODAY); the
    deadline is an aware datetime in UK time, so both count UK days.

    - ``deadline_instant``: the deadline in UTC, ISO 8601 (``…Z``), or None;
    - ``status`` and ``days_left``: see day_of_reading.tender_state (the
      browser works them out again on the day the page is read).
    - ``bid_window_days``: days from publication to the deadline, or None when
      either is unknown; ``short_window`` is true when that is under
      SHORT_BID_WINDOW_DAYS (six weeks).
    """
    period = tender.metadata.get("tenderPeriod") or {}
    tender.deadline = period.get("endDate")
    tender.published = tender.metadata.get("datePublished")
    tender.deadline_instant = (tender.deadline.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                               if tender.deadline is not None else None)
    tender.status, tender.days_left = tender_state(tender.deadline, bool(tender.metadata.get("historical")), today)
    if tender.deadline is not None and tender.published is not None:
        tender.bid_window_days = (tender.deadline.date() - tender.published).days
        tender.short_window = tender.bid_window_days < SHORT_BID_WINDOW_DAYS
    else:
        tender.bid_window_days, tender.short_window = None, False


def match_partners(tender, members, vocabularies, cpv_services: dict[str, list[str]] | None = None,
                   offering: dict[str, list[int]] | None = None) -> list[Match]:
    """Organisations whose services and areas fit the tender, best first.

    An organisation matches when it offers one of the tender's services and
    works where the tender is delivered:

    - services: those the tender names, and those its CPV codes imply
      (``cpv_services`` maps CPV code prefixes to services; by default it is
      read from content/_data/cpv_services.yml, where the longest listed
      prefix of a code wins);
    - areas: a delivery area itself, a larger area that contains it (a West
      Midlands charity for a Wolverhampton contract) or a place inside it (a
      Wolverhampton charity for a West Midlands contract).

    Each match has a score and the reasons for it in plain English. Points:
    MATCH_POINTS["service"] for each named service, MATCH_POINTS["cpv_service"]
    for each service only a CPV code implies; for each delivery area it
    reaches, MATCH_POINTS["area"] for the area itself, two fewer for each step
    between it and the member's nearest area (at least one); one each for
    being able to lead a bid, looking for partners and having said it is
    interested. An exact match (a named service in a delivery area itself)
    adds EXACT_MATCH_BONUS, so exact matches always come first. Ties go in
    name order.

    Profiles of organisations that are not members (membership tier
    ``none``) are matched too: templates list them apart from members.
    """
    areas = vocabularies["areas"]
    services = vocabularies["services"]
    named = list(dict.fromkeys(tender.metadata.get("services", [])))
    delivery_areas = list(dict.fromkeys(tender.metadata.get("deliveryAreas", [])))
    if cpv_services is None:
        cpv_services = _cpv_services_for(tender, vocabularies)
    implied = {}  # service -> the first CPV classification that implies it
    for classification in tender.metadata.get("classifications", []):
        for service in _services_for_code(classification["id"].split("-")[0], cpv_services):
            if service not in named:
                implied.setdefault(service, classification)
    interested = set(tender.metadata.get("interested_members", []))
    matches = []
    if offering is not None:
        # Only members offering a wanted service can match; ``offering`` lists,
        # for each service, the positions in ``members`` of those offering it.
        members = list(members)
        members = [members[at] for at in sorted({at for s in [*named, *implied] for at in offering.get(s, ())})]
    for member in members:
        meta = member.metadata
        offered = set(meta.get("services", []))
        shared = [s for s in named if s in offered]
        shared_by_cpv = [(s, classification) for s, classification in implied.items() if s in offered]
        if not shared and not shared_by_cpv:
            continue
        fits = [fit for fit in (_area_fit(wanted, meta.get("areas", []), areas) for wanted in delivery_areas) if fit]
        if not fits:
            continue
        exact = bool(shared) and any(fit[1] == 0 for fit in fits)
        score = (MATCH_POINTS["service"] * len(shared) + MATCH_POINTS["cpv_service"] * len(shared_by_cpv)
                 + sum(max(MATCH_POINTS["area"] - 2 * distance, 1) for _, distance, _ in fits))
        reasons = []
        if shared:
            reasons.append("offers " + _and(_lower_first(services.label(s)) for s in shared))
        for service, classification in shared_by_cpv:
            code = classification["id"]
            what = f"CPV {code}, {_lower_first(classification['description'])}" if classification.get("description") \
                else f"CPV {code}"
            reasons.append(f"offers {_lower_first(services.label(service))} ({what})")
        for wanted, distance, area in fits:
            if distance == 0:
                reasons.append(f"works in {areas.label(wanted)}")
            elif wanted in areas.ancestors(area):
                reasons.append(f"works in {areas.label(area)}, part of {areas.label(wanted)}")
            else:
                reasons.append(f"works in an area that includes {areas.label(wanted)} ({areas.label(area)})")
        for flag, reason in (("can_lead_bids", "can lead a bid"), ("looking_for_partners", "is looking for partners")):
            if meta.get(flag):
                score += 1
                reasons.append(reason)
        if member.slug in interested:
            score += 1
            reasons.append("has said it is interested")
        matches.append(Match(member, score + (EXACT_MATCH_BONUS if exact else 0), reasons))
    matches.sort(key=lambda m: (-m.score, m.member.title.casefold()))
    return matches


def _area_fit(wanted: str, member_areas: list[str], areas) -> tuple[str, int, str] | None:
    """How close a member comes to one delivery area: (delivery area, steps
    apart in the area tree, the member's nearest area), or None if its areas
    neither contain the delivery area nor lie inside it."""
    best = None
    for area in member_areas:
        if area == wanted:
            distance = 0
        elif area in areas.ancestors(wanted):
            distance = areas.ancestors(wanted).index(area) + 1
        elif wanted in areas.ancestors(area):
            distance = areas.ancestors(area).index(wanted) + 1
        else:
            continue
        if best is None or distance < best[1]:
            best = (wanted, distance, area)
    return best


def _services_for_code(code: str, cpv_services: dict[str, list[str]]) -> list[str]:
    """The services of the longest prefix in ``cpv_services`` that ``code`` starts with."""
    prefixes = [prefix for prefix in cpv_services if code.startswith(prefix)]
    return cpv_services[max(prefixes, key=len)] if prefixes else []


def cpv_prefix(code: str) -> str:
    """The significant digits of a CPV code: 85311300 -> 853113 (at least the
    two-digit division), so the code also stands for every code below it."""
    return code.split("-")[0].rstrip("0").ljust(2, "0")


def load_cpv_services(path: Path, source: str, services) -> dict[str, list[str]]:
    """Read a CPV-to-services file (content/_data/cpv_services.yml, named
    ``source`` in messages): a list of ``{id: CPV code, label: its name,
    services: [service ids]}``. Returns ``{prefix: [service ids]}`` (see
    cpv_prefix); raises VocabularyError naming the entry for a malformed code
    or an unknown service."""
    # Every scalar stays text, as in the other vocabularies: a code such as
    # 03000000 must not turn into a number.
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=_TEXT_LOADER) or []
    if not isinstance(entries, list):
        raise VocabularyError(f"{source}:1:1: error: must be a list of entries with id, label and services")
    mapping = {}
    for number, entry in enumerate(entries, start=1):
        code = entry.get("id", "") if isinstance(entry, dict) else ""
        if not _CPV_CODE.fullmatch(code):
            raise VocabularyError(f"{source}: error: entry {number}: id '{code}' is not an 8-digit CPV code")
        listed = entry.get("services")
        if not isinstance(listed, list) or not listed:
            raise VocabularyError(f"{source}: error: entry {number} ({code}): needs 'services:', a list of services")
        for service in listed:
            if service not in services.terms:
                raise VocabularyError(f"{source}: error: entry {number} ({code}): '{service}' is not a known service "
                                      f"(allowed values: {services.source})")
        mapping[cpv_prefix(code)] = [str(s) for s in listed]
    return mapping


_cpv_cache: dict = {}
_TEXT_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _cpv_services_for(tender, vocabularies) -> dict[str, list[str]]:
    """The project's CPV mapping, read once per change of the file."""
    vocabulary = vocabularies.get("cpv_services")
    settings = getattr(tender, "settings", None)
    if vocabulary is None or not settings:
        return {}
    path = Path(settings["PATH"]) / vocabulary.source
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _cpv_cache:
        _cpv_cache.clear()
        _cpv_cache[key] = load_cpv_services(path, vocabulary.source, vocabularies["services"])
    return _cpv_cache[key]


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def _and(words) -> str:
    """'a', 'a and b', 'a, b and c'; with a comma before the last 'and' when a
    label has its own 'and' ('drugs and alcohol, and housing and homelessness')."""
    words = list(words)
    if len(words) == 1:
        return words[0]
    joiner = ", and " if any(" and " in word for word in words) else " and "
    return ", ".join(words[:-1]) + joiner + words[-1]


#: Where each identifier can be checked, by field: (register URL, label).
REGISTERS = {
    "charity_number": ("https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{}",
                       "Charity number (England and Wales)"),
    "scottish_charity_number": ("https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number={}",
                                "Scottish charity number"),
    "ni_charity_number": ("https://www.charitycommissionni.org.uk/charity-details/?regId={}",
                          "Northern Ireland charity number"),
    "company_number": ("https://find-and-update.company-information.service.gov.uk/company/{}",
                       "Company number"),
    "mutuals_number": ("https://mutuals.fca.org.uk/Search/Society/{}", "Mutuals Public Register number"),
}


def register_links(member) -> list[tuple[str, str, str]]:
    """Where each of a member's identifiers can be checked: (field, URL, label)."""
    meta = member.metadata
    identifiers = []
    for field, (pattern, label) in REGISTERS.items():
        if meta.get(field):
            number = meta[field].removeprefix("NIC") if field == "ni_charity_number" else meta[field]
            identifiers.append((field, pattern.format(number), label))
    return identifiers
