"""Tenders: status over time, bid windows, possible partners, UK time, and
the Atom feed, iCalendar file and OCDS data people follow them with.

Most tests build a copy of the project (tools.synthetic.copy_project) with a
few tenders and members of their own added, on fixed dates (SITE_TODAY), so
nothing depends on the real content or the real date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import yaml

from building import ROOT, run_build
from content_types.day_of_reading import CLOSING_SOON_DAYS
from content_types.relations import (SHORT_BID_WINDOW_DAYS, _tender_status, cpv_prefix,
                                     load_cpv_services, match_partners)
from site_helpers import html_files, local_target, page, soup
from tender_feeds.ocds import UNDATED, release_date
from tender_feeds.settings import DEFAULTS, PLACEHOLDER_OCID_PREFIX, check_settings
from tools.synthetic import copy_project
from validation.vocabularies import VocabularyError, load_vocabularies

UK = ZoneInfo("Europe/London")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEURL = "https://example.org/consortium"

# -- a project with tenders and members of its own -----------------------------

TENDER = """---
title: "{title}"
example: true
buyer:
  name: "Test Buyer Council"
description: "This is an example tender, written for the tests."
datePublished: {published}
tenderPeriod:
  endDate: "{deadline}"
services:
{services}
deliveryAreas:
{areas}
notice:
  source: contracts-finder
{extra}---
This is an example tender, written for the tests.
"""

MEMBER = """---
name: "{name}"
summary: "This is an example profile, made up for the tender tests."
example: true
legal_form: charitable-incorporated-organisation
membership_tier: full
services:
{services}
areas:
{areas}
can_lead_bids: {lead}
looking_for_partners: {looking}
last_verified: 2026-11-01
---
Made up for the tests.
"""


def _yaml_list(values):
    return "\n".join(f"  - {value}" for value in values)


def write_tender(project: Path, slug: str, title: str, published: str, deadline: str,
                 services=("carers",), areas=("devon",), extra: str = "") -> None:
    (project / "content" / "tenders" / f"{slug}.md").write_text(TENDER.format(
        title=title, published=published, deadline=deadline, services=_yaml_list(services),
        areas=_yaml_list(areas), extra=extra), encoding="utf-8")


def write_member(project: Path, slug: str, name: str, services, areas, lead=False, looking=False) -> None:
    (project / "members" / f"{slug}.md").write_text(MEMBER.format(
        name=name, services=_yaml_list(services), areas=_yaml_list(areas),
        lead=str(lead).lower(), looking=str(looking).lower()), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("tenders") / "project")
    # Deadline 20 January 2027: open on 1 January, closing soon from the 6th,
    # closed on the 21st. Its bid window is 50 days.
    write_tender(root, "test-moving-deadline", "Moving deadline test tender", "2026-12-01", "2027-01-20 12:00")
    # Bid windows on either side of six weeks (42 days).
    write_tender(root, "test-short-window", "Short window test tender", "2026-12-10", "2027-01-20 12:00")
    write_tender(root, "test-six-weeks", "Six weeks test tender", "2026-12-09", "2027-01-20 12:00")
    # Summer deadlines are in British Summer Time: noon BST is 11:00 UTC, and
    # half past midnight BST on the 16th is still the 15th in UTC.
    write_tender(root, "test-summer-deadline", "Summer deadline test tender", "2026-12-01", "2027-07-15 12:00",
                 extra='ocid: "ocds-abc123-summer-1"\nvalue:\n  minimum: 1000\n  maximum: 2500.5\n'
                       "lots:\n  - id: \"A\"\n    title: \"First lot\"\n    value: 1000\n")
    write_tender(root, "test-after-midnight", "After midnight test tender", "2026-12-01", "2027-07-16 00:30")
    # Matching: one member offers a named service in the delivery area itself;
    # another offers more and can lead, but from the region around it.
    write_tender(root, "test-matching", "Matching test tender", "2026-12-01", "2027-03-01 12:00",
                 services=("carers", "older-people"), areas=("devon",))
    write_member(root, "test-exact-partner", "Test Exact Partner", ["carers"], ["devon"])
    write_member(root, "test-nearby-partner", "Test Nearby Partner", ["carers", "older-people"], ["south-west"],
                 lead=True, looking=True)
    write_member(root, "test-elsewhere", "Test Elsewhere Charity", ["carers"], ["norfolk"])
    return root


@pytest.fixture(scope="module")
def built(project, tmp_path_factory):
    """Builds of the test project, made once each: built(today, siteurl)."""
    cache = {}

    def build(today: str, siteurl: str = "") -> Path:
        if (today, siteurl) not in cache:
            output = tmp_path_factory.mktemp("out") / "site"
            result = run_build(output, siteurl=siteurl, today=today, root=project)
            assert result.returncode == 0, result.stdout + result.stderr
            cache[today, siteurl] = output
        return cache[today, siteurl]

    return build


def listed(output: Path, url: str) -> list[str]:
    """The tender slugs a list page links to, in page order."""
    return [a["href"].strip("/").split("/")[-1] for a in page(output, url).select(".app-card__title a")]


def card(output: Path, url: str, slug: str):
    for item in page(output, url).select(".app-card"):
        if item.select_one(".app-card__title a")["href"].endswith(f"/tenders/{slug}/"):
            return item
    raise AssertionError(f"{slug} is not listed on {url}")


# -- status over time -----------------------------------------------------------


@pytest.mark.parametrize("today, status, days_text, listed_on", [
    ("2027-01-01", "Open", "19 days left", "tenders/"),
    ("2027-01-06", "Closing soon", "14 days left", "tenders/"),
    ("2027-01-21", "Closed", None, "tenders/archive/"),
])
def test_a_tender_moves_from_open_to_closing_soon_to_closed(built, today, status, days_text, listed_on):
    output = built(today)
    other = "tenders/archive/" if listed_on == "tenders/" else "tenders/"
    assert "test-moving-deadline" in listed(output, listed_on)
    assert "test-moving-deadline" not in listed(output, other)
    tender_page = page(output, "tenders/test-moving-deadline/")
    status_box = tender_page.select_one("#tender-status")
    assert status_box.select_one(".app-status").get_text(strip=True) == status
    listing = card(output, listed_on, "test-moving-deadline").get_text(" ", strip=True)
    assert status in listing
    if days_text:
        assert days_text in listing and days_text in status_box.get_text(" ", strip=True)
        assert "Wednesday 20 January 2027, 12:00 GMT" in listing
    else:
        assert "Closed on Wednesday 20 January 2027, 12:00 GMT" in listing
        # The breadcrumb leads back to the archive once it has closed.
        crumbs = [a["href"] for a in tender_page.select(".app-breadcrumbs a")]
        assert crumbs[-1] == "/tenders/archive/"


def test_open_tenders_are_listed_soonest_deadline_first_and_the_archive_newest_first(built, project):
    output = built("2027-01-06")
    open_slugs = listed(output, "tenders/")
    deadlines = [_deadline_of(project, slug) for slug in open_slugs]
    assert deadlines == sorted(deadlines) and len(deadlines) >= 5
    archive = listed(output, "tenders/archive/")
    closed_with_dates = [slug for slug in archive if _deadline_of(project, slug)]
    dates = [_deadline_of(project, slug) for slug in closed_with_dates]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 2
    # Past tenders without a deadline come after every dated one.
    assert archive[: len(closed_with_dates)] == closed_with_dates
    counts = page(output, "tenders/").find("h1").find_next("p").find_next("p").get_text(" ", strip=True)
    assert re.search(rf"{len(open_slugs)} open opportunities, \d+ closing within 14 days", counts)


def _deadline_of(project: Path, slug: str) -> dt.datetime | None:
    text = (project / "content" / "tenders" / f"{slug}.md").read_text()
    found = re.search(r'endDate: "([^"]+)"', text)
    return dt.datetime.strptime(found.group(1), "%Y-%m-%d %H:%M") if found else None


def fake_tender(deadline=None, published=None, historical=False):
    period = {"endDate": deadline} if deadline else {}
    return SimpleNamespace(metadata={"tenderPeriod": period, "datePublished": published, "historical": historical})


@pytest.mark.parametrize("today, status, days_left", [
    (dt.date(2027, 1, 5), "open", 15),
    (dt.date(2027, 1, 6), "closing-soon", 14),
    (dt.date(2027, 1, 20), "closing-soon", 0),
    (dt.date(2027, 1, 21), "closed", None),
])
def test_status_boundaries(today, status, days_left):
    tender = fake_tender(dt.datetime(2027, 1, 20, 12, 0, tzinfo=UK), dt.date(2026, 12, 1))
    _tender_status(tender, today)
    assert (tender.status, tender.days_left) == (status, days_left)
    assert CLOSING_SOON_DAYS == 14


def test_status_counts_uk_days_not_utc_days():
    # 00:30 BST on 16 July is 23:30 UTC on the 15th: on the 16th it closes today.
    tender = fake_tender(dt.datetime(2027, 7, 16, 0, 30, tzinfo=UK), dt.date(2027, 6, 1))
    _tender_status(tender, dt.date(2027, 7, 16))
    assert (tender.status, tender.days_left) == ("closing-soon", 0)


def test_historical_tenders_and_tenders_without_a_deadline_are_closed():
    for tender in (fake_tender(historical=True), fake_tender(dt.datetime(2030, 1, 1, 12, 0, tzinfo=UK),
                                                             historical=True)):
        _tender_status(tender, dt.date(2026, 11, 22))
        assert (tender.status, tender.days_left) == ("closed", None)
    tender = fake_tender(published=dt.date(2026, 11, 1))
    _tender_status(tender, dt.date(2026, 11, 22))
    assert (tender.status, tender.bid_window_days, tender.short_window) == ("closed", None, False)


# -- the bid window and the six-week warning -----------------------------------


@pytest.mark.parametrize("published, window, short", [
    (dt.date(2026, 12, 10), 41, True),
    (dt.date(2026, 12, 9), 42, False),
])
def test_a_window_under_six_weeks_is_short(published, window, short):
    tender = fake_tender(dt.datetime(2027, 1, 20, 12, 0, tzinfo=UK), published)
    _tender_status(tender, dt.date(2026, 12, 20))
    assert (tender.bid_window_days, tender.short_window) == (window, short)
    assert SHORT_BID_WINDOW_DAYS == 42


def test_the_warning_appears_exactly_when_the_window_is_short(built, project):
    output = built("2027-01-06")
    for path in sorted((project / "content" / "tenders").glob("*.md")):
        slug = path.stem
        text = path.read_text()
        published = re.search(r"^datePublished: (\S+)", text, re.M)
        deadline = _deadline_of(project, slug)
        document = page(output, f"tenders/{slug}/")
        warning = document.select_one("#short-window-warning")
        if published and deadline:
            window = (deadline.date() - dt.date.fromisoformat(published.group(1))).days
            assert (warning is not None) == (window < 42), f"{slug}: window of {window} days"
            status_text = document.select_one("#tender-status").get_text(" ", strip=True)
            assert f"Bid window: {window} days" in status_text
        else:
            assert warning is None, slug
    warning = page(output, "tenders/test-short-window/").select_one("#short-window-warning").get_text(" ", strip=True)
    assert "only 41 days" in warning and "six weeks" in warning


# -- UK time -------------------------------------------------------------------------


def test_deadlines_are_shown_in_uk_time_with_bst_in_summer(built):
    output = built("2027-01-06")
    summer = page(output, "tenders/test-summer-deadline/").select_one("#tender-status time")
    assert summer.get_text() == "Thursday 15 July 2027, 12:00 BST"
    assert summer["datetime"] == "2027-07-15T12:00:00+01:00"
    winter = page(output, "tenders/test-moving-deadline/").select_one("#tender-status time")
    assert winter.get_text() == "Wednesday 20 January 2027, 12:00 GMT"
    assert winter["datetime"] == "2027-01-20T12:00:00+00:00"
    late = page(output, "tenders/test-after-midnight/").select_one("#tender-status time")
    assert late.get_text() == "Friday 16 July 2027, 00:30 BST"


# -- possible partners --------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabularies():
    return load_vocabularies(ROOT)


def fake_member(slug, services, areas, tier="full", lead=False, looking=False):
    return SimpleNamespace(slug=slug, title=slug.replace("-", " ").title(), metadata={
        "services": services, "areas": areas, "membership_tier": tier,
        "can_lead_bids": lead, "looking_for_partners": looking})


def test_matching_ranks_an_exact_service_and_area_member_first(vocabularies):
    tender = SimpleNamespace(metadata={"services": ["youth-services", "employment-and-skills"],
                                       "deliveryAreas": ["wolverhampton"]})
    members = [
        # More services, can lead, looking for partners, but regional: ranks below.
        fake_member("regional", ["youth-services", "employment-and-skills"], ["west-midlands"], lead=True,
                    looking=True),
        fake_member("exact", ["youth-services"], ["wolverhampton"]),
        fake_member("national", ["employment-and-skills"], ["uk-wide"]),
        fake_member("wrong-service", ["carers"], ["wolverhampton"]),
        fake_member("wrong-area", ["youth-services"], ["leeds"]),
    ]
    matches = match_partners(tender, members, vocabularies, cpv_services={})
    assert [m.member.slug for m in matches] == ["exact", "regional", "national"]
    exact, regional, national = matches
    assert exact.reasons == ["offers youth services", "works in Wolverhampton"]
    assert regional.reasons == ["offers youth services, and employment, education and skills",
                                "works in an area that includes Wolverhampton (West Midlands)",
                                "can lead a bid", "is looking for partners"]
    assert national.score < regional.score


def test_matching_reaches_places_inside_the_delivery_area_and_uses_cpv_codes(vocabularies):
    tender = SimpleNamespace(metadata={
        "services": ["environment-and-recycling"], "deliveryAreas": ["west-midlands"],
        "classifications": [{"id": "80530000", "description": "Vocational training services"}]})
    members = [fake_member("local-trainer", ["employment-and-skills"], ["wolverhampton"]),
               fake_member("recycler", ["environment-and-recycling"], ["west-midlands"])]
    matches = match_partners(tender, members, vocabularies, cpv_services={"805": ["employment-and-skills"]})
    assert [m.member.slug for m in matches] == ["recycler", "local-trainer"]
    assert matches[1].reasons == [
        "offers employment, education and skills (CPV 80530000, vocational training services)",
        "works in Wolverhampton, part of West Midlands"]
    # Without the CPV mapping the trainer does not match.
    assert [m.member.slug for m in match_partners(tender, members, vocabularies, cpv_services={})] == ["recycler"]


def test_the_cpv_mapping_file_is_valid_and_its_most_specific_entry_wins(vocabularies):
    path = ROOT / "content" / "_data" / "cpv_services.yml"
    mapping = load_cpv_services(path, "content/_data/cpv_services.yml", vocabularies["services"])
    assert mapping[cpv_prefix("85312320")] == ["mental-health"]
    assert mapping[cpv_prefix("85312300")] == ["advice-and-advocacy"]
    assert cpv_prefix("85312320-7") == "8531232" and cpv_prefix("80000000") == "80"
    tender = SimpleNamespace(metadata={"services": ["carers"], "deliveryAreas": ["leeds"],
                                       "classifications": [{"id": "85312320"}]})
    found = match_partners(tender, [fake_member("counsellors", ["mental-health", "advice-and-advocacy"], ["leeds"])],
                           vocabularies, cpv_services=mapping)
    assert found[0].reasons[0] == "offers mental health (CPV 85312320)"


def test_a_mistake_in_the_cpv_mapping_names_the_file_and_entry(tmp_path, vocabularies):
    path = tmp_path / "cpv_services.yml"
    path.write_text('- id: "85312320"\n  label: Counselling services\n  services: [mental-helth]\n')
    with pytest.raises(VocabularyError) as error:
        load_cpv_services(path, "content/_data/cpv_services.yml", vocabularies["services"])
    assert str(error.value) == ("content/_data/cpv_services.yml: error: entry 1 (85312320): 'mental-helth' is not a "
                                "known service (allowed values: content/_data/services.yml)")


def test_the_tender_page_lists_the_exact_partner_first_with_reasons(built):
    document = page(built("2027-01-06"), "tenders/test-matching/")
    members = document.select_one("#member-partners-heading").find_next("ol").find_all("li", recursive=False)
    names = [item.a.get_text() for item in members]
    assert names[:2] == ["Test Exact Partner", "Test Nearby Partner"]
    assert "Test Elsewhere Charity" not in names
    assert "offers carers" in members[0].get_text() and "works in Devon" in members[0].get_text()
    # Organisations that are not members (Westbank, carers in Devon) are listed apart.
    others = document.select_one("#other-partners-heading").find_next("ol").get_text()
    assert "Westbank" in others and "Westbank" not in " ".join(names)


def test_member_profiles_list_the_open_tenders_that_match_them(built):
    output = built("2027-01-06")
    links = {a["href"] for a in page(output, "members/test-exact-partner/").find_all("a", href=True)}
    assert "/tenders/test-matching/" in links
    elsewhere = {a["href"] for a in page(output, "members/test-elsewhere/").find_all("a", href=True)}
    assert "/tenders/test-matching/" not in elsewhere


def test_the_real_example_tenders_are_open_on_the_test_date_and_match_example_members(site):
    open_slugs = listed(site, "tenders/")
    assert {"example-youth-employment-wolverhampton", "example-household-reuse-west-midlands",
            "example-community-recovery-leeds"} <= set(open_slugs)
    statuses = {slug: card(site, "tenders/", slug).select_one(".app-status").get_text(strip=True)
                for slug in open_slugs}
    assert "Closing soon" in statuses.values() and "Open" in statuses.values()
    document = page(site, "tenders/example-youth-employment-wolverhampton/")
    first = document.select_one("#member-partners-heading").find_next("ol").li
    assert first.a.get_text() == "Example Youth Trust"
    interested = document.select_one("#interested-heading").find_next("ul").get_text()
    assert "Example Youth Trust" in interested
    assert page(site, "tenders/example-household-reuse-west-midlands/").select_one("#short-window-warning")
    assert not document.select_one("#short-window-warning")


# -- the iCalendar file ---------------------------------------------------------------


def read_calendar(output: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((output / DEFAULTS["TENDER_FEEDS_CALENDAR_PATH"]).read_bytes())


def test_the_calendar_has_an_event_per_deadline_and_per_event(built, project):
    output = built("2027-01-06")
    calendar = read_calendar(output)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    tenders_with_deadlines = [p for p in (project / "content" / "tenders").glob("*.md") if "endDate:" in p.read_text()]
    site_events = list((project / "content" / "events").glob("*.md"))
    deadlines = [e for e in events if "Tender deadline" in e["CATEGORIES"].cats]
    meetings = [e for e in events if "Event" in e["CATEGORIES"].cats]
    assert len(deadlines) == len(tenders_with_deadlines) and len(meetings) == len(site_events)
    assert len(events) == len(deadlines) + len(meetings)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event in events:
        assert event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
        assert event["SUMMARY"] and event.get("DTSTART")
    summer = next(e for e in deadlines if "Summer deadline test tender" in e["SUMMARY"])
    assert summer["DTSTART"].params["TZID"] == "Europe/London"
    assert summer["DTSTART"].dt.astimezone(dt.timezone.utc) == dt.datetime(2027, 7, 15, 11, 0, tzinfo=dt.timezone.utc)
    assert summer.walk("VALARM")[0]["TRIGGER"].dt == -dt.timedelta(days=7)
    late = next(e for e in deadlines if "After midnight test tender" in e["SUMMARY"])
    assert late["DTSTART"].dt.astimezone(dt.timezone.utc) == dt.datetime(2027, 7, 15, 23, 30, tzinfo=dt.timezone.utc)
    all_day = next(e for e in meetings if "Understanding Consortium Working" in e["SUMMARY"])
    assert all_day["DTSTART"].dt == dt.date(2024, 1, 23) and all_day["DTEND"].dt == dt.date(2024, 1, 24)


def test_the_calendar_is_well_formed_rfc_5545(built):
    raw = (built("2027-01-06", SITEURL) / DEFAULTS["TENDER_FEEDS_CALENDAR_PATH"]).read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "content lines are folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert zones == {"Europe/London"}
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            if name in event and "TZID" in event[name].params:
                assert event[name].params["TZID"] in zones
        if "DTEND" in event:
            assert type(event["DTEND"].dt) is type(event["DTSTART"].dt)
            assert event["DTEND"].dt > event["DTSTART"].dt
        assert event["URL"].startswith(SITEURL + "/")
    # The time zone follows the UK's rule: BST from the last Sunday in March.
    daylight = calendar.walk("VTIMEZONE")[0].walk("DAYLIGHT")[0]
    assert str(daylight["TZNAME"]) == "BST" and daylight["DTSTART"].dt.hour == 1


def test_calendar_uids_are_stable_from_build_to_build(built):
    first, second = read_calendar(built("2027-01-01")), read_calendar(built("2027-01-21"))

    def uids(calendar):
        return {str(e["SUMMARY"]): str(e["UID"]) for e in calendar.walk("VEVENT")}

    assert uids(first) == uids(second)


def test_a_build_on_a_fixed_date_writes_the_same_files(project, built, tmp_path):
    output = tmp_path / "again"
    assert run_build(output, today="2027-01-01", root=project).returncode == 0
    for name in DEFAULTS["TENDER_FEEDS_CALENDAR_PATH"], DEFAULTS["TENDER_FEEDS_OCDS_PATH"], \
            DEFAULTS["TENDER_FEEDS_ATOM_PATH"]:
        assert (output / name).read_bytes() == (built("2027-01-01") / name).read_bytes(), name


# -- the Atom feed -----------------------------------------------------------------------


@pytest.mark.parametrize("siteurl", ["", SITEURL])
def test_the_atom_feed_parses_and_every_entry_links_to_a_page_that_exists(built, siteurl):
    output = built("2027-01-06", siteurl)
    path = output / DEFAULTS["TENDER_FEEDS_ATOM_PATH"]
    base = siteurl or "https://localhost"
    # As a web server would serve it: the address resolves root-relative links.
    feed = feedparser.parse(path.read_bytes(), response_headers={"content-location": f"{base}/feeds/",
                                                                 "content-type": "application/atom+xml"})
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.entries
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.title and entry.published_parsed
        assert local_target(output, siteurl, entry.link.removeprefix("https://localhost"), path).exists(), entry.link
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True), "newest first"
    titles = [entry.title for entry in feed.entries]
    assert "Example: Summer deadline test tender" in titles
    # Tenders without a published date (the historical ones) are left out.
    assert not any("2008" in title for title in titles)


def test_the_atom_feed_has_what_rfc_4287_requires(built):
    root = ET.parse(built("2027-01-06", SITEURL) / DEFAULTS["TENDER_FEEDS_ATOM_PATH"]).getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITEURL}/feeds/tenders.atom.xml"
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}link").get("href").startswith(f"{SITEURL}/tenders/")
    ids = [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)


def test_every_page_links_to_the_feed_and_the_tenders_page_offers_the_calendar(site):
    for path in html_files(site):
        links = soup(path).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert [link["href"] for link in links] == ["/feeds/tenders.atom.xml"], path
    hrefs = {a.get_text(" ", strip=True): a["href"] for a in page(site, "tenders/").find_all("a", href=True)}
    assert hrefs["Subscribe to deadlines (iCalendar)"] == "/data/deadlines.ics"
    assert hrefs["Atom feed of tenders"] == "/feeds/tenders.atom.xml"
    for url in ("data/deadlines.ics", "feeds/tenders.atom.xml", "data/tenders.json"):
        assert (site / url).exists(), url


def test_a_full_site_address_adds_a_webcal_link(built):
    links = [a["href"] for a in page(built("2027-01-06", SITEURL), "tenders/").find_all("a", href=True)]
    assert "webcal://example.org/consortium/data/deadlines.ics" in links
    assert f"{SITEURL}/data/deadlines.ics" in links


def test_the_data_page_describes_the_tender_files(site):
    section = page(site, "data/").select_one("#tenders-data")
    assert section.name == "h2"
    links = {a["href"] for a in section.find_next("ul").find_all("a", href=True)}
    assert {"/data/tenders.json", "/data/deadlines.ics", "/feeds/tenders.atom.xml"} <= links


# -- OCDS ------------------------------------------------------------------------------------


def test_the_ocds_release_package_has_its_required_fields(built, project):
    output = built("2027-01-06", SITEURL)
    package = json.loads((output / DEFAULTS["TENDER_FEEDS_OCDS_PATH"]).read_text())
    assert package["uri"] == f"{SITEURL}/data/tenders.json"
    assert package["version"] == "1.1"
    assert package["publisher"]["name"] and package["publisher"]["uri"] == SITEURL + "/"
    assert dt.datetime.fromisoformat(package["publishedDate"]).utcoffset() is not None
    assert package["license"].startswith("https://")
    releases = package["releases"]
    assert len(releases) == len(list((project / "content" / "tenders").glob("*.md")))
    for release in releases:
        for field in ("ocid", "id", "date", "tag", "initiationType", "tender", "buyer", "parties"):
            assert field in release, f"{release.get('id')}: {field}"
        assert re.fullmatch(r"ocds-[a-z0-9]{6}-.+", release["ocid"])
        assert release["tag"] == ["tender"] and release["initiationType"] == "tender"
        assert dt.datetime.fromisoformat(release["date"]).utcoffset() is not None
        assert release["tender"]["id"] and release["tender"]["title"]
        buyer = next(p for p in release["parties"] if p["id"] == release["buyer"]["id"])
        assert "buyer" in buyer["roles"]
        page_document = next(d for d in release["tender"]["documents"] if d["id"] == "page")
        assert local_target(output, SITEURL, page_document["url"], output / "index.html").exists()
    assert len({r["ocid"] for r in releases}) == len(releases)
    by_slug = {r["tender"]["id"]: r for r in releases}
    summer = by_slug["test-summer-deadline"]
    assert summer["ocid"] == "ocds-abc123-summer-1", "a tender's own OCID is kept"
    assert summer["tender"]["tenderPeriod"] == {"startDate": "2026-12-01T00:00:00+00:00",
                                                "endDate": "2027-07-15T12:00:00+01:00"}
    assert summer["tender"]["minValue"] == {"amount": 1000, "currency": "GBP"}
    assert summer["tender"]["value"] == {"amount": 2500.5, "currency": "GBP"}
    assert summer["tender"]["lots"] == [{"id": "A", "title": "First lot", "value": {"amount": 1000, "currency": "GBP"}}]
    assert summer["tender"]["status"] == "active"
    moving = by_slug["test-moving-deadline"]
    assert moving["ocid"] == f"{DEFAULTS['TENDER_FEEDS_OCID_PREFIX']}-test-moving-deadline"
    assert "status" not in by_slug["leeds-community-drugs-service-2008"]["tender"]


def test_ocds_release_dates_come_from_the_tenders_never_from_the_build(built):
    def releases(today):
        package = json.loads((built(today, SITEURL) / DEFAULTS["TENDER_FEEDS_OCDS_PATH"]).read_text())
        return package["publishedDate"], {r["tender"]["id"]: r for r in package["releases"]}

    published_then, then = releases("2027-01-06")
    published_later, later = releases("2027-01-21")
    assert published_then != published_later, "the package itself is dated by the build"
    # Three test tenders close between the two days (their deadline is 20
    # January): their releases change (see the next test); no other does.
    closing = {slug for slug, release in then.items()
               if release["tender"].get("status") != later[slug]["tender"].get("status")}
    assert closing == {"test-moving-deadline", "test-short-window", "test-six-weeks"}
    for slug, release in then.items():
        assert release["date"] not in (published_then, published_later), f"{slug} is dated by the build"
        if slug not in closing:
            assert release["date"] == later[slug]["date"], f"{slug}: its date changes from build to build"
            assert release["id"] == later[slug]["id"], f"{slug}: its id changes from build to build"
    assert then["test-moving-deadline"]["date"] == "2026-12-01T00:00:00+00:00"  # datePublished
    assert releases("2027-01-06")[1] == then, "the same SITE_TODAY gives the same releases"
    # A historical tender with no dates: the year of its source (NCVO, 2009).
    historical = then["lancashire-youth-offer-funding-2008"]
    assert historical["date"] == "2009-01-01T00:00:00+00:00"
    assert historical["id"] == later["lancashire-youth-offer-funding-2008"]["id"], "a closed tender's release is stable"


def test_a_tender_that_closes_between_two_builds_gets_a_new_release_id_and_date(built):
    def release(today):
        package = json.loads((built(today, SITEURL) / DEFAULTS["TENDER_FEEDS_OCDS_PATH"]).read_text())
        return next(r for r in package["releases"] if r["tender"]["id"] == "test-moving-deadline")

    open_, closed = release("2027-01-06"), release("2027-01-21")
    assert open_["tender"]["status"] == "active" and "status" not in closed["tender"]
    assert open_["id"] != closed["id"]
    assert open_["ocid"] == closed["ocid"], "the same contracting process"
    # Dated when its status changed: the deadline, 20 January 2027 at noon.
    assert closed["date"] == "2027-01-20T12:00:00+00:00"
    assert open_["date"] == "2026-12-01T00:00:00+00:00"


def test_a_release_without_a_published_date_uses_the_first_date_the_tender_gives():
    def tender(published=None, deadline=None, status="open", **meta):
        return SimpleNamespace(published=published, deadline=deadline, status=status, metadata=meta)

    deadline = dt.datetime(2008, 6, 30, 12, 0, tzinfo=UK)
    assert release_date(tender(dt.date(2008, 5, 1), deadline)) == dt.datetime(2008, 5, 1, tzinfo=UK)
    assert release_date(tender(None, deadline)) == deadline
    assert release_date(tender(contractPeriod={"startDate": dt.date(2008, 9, 1)})) == dt.datetime(2008, 9, 1, tzinfo=UK)
    sources = [{"title": "Report", "year": "2009"}, {"title": "Later report", "year": "2011"}, {"title": "Undated"}]
    assert release_date(tender(sources=sources)) == dt.datetime(2011, 1, 1, tzinfo=UK)
    assert release_date(tender()) == dt.datetime.combine(UNDATED, dt.time(0, 0), UK)
    # A closed tender: its status changed at the deadline.
    assert release_date(tender(dt.date(2008, 5, 1), deadline, status="closed")) == deadline


def test_the_placeholder_ocid_prefix_is_warned_about(caplog):
    with caplog.at_level("WARNING", logger="tender_feeds.settings"):
        assert check_settings({}) == []
    assert f"TENDER_FEEDS_OCID_PREFIX is the placeholder '{PLACEHOLDER_OCID_PREFIX}'" in caplog.text
    assert "register a prefix with the Open Contracting Partnership" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="tender_feeds.settings"):
        assert check_settings({"TENDER_FEEDS_OCID_PREFIX": "ocds-abc123"}) == []
        assert check_settings({"TENDER_FEEDS_OCDS_PATH": ""}) == []  # no OCDS file, nothing to warn about
    assert "placeholder" not in caplog.text
    readme = (ROOT / "plugins" / "tender_feeds" / "README.md").read_text(encoding="utf-8")
    assert "must be registered" in readme and "TENDER_FEEDS_OCID_PREFIX = " in readme


# -- settings and the daily rebuild -----------------------------------------------------------


def test_bad_settings_are_reported_with_the_plugin_name():
    settings = {"TENDER_FEEDS_OCID_PREFIX": "ocds-NOPE", "TENDER_FEEDS_ATOM_PATH": "../outside.xml",
                "TENDER_FEEDS_REMINDER_DAYS": -1, "TENDER_FEEDS_CALENDAR_PATH": ""}
    problems = check_settings(settings)
    assert [p.split(" ", 1)[0] for p in problems] == ["TENDER_FEEDS_ATOM_PATH", "TENDER_FEEDS_REMINDER_DAYS",
                                                      "TENDER_FEEDS_OCID_PREFIX"]
    assert settings["TENDER_FEEDS_OCID_PREFIX"] == DEFAULTS["TENDER_FEEDS_OCID_PREFIX"]
    assert settings["TENDER_FEEDS_CALENDAR_PATH"] == "", "an empty path switches a file off"
    assert settings["TENDER_FEEDS_ATOM_MAX_ENTRIES"] == DEFAULTS["TENDER_FEEDS_ATOM_MAX_ENTRIES"]


def test_a_build_with_a_bad_setting_fails_and_names_it(project, tmp_path):
    broken = copy_project(tmp_path / "project")
    with open(broken / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write('\nTENDER_FEEDS_OCID_PREFIX = "not-a-prefix"\n')
    result = run_build(tmp_path / "output", root=broken)
    assert result.returncode == 1
    assert "tender_feeds: setting TENDER_FEEDS_OCID_PREFIX must be 'ocds-'" in result.stdout
    assert not (tmp_path / "output").exists()


def test_the_site_is_rebuilt_and_deployed_every_day():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons, "a scheduled trigger rebuilds the site"
    minute, hour, day, month, weekday = crons[0].split()
    assert (day, month, weekday) == ("*", "*", "*"), f"{crons[0]} is not daily"
    build = next(step for step in workflow["jobs"]["build"]["steps"] if step.get("name") == "Build")
    assert "SITE_TODAY" not in (build.get("env") or {}), "the daily build must use the real date"
    deploy = workflow["jobs"]["deploy"]
    assert "schedule" not in deploy.get("if", ""), "scheduled runs must deploy"
    assert "github.ref == 'refs/heads/main'" in deploy["if"]


# -- accessibility of the tender pages ------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("url", ["tenders/example-household-reuse-west-midlands/",
                                 "tenders/example-community-recovery-leeds/",
                                 "tenders/example-youth-employment-wolverhampton/"])
def test_axe_finds_no_violation_on_example_tender_pages(page, site_url, site, url):
    from test_browser_accessibility import describe, run_axe

    assert (site / url / "index.html").exists(), f"{url} was not built"
    page.goto(f"{site_url}/{url}")
    violations = run_axe(page)
    assert not violations, describe(violations)

