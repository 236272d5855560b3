"""Writes: the practice settings, sessions and their timer, the journal, the prayer list
and reading plans. Every function takes the person it acts for and touches only what is
theirs; the views look things up through the selectors, which enforce the same."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from manna.accounts.models import Profile
from manna.accounts.selectors import profile_of
from manna.devotions.depth import DEPTHS
from manna.devotions.models import Devotion
from manna.devotions.selectors import devotion_today
from manna.markup import render_reply
from manna.practice import clock
from manna.practice.models import (
    JournalCitation,
    JournalEntry,
    PlanEnrollment,
    PlanReading,
    Prayer,
    PrayerUpdate,
    Rhythm,
    Session,
    new_token,
)
from manna.practice.plans import Plan, chunks_of, day_reference, spread
from manna.scripture import (
    Reference,
    ScriptureError,
    open_store,
    parse_osis,
    versification,
)

SESSION_MINUTES = (1, 240)
JOURNAL_MAX_CHARS = 100_000


# --- settings ------------------------------------------------------------------------------


def rhythm_of(user: AbstractBaseUser) -> Rhythm:
    rhythm, _ = Rhythm.objects.get_or_create(user=user)
    return rhythm


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


# --- sessions and their timer --------------------------------------------------------------


def reader_zone(user: AbstractBaseUser) -> str:
    return profile_of(user).time_zone


def day_devotion(day: dt.date) -> Devotion | None:
    """The devotion for a reader's day: never one the site has not published yet (a
    reader ahead of the site's time zone sees today's until the site's day turns)."""
    site_today = timezone.localdate(timezone=timezone.get_default_timezone())
    return devotion_today(today=min(day, site_today))


def plan_reading_for(user: AbstractBaseUser, day: dt.date) -> PlanReading | None:
    """The first reading not yet done that is due on `day` or before, in an active plan."""
    return (
        PlanReading.objects.filter(
            enrollment__user=user, enrollment__active=True, done_on=None, due__lte=day
        )
        .select_related("enrollment")
        .order_by("due", "number")
        .first()
    )


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
        "devotion": day_devotion(day),
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


# --- journal --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Saved:
    entry: JournalEntry
    conflict: bool  # the text was saved as a new entry beside the one another tab changed


def _clean_body(body: str) -> str:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > JOURNAL_MAX_CHARS:
        raise ValidationError(
            f"An entry holds up to {JOURNAL_MAX_CHARS:,} characters; this one has "
            f"{len(body):,}. Split it into two entries (your text is kept on this page)."
        )
    return body


def _passage_of(entry: JournalEntry) -> Reference | None:
    if not entry.passage:
        return None
    try:
        return parse_osis(entry.passage)
    except ScriptureError:
        return None


def _render(entry: JournalEntry) -> None:
    """The entry's HTML with references linked, and its index of passages."""
    context = _passage_of(entry)
    translation = entry.devotion.translation if entry.devotion else settings.MANNA_TRANSLATION
    rendered = render_reply(
        entry.body, store=open_store(), translation=translation, context=context
    )
    entry.body_html = rendered.html
    references = list(rendered.references)
    if context is not None:
        references.append(context)
    ranges = {(r.start, r.end) for ref in references for r in ref.ranges}
    entry.citations.all().delete()
    JournalCitation.objects.bulk_create(
        JournalCitation(entry=entry, start=start, end=end) for start, end in sorted(ranges)
    )


def entry_save(
    *,
    user: AbstractBaseUser,
    uid: uuid.UUID,
    body: str,
    base_version: int,
    writer: str,
    now: dt.datetime,
    session: Session | None = None,
    devotion: Devotion | None = None,
    passage: str = "",
) -> Saved:
    """Save what a tab has typed into the entry `uid` (made on its first save).

    A tab sends the whole text with the version it last saw. The save goes through when
    that is the entry's version, when this tab wrote the current version itself (its
    earlier reply was lost on the way back), or when the text is already what is stored.
    Otherwise another tab changed the entry meanwhile: this text becomes an entry of its
    own beside it (one per tab, updated by its later saves), so neither is lost."""
    body = _clean_body(body)
    with transaction.atomic():
        entry = JournalEntry.objects.select_for_update().filter(user=user, uid=uid).first()
        if entry is None:
            entry = entry_create(
                user=user,
                uid=uid,
                body=body,
                writer=writer,
                now=now,
                session=session,
                devotion=devotion,
                passage=passage,
            )
            return Saved(entry, conflict=False)
        if base_version == entry.version or writer == entry.last_writer or body == entry.body:
            _entry_update(entry, body=body, writer=writer, now=now)
            return Saved(entry, conflict=False)
        copy = entry.conflicts.filter(last_writer=writer).first()
        if copy is not None:
            _entry_update(copy, body=body, writer=writer, now=now)
            return Saved(copy, conflict=True)
        copy = entry_create(
            user=user,
            uid=uuid.uuid4(),
            body=body,
            writer=writer,
            now=now,
            session=entry.session,
            devotion=entry.devotion,
            passage=entry.passage,
            day=entry.day,
            conflict_of=entry,
        )
        return Saved(copy, conflict=True)


def entry_create(
    *,
    user: AbstractBaseUser,
    uid: uuid.UUID,
    body: str,
    writer: str,
    now: dt.datetime,
    session: Session | None,
    devotion: Devotion | None,
    passage: str,
    day: dt.date | None = None,
    conflict_of: JournalEntry | None = None,
) -> JournalEntry:
    if session is not None:
        day = session.day
        devotion = devotion or session.devotion
        passage = passage or session.reading or (devotion.passage_osis if devotion else "")
    entry = JournalEntry.objects.create(
        user=user,
        uid=uid,
        day=day or clock.practice_day(now, reader_zone(user)),
        body=body,
        last_writer=writer,
        session=session,
        devotion=devotion,
        passage=passage,
        conflict_of=conflict_of,
        created=now,
        updated=now,
    )
    _render(entry)
    entry.save(update_fields=["body_html"])
    return entry


def _entry_update(entry: JournalEntry, *, body: str, writer: str, now: dt.datetime) -> None:
    if body == entry.body:
        return
    entry.body = body
    entry.version += 1
    entry.last_writer = writer
    entry.updated = now
    _render(entry)
    entry.save(update_fields=["body", "body_html", "version", "last_writer", "updated"])


def entry_delete(*, entry: JournalEntry) -> None:
    entry.delete()


# --- prayer list ----------------------------------------------------------------------------


def _required(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(f"Write the {what}; it cannot be empty.")
    return text


def prayer_add(
    *, user: AbstractBaseUser, request: str, day: dt.date, person: str = "", category: str = ""
) -> Prayer:
    return Prayer.objects.create(
        user=user,
        request=_required(request, "request"),
        day=day,
        person=person.strip(),
        category=category.strip(),
    )


def prayer_note(*, prayer: Prayer, text: str, day: dt.date) -> PrayerUpdate:
    return PrayerUpdate.objects.create(prayer=prayer, text=_required(text, "update"), day=day)


def prayer_answer(*, prayer: Prayer, day: dt.date, note: str) -> Prayer:
    if day < prayer.day:
        raise ValidationError(
            f"An answer comes after the request: it was made on {prayer.day:%-d %B %Y}, "
            f"so choose that day or later."
        )
    prayer.answered_on, prayer.answer = day, note.strip()
    prayer.save(update_fields=["answered_on", "answer"])
    return prayer


def prayer_reopen(*, prayer: Prayer) -> Prayer:
    prayer.answered_on, prayer.answer = None, ""
    prayer.save(update_fields=["answered_on", "answer"])
    return prayer


def prayer_delete(*, prayer: Prayer) -> None:
    prayer.delete()


# --- reading plans --------------------------------------------------------------------------


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
