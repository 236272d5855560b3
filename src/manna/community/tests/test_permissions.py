"""The permission matrix: every view x every kind of visitor x GET and POST.

Kinds: anonymous; "owner", the reader who wrote the reply the row acts on; "other", a
second reader; the devotion's author; a moderator; an admin. POSTs send an empty form,
so a form a person may use answers 400 (shown again with its errors), an action 303.
302 is a redirect (to sign in, for anonymous visitors). The rule throughout: an object
one may not see is 404, one one may see but not change is 403, a wrong method is 405.
"""

from __future__ import annotations

import pytest

from manna.accounts.models import Role
from manna.community.models import Reply
from manna.community.services import Poster, reply_post
from manna.devotions.models import Devotion

KINDS = ["anon", "owner", "other", "author", "mod", "admin"]


def same(get: int, post: int) -> dict[str, tuple[int, int]]:
    return {kind: (get, post) for kind in KINDS}


def signed(anon: tuple[int, int], others: tuple[int, int], **special: tuple[int, int]):
    table = {kind: others for kind in KINDS}
    table["anon"] = anon
    table.update(special)
    return table


LOGIN = (302, 302)
MODS = {"mod": (200, 303), "admin": (200, 303)}

MATRIX: list[tuple[str, str, dict[str, tuple[int, int]]]] = [
    # Public pages: everyone reads; nothing is posted to them.
    ("home", "/", same(200, 405)),
    ("devotion", "/devotions/{slug}/", same(200, 405)),
    (
        "draft",
        "/devotions/draft-one/",
        signed((404, 405), (404, 405), author=(200, 405), mod=(200, 405), admin=(200, 405)),
    ),
    ("archive", "/archive/", same(200, 405)),
    ("series list", "/series/", same(200, 405)),
    ("scripture index", "/scripture/", same(200, 405)),
    ("rss", "/feeds/rss.xml", same(200, 405)),
    ("atom", "/feeds/atom.xml", same(200, 405)),
    ("sitemap", "/sitemap.xml", same(200, 405)),
    ("bible index", "/bible/", same(200, 405)),
    ("bible chapter", "/bible/kjv/Exod/33/", same(200, 405)),
    ("search", "/search/?q=glory", same(200, 405)),
    # Accounts.
    ("sign up", "/account/signup/", signed((200, 400), (302, 302))),
    ("sign in", "/account/signin/", same(200, 400)),
    ("sign out", "/account/signout/", same(405, 302)),
    ("verify", "/account/verify/not-a-token/", same(400, 405)),
    ("verify again", "/account/verify-again/", signed((405, 302), (405, 302))),
    ("account", "/account/", signed(LOGIN, (200, 400))),
    ("delete account", "/account/delete/", signed(LOGIN, (200, 400))),
    ("password change", "/account/password/", signed(LOGIN, (200, 400))),
    ("password reset", "/account/password/reset/", same(200, 400)),
    ("password reset sent", "/account/password/reset/sent/", same(200, 405)),
    ("unsubscribe", "/unsubscribe/not-a-token/", same(400, 400)),
    # Replies and likes.
    ("reply", "/devotions/{slug}/reply/", signed(LOGIN, (200, 400))),
    ("answer", "/devotions/{slug}/reply/?to={reply}", signed(LOGIN, (200, 400))),
    (
        "reply to a draft",
        "/devotions/draft-one/reply/",
        signed((404, 404), (404, 404), author=(200, 400), mod=(200, 400), admin=(200, 400)),
    ),
    ("like devotion", "/devotions/{slug}/like/", signed((405, 302), (405, 303))),
    ("edit reply", "/replies/{reply}/edit/", signed(LOGIN, (403, 403), owner=(200, 400))),
    (
        "edit waiting reply",
        "/replies/{pending}/edit/",
        signed(LOGIN, (404, 404), owner=(200, 400), mod=(403, 403), admin=(403, 403)),
    ),
    ("edit missing reply", "/replies/999999/edit/", signed(LOGIN, (404, 404))),
    (
        "delete reply",
        "/replies/{reply}/delete/",
        signed(LOGIN, (403, 403), owner=(200, 303), **MODS),
    ),
    ("like reply", "/replies/{reply}/like/", signed((405, 302), (405, 303))),
    (
        "like waiting reply",
        "/replies/{pending}/like/",
        signed((405, 302), (405, 404), owner=(405, 403), mod=(405, 403), admin=(405, 403)),
    ),
    ("flag reply", "/replies/{reply}/flag/", signed(LOGIN, (200, 400))),
    (
        "reply history",
        "/replies/{reply}/history/",
        signed((302, 405), (403, 405), mod=(200, 405), admin=(200, 405)),
    ),
    ("moderation", "/moderation/", signed(LOGIN, (403, 403), **MODS)),
]


@pytest.fixture
def world(devotion, make_user, site_store):
    people = {
        "owner": make_user("owner"),
        "other": make_user("other"),
        "author": make_user("author", role=Role.AUTHOR),
        "mod": make_user("mod", role=Role.MODERATOR),
        "admin": make_user("admin", role=Role.ADMIN),
    }
    owner = Poster(user=people["owner"])
    reply, _ = reply_post(devotion=devotion, body="Mine.", poster=owner, submission_key="a")
    Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.APPROVED)
    pending, _ = reply_post(devotion=devotion, body="Waiting.", poster=owner, submission_key="b")
    Reply.objects.filter(pk=pending.pk).update(status=Reply.Status.PENDING)
    draft = Devotion.objects.get(pk=devotion.pk)
    draft.pk, draft.slug, draft.status = None, "draft-one", Devotion.DRAFT
    draft.date = draft.date.replace(year=draft.date.year - 1)
    draft.save()
    ids = {"slug": devotion.slug, "reply": reply.pk, "pending": pending.pk}
    return people, ids


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("name", "path", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_permission_matrix(client, world, kind, name, path, expected):
    people, ids = world
    if kind != "anon":
        client.force_login(people[kind])
    url = path.format(**ids)
    got = (client.get(url).status_code, client.post(url).status_code)
    assert got == expected[kind], f"{name} as {kind}: GET, POST"
