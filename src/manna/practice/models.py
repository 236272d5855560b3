"""A reader's practice: sessions, journal, prayer list, reading plans, reminders.

Everything here is private to the person it belongs to. Days are stored as the reader's
own calendar day at the moment something happened (with the time zone it happened in), so
moving or travelling later never moves or erases what was kept.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models

from manna.devotions.models import DepthField, Devotion


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Rhythm(models.Model):
    """A reader's practice settings: session times and length, the calendar feed.
    (Whether reminders are emailed is on the profile, with the other email choices.)"""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rhythm"
    )
    morning = models.TimeField(default=dt.time(6, 30))
    evening = models.TimeField(default=dt.time(21, 0))
    minutes = models.PositiveSmallIntegerField(default=20)
    # The private calendar feed's secret; a new one revokes the old address.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token)

    def __str__(self) -> str:
        return f"{self.user}: {self.morning:%H:%M} / {self.evening:%H:%M}"


class Session(models.Model):
    """A morning or evening session. The timer lives here, so a reload or a closed tab
    finds it as it was: `elapsed` counts the seconds run before `running_since`."""

    class Kind(models.TextChoices):
        MORNING = "morning", "Morning"
        EVENING = "evening", "Evening"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    day = models.DateField(help_text="The reader's own day when the session began.")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    time_zone = models.CharField(max_length=64)
    planned = models.PositiveIntegerField(help_text="Seconds the reader meant to spend.")
    elapsed = models.PositiveIntegerField(default=0)
    started = models.DateTimeField(null=True, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    devotion = models.ForeignKey(Devotion, null=True, blank=True, on_delete=models.SET_NULL)
    reading = models.CharField(max_length=400, blank=True, help_text="The plan's reading, OSIS.")
    depth = DepthField(help_text="The reader's depth then.")

    class Meta:
        ordering = ["-day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"], name="one_session_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day} {self.kind}"

    def seconds(self, now: dt.datetime) -> int:
        """Seconds run so far."""
        running = (now - self.running_since).total_seconds() if self.running_since else 0
        return self.elapsed + max(0, int(running))

    def remaining(self, now: dt.datetime) -> int:
        return max(0, self.planned - self.seconds(now))

    def state(self) -> str:
        if self.finished:
            return "finished"
        if self.running_since:
            return "running"
        return "paused" if self.started else "ready"

    def kept(self, now: dt.datetime) -> bool:
        """Counted in the rhythm: finished, or given the whole time planned."""
        return self.finished is not None or self.seconds(now) >= self.planned


class JournalEntry(models.Model):
    """A private journal entry. `version` grows with each save; a save made from an older
    version by another tab is kept as a new entry (`conflict_of`), never written over."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal"
    )
    uid = models.UUIDField(default=uuid.uuid4, help_text="Stable across export and import.")
    day = models.DateField()
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    last_writer = models.CharField(max_length=64, blank=True, help_text="The tab that saved last.")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    devotion = models.ForeignKey(Devotion, null=True, blank=True, on_delete=models.SET_NULL)
    passage = models.CharField(
        max_length=200, blank=True, help_text="OSIS, e.g. John.1.1-John.1.18"
    )
    conflict_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="conflicts"
    )
    created = models.DateTimeField()
    updated = models.DateTimeField()

    class Meta:
        ordering = ["-day", "-created", "-id"]
        verbose_name_plural = "journal entries"
        constraints = [models.UniqueConstraint(fields=["user", "uid"], name="one_entry_per_uid")]
        indexes = [models.Index(fields=["user", "day"])]

    # Never the words: the admin lists related objects by their names (deleting an account
    # shows everything that goes with it), and a journal is private even from admins.
    def __str__(self) -> str:
        return f"Journal entry {self.pk} ({self.day})"


class JournalCitation(models.Model):
    """A passage an entry touches (its own passage and every reference in it)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="citations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["start", "end"])]


class Prayer(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prayers"
    )
    uid = models.UUIDField(default=uuid.uuid4)
    day = models.DateField()
    request = models.TextField()
    person = models.CharField(max_length=120, blank=True)
    category = models.CharField(max_length=60, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "uid"], name="one_prayer_per_uid")]

    def __str__(self) -> str:  # never the words (see JournalEntry.__str__)
        return f"Prayer {self.pk} ({self.day})"


class PrayerUpdate(models.Model):
    prayer = models.ForeignKey(Prayer, on_delete=models.CASCADE, related_name="updates")
    day = models.DateField()
    text = models.TextField()

    class Meta:
        ordering = ["day", "id"]


class PlanEnrollment(models.Model):
    """A reading plan a reader follows, its days laid out from the day they started."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    name = models.CharField(max_length=200)
    started_on = models.DateField()
    active = models.BooleanField(default=True)
    deepen = models.BooleanField(
        default=False, help_text="Start at glimpse and deepen: glimpse, walk, study by thirds."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-active", "-created"]

    def __str__(self) -> str:  # a plan's name can be personal (see JournalEntry.__str__)
        return f"Reading plan {self.pk}"


class PlanReading(models.Model):
    enrollment = models.ForeignKey(
        PlanEnrollment, on_delete=models.CASCADE, related_name="readings"
    )
    number = models.PositiveIntegerField(help_text="Its place in the plan's order.")
    due = models.DateField()
    osis = models.CharField(max_length=400)
    label = models.CharField(max_length=200)
    verses = models.PositiveIntegerField()
    depth = DepthField(blank=True, help_text="Set when the plan deepens.")
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "number"]
        indexes = [models.Index(fields=["enrollment", "due"])]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "number"], name="one_reading_per_number")
        ]

    def __str__(self) -> str:
        return f"Plan reading {self.pk} (due {self.due})"


class ReminderSent(models.Model):
    """An email reminder already sent, so `manna send-reminders` sends each one once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    day = models.DateField()
    kind = models.CharField(max_length=7, choices=Session.Kind.choices)
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"], name="one_reminder_per_slot")
        ]
