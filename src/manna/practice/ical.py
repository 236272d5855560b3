"""The private calendar feed (iCalendar, RFC 5545): a reader's morning and evening times
as daily events with an alarm, in their own time zone (so calendar apps keep the local
time across daylight saving), and the readings of their active plans as all-day events."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from manna.practice import clock
from manna.practice.models import PlanReading, Rhythm

PLAN_DAYS_AHEAD = 60


def calendar(*, user: AbstractBaseUser, rhythm: Rhythm, time_zone: str, now: dt.datetime) -> bytes:
    host = settings.MANNA_SITE_URL.split("//")[-1].split("/")[0] or "manna"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Manna//Practice calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{settings.MANNA_SITE_NAME}: my practice")
    zone = clock.zone(time_zone)
    first_day = user.date_joined.astimezone(zone).date()
    for kind, at in (("morning", rhythm.morning), ("evening", rhythm.evening)):
        event = icalendar.Event()
        event.add("uid", f"{kind}-{user.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", dt.datetime.combine(first_day, at, tzinfo=zone))
        event.add("duration", dt.timedelta(minutes=rhythm.minutes))
        event.add("rrule", {"freq": "daily"})
        event.add("summary", f"{kind.title()} session")
        event.add("url", f"{settings.MANNA_SITE_URL}/practice/session/{kind}/")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Time for your {kind} session")
        alarm.add("trigger", dt.timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    today = clock.practice_day(now, time_zone)
    readings = PlanReading.objects.filter(
        enrollment__user=user,
        enrollment__active=True,
        due__gte=today,
        due__lte=today + dt.timedelta(days=PLAN_DAYS_AHEAD),
    ).select_related("enrollment")
    for reading in readings:
        event = icalendar.Event()
        event.add("uid", f"reading-{reading.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", reading.due)
        event.add("dtend", reading.due + dt.timedelta(days=1))
        event.add("summary", reading.label)
        event.add("description", f"{reading.enrollment.name}: {reading.label}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
