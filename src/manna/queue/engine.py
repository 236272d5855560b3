"""The queue engine: one Huey instance, its storage chosen by MANNA_QUEUE_URL.

- "" (the default): a SQLite file beside the database (`queue.sqlite3` in the data folder),
  so the embedded site needs no other server;
- `redis://host:port/db` (or `rediss://`, `unix://`): Redis, for several machines;
- `immediate`: each task runs at once in the process that queues it (tests, debugging).

Tasks register on `huey` when their module is imported (each app's `tasks.py`); the storage
is chosen the first time it is used (`queue()`), not at import, so importing a module
touches no file and no server.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

F = TypeVar("F", bound=Callable[..., Any])

# Made in immediate mode (in memory, no I/O) so that tasks can register at import.
huey = Huey("manna", immediate=True, results=False)
_lock = threading.Lock()
_connected_to: str | None = None


def storage_for(url: str, data_dir: Path) -> tuple[type | None, dict[str, Any]]:
    """The storage class and its arguments for MANNA_QUEUE_URL (None: immediate mode)."""
    if url == "immediate":
        return None, {}
    if not url:
        return SqliteStorage, {"filename": str(data_dir / "queue.sqlite3"), "timeout": 30}
    scheme = urlparse(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return RedisStorage, {"url": url}
    raise ImproperlyConfigured(
        f"MANNA_QUEUE_URL={url!r}: leave it unset (a SQLite file in the data folder), "
        "or use redis://host:port/db (or immediate, to run tasks at once, for tests)"
    )


def queue() -> Huey:
    """The Huey instance, connected to the storage MANNA_QUEUE_URL names (again if the
    setting changed, as tests change it)."""
    global _connected_to
    url = settings.MANNA_QUEUE_URL
    if url != _connected_to:
        with _lock:
            if url != _connected_to:
                storage_class, kwargs = storage_for(url, Path(settings.DATA_DIR))
                if storage_class is None:
                    huey.immediate = True
                else:
                    huey.storage_class = storage_class
                    huey.storage_kwargs = kwargs
                    huey._immediate = False  # the setter would keep the old storage class
                    huey.storage = huey.create_storage()
                _connected_to = url
    return huey


def with_database(fn: F) -> F:
    """A task that uses the database in a worker thread: stale connections closed before
    and after, as a request's are (not in immediate mode: the caller's connection)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if huey.immediate:
            return fn(*args, **kwargs)
        close_old_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()

    return run  # type: ignore[return-value]


def submit(task_wrapper: Any, *args: Any) -> None:
    """Queue a task (registered with `task`) on the configured storage."""
    queue()
    task_wrapper(*args)


def task(fn: F) -> Any:
    """Register `fn` as a task, queued by `submit(fn, ...)` (`fn.call_local(...)` runs it
    here and now)."""
    wrapper = huey.task(name=f"{fn.__module__}.{fn.__name__}")(with_database(fn))
    wrapper.call_local = fn
    return wrapper


def every_minute(fn: F) -> Any:
    """Register `fn` as a task each worker queues every minute."""
    from huey import crontab

    wrapper = huey.periodic_task(crontab(), name=f"{fn.__module__}.{fn.__name__}")(
        with_database(fn)
    )
    wrapper.call_local = fn
    return wrapper
