"""Accounts through the site: sign up, confirm, sign in and out, profile, passwords."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail, signing

from manna.accounts.models import Profile, Role
from manna.accounts.selectors import has_role, role_of
from manna.accounts.services import VERIFY_SALT, account_create, account_set_role

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long enough passphrase"
SIGNUP = {
    "display_name": "Ann Reader",
    "email": "Ann@Example.org",
    "password": PASSWORD,
    "time_zone": "Europe/London",
}


def link_in(body: str) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(\S+)", body).group(1)


def test_signing_up_creates_the_account_signs_in_and_sends_a_confirmation(client):
    response = client.post("/account/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.username, user.email) == ("ann@example.org", "Ann@example.org")
    assert (user.profile.display_name, user.profile.time_zone) == ("Ann Reader", "Europe/London")
    assert user.profile.email_verified is False
    assert client.get("/account/").status_code == 200  # signed in
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Ann@example.org"]
    response = client.get(link_in(mail.outbox[0].body))
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.email_verified is True


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"time_zone": "Mars/Olympus"}, '"Mars/Olympus" is not a time zone Manna knows'),
        ({"password": "password"}, "This password is too common."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"display_name": "Ann\u202eevil"}, "invisible or control characters"),
        ({"display_name": "x" * 61}, "Keep the name to 60 characters (this one has 61)."),
    ],
)
def test_a_refused_sign_up_says_why_and_keeps_what_was_typed(client, change, field_error):
    data = {**SIGNUP, **change}
    response = client.post("/account/signup/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert field_error in page.replace("&quot;", '"')
    assert 'value="Ann@Example.org"' in page or "not-an-address" in page
    assert User.objects.count() == 0


def test_an_address_has_one_account_whatever_its_case(client):
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    response = client.post("/account/signup/", SIGNUP)
    assert response.status_code == 400
    assert "An account with this email address exists already" in response.content.decode()


def test_signing_in_and_out(client):
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    wrong = client.post("/account/signin/", {"email": "ann@example.org", "password": "nope"})
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "do not match an account" in page and 'value="ann@example.org"' in page
    right = client.post(
        "/account/signin/",
        {"email": "ANN@example.org", "password": PASSWORD, "next": "/archive/"},
    )
    assert right["Location"] == "/archive/"
    assert client.get("/account/signout/").status_code == 405
    assert client.post("/account/signout/").status_code == 302
    assert client.get("/account/").status_code == 302  # to the sign-in page


def test_a_signed_in_page_reads_the_person_with_their_profile_in_one_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.post("/account/signin/", {"email": "ann@example.org", "password": PASSWORD})
    with CaptureQueriesContext(connection) as queries:
        assert "Ann" in client.get("/archive/").content.decode()
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]
    assert tables.count('"auth_user"') == 1
    assert '"accounts_profile"' not in tables  # joined to the user's row


def test_a_session_from_before_the_profile_backend_stays_signed_in(client):
    from django.contrib.auth import BACKEND_SESSION_KEY

    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    assert client.get("/account/").status_code == 200


def test_an_expired_or_unknown_session_signs_nobody_in(client, settings):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_ENGINE == "manna.accounts.sessions"  # no shared cache here
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.post("/account/signin/", {"email": "ann@example.org", "password": PASSWORD})
    assert client.get("/account/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/account/").status_code == 302  # to the sign-in page
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-at-all"
    assert client.get("/account/").status_code == 302


def test_a_sessions_text_is_decoded_once_and_each_page_gets_its_own_copy(monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from manna.accounts.sessions import SessionStore

    stored = SessionStore()
    stored.update({"_auth_user_id": "7", "depth": "walk"})
    stored.save()
    text = DjangoStore.get_model_class().objects.get(pk=stored.session_key).session_data
    first = SessionStore(stored.session_key)
    assert first["depth"] == "walk"
    decoded = []

    def counted(self, data):
        decoded.append(data)
        return {}

    monkeypatch.setattr(DjangoStore, "decode", counted)
    first["depth"] = "study"  # this page's change, not yet saved
    second = SessionStore(stored.session_key)
    assert second["depth"] == "walk" and second.decode(text) == {
        "_auth_user_id": "7",
        "depth": "walk",
    }
    assert decoded == []  # kept: not decoded again
    monkeypatch.undo()
    nested = SessionStore()
    nested["marks"] = ["a"]  # not plain: decoded afresh each time, so never shared
    nested.save()
    for _ in range(2):
        page = SessionStore(nested.session_key)
        assert page["marks"] == ["a"]
        page["marks"].append("b")


def test_each_request_carries_the_person_themselves_not_a_lazy_stand_in(client):
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import LazyObject

    anonymous = client.get("/account/signin/").wsgi_request.user
    assert type(anonymous) is AnonymousUser
    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.force_login(user)
    seen = client.get("/account/").wsgi_request.user
    assert not isinstance(seen, LazyObject) and seen == user and seen.is_authenticated


def test_a_session_naming_no_such_person_signs_nobody_in():
    from manna.accounts.backends import ProfileBackend

    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    assert ProfileBackend().get_user(str(user.pk)) == user
    assert ProfileBackend().get_user(str(user.pk + 1)) is None
    assert ProfileBackend().get_user("not a number") is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ProfileBackend().get_user(str(user.pk)) is None


def test_sign_in_never_redirects_to_another_site(client):
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    data = {"email": "ann@example.org", "password": PASSWORD, "next": "https://evil.example/"}
    assert client.post("/account/signin/", data)["Location"] == "/account/"


def test_sign_in_is_rate_limited_with_retry_after(client, settings):
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "signin": "2/600"}
    data = {"email": "ann@example.org", "password": "wrong"}
    for _ in range(2):
        assert client.post("/account/signin/", data).status_code == 400
    response = client.post("/account/signin/", data)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    assert "Too many attempts" in response.content.decode()
    assert 'value="ann@example.org"' in response.content.decode()


@pytest.mark.parametrize(
    "spelling",
    [
        "ann@example.org",
        " ann@example.org",
        "ann@example.org  ",
        "ANN@Example.org",
        "\tAnn@example.ORG\n",
    ],
)
def test_every_spelling_of_an_address_counts_against_one_limit(client, settings, spelling):
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "signin": "3/600"}
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    for typed in ("ann@example.org", " ann@example.org ", "Ann@Example.org"):
        assert (
            client.post("/account/signin/", {"email": typed, "password": "no"}).status_code == 400
        )
    response = client.post("/account/signin/", {"email": spelling, "password": PASSWORD})
    assert response.status_code == 429  # even the right password waits for the window


def test_reset_emails_are_limited_whatever_the_spelling(client, settings):
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "email": "2/3600"}
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    mail.outbox.clear()
    for typed in ("ann@example.org", " ann@example.org", "ANN@example.org "):
        client.post("/account/password/reset/", {"email": typed})
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "target", ["x", "account", "signin", "admin:index", "/\\evil.example", "//evil.example"]
)
def test_a_next_that_is_not_a_path_on_this_site_goes_to_the_default(client, target):
    data = {**SIGNUP, "next": target}
    response = client.post("/account/signup/", data)
    assert (response.status_code, response["Location"]) == (302, "/account/")
    client.post("/account/signout/")
    data = {"email": "ann@example.org", "password": PASSWORD, "next": target}
    assert client.post("/account/signin/", data)["Location"] == "/account/"
    assert client.post("/account/signin/", {**data, "next": "/practice/"})["Location"] == (
        "/practice/"
    )


def test_the_admin_signs_in_through_the_sites_rate_limited_form(client, settings):
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "signin": "3/600"}
    staff = account_create(email="boss@example.org", password=PASSWORD, display_name="Boss")
    account_set_role(user=staff, role=Role.ADMIN)
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert (response.status_code, response["Location"]) == (
        303,
        "/account/signin/?next=%2Fadmin%2F",
    )
    guess = {"username": "boss@example.org", "password": "guess", "next": "/admin/"}
    assert client.post("/admin/login/", guess).status_code == 303  # no password is checked
    for _ in range(3):
        wrong = {"email": "boss@example.org", "password": "guess", "next": "/admin/"}
        assert client.post("/account/signin/", wrong).status_code == 400
    right = {"email": "boss@example.org", "password": PASSWORD, "next": "/admin/"}
    assert client.post("/account/signin/", right).status_code == 429
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "signin": "10/600"}
    client.post("/account/signin/", right)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_a_reader_signed_in_is_told_the_admin_is_not_for_them(client):
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.post("/account/signin/", {"email": "ann@example.org", "password": PASSWORD})
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "This account cannot open the admin" in response.content.decode()


def test_confirmation_links_that_do_not_work_say_why(client):
    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    bad = client.get("/account/verify/not-a-token/")
    assert bad.status_code == 400
    assert "not valid" in bad.content.decode()
    old = signing.dumps({"id": user.pk, "email": "old@example.org"}, salt=VERIFY_SALT)
    assert "no longer on any account" in client.get(f"/account/verify/{old}/").content.decode()


def test_the_profile_saves_and_refuses_an_unknown_time_zone(client):
    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.force_login(user)
    data = {"display_name": "Ann R.", "time_zone": "Asia/Tokyo"}
    assert client.post("/account/", data).status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.time_zone) == ("Ann R.", "Asia/Tokyo")
    bad = client.post("/account/", {**data, "time_zone": "Tokyo", "display_name": "Kept"})
    assert bad.status_code == 400
    assert 'value="Kept"' in bad.content.decode()
    assert Profile.objects.get(user=user).display_name == "Ann R."


def test_password_reset_by_email(client):
    account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    response = client.post("/account/password/reset/", {"email": "ann@example.org"})
    assert response["Location"] == "/account/password/reset/sent/"
    form = client.get(link_in(mail.outbox[0].body), follow=True)
    assert "Set a new password" in form.content.decode()
    new = "another long passphrase"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.login(username="ann@example.org", password=new)


def test_password_change(client):
    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.force_login(user)
    new = "another long passphrase"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/account/password/", data).status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_deleting_needs_the_password(client):
    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    client.force_login(user)
    response = client.post("/account/delete/", {"password": "wrong"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_passwords_are_hashed_with_argon2(settings):
    import manna.settings

    settings.PASSWORD_HASHERS = manna.settings.PASSWORD_HASHERS
    assert manna.settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("x", hasher="argon2").startswith("argon2$argon2id$")


def test_roles_grant_the_editor_and_rank_in_order():
    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    assert role_of(user) == Role.READER
    account_set_role(user=user, role=Role.AUTHOR)
    user = User.objects.get(pk=user.pk)
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("devotions.change_devotion")
    assert not user.has_perm("devotions.delete_devotion")
    assert has_role(user, Role.AUTHOR) and not has_role(user, Role.MODERATOR)
    account_set_role(user=user, role=Role.ADMIN)
    user = User.objects.get(pk=user.pk)
    assert user.is_superuser and role_of(user) == Role.ADMIN


def test_unsubscribe_links_ask_first_and_refuse_a_bad_token(client):
    from manna.accounts.tokens import unsubscribe_url

    user = account_create(email="ann@example.org", password=PASSWORD, display_name="Ann")
    path = unsubscribe_url(user, "devotion").removeprefix("http://127.0.0.1:8000")
    assert (
        "Stop emails about replies to the devotions you wrote?" in client.get(path).content.decode()
    )
    assert Profile.objects.get(user=user).notify_devotion_replies is True
    assert client.post(path).status_code == 200
    assert Profile.objects.get(user=user).notify_devotion_replies is False
    assert client.get("/unsubscribe/forged/").status_code == 400
