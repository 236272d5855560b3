"""The devotion page from its kept skeleton: the readers' own parts (header, depth form,
invitation, replies) put in are the page rendered whole for them, whoever they are."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages

from manna.accounts.models import Role
from manna.community.services import Poster, reply_post
from manna.devotions import views

pytestmark = pytest.mark.django_db
PAGE = "/devotions/show-me-your-glory/"


def _whole(client, path: str, monkeypatch) -> str:
    """The page rendered whole, as before the skeleton."""
    monkeypatch.setattr(views, "_reader_parts", lambda request, context: None)
    page = client.get(path).content.decode()
    monkeypatch.undo()
    return page


def _mine_out(html: str) -> str:
    """The page with this request's CSRF tokens and submission key taken out."""
    html = re.sub(r'csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', "TOKEN", html)
    return re.sub(r'name="submission_key" value="[\w-]{32}"', "KEY", html)


@pytest.mark.parametrize("path", [PAGE, f"{PAGE}?depth=study", "/"])
def test_from_the_skeleton_each_reader_gets_the_page_rendered_whole_for_them(
    client, devotion, make_user, monkeypatch, path
):
    ruth, sam, ann = make_user("ruth", role=Role.MODERATOR), make_user("sam"), make_user("ann")
    reply_post(devotion=devotion, body="Amen.", poster=Poster(user=sam), submission_key="k1")
    for reader in (None, ann, sam, ruth):  # anonymous, no stake, a waiting reply, moderates
        client.logout()
        if reader is not None:
            client.force_login(reader)
        kept = client.get(path).content.decode()
        assert _mine_out(kept) == _mine_out(_whole(client, path, monkeypatch)), reader
        assert "\x00" not in kept
    assert "Ruth" in kept and "Delete</a>" in kept  # the moderator's own parts


def test_the_skeleton_holds_nothing_of_the_reader_it_was_built_for(
    client, devotion, make_user, monkeypatch
):
    built = []
    skeleton = views._skeleton

    def counted(*args):
        built.append(1)
        return skeleton(*args)

    monkeypatch.setattr(views, "_skeleton", counted)
    client.force_login(make_user("zebulun"))
    assert "Zebulun" in client.get(PAGE).content.decode()
    client.force_login(make_user("naomi"))
    page = client.get(PAGE).content.decode()
    assert built == [1]  # kept: the second reader's page came from the first one's skeleton
    assert "Naomi" in page and "Zebulun" not in page


def test_a_waiting_message_or_a_writer_gets_the_page_rendered_whole(
    client, devotion, make_user, monkeypatch
):
    monkeypatch.setattr(views, "_skeleton", lambda *args: pytest.fail("no skeleton here"))
    client.force_login(make_user("writer", role=Role.AUTHOR))
    assert "staff-bar" in client.get(PAGE).content.decode()
    client.force_login(make_user("ann"))
    session_page = client.get("/practice/")  # any page: a message for the next one

    def add_message(request):
        messages.info(request, "Saved, thank you.")

    request = session_page.wsgi_request
    add_message(request)
    request._messages.update(session_page)
    client.cookies.update(session_page.cookies)
    page = client.get(PAGE).content.decode()
    assert "Saved, thank you." in page
