"""What anonymous readers see of a devotion's replies is kept under its thread_version, and
every write that changes it moves that on: the next anonymous page shows the change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manna.accounts.models import Profile
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


def _replies_section(page: str) -> str:
    start = page.index('<section class="community"')
    return page[start : page.index("</section>", start)]


def _slow_path(client, monkeypatch):
    """The page as it was built for every signed-in reader before the kept replies."""
    from manna.community import selectors

    monkeypatch.setattr(selectors, "reader_stake", lambda **kwargs: (True, False))
    page = client.get(PAGE).content.decode()
    monkeypatch.undo()
    return page


def test_readers_with_no_stake_share_kept_replies_identical_to_their_own(
    client, devotion, make_user, monkeypatch
):
    import re

    from manna.community.templatetags import community

    ruth, ann = make_user("ruth", role="moderator"), make_user("ann")
    first = post(devotion, ruth, "Amen to that.", "k1")
    guest, _ = reply_post(
        devotion=devotion,
        body="A guest's word.",
        poster=Poster(guest_name="Guest", guest_email="g@example.org"),
        submission_key="k2",
    )
    moderate(replies=[guest], action="approve", moderator=ruth)
    like_toggle(user=ruth, reply=first)
    like_toggle(user=ann, devotion=devotion)
    client.force_login(ann)  # no reply of hers, no reply liked: the kept replies
    built = []
    build = community._render

    def counted(*args):
        built.append(args[0])
        return build(*args)

    monkeypatch.setattr(community, "_render", counted)
    kept = _replies_section(client.get(PAGE).content.decode())
    assert built == [community._ANY_READER]
    with CaptureQueriesContext(connection) as queries:
        again = _replies_section(client.get(PAGE).content.decode())
    assert len(built) == 1  # the second page: kept, not built
    asked = [q["sql"] for q in queries.captured_queries if "community_" in q["sql"]]
    assert len(asked) == 1 and "EXISTS" in asked[0]  # her stake only: no thread, no count
    tom = make_user("tom")  # as Ann, but in another time zone: his own kept replies
    Profile.objects.filter(user=tom).update(time_zone="Pacific/Auckland")
    like_toggle(user=tom, devotion=devotion)
    ann_again = _replies_section(client.get(PAGE).content.decode())  # liked by 2 now: rebuilt
    client.force_login(tom)
    in_auckland = _replies_section(client.get(PAGE).content.decode())
    assert len(built) == 3 and "♥ 2 · you liked this" in in_auckland
    when = re.compile(r"<time datetime[^>]*>([^<]*)</time>")
    assert when.findall(in_auckland) != when.findall(ann_again)  # his hours, not hers
    client.force_login(ann)
    kept, again = (_replies_section(client.get(PAGE).content.decode()) for _ in range(2))
    assert len(built) == 3
    own = _replies_section(_slow_path(client, monkeypatch))

    def mine(html: str) -> str:  # this request's CSRF token and submission key taken out
        html = re.sub(r'csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', "TOKEN", html)
        return re.sub(r'name="submission_key" value="[\w-]{32}"', "KEY", html)

    assert mine(kept) == mine(again) == mine(own)
    assert "you liked this" in kept and "Guest" in kept and "Flag</a>" in kept
    assert "\x00" not in kept and kept != again  # each page its own token and key
    token = re.search(r'csrfmiddlewaretoken" value="(\w+)"', kept).group(1)
    client_with_csrf = client.__class__(enforce_csrf_checks=True)
    client_with_csrf.force_login(ann)
    client_with_csrf.cookies["csrftoken"] = client.cookies["csrftoken"].value
    liked = client_with_csrf.post(
        f"/devotions/{devotion.slug}/like/", {"csrfmiddlewaretoken": token}
    )
    assert liked.status_code in (302, 303)  # the kept page's token is this reader's


def test_a_reader_with_a_stake_in_the_thread_gets_their_own_replies(client, devotion, make_user):
    ruth, sam = make_user("ruth", role="moderator"), make_user("sam")
    first = post(devotion, ruth, "Amen to that.", "k1")
    client.force_login(sam)
    assert "Edit</a>" not in client.get(PAGE).content.decode()
    like_toggle(user=sam, reply=first)
    page = client.get(PAGE).content.decode()
    assert 'aria-pressed="true">♥ 1 · you liked this' in page
    post(devotion, sam, "My own word.", "k2")
    page = client.get(PAGE).content.decode()
    assert "My own word." in page and "Edit</a>" in page
    client.force_login(ruth)  # a moderator: Delete on every reply
    assert client.get(PAGE).content.decode().count("Delete</a>") == 2


def test_kept_replies_built_by_one_process_are_filled_by_another(client, devotion, make_user):
    """With a shared cache one server builds the kept replies and another serves them: the
    stand-ins must be the same in every process (reloading the module is a new process)."""
    import importlib
    import re

    from manna.community.templatetags import community

    client.force_login(make_user("ann"))
    assert "\x00" not in client.get(PAGE).content.decode()  # built here
    try:
        importlib.reload(community)  # the next server's own module
        page = client.get(PAGE).content.decode()  # kept: filled by that module
    finally:
        importlib.reload(community)
    assert "\x00" not in page
    assert re.search(r'csrfmiddlewaretoken" value="\w{64}"', page)
    assert re.search(r'name="submission_key" value="[\w-]{32}"', page)
