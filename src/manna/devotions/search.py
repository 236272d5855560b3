"""Search over scripture and devotions (`/search/`): the verses of a translation that match,
the passages the query names (their verses, and the devotions that cite them), and the
devotions that speak of it; every list counted, and paged 20 at a time."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from manna.devotions.selectors import devotion_search, devotions_citing
from manna.markup import bible_url
from manna.markup.links import reference_url
from manna.scripture import (
    Match,
    ScriptureError,
    find_references,
    open_store,
)
from manna.scripture.store import Store

MAX_QUERY = 200
PAGE = 20
REFERENCES = 5  # passages shown for one query
VERSES = 10  # verses shown for each


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    store = open_store()
    code = request.GET.get("translation", settings.MANNA_TRANSLATION)
    context: dict[str, Any] = {"query": query, "translations": store.translations(), "code": code}
    if not query:
        return render(request, "devotions/search.html", context)
    page = _page(request.GET.get("page", "1"))
    problem = ""
    if len(query) > MAX_QUERY:
        problem = f"The search is {len(query)} characters long; keep it under {MAX_QUERY}."
    elif code not in {t.code for t in store.translations()}:
        installed = ", ".join(t.code for t in store.translations())
        problem = f'No translation "{code[:40]}" is installed (installed: {installed}).'
    elif page is None:
        problem = f'page: "{request.GET["page"][:20]}" is not a page number; give 1, 2, 3 ...'
    if not problem:
        try:
            context.update(_results(store, query, code, page or 1))
        except ScriptureError as err:
            problem = f"{err}."
    if problem:
        context["problem"] = problem
        return render(request, "devotions/search.html", context, status=400)
    return render(request, "devotions/search.html", context)


def _page(written: str) -> int | None:
    if not re.fullmatch(r"[0-9]{1,5}", written):  # "²" passes str.isdigit(), not int()
        return None
    return int(written) if 1 <= int(written) <= 10_000 else None


def _results(store: Store, query: str, code: str, page: int) -> dict[str, Any]:
    """The passages the query names, and the verses and devotions its words find."""
    matches = find_references(query)
    words = _words_outside(query, matches)
    offset = (page - 1) * PAGE
    out: dict[str, Any] = {
        "references": [_passage(store, code, m) for m in matches[:REFERENCES]],
        "page": page,
        "first": offset + 1,
        "words": words,
    }
    if re.search(r"[^\W_]", words):
        out["hit_count"] = store.count(words, code)
        hits = store.search(words, code, limit=PAGE, offset=offset)
        out["hits"] = [
            {
                "url": bible_url(code, hit.verse_id),
                "label": hit.reference.human(),
                "snippet_html": hit.snippet_html(),
            }
            for hit in hits
        ]
        found = devotion_search(
            query=words.replace('"', " "), spellings=lambda word: store.spellings(code, word)
        )
        out["devotion_count"] = found.count()
        out["devotions"] = list(found[offset : offset + PAGE])
        out["more"] = max(out["hit_count"], out["devotion_count"]) > offset + PAGE
    return out


def _words_outside(query: str, matches: list[Match]) -> str:
    """The query without the references in it: what is left to search for as words."""
    pieces, pos = [], 0
    for m in matches:
        pieces.append(query[pos : m.start])
        pos = m.end
    pieces.append(query[pos:])
    return " ".join(" ".join(pieces).split())


def _passage(store: Store, code: str, match: Match) -> dict[str, Any]:
    """A passage the query names: its first verses in the translation, and the devotions
    that cite any verse of it."""
    reference = match.reference
    own = store.own_reference(reference, code)
    verses = store.verses(own, code, limit=VERSES + 1) if own is not None else []
    citing = devotions_citing(reference)
    return {
        "label": reference.human(),
        "url": reference_url(code, own) if verses and own is not None else "",
        "verses": verses[:VERSES],
        "more_verses": len(verses) > VERSES,
        "devotions": list(citing[:PAGE]),
        "devotion_count": citing.count(),
    }
