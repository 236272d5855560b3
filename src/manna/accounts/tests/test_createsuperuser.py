"""`manna admin createsuperuser` makes an administrator the site and `manna role` know."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from manna.accounts.models import Role
from manna.accounts.selectors import profile_of
from manna.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_made_on_the_command_line_signs_in_on_the_site(client, monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long pass phrase 42")
    result = CliRunner().invoke(
        main, ["admin", "createsuperuser", "--noinput", "--email", "Ruth@Example.org"]
    )
    assert result.exit_code == 0, result.output
    assert "Ruth@example.org is an administrator; sign in on the site with it." in result.output
    user = get_user_model().objects.get(username="ruth@example.org")
    profile = profile_of(user)
    assert (profile.role, profile.email_verified, user.is_superuser) == (Role.ADMIN, True, True)
    signed_in = client.post(
        "/account/signin/", {"email": "ruth@example.org", "password": "a long pass phrase 42"}
    )
    assert signed_in.status_code == 302
    role = CliRunner().invoke(main, ["role", "ruth@example.org", "author"])
    assert role.output == "Ruth@example.org is now author\n"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--noinput"],
            "a long pass phrase 42",
            "give the administrator's email address with --email",
        ),
        (
            ["--noinput", "--email", "ruth"],
            "a long pass phrase 42",
            '"ruth" is not an email address',
        ),
        (["--noinput", "--email", "ruth@example.org"], "", "set DJANGO_SUPERUSER_PASSWORD"),
        (["--noinput", "--email", "ruth@example.org"], "123", "This password is too short"),
    ],
)
def test_createsuperuser_says_what_is_missing(monkeypatch, args, password, message):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    result = CliRunner().invoke(main, ["admin", "createsuperuser", *args])
    assert result.exit_code != 0
    assert message in result.output
