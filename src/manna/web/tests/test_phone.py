"""Manna in the reader's hand: a 390 px touch screen (and 320 px, the narrowest phones),
in headless Debian Chromium. A tap opens a reference's card without leaving the page, the
Bible page offers the way back, the header is one row, and no page is wider than the
screen."""

from __future__ import annotations

import pytest

from manna.community.tests.test_browser import person, signed_in
from manna.conftest import SHOTS, needs_chromium, watch
from manna.web.tests.pages import ANYONE, READER

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DEVOTION = "/devotions/show-me-your-glory/"


def phone(browser, width=390):
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 844}})
    page = context.new_page()
    return page, watch(page)


def test_a_tap_opens_the_card_a_second_follows_and_elsewhere_closes(browser, site):
    page, problems = phone(browser)
    page.goto(site + DEVOTION)
    link = page.locator('a.ref[data-osis="Exod.33.2"]').first
    card = link.locator(".ref-preview")
    link.tap()
    assert page.url == site + DEVOTION  # the address does not change
    assert card.is_visible()
    assert "Open in the Bible" in card.inner_text()
    page.locator("h1").tap()  # elsewhere
    assert not card.is_visible()
    link.tap()
    assert card.is_visible()
    card.locator(".ref-preview-follow").tap()
    page.wait_for_url("**/bible/kjv/Exod/33/**")
    assert problems == []


def test_the_bible_page_offers_the_way_back_to_the_place(browser, site):
    page, problems = phone(browser)
    page.goto(site + DEVOTION)
    link = page.locator('a.ref[data-osis="Exod.33.2"]').first
    link.tap()
    link.tap()
    page.wait_for_url("**/bible/kjv/Exod/33/**")
    back = page.locator(".way-back a")
    assert back.inner_text() == "← Back to Show Me Your Glory"
    back.tap()
    page.wait_for_url(site + DEVOTION + "#*")
    assert page.evaluate("document.activeElement.dataset.osis") == "Exod.33.2"
    assert problems == []


def test_the_header_is_one_row_with_a_menu(browser, site):
    page, problems = phone(browser)
    page.goto(site + DEVOTION)
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 70
    assert not page.locator("#site-menu").is_visible()
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    archive = page.locator("#site-menu").get_by_role("link", name="Archive")
    assert archive.is_visible()
    box = archive.bounding_box()
    assert box is not None and box["height"] >= 44  # a finger's size
    page.keyboard.press("Escape")
    assert not page.locator("#site-menu").is_visible()
    assert problems == []


def test_without_scripts_the_menu_is_simply_there(browser, site):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + DEVOTION)
    assert page.locator("#site-menu").get_by_role("link", name="Archive").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()


@pytest.mark.parametrize("width", [390, 320])
def test_no_page_is_wider_than_the_screen(browser, site, width):
    page, problems = phone(browser, width)
    wide = []
    for path in ANYONE:
        page.goto(site + path)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            wide.append(path)
    page.close()
    ruth = person("ruth")
    context = signed_in(browser, site, ruth, width, 844, has_touch=True, is_mobile=True)
    page = context.new_page()
    problems += watch(page)
    for path in READER:
        page.goto(site + path)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            wide.append(path)
    assert wide == []
    assert problems == []


@pytest.mark.parametrize("path", ["/account/signup/", "/subscribe/"])
def test_the_time_zone_comes_from_the_browser_and_stays_editable(browser, site, path):
    context = browser.new_context(**PHONE, timezone_id="America/New_York")
    page = context.new_page()
    problems = watch(page)
    page.goto(site + path)
    field = page.locator("#id_time_zone")
    assert field.input_value() == "America/New_York"
    assert field.get_attribute("list") == "time-zones"  # a list to search as one types
    assert page.locator("#time-zones option[value='Asia/Tokyo']").count() == 1
    field.fill("Europe/Paris")
    assert field.input_value() == "Europe/Paris"
    assert problems == []


def test_text_size_and_theme_are_chosen_and_remembered(browser, site):
    page, problems = phone(browser)
    page.goto(site + DEVOTION)
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    background = "getComputedStyle(document.documentElement).backgroundColor"
    usual, light = page.evaluate(size), page.evaluate(background)
    page.get_by_role("button", name="Larger text").tap()
    assert page.evaluate(size) > usual
    page.get_by_role("button", name="Dark").tap()
    assert page.get_by_role("button", name="Dark").get_attribute("aria-pressed") == "true"
    dark = page.evaluate(background)
    assert dark != light
    page.goto(site + "/archive/")  # remembered, from the first paint
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) == dark and page.evaluate(size) > usual
    page.get_by_role("button", name="System").tap()
    page.get_by_role("button", name="Smaller text").tap()
    assert page.evaluate(background) == light and page.evaluate(size) == usual
    assert problems == []


def test_share_copies_the_link_where_there_is_no_share_sheet(browser, site):
    context = browser.new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    problems = watch(page)
    page.goto(site + DEVOTION)
    if page.evaluate("!!navigator.share"):
        pytest.skip("this browser has a share sheet: nothing to copy")
    page.get_by_role("button", name="Share").tap()
    page.wait_for_selector("text=The link is copied.")
    assert page.evaluate("navigator.clipboard.readText()") == site + DEVOTION
    assert problems == []


@pytest.mark.skipif(SHOTS is None, reason="set MANNA_SCREENSHOTS=DIR (make screenshots)")
def test_phone_screenshots(browser, site):
    """The home page, a devotion and a reference's card at 390 px (the practice pages'
    are taken by practice/tests/test_browser.py)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, problems = phone(browser)
    page.goto(site + "/")
    page.screenshot(path=str(SHOTS / "phone-home.png"), full_page=True)
    page.goto(site + DEVOTION)
    page.screenshot(path=str(SHOTS / "phone-devotion.png"), full_page=True)
    link = page.locator('a.ref[data-osis="Exod.33.2"]').first
    link.scroll_into_view_if_needed()
    link.tap()
    page.screenshot(path=str(SHOTS / "phone-preview-card.png"))
    page.get_by_role("button", name="Menu").tap()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "phone-menu.png"))
    assert problems == []
