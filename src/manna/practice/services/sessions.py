"""Sessions and their timer (a server-side clock: start, pause, resume, finish)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from manna.accounts.selectors import profile_of
from manna.practice import clock
from manna.practice.models import (
    Session,
)
from manna.practice.selectors import day_devotion, plan_reading_for, reader_zone
from manna.practice.services.rhythm import rhythm_of


def session_open(*, user: AbstractBaseUser, kind: str, now: dt.datetime) -> Session:
    """The reader's `kind` session of their day, made (timer not started) if need be."""
    if kind not in Session.Kind.values:
        raise ValidationError(f'"{kind}" is not a session; choose morning or evening.')
    zone_name = reader_zone(user)
    day = clock.practice_day(now, zone_name)
    found = Session.objects.filter(user=user, day=day, kind=kind).first()
    if found is not None:
        return found
    reading = plan_reading_for(user, day)
    defaults = {
        "time_zone": zone_name,
        "planned": rhythm_of(user).minutes * 60,
        "devotion": day_devotion(day, kind),
        "reading": reading.osis if reading else "",
        "depth": profile_of(user).depth,
    }
    try:
        with transaction.atomic():
            session, _ = Session.objects.get_or_create(
                user=user, day=day, kind=kind, defaults=defaults
            )
    except IntegrityError:  # two tabs made it at the same moment
        session = Session.objects.get(user=user, day=day, kind=kind)
    return session


def session_start(*, user: AbstractBaseUser, kind: str, now: dt.datetime) -> Session:
    """Start (or resume) the reader's `kind` session of their day. Starting twice is
    harmless: the same session carries on."""
    return session_resume(session=session_open(user=user, kind=kind, now=now), now=now)


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


def session_pause(*, session: Session, now: dt.datetime) -> Session:
    with transaction.atomic():
        session = _locked(session)
        if session.running_since and not session.finished:
            session.elapsed = session.seconds(now)
            session.running_since = None
            session.save(update_fields=["elapsed", "running_since"])
    return session


def session_resume(*, session: Session, now: dt.datetime) -> Session:
    with transaction.atomic():
        session = _locked(session)
        if not session.running_since and not session.finished:
            session.started = session.started or now
            session.running_since = now
            session.save(update_fields=["started", "running_since"])
    return session


def session_finish(*, session: Session, now: dt.datetime) -> Session:
    """Stop the timer and record the session as kept. It stays on the day it began,
    also when it ends after midnight."""
    with transaction.atomic():
        session = _locked(session)
        if not session.finished:
            session.elapsed = session.seconds(now)
            session.running_since = None
            session.started = session.started or now
            session.finished = now
            session.save(update_fields=["elapsed", "running_since", "started", "finished"])
    return session
