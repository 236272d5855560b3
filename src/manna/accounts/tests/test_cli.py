from __future__ import annotations

import pytest
from click.testing import CliRunner

from manna.accounts.services import account_create
from manna.cli import main

pytestmark = pytest.mark.django_db


def test_manna_role_gives_an_account_a_role():
    user = account_create(email="ann@example.org", password="a long passphrase", display_name="A")
    result = CliRunner().invoke(main, ["role", "Ann@example.org", "moderator"])
    assert result.exit_code == 0, result.output
    assert result.output == "ann@example.org is now moderator\n"
    user.refresh_from_db()
    assert user.profile.role == "moderator" and user.is_staff


def test_manna_role_names_what_is_wrong():
    result = CliRunner().invoke(main, ["role", "nobody@example.org", "admin"])
    assert result.exit_code == 2
    assert "No account has the email address nobody@example.org" in result.output
    bad = CliRunner().invoke(main, ["role", "nobody@example.org", "pope"])
    assert bad.exit_code == 2 and "'pope' is not one of" in bad.output
