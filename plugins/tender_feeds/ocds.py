"""The tenders as an Open Contracting Data Standard (OCDS 1.1) release
package: one release, tagged ``tender``, per tender."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from .common import UK, page_url, start_of

_REGISTERED = "https://raw.githubusercontent.com/open-contracting-extensions"
#: The published extensions whose fields the releases use, at fixed
#: versions: lots (``tender.lots``), location (an item's ``deliveryAddress``
#: and ``deliveryLocation``) and suitability (``tender.suitability.sme``;
#: it has no release, so a fixed commit). README.md says why each.
EXTENSIONS = [
    f"{_REGISTERED}/ocds_lots_extension/v1.1.5/extension.json",
    f"{_REGISTERED}/ocds_location_extension/v1.1.5/extension.json",
    f"{_REGISTERED}/ocds_suitability_extension/271f51cef1160e66d8952a7e683f1d8375efcc95/extension.json",
]
#: The site's own extensions, for fields no published one defines: each is
#: a folder under ``extensions/``, published at /data/extensions/<name>/.
OWN_EXTENSIONS = ["vcse_suitability"]
OWN_EXTENSIONS_FOLDER = Path(__file__).parent / "extensions"
#: Where the JSON Schema of the package is published.
SCHEMA_PATH = "data/schemas/tenders.json.schema.json"
#: The OCDS release package schema the package follows.
PACKAGE_SCHEMA = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"


def extension_path(name: str, file: str = "extension.json") -> str:
    """Where one of the site's own extensions' files is published."""
    return f"data/extensions/{name}/{file}"


def extensions(siteurl: str) -> list[str]:
    """Every extension the package declares, by its extension.json's address."""
    return EXTENSIONS + [page_url(siteurl, extension_path(name)) for name in OWN_EXTENSIONS]


def own_extension_files(settings: dict) -> dict[str, bytes]:
    """The site's own extensions' files, by where they are published. The
    documentation address is the README that describes them, in this
    site's repository."""
    files = {}
    for name in OWN_EXTENSIONS:
        for source in sorted((OWN_EXTENSIONS_FOLDER / name).glob("*.json")):
            document = json.loads(source.read_text(encoding="utf-8"))
            if source.name == "extension.json":
                document["documentationUrl"] = {"en": f"{settings['REPOSITORY_URL'].rstrip('/')}/blob/"
                                                      f"{settings['REPOSITORY_BRANCH']}/plugins/tender_feeds/README.md"}
            files[extension_path(name, source.name)] = _json_bytes(document)
    return files


def package_schema(settings: dict) -> bytes:
    """The JSON Schema of the package: OCDS's release package schema, by
    reference (the extensions each release uses are named in the package)."""
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": settings["TENDER_FEEDS_OCDS_PATH"].rsplit("/", 1)[-1],
        "description": "The tenders as an OCDS 1.1 release package. Its extensions array names the extensions "
                       "whose fields the releases use; validate each release against the OCDS release schema "
                       "with those extensions applied.",
        "allOf": [{"$ref": PACKAGE_SCHEMA}],
    }
    if settings["SITEURL"]:
        schema["id"] = page_url(settings["SITEURL"], SCHEMA_PATH)
    return _json_bytes(schema)


def _json_bytes(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

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
        "extensions": extensions(siteurl),
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
        # sme from the Suitability extension, vcse from the site's own (as
        # the UK's Contracts Finder publishes it).
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
    """When what the release says became true: for a tender that has
    closed, its deadline (when its status stopped being ``active``);
    otherwise the tender's published date; for a historical tender
    recorded without one, the first date it gives (its deadline, then its
    contract's start), else the start of the year its newest source was
    published. Worked out from the content and the status alone, never
    the build date, so the same tender on the same SITE_TODAY gives the
    same date, and its closing gives a new one."""
    meta = tender.metadata
    if tender.status == "closed" and tender.deadline is not None:
        return tender.deadline
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
    # The released location extension gives an item one address and one
    # location: the areas in words as the location, and as the address's
    # region when there is one area.
    areas = [vocabularies["areas"].label(a) for a in meta["deliveryAreas"]]
    item["deliveryLocation"] = {"description": _in_words(areas)}
    item["deliveryAddress"] = {"countryName": "United Kingdom"}
    if len(areas) == 1:
        item["deliveryAddress"] = {"region": areas[0], **item["deliveryAddress"]}
    return item


def _in_words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
