"""Reads: what a visitor may see, and the scripture index."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from manna.devotions.models import Citation, Devotion
from manna.markup import passage_url
from manna.scripture import (
    Book,
    Reference,
    VerseRange,
    canon,
    open_store,
    split_id,
    versification,
)
from manna.web.cache import shared
from manna.web.prepared import Prepared


def site_today() -> dt.date:
    """The site's day, whatever time zone a signed-in reader's pages are shown in."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def in_day_order(devotions: QuerySet[Devotion]) -> QuerySet[Devotion]:
    """Newest day first; within a day, the slots in MANNA_SLOTS order (no slot first)."""
    ranks = [When(slot="", then=Value(-1))]
    ranks += [When(slot=slot, then=Value(i)) for i, slot in enumerate(settings.MANNA_SLOTS)]
    rank = Case(*ranks, default=Value(len(settings.MANNA_SLOTS)), output_field=IntegerField())
    return devotions.annotate(slot_rank=rank).order_by("-date", "slot_rank", "slot")


def devotion_list_visible(*, today: dt.date | None = None) -> QuerySet[Devotion]:
    """Published devotions whose day has come, in the site's time zone; newest first, a
    day's in slot order."""
    today = today or site_today()
    visible = Devotion.objects.filter(status=Devotion.PUBLISHED, date__lte=today)
    return in_day_order(visible.select_related("series"))


# A devotion's big columns. Its page keeps the article they make (manna.web.cache.shared),
# so it reads them only when it builds the article: `light=True` leaves them out.
ARTICLE_COLUMNS = ("source", "body_html", "walk_html", "glimpse_html", "passage_html", "plain_text")


def devotion_today(
    *, today: dt.date | None = None, slot: str = "", light: bool = False
) -> Devotion | None:
    """The latest visible devotion: the first of its day, or the one in `slot` when that
    day has one (`light`: without ARTICLE_COLUMNS). Which one it is is found once a day
    for each slot and kept (until a devotion changes: manna.web.cache.shared); its row is
    read each time (its thread_version with it)."""
    found = devotion_today_ref(today=today, slot=slot)
    if found is None:
        return None
    pk = found[0]
    if light:  # the home and session pages: prepared
        return next(iter(_BY_ID_LIGHT(pk=pk)), None)
    return next(iter(_BY_ID(pk=pk)), None)


def devotion_today_ref(
    *, today: dt.date | None = None, slot: str = ""
) -> tuple[int, dt.date] | None:
    """devotion_today's id and day, with no query but once a day for each slot (kept per
    generation): for a page that needs no more of it than that (the session page)."""
    today = today or site_today()
    return shared(("today", today, slot), lambda: _today_ref(today, slot)) or None


def _today_ref(today: dt.date, slot: str) -> tuple[int, dt.date] | tuple[()]:
    """devotion_today's id and day (empty: none yet, kept too), in the day order."""
    visible = devotion_list_visible(today=today).values_list("pk", "date")
    latest = visible.first()
    if latest is None:
        return ()
    if slot:
        in_slot = visible.filter(date=latest[1], slot=slot).first()
        if in_slot is not None:
            return (int(in_slot[0]), in_slot[1])
    return (int(latest[0]), latest[1])


OFFLINE_DAYS = 7  # the devotions kept for reading offline: today's and this many days before


def devotions_recent(*, today: dt.date | None = None) -> QuerySet[Devotion]:
    """Today's devotions and those of the last OFFLINE_DAYS days (kept for reading
    offline by the installed app)."""
    today = today or site_today()
    since = today - dt.timedelta(days=OFFLINE_DAYS)
    return devotion_list_visible(today=today).filter(date__gte=since)


def devotions_of_day(day: dt.date, *, today: dt.date | None = None) -> QuerySet[Devotion]:
    """The visible devotions of one day, in slot order."""
    return devotion_list_visible(today=today).filter(date=day)


def devotion_get_visible(*, slug: str, staff: bool = False, light: bool = False) -> Devotion | None:
    """The devotion with this slug if a visitor may see it (staff also see drafts;
    `light`: without ARTICLE_COLUMNS)."""
    if light and not staff:  # every reader's devotion page: prepared
        return next(iter(_VISIBLE_LIGHT(slug=slug, today=site_today())), None)
    found = Devotion.objects.select_related("series").filter(slug=slug)
    if light:
        found = found.defer(*ARTICLE_COLUMNS)
    if not staff:
        found = found.filter(status=Devotion.PUBLISHED, date__lte=site_today())
    return next(iter(found[:1]), None)  # one row by a unique key: no order to compute


_BY_ID = Prepared(Devotion, lambda pk: Devotion.objects.select_related("series").filter(pk=pk))
_BY_ID_LIGHT = Prepared(
    Devotion,
    lambda pk: Devotion.objects.select_related("series").defer(*ARTICLE_COLUMNS).filter(pk=pk),
)
_VISIBLE_LIGHT = Prepared(
    Devotion,
    lambda slug, today: (
        Devotion.objects.select_related("series")
        .defer(*ARTICLE_COLUMNS)
        .filter(slug=slug, status=Devotion.PUBLISHED, date__lte=today)[:1]
    ),
)


def devotion_neighbours(*, devotion: Devotion) -> tuple[Devotion | None, Devotion | None]:
    visible = devotion_list_visible()
    older = visible.filter(date__lt=devotion.date).order_by("-date").first()
    newer = visible.filter(date__gt=devotion.date).order_by("date").first()
    return older, newer


def devotion_search(
    *, query: str, spellings: Callable[[str], list[str]] | None = None
) -> QuerySet[Devotion]:
    """Visible devotions holding every word of `query` (in the title, the text or the
    passage), each word in any of its `spellings` ("Bethel": "Beth-el", "Caesar": "Cæsar").
    On PostgreSQL: its full-text search (English stems: "loved" finds "love"), best first
    (a word in the title counts most, then the passage, then the text); elsewhere: the
    words as written, newest first."""
    forms = [_forms(word, spellings) for word in query.split()]
    if connection.vendor == "postgresql" and forms:
        return _ranked(forms)
    condition = Q()
    for either_form in forms:
        either = Q()
        for form in either_form:
            either |= (
                Q(title__icontains=form)
                | Q(plain_text__icontains=form)
                | Q(passage__icontains=form)
            )
        condition &= either
    return devotion_list_visible().filter(condition)


def _forms(word: str, spellings: Callable[[str], list[str]] | None) -> list[str]:
    """A word of the query and every way of writing it."""
    forms = spellings(word) if spellings else [word]
    return list(dict.fromkeys([word, *forms, *_hyphen_forms(forms)]))


# On PostgreSQL a devotion is searched as this stored column (migration 0007: its title,
# passage and text, weighted, in English stems), read by its GIN index and ranked.
SEARCH_CONFIG = "english"


def _ranked(forms: list[list[str]]) -> QuerySet[Devotion]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
    from django.db.models.expressions import RawSQL

    query = None
    for either_form in forms:
        # A form of several words ("beth el") is a phrase; any form of a word will do.
        either = SearchQuery(either_form[0], search_type="phrase", config=SEARCH_CONFIG)
        for form in either_form[1:]:
            either |= SearchQuery(form, search_type="phrase", config=SEARCH_CONFIG)
        query = either if query is None else query & either
    column = f'"{Devotion._meta.db_table}"."search_document"'  # a fixed name: no input in it
    document = RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611
    return (
        devotion_list_visible()
        .alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query))
        .order_by("-rank", "-date", "slot_rank", "slot")
    )


def _hyphen_forms(forms: list[str]) -> list[str]:
    """A spelling the Bible writes in words ("beth el") as a devotion would write it."""
    spaced = [f for f in forms if " " in f]
    return [f.replace(" ", "-") for f in spaced] + [f.replace(" ", "") for f in spaced]


def devotions_citing(reference: Reference) -> QuerySet[Devotion]:
    """Visible devotions that cite any verse of `reference` (the citation index: "Exodus
    33:18" finds the devotion on Exodus 33:12-23), newest first."""
    overlaps = Q()
    for r in reference.ranges:
        overlaps |= Q(citations__start__lte=r.end, citations__end__gte=r.start)
    return devotion_list_visible().filter(overlaps).distinct()


def devotions_citing_verses(verse_ids: Collection[int]) -> dict[int, list[Devotion]]:
    """Verse id -> the visible devotions citing that verse, oldest first (ids in the
    default numbering, as citations are kept)."""
    if not verse_ids:
        return {}
    wanted = sorted(verse_ids)
    rows = (
        Citation.objects.filter(
            start__lte=wanted[-1], end__gte=wanted[0], devotion__in=devotion_list_visible()
        )
        .select_related("devotion")
        .order_by("devotion__date")
    )
    by_verse: dict[int, list[Devotion]] = {}
    for row in rows:
        for vid in wanted:
            if row.start <= vid <= row.end:
                devotions = by_verse.setdefault(vid, [])
                if row.devotion not in devotions:
                    devotions.append(row.devotion)
    return by_verse


@dataclass(slots=True)
class IndexEntry:
    reference: Reference
    devotions: list[Devotion]
    url: str  # the first verse in the Bible reader

    @property
    def label(self) -> str:
        return self.reference.human()


def scripture_index() -> OrderedDict[Book, list[IndexEntry]]:
    """Every passage cited by a visible devotion, book by book in canon order."""
    rows = (
        Citation.objects.filter(devotion__in=devotion_list_visible())
        .select_related("devotion")
        .order_by("start", "end", "devotion__date")
    )
    grouped: dict[tuple[int, int], list[Devotion]] = {}
    for row in rows:
        devotions = grouped.setdefault((row.start, row.end), [])
        if row.devotion not in devotions:
            devotions.append(row.devotion)
    index: OrderedDict[Book, list[IndexEntry]] = OrderedDict()
    for (start, end), devotions in grouped.items():
        book = canon().by_number[split_id(start)[0]]
        whole = split_id(start)[2] == 1 and _is_chapter_end(end)
        reference = Reference((VerseRange(start, end, whole_chapters=whole),))
        url = passage_url(open_store(), settings.MANNA_TRANSLATION, reference)
        index.setdefault(book, []).append(IndexEntry(reference, devotions, url))
    return index


def _is_chapter_end(end: int) -> bool:
    book, chapter, verse = split_id(end)
    return verse == versification().verse_count(canon().by_number[book], chapter)


def archive_months() -> list[tuple[dt.date, list[Devotion]]]:
    months: OrderedDict[dt.date, list[Devotion]] = OrderedDict()
    visible = devotion_list_visible().select_related(None)
    for devotion in visible.only("slug", "title", "date", "passage", "theme"):
        months.setdefault(devotion.date.replace(day=1), []).append(devotion)
    return list(months.items())
