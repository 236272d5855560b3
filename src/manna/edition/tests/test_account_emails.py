"""An account's emails on one page: the edition, reminders and reply notifications share
one set of preferences, in the account's time zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from manna.accounts.models import Profile, Role
from manna.edition.models import Subscriber

pytestmark = pytest.mark.django_db

EVERYTHING = {
    "edition": "on",
    "send_at": "07:15",
    "depth": "study",
    "remind_by_email": "on",
    "notify_answers": "",
    "notify_devotion_replies": "on",
}


def test_one_page_sets_the_edition_reminders_and_reply_emails(make_user, signed_in):
    ann = make_user("ann")
    Profile.objects.filter(user=ann).update(time_zone="Europe/London")
    client = signed_in(ann)
    page = client.get("/account/email/").content.decode()
    assert "The day&#x27;s devotion" in page and "Practice reminders" in page
    assert "Replies to the devotions I wrote" not in page  # a reader writes none
    response = client.post("/account/email/", EVERYTHING)
    assert (response.status_code, response["Location"]) == (303, "/account/email/")
    subscriber = Subscriber.objects.get(user=ann)
    assert (subscriber.email, subscriber.send_at, subscriber.depth, subscriber.time_zone) == (
        "ann@example.org",
        dt.time(7, 15),
        "study",
        "Europe/London",
    )
    assert subscriber.confirmed is not None and subscriber.active  # the account's own address
    profile = Profile.objects.get(user=ann)
    assert (profile.remind_by_email, profile.notify_answers) == (True, False)
    assert "Waiting for you" not in client.get("/account/email/").content.decode()


def test_pausing_and_stopping_the_edition_there(make_user, signed_in):
    client = signed_in(make_user("ann"))
    client.post("/account/email/", EVERYTHING)
    client.post("/account/email/", {**EVERYTHING, "paused": "on"})
    assert Subscriber.objects.get().paused is True
    client.post("/account/email/", {**EVERYTHING, "edition": ""})
    assert Subscriber.objects.get().unsubscribed is not None
    client.post("/account/email/", EVERYTHING)  # and back
    subscriber = Subscriber.objects.get()
    assert (subscriber.unsubscribed, subscriber.paused) == (None, False)


def test_an_unconfirmed_address_is_sent_the_link_first(make_user, signed_in):
    client = signed_in(make_user("ann", verified=False))
    response = client.post("/account/email/", EVERYTHING, follow=True)
    assert "Open the link we emailed you" in response.content.decode()
    assert Subscriber.objects.get().confirmed is None
    assert [m.subject for m in mail.outbox] == ["Confirm your subscription to Manna"]


def test_a_bad_hour_is_refused_with_what_was_typed_kept(make_user, signed_in):
    client = signed_in(make_user("ann"))
    response = client.post("/account/email/", {**EVERYTHING, "send_at": "25:99"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="25:99"' in page and "HH:MM" in page
    assert not Subscriber.objects.exists()


def test_an_author_also_sets_replies_to_their_devotions(make_user, signed_in):
    author = make_user("ann", role=Role.AUTHOR)
    client = signed_in(author)
    assert "Replies to the devotions I wrote" in client.get("/account/email/").content.decode()
    client.post("/account/email/", {**EVERYTHING, "notify_devotion_replies": ""})
    assert Profile.objects.get(user=author).notify_devotion_replies is False


def test_a_reader_keeps_replies_to_devotions_as_they_were(make_user, signed_in):
    reader = make_user("ann")
    signed_in(reader).post(
        "/account/email/",
        {k: v for k, v in EVERYTHING.items() if k != "notify_devotion_replies"}
        | {"notify_devotion_replies": "on"},
    )
    assert Profile.objects.get(user=reader).notify_devotion_replies is True


def test_the_edition_follows_the_account_time_zone(make_user, signed_in):
    ann = make_user("ann")
    client = signed_in(ann)
    client.post("/account/email/", EVERYTHING)
    client.post("/account/", {"display_name": "Ann", "time_zone": "Asia/Tokyo"})
    assert Subscriber.objects.get(user=ann).time_zone == "Asia/Tokyo"


def test_the_page_needs_an_account(client):
    response = client.get("/account/email/")
    assert response.status_code == 302 and "/account/signin/" in response["Location"]
