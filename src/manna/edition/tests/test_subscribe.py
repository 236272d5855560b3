"""Subscribing without an account: double opt-in, preferences, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from manna.edition import services
from manna.edition.models import Subscriber

pytestmark = pytest.mark.django_db

FORM = {
    "email": "Ruth@Example.org",
    "depth": "glimpse",
    "send_at": "06:30",
    "time_zone": "Europe/London",
}


def link_in(message, path):
    found = re.search(rf"http://127\.0\.0\.1:8000({path}[^\s]+)", message.body)
    assert found, message.body
    return found.group(1)


def subscribed(client, **changes):
    response = client.post("/subscribe/", {**FORM, **changes})
    assert response.status_code == 200, response.content.decode()
    return response


def test_the_form_asks_for_address_depth_hour_and_zone(client):
    html = client.get("/subscribe/").content.decode()
    for name in ("email", "depth", "send_at", "time_zone"):
        assert f'name="{name}"' in html
    assert 'value="06:00"' in html and 'list="time-zones"' in html


def test_nothing_is_sent_until_the_address_is_confirmed(client):
    page = subscribed(client).content.decode()
    assert "Check your inbox" in page and "ruth@example.org" in page
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.depth, subscriber.send_at, subscriber.time_zone) == (
        "ruth@example.org",
        "glimpse",
        dt.time(6, 30),
        "Europe/London",
    )
    assert subscriber.confirmed is None and not subscriber.active
    [message] = mail.outbox
    assert message.to == ["ruth@example.org"]
    assert message.subject == "Confirm your subscription to Manna"
    confirm = link_in(message, "/subscribe/confirm/")
    # opening the link shows a button (a mail scanner confirms nothing); the button confirms
    assert "Confirm your subscription" in client.get(confirm).content.decode()
    assert Subscriber.objects.get().confirmed is None
    done = client.post(confirm).content.decode()
    assert "You are subscribed" in done
    assert Subscriber.objects.get().active


def test_subscribing_again_is_harmless_and_reveals_nothing(client):
    first = subscribed(client).content
    client.post(link_in(mail.outbox[0], "/subscribe/confirm/"))
    mail.outbox.clear()
    again = subscribed(client, depth="study").content
    assert again == first  # the same page whatever the address's state
    [message] = mail.outbox
    assert message.subject == "You already receive Manna"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Subscriber.objects.get().depth == "glimpse"  # nothing changed by a stranger


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "email",
            "ruth",
            "&quot;ruth&quot; is not an email address; write one such as ruth@example.org.",
        ),
        (
            "send_at",
            "6 am",
            "&quot;6 am&quot; is not a time of day; write it as HH:MM, e.g. 06:00 or 21:30.",
        ),
        ("send_at", "25:00", "is not a time of day"),
        ("time_zone", "Mars/Olympus", "&quot;Mars/Olympus&quot; is not a time zone Manna knows"),
        ("depth", "deep", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_kept(client, field, value, message):
    response = client.post("/subscribe/", {**FORM, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Ruth@Example.org"' in html or field == "email"
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_a_changed_or_old_link_says_what_to_do(client, monkeypatch):
    subscribed(client)
    confirm = link_in(mail.outbox[0], "/subscribe/confirm/")
    tampered = client.get(confirm[:-3] + "xyz/")
    assert tampered.status_code == 400
    assert "Subscribe again at /subscribe/ and a new link is sent." in tampered.content.decode()
    import time

    later = time.time() + 8 * 86_400
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(confirm).status_code == 400


def test_preferences_from_the_link_every_email_carries(client):
    subscribed(client)
    client.post(link_in(mail.outbox[0], "/subscribe/confirm/"))
    mail.outbox.clear()
    subscribed(client)  # the "already" email carries the preferences link
    manage = link_in(mail.outbox[0], "/subscription/")
    page = client.post(
        manage,
        {"depth": "study", "send_at": "21:15", "time_zone": "America/New_York", "paused": "on"},
    )
    assert page.status_code == 200 and "Saved." in page.content.decode()
    subscriber = Subscriber.objects.get()
    assert (subscriber.depth, subscriber.send_at, subscriber.time_zone, subscriber.paused) == (
        "study",
        dt.time(21, 15),
        "America/New_York",
        True,
    )
    assert not subscriber.active


def test_one_click_unsubscribe_needs_no_session_and_no_csrf_token(client):
    subscribed(client)
    client.post(link_in(mail.outbox[0], "/subscribe/confirm/"))
    mail.outbox.clear()
    subscribed(client)
    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    url = re.fullmatch(
        r"<http://127\.0\.0\.1:8000(/subscription/[^>]+/unsubscribe/)>", header
    ).group(1)
    assert url in message.body  # the same link, in the text
    mail_client = Client(enforce_csrf_checks=True)
    asked = mail_client.get(url)
    assert "Stop sending the day's devotion" in asked.content.decode()
    assert Subscriber.objects.get().unsubscribed is None  # a GET unsubscribes nobody
    done = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    assert Subscriber.objects.get().unsubscribed is not None


def test_addresses_never_confirmed_are_forgotten_after_a_week(client):
    subscribed(client)
    assert services.forget_unconfirmed(timezone.now() + dt.timedelta(days=6)) == 0
    assert services.forget_unconfirmed(timezone.now() + dt.timedelta(days=8)) == 1
    assert not Subscriber.objects.exists()


def test_every_devotion_page_offers_the_edition(client, site_store):
    from manna.devotions.services import devotion_save_text
    from manna.devotions.tests.conftest import devotion_text

    devotion_save_text(text=devotion_text(date="2026-11-24"))
    html = client.get("/devotions/show-me-your-glory/").content.decode()
    assert '<form class="subscribe-inline" method="get" action="/subscribe/">' in html
    assert '<a href="/subscribe/">By email</a>' in html
    prefilled = client.get(
        "/subscribe/", {"email": "ruth@example.org", "depth": "study"}
    ).content.decode()
    assert 'value="ruth@example.org"' in prefilled
    assert '<option value="study" selected>' in prefilled


def test_a_list_moves_in_and_out(tmp_path, caplog):
    from click.testing import CliRunner

    from manna.cli import main

    source = tmp_path / "list.csv"
    source.write_text(
        "email,depth,send_at,time_zone,consented\n"
        "ruth@example.org,study,05:45,Europe/London,2024-03-01\n"
        "boaz@example.org,,,,2025-01-02T08:00:00+00:00\n"
        "nonsense,walk,06:00,UTC,2024-01-01\n"
        "naomi@example.org,walk,06:00,UTC,\n"
    )
    runner = CliRunner()
    import logging

    logger = logging.getLogger("manna.edition.services")
    logger.addHandler(caplog.handler)
    logger.setLevel(logging.INFO)
    try:
        result = runner.invoke(main, ["subscribers", "import", str(source), "--confirmed"])
    finally:
        logger.removeHandler(caplog.handler)
        logger.setLevel(logging.NOTSET)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{source}:line 4: "nonsense" is not an email address; write one such as ruth@example.org.',
        f"{source}:line 5: consented is empty: an address imported as confirmed needs the date it agreed (YYYY-MM-DD)",
        "2 added (confirmed), 0 already here, 2 refused",
    ]
    ruth = Subscriber.objects.get(email="ruth@example.org")
    assert (ruth.depth, ruth.send_at, ruth.confirmed.date()) == (
        "study",
        dt.time(5, 45),
        dt.date(2024, 3, 1),
    )
    # logged: who was taken as confirmed, and when they agreed
    assert "ruth@example.org imported as confirmed (consented 2024-03-01" in caplog.text
    assert mail.outbox == []  # confirmed elsewhere: no email
    # without --confirmed: each new address is sent the link, the known ones left alone
    again = tmp_path / "again.csv"
    again.write_text("email\nruth@example.org\nnew@example.org\n")
    result = runner.invoke(main, ["subscribers", "import", str(again)])
    assert result.stdout == "1 added (each sent the confirmation link), 1 already here, 0 refused\n"
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    out = tmp_path / "out.csv"
    assert runner.invoke(main, ["subscribers", "export", str(out)]).stdout == (
        f"3 subscribers written to {out}\n"
    )
    lines = out.read_text().splitlines()
    assert lines[0] == "email,depth,send_at,time_zone,consented,confirmed,state"
    assert lines[1].startswith("ruth@example.org,study,05:45,Europe/London,")
    assert lines[1].endswith(",2024-03-01T00:00:00+00:00,active")
    assert lines[3].endswith(",,unconfirmed")


def test_a_signed_in_reader_subscribes_with_one_click(make_user, signed_in):
    from manna.accounts.models import Profile

    ruth = make_user("ruth")
    Profile.objects.filter(user=ruth).update(time_zone="Europe/London", depth="study")
    client = signed_in(ruth)
    page = client.get("/account/").content.decode()
    assert "Receive it by email" in page
    response = client.post("/subscribe/account/", {"action": "start"})
    assert response.status_code == 303
    subscriber = Subscriber.objects.get()
    assert (subscriber.user, subscriber.email, subscriber.depth, subscriber.time_zone) == (
        ruth,
        "ruth@example.org",
        "study",
        "Europe/London",
    )
    assert subscriber.active and mail.outbox == []  # the account's address is confirmed
    page = client.get("/account/").content.decode()
    assert "It comes to ruth@example.org at 06:00 (Europe/London), as a study." in page
    client.post("/subscribe/account/", {"action": "stop"})
    assert Subscriber.objects.get().unsubscribed is not None
    # deleting the account deletes the subscription
    ruth.delete()
    assert not Subscriber.objects.exists()


def test_an_unconfirmed_account_address_is_confirmed_by_the_link_first(make_user, signed_in):
    naomi = make_user("naomi", verified=False)
    signed_in(naomi).post("/subscribe/account/", {"action": "start"})
    subscriber = Subscriber.objects.get()
    assert subscriber.user == naomi and subscriber.confirmed is None
    assert [m.subject for m in mail.outbox] == ["Confirm your subscription to Manna"]


def test_the_account_subscription_needs_an_account(client):
    assert client.post("/subscribe/account/", {"action": "start"}).status_code == 403
