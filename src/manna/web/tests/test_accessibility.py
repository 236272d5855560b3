"""Accessibility, checked: axe-core (from npm at test time, `make axe`; never kept in the
repository) runs in headless Chromium on every kind of page, signed out and signed in, at
phone and desktop widths, in the light and the dark theme (contrast among its rules). No
serious or critical violation is allowed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from manna.accounts.models import Role
from manna.community.tests.test_browser import person, signed_in
from manna.conftest import needs_chromium
from manna.web.tests.pages import ANYONE, AUTHOR, READER

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]
AXE = Path(__file__).resolve().parents[4] / ".cache/npm/node_modules/axe-core/axe.min.js"
if not AXE.exists() and not os.environ.get("CI"):
    pytestmark.append(pytest.mark.skip(reason="axe-core is not installed (make axe)"))

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


def serious(page) -> list[str]:
    """axe's serious and critical violations on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_no_serious_violation_on_any_kind_of_page(browser, site, size, theme):
    width, height = SIZES[size]
    options = {"color_scheme": theme, "bypass_csp": True}  # CSP would refuse axe's script
    found: dict[str, list[str]] = {}
    anyone = browser.new_context(viewport={"width": width, "height": height}, **options)
    for who, context, paths in [
        ("anyone", anyone, ANYONE),
        ("reader", signed_in(browser, site, person("ruth"), width, height, **options), READER),
        (
            "author",
            signed_in(browser, site, person("boaz", Role.AUTHOR), width, height, **options),
            AUTHOR,
        ),
    ]:
        page = context.new_page()
        for path in paths:
            page.goto(site + path)
            problems = serious(page)
            if problems:
                found[f"{who} {path}"] = problems
        context.close()
    assert found == {}, "\n".join(f"{page}: {p}" for page, ps in found.items() for p in ps)
