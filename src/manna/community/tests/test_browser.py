"""Replies in a real browser: the XSS corpus runs nowhere, and the moderation flow.

Skipped when Chromium is missing (`make browser` installs it). With MANNA_SCREENSHOTS
set (`make screenshots`) the moderation flow is saved as pictures.
"""

from __future__ import annotations

import contextlib

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client

from manna.accounts.models import Profile, Role
from manna.accounts.services import account_create, account_set_role
from manna.community.models import Reply
from manna.community.services import Poster, reply_post
from manna.community.tests.xss import PAYLOADS
from manna.conftest import SHOTS, needs_chromium, watch
from manna.devotions.models import Devotion

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]
DEVOTION = "/devotions/show-me-your-glory/"


def person(name: str, role: str = Role.READER, display_name: str | None = None):
    try:
        user = account_create(
            email=f"{name}@example.org",
            password="a long enough passphrase",
            display_name=display_name or name.title(),
        )
    except ValidationError:  # a display name the site refuses: nothing stored
        user = account_create(
            email=f"{name}@example.org", password="a long enough passphrase", display_name="R"
        )
    Profile.objects.filter(user=user).update(email_verified=True)
    if role != Role.READER:
        account_set_role(user=user, role=role)
    user.refresh_from_db()
    return user


def signed_in(browser, site, user, width=1280, height=900, **options):
    """A browser context with `user`'s session cookie (`options`: the context's others,
    such as has_touch). No service worker unless `service_workers="allow"`: the tests'
    network cuts (set_offline, routes) do not reach the requests it passes on, so only
    the tests of reading offline (web/tests/test_app.py) run with it."""
    options.setdefault("service_workers", "block")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}]
    )
    return context


def test_no_payload_runs_in_the_browser(browser, site, settings):
    settings.MANNA_MODERATE_FIRST_REPLY = False
    devotion = Devotion.objects.get(slug="show-me-your-glory")
    for n, payload in enumerate(PAYLOADS):
        poster = (
            Poster(user=person(f"reader{n}", display_name=payload))
            if n % 2
            else Poster(guest_name=payload[:60], guest_email=f"guest{n}@example.org")
        )
        with contextlib.suppress(ValidationError):  # a guest name the site refuses
            reply_post(devotion=devotion, body=payload, poster=poster, submission_key=f"k{n}")
    assert Reply.objects.count() >= 100
    moderator = person("mo", Role.MODERATOR)
    named = person("named", display_name='"><img src=x onerror=alert(1)>')
    some = Reply.objects.order_by("pk")[:5]
    pages = [
        (None, DEVOTION),
        (moderator, DEVOTION),
        (moderator, "/moderation/"),
        (named, "/account/"),
        *((moderator, f"/replies/{r.pk}/history/") for r in some),
    ]
    Reply.objects.filter(pk__in=[r.pk for r in some]).update(status=Reply.Status.PENDING)
    for user, path in pages:
        context = signed_in(browser, site, user) if user else browser.new_context()
        page = context.new_page()
        problems = watch(page)
        page.goto(site + path)
        for reply in page.locator("article.reply").all()[:40]:
            reply.hover()  # mouse-over handlers would fire now
        assert problems == [], (path, problems)
        context.close()


def shot(page, name):
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"moderation-{name}.png"), full_page=True)


def test_the_moderation_flow(browser, site):
    reader = person("ruth")
    moderator = person("mo", Role.MODERATOR)

    reading = signed_in(browser, site, reader).new_page()
    problems = watch(reading)
    reading.goto(site + DEVOTION)
    reading.fill("textarea[name=body]", "This brought to mind *Psalm 27:4* and v. 18.")
    reading.click("text=Send the reply")
    assert "waits for a moderator" in reading.inner_text(".messages")
    assert "waiting for approval" in reading.inner_text("article.reply")
    shot(reading, "1-reply-waiting")

    moderating = signed_in(browser, site, moderator).new_page()
    problems += watch(moderating)
    moderating.goto(site + "/moderation/")
    assert "This brought to mind" in moderating.inner_text("table.queue")
    moderating.check("input[name=reply]")
    moderating.select_option("select[name=action]", "approve")
    shot(moderating, "2-queue")
    moderating.click("text=Apply")
    assert "1 reply: approved." in moderating.inner_text(".messages")
    shot(moderating, "3-queue-empty")
    reply = Reply.objects.get()
    moderating.goto(site + f"/replies/{reply.pk}/history/")
    assert "Approved by Mo" in moderating.inner_text("ol.history")
    shot(moderating, "4-history")

    visitor = browser.new_page()
    visitor.goto(site + DEVOTION)
    text = visitor.inner_text(f"#reply-{reply.pk}")
    assert "Ruth" in text and "This brought to mind" in text
    link = visitor.locator(f'#reply-{reply.pk} a.ref[data-osis="Ps.27.4"]')
    link.focus()
    assert link.locator(".ref-preview").is_visible()
    shot(visitor, "5-approved")
    assert problems == []
