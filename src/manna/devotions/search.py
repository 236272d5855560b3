"""Search over scripture and devotions (`/search/`): the verses of a translation that match,
the references the query names, and the devotions that speak of it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from manna.devotions.selectors import devotion_search
from manna.markup import bible_url
from manna.scripture import ScriptureError, find_references, open_store

MAX_QUERY = 200


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    store = open_store()
    code = request.GET.get("translation", settings.MANNA_TRANSLATION)
    context: dict[str, object] = {
        "query": query,
        "translations": store.translations(),
        "code": code,
    }
    if not query:
        return render(request, "devotions/search.html", context)
    problem = ""
    if len(query) > MAX_QUERY:
        problem = f"The search is {len(query)} characters long; keep it under {MAX_QUERY}."
    elif code not in {t.code for t in store.translations()}:
        installed = ", ".join(t.code for t in store.translations())
        problem = f'No translation "{code[:40]}" is installed (installed: {installed}).'
    if not problem:
        try:
            hits = store.search(query, code, limit=20)
        except ScriptureError as err:
            problem = f"{err}."
    if problem:
        context["problem"] = problem
        return render(request, "devotions/search.html", context, status=400)
    context["references"] = [
        {"url": bible_url(code, m.reference.first), "label": m.reference.human()}
        for m in find_references(query)
    ]
    context["hits"] = [
        {
            "url": bible_url(code, hit.verse_id),
            "label": hit.reference.human(),
            "snippet_html": hit.snippet_html(),
        }
        for hit in hits
    ]
    context["devotions"] = devotion_search(query=query.replace('"', " "))
    return render(request, "devotions/search.html", context)
