"""schema.org structured data (JSON-LD) for the pages that describe
something: the consortium itself (the home page), member profiles, events,
case studies and guides.

Each function returns one JSON-LD object, or None where the page should
carry none: anything made up for demonstration (``example: true``) is not
marked up at all, so no search engine or crawler takes it for a real
organisation, event or article. Templates write the object with Jinja's
``tojson``, which escapes ``<``, ``>``, ``&`` and ``'``, so no text can close
the ``<script>`` element it sits in.

Nodes have ``@id``s made from their page's address and a fragment
(``#organization``, ``#event``, ``#article``), so that pages can refer to
each other: a profile's ``memberOf`` is the consortium described on the
home page, a case study's partners are the organisations on their profiles.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CONTEXT = "https://schema.org"
UK = ZoneInfo("Europe/London")
#: Membership tiers that make an organisation a member of the consortium;
#: "none" is an organisation only named in a case study.
MEMBERSHIP_TIERS = ("full", "associate")


def page_address(siteurl: str, url: str) -> str:
    return f"{siteurl}/{url}"


def consortium_id(siteurl: str) -> str:
    return f"{siteurl}/#organization"


def organization_id(siteurl: str, member) -> str:
    return page_address(siteurl, member.url) + "#organization"


def consortium(settings: dict) -> dict:
    """The consortium that publishes the site, described once, for the
    home page; every other page refers to it by its ``@id``."""
    siteurl = settings["SITEURL"]
    data = {
        "@context": CONTEXT,
        "@type": "Organization",
        "@id": consortium_id(siteurl),
        "name": _consortium_name(settings),
        "url": f"{siteurl}/",
        "description": settings.get("CONSORTIUM_DESCRIPTION") or settings.get("SITE_DESCRIPTION", ""),
    }
    if settings.get("CONSORTIUM_EMAIL"):
        data["email"] = settings["CONSORTIUM_EMAIL"]
    return data


def _consortium_name(settings: dict) -> str:
    return settings.get("CONSORTIUM_NAME") or settings["SITENAME"]


def _consortium_reference(settings: dict) -> dict:
    return {"@type": "Organization", "@id": consortium_id(settings["SITEURL"]), "name": _consortium_name(settings)}


def member(member, settings: dict, vocabularies: dict) -> dict | None:
    """The organisation a profile describes. ``url`` is its own website
    (when the profile gives one); the profile page is its
    ``mainEntityOfPage``."""
    meta = member.metadata
    if meta.get("example"):
        return None
    siteurl = settings["SITEURL"]
    data = {
        "@context": CONTEXT,
        "@type": "NGO" if meta.get("vcse") else "Organization",
        "@id": organization_id(siteurl, member),
        "name": meta["name"],
        "description": meta["summary"],
        "mainEntityOfPage": page_address(siteurl, member.url),
    }
    if meta.get("website"):
        data["url"] = meta["website"]
    if member.org_ids:
        # The org-id guide (org-id.guide) makes an identifier of two parts:
        # the code of the register it comes from (GB-CHC, the Charity
        # Commission for England and Wales) and the identifier that register
        # gives. Written as those two parts, the register as propertyID and
        # its number as value (as OCDS's identifier.scheme and identifier.id
        # do), the scheme is said once, and the org-id is the two joined with
        # a hyphen.
        data["identifier"] = [{"@type": "PropertyValue", "propertyID": scheme, "value": number}
                              for scheme, number in (_split_org_id(org_id) for org_id in member.org_ids)]
    data["areaServed"] = [vocabularies["areas"].label(a) for a in meta["areas"]]
    data["knowsAbout"] = [vocabularies["services"].label(s) for s in meta["services"]]
    member_of = []
    if meta.get("membership_tier") in MEMBERSHIP_TIERS:
        member_of.append(_consortium_reference(settings))
    for case_study, _ in member.case_studies:
        # A consortium of a case study: described by that article.
        member_of.append({"@type": "Organization", "name": case_study.title,
                          "subjectOf": {"@id": page_address(siteurl, case_study.url) + "#article"}})
    if member_of:
        data["memberOf"] = member_of
    if meta.get("email"):
        data["email"] = meta["email"]
    if meta.get("phone"):
        data["telephone"] = meta["phone"]
    return data


def _split_org_id(org_id: str) -> tuple[str, str]:
    """'GB-CHC-1234567' -> ('GB-CHC', '1234567'): every UK register code
    the site derives is a country and a list code."""
    country, register, number = org_id.split("-", 2)
    return f"{country}-{register}", number


def event(event, settings: dict) -> dict | None:
    """A forum event: when (with the UK offset in force), where (a place, an
    online location, or both) and its status."""
    meta = event.metadata
    if meta.get("example"):
        return None
    url = page_address(settings["SITEURL"], event.url)
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": url + "#event",
        "name": event.title,
        "description": meta["summary"],
        "url": url,
        "startDate": _when(meta["start"]),
    }
    if meta.get("end"):
        data["endDate"] = _when(meta["end"])
    # The content records no cancellation or postponement; an event whose
    # date is still to be confirmed (date_note) is scheduled all the same.
    data["eventStatus"] = "https://schema.org/EventScheduled"
    locations = []
    if meta.get("place"):
        locations.append({"@type": "Place", "name": meta["place"],
                          "address": {"@type": "PostalAddress", "addressLocality": meta["place"],
                                      "addressCountry": "GB"}})
    if meta.get("online"):
        locations.append({"@type": "VirtualLocation", "url": meta.get("registration_url") or url})
    if locations:
        mode = "Mixed" if len(locations) == 2 else "Online" if meta.get("online") else "Offline"
        data["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
        data["location"] = locations[0] if len(locations) == 1 else locations
    return data


def _when(moment) -> str:
    if isinstance(moment, dt.datetime):
        return moment.astimezone(UK).isoformat()
    return moment.isoformat()


def case_study(case_study, settings: dict, vocabularies: dict) -> dict | None:
    """A case study: an article about a consortium and its partners (each
    partner with a profile here by that profile's ``@id``)."""
    meta = case_study.metadata
    if meta.get("example"):
        return None
    siteurl = settings["SITEURL"]
    partners = []
    for partner in case_study.partner_list:
        found = {"@type": "Organization", "name": partner.name}
        if partner.member is not None and not partner.member.metadata.get("example"):
            found["@id"] = organization_id(siteurl, partner.member)
        partners.append(found)
    about = {"@type": "Organization", "name": meta["name"],
             "areaServed": [vocabularies["areas"].label(a) for a in meta["areas"]]}
    if partners:
        about["member"] = partners
    return _article(case_study, settings, about)


def guide(guide, settings: dict, vocabularies: dict) -> dict | None:
    """A guide: an article about its topics."""
    meta = guide.metadata
    if meta.get("example"):
        return None
    about = [{"@type": "Thing", "name": vocabularies["topics"].label(t)} for t in meta["topics"]]
    return _article(guide, settings, about)


def _article(content, settings: dict, about) -> dict:
    url = page_address(settings["SITEURL"], content.url)
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "@id": url + "#article",
        "headline": content.title,
        "description": content.metadata["summary"],
        "url": url,
        "about": about,
        "publisher": _consortium_reference(settings),
    }
    citations = [_citation(source) for source in content.metadata.get("sources") or []]
    if citations:
        data["citation"] = citations
    return data


def _citation(source: dict) -> dict:
    found = {"@type": "CreativeWork", "name": source["title"]}
    if source.get("publisher"):
        found["publisher"] = {"@type": "Organization", "name": source["publisher"]}
    if source.get("year"):
        found["datePublished"] = str(source["year"])
    if source.get("url"):
        found["url"] = source["url"]
    return found
