"""Every computed relationship, in one place.

Nothing here is ever read from front matter: a member's case studies come
from case-study partners, a model's examples from the case studies that name
it, a tender's status from its deadline and the build date, its possible
partners from services and areas. Templates only read what this sets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from validation.validate import org_ids

CLOSING_SOON_DAYS = 14
SHORT_BID_WINDOW_DAYS = 42  # six weeks: the case studies' lesson


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


def relate(site: dict, vocabularies: dict, schemas: dict, today: dt.date) -> None:
    """Set computed attributes on the content objects in ``site``
    (``{type name: [content, ...]}``)."""
    members = {m.slug: m for m in site["member"]}
    models = {m.slug: m for m in site["model"]}
    areas = vocabularies["areas"]

    for member in members.values():
        member.org_ids = org_ids(member.metadata, schemas["member"])
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

    for tender in site["tender"]:
        _tender_status(tender, today)
        tender.interested = [members[s] for s in tender.metadata.get("interested_members", []) if s in members]
        for member in tender.interested:
            member.tenders_interested.append(tender)
        tender.matches = match_partners(tender, members.values(), vocabularies)
        if tender.status != "closed":
            for match in tender.matches:
                match.member.matching_tenders.append(tender)

    for event in site["event"]:
        last_day = event.metadata.get("end") or event.metadata["start"]
        last_day = last_day.date() if isinstance(last_day, dt.datetime) else last_day
        event.is_past = last_day < today

    for model in models.values():
        model.case_studies.sort(key=lambda c: c.title.casefold())
    for member in members.values():
        member.case_studies.sort(key=lambda pair: pair[0].title.casefold())
        member.matching_tenders.sort(key=lambda t: t.deadline)
    del areas


def _tender_status(tender, today: dt.date) -> None:
    period = tender.metadata.get("tenderPeriod") or {}
    tender.deadline = period.get("endDate")
    tender.published = tender.metadata.get("datePublished")
    if tender.metadata.get("historical") or tender.deadline is None:
        tender.status, tender.days_left = "closed", None
    else:
        tender.days_left = (tender.deadline.date() - today).days
        if tender.days_left < 0:
            tender.status = "closed"
        elif tender.days_left <= CLOSING_SOON_DAYS:
            tender.status = "closing-soon"
        else:
            tender.status = "open"
    if tender.deadline is not None and tender.published is not None:
        tender.bid_window_days = (tender.deadline.date() - tender.published).days
        tender.short_window = tender.bid_window_days < SHORT_BID_WINDOW_DAYS
    else:
        tender.bid_window_days, tender.short_window = None, False


def match_partners(tender, members, vocabularies) -> list[Match]:
    """Members whose services and areas fit the tender, best first.

    A member must share at least one service and serve the delivery area
    (or an area inside it, or the larger area it sits in)."""
    areas = vocabularies["areas"]
    services = vocabularies["services"]
    wanted_services = set(tender.metadata.get("services", []))
    wanted_areas = set(tender.metadata.get("deliveryAreas", []))
    matches = []
    for member in members:
        if member.metadata.get("membership_tier") == "none":
            continue
        shared = sorted(wanted_services & set(member.metadata.get("services", [])))
        if not shared:
            continue
        exact, nearby = [], []
        for area in member.metadata.get("areas", []):
            if area in wanted_areas:
                exact.append(area)
            elif wanted_areas & set(areas.ancestors(area)) or any(area in areas.ancestors(w) for w in wanted_areas):
                nearby.append(area)
        if not exact and not nearby:
            continue
        score = 3 * len(shared) + 3 * len(exact) + len(nearby)
        score += 2 if member.metadata.get("can_lead_bids") else 0
        score += 1 if member.metadata.get("looking_for_partners") else 0
        reasons = ["offers " + ", ".join(services.label(s) for s in shared)]
        if exact:
            reasons.append("serves " + ", ".join(areas.label(a) for a in exact))
        if nearby:
            reasons.append("works nearby: " + ", ".join(areas.label(a) for a in nearby))
        if member.metadata.get("can_lead_bids"):
            reasons.append("can lead a bid")
        if member.metadata.get("looking_for_partners"):
            reasons.append("is looking for partners")
        matches.append(Match(member, score, reasons))
    matches.sort(key=lambda m: (-m.score, m.member.title.casefold()))
    return matches


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


def describe_member(member, siteurl: str, vocabularies: dict) -> None:
    """Identifier links and schema.org JSON-LD for a member's profile."""
    meta = member.metadata
    member.identifiers = []
    for field, (pattern, label) in REGISTERS.items():
        if meta.get(field):
            number = meta[field].removeprefix("NIC") if field == "ni_charity_number" else meta[field]
            member.identifiers.append((field, pattern.format(number), label))
    data = {
        "@context": "https://schema.org",
        "@type": "NGO" if meta.get("vcse") else "Organization",
        "name": meta["name"],
        "description": meta["summary"],
        "url": f"{siteurl}/{member.url}",
        "areaServed": [vocabularies["areas"].label(a) for a in meta["areas"]],
        "knowsAbout": [vocabularies["services"].label(s) for s in meta["services"]],
    }
    if member.org_ids:
        data["identifier"] = [{"@type": "PropertyValue", "propertyID": org_id.rsplit("-", 1)[0],
                               "value": org_id} for org_id in member.org_ids]
    if member.case_studies:
        data["memberOf"] = [{"@type": "Organization", "name": case_study.title,
                             "url": f"{siteurl}/{case_study.url}"} for case_study, _ in member.case_studies]
    if meta.get("website"):
        data["sameAs"] = [meta["website"]]
    if meta.get("email"):
        data["email"] = meta["email"]
    if meta.get("phone"):
        data["telephone"] = meta["phone"]
    member.json_ld = data
