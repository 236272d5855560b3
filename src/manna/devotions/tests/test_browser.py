"""Devotion bodies in a real browser: no author payload runs, refreshes or injects.

Skipped when Chromium is missing (`make browser` installs it).
"""

from __future__ import annotations

import pytest

from manna.community.tests.xss import DEVOTION_PAYLOADS, FORBIDDEN_ELEMENTS
from manna.conftest import needs_chromium, watch
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]
PER_DEVOTION = 25
# Forbidden elements, and inline styles (the site's own script places the previews).
INJECTED = (
    ", ".join(f".body {tag}" for tag in sorted(FORBIDDEN_ELEMENTS))
    + ", .body [style]:not(.ref-preview)"
)


def test_no_author_payload_runs_or_injects_in_the_browser(browser, live_server, site_store):
    slugs = []
    for n, start in enumerate(range(0, len(DEVOTION_PAYLOADS), PER_DEVOTION)):
        body = "\n\n".join(DEVOTION_PAYLOADS[start : start + PER_DEVOTION])
        text = devotion_text(f"See John 3:16.\n\n{body}", date=f"2026-10-{n + 1:02d}", slug=f"x{n}")
        result = devotion_save_text(text=text)
        assert result.devotion is not None, result.checked.problems
        slugs.append(result.devotion.slug)
    assert len(slugs) * PER_DEVOTION >= len(DEVOTION_PAYLOADS) >= 140
    context = browser.new_context()
    for slug in slugs:
        page = context.new_page()
        problems = watch(page)
        page.goto(f"{live_server.url}/devotions/{slug}/?depth=study")
        for element in page.locator(".body *").all()[:300]:
            if element.is_visible():
                element.hover(timeout=1000, trial=False, force=True)
        page.wait_for_timeout(300)  # a refresh or a timer would have fired by now
        assert page.url.startswith(live_server.url), page.url  # no refresh took the reader away
        found = page.locator(INJECTED).evaluate_all("els => els.map(e => e.outerHTML)")
        assert found == [], slug
        # Pictures named "x" are missing (404): that is not a payload at work.
        problems = [p for p in problems if not p.startswith("Failed to load resource")]
        assert problems == [], (slug, problems)
        page.close()
    context.close()
