from __future__ import annotations

import datetime as dt

import pytest

from manna.accounts.models import Profile
from manna.community.tests.conftest import devotion, make_user, signed_in  # noqa: F401

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    """An aware moment from "2026-11-24 06:30" (UTC) or with an offset."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@pytest.fixture
def reader(make_user):  # noqa: F811
    return make_user("ruth")


def move(user, time_zone: str) -> None:
    """The reader's profile says they are now in `time_zone`."""
    Profile.objects.filter(user=user).update(time_zone=time_zone)
    user.profile.refresh_from_db()
