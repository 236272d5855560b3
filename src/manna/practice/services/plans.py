"""Reading plans followed: started, marked, caught up, pushed, re-spread, stopped."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from manna.devotions.depth import DEPTHS
from manna.practice.models import (
    PlanEnrollment,
    PlanReading,
)
from manna.practice.plans import Plan, chunks_of, day_reference, spread
from manna.scripture import (
    parse_osis,
    versification,
)


def depth_along(position: float) -> str:
    """The depth at `position` (0 to 1) of a plan that deepens: glimpse for the first
    third, walk for the second, study for the last."""
    return DEPTHS[min(2, int(position * 3))]


def plan_start(
    *, user: AbstractBaseUser, plan: Plan, start: dt.date, deepen: bool = False
) -> PlanEnrollment:
    """Follow `plan` from `start`: day n of the plan is due on start + n - 1."""
    days = len(plan.days)
    with transaction.atomic():
        enrollment = PlanEnrollment.objects.create(
            user=user, name=plan.name, started_on=start, deepen=deepen
        )
        PlanReading.objects.bulk_create(
            PlanReading(
                enrollment=enrollment,
                number=n,
                due=start + dt.timedelta(days=n - 1),
                osis=reference.osis(),
                label=label,
                verses=verses,
                depth=depth_along((n - 1) / days) if deepen else "",
            )
            for n, (reference, label, verses) in enumerate(
                zip(plan.days, plan.labels, plan.verses, strict=True), start=1
            )
        )
    return enrollment


def reading_mark(*, reading: PlanReading, done: bool, day: dt.date) -> PlanReading:
    reading.done_on = day if done else None
    reading.save(update_fields=["done_on"])
    return reading


def _behind(enrollment: PlanEnrollment, today: dt.date) -> list[PlanReading]:
    return list(enrollment.readings.filter(done_on=None, due__lt=today).order_by("number"))


def _not_done(enrollment: PlanEnrollment) -> list[PlanReading]:
    return list(enrollment.readings.filter(done_on=None).order_by("number"))


def plan_catch_up(*, enrollment: PlanEnrollment, today: dt.date) -> int:
    """Keep the dates, and bring the missed readings to today. Returns how many."""
    return enrollment.readings.filter(done_on=None, due__lt=today).update(due=today)


def plan_push(*, enrollment: PlanEnrollment, today: dt.date) -> int:
    """Move every reading not done later by the days the plan is behind, so the end
    date moves too. Returns the number of days."""
    behind = _behind(enrollment, today)
    if not behind:
        return 0
    days = (today - behind[0].due).days
    with transaction.atomic():
        for reading in _not_done(enrollment):
            reading.due += dt.timedelta(days=days)
            reading.save(update_fields=["due"])
    return days


def plan_respread(*, enrollment: PlanEnrollment, today: dt.date) -> int:
    """Spread what is left, balanced again by verses, over the days from today to the
    plan's last day. Returns the number of days now used."""
    left = _not_done(enrollment)
    if not left:
        return 0
    end = max(max(r.due for r in left), today)
    days = (end - today).days + 1
    v11n = versification("english")
    chunks = [c for reading in left for c in chunks_of(parse_osis(reading.osis), v11n)]
    groups = spread(chunks, min(days, len(chunks)))
    span = max(1, (end - enrollment.started_on).days + 1)
    next_number = enrollment.readings.order_by("-number").values_list("number", flat=True)[0] + 1
    with transaction.atomic():
        PlanReading.objects.filter(pk__in=[r.pk for r in left]).delete()
        for i, group in enumerate(groups):
            reference = day_reference(group)
            PlanReading.objects.create(
                enrollment=enrollment,
                number=next_number + i,
                due=today + dt.timedelta(days=i),
                osis=reference.osis(),
                label=reference.human(),
                verses=sum(c.verses for c in group),
                depth=depth_along((today - enrollment.started_on).days / span + i / span)
                if enrollment.deepen
                else "",
            )
    return len(groups)


def plan_stop(*, enrollment: PlanEnrollment) -> None:
    """Stop following a plan; its readings and what was done stay in the history."""
    enrollment.active = False
    enrollment.save(update_fields=["active"])
