"""Malformed values to every address and every form of the site: nothing is ever a 500.

Every URL pattern (the admin's aside) is requested by a visitor, a reader, a moderator
and an admin, with each of its parameters replaced by a malformed value, and with a query
string and a form whose every field holds one: superscript digits, NUL, numbers too large
for a column, over-long strings, bare words and other sites as `next`, placeholders and
bidi controls. Any answer is fine but a server error. It runs in rounds (one malformed
value in every field, or a mixture, a round for every target), at least two, then as many more as MANNA_FUZZ_SECONDS
(default 40) and MANNA_FUZZ_REQUESTS (default 6000) allow; `make test` runs it on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import time
import traceback
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from manna.accounts.models import Role
from manna.community.services import Poster, reply_post
from manna.community.tests.conftest import devotion, make_user  # noqa: F401 - fixtures
from manna.practice import services as practice
from manna.practice.plans import built_in_plan

pytestmark = pytest.mark.django_db

SECONDS = float(os.environ.get("MANNA_FUZZ_SECONDS", "40"))
REQUESTS = int(os.environ.get("MANNA_FUZZ_REQUESTS", "6000"))
MALFORMED = [
    "\u00b2",
    "1\u00b2",
    "\u0661\u0662",  # Arabic-Indic digits: digits to Python, not to a database
    "9" * 30,
    "-1",
    "0",
    "x",
    "account",  # a bare word: a view's name to redirect()
    "x" * 5000,
    "a\x00b",
    "%00",
    "'\"<>&;--",
    "../../etc/passwd",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "",
    " ",
    "9999-12-31",
    "0000-00-00",
    "1e309",
    "NaN",
    "\ue000a\ue001",
    "\u202eevil",
    "true",
    "[]",
    "2026-02-30",
    "25:61",
    "Etc/Nowhere",
    str(2**63),
]
QUERY_NAMES = [
    "next", "to", "depth", "q", "translation", "page", "in", "day", "devotion", "reading",
    "parent", "reply", "status", "kind", "start", "limit", "passage", "tag", "month", "year",
]  # fmt: skip
SKIP = ("admin/",)
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_FIELD = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')


@dataclass(frozen=True)
class Target:
    route: str
    path: str  # with valid values, where the route has parameters


def routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        text = prefix + str(pattern.pattern)
        if text.startswith(SKIP):
            continue
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            yield text


@pytest.fixture
def world(site_store, settings, make_user, devotion):  # noqa: F811
    """Accounts of every role, and one of each thing a reader owns."""
    settings.MANNA_RATE_LIMITS = {name: "1000000/60" for name in settings.MANNA_RATE_LIMITS}
    settings.MANNA_MODERATE_FIRST_REPLY = False
    users = {
        "reader": make_user("reader"),
        "moderator": make_user("moderator", role=Role.MODERATOR),
        "admin": make_user("admin", role=Role.ADMIN),
    }
    reader = users["reader"]
    now = dt.datetime(2026, 11, 24, 7, tzinfo=dt.UTC)
    reply, _ = reply_post(
        devotion=devotion, body="A reply on v. 18", poster=Poster(user=reader), submission_key="k"
    )
    entry = practice.entry_save(
        user=reader, uid=uuid.uuid4(), body="Words", base_version=0, writer="w", now=now
    ).entry
    prayer = practice.prayer_add(user=reader, request="A request", day=now.date())
    plan = practice.plan_start(user=reader, plan=built_in_plan("gospels-30"), start=now.date())
    valid = {
        "slug": devotion.slug,
        "translation": "kjv",
        "book": "John",
        "chapter": "3",
        "place": "3:16",
        "token": practice.rhythm_of(reader).calendar_token,
        "uidb64": "MQ",
        "kind": "morning",
        "action": "start",
        "fmt": "json",
        "name": "0123456789abcdef-picture.png",
        "size": "192",
        "purpose": "any",
    }
    pks = {
        "replies/": reply.pk,
        "practice/journal/": entry.pk,
        "practice/prayers/": prayer.pk,
        "practice/plans/": plan.pk,
        "practice/readings/": plan.readings.first().pk,
        "write/": devotion.revisions.first().pk,
    }

    def concrete(route: str, malformed: tuple[int, str] | None = None) -> str:
        """The route's path with valid values, or with its `malformed[0]`th parameter
        holding `malformed[1]`."""
        seen = -1

        def value(m: re.Match[str]) -> str:
            nonlocal seen
            seen += 1
            if malformed is not None and malformed[0] == seen:
                return quote(malformed[1], safe="")
            if m.group(2) == "pk":
                return str(next(pk for prefix, pk in pks.items() if route.startswith(prefix)))
            return str(valid[m.group(2)])

        return "/" + _PARAM.sub(value, route)

    return users, [Target(route, concrete(route)) for route in routes()], concrete


def test_no_malformed_value_anywhere_is_a_server_error(world, client):
    users, targets, concrete = world
    clients = {"visitor": Client()}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    fields: dict[tuple[str, str], list[str]] = {}
    failures: list[str] = []
    sent = 0
    started = time.monotonic()
    rng = random.Random(13)

    def send(who: str, method: str, path: str, data: dict[str, str]) -> None:
        nonlocal sent
        sent += 1
        try:
            response = getattr(clients[who], method)(path, data)
        except Exception as err:  # a 500: the test client raises what the view raised
            where = traceback.extract_tb(err.__traceback__)[-1]
            failures.append(
                f"{who} {method.upper()} {path[:120]} {str(data)[:120]}: "
                f"{type(err).__name__}: {str(err)[:200]} ({where.filename}:{where.lineno})"
            )
            return
        if response.status_code >= 500:
            failures.append(f"{who} {method.upper()} {path[:120]}: {response.status_code}")
        if who != "visitor" and path.startswith(("/account/signout/", "/account/delete/")):
            clients[who].force_login(users[who])  # signed out by the request: sign in again

    # The forms each page shows to each person, for the POSTs.
    for target in targets:
        for who in clients:
            response = clients[who].get(target.path)
            html = response.content.decode(errors="replace") if response.status_code == 200 else ""
            names = sorted(set(_FIELD.findall(html)) - {"csrfmiddlewaretoken"})
            fields[target.path, who] = names or QUERY_NAMES[:6]
    rounds = 0
    while rounds < 2 or (time.monotonic() - started < SECONDS and sent < REQUESTS):
        for n, target in enumerate(targets):
            value = MALFORMED[(rounds * 7 + n) % len(MALFORMED)]
            for who in clients:
                # Even rounds: one value in every field; odd rounds: a mixture.
                def pick() -> str:
                    return value if rounds % 2 == 0 else rng.choice(MALFORMED)  # noqa: B023

                send(who, "get", target.path, {name: pick() for name in QUERY_NAMES})
                form = {name: pick() for name in fields[target.path, who]}
                send(who, "post", target.path, form)
                params = len(_PARAM.findall(target.route))
                if params:
                    path = concrete(target.route, (rng.randrange(params), value))
                    send(who, "get", path, {})
                    send(who, "post", path, form)
        rounds += 1
        if rounds >= len(MALFORMED):
            break
    assert sent >= 2 * len(targets) * len(clients) * 2
    print(f"fuzz: {sent} requests in {rounds} rounds, {time.monotonic() - started:.0f} s")
    assert failures == [], f"{len(failures)} of {sent} requests failed:\n" + "\n".join(
        failures[:40]
    )
