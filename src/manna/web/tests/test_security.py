"""The walls every request passes: no NUL character in an address or a form, and
search errors in Manna's words, never the database's."""

from __future__ import annotations

import pytest

from manna.scripture import ScriptureError
from manna.scripture import store as store_module

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/search/", {"q": "glory\x00light"}),
        ("get", "/practice/calendar/a\x00b.ics", {}),
        ("get", "/devotions/", {"page\x00": "1"}),
        ("post", "/account/signin/", {"email": "a\x00@example.org", "password": "x"}),
        ("post", "/account/signup/", {"email": "a@example.org", "display_name": "A\x00"}),
    ],
)
def test_a_nul_character_is_refused_with_a_reason(client, site_store, method, path, data):
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    assert "holds a NUL character (%00), which no page takes" in response.content.decode()


def test_a_search_the_database_cannot_read_is_explained_in_mannas_words(store, monkeypatch):
    monkeypatch.setattr(store_module, "fts_query", lambda query, spellings=None: "AND AND (")
    with pytest.raises(ScriptureError) as caught:
        store.search("glory", "kjv")
    message = str(caught.value)
    assert message == (
        'cannot search for "glory": use words, "exact phrases", prefix*, AND, OR, NOT and '
        "parentheses"
    )
    assert "fts5" not in message and "syntax error" not in message


def test_an_unknown_translation_is_not_echoed_at_length(client, site_store):
    response = client.get("/search/", {"q": "glory", "translation": "x" * 5000})
    assert response.status_code == 400
    assert "x" * 41 not in response.content.decode()
