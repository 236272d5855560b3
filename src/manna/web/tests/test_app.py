"""The installable app in a real browser: its manifest and icons, its service worker, and
reading offline (today's devotion and the last seven days', a chapter opened before), with
nothing private kept past signing out."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from manna.community.tests.test_browser import person, signed_in
from manna.conftest import needs_chromium, wait_for, watch
from manna.devotions.models import Devotion

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def controlled(page, site):
    """Open the site and wait until the service worker runs it."""
    page.goto(site + "/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    wait_for(lambda: page.evaluate("!!navigator.serviceWorker.controller"), what="control")


def kept_paths(page, prefix="manna-"):
    return page.evaluate(
        """async (prefix) => {
            const out = {};
            for (const name of await caches.keys()) {
                if (!name.startsWith(prefix)) continue;
                const keys = await (await caches.open(name)).keys();
                out[name] = keys.map((r) => new URL(r.url).pathname);
            }
            return out;
        }""",
        prefix,
    )


def cut_network(context):
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def test_the_app_installs_with_its_manifest_icons_and_service_worker(browser, site):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    problems = watch(page)
    controlled(page, site)
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(site + href)
    assert manifest.headers["content-type"] == "application/manifest+json"
    body = manifest.json()
    assert (body["display"], body["start_url"], body["scope"]) == ("standalone", "/?from=app", "/")
    sizes = set()
    for icon in body["icons"]:
        image = Image.open(io.BytesIO(page.request.get(site + icon["src"]).body()))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)") == (
        "activated"
    )
    assert problems == []


def test_offline_todays_devotion_the_weeks_and_a_visited_chapter_open(browser, site):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    problems = watch(page)
    controlled(page, site)
    page.goto(site + "/bible/kjv/Exod/33/")
    recent = [d.get_absolute_url() for d in Devotion.objects.all()]
    wait_for(
        lambda: set(recent) <= set(kept_paths(page).get("manna-pages", [])),
        timeout=30,
        what="the week's devotions kept",
    )
    cut_network(context)
    for url in recent[:3]:
        page.goto(site + url)
        assert page.locator("h1").inner_text() == Devotion.objects.get(slug=url.split("/")[2]).title
        assert page.locator("a.ref").count() > 0  # with their references' previews
        assert page.locator(".offline-notice").is_visible()
    page.goto(site + "/bible/kjv/Exod/33/?mark=18")
    assert "Exodus 33" in page.locator("h1").inner_text()
    page.goto(site + "/series/")  # never opened
    assert page.locator("h1").inner_text() == "You are offline"
    assert [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p] == []


def test_nothing_private_is_kept_for_anyone_else_and_signing_out_clears_it(browser, site):
    ruth = person("ruth")
    context = signed_in(
        browser, site, ruth, 390, 844, has_touch=True, is_mobile=True, service_workers="allow"
    )
    page = context.new_page()
    controlled(page, site)
    page.goto(site + "/practice/journal/")
    wait_for(
        lambda: any(
            "/practice/journal/" in paths
            for name, paths in kept_paths(page).items()
            if name.startswith("manna-private-")
        ),
        what="the journal kept for Ruth",
    )
    assert "/practice/journal/" not in kept_paths(page).get("manna-pages", [])
    page.get_by_role("button", name="Menu").tap()
    page.get_by_role("button", name="Sign out").tap()
    page.wait_for_url(site + "/")
    wait_for(
        lambda: not any(n.startswith("manna-private-") for n in kept_paths(page)),
        what="Ruth's pages forgotten",
    )
    cut_network(context)
    page.goto(site + "/practice/journal/")
    assert page.locator("h1").inner_text() == "You are offline"


def test_an_emails_link_and_the_accounts_pages_are_never_kept(browser, site):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    controlled(page, site)
    page.goto(site + "/subscribe/")
    page.goto(site + "/account/signin/")
    page.goto(site + "/devotions/show-me-your-glory/")
    wait_for(
        lambda: "/devotions/show-me-your-glory/" in kept_paths(page).get("manna-pages", []),
        what="the devotion kept",
    )
    kept = {path for paths in kept_paths(page).values() for path in paths}
    assert "/subscribe/" not in kept and "/account/signin/" not in kept
