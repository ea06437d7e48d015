"""What the Atom feed, the calendar and the OCDS data share: addresses,
stable identifiers, the build time and how values read in words."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def page_url(siteurl: str, url: str) -> str:
    """A page's address: absolute when SITEURL is set (as in production),
    root-relative otherwise."""
    return f"{siteurl}/{url}"


def stable_id(siteurl: str, url: str, kind: str) -> str:
    """An identifier that is the same in every build of the same site: a
    name-based UUID (RFC 9562, version 5) of the thing's address and kind.
    Calendar apps and feed readers use it to recognise an item they have
    seen; it changes only if the site or the page moves."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{page_url(siteurl, url)}#{kind}"))


def generated_at(today: dt.date, pinned: bool) -> dt.datetime:
    """When the files were generated, in UK time: midnight at the start of
    SITE_TODAY when a build pins the date (so its output is reproducible),
    otherwise now (to the second)."""
    if pinned:
        return dt.datetime.combine(today, dt.time(0, 0), UK)
    return dt.datetime.now(UK).replace(microsecond=0)


def start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), UK)


def uk_time(moment: dt.datetime) -> str:
    """'2 December 2026, 12:00 GMT': UK time with the zone in force."""
    local = moment.astimezone(UK)
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def uk_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def money(amount: float) -> str:
    return f"£{amount:,.0f}" if amount == int(amount) else f"£{amount:,.2f}"


def value_in_words(value: dict | None) -> str | None:
    """'£150,000', '£150,000 to £200,000', 'up to £200,000' or None."""
    if not value:
        return None
    if value.get("amount") is not None:
        return money(value["amount"])
    low, high = value.get("minimum"), value.get("maximum")
    if low is not None and high is not None:
        return f"{money(low)} to {money(high)}"
    if high is not None:
        return f"up to {money(high)}"
    if low is not None:
        return f"at least {money(low)}"
    return None


def example_title(content) -> str:
    """The title, marked when the item was made up for demonstration: a feed
    entry or calendar event is read away from the page that says so."""
    return f"Example: {content.title}" if content.metadata.get("example") else content.title
