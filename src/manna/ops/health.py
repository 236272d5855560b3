"""The health of each part a server needs: the database, the cache, the queue and the
scripture store. Each check is timed and says what failed."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from manna.queue.engine import queue
from manna.scripture import open_store, parse_reference


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    ms: float
    detail: str = ""


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("a value written was not read back")
    cache.delete(key)
    return "shared (redis)" if settings.MANNA_CACHE_URL else "this process's memory"


def _queue() -> str:
    huey = queue()
    if huey.immediate:
        return "immediate (tasks run where they are queued)"
    return f"{huey.pending_count()} tasks waiting"


def _store() -> str:
    store = open_store()
    code = settings.MANNA_TRANSLATION
    if not store.verses(parse_reference("John 3:16"), code):
        raise RuntimeError(f"{code}: John 3:16 is missing - run `manna import-bible --all`")
    return f"{len(store.translations())} translations"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "queue": _queue,
    "store": _store,
}


def health() -> list[Check]:
    """Every check, in order; one that raises is not ok, with what it raised."""
    results = []
    for name, check in CHECKS.items():
        began = time.perf_counter()
        try:
            detail, ok = check(), True
        except Exception as err:
            detail, ok = f"{type(err).__name__}: {err}"[:300], False
        results.append(Check(name, ok, round((time.perf_counter() - began) * 1000, 2), detail))
    return results
