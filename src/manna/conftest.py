from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from manna.scripture.importers import import_packaged
from manna.scripture.store import Store


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store with the KJV and WEB, built once for the test session."""
    folder = tmp_path_factory.mktemp("data")
    store = Store(folder / "scripture.sqlite3", create=True)
    import_packaged(store, "kjv")
    import_packaged(store, "web")
    store.close()
    return folder


@pytest.fixture
def store(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("MANNA_DATA_DIR", str(store_dir))
    s = Store(store_dir / "scripture.sqlite3")
    yield s
    s.close()


@pytest.fixture
def site_store(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The shared store as the site sees it (through open_store())."""
    from manna.scripture.store import open_store

    monkeypatch.setenv("MANNA_DATA_DIR", str(store_dir))
    yield open_store()


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Tests serve static files from the package (production uses the hashed manifest),
    pages are not cached between requests, and passwords hash fast."""
    settings.MANNA_PAGE_CACHE_SECONDS = 0
    # Fragments are built as in production, but no test sees another's.
    from django.core.cache import cache

    from manna.web.cache import forget_fetched

    cache.clear()
    forget_fetched()
    # Tasks run where they are queued, unless a test starts a real queue.
    settings.MANNA_QUEUE_URL = "immediate"
    # Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- the real browser (headless Debian Chromium through Playwright) ----------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = (
    Path(os.environ.get("MANNA_SCREENSHOTS", "")) if os.environ.get("MANNA_SCREENSHOTS") else None
)
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Chromium is not installed (make browser)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives the browser is marked `browser` (`-m "not browser"` leaves them
    out: the PostgreSQL pass of `make test` has run them on SQLite already)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # A service worker's own requests go through the tests' routes (to cut the network).
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
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


def wait_for(condition, timeout=15.0, what="condition"):
    """Poll `condition` until it gives something true (returned), or fail saying `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def watch(page) -> list[str]:
    """What goes wrong on a page from now on: console errors (CSP violations among
    them), uncaught script errors and any dialog (which is dismissed)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def dialog(d) -> None:
        problems.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return problems


def open_page(browser, url, width=1280, height=900):
    page = browser.new_page(viewport={"width": width, "height": height})
    problems = watch(page)
    page.goto(url)
    return page, problems


SAMPLE = Path(__file__).parent / "sample"


@pytest.fixture
def site(live_server, site_store, monkeypatch):
    """The sample week on a live server, "today" being 2026-11-24; returns its address."""
    import datetime as dt

    from django.utils import timezone

    from manna.devotions.services import devotion_import_paths

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 24))
    report = devotion_import_paths(paths=[SAMPLE])
    assert len(report.created) == 7
    return live_server.url


# --- real servers started from installed packages ------------------------------------------


def settings_refused(**env: str) -> str:
    """What importing the settings with these variables set says on stderr (it must fail)."""
    done = subprocess.run(
        [sys.executable, "-c", "import manna.settings"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0, "the settings took it"
    return done.stderr


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def start_redis(folder: Path) -> tuple[Any, str]:
    """Debian's redis-server on a free local port, its data in `folder`, nothing saved;
    returns the process and its URL once it answers (RuntimeError if it does not)."""
    import subprocess
    import time

    import redis

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - the installed redis-server
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return server, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"redis-server did not start on port {port}") from None
            time.sleep(0.05)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway Redis server (Debian's redis-server) on a free port. Skipped when it is
    not installed, unless MANNA_REQUIRE_REDIS=1 (CI), which makes that a failure."""
    if not Path(REDIS_SERVER).exists():
        if os.environ.get("MANNA_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is not installed: apt-get install redis-server")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def site_dir(store_dir: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A site of its own for `manna` processes a test starts: a data folder sharing the
    test store, its own database (a new SQLite file, or a new database on the PostgreSQL
    server the tests run on), migrated. Returns the environment to start them with."""
    import subprocess
    import sys
    import uuid
    from urllib.parse import urlparse

    data = tmp_path / "site"
    data.mkdir()
    (data / "scripture.sqlite3").symlink_to(store_dir / "scripture.sqlite3")
    env = {
        **os.environ,
        "MANNA_DATA_DIR": str(data),
        "MANNA_SECRET_KEY": "a test site's own key, never the public one",
        "DJANGO_SETTINGS_MODULE": "manna.settings",
    }
    env.pop("DATABASE_URL", None)
    server_url = os.environ.get("DATABASE_URL", "")
    database = None
    if server_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        database = f"manna_site_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = urlparse(server_url)._replace(path=f"/{database}").geturl()
    subprocess.run(
        [sys.executable, "-m", "manna", "admin", "migrate", "--verbosity", "0"],
        env=env,
        check=True,
    )
    yield env
    if database is not None:
        import psycopg

        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
