"""Devotion pages. Thin: each reads through selectors and renders a template."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from manna.devotions import selectors
from manna.devotions.depth import DEPTHS, LABELS, reading_minutes
from manna.devotions.models import Series, Tag
from manna.web.cache import anonymous_cache


@require_safe
@anonymous_cache
def home(request: HttpRequest) -> HttpResponse:
    devotion = selectors.devotion_today()
    if devotion is None:
        return render(request, "devotions/empty.html")
    return _devotion_page(request, devotion, is_today=True)


@require_safe
@anonymous_cache
def devotion_detail(request: HttpRequest, slug: str) -> HttpResponse:
    devotion = selectors.devotion_get_visible(slug=slug, staff=request.user.is_staff)
    if devotion is None:
        raise Http404(f'No devotion "{slug}" has been published. See the archive for every one.')
    return _devotion_page(request, devotion, is_today=False)


def _devotion_page(request: HttpRequest, devotion, *, is_today: bool) -> HttpResponse:
    from manna.practice import depth as reader_depth

    older, newer = selectors.devotion_neighbours(devotion=devotion)
    chosen = reader_depth.depth_of(request)
    now = timezone.now()
    context = {
        "devotion": devotion,
        "older": older,
        "newer": newer,
        "is_today": is_today,
        "depth": chosen,
        "depths": depth_choices(devotion),
        "body_html": devotion.html_at(chosen),
        "minutes": reading_minutes(devotion.words_at(chosen)),
        "invitation": reader_depth.invitation_for(request.user, now, timezone.localdate()),
    }
    response = render(request, "devotions/devotion.html", context)
    reader_depth.remember(request, response)
    return response


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
