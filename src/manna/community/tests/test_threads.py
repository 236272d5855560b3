"""What anonymous readers see of a devotion's replies is kept under its thread_version, and
every write that changes it moves that on: the next anonymous page shows the change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manna.accounts.services import account_delete, profile_update
from manna.community.models import Reply
from manna.community.services import (
    ImportedReply,
    Poster,
    like_toggle,
    moderate,
    replies_import,
    reply_post,
)
from manna.devotions.models import Devotion

pytestmark = pytest.mark.django_db
PAGE = "/devotions/show-me-your-glory/"


def anonymous_page(client) -> str:
    client.logout()
    return client.get(PAGE).content.decode()


def post(devotion, user, body: str, key: str) -> Reply:
    reply, _ = reply_post(
        devotion=devotion, body=body, poster=Poster(user=user), submission_key=key
    )
    return reply


def version(devotion) -> int:
    return Devotion.objects.get(pk=devotion.pk).thread_version


def test_anonymous_readers_share_the_kept_replies_until_the_thread_changes(
    client, devotion, make_user
):
    ruth = make_user("ruth", role="moderator")
    assert "No replies yet." in anonymous_page(client)
    with CaptureQueriesContext(connection) as queries:
        anonymous_page(client)
    assert not any("community_reply" in q["sql"] for q in queries.captured_queries)
    post(devotion, ruth, "Amen to that.", "k1")
    assert "Amen to that." in anonymous_page(client)
    like_toggle(user=ruth, devotion=devotion)
    assert "♥ 1" in anonymous_page(client)
    like_toggle(user=ruth, devotion=devotion)
    assert "♥ 0" in anonymous_page(client)


def test_moderation_an_admin_change_and_a_rename_show_at_once(client, devotion, make_user):
    ruth, boaz = make_user("ruth", role="moderator"), make_user("boaz")
    held = post(devotion, boaz, "A first reply.", "k1")  # a first reply waits
    assert "A first reply." not in anonymous_page(client)
    moderate(replies=[held], action="approve", moderator=ruth)
    assert "A first reply." in anonymous_page(client)
    held.refresh_from_db()
    held.body_html = "<p>Changed in the admin.</p>"
    held.save()
    assert "Changed in the admin." in anonymous_page(client)
    profile_update(user=boaz, display_name="Boaz of Bethlehem", time_zone="UTC")
    assert "Boaz of Bethlehem" in anonymous_page(client)


def test_bulk_writes_move_the_thread_on_too(client, devotion, make_user):
    boaz = make_user("boaz")
    before = version(devotion)
    replies_import(
        replies=[
            (
                devotion,
                [
                    ImportedReply(
                        key="wp-1",
                        body="Imported words.",
                        status=Reply.Status.APPROVED,
                        created=dt.datetime(2025, 1, 6, tzinfo=dt.UTC),
                        guest_name="Naomi",
                        guest_email="naomi@example.org",
                    )
                ],
            )
        ]
    )
    assert version(devotion) > before
    assert "Imported words." in anonymous_page(client)
    post(devotion, make_user("ruth", role="moderator"), "Hello.", "k2")
    like_toggle(user=boaz, devotion=devotion)
    before = version(devotion)
    account_delete(user=boaz)  # their like goes
    assert version(devotion) > before
    assert "♥ 0" in anonymous_page(client)


def test_each_signed_in_page_has_its_own_reply_form_key(client, devotion, make_user):
    import re

    from manna.community.forms import ReplyForm

    client.force_login(make_user("ruth"))
    keys = re.findall(
        r'name="submission_key" value="([^"]+)"',
        client.get(PAGE).content.decode() + client.get(PAGE).content.decode(),
    )
    assert len(keys) == 2
    assert keys[0] != keys[1]
    page = client.get(PAGE).content.decode()
    form = str(ReplyForm(initial={"submission_key": "K"}).as_div())
    before, after = form.split('value="K"')
    assert before in page and after in page  # Django's own rendering of the form
