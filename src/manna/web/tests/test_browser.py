"""A real browser: headless Debian Chromium driven by Playwright against a live server.

Skipped (with the reason) when Chromium is not installed; `make browser` installs it and
runs these, and `make screenshots` writes the pages at desktop and phone widths.
"""

import os
import shutil
from pathlib import Path

import pytest

from manna.devotions.services import devotion_import_paths

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SAMPLE = Path(__file__).parents[2] / "sample"
SHOTS = (
    Path(os.environ.get("MANNA_SCREENSHOTS", "")) if os.environ.get("MANNA_SCREENSHOTS") else None
)
PAGES = {
    "home": "/",
    "devotion": "/devotions/show-me-your-glory/",
    "reader": "/bible/kjv/Exod/33/?parallel=web",
    "scripture-index": "/scripture/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Chromium is not installed (make browser)"
    ),
]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, site_store, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 24))
    report = devotion_import_paths(paths=[SAMPLE])
    assert len(report.created) == 7
    return live_server.url


def open_page(browser, url, width=1280, height=900):
    page = browser.new_page(viewport={"width": width, "height": height})
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    page.goto(url)
    return page, problems


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
    assert page.url == site + "/bible/kjv/Isa/43/#v1"
    assert page.locator("#v1").is_visible()


@pytest.mark.skipif(SHOTS is None, reason="set MANNA_SCREENSHOTS=DIR (make screenshots)")
def test_screenshots(browser, site):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES.items():
        for label, (width, height) in WIDTHS.items():
            page, problems = open_page(browser, site + path, width, height)
            page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
            assert problems == [], (name, label, problems)
