"""The date statuses and staleness are worked out for: today in the UK.

A build on a machine set to UTC (GitHub's runners) between midnight and
1 a.m. in summer would otherwise still be "yesterday" here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_today() -> dt.date:
    return dt.datetime.now(UK).date()
