"""The practice pages in a real browser (headless Debian Chromium through Playwright).

The journal must never lose a word: typed text is saved while typing, kept in the browser
while the network is away (or the tab is closed), and sent exactly once when it returns.
With MANNA_SCREENSHOTS set (`make screenshots`) the session, journal, plan, prayer and
rhythm pages are saved as pictures.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from manna.community.tests.test_browser import person, signed_in
from manna.conftest import SHOTS, needs_chromium, wait_for, watch
from manna.practice import services
from manna.practice.models import JournalEntry
from manna.practice.plans import built_in_plan

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]
EDITOR = "form[data-journal] textarea"
# This account's drafts: kept under its mark (the page's data-owner).
DRAFTS = (
    "localStorage.getItem('manna.journal.drafts.' + "
    "document.querySelector('[data-journal-outbox]').dataset.owner)"
)
STATUS = "[data-save-status]"


def type_at_end(page, text):
    editor = page.locator(EDITOR)
    editor.focus()
    page.keyboard.press("Control+End")
    editor.press_sequentially(text, delay=5)


def settled(page) -> bool:
    """The page has nothing left to send: the server confirmed the text it shows.
    (Tests wait on the page, not by polling the database while the server writes to it:
    the in-memory test database is shared between threads and refuses concurrent access.)"""
    return page.locator(STATUS).inner_text().startswith("Saved") and page.evaluate(DRAFTS) in (
        None,
        "{}",
    )


def bodies(user):
    return list(JournalEntry.objects.filter(user=user).values_list("body", flat=True))


def test_no_word_is_lost_when_the_network_drops(browser, site):
    ruth = person("ruth")
    context = signed_in(browser, site, ruth)
    page = context.new_page()
    problems = watch(page)
    page.goto(site + "/practice/journal/new/")
    first = "Show me your way, that I may know you. "
    page.locator(EDITOR).press_sequentially(first, delay=5)
    wait_for(lambda: settled(page), what="the first words saved")
    assert bodies(ruth) == [first]

    context.set_offline(True)
    offline = "Written with the network gone: every character counts. "
    page.locator(EDITOR).press_sequentially(offline, delay=5)
    wait_for(lambda: "Offline" in page.locator(STATUS).inner_text(), what="the offline notice")
    kept = page.evaluate(f"JSON.parse({DRAFTS})")
    assert [d["body"] for d in kept.values()] == [first + offline]
    assert bodies(ruth) == [first]  # nothing reached the server meanwhile

    context.set_offline(False)
    more = "And back again."
    page.locator(EDITOR).press_sequentially(more, delay=5)
    wait_for(lambda: settled(page), what="everything saved")
    assert bodies(ruth) == [first + offline + more]
    assert JournalEntry.objects.get(user=ruth).version >= 2
    assert page.evaluate(DRAFTS) == "{}"
    # "Network" console errors are the requests made offline; nothing else went wrong.
    assert [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p] == []


def test_a_tab_closed_offline_sends_its_words_on_the_next_visit(browser, site):
    ruth = person("ruth")
    context = signed_in(browser, site, ruth)
    page = context.new_page()
    page.goto(site + "/practice/journal/new/")
    context.set_offline(True)
    text = "Typed on a train, then the tab was closed."
    page.locator(EDITOR).press_sequentially(text, delay=5)
    wait_for(lambda: "Offline" in page.locator(STATUS).inner_text(), what="the offline notice")
    page.close()
    assert bodies(ruth) == []
    context.set_offline(False)
    later = context.new_page()
    later.goto(site + "/practice/journal/")
    wait_for(
        lambda: later.evaluate(DRAFTS) == "{}",
        what="the closed tab's words sent",
    )
    assert bodies(ruth) == [text]
    later.reload()
    time.sleep(1.0)  # a second visit sends nothing twice
    assert bodies(ruth) == [text]


def as_person(context, site, user):
    """Sign `user` in on this browser (the cookie another account had is replaced)."""
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.clear_cookies()
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}]
    )


def test_drafts_stay_with_their_account_on_a_shared_browser(browser, site):
    ruth, naomi = person("ruth"), person("naomi")
    context = signed_in(browser, site, ruth)
    page = context.new_page()
    problems = watch(page)
    page.goto(site + "/practice/journal/new/")
    page.route("**/practice/journal/save/", lambda route: route.abort())  # saves fail
    words = "Private words Ruth could not send."
    page.locator(EDITOR).press_sequentially(words, delay=5)
    wait_for(lambda: "Offline" in page.locator(STATUS).inner_text(), what="the save failing")
    page.click("text=Sign out")  # tries to send them first, then signs out
    page.wait_for_url(site + "/")
    assert bodies(ruth) == []
    kept = [k for k in page.evaluate("Object.keys(localStorage)") if "journal" in k]
    assert len(kept) == 1 and kept[0].startswith("manna.journal.drafts.")
    page.unroute("**/practice/journal/save/")

    as_person(context, site, naomi)  # the next person on this browser
    page.goto(site + "/practice/journal/")
    page.wait_for_timeout(1500)  # time enough to have sent anything it would send
    assert bodies(naomi) == [] and bodies(ruth) == []
    assert words not in page.content()

    as_person(context, site, ruth)  # Ruth again: her words are sent now, into her journal
    page.goto(site + "/practice/journal/")
    wait_for(lambda: page.evaluate(DRAFTS) == "{}", what="Ruth's words sent")
    assert bodies(ruth) == [words] and bodies(naomi) == []

    more = "Written, then signed out at once."
    page.goto(site + "/practice/journal/new/")
    page.route("**/practice/journal/save/", lambda route: route.abort())
    page.locator(EDITOR).press_sequentially(more, delay=5)
    wait_for(lambda: "Offline" in page.locator(STATUS).inner_text(), what="the save failing")
    page.unroute("**/practice/journal/save/")
    page.click("text=Sign out")  # the network is back: the draft is sent, then sign-out
    page.wait_for_url(site + "/")
    assert sorted(bodies(ruth)) == sorted([words, more])
    assert [p for p in problems if "ERR_FAILED" not in p] == []


def test_two_tabs_editing_one_entry_keep_both(browser, site):
    ruth = person("ruth")
    entry = services.entry_save(
        user=ruth,
        uid=__import__("uuid").uuid4(),
        body="Start. ",
        base_version=0,
        writer="setup",
        now=timezone.now(),
    ).entry
    context = signed_in(browser, site, ruth)
    a, b = context.new_page(), context.new_page()
    for tab in (a, b):
        tab.goto(f"{site}/practice/journal/{entry.pk}/")
    type_at_end(a, "From tab A.")
    wait_for(lambda: settled(a), what="tab A saved")
    type_at_end(b, "From tab B.")
    wait_for(lambda: "separate entry" in b.locator(STATUS).inner_text(), what="B kept beside")
    assert sorted(bodies(ruth)) == ["Start. From tab A.", "Start. From tab B."]
    type_at_end(b, " More from B.")
    wait_for(lambda: settled(b), what="B's later words saved")
    assert sorted(bodies(ruth)) == ["Start. From tab A.", "Start. From tab B. More from B."]


def session_page(browser, site):
    """Ruth, signed in, on the session that fits the hour; and the page's problems."""
    ruth = person("ruth")
    page = signed_in(browser, site, ruth).new_page()
    problems = watch(page)
    kind = "morning" if timezone.localtime().hour < 14 else "evening"
    page.goto(f"{site}/practice/session/{kind}/")
    return ruth, page, problems


def test_the_timer_runs_in_the_page_and_on_the_server(browser, site):
    _ruth, page, problems = session_page(browser, site)
    page.get_by_role("button", name="Start").click()
    clock = page.locator("[data-clock]")
    first = clock.inner_text()
    wait_for(lambda: clock.inner_text() != first, what="the clock to tick")
    page.get_by_role("button", name="Pause").click()
    assert page.locator(".timer-state").inner_text() == "Paused."
    page.reload()
    assert page.locator(".timer-state").inner_text() == "Paused."
    page.get_by_role("button", name="Finish").click()
    assert "Kept." in page.locator(".timer-state").inner_text()
    assert problems == []


def test_typing_then_pressing_the_timer_at_once_keeps_one_entry(browser, site):
    """The words typed just before Start (no autosave yet) go with the button: the page
    reloads with them in the box, one entry, across Start, Pause and Finish."""
    ruth, page, problems = session_page(browser, site)
    type_at_end(page, "Before Start.")
    page.get_by_role("button", name="Start").click()
    page.wait_for_selector("text=Running.")
    assert page.locator(EDITOR).input_value() == "Before Start."
    type_at_end(page, " Before Pause.")
    page.get_by_role("button", name="Pause").click()
    page.wait_for_selector("text=Paused.")
    assert page.locator(EDITOR).input_value() == "Before Start. Before Pause."
    type_at_end(page, " Before Finish.")
    page.get_by_role("button", name="Finish").click()
    page.wait_for_selector(".timer-state >> text=Kept.")
    assert page.locator(EDITOR).input_value() == "Before Start. Before Pause. Before Finish."
    wait_for(lambda: page.evaluate(DRAFTS) in (None, "{}"), what="no draft left unsent")
    assert bodies(ruth) == ["Before Start. Before Pause. Before Finish."]
    assert problems == []


@pytest.mark.skipif(SHOTS is None, reason="set MANNA_SCREENSHOTS=DIR (make screenshots)")
def test_practice_screenshots(browser, site):
    ruth = person("ruth")
    today = timezone.localdate()
    now = timezone.now()
    # Some weeks of practice, a plan a little behind, prayers, journal entries.
    for back in range(1, 40):
        moment = now - dt.timedelta(days=back)
        if back % 7 not in (3, 5):
            services.session_finish(
                session=services.session_start(user=ruth, kind="morning", now=moment),
                now=moment,
            )
        if back % 3 == 0:
            services.session_finish(
                session=services.session_start(user=ruth, kind="evening", now=moment),
                now=moment,
            )
    enrollment = services.plan_start(
        user=ruth, plan=built_in_plan("gospels-30"), start=today - dt.timedelta(days=4)
    )
    for reading in enrollment.readings.filter(number__lte=2):
        services.reading_mark(reading=reading, done=True, day=reading.due)
    for request, person_name in (
        ("Wisdom for the week's decisions", ""),
        ("Anna's surgery", "Anna"),
    ):
        services.prayer_add(user=ruth, request=request, day=today, person=person_name)
    answered = services.prayer_add(
        user=ruth, request="A job for Tom", day=today - dt.timedelta(days=30), person="Tom"
    )
    services.prayer_answer(
        prayer=answered, day=today - dt.timedelta(days=2), note="He starts Monday."
    )
    for text in (
        "Moses asks to know the way before he asks to see the glory (Exodus 33:13, 18).",
        "Grace upon grace: John 1:16. Where did I see it today?",
    ):
        services.entry_save(
            user=ruth,
            uid=__import__("uuid").uuid4(),
            body=text,
            base_version=0,
            writer="s",
            now=now,
        )
    context = signed_in(browser, site, ruth)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    problems = watch(page)
    kind = "morning" if timezone.localtime().hour < 14 else "evening"
    page.goto(f"{site}/practice/session/{kind}/")
    page.get_by_role("button", name="Start").click()
    page.locator(EDITOR).press_sequentially("Shown today: his goodness passing by.", delay=2)
    wait_for(lambda: settled(page), what="Saved.")
    pages = {
        "session": None,
        "journal": "/practice/journal/",
        "plan": f"/practice/plans/{enrollment.pk}/",
        "prayers": "/practice/prayers/",
        "answered": "/practice/prayers/answered/",
        "rhythm": "/practice/rhythm/",
        "overview": "/practice/",
    }
    for name, path in pages.items():
        if path:
            page.goto(site + path)
        page.screenshot(path=str(SHOTS / f"practice-{name}.png"), full_page=True)
    # The same pages on a phone (390 px, touch).
    phone = signed_in(browser, site, ruth, 390, 844, has_touch=True, is_mobile=True).new_page()
    problems += watch(phone)
    pages["session"] = f"/practice/session/{kind}/"
    for name, path in pages.items():
        phone.goto(site + path)
        phone.screenshot(path=str(SHOTS / f"practice-{name}-phone.png"), full_page=True)
    assert problems == []
