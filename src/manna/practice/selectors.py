"""Reads. Every query starts from the person asking: nobody, moderators and admins
included, can reach another reader's sessions, journal, prayers or plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Min, Q, QuerySet

from manna.accounts.selectors import profile_of
from manna.devotions.models import Devotion
from manna.devotions.reading import account_depth
from manna.devotions.selectors import (
    ARTICLE_COLUMNS,
    devotion_today,
    devotion_today_ref,
    site_today,
)
from manna.practice import clock
from manna.practice.models import (
    JournalEntry,
    PlanEnrollment,
    PlanReading,
    Prayer,
    Session,
)
from manna.scripture import Reference
from manna.web.http import account_mark
from manna.web.prepared import Prepared

RHYTHM_WEEKS = 12


def session_get(*, user: AbstractBaseUser, pk: int) -> Session | None:
    return Session.objects.filter(user=user, pk=pk).select_related("devotion").first()


def session_of_day(*, user: AbstractBaseUser, day: dt.date, kind: str) -> Session | None:
    return next(iter(_SESSION_OF_DAY(user_id=user.pk, day=day, kind=kind)), None)


# Read on every session page: compiled once (manna.web.prepared). One row by a unique key.
_SESSION_OF_DAY = Prepared(
    Session,
    lambda user_id, day, kind: (
        Session.objects.filter(user_id=user_id, day=day, kind=kind)
        .select_related("devotion")
        .defer(*(f"devotion__{column}" for column in ARTICLE_COLUMNS))  # the page keeps its card
        .order_by()[:1]
    ),
)


# --- journal --------------------------------------------------------------------------------


def entry_get(*, user: AbstractBaseUser, pk: int) -> JournalEntry | None:
    return JournalEntry.objects.filter(user=user, pk=pk).select_related("devotion").first()


def journal_search(
    *, user: AbstractBaseUser, words: str = "", passage: Reference | None = None
) -> QuerySet[JournalEntry]:
    """The reader's entries holding every word of `words` and touching `passage`."""
    entries = JournalEntry.objects.filter(user=user).select_related("devotion", "session")
    for word in words.split():
        entries = entries.filter(body__icontains=word)
    if passage is not None:
        touching = Q()
        for r in passage.ranges:
            touching |= Q(citations__start__lte=r.end, citations__end__gte=r.start)
        entries = entries.filter(touching).distinct()
    return entries


# --- prayer list ----------------------------------------------------------------------------


def prayers_open(*, user: AbstractBaseUser) -> QuerySet[Prayer]:
    return Prayer.objects.filter(user=user, answered_on=None).prefetch_related("updates")


@dataclass(frozen=True, slots=True)
class AnsweredMonth:
    month: dt.date  # its first day
    prayers: list[Prayer]


def prayers_answered(*, user: AbstractBaseUser) -> list[AnsweredMonth]:
    """Answered prayers by the month of their answer, newest first."""
    answered = (
        Prayer.objects.filter(user=user)
        .exclude(answered_on=None)
        .order_by("-answered_on", "-id")
        .prefetch_related("updates")
    )
    return [
        AnsweredMonth(month, list(group))
        for month, group in groupby(answered, key=lambda p: p.answered_on.replace(day=1))
    ]


def prayer_get(*, user: AbstractBaseUser, pk: int) -> Prayer | None:
    return Prayer.objects.filter(user=user, pk=pk).first()


# --- reading plans --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanView:
    enrollment: PlanEnrollment
    today: list[PlanReading]  # due today or before, not done, then what was done today
    behind: int  # readings due before today and not done
    done: int
    total: int
    ends: dt.date


def plans_of(*, user: AbstractBaseUser) -> QuerySet[PlanEnrollment]:
    return PlanEnrollment.objects.filter(user=user)


def enrollment_get(*, user: AbstractBaseUser, pk: int) -> PlanEnrollment | None:
    return PlanEnrollment.objects.filter(user=user, pk=pk).first()


def reading_get(*, user: AbstractBaseUser, pk: int) -> PlanReading | None:
    return PlanReading.objects.filter(enrollment__user=user, pk=pk).first()


def plan_view(*, enrollment: PlanEnrollment, today: dt.date) -> PlanView:
    readings = list(enrollment.readings.order_by("due", "number"))
    due = [r for r in readings if r.due <= today and (r.done_on is None or r.done_on == today)]
    return PlanView(
        enrollment=enrollment,
        today=due,
        behind=sum(1 for r in readings if r.done_on is None and r.due < today),
        done=sum(1 for r in readings if r.done_on is not None),
        total=len(readings),
        ends=max((r.due for r in readings), default=enrollment.started_on),
    )


# --- rhythm ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Day:
    date: dt.date
    morning: bool
    evening: bool
    future: bool
    before: bool = False  # before the reader's practice began here: not counted


@dataclass(frozen=True, slots=True)
class Week:
    start: dt.date
    days: list[Day]

    @property
    def counted(self) -> int:
        """Days of this week that have begun, since the reader's history began."""
        return sum(1 for d in self.days if not d.future and not d.before)

    @property
    def mornings(self) -> int:
        return sum(d.morning for d in self.days)

    @property
    def evenings(self) -> int:
        return sum(d.evening for d in self.days)


def rhythm_weeks(
    *, user: AbstractBaseUser, today: dt.date, now: dt.datetime, weeks: int = RHYTHM_WEEKS
) -> list[Week]:
    """The last `weeks` weeks (Monday to Sunday, newest first) with the mornings and
    evenings kept on each day, from the week the reader's history begins (their account,
    or an earlier session brought in by an import). A day is the reader's day when the
    session began, so a later move to another time zone changes nothing already kept."""
    began = history_begins(user)
    first = clock.week_start(today) - dt.timedelta(weeks=weeks - 1)
    first = max(first, clock.week_start(min(began, today)))
    weeks = (clock.week_start(today) - first).days // 7 + 1
    kept: set[tuple[dt.date, str]] = {
        (s.day, s.kind)
        for s in Session.objects.filter(user=user, day__gte=first, day__lte=today)
        if s.kept(now)
    }
    result = []
    for w in range(weeks):
        start = first + dt.timedelta(weeks=w)
        days = [
            Day(
                date=d,
                morning=(d, "morning") in kept,
                evening=(d, "evening") in kept,
                future=d > today,
                before=d < began,
            )
            for d in (start + dt.timedelta(days=i) for i in range(7))
        ]
        result.append(Week(start, days))
    return result[::-1]


def history_begins(user: AbstractBaseUser) -> dt.date:
    """The reader's first day here: the day (theirs) they joined, or their first session's
    when that is earlier (an import)."""
    joined = clock.practice_day(user.date_joined, reader_zone(user))
    first = Session.objects.filter(user=user).aggregate(first=Min("day"))["first"]
    return min(joined, first) if first else joined


def journal_owner(user) -> str:
    """An opaque mark of the account, for the drafts a browser keeps unsent: they are
    kept under it and sent with it, so a draft is only ever saved into its writer's
    journal (never into the next account signed in on the same browser)."""
    return account_mark(user, "manna.practice.journal-owner")


def day_depth(*, user, reading: PlanReading | None) -> str:
    """The depth of a reader's day: the plan's, when the day's reading comes from a plan
    that deepens; otherwise the reader's own."""
    if reading is not None and reading.depth:
        return reading.depth
    return account_depth(user)


# --- the reader's day: their zone, the day's devotion and plan reading ------------------


def reader_zone(user: AbstractBaseUser) -> str:
    return profile_of(user).time_zone


def day_devotion(day: dt.date, kind: str = "") -> Devotion | None:
    """The devotion for a reader's day (and session: the morning session brings the
    morning devotion, where the day has one): never one the site has not published yet
    (a reader ahead of the site's time zone sees today's until the site's day turns)."""
    return devotion_today(today=min(day, site_today()), slot=kind)


def day_devotion_ref(day: dt.date, kind: str = "") -> tuple[int, dt.date] | None:
    """day_devotion's id and day, read from what is kept (the session page needs no more)."""
    return devotion_today_ref(today=min(day, site_today()), slot=kind)


def plan_reading_for(user: AbstractBaseUser, day: dt.date) -> PlanReading | None:
    """The first reading not yet done that is due on `day` or before, in an active plan."""
    return next(iter(_READING_DUE(user_id=user.pk, day=day)), None)


# Read on every session page: compiled once (manna.web.prepared).
_READING_DUE = Prepared(
    PlanReading,
    lambda user_id, day: (
        PlanReading.objects.filter(
            enrollment__user_id=user_id, enrollment__active=True, done_on=None, due__lte=day
        )
        .select_related("enrollment")
        .order_by("due", "number", "pk")[:1]
    ),
)
