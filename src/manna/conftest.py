from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    # Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
