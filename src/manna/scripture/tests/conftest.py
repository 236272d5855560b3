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
