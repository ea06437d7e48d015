"""What depends on the day a page is read: tender statuses and days left,
whether an event is past, how long ago a profile was verified.

The build works these out for its own date (SITE_TODAY, or today in the
UK) and writes them into the pages; theme/static/js/day-of-reading.js
works them out again in the visitor's browser from the UK date and time,
with the same rules. The numbers those rules use are here only:
:func:`rules_for_browser` is what the build writes for the script (the
``day_rules`` context value, a JSON block in base.html), and
tests/test_day_of_reading.py runs the script's functions against these on
the same dates.
"""

from __future__ import annotations

import datetime as dt

from validation.today import UK
from validation.validate import STALE_AFTER_DAYS

#: A tender is "closing soon" from this many days before its deadline.
CLOSING_SOON_DAYS = 14
#: How each tender status reads on its tag (the _macros.html status_tag and the script).
STATUS_LABELS = {"open": "Open", "closing-soon": "Closing soon", "closed": "Closed"}


def tender_state(deadline: dt.datetime | None, historical: bool, on: dt.date | dt.datetime) -> tuple[str, int | None]:
    """A tender's status and days left on ``on``: ``(status, days_left)``.

    ``on`` is a UK calendar date (the build's) or an aware moment (a
    visitor's clock). Days are counted between UK calendar dates: 0 on the
    deadline's day. ``status`` is ``"closing-soon"`` from CLOSING_SOON_DAYS
    days before the deadline, ``"open"`` before that and ``"closed"`` after
    it: after the deadline's day for a date, after the deadline itself for
    a moment (a page built on the deadline's day says "Closes today", as it
    is for the whole of that day until the deadline's hour). A historical
    tender, or one without a deadline, is always closed; days_left is None
    once closed."""
    if historical or deadline is None:
        return "closed", None
    if isinstance(on, dt.datetime):
        if on >= deadline:
            return "closed", None
        on = on.astimezone(UK).date()
    days = (deadline.astimezone(UK).date() - on).days
    if days < 0:
        return "closed", None
    return ("closing-soon" if days <= CLOSING_SOON_DAYS else "open"), days


def event_last_day(start: dt.date | dt.datetime, end: dt.date | dt.datetime | None) -> dt.date:
    """An event's last UK calendar day: the end's, else the start's."""
    last = end or start
    if isinstance(last, dt.datetime):
        return last.astimezone(UK).date() if last.tzinfo else last.date()
    return last


def event_is_past(last_day: dt.date, on: dt.date) -> bool:
    """Whether an event is over on the UK date ``on``: its last day is
    before it. An event is upcoming on its day."""
    return last_day < on


def verified_age(verified: dt.date, on: dt.date) -> dict:
    """How long before ``on`` a profile was last verified:
    ``{"words": "8 months ago", "stale": False}``. Whole days under a
    month, whole calendar months under a year, then whole years; ``stale``
    once it is more than STALE_AFTER_DAYS days (when ``make check`` warns)."""
    days = (on - verified).days
    months = (on.year - verified.year) * 12 + on.month - verified.month - (on.day < verified.day)
    if days <= 0:
        words = "today"
    elif months < 1:
        words = "1 day ago" if days == 1 else f"{days} days ago"
    elif months < 12:
        words = "1 month ago" if months == 1 else f"{months} months ago"
    else:
        years = months // 12
        words = "1 year ago" if years == 1 else f"{years} years ago"
    return {"words": words, "stale": days > STALE_AFTER_DAYS}


def rules_for_browser(today: dt.date) -> dict:
    """What day-of-reading.js needs besides the page: the build's date (it
    never works out a status for an earlier day than the build did), the
    zone and the thresholds."""
    return {
        "built_on": today.isoformat(),
        "time_zone": "Europe/London",
        "closing_soon_days": CLOSING_SOON_DAYS,
        "stale_after_days": STALE_AFTER_DAYS,
        "status_labels": STATUS_LABELS,
    }
