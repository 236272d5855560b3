"""Devotion pages. Thin: each reads through selectors and renders a template."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from manna.devotions import reading, selectors
from manna.devotions.card import card_png
from manna.devotions.depth import COOKIE as DEPTH_COOKIE
from manna.devotions.depth import DEPTHS, LABELS, is_depth, reading_minutes
from manna.devotions.models import Devotion, Series, Tag
from manna.web import cache
from manna.web.cache import anonymous_cache
from manna.web.http import on_site, see_other, wants_json
from manna.web.kept import ANYONE_SIGNED_IN, SKELETON, holes_filled


@require_safe
@anonymous_cache(cookies=(DEPTH_COOKIE,))
def home(request: HttpRequest) -> HttpResponse:
    devotion = selectors.devotion_today(light=True)
    if devotion is None:
        return render(request, "devotions/empty.html")
    # The latest devotion: "Today" only when it is today's (in the site's time zone).
    return _devotion_page(
        request, devotion, is_today=devotion.date == selectors.site_today(), home=True
    )


@require_safe
@anonymous_cache(cookies=(DEPTH_COOKIE,))
def devotion_detail(request: HttpRequest, slug: str) -> HttpResponse:
    devotion = selectors.devotion_get_visible(slug=slug, staff=request.user.is_staff, light=True)
    if devotion is None:
        raise Http404(f'No devotion "{slug}" has been published. See the archive for every one.')
    return _devotion_page(request, devotion, is_today=False)


@require_safe
def devotion_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The devotion's share card (og:image): the picture shown with a link to it."""
    devotion = selectors.devotion_get_visible(slug=slug)
    if devotion is None:
        raise Http404(f'No devotion "{slug}" has been published.')
    png = card_png(
        site=settings.MANNA_SITE_NAME,
        title=devotion.title,
        passage=devotion.passage,
        osis=devotion.passage_osis,
        translation=devotion.translation,
    )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _devotion_page(
    request: HttpRequest, devotion, *, is_today: bool, home: bool = False
) -> HttpResponse:
    chosen = reading.depth_of(request)
    today = selectors.site_today()
    is_latest = home and not is_today
    origin = f"{request.scheme}://{request.get_host()}"
    # The article is the same for every reader of this depth on this day: built once.
    shared = cache.shared(
        ("devotion", devotion.pk, chosen, is_today, is_latest, today, origin),
        lambda: _article(devotion, chosen, is_today=is_today, is_latest=is_latest, origin=origin),
    )
    context = {
        "devotion": devotion,
        "site_today": today,
        "depth": chosen,
        "shared": shared,
    }
    parts = None if request.user.is_staff else _reader_parts(request, context)
    if parts is None:  # rendered whole for this reader
        response = render(request, "devotions/devotion.html", context)
    else:
        signed_in = bool(request.user.is_authenticated)
        page = cache.shared(
            ("devotion-page", devotion.pk, chosen, is_today, is_latest, today, origin, signed_in),
            lambda: _skeleton(signed_in, context),
        )
        response = HttpResponse(holes_filled(page, parts))
    reading.remember(request, response)
    return response


# The reader's own parts of the devotion page (holes in its kept skeleton), rendered in one
# go by the tags and context processors the whole page uses. The first says whether the page
# must be rendered whole for them instead: a message waits (shown once, on this page), or
# they write (the page has their bar). Staff (drafts) always get it whole.
_PARTS = ("own", "site-header", "depth-form", "depth-invitation", "replies")
_SEPARATOR = "\x00part\x00"
_OWN_PAGE = "{% if i_write or messages %}own{% endif %}"
_TAGS = (
    "{% site_header %}",
    "{% depth_keep_form %}",
    "{% depth_invitation %}",
    "{% replies devotion %}",
)


@functools.cache
def _parts_template() -> Any:
    source = _SEPARATOR.join([_OWN_PAGE, *_TAGS])
    return engines["django"].from_string(
        "{% load chrome depth_form practice_depth community %}" + source
    )


def _skeleton(signed_in: bool, context: dict) -> str:
    """The page every reader of this kind (signed in or not) sees, their own parts left as
    holes (manna.web.kept): rendered with no request, so nothing of the reader it is built
    for gets in."""
    anyone = ANYONE_SIGNED_IN if signed_in else AnonymousUser()
    return render_to_string(
        "devotions/devotion.html",
        {
            **context,
            SKELETON: True,
            "user": anyone,
            "site_name": settings.MANNA_SITE_NAME,
            "messages": (),
        },
    )


def _reader_parts(request: HttpRequest, context: dict) -> dict[str, str] | None:
    """This reader's parts of the page, rendered as the whole page would render them (the
    same tags, the same context processors); None: render the page whole for them."""
    rendered = _parts_template().render(context, request)
    parts = dict(zip(_PARTS, rendered.split(_SEPARATOR), strict=True))
    return None if parts.pop("own") else parts


@dataclass(frozen=True, slots=True)
class Article:
    """A devotion's article at one depth, as every reader sees it (kept: never changed)."""

    meta: str
    header: str
    depth_links: str
    main: str


def _article(devotion, depth: str, *, is_today: bool, is_latest: bool, origin: str) -> Article:
    """The devotion's article at one depth, as every reader sees it: the page's meta tags,
    its header, the depth control's links and the rest (the form keeping a depth is each
    reader's)."""
    devotion = Devotion.objects.select_related("series").get(pk=devotion.pk)  # every column
    older, newer = selectors.devotion_neighbours(devotion=devotion)
    context = {
        "devotion": devotion,
        "older": older,
        "newer": newer,
        "is_today": is_today,
        "is_latest": is_latest,
        # The day's other devotions (morning and evening, say), in slot order.
        "same_day": [d for d in selectors.devotions_of_day(devotion.date) if d.pk != devotion.pk],
        "depth": depth,
        "body_html": devotion.html_at(depth),
        "minutes": reading_minutes(devotion.words_at(depth)),
        "origin": origin,
        "site_name": settings.MANNA_SITE_NAME,
    }
    context["depths"] = depth_choices(devotion)
    return Article(
        meta=render_to_string("devotions/_article_meta.html", context),
        header=render_to_string("devotions/_article_header.html", context),
        depth_links=render_to_string("devotions/_depth_links.html", context),
        main=render_to_string("devotions/_article_main.html", context),
    )


@login_required
@require_POST
def depth_keep(request: HttpRequest) -> HttpResponse:
    """The reader keeps a depth as theirs (a GET with ?depth= shows it, never stores it:
    a link on another site must not change an account)."""
    depth = request.POST.get("depth", "")
    back = request.POST.get("next", "")
    back = back if on_site(request, back) else reverse("home")
    if not is_depth(depth):
        if wants_json(request):
            return JsonResponse({"error": "Choose glimpse, walk or study."}, status=400)
        messages.error(request, "Choose glimpse, walk or study.")
        return see_other(back)
    reading.keep(request.user, depth)
    if wants_json(request):
        return JsonResponse({"depth": depth})
    messages.success(request, f"You read at the {depth} depth now.")
    return see_other(f"{back.split('?')[0].split('#')[0]}?depth={depth}")


def depth_choices(devotion) -> list[tuple[str, str, int]]:
    """(depth, label, minutes to read) for the depth control."""
    return [(d, LABELS[d], reading_minutes(devotion.words_at(d))) for d in DEPTHS]


@require_safe
@anonymous_cache
def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "devotions/archive.html", {"months": selectors.archive_months()})


@require_safe
@anonymous_cache
def series_list(request: HttpRequest) -> HttpResponse:
    visible = selectors.devotion_list_visible()
    series = Series.objects.filter(devotions__in=visible).distinct()
    return render(request, "devotions/series_list.html", {"series_list": series})


@require_safe
@anonymous_cache
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    devotions = selectors.devotion_list_visible().filter(series=series).order_by("date")
    return render(
        request,
        "devotions/listing.html",
        {
            "heading": series.title,
            "intro": series.description,
            "devotions": devotions,
            "kind": "Series",
        },
    )


@require_safe
@anonymous_cache
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    devotions = selectors.devotion_list_visible().filter(tags=tag)
    return render(
        request,
        "devotions/listing.html",
        {"heading": tag.name, "intro": "", "devotions": devotions, "kind": "Tag"},
    )


@require_safe
@anonymous_cache
def scripture_index(request: HttpRequest) -> HttpResponse:
    return render(request, "devotions/scripture_index.html", {"index": selectors.scripture_index()})


@require_safe
def offline_recent(request: HttpRequest) -> JsonResponse:
    """The pages the installed app keeps for reading offline: the home page and the recent
    devotions (each at the reader's depth: the service worker fetches them as the reader)."""
    urls = [reverse("home")] + [d.get_absolute_url() for d in selectors.devotions_recent()]
    response = JsonResponse({"urls": urls})
    response["Cache-Control"] = "no-cache"
    return response
