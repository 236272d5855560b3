"""Moderators hear of waiting replies (a digest, at most one an hour) and see a count; a
reader whose first reply is approved is told."""

from __future__ import annotations

import pytest
from django.core import mail

from manna.accounts.models import Role
from manna.community.models import Reply
from manna.community.services import moderate
from manna.community.tests.test_replies import post_reply

pytestmark = pytest.mark.django_db


def test_moderators_are_emailed_once_an_hour_and_see_a_count(
    devotion, make_user, signed_in, client, django_capture_on_commit_callbacks
):
    moderator = make_user("mod", role=Role.MODERATOR)
    ann, bob = make_user("ann"), make_user("bob")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(signed_in(ann), devotion, "A first thought.")
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]
    assert mail.outbox[0].subject == "1 reply waits for moderation on Manna"
    assert 'Ann on "Show Me Your Glory": A first thought.' in mail.outbox[0].body
    assert "http://127.0.0.1:8000/moderation/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(signed_in(bob), devotion, "Another.")
    assert len(mail.outbox) == 1  # within the hour: the queue and the count show it
    header = signed_in(moderator).get("/archive/").content.decode()
    assert 'Moderation <span class="count" aria-label="2 waiting">(2)</span>' in header


def test_a_first_reply_approved_is_told_the_next_is_not(
    devotion, make_user, signed_in, django_capture_on_commit_callbacks
):
    moderator = make_user("mod", role=Role.MODERATOR)
    ann = make_user("ann")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(signed_in(ann), devotion, "A first thought.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(replies=Reply.objects.all(), action="approve", moderator=moderator)
    approved = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    assert [m.subject for m in approved] == ['Your reply to "Show Me Your Glory" is published']
    assert "#reply-" in approved[0].body
    # the next reply appears at once: nothing to approve, nothing to tell
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(signed_in(ann), devotion, "A second thought.")
    assert Reply.objects.get(body="A second thought.").status == Reply.Status.APPROVED
    assert [m for m in mail.outbox if "is published" in m.subject] == []
