"""Each event's own calendar file, its "Add to calendar" link, and how the
events list says to subscribe to all of them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from site_helpers import local_target, page
from tender_feeds.common import stable_id

UK = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def events(project):
    entries, _, _ = project.check_all()
    return {slug: meta for slug, (_, meta) in entries["event"].items()}


def read_calendar(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_each_event_has_its_own_calendar_with_the_uid_of_the_deadlines_calendar(site, events):
    everything = read_calendar(site / "data" / "deadlines.ics")
    uids = {str(entry["uid"]) for entry in everything.walk("VEVENT")}
    assert events
    for slug, meta in events.items():
        calendar = read_calendar(site / "events" / slug / f"{slug}.ics")
        entries = calendar.walk("VEVENT")
        assert len(entries) == 1, slug
        entry = entries[0]
        uid = str(entry["uid"])
        # Stable: made from the event's address, and the same in both files.
        assert uid == stable_id("", f"events/{slug}/", "event") and uid in uids, slug
        assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        start = meta["start"]
        if isinstance(start, dt.datetime):
            assert entry["dtstart"].params["TZID"] == "Europe/London", slug
            assert entry.decoded("dtstart") == start.astimezone(UK), slug
            assert entry.decoded("dtstart").utcoffset() == start.astimezone(UK).utcoffset()
        else:
            assert entry.decoded("dtstart") == start, slug
        title = f"Example: {meta['title']}" if meta.get("example") else meta["title"]
        assert str(entry["summary"]) == title


def test_each_event_page_links_its_calendar_file(site, events):
    for slug in events:
        document = page(site, f"events/{slug}/")
        link = document.select_one("a.app-calendar-link")
        assert link is not None, slug
        assert link.get_text(" ", strip=True).startswith("Add to calendar")
        assert "(.ics file)" in link.get_text()
        target = local_target(site, "", link["href"], site / "events" / slug / "index.html")
        assert target == site / "events" / slug / f"{slug}.ics" and target.exists(), slug


def test_the_events_list_says_how_to_subscribe_to_every_event(site):
    document = page(site, "events/")
    heading = document.find(id="subscribe-heading")
    assert heading is not None and "calendar" in heading.get_text()
    paragraph = heading.find_next_sibling("p")
    link = paragraph.find("a", href="/data/deadlines.ics")
    assert link is not None and ".ics file" in link.get_text()
    assert "tender deadlines too" in paragraph.get_text()


def test_under_a_sub_path_the_link_and_uid_use_the_site_s_address(subpath_site):
    output, siteurl = subpath_site
    slug = "example-bidding-together-workshop"
    link = page(output, f"events/{slug}/").select_one("a.app-calendar-link")
    assert link["href"] == f"{siteurl}/events/{slug}/{slug}.ics"
    entry = read_calendar(output / "events" / slug / f"{slug}.ics").walk("VEVENT")[0]
    assert str(entry["uid"]) == stable_id(siteurl, f"events/{slug}/", "event")
    assert str(entry["url"]) == f"{siteurl}/events/{slug}/"
    assert page(output, "events/").find("a", href="webcal://example.org/consortium/data/deadlines.ics")


def test_an_event_within_one_day_gives_its_date_once(site, events):
    for slug, meta in events.items():
        when = page(site, f"events/{slug}/").find("dt", string="When").find_next_sibling("dd")
        start, end = meta["start"], meta.get("end")
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and start.date() == end.date():
            # "10 December 2026, 10:00 to 12:30", not the date twice.
            assert when.get_text().startswith(f"{start:%-d %B %Y, %H:%M} to {end:%H:%M}"), slug
            assert [t["datetime"] for t in when.find_all("time")] == [start.isoformat(), end.isoformat()], slug
