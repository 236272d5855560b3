"""Email reminders at each reader's morning and evening times (`manna send-reminders`).

Run it every few minutes from cron or a systemd timer. Each run sends the reminders whose
time has come in the reader's own time zone within the last `window` (so a machine that
was off does not send a morning reminder at noon), each reminder once: a row in
ReminderSent is written before the email goes, in the same transaction."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from manna.accounts import emails
from manna.markup import without_previews
from manna.practice import clock
from manna.practice.models import ReminderSent, Rhythm, Session
from manna.practice.selectors import day_depth, day_devotion, plan_reading_for

log = logging.getLogger(__name__)
WINDOW = dt.timedelta(minutes=60)


@dataclass(frozen=True, slots=True)
class Due:
    user_id: int
    email: str
    kind: str
    day: dt.date
    at: dt.datetime


def reminders_due(now: dt.datetime, window: dt.timedelta = WINDOW) -> list[Due]:
    """Reminders whose time came in (now - window, now], not yet sent, for readers who
    asked for them and have not already kept that session."""
    due = []
    users = get_user_model().objects.filter(is_active=True, profile__remind_by_email=True)
    for user in users.select_related("profile", "rhythm"):
        zone_name = user.profile.time_zone
        rhythm = getattr(user, "rhythm", None) or Rhythm(user=user)  # defaults if never set
        local_today = now.astimezone(clock.zone(zone_name)).date()
        for kind, at in (("morning", rhythm.morning), ("evening", rhythm.evening)):
            for day in (local_today - dt.timedelta(days=1), local_today):
                moment = clock.at_local(day, at, zone_name)
                practice_day = clock.practice_day(moment, zone_name)
                if now - window < moment <= now:
                    due.append(Due(user.pk, user.email, kind, practice_day, moment))
    sent = {
        (r.user_id, r.day, r.kind)
        for r in ReminderSent.objects.filter(user_id__in={d.user_id for d in due})
    }
    kept = {
        (s.user_id, s.day, s.kind)
        for s in Session.objects.filter(user_id__in={d.user_id for d in due}).exclude(started=None)
    }
    return [d for d in due if (d.user_id, d.day, d.kind) not in sent | kept]


def send_reminders(now: dt.datetime, *, dry_run: bool = False) -> list[Due]:
    """Send what is due; returns what was sent (or would be, with `dry_run`)."""
    sent = []
    for due in reminders_due(now):
        if dry_run:
            sent.append(due)
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user_id=due.user_id, day=due.day, kind=due.kind)
                _email(due)
        except IntegrityError:  # another run sent it a moment ago
            continue
        except Exception:  # one bad address must not stop the others; the row rolled back
            log.exception("could not send the %s reminder to user %s", due.kind, due.user_id)
            continue
        sent.append(due)
    return sent


def _email(due: Due) -> None:
    user = get_user_model().objects.select_related("profile").get(pk=due.user_id)
    reading = plan_reading_for(user, due.day)
    devotion = day_devotion(due.day, due.kind)
    # The day's devotion, at the reader's depth (or the deepening plan's), as plain text.
    depth = day_depth(user=user, reading=reading)
    devotion_text = _plain(devotion.html_at(depth)) if devotion else ""
    context = {
        "reading": reading,
        "devotion": devotion,
        "devotion_text": devotion_text,
        "depth": depth,
        "link": f"{settings.MANNA_SITE_URL}/practice/session/{due.kind}/",
    }
    emails.session_reminder(user, kind=due.kind, context=context).send()


def _plain(html_text: str) -> str:
    """Readable text from the devotion's HTML: paragraphs kept, previews and tags dropped."""
    text = re.sub(r"</(p|h2|h3|li|blockquote)>", "\n\n", without_previews(html_text))
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
