"""Growing in depth: the practice's part of graded depth.

Manna never changes a reader's depth by itself (choosing and remembering it is the
devotions app's: manna.devotions.reading). When a reader has kept a steady rhythm at one
depth (MANNA_DEPTH_GROWTH, "sessions/days"), it invites them one step deeper and says why;
"not now" quiets it for that many days. The invitation shows on the devotion page through
the `{% depth_invitation %}` tag (templatetags/practice_depth.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from manna.accounts.models import Profile
from manna.accounts.selectors import profile_of
from manna.devotions.depth import DEPTHS
from manna.practice.models import Session
from manna.web.prepared import Prepared


def growth_rule() -> tuple[int, int]:
    """(sessions, days) from MANNA_DEPTH_GROWTH."""
    sessions, _, days = settings.MANNA_DEPTH_GROWTH.partition("/")
    return int(sessions), int(days)


@dataclass(frozen=True, slots=True)
class Invitation:
    current: str
    deeper: str
    kept: int  # sessions kept at `current` in the window
    sessions: int  # the rule
    days: int


def invitation_for(user: AbstractBaseUser, now: dt.datetime, today: dt.date) -> Invitation | None:
    """An invitation one step deeper, when the reader's rhythm at their depth is steady."""
    if not user.is_authenticated:
        return None
    profile = profile_of(user)
    current = profile.depth
    if current == DEPTHS[-1]:
        return None
    sessions, days = growth_rule()
    since = today - dt.timedelta(days=days - 1)
    declined = profile.depth_invitation_declined
    if declined is not None and declined > today - dt.timedelta(days=days):
        return None
    candidates = _SESSIONS_AT(user_id=user.pk, depth=current, since=since, today=today)
    kept = sum(1 for s in candidates if s.kept(now))
    if kept < sessions:
        return None
    deeper = DEPTHS[DEPTHS.index(current) + 1]
    return Invitation(current, deeper, kept, sessions, days)


# Read on every devotion page a signed-in reader opens: compiled once (manna.web.prepared).
_SESSIONS_AT = Prepared(
    Session,
    lambda user_id, depth, since, today: Session.objects.filter(
        user_id=user_id, depth=depth, day__gte=since, day__lte=today
    ),
)


def decline_invitation(user: AbstractBaseUser, today: dt.date) -> None:
    Profile.objects.filter(user=user).update(depth_invitation_declined=today)
