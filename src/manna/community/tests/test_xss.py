"""No reader's input ever becomes markup: replies, names, guest names and profiles."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from manna.accounts.models import Profile, Role
from manna.accounts.services import account_create
from manna.community.models import Reply
from manna.community.services import Poster, reply_post
from manna.community.tests.xss import PAYLOADS, unsafe_markup
from manna.markup import render_reply
from manna.scripture import parse_reference


def test_the_corpus_is_large_and_the_inspector_catches_markup():
    assert len(PAYLOADS) >= 100
    assert unsafe_markup("<p>Hello <a href='/bible/kjv/John/3/'>x</a></p>") == []
    assert unsafe_markup("<img src=x onerror=alert(1)>") == ["<img onerror=...>"]
    assert unsafe_markup('<a href="java\tscript:alert(1)">x</a>') == [
        "<a href='java\\tscript:alert(1)'>"
    ]
    assert unsafe_markup("<svg><script>alert(1)</script></svg>") == [
        "<svg> element",
        "<script> element",
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_renders_inert(payload, store):
    rendered = render_reply(
        payload, store=store, translation="kjv", context=parse_reference("Exodus 33:12-23")
    )
    assert unsafe_markup(rendered.html) == []


@pytest.mark.django_db
def test_payloads_as_replies_names_and_guests_are_inert_on_every_page(client, devotion, settings):
    settings.MANNA_MODERATE_FIRST_REPLY = False
    stored = 0
    for n, payload in enumerate(PAYLOADS):
        try:
            user = account_create(
                email=f"reader{n}@example.org", password="a long enough pass", display_name=payload
            )
        except ValidationError:
            user = account_create(
                email=f"reader{n}@example.org", password="a long enough pass", display_name="R"
            )
        Profile.objects.filter(user=user).update(email_verified=True)
        user.refresh_from_db()
        poster = (
            Poster(user=user)
            if n % 2
            else Poster(guest_name=payload[:60] or "G", guest_email=f"g{n}@example.org")
        )
        try:
            reply_post(devotion=devotion, body=payload, poster=poster, submission_key=f"x{n}")
            stored += 1
        except ValidationError:
            pass  # refused (a guest name with control characters): nothing stored
    assert stored >= 100
    Reply.objects.update(status=Reply.Status.APPROVED)
    for reply in Reply.objects.all():
        assert unsafe_markup(reply.body_html) == [], reply.body
    moderator = account_create(
        email="mo@example.org", password="a long enough pass", display_name="Mo"
    )
    from manna.accounts.services import account_set_role

    account_set_role(user=moderator, role=Role.MODERATOR)
    Reply.objects.filter(pk__in=Reply.objects.values("pk")[:60]).update(status=Reply.Status.PENDING)
    client.force_login(moderator)
    pages = [f"/devotions/{devotion.slug}/", "/moderation/"]
    pages += [f"/replies/{r.pk}/history/" for r in Reply.objects.all()[:20]]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert unsafe_markup(response.content.decode()) == [], path
