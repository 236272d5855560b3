"""Replies, likes, flags and moderation, through the site's pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from manna.accounts.models import Profile, Role
from manna.community.models import Block, Flag, Like, Reply, ReplyEvent
from manna.community.services import Poster, moderate, reply_post

pytestmark = pytest.mark.django_db

Status = Reply.Status


def post_reply(client, devotion, body, **extra):
    data = {"body": body, "submission_key": extra.pop("key", f"k-{body[:20]}-{len(body)}")}
    data.update(extra)
    return client.post(f"/devotions/{devotion.slug}/reply/", data)


def approved(devotion, user, body="An earlier reply.", key=None):
    reply, _ = reply_post(
        devotion=devotion, body=body, poster=Poster(user=user), submission_key=key or body
    )
    Reply.objects.filter(pk=reply.pk).update(status=Status.APPROVED)
    reply.refresh_from_db()
    return reply


def test_a_first_reply_waits_for_a_moderator_and_shows_to_its_author(
    devotion, make_user, signed_in
):
    ann = make_user("ann")
    client = signed_in(ann)
    response = post_reply(client, devotion, "I thought of v. 19 and *Isaiah 43:1*.")
    reply = Reply.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/devotions/{devotion.slug}/#reply-{reply.pk}"
    assert reply.status == Status.PENDING
    assert reply.author == ann
    page = client.get(response["Location"]).content.decode()
    assert "waits for a moderator" in page
    assert "waiting for approval" in page
    assert 'data-osis="Isa.43.1"' in reply.body_html
    assert 'data-osis="Exod.33.19"' in reply.body_html  # v. 19 of the devotion's passage
    other = signed_in(make_user("bob"))
    assert "Isaiah" not in other.get(f"/devotions/{devotion.slug}/").content.decode()


def test_a_reader_with_an_approved_reply_is_not_held_again(devotion, make_user, signed_in):
    ann = make_user("ann")
    approved(devotion, ann)
    post_reply(signed_in(ann), devotion, "Second thoughts.")
    assert Reply.objects.get(body="Second thoughts.").status == Status.APPROVED


def test_moderators_replies_are_not_held(devotion, make_user, signed_in):
    post_reply(signed_in(make_user("mo", role=Role.MODERATOR)), devotion, "Welcome, all.")
    assert Reply.objects.get().status == Status.APPROVED


def test_first_replies_are_not_held_when_the_setting_is_off(
    devotion, make_user, signed_in, settings
):
    settings.MANNA_MODERATE_FIRST_REPLY = False
    post_reply(signed_in(make_user("ann")), devotion, "Hello.")
    assert Reply.objects.get().status == Status.APPROVED


def test_the_same_form_sent_twice_stores_one_reply(devotion, make_user, signed_in):
    client = signed_in(make_user("ann"))
    first = post_reply(client, devotion, "Once.", key="same-key")
    again = post_reply(client, devotion, "Once.", key="same-key")
    assert Reply.objects.count() == 1
    assert first["Location"] == again["Location"]


def test_an_unconfirmed_address_cannot_reply_and_keeps_the_text(devotion, make_user, signed_in):
    client = signed_in(make_user("ann", verified=False))
    response = post_reply(client, devotion, "My words, kept.")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Confirm your email address before replying" in page
    assert "My words, kept." in page
    assert Reply.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write something before sending."),
        ("x" * 5001, "Keep a reply under 5000 characters (this one has 5001)."),
        (
            "see http://a.example and [b](https://b.example) and www.c.example",
            "A reply may have at most 2 links to other sites (this one has 3). "
            "Bible references do not count.",
        ),
    ],
)
def test_a_refused_reply_says_why_and_keeps_the_text(devotion, make_user, signed_in, body, message):
    response = post_reply(signed_in(make_user("ann")), devotion, body)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if body.strip():
        assert body[:40] in page
    assert Reply.objects.count() == 0


def test_answers_are_threaded_and_notify_the_reader_answered(
    devotion, make_user, signed_in, django_capture_on_commit_callbacks
):
    ann, bob = make_user("ann"), make_user("bob")
    first = approved(devotion, ann, "Where is the cleft of the rock?")
    approved(devotion, bob, "Bob was here before.", key="b0")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_reply(signed_in(bob), devotion, "In v. 22.", parent=str(first.pk))
    answer = Reply.objects.get(body="In v. 22.")
    assert response.status_code == 303
    assert answer.parent == first and answer.status == Status.APPROVED
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ann@example.org"]
    assert email.subject == "Bob answered your reply"
    assert "In v. 22." in email.body
    unsubscribe = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in email.body
    page = signed_in(ann).get(f"/devotions/{devotion.slug}/").content.decode()
    assert page.index(f'id="reply-{first.pk}"') < page.index(f'id="reply-{answer.pk}"')
    assert 'class="reply depth-1"' in page
    # One click (a POST without a CSRF token, as mail clients send it) turns it off.
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    ann.profile.refresh_from_db()
    assert ann.profile.notify_answers is False


def test_the_devotions_author_hears_of_new_replies(
    devotion, make_user, signed_in, django_capture_on_commit_callbacks
):
    writer = make_user("author", role=Role.AUTHOR)
    impostor = make_user("impostor", role=Role.AUTHOR)
    # the name in the front matter, "Author", is not who wrote it
    Profile.objects.filter(user=impostor).update(display_name="Author")
    devotion.writer = writer
    devotion.save(update_fields=["writer"])
    bob = make_user("bob")
    approved(devotion, bob, "Earlier.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(signed_in(bob), devotion, "Thank you for this.")
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert mail.outbox[0].subject == f'New reply to "{devotion.title}"'


def test_editing_within_the_window_keeps_the_history(devotion, make_user, signed_in):
    ann = make_user("ann")
    reply = approved(devotion, ann, "Frist thought.")
    client = signed_in(ann)
    assert client.get(f"/replies/{reply.pk}/edit/").status_code == 200
    response = client.post(f"/replies/{reply.pk}/edit/", {"body": "First thought."})
    assert response.status_code == 303
    reply.refresh_from_db()
    assert reply.body == "First thought." and reply.edited is not None
    event = reply.events.get(kind=ReplyEvent.Kind.EDITED)
    assert event.body == "Frist thought."


def test_editing_after_the_window_is_refused(devotion, make_user, signed_in):
    ann = make_user("ann")
    reply = approved(devotion, ann)
    Reply.objects.filter(pk=reply.pk).update(created=timezone.now() - dt.timedelta(minutes=16))
    response = signed_in(ann).post(f"/replies/{reply.pk}/edit/", {"body": "Too late."})
    assert response.status_code == 403
    assert "within 15 minutes" in response.content.decode()


def test_deleting_keeps_the_place_of_a_reply_with_answers(devotion, make_user, signed_in):
    ann, bob = make_user("ann"), make_user("bob")
    first = approved(devotion, ann, "To be deleted.")
    answer = approved(devotion, bob, "An answer.")
    Reply.objects.filter(pk=answer.pk).update(parent=first)
    client = signed_in(ann)
    assert client.post(f"/replies/{first.pk}/delete/").status_code == 303
    first.refresh_from_db()
    assert (first.status, first.body, first.body_html) == (Status.DELETED, "", "")
    page = client.get(f"/devotions/{devotion.slug}/").content.decode()
    assert "This reply was deleted." in page and "An answer." in page
    assert "To be deleted." not in page


def test_likes_are_one_per_account_and_show_you_liked(devotion, make_user, signed_in):
    ann = make_user("ann")
    reply = approved(devotion, make_user("bob"), "Worth a like.")
    client = signed_in(ann)
    assert client.post(f"/replies/{reply.pk}/like/").status_code == 303
    assert client.post(f"/devotions/{devotion.slug}/like/").status_code == 303
    page = client.get(f"/devotions/{devotion.slug}/").content.decode()
    assert page.count("you liked this") == 2
    assert Like.objects.count() == 2
    client.post(f"/replies/{reply.pk}/like/")  # a second like takes it back
    assert Like.objects.filter(reply=reply).count() == 0
    assert client.get(f"/replies/{reply.pk}/like/").status_code == 405


def test_flags_put_a_reply_in_the_moderation_queue(devotion, make_user, signed_in):
    reply = approved(devotion, make_user("bob"), "Something unkind.")
    client = signed_in(make_user("ann"))
    response = client.post(f"/replies/{reply.pk}/flag/", {"reason": "Unkind to another reader"})
    assert response.status_code == 303
    again = client.post(f"/replies/{reply.pk}/flag/", {"reason": "Again"})
    assert again.status_code == 400
    assert "You have flagged this reply already" in again.content.decode()
    mo = signed_in(make_user("mo", role=Role.MODERATOR))
    queue = mo.get("/moderation/").content.decode()
    assert "Something unkind." in queue and "Unkind to another reader" in queue


def test_moderators_act_in_bulk_and_see_the_history(devotion, make_user, signed_in):
    ann, bob = make_user("ann"), make_user("bob")
    one = reply_post(devotion=devotion, body="One", poster=Poster(user=ann), submission_key="1")[0]
    two = reply_post(devotion=devotion, body="Two", poster=Poster(user=bob), submission_key="2")[0]
    mo = make_user("mo", role=Role.MODERATOR)
    client = signed_in(mo)
    response = client.post("/moderation/", {"action": "approve", "reply": [one.pk, two.pk]})
    assert response.status_code == 303
    assert set(Reply.objects.values_list("status", flat=True)) == {Status.APPROVED}
    assert "2 replies: approved." in client.get("/moderation/").content.decode()
    history = client.get(f"/replies/{one.pk}/history/").content.decode()
    assert "Held for approval" in history and "Approved by Mo" in history


def test_blocking_an_author_marks_their_waiting_replies_and_stops_new_ones(
    devotion, make_user, signed_in
):
    spammer = make_user("spammer")
    first = reply_post(
        devotion=devotion, body="Buy now", poster=Poster(user=spammer), submission_key="s1"
    )[0]
    reply_post(devotion=devotion, body="Buy more", poster=Poster(user=spammer), submission_key="s2")
    moderate(replies=[first], action="block", moderator=make_user("mo", role=Role.MODERATOR))
    assert set(Reply.objects.values_list("status", flat=True)) == {Status.SPAM}
    assert Block.objects.filter(email="spammer@example.org").exists()
    response = post_reply(signed_in(spammer), devotion, "Buy again")
    assert response.status_code == 403
    assert "may no longer reply" in response.content.decode()
    assert "Buy again" in response.content.decode()


def test_a_rate_limited_reply_gets_429_with_retry_after_and_keeps_the_text(
    devotion, make_user, signed_in, settings
):
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "reply": "2/60"}
    client = signed_in(make_user("ann"))
    for n in range(2):
        assert post_reply(client, devotion, f"Reply {n}").status_code == 303
    response = post_reply(client, devotion, "The third, kept.")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "Too many attempts in a short time" in page and "The third, kept." in page
    assert Reply.objects.count() == 2


class TestGuests:
    @pytest.fixture(autouse=True)
    def guests_on(self, settings):
        settings.MANNA_GUEST_REPLIES = True
        settings.MANNA_GUEST_MIN_SECONDS = 0

    def form(self, client, devotion):
        page = client.get(f"/devotions/{devotion.slug}/reply/").content.decode()
        fields = dict(re.findall(r'name="(started|submission_key)" value="([^"]+)"', page))
        return {"name": "Guest Gail", "email": "gail@example.org", "body": "Hello.", **fields}

    def test_a_guest_reply_waits_for_approval(self, client, devotion):
        response = client.post(f"/devotions/{devotion.slug}/reply/", self.form(client, devotion))
        assert response.status_code == 303
        reply = Reply.objects.get()
        assert (reply.guest_name, reply.guest_email, reply.status) == (
            "Guest Gail",
            "gail@example.org",
            Status.PENDING,
        )

    def test_the_honeypot_refuses_robots_and_says_why(self, client, devotion):
        data = {**self.form(client, devotion), "website": "http://spam.example"}
        response = client.post(f"/devotions/{devotion.slug}/reply/", data)
        assert response.status_code == 400
        assert "Leave this empty" in response.content.decode()
        assert Reply.objects.count() == 0

    def test_a_form_sent_too_fast_is_refused(self, client, devotion, settings):
        settings.MANNA_GUEST_MIN_SECONDS = 60
        response = client.post(f"/devotions/{devotion.slug}/reply/", self.form(client, devotion))
        assert response.status_code == 400
        assert "That was sent very fast" in response.content.decode()

    def test_without_the_setting_guests_are_sent_to_sign_in(self, client, devotion, settings):
        settings.MANNA_GUEST_REPLIES = False
        response = client.get(f"/devotions/{devotion.slug}/reply/")
        assert response.status_code == 302
        assert response["Location"].startswith("/account/signin/?next=")


def test_deleting_an_account_anonymises_its_replies(devotion, make_user, signed_in):
    ann = make_user("ann")
    reply = approved(devotion, ann, "Still worth reading.")
    Like.objects.create(user=ann, devotion=devotion)
    Flag.objects.create(user=ann, reply=reply, reason="test")
    client = signed_in(ann)
    response = client.post("/account/delete/", {"password": "a long enough passphrase"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.author, reply.guest_name, reply.guest_email, reply.ip) == (None, "", "", None)
    assert reply.author_name == "A former reader"
    assert Like.objects.count() == 0 and Flag.objects.count() == 0
    page = client.get(f"/devotions/{devotion.slug}/").content.decode()
    assert "Still worth reading." in page and "A former reader" in page
    assert "ann@example.org" not in page


def test_the_same_form_sent_again_after_a_rate_limit_still_finds_its_reply(
    devotion, make_user, signed_in, settings
):
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "reply": "1/60"}
    client = signed_in(make_user("ann"))
    first = post_reply(client, devotion, "Stored.", key="k1")
    assert post_reply(client, devotion, "Another.", key="k2").status_code == 429
    again = post_reply(client, devotion, "Stored.", key="k1")
    assert (again.status_code, again["Location"]) == (303, first["Location"])
    assert Reply.objects.count() == 1


def test_reply_times_show_in_the_readers_own_time_zone(devotion, make_user, signed_in):
    reply = approved(devotion, make_user("ann"))
    Reply.objects.filter(pk=reply.pk).update(
        created=dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC)
    )
    tokyo = make_user("ken")
    tokyo.profile.time_zone = "Asia/Tokyo"
    tokyo.profile.save()
    page = signed_in(tokyo).get(f"/devotions/{devotion.slug}/").content.decode()
    assert "25 Nov 2026, 08:30" in page


def test_likes_are_rate_limited(devotion, make_user, signed_in, settings):
    settings.MANNA_RATE_LIMITS = {**settings.MANNA_RATE_LIMITS, "like": "1/60"}
    client = signed_in(make_user("ann"))
    assert client.post(f"/devotions/{devotion.slug}/like/").status_code == 303
    response = client.post(f"/devotions/{devotion.slug}/like/")
    assert response.status_code == 429 and response["Retry-After"]
    assert "Too many attempts" in response.content.decode()
    assert Like.objects.count() == 1


def test_admins_see_replies_in_the_admin(devotion, make_user, signed_in):
    approved(devotion, make_user("ann"), "Seen by the admin.")
    client = signed_in(make_user("root", role=Role.ADMIN))
    assert "Seen by the admin." in client.get("/admin/community/reply/").content.decode()
    assert client.get("/admin/auth/user/").status_code == 200


@pytest.mark.parametrize("value", ["\u00b2", "1\u00b2", "9" * 30, "-1", " ", "1e3", "\u0661"])
def test_an_id_that_cannot_be_one_is_a_404_never_a_500(devotion, make_user, signed_in, value):
    client = signed_in(make_user("ruth"))
    url = f"/devotions/{devotion.slug}/reply/"
    assert client.get(url, {"to": value}).status_code == 404
    assert client.post(url, {"parent": value, "body": "Hello there"}).status_code == 404
    moderator = signed_in(make_user("mo", role=Role.MODERATOR))
    response = moderator.post("/moderation/", {"reply": value, "action": "approve"}, follow=True)
    assert response.status_code == 200
    assert "Choose at least one reply, then an action." in response.content.decode()
