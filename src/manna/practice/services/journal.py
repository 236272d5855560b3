"""The journal: saves and their conflicts, entries made and deleted."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from manna.devotions.models import Devotion
from manna.markup import render_reply
from manna.practice import clock
from manna.practice.models import (
    JournalCitation,
    JournalEntry,
    Session,
)
from manna.practice.selectors import reader_zone
from manna.scripture import (
    Reference,
    ScriptureError,
    open_store,
    parse_osis,
)

JOURNAL_MAX_CHARS = 100_000


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
