"""The desk in a real browser (headless Debian Chromium): an author writes, previews before
any save, saves a draft, schedules it, edits, restores an earlier text, and loses no word
when the network goes while typing. With MANNA_SCREENSHOTS set (`make screenshots`) the
desk, the editor with a problem and the history are saved as pictures."""

from __future__ import annotations

import pytest

from manna.accounts.models import Role
from manna.community.tests.test_browser import person, signed_in
from manna.conftest import SHOTS, needs_chromium, watch
from manna.devotions.models import Devotion

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]

TEXT = """---
title: Seen From the Cleft
passage: Exodus 33:12-23
date: 2026-12-10
---

Moses is sent on (see v.2), and asks for more.
"""


def shot(page, name):
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"desk-{name}.png"), full_page=True)


def test_an_author_writes_previews_saves_schedules_and_restores(browser, site):
    author = person("ruth", Role.AUTHOR)
    context = signed_in(browser, site, author)
    page = context.new_page()
    problems = watch(page)
    page.goto(site + "/write/new/")
    page.locator("#source").fill(TEXT)
    # the preview renders as you type, before any save: "see v.2" is Exodus 33:2, as a card
    card = page.locator('#preview details[open] a.ref[data-osis="Exod.33.2"] .ref-preview')
    card.wait_for(state="attached", timeout=15_000)
    assert "And I will send an angel before thee" in card.inner_text()
    assert not Devotion.objects.filter(slug="seen-from-the-cleft").exists()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(site + "/write/seen-from-the-cleft/")
    assert "Saved as a draft: only authors see it." in page.content()
    visitor = browser.new_page()
    assert visitor.goto(site + "/devotions/seen-from-the-cleft/").status == 404
    # schedule it
    page.locator("input[name=schedule_on]").fill("2026-12-10")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_load_state()
    assert "Scheduled for Thursday 10 December" in page.content()
    assert visitor.goto(site + "/devotions/seen-from-the-cleft/").status == 404
    # edit, then restore the text before the edit
    page.locator("#source").fill(TEXT.replace("asks for more", "asks to see glory"))
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    assert "asks to see glory" in Devotion.objects.get(slug="seen-from-the-cleft").source
    page.goto(site + "/write/seen-from-the-cleft/history/")
    shot(page, "history")
    page.get_by_role("button", name="Restore this text").first.click()
    page.wait_for_load_state()
    assert "asks for more" in Devotion.objects.get(slug="seen-from-the-cleft").source
    page.goto(site + "/write/")
    shot(page, "desk")
    assert problems == []


def test_a_problem_is_shown_beside_its_line_and_jumps_to_it(browser, site):
    context = signed_in(browser, site, person("ruth", Role.AUTHOR))
    page = context.new_page()
    problems = watch(page)
    page.goto(site + "/write/new/")
    page.locator("#source").fill(TEXT.replace("see v.2", "see Exodus 41:2"))
    link = page.locator('#problems a[data-line="7"]')
    link.wait_for(timeout=15_000)
    assert "Exodus has 40 chapters" in page.locator("#problems").inner_text()
    shot(page, "editor-problem")
    link.click()
    selected = page.evaluate(
        "(() => { const s = document.getElementById('source');"
        " return s.value.slice(s.selectionStart, s.selectionEnd); })()"
    )
    assert "Exodus 41:2" in selected
    assert problems == []


def test_words_typed_with_the_network_gone_are_not_lost(browser, site):
    context = signed_in(browser, site, person("ruth", Role.AUTHOR))
    page = context.new_page()
    page.goto(site + "/write/new/")
    page.locator("#source").fill(TEXT)
    context.set_offline(True)
    page.locator("#source").press("Control+End")
    page.locator("#source").press_sequentially("Written with the network gone.", delay=5)
    context.set_offline(False)
    # the tab is gone; the next visit offers the words back
    page.close()
    again = context.new_page()
    again.goto(site + "/write/new/")
    again.get_by_role("button", name="Put it back in the editor").click()
    assert "Written with the network gone." in again.locator("#source").input_value()
