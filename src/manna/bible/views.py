"""The Bible reader: one chapter of one translation, optionally beside another."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from manna.bible import selectors
from manna.devotions.selectors import site_today
from manna.markup.links import reference_url
from manna.scripture import (
    Book,
    InvalidReferenceError,
    ParseOptions,
    ScriptureError,
    UnknownBookError,
    open_store,
    parse_reference,
)
from manna.scripture import book as find_book
from manna.scripture.canon import Versification, versification
from manna.scripture.reference import display_name
from manna.web import cache
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
def verse(request: HttpRequest, translation: str, book: str, place: str) -> HttpResponse:
    """`/bible/kjv/John/3:16/` (or `3:16-18`): the chapter, at the verse."""
    return _go(request, translation, f"{_book(book).name} {place}")


@require_safe
def go(request: HttpRequest) -> HttpResponse:
    """The reader's "go to" box: any reference ("Ps 119:105", "John 3"), read in the
    chosen translation's numbering, opens its chapter at its first verse."""
    translation = request.GET.get("translation", "") or settings.MANNA_TRANSLATION
    return _go(request, translation, request.GET.get("ref", ""))


def _go(request: HttpRequest, translation: str, written: str) -> HttpResponse:
    main = _translation(translation)
    options = ParseOptions(versification=main.versification)
    try:
        reference = parse_reference(written[:200], options=options)
    except InvalidReferenceError as err:
        message = f'"{written[:60]}": {err}. Write a reference such as "John 3:16" or "Psalm 23".'
        return render(request, "400.html", {"message": message}, status=400)
    return redirect(reference_url(main.code, reference))


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
    marked = _marked(request.GET.get("mark", ""), v11n.verse_count(found, chapter))
    if marked is None:
        message = (
            f'mark: "{request.GET["mark"][:40]}" is not a passage of {found.name} {chapter}. '
            f'Give verses such as "16" or "16-18".'
        )
        return render(request, "400.html", {"message": message}, status=400)
    parallel_code = request.GET.get("parallel", "")
    store = open_store()
    parallel = None
    if parallel_code:
        try:
            parallel = store.translation(parallel_code)
        except ScriptureError:
            installed = ", ".join(t.code for t in store.translations())
            message = (
                f'parallel: no translation "{parallel_code[:40]}" is installed '
                f"(installed: {installed}). Choose one of those, or none."
            )
            return render(request, "400.html", {"message": message}, status=400)
    translations = store.translations()
    key = (
        "chapter",
        main.code,
        found.osis,
        chapter,
        parallel.code if parallel else "",
        ",".join(str(n) for n in sorted(marked)),
        site_today(),  # the devotions citing it: those visible today
        ",".join(t.code for t in translations),
    )

    def build() -> str:
        rows = selectors.chapter_rows(
            book=found,
            chapter=chapter,
            v11n=v11n,
            translation=main,
            parallel=parallel,
            marked=marked,
        )
        query = f"?parallel={parallel.code}" if parallel else ""
        context = {
            "translation": main,
            "parallel": parallel,
            "translations": translations,
            "book": found,
            "heading": heading,
            "chapter": chapter,
            "chapters": range(1, count + 1),
            "rows": rows,
            "previous": _neighbour(main.code, found, chapter - 1, v11n, query),
            "next": _neighbour(main.code, found, chapter + 1, v11n, query),
        }
        return render_to_string("bible/_chapter.html", context)

    heading = f"{display_name(found, True)} {chapter}"
    # The chapter is the same for every reader: built once, not once per request.
    return render(
        request,
        "bible/chapter.html",
        {"translation": main, "heading": heading, "article": cache.shared(key, build)},
    )


_MARK = re.compile(r"(\d{1,3})(?:-(\d{1,3})?)?")


def _marked(written: str, last: int) -> frozenset[int] | None:
    """The verses `?mark=` names ("16", "16-18", "16-": to the chapter's end; "0" is a
    psalm's title); an empty set when there is none, None when it cannot be read."""
    if not written:
        return frozenset()
    m = _MARK.fullmatch(written)
    if m is None:
        return None
    first = int(m[1])
    end = first if m[0].isdigit() else int(m[2] or last)
    if not 0 <= first <= end <= last:
        return None
    return frozenset(range(first, end + 1))


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
