"""schema.org structured data (JSON-LD): every block on every page parses,
uses only the schema.org types and properties listed here (each checked
against schema.org by hand), says what is true (an organisation's own
website as its url; no made-up organisation or event marked up as real),
and cannot be broken out of.

Besides the real site, a copy of the project with a profile and an event
that are not examples (made up for the tests, never published) shows the
parts the real content does not use: a website, registration numbers,
membership, an event both in a place and online in summer time, and
text that tries to close the script element.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jinja2 import Environment, FileSystemLoader

from building import ROOT, run_build
from site_helpers import html_files, page
from tools.synthetic import copy_project

SITEURL = "https://example.org/consortium"

#: Each type the site may write, with the properties it may have: all
#: checked against schema.org (a property's domain includes the type, or a
#: type it is a subtype of: NGO is an Organization).
ORGANIZATION = {"name", "description", "url", "mainEntityOfPage", "identifier", "areaServed", "knowsAbout",
                "memberOf", "member", "subjectOf", "email", "telephone"}
SCHEMA_ORG = {
    "Organization": ORGANIZATION,
    "NGO": ORGANIZATION,
    "PropertyValue": {"propertyID", "value"},
    "Event": {"name", "description", "url", "startDate", "endDate", "eventStatus", "eventAttendanceMode",
              "location"},
    "Place": {"name", "address"},
    "PostalAddress": {"addressLocality", "addressCountry"},
    "VirtualLocation": {"url"},
    "Article": {"headline", "description", "url", "about", "publisher", "citation"},
    "CreativeWork": {"name", "publisher", "datePublished", "url"},
    "Thing": {"name"},
}
#: The schema.org enumeration members the site may use, by property.
ENUMERATIONS = {
    "eventStatus": {"https://schema.org/EventScheduled"},
    "eventAttendanceMode": {f"https://schema.org/{mode}EventAttendanceMode" for mode in ("Offline", "Online", "Mixed")},
}

#: Text that looks like markup, as validation lets it into a field (it
#: refuses tags); test_the_json_ld_macro_escapes_a_closing_tag tries those.
LOOKALIKE = "3 < 5 & 'quotes' > 2"

MEMBER = f"""---
name: "Test Registered Trust"
summary: "A profile made up for the structured data tests: {LOOKALIKE}."
legal_form: charitable-company
vcse: true
charity_number: "1012345"
company_number: "07654321"
membership_tier: full
services:
  - health-and-wellbeing
areas:
  - leeds
website: "https://example.org/test-registered-trust"
last_verified: 2026-10-01
---
Made up for the tests.
"""

EVENT = f"""---
title: "Summer forum {LOOKALIKE}"
summary: "An event made up for the structured data tests, in Leeds and online."
start: '2026-07-01 10:00'
end: '2026-07-01 12:00'
place: "Leeds"
online: true
registration_url: "https://example.org/register"
---
Made up for the tests.
"""


@pytest.fixture(scope="module")
def made_up(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("structured") / "project")
    (root / "members" / "test-registered-trust.md").write_text(MEMBER, encoding="utf-8")
    (root / "content" / "events" / "test-summer-forum.md").write_text(EVENT, encoding="utf-8")
    output = root / "output"
    result = run_build(output, siteurl=SITEURL, root=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def blocks(path: Path) -> list:
    """Every JSON-LD block in a page, parsed."""
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', path.read_text(encoding="utf-8"), re.S)
    return [json.loads(text) for text in found]


def terms_outside_the_list(node, where: str) -> list[str]:
    """Each type, property or enumeration value in ``node`` that the lists
    above do not have, as 'where: what'."""
    found = []
    if isinstance(node, list):
        for item in node:
            found += terms_outside_the_list(item, where)
        return found
    if not isinstance(node, dict):
        return found
    if set(node) == {"@id"}:  # a reference to a node described elsewhere
        return found
    kind = node.get("@type")
    if kind not in SCHEMA_ORG:
        return [f"{where}: type {kind!r}"]
    for key, value in node.items():
        if key in ("@type", "@id") or (key == "@context" and value == "https://schema.org"):
            continue
        if key not in SCHEMA_ORG[kind]:
            found.append(f"{where}: {kind}.{key}")
        elif key in ENUMERATIONS and value not in ENUMERATIONS[key]:
            found.append(f"{where}: {kind}.{key} = {value!r}")
        else:
            found += terms_outside_the_list(value, where)
    return found


@pytest.mark.parametrize("which", ["real", "made-up"])
def test_every_block_parses_and_uses_only_listed_schema_org_terms(which, site, made_up):
    output = site if which == "real" else made_up
    outside, kinds = [], set()
    for path in html_files(output):
        for data in blocks(path):  # json.loads raises on a block that does not parse
            assert data["@context"] == "https://schema.org", path
            outside += terms_outside_the_list(data, str(path.relative_to(output)))
            kinds.add(data["@type"])
    assert outside == []
    assert {"Organization", "Event", "Article"} <= kinds


def test_each_kind_of_page_carries_its_block(site, members):
    assert [b["@type"] for b in blocks(site / "index.html")] == ["Organization"]
    assert [b["@type"] for b in blocks(site / "events" / "understanding-consortium-working" / "index.html")] == \
        ["Event"]
    for folder in ("case-studies", "guides"):
        for path in (site / folder).glob("*/index.html"):
            (data,) = blocks(path)
            assert data["@type"] == "Article" and data["about"], path
    real = [slug for slug, meta in members.items() if not meta.get("example")]
    assert real
    for slug in real:
        (data,) = blocks(site / "members" / slug / "index.html")
        assert data["@id"] == f"/members/{slug}/#organization"
        assert data["mainEntityOfPage"] == f"/members/{slug}/"


def test_no_example_is_marked_up_as_real(site, members):
    examples = [slug for slug, meta in members.items() if meta.get("example")]
    assert examples, "the real content has example profiles: this test checks them"
    for slug in examples:
        assert blocks(site / "members" / slug / "index.html") == [], slug
    # Nor is an example organisation described or referred to anywhere else.
    for path in html_files(site):
        for data in blocks(path):
            text = json.dumps(data)
            for slug in examples:
                assert f"/members/{slug}/" not in text, f"{path} refers to the example {slug}"


def test_a_profile_says_what_is_true_of_the_organisation(made_up):
    (home,) = blocks(made_up / "index.html")
    assert home == {"@context": "https://schema.org", "@type": "Organization", "@id": f"{SITEURL}/#organization",
                    "name": "Consortium Directory", "url": f"{SITEURL}/", "description": home["description"]}
    (data,) = blocks(made_up / "members" / "test-registered-trust" / "index.html")
    profile = f"{SITEURL}/members/test-registered-trust/"
    assert data["@type"] == "NGO"
    assert data["@id"] == profile + "#organization"
    assert data["url"] == "https://example.org/test-registered-trust", "url is the organisation's own website"
    assert data["mainEntityOfPage"] == profile
    # Each org-id once: its register's code, and the number as the register writes it.
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "GB-CHC", "value": "1012345"},
        {"@type": "PropertyValue", "propertyID": "GB-COH", "value": "07654321"},
    ]
    assert data["areaServed"] == ["Leeds"]
    assert data["memberOf"] == [{"@type": "Organization", "@id": home["@id"], "name": home["name"]}]
    # The consortium is described on the home page only.
    described = [path for path in html_files(made_up) for block in blocks(path)
                 if block.get("@id") == home["@id"] and "url" in block]
    assert described == [made_up / "index.html"]


def test_an_event_says_when_where_and_how_to_attend(made_up):
    (data,) = blocks(made_up / "events" / "test-summer-forum" / "index.html")
    assert data["startDate"] == "2026-07-01T10:00:00+01:00" and data["endDate"] == "2026-07-01T12:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"] == [
        {"@type": "Place", "name": "Leeds", "address": {"@type": "PostalAddress", "addressLocality": "Leeds",
                                                        "addressCountry": "GB"}},
        {"@type": "VirtualLocation", "url": "https://example.org/register"},
    ]
    (past,) = blocks(made_up / "events" / "understanding-consortium-working" / "index.html")
    assert past["startDate"] == "2024-01-23" and past["location"]["@type"] == "Place"


def test_text_that_looks_like_markup_stays_inside_the_block(made_up):
    for path, field, expected in (
            (made_up / "members" / "test-registered-trust" / "index.html", "description",
             f"A profile made up for the structured data tests: {LOOKALIKE}."),
            (made_up / "events" / "test-summer-forum" / "index.html", "name", f"Summer forum {LOOKALIKE}")):
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', path.read_text(encoding="utf-8"),
                             re.S)
        assert len(scripts) == 1, path
        assert "<" not in scripts[0] and ">" not in scripts[0]
        assert json.loads(scripts[0])[field] == expected


def test_the_json_ld_macro_escapes_a_closing_tag():
    """Validation refuses tags in fields, so no content gets this far; the
    theme's macro would keep it inside the element all the same."""
    import pelicanconf

    env = Environment(loader=FileSystemLoader(ROOT / "theme" / "templates"), **pelicanconf.JINJA_ENVIRONMENT)
    hostile = "</script><script>alert(1)</script><!--"
    html = str(env.get_template("_macros.html").module.json_ld({"@type": "Thing", "name": hostile}))
    assert html.startswith('<script type="application/ld+json">') and html.count("</script>") == 1
    assert json.loads(html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")) == \
        {"@type": "Thing", "name": hostile}
    assert str(env.get_template("_macros.html").module.json_ld(None)) == ""
