"""The practice's overview, its settings, the rhythm calendar and the calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from manna.accounts.models import Profile
from manna.accounts.selectors import profile_of
from manna.practice import clock, ical, selectors, services
from manna.practice.forms import (
    RhythmForm,
)
from manna.practice.models import Rhythm, Session
from manna.practice.views._common import today_of
from manna.web.http import posted, see_other


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = today_of(request)
    weeks = selectors.rhythm_weeks(user=request.user, today=today, now=now, weeks=1)
    sessions = {
        kind: selectors.session_of_day(user=request.user, day=today, kind=kind)
        for kind in Session.Kind.values
    }
    plans = [
        selectors.plan_view(enrollment=e, today=today)
        for e in selectors.plans_of(user=request.user).filter(active=True)
    ]
    context = {
        "today": today,
        "now_kind": clock.kind_at(now, profile_of(request.user).time_zone),
        "sessions": sessions,
        "week": weeks[0],
        "plans": plans,
        "prayers": selectors.prayers_open(user=request.user)[:5],
        "entries": selectors.journal_search(user=request.user)[:3],
    }
    return render(request, "practice/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rhythm_settings(request: HttpRequest) -> HttpResponse:
    rhythm = services.rhythm_of(request.user)
    profile = profile_of(request.user)
    initial = {
        "morning": rhythm.morning,
        "evening": rhythm.evening,
        "minutes": rhythm.minutes,
        "remind_by_email": profile.remind_by_email,
    }
    form = RhythmForm(posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.rhythm_update(user=request.user, **form.cleaned_data)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, "Your practice settings are saved.")
                return see_other(reverse("practice_settings"))
    feed = settings.MANNA_SITE_URL + reverse("practice_calendar", args=[rhythm.calendar_token])
    context = {"form": form, "feed": feed, "time_zone": profile.time_zone}
    return render(request, "practice/settings.html", context, status=status)


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    services.calendar_token_renew(user=request.user)
    messages.success(
        request, "Your calendar has a new address; the old one no longer works. Add the new one."
    )
    return see_other(reverse("practice_settings"))


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    rhythm = Rhythm.objects.filter(calendar_token=token).select_related("user").first()
    if rhythm is None or not rhythm.user.is_active:
        raise Http404("This calendar address is not valid (it may have been replaced).")
    zone_name = Profile.objects.get(user=rhythm.user).time_zone
    body = ical.calendar(user=rhythm.user, rhythm=rhythm, time_zone=zone_name, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def rhythm(request: HttpRequest) -> HttpResponse:
    today = today_of(request)
    weeks = selectors.rhythm_weeks(user=request.user, today=today, now=timezone.now())
    context = {
        "weeks": weeks,
        "today": today,
        "mornings": sum(w.mornings for w in weeks),
        "evenings": sum(w.evenings for w in weeks),
        "day_names": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    }
    return render(request, "practice/rhythm.html", context)
