"""The reader's day and hour (pure Python, no Django).

A practice day starts at 04:00 local time, not at midnight: an evening session begun at
23:50 or at 00:30 belongs to the evening before, as the reader would say. Morning is from
04:00 until 14:00; evening from 14:00 until 04:00.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_STARTS = dt.time(4, 0)
EVENING_STARTS = dt.time(14, 0)


def zone(name: str) -> ZoneInfo:
    """The time zone called `name`; UTC when the name is unknown (a profile is checked
    when saved, so this only guards against a zone removed from the system's database)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def practice_day(now: dt.datetime, time_zone: str) -> dt.date:
    local = now.astimezone(zone(time_zone))
    if local.time() < DAY_STARTS:
        return local.date() - dt.timedelta(days=1)
    return local.date()


def kind_at(now: dt.datetime, time_zone: str) -> str:
    """ "morning" or "evening" at `now` where the reader is."""
    local = now.astimezone(zone(time_zone)).time()
    return "morning" if DAY_STARTS <= local < EVENING_STARTS else "evening"


def at_local(day: dt.date, time: dt.time, time_zone: str) -> dt.datetime:
    """The moment `time` happens on `day` where the reader is, as an aware UTC datetime.

    On the night clocks go forward, a time that does not exist (02:30) happens at the
    same distance after the change (03:30); on the night they go back, a time that
    happens twice happens at its first occurrence."""
    naive = dt.datetime.combine(day, time)
    return naive.replace(tzinfo=zone(time_zone), fold=0).astimezone(dt.UTC)


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())
