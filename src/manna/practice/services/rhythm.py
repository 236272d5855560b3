"""The reader's rhythm: session times and length, the calendar feed's address."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from manna.accounts.models import Profile
from manna.practice import clock
from manna.practice.models import (
    Rhythm,
    new_token,
)
from manna.web.prepared import Prepared

SESSION_MINUTES = (1, 240)


def rhythm_of(user: AbstractBaseUser) -> Rhythm:
    """The reader's rhythm, made with the defaults the first time it is asked for."""
    found = _RHYTHM(user_id=user.pk)  # every session page asks: a prepared read
    if found:
        return found[0]
    rhythm, _ = Rhythm.objects.get_or_create(user=user)
    return rhythm


_RHYTHM = Prepared(Rhythm, lambda user_id: Rhythm.objects.filter(user_id=user_id)[:1])


def rhythm_update(
    *,
    user: AbstractBaseUser,
    morning: dt.time,
    evening: dt.time,
    minutes: int,
    remind_by_email: bool,
) -> Rhythm:
    low, high = SESSION_MINUTES
    if not low <= minutes <= high:
        raise ValidationError(
            f"A session lasts between {low} and {high} minutes; {minutes} is outside that."
        )
    if not clock.DAY_STARTS <= morning < clock.EVENING_STARTS:
        raise ValidationError(
            f"Choose a morning time from {clock.DAY_STARTS:%H:%M} to before "
            f"{clock.EVENING_STARTS:%H:%M} (got {morning:%H:%M})."
        )
    if clock.DAY_STARTS <= evening < clock.EVENING_STARTS:
        raise ValidationError(
            f"Choose an evening time from {clock.EVENING_STARTS:%H:%M} to before "
            f"{clock.DAY_STARTS:%H:%M} the next morning (got {evening:%H:%M})."
        )
    rhythm = rhythm_of(user)
    rhythm.morning, rhythm.evening, rhythm.minutes = morning, evening, minutes
    rhythm.save()
    Profile.objects.filter(user=user).update(remind_by_email=remind_by_email)
    return rhythm


def calendar_token_renew(*, user: AbstractBaseUser) -> Rhythm:
    """A new secret for the calendar feed: the old address stops working at once."""
    rhythm = rhythm_of(user)
    rhythm.calendar_token = new_token()
    rhythm.save(update_fields=["calendar_token"])
    return rhythm
