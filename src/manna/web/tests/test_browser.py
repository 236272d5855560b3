"""A real browser: headless Debian Chromium driven by Playwright against a live server.

Skipped (with the reason) when Chromium is not installed; `make browser` installs it and
runs these, and `make screenshots` writes the pages at desktop and phone widths.
"""

import pytest

from manna.conftest import SHOTS, needs_chromium, open_page

PAGES = {
    "home": "/",
    "devotion": "/devotions/show-me-your-glory/",
    "reader": "/bible/kjv/Exod/33/?parallel=web",
    "scripture-index": "/scripture/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def test_focusing_a_reference_shows_its_preview(browser, site):
    page, problems = open_page(browser, site + PAGES["devotion"])
    link = page.locator('a.ref[data-osis="Exod.33.2"]')
    preview = link.locator(".ref-preview")
    assert not preview.is_visible()
    link.focus()
    assert preview.is_visible()
    assert preview.inner_text().startswith("Exodus 33:2")
    page.keyboard.press("Escape")
    assert not preview.is_visible()
    assert problems == []


def test_a_reference_is_a_plain_link_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + PAGES["devotion"])
    page.locator('a.ref[data-osis="Isa.43.1-Isa.43.2"]').click()
    assert page.url == site + "/bible/kjv/Isa/43/?mark=1-2#v1"
    assert page.locator("#v1").is_visible()


@pytest.mark.skipif(SHOTS is None, reason="set MANNA_SCREENSHOTS=DIR (make screenshots)")
def test_screenshots(browser, site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES.items():
        for label, (width, height) in WIDTHS.items():
            page, problems = open_page(browser, site + path, width, height)
            page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
            assert problems == [], (name, label, problems)


def test_switching_depth_keeps_the_readers_place(browser, site):
    page, problems = open_page(browser, site + PAGES["devotion"] + "?depth=study", 1280, 700)
    page.locator("h2", has_text="Questions").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -10)")
    page.locator("a.depth-link[data-depth=walk]").click()
    page.wait_for_load_state()
    assert "depth=walk#at-" in page.url
    mark = page.url.split("#")[1]
    assert page.locator(f"#{mark}").get_attribute("data-depth") in ("glimpse", "walk")
    assert page.evaluate("window.scrollY") > 500  # not back at the top
    assert page.locator("text=Going deeper").count() == 0
    assert problems == []


@pytest.mark.skipif(SHOTS is None, reason="set MANNA_SCREENSHOTS=DIR (make screenshots)")
def test_depth_screenshots(browser, site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for depth in ("glimpse", "walk", "study"):
        page, problems = open_page(browser, f"{site}{PAGES['devotion']}?depth={depth}")
        page.screenshot(path=str(SHOTS / f"depth-{depth}.png"), full_page=True)
        assert problems == [], (depth, problems)
