"""The prayer list: requests, updates, answers."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from manna.practice.models import (
    Prayer,
    PrayerUpdate,
)


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


def prayer_edit(*, prayer: Prayer, request: str, person: str = "", category: str = "") -> Prayer:
    """Change a prayer's words, who it is for and its category."""
    prayer.request = _required(request, "request")
    prayer.person, prayer.category = person.strip(), category.strip()
    prayer.save(update_fields=["request", "person", "category"])
    return prayer


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
