from __future__ import annotations

import textwrap

import pytest


def devotion_text(body: str = "Body.", **meta: str) -> str:
    """A devotion file: front matter from `meta` (defaults for the required keys) and `body`."""
    fields = {"title": "Show Me Your Glory", "passage": "Exodus 33:12-23", "date": "2026-11-24"}
    fields.update(meta)
    front = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return f"---\n{front}\n---\n\n{textwrap.dedent(body).strip()}\n"


@pytest.fixture
def write_devotion(tmp_path):
    def write(name: str, body: str = "Body.", **meta: str):
        path = tmp_path / name
        path.write_text(devotion_text(body, **meta), encoding="utf-8")
        return path

    return write
