"""The tenders as an Open Contracting Data Standard (OCDS 1.1) release
package: one release, tagged ``tender``, per tender."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from .common import UK, page_url, start_of

#: Extensions whose fields the releases use (lots, items' delivery addresses).
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/v1.1.4/extension.json",
]

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
#: Runs over buyers' names (tests/test_patterns.py).
CONTENT_PATTERNS = (_NOT_ALPHANUMERIC,)


def release_package(tenders: list, settings: dict, vocabularies: dict, generated: dt.datetime) -> dict:
    """The package: ``uri``, ``version``, ``publishedDate``, ``publisher``,
    ``license``, ``extensions`` and ``releases`` (in deadline order, past
    tenders last)."""
    siteurl = settings["SITEURL"]
    package = {
        "uri": page_url(siteurl, settings["TENDER_FEEDS_OCDS_PATH"]),
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": _iso(generated),
        "publisher": {"name": settings["SITENAME"]},
        "releases": [release(t, settings, vocabularies) for t in tenders],
    }
    if siteurl:
        package["publisher"]["uri"] = siteurl + "/"
    if settings.get("DATA_LICENCE_URL"):
        package["license"] = settings["DATA_LICENCE_URL"]
    return package


def ocid(tender, prefix: str) -> str:
    """The notice's OCID when the tender gives one, otherwise one made from
    our OCID prefix and the tender's slug (unique and stable on this site)."""
    return tender.metadata.get("ocid") or f"{prefix}-{tender.slug}"


def release(tender, settings: dict, vocabularies: dict) -> dict:
    """One release, tagged ``tender``. It depends only on the tender and the
    settings, never on the build date, so the same content gives the same
    release in every build."""
    meta = tender.metadata
    siteurl = settings["SITEURL"]
    buyer = _party(meta["buyer"])
    body = {
        "id": tender.slug,
        "title": tender.title,
        "description": meta["description"],
        "mainProcurementCategory": "services",
    }
    if tender.status != "closed":
        body["status"] = "active"
    if meta.get("procurementMethod"):
        body["procurementMethod"] = meta["procurementMethod"]
    if meta.get("procurementMethodDetails"):
        body["procurementMethodDetails"] = meta["procurementMethodDetails"]
    value = meta.get("value") or {}
    if value.get("amount") is not None:
        body["value"] = _money(value["amount"])
    else:
        if value.get("minimum") is not None:
            body["minValue"] = _money(value["minimum"])
        if value.get("maximum") is not None:
            body["value"] = _money(value["maximum"])
    period = {}
    if tender.published is not None:
        period["startDate"] = _iso(start_of(tender.published))
    if tender.deadline is not None:
        period["endDate"] = _iso(tender.deadline)
    if period:
        body["tenderPeriod"] = period
    contract = meta.get("contractPeriod") or {}
    if contract.get("startDate") or contract.get("endDate"):
        body["contractPeriod"] = {}
        if contract.get("startDate"):
            body["contractPeriod"]["startDate"] = _iso(start_of(contract["startDate"]))
        if contract.get("endDate"):
            last = dt.datetime.combine(contract["endDate"], dt.time(23, 59, 59), UK)
            body["contractPeriod"]["endDate"] = _iso(last)
    body["items"] = [_item(meta, vocabularies)]
    if meta.get("lots"):
        body["lots"] = [_lot(lot) for lot in meta["lots"]]
    documents = []
    notice = meta.get("notice") or {}
    if notice.get("url"):
        documents.append({"id": "notice", "documentType": "tenderNotice", "url": notice["url"],
                          "title": f"Notice on {vocabularies['notice_sources'].label(notice['source'])}"})
    documents.append({"id": "page", "url": page_url(siteurl, tender.url), "format": "text/html",
                      "title": f"This opportunity on {settings['SITENAME']}, with possible partners"})
    body["documents"] = documents
    if meta.get("suitability"):
        # As the UK's Contracts Finder publishes it.
        body["suitability"] = dict(meta["suitability"])
    entry = {
        "ocid": ocid(tender, settings["TENDER_FEEDS_OCID_PREFIX"]),
        "date": _iso(release_date(tender)),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "en",
        "parties": [buyer],
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": body,
    }
    # The release id changes exactly when what it says changes.
    digest = hashlib.sha256(json.dumps({**entry, "date": None}, sort_keys=True).encode()).hexdigest()[:12]
    return {"ocid": entry["ocid"], "id": f"{tender.slug}-{digest}", **entry}


#: The date of a release that gives none of the dates release_date() looks
#: for: fixed, so that the file stays the same from build to build.
UNDATED = dt.date(1970, 1, 1)


def release_date(tender) -> dt.datetime:
    """When the release's information was first published: the tender's
    published date; for a historical tender recorded without one, the
    first date it gives (its deadline, then its contract's start), else
    the start of the year its newest source was published. Never the build
    date, which would change the file, and the date, on every build."""
    meta = tender.metadata
    if tender.published is not None:
        return start_of(tender.published)
    if tender.deadline is not None:
        return tender.deadline
    start = (meta.get("contractPeriod") or {}).get("startDate")
    if start is not None:
        return start_of(start)
    years = [int(source["year"]) for source in meta.get("sources") or [] if source.get("year")]
    return start_of(dt.date(max(years), 1, 1) if years else UNDATED)


def _party(buyer: dict) -> dict:
    """The buyer as an OCDS party: identified by its org-id when known (for
    example GB-GOR-PB1234: scheme GB-GOR, id PB1234), otherwise by a local id
    made from its name."""
    name = buyer["name"]
    if buyer.get("id"):
        country, register, number = buyer["id"].split("-", 2)
        return {"id": buyer["id"], "name": name, "roles": ["buyer"],
                "identifier": {"scheme": f"{country}-{register}", "id": number, "legalName": name}}
    local = _NOT_ALPHANUMERIC.sub("-", name.casefold()).strip("-")
    return {"id": f"buyer-{local}", "name": name, "roles": ["buyer"]}


def _item(meta: dict, vocabularies: dict) -> dict:
    item = {"id": "1", "description": "; ".join(vocabularies["services"].label(s) for s in meta["services"])}
    codes = [_classification(c) for c in meta.get("classifications", [])]
    if codes:
        item["classification"] = codes[0]
        if codes[1:]:
            item["additionalClassifications"] = codes[1:]
    item["deliveryAddresses"] = [{"region": vocabularies["areas"].label(a), "countryName": "United Kingdom"}
                                 for a in meta["deliveryAreas"]]
    return item


def _classification(code: dict) -> dict:
    found = {"scheme": "CPV", "id": code["id"]}
    if code.get("description"):
        found["description"] = code["description"]
    return found


def _lot(lot: dict) -> dict:
    found = {"id": lot["id"], "title": lot["title"]}
    if lot.get("description"):
        found["description"] = lot["description"]
    if lot.get("value") is not None:
        found["value"] = _money(lot["value"])
    return found


def _money(amount: float) -> dict:
    return {"amount": int(amount) if amount == int(amount) else amount, "currency": "GBP"}


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()
