"""The edition from a reader's side, in a real browser (headless Chromium) and a real SMTP
server: subscribe, confirm from the email received, get the edition at the hour chosen,
unsubscribe in one click, get nothing after."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request

import pytest

from manna.conftest import needs_chromium, watch
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text
from manna.edition import delivery
from manna.edition.models import Subscriber

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_subscribe_confirm_receive_and_unsubscribe(browser, site, smtp_sink):
    page = browser.new_page()
    problems = watch(page)
    page.goto(site + "/devotions/show-me-your-glory/")
    page.locator("#subscribe-email").fill("ruth@example.org")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(re.compile(r".*/subscribe/\?email=.*"))
    page.locator("#id_send_at").fill("06:30")
    page.locator("#id_time_zone").fill("Europe/London")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    assert "Check your inbox" in page.content()
    [confirmation] = smtp_sink.messages
    link = re.search(
        r"http://127\.0\.0\.1:8000(/subscribe/confirm/\S+)", confirmation.get_content()
    )
    assert link is not None
    page.goto(site + link.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert "You are subscribed" in page.content()
    # as if confirmed yesterday noon: the day's edition comes at 06:30 London time, once
    Subscriber.objects.update(confirmed=at("2026-11-23 12:00"))
    assert delivery.send_editions(at("2026-11-24 06:29")).sent == 0
    assert delivery.send_editions(at("2026-11-24 06:31")).sent == 1
    assert delivery.send_editions(at("2026-11-24 06:40")).sent == 0
    edition = smtp_sink.messages[-1]
    assert str(edition["Subject"]) == "Show Me Your Glory (Exodus 33:12-23)"
    assert edition["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the mail client's one click: a POST, no session, no form
    header = re.sub(r"\s+", "", str(edition["List-Unsubscribe"]))  # unfolded
    address = re.fullmatch(r"<http://127\.0\.0\.1:8000(/\S+)>", header)
    assert address is not None
    request = urllib.request.Request(
        site + address.group(1), data=b"List-Unsubscribe=One-Click", method="POST"
    )
    with urllib.request.urlopen(request) as answer:  # the test's own server
        assert answer.status == 200
    devotion_save_text(text=devotion_text("Next.", slug="next", title="Next", date="2026-11-25"))
    assert delivery.send_editions(at("2026-11-25 06:31")).planned == 0
    assert len(smtp_sink.messages) == 2  # the confirmation and the one edition
    assert problems == []
