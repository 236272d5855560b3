"""The Bible reader: one chapter of one translation, optionally beside another."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from manna.bible import selectors
from manna.scripture import (
    Book,
    ScriptureError,
    UnknownBookError,
    open_store,
)
from manna.scripture import book as find_book
from manna.scripture.canon import Versification, versification
from manna.web.cache import anonymous_cache


def _translation(code: str):
    store = open_store()
    try:
        return store.translation(code)
    except ScriptureError:
        installed = ", ".join(t.code for t in store.translations())
        raise Http404(
            f'No translation "{code}" is installed here. Installed: {installed}.'
        ) from None


def _book(osis: str) -> Book:
    try:
        return find_book(osis)
    except UnknownBookError as err:
        hint = f" Did you mean {err.suggestion}?" if err.suggestion else ""
        raise Http404(f'There is no book "{osis}".{hint}') from None


@require_safe
@anonymous_cache
def bible_index(request: HttpRequest) -> HttpResponse:
    store = open_store()
    translation = store.translation(settings.MANNA_TRANSLATION)
    books = selectors.books_in(versification(translation.versification))
    return render(
        request,
        "bible/index.html",
        {"translation": translation, "translations": store.translations(), "books": books},
    )


@require_safe
def book_start(request: HttpRequest, translation: str, book: str) -> HttpResponse:
    found = _book(book)
    return redirect("bible_chapter", translation=translation, book=found.osis, chapter=1)


@require_safe
@anonymous_cache
def chapter(request: HttpRequest, translation: str, book: str, chapter: int) -> HttpResponse:
    main = _translation(translation)
    found = _book(book)
    if found.osis != book:
        return redirect("bible_chapter", translation=translation, book=found.osis, chapter=chapter)
    v11n = versification(main.versification)
    if not v11n.has_book(found):
        raise Http404(f"{found.name} is not in the {main.name}.")
    count = v11n.chapter_count(found)
    if not 1 <= chapter <= count:
        raise Http404(f"{found.name} has {count} chapters: choose one from 1 to {count}.")
    parallel_code = request.GET.get("parallel", "")
    store = open_store()
    parallel = None
    if parallel_code:
        try:
            parallel = store.translation(parallel_code)
        except ScriptureError:
            installed = ", ".join(t.code for t in store.translations())
            return HttpResponseBadRequest(
                f'parallel: no translation "{parallel_code}" is installed (installed: {installed})',
                content_type="text/plain",
            )
    rows = selectors.chapter_rows(
        book=found, chapter=chapter, v11n=v11n, translation=main, parallel=parallel
    )
    query = f"?parallel={parallel.code}" if parallel else ""
    previous = _neighbour(main.code, found, chapter - 1, v11n, query)
    following = _neighbour(main.code, found, chapter + 1, v11n, query)
    return render(
        request,
        "bible/chapter.html",
        {
            "translation": main,
            "parallel": parallel,
            "translations": store.translations(),
            "book": found,
            "chapter": chapter,
            "chapters": range(1, count + 1),
            "rows": rows,
            "previous": previous,
            "next": following,
            "cited_count": sum(1 for r in rows if r["devotions"]),
        },
    )


def _neighbour(
    code: str, book: Book, chapter: int, v11n: Versification, query: str
) -> dict[str, str] | None:
    books = selectors.books_in(v11n)
    index = books.index(book)
    if chapter < 1:
        if index == 0:
            return None
        book = books[index - 1]
        chapter = v11n.chapter_count(book)
    elif chapter > v11n.chapter_count(book):
        if index == len(books) - 1:
            return None
        book = books[index + 1]
        chapter = 1
    url = reverse("bible_chapter", args=[code, book.osis, chapter]) + query
    return {"url": url, "label": f"{book.name} {chapter}"}
