from __future__ import annotations

import pytest

from manna.accounts.models import Profile, Role
from manna.accounts.services import account_create, account_set_role
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text

PASSWORD = "a long enough passphrase"


@pytest.fixture
def make_user(db):
    """make_user("ann", role=Role.MODERATOR, verified=True) -> an account."""

    def make(name: str, *, role: str = Role.READER, verified: bool = True):
        user = account_create(
            email=f"{name}@example.org", password=PASSWORD, display_name=name.title()
        )
        if role != Role.READER:
            account_set_role(user=user, role=role)
        Profile.objects.filter(user=user).update(email_verified=verified)
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def devotion(db, site_store):
    text = devotion_text(
        "Moses asks to see (v. 18).",
        date="2025-01-06",
        author="Author",
        slug="show-me-your-glory",
    )
    result = devotion_save_text(text=text, store=site_store)
    assert result.devotion is not None, result.checked.problems
    return result.devotion


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
