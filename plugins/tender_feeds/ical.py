"""The iCalendar files (RFC 5545), written with the icalendar library: one
of every tender deadline and every event, and one for each event (its
page's "Add to calendar" link), with the same UID for the event in both."""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .common import UK, example_title, page_url, stable_id, uk_time, value_in_words

UTC = dt.timezone.utc


def deadlines_calendar(tenders: list, events: list, settings: dict, vocabularies: dict,
                       generated: dt.datetime) -> bytes:
    """Deadlines and events in date order. Times carry TZID=Europe/London
    (defined in the file), dates stay dates; UIDs come from each page's
    address, so they are the same in every build."""
    siteurl, sitename = settings["SITEURL"], settings["SITENAME"]
    calendar = _calendar(sitename, "Tender deadlines and events", f"{sitename}: tender deadlines and events",
                         "Submission deadlines of tender opportunities and the consortium's events. "
                         "Times are UK time.")
    if siteurl:
        calendar.add("source", page_url(siteurl, settings["TENDER_FEEDS_CALENDAR_PATH"]), parameters={"VALUE": "URI"})
    # The site rebuilds daily; ask subscribed apps to look twice a day.
    calendar.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    calendar.add_component(uk_timezone())

    stamp = generated.astimezone(UTC)
    entries = [_deadline(t, siteurl, vocabularies, stamp, settings["TENDER_FEEDS_REMINDER_DAYS"])
               for t in tenders if t.deadline is not None]
    entries += [_event(e, siteurl, stamp) for e in events]
    entries.sort(key=lambda entry: (_sortable(entry.decoded("dtstart")), str(entry["uid"])))
    for entry in entries:
        calendar.add_component(entry)
    return calendar.to_ical()


def event_calendar(event, settings: dict, generated: dt.datetime) -> bytes:
    """One event, for its page's "Add to calendar" link: the same VEVENT
    (and UID) as in the calendar of every deadline and event, with the
    Europe/London VTIMEZONE. A file to open once, not a feed to subscribe to."""
    calendar = _calendar(settings["SITENAME"], "Event", example_title(event),
                         f"{event.metadata['summary']} Times are UK time.")
    calendar.add_component(uk_timezone())
    calendar.add_component(_event(event, settings["SITEURL"], generated.astimezone(UTC)))
    return calendar.to_ical()


def event_calendar_path(event) -> str:
    """Where an event's own calendar file is written: beside its page, named
    after it (events/<slug>/<slug>.ics)."""
    return f"{event.url}{event.slug}.ics"


def _calendar(sitename: str, kind: str, name: str, description: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{sitename}//{kind}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)  # RFC 7986
    calendar.add("description", description)
    calendar.add("x-wr-calname", name)  # the same, for apps that predate RFC 7986
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "Europe/London")
    return calendar


def uk_timezone() -> Timezone:
    """Europe/London as a VTIMEZONE: British Summer Time from 01:00 GMT on
    the last Sunday in March to 02:00 BST on the last Sunday in October, the
    rule since 1996. (icalendar can derive a VTIMEZONE from zoneinfo, but
    lists every change year by year and gives the spring change as 02:00.)"""
    timezone = Timezone()
    timezone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", dt.datetime(1996, 3, 31, 1, 0))
    summer.add("tzoffsetfrom", dt.timedelta(hours=0))
    summer.add("tzoffsetto", dt.timedelta(hours=1))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", dt.datetime(1996, 10, 27, 2, 0))
    winter.add("tzoffsetfrom", dt.timedelta(hours=1))
    winter.add("tzoffsetto", dt.timedelta(hours=0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    timezone.add_component(summer)
    timezone.add_component(winter)
    return timezone


def _deadline(tender, siteurl: str, vocabularies: dict, stamp: dt.datetime, reminder_days: int) -> Event:
    meta = tender.metadata
    url = page_url(siteurl, tender.url)
    lines = [f"Submission deadline: {uk_time(tender.deadline)} (UK time).", f"Buyer: {meta['buyer']['name']}."]
    value = value_in_words(meta.get("value"))
    if value:
        lines.append(f"Value: {value}.")
    lines += ["", meta["description"], "", f"Details and possible partners: {url}"]
    notice = meta.get("notice") or {}
    if notice.get("url"):
        lines.append(f"Official notice ({vocabularies['notice_sources'].label(notice['source'])}): {notice['url']}")
    entry = Event()
    entry.add("uid", stable_id(siteurl, tender.url, "deadline"))
    entry.add("dtstamp", stamp)
    entry.add("dtstart", tender.deadline.astimezone(UK))
    kind = "Example tender deadline" if meta.get("example") else "Tender deadline"
    entry.add("summary", f"{kind}: {tender.title}")
    entry.add("description", "\n".join(lines))
    _add_url(entry, url)
    entry.add("categories", ["Tender deadline"])
    entry.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    entry.add("class", "PUBLIC")
    if reminder_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -dt.timedelta(days=reminder_days))
        alarm.add("description", f"{reminder_days} days to the deadline: {tender.title}")
        entry.add_component(alarm)
    return entry


def _event(event, siteurl: str, stamp: dt.datetime) -> Event:
    meta = event.metadata
    url = page_url(siteurl, event.url)
    start, end = meta["start"], meta.get("end")
    entry = Event()
    entry.add("uid", stable_id(siteurl, event.url, "event"))
    entry.add("dtstamp", stamp)
    if isinstance(start, dt.datetime):
        entry.add("dtstart", start.astimezone(UK))
        if isinstance(end, dt.datetime) and end > start:
            entry.add("dtend", end.astimezone(UK))
        elif isinstance(end, dt.date) and not isinstance(end, dt.datetime):
            entry.add("dtend", dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0, 0), UK))
    else:
        # An all-day event: DTEND is the day after the last day (RFC 5545 3.6.1).
        last = end.date() if isinstance(end, dt.datetime) else (end or start)
        entry.add("dtstart", start)
        entry.add("dtend", max(last, start) + dt.timedelta(days=1))
    entry.add("summary", example_title(event))
    lines = [meta["summary"]]
    if meta.get("date_note"):
        lines.append(f"Date: {meta['date_note']}")
    if meta.get("registration_url"):
        lines.append(f"Register: {meta['registration_url']}")
    lines += ["", f"Details: {url}"]
    entry.add("description", "\n".join(lines))
    where = meta.get("place")
    if where or meta.get("online"):
        entry.add("location", f"{where} and online" if where and meta.get("online") else where or "Online")
    _add_url(entry, url)
    entry.add("categories", ["Event"])
    entry.add("class", "PUBLIC")
    return entry


def _add_url(entry: Event, url: str) -> None:
    # URL must be an absolute URI; a build without SITEURL (a local preview)
    # has only root-relative addresses, which stay in the description.
    if url.startswith(("https://", "http://")):
        entry.add("url", url)


def _sortable(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC)
    return dt.datetime.combine(value, dt.time(0, 0), UK).astimezone(UTC)
