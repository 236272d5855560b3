"""Reads for the desk: the devotions an author may write, and each one's state in words."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from manna.accounts.models import Profile, Role
from manna.accounts.selectors import has_role
from manna.devotions.format import slugify
from manna.devotions.models import Devotion, Revision
from manna.devotions.selectors import devotion_list_visible, site_today

STATES = ("draft", "scheduled", "published")


def can_write(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Authors and everyone above them use the desk."""
    return has_role(user, Role.AUTHOR)


def desk_devotions(
    *, user: AbstractBaseUser, state: str = "", query: str = ""
) -> QuerySet[Devotion]:
    """The devotions `user` may write, newest first: an admin's are all of them, an
    author's those they write and those no account writes yet (imported from files)."""
    found = Devotion.objects.all()
    if not has_role(user, Role.ADMIN):
        found = found.filter(Q(writer=user) | Q(writer=None))
    today = site_today()
    if state == "draft":
        found = found.filter(status=Devotion.DRAFT)
    elif state == "scheduled":
        found = found.filter(status=Devotion.PUBLISHED, date__gt=today)
    elif state == "published":
        found = found.filter(status=Devotion.PUBLISHED, date__lte=today)
    for word in query.split():
        found = found.filter(Q(title__icontains=word) | Q(passage__icontains=word))
    return found.order_by("-date", "slug")


def may_edit(user: AbstractBaseUser, devotion: Devotion) -> bool:
    return has_role(user, Role.ADMIN) or devotion.writer_id in (None, user.pk)


def state_of(devotion: Devotion, today: dt.date | None = None) -> str:
    """draft, scheduled or published."""
    if devotion.status == Devotion.DRAFT:
        return "draft"
    return "scheduled" if devotion.date > (today or site_today()) else "published"


def state_words(devotion: Devotion, today: dt.date | None = None) -> str:
    """ "Draft", "Scheduled for Thursday 10 December (from midnight, Europe/London)",
    "Published Tuesday 24 November"."""
    state = state_of(devotion, today)
    day = f"{devotion.date:%A} {devotion.date.day} {devotion.date:%B}"
    if devotion.date.year != (today or site_today()).year:
        day += f" {devotion.date.year}"
    if state == "draft":
        return "Draft"
    if state == "scheduled":
        return f"Scheduled for {day} (from midnight, {settings.TIME_ZONE})"
    return f"Published {day}"


def revisions_of(devotion: Devotion) -> QuerySet[Revision]:
    return devotion.revisions.select_related("saved_by")


def authors_by_slug() -> dict[str, Profile]:
    """The address (`/authors/<slug>/`) of each account that writes a visible devotion:
    its display name as a slug, the account's number added when two names meet."""
    writers = (
        devotion_list_visible().exclude(writer=None).values_list("writer", flat=True).distinct()
    )
    profiles = Profile.objects.filter(user__in=list(writers)).order_by("user_id")
    found: dict[str, Profile] = {}
    for profile in profiles:
        slug = slugify(profile.display_name)
        found[slug if slug not in found else f"{slug}-{profile.user_id}"] = profile
    return found


def author_slug(user_id: int) -> str | None:
    return next((s for s, p in authors_by_slug().items() if p.user_id == user_id), None)
