"""True on the day it is read: the build writes statuses for its own date
(SITE_TODAY, 2026-11-22 in the tests) and says so; day-of-reading.js works
them out again in the visitor's browser. The browser's clock is set with
Playwright's page.clock to days before, on and after a real tender's
deadline (Wolverhampton's, 2 December 2026 at 12:00 GMT) and after an
event (the example workshop, 10 December 2026)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from building import SITE_TODAY
from content_types.day_of_reading import rules_for_browser, tender_state, verified_age
from site_helpers import page as built_page
from test_browser_accessibility import describe, run_axe

UK = ZoneInfo("Europe/London")
BUILT_ON = dt.date.fromisoformat(SITE_TODAY)
WOLVERHAMPTON = "tenders/example-youth-employment-wolverhampton/"
WORKSHOP = "events/example-bidding-together-workshop/"


def visit(browser, site_url, url, when=f"{SITE_TODAY}T10:00:00Z", javascript=True, width=390):
    """The page with the browser's clock fixed at ``when`` (by default, the
    morning of the build's day: never the real clock, which moves on)."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 800})
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.clock.set_fixed_time(when)
    tab.goto(f"{site_url}/{url}")
    tab.page_errors = errors
    return context, tab


def open_cards(tab):
    return tab.locator("[data-open-tenders] > li:visible")


def card_text(tab, title):
    return tab.locator("li.app-card", has_text=title).inner_text()


# -- the build's text, without JavaScript -------------------------------------


def test_without_javascript_the_build_s_text_and_its_date_are_there(browser, site_url):
    context, tab = visit(browser, site_url, "tenders/", javascript=False)
    text = tab.locator("main").inner_text()
    context.close()
    assert "3 open opportunities, 1 closing within 14 days." in text
    assert "Statuses as of 22 November 2026, when this page was built." in text
    assert "Closing soon 10 days left: the deadline is Wednesday 2 December 2026, 12:00 GMT" in " ".join(text.split())
    assert "Closed since this page was built" not in text


def test_the_build_s_date_is_on_every_page_that_shows_a_status(site):
    for url in ("tenders/", WOLVERHAMPTON, "events/", WORKSHOP):
        as_of = built_page(site, url).select_one(".app-as-of")
        assert as_of is not None and "as of 22 November 2026" in as_of.get_text(), url
    verified = built_page(site, "members/example-youth-trust/").select_one("[data-verified]")
    assert "as of 22 November 2026, when this page was built" in verified.get_text()


def test_the_rules_the_script_reads_are_the_build_s(site):
    block = built_page(site, "tenders/").select_one("script#app-day-rules")
    assert block["type"] == "application/json"
    assert json.loads(block.string) == rules_for_browser(BUILT_ON)


# -- the tender list, before, on and after the deadline ---------------------


@pytest.mark.parametrize("when, count, wolverhampton", [
    # Before the build's date: a wrong clock changes nothing.
    ("2026-11-01T10:00:00Z", "3 open opportunities, 1 closing within 14 days.", "10 days left"),
    ("2026-11-30T10:00:00Z", "3 open opportunities, 1 closing within 14 days.", "2 days left"),
    ("2026-12-01T23:59:00Z", "3 open opportunities, 1 closing within 14 days.", "1 day left"),
    ("2026-12-02T00:01:00Z", "3 open opportunities, 1 closing within 14 days.", "Closes today"),
    ("2026-12-02T11:59:00Z", "3 open opportunities, 1 closing within 14 days.", "Closes today"),
    ("2026-12-02T12:00:00Z", "2 open opportunities.", None),
    # West Midlands (21 December) is closing soon from 7 December.
    ("2026-12-07T09:00:00Z", "2 open opportunities, 1 closing within 14 days.", None),
])
def test_the_tender_list_on_the_day_it_is_read(browser, site_url, when, count, wolverhampton):
    context, tab = visit(browser, site_url, "tenders/", when)
    try:
        assert tab.locator("[data-open-count]").inner_text() == count
        titles = open_cards(tab).locator("h2").all_inner_texts()
        closed_since = tab.locator("[data-closed-since]")
        if wolverhampton:
            assert len(titles) == 3
            text = card_text(tab, "Youth employment and skills programme for Wolverhampton")
            assert wolverhampton in text
            assert ("Closing soon" in text) and "the deadline is Wednesday 2 December 2026, 12:00 GMT" in text
            assert not closed_since.is_visible()
        else:
            assert len(titles) == 2 and not any("Wolverhampton" in t for t in titles)
            assert closed_since.is_visible()
            moved = closed_since.locator("li.app-card").inner_text()
            assert "Youth employment and skills programme for Wolverhampton" in moved
            assert "Closed" in moved and "The deadline was Wednesday 2 December 2026, 12:00 GMT" in moved
            assert "days left" not in moved and "Closes today" not in moved
            assert closed_since.get_by_role("link", name="closed tenders").get_attribute("href").endswith(
                "/tenders/archive/")
        as_of = tab.locator(".app-as-of").inner_text()
        if when < SITE_TODAY:
            assert as_of == "Statuses as of 22 November 2026, when this page was built."
        else:
            day = dt.datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(UK)
            assert as_of.startswith(f"Statuses as of {day.day} {day:%B %Y}, today in the UK.")
            assert as_of.endswith("This page was built on 22 November 2026.")
        assert not tab.page_errors
    finally:
        context.close()


def test_the_home_page_and_the_archive_count_only_tenders_still_open(browser, site_url):
    for url in ("", "tenders/archive/"):
        context, tab = visit(browser, site_url, url, "2026-12-02T12:30:00Z")
        try:
            link = tab.get_by_role("link", name="Open tenders", exact=True)
            assert link.locator("xpath=..").inner_text().startswith("Open tenders (2)"), url
        finally:
            context.close()


def test_a_tender_page_after_its_deadline_says_it_has_closed(browser, site_url):
    context, tab = visit(browser, site_url, WOLVERHAMPTON, "2026-12-03T09:00:00Z")
    try:
        status = tab.locator("#tender-status").inner_text()
        assert status.startswith("Closed")
        assert "This tender closed on Wednesday 2 December 2026, 12:00 GMT (UK time)." in status
        assert "days left" not in status and "Bids must be in by" not in status
        assert "Status as of 3 December 2026, today in the UK." in status
        assert not tab.locator("#follow-heading").is_visible()
        assert "Is your organisation interested?" not in tab.locator("main").inner_text()
        violations = run_axe(tab)
        assert not violations, describe(violations)
    finally:
        context.close()


def test_a_tender_page_before_its_deadline_counts_the_days_left(browser, site_url):
    context, tab = visit(browser, site_url, WOLVERHAMPTON, "2026-11-29T18:00:00Z")
    try:
        status = tab.locator("#tender-status").inner_text()
        assert status.startswith("Closing soon") and "3 days left." in status
        assert "Bids must be in by Wednesday 2 December 2026, 12:00 GMT" in status
    finally:
        context.close()


def test_the_corrected_tender_list_passes_axe(browser, site_url):
    context, tab = visit(browser, site_url, "tenders/", "2026-12-02T12:30:00Z")
    try:
        assert tab.locator("[data-closed-since]").is_visible()
        violations = run_axe(tab)
        assert not violations, describe(violations)
    finally:
        context.close()


# -- events and profiles ----------------------------------------------------------


def test_an_event_past_since_the_build_moves_out_of_upcoming(browser, site_url):
    title = "Bidding together: a workshop for members"
    context, tab = visit(browser, site_url, "events/")
    try:
        assert title in tab.locator("[data-upcoming-events]").inner_text()
    finally:
        context.close()
    context, tab = visit(browser, site_url, "events/", "2026-12-11T09:00:00Z")
    try:
        assert not tab.locator("[data-upcoming-events]").is_visible()
        assert tab.get_by_text("No upcoming events are listed.").is_visible()
        assert tab.locator("[data-past-events] > li").first.inner_text().startswith(title)
        violations = run_axe(tab)
        assert not violations, describe(violations)
    finally:
        context.close()
    # On its day it is still upcoming.
    context, tab = visit(browser, site_url, WORKSHOP, "2026-12-10T20:00:00Z")
    try:
        assert "Upcoming." in tab.locator("main dl").inner_text()
    finally:
        context.close()
    context, tab = visit(browser, site_url, WORKSHOP, "2026-12-11T09:00:00Z")
    try:
        assert "This event has taken place." in tab.locator("main dl").inner_text()
    finally:
        context.close()


def test_a_profile_says_how_long_ago_it_was_verified_on_the_day_it_is_read(browser, site_url):
    url = "members/example-youth-trust/"
    context, tab = visit(browser, site_url, url, javascript=False)
    try:
        text = tab.locator("[data-verified]").inner_text()
        assert text == "22 November 2026 (today, as of 22 November 2026, when this page was built)"
    finally:
        context.close()
    context, tab = visit(browser, site_url, url, "2027-02-01T10:00:00Z")
    try:
        assert tab.locator("[data-verified]").inner_text() == "22 November 2026 (2 months ago)"
    finally:
        context.close()
    context, tab = visit(browser, site_url, url, "2027-11-24T10:00:00Z")
    try:
        text = tab.locator("[data-verified]").inner_text()
        assert text == ("22 November 2026 (1 year ago): more than a year ago, so some details may be out of date")
        violations = run_axe(tab)
        assert not violations, describe(violations)
    finally:
        context.close()


# -- the script's rules are the build's ------------------------------------------


def _reading_day(moment: dt.datetime):
    """What the script counts from: the moment, or the build's date for a
    clock set before it (the script's readingDay)."""
    return BUILT_ON if moment.astimezone(UK).date() < BUILT_ON else moment


def test_the_script_s_rules_are_the_python_rules_on_the_same_dates(browser, site_url):
    deadlines = [dt.datetime(2026, 12, 2, 12, 0, tzinfo=UK), dt.datetime(2026, 12, 21, 12, 0, tzinfo=UK),
                 dt.datetime(2027, 4, 9, 12, 0, tzinfo=UK), dt.datetime(2027, 7, 16, 0, 30, tzinfo=UK),
                 dt.datetime(2027, 3, 28, 0, 0, tzinfo=UK), dt.datetime(2026, 11, 22, 9, 0, tzinfo=UK)]
    start = dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.timezone.utc)
    moments = [start + dt.timedelta(hours=7 * step) for step in range(0, 900)]  # to mid-July 2027
    moments += [d + dt.timedelta(minutes=offset) for d in deadlines for offset in (-1, 0, 1)]
    cases = [(d.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              m.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")) for d in deadlines for m in moments]
    verified = [dt.date(2025, 1, 31), dt.date(2025, 11, 22), dt.date(2026, 2, 28), dt.date(2026, 11, 1),
                dt.date(2026, 11, 22)]
    days = [BUILT_ON + dt.timedelta(days=n) for n in range(0, 800, 3)]
    context, tab = visit(browser, site_url, "tenders/")
    try:
        states, ages = tab.evaluate("""([cases, ages]) => {
            const rules = window.AppDayOfReading;
            return [cases.map(([deadline, now]) => rules.tenderState(deadline, rules.readingDay(new Date(now)))),
                    ages.map(([verified, day]) => rules.verifiedAge(verified, {date: day, moment: null}))];
        }""", [cases, [(v.isoformat(), d.isoformat()) for v in verified for d in days]])
    finally:
        context.close()
    expected = [tender_state(d, False, _reading_day(m)) for d in deadlines for m in moments]
    assert [(s["status"], s["daysLeft"]) for s in states] == expected
    assert ages == [verified_age(v, d) for v in verified for d in days]
    assert {status for status, _ in expected} == {"open", "closing-soon", "closed"}
