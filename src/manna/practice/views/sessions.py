"""Morning and evening sessions: the day's devotion and reading, the timer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from manna.accounts.selectors import profile_of
from manna.devotions.depth import reading_minutes
from manna.devotions.models import Devotion
from manna.devotions.selectors import site_today
from manna.markup import section_html
from manna.practice import clock, selectors, services
from manna.practice.forms import JournalForm
from manna.practice.models import Session
from manna.practice.views._common import owned, today_of
from manna.practice.views.journal import editor_form, new_entry_editor, save_posted
from manna.scripture import ScriptureError, open_store, parse_osis
from manna.web.cache import shared
from manna.web.http import see_other


@login_required
@require_safe
def session_now(request: HttpRequest) -> HttpResponse:
    """The session that fits the hour where the reader is."""
    kind = clock.kind_at(timezone.now(), profile_of(request.user).time_zone)
    return redirect("practice_session", kind=kind)


def _kind(kind: str) -> str:
    if kind not in Session.Kind.values:
        raise Http404("Sessions are morning or evening.")
    return kind


def _devotion_card(devotion: tuple[int, dt.date] | None, depth: str, today: dt.date) -> str:
    """The day's devotion (its id and day) on a session page, at the reader's depth: the
    same for every reader of that depth on that day, so built once and kept
    (manna.web.cache.shared)."""
    if devotion is None:
        return ""
    pk, day = devotion
    # "Today's" only on its day: the reader's, or the site's while it is behind.
    is_today = day in (today, site_today())
    html = shared(
        ("session-devotion", pk, depth, is_today),
        lambda: _devotion_card_html(pk, depth, is_today),
    )
    return mark_safe(html)  # noqa: S308 - our template's HTML


def _devotion_card_html(pk: int, depth: str, is_today: bool) -> str:
    devotion = Devotion.objects.get(pk=pk)  # every column: its texts
    return render_to_string(
        "practice/_session_devotion.html",
        {
            "devotion": devotion,
            "devotion_is_today": is_today,
            "practice_html": section_html(devotion.body_html, "practice"),
            "depth": depth,
            "devotion_html": devotion.html_at(depth),
            "depth_minutes": reading_minutes(devotion.words_at(depth)),
        },
    )


def _reading_verses(osis: str) -> list[Any]:
    if not osis:
        return []
    try:
        return open_store().verses_of(parse_osis(osis), settings.MANNA_TRANSLATION)
    except ScriptureError:
        return []


@login_required
@require_safe
def session_page(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    now = timezone.now()
    today = today_of(request)
    session = selectors.session_of_day(user=request.user, day=today, kind=kind)
    if session is None:
        devotion = selectors.day_devotion_ref(today, kind)
    else:
        devotion = (session.devotion.pk, session.devotion.date) if session.devotion else None
    due = selectors.plan_reading_for(request.user, today)
    reading = session.reading if session and session.reading else ""
    if not reading:
        reading = due.osis if due else ""
    depth = selectors.day_depth(user=request.user, reading=due)
    entry = session.entries.order_by("-updated").first() if session else None
    planned = session.planned if session else services.rhythm_of(request.user).minutes * 60
    here = reverse("practice_session", args=[kind])
    context = {
        "kind": kind,
        "today": today,
        "session": session,
        "state": session.state() if session else "ready",
        "remaining": session.remaining(now) if session else planned,
        "remaining_text": _minutes_seconds(session.remaining(now) if session else planned),
        "planned_minutes": planned // 60,
        "depth": depth,
        "devotion_card": _devotion_card(devotion, depth, today),
        "reading": parse_osis(reading).human() if reading else "",
        "reading_osis": reading,
        "reading_verses": _reading_verses(reading),
        "entry": entry,
        "here": here,
        "editor_label": EDITOR_LABEL,
    }
    if entry is None:  # nothing written yet: the editor every reader starts from
        context["editor_html"] = new_entry_editor(
            request, kind=kind, next_url=here, label=EDITOR_LABEL, form_id="session-journal"
        )
    else:
        context["form"] = editor_form(request, entry=entry, kind=kind)
    return render(request, "practice/session.html", context)


EDITOR_LABEL = "What you noticed"


def _minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


_TIMER_ACTIONS = {
    "pause": services.session_pause,
    "resume": services.session_resume,
    "finish": services.session_finish,
}


@login_required
@require_POST
def session_action(request: HttpRequest, kind: str, action: str) -> HttpResponse:
    kind = _kind(kind)
    now = timezone.now()
    if action == "start":
        services.session_start(user=request.user, kind=kind, now=now)
    elif action in _TIMER_ACTIONS:
        session = owned(
            selectors.session_of_day(user=request.user, day=today_of(request), kind=kind)
        )
        _TIMER_ACTIONS[action](session=session, now=now)
    else:
        raise Http404("The timer can start, pause, resume or finish.")
    if "body" in request.POST:
        # The timer's buttons send the session's journal text with them (they belong to
        # its form), so pressing one right after typing never loses or splits an entry.
        _saved, error, _status = save_posted(request, JournalForm(request.POST))
        if error:
            messages.error(request, error)
    if action == "finish":
        messages.success(request, f"Your {kind} session is kept. Thank you for the time.")
    return see_other(reverse("practice_session", args=[kind]))
