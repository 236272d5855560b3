"""The reader's practice pages. Thin: services write, selectors read.

Every page is for its signed-in owner only: another person's session, entry, prayer or
plan is 404, whoever asks (moderators and admins included). Forms work without
JavaScript; the journal editor's script only adds autosave and the offline queue.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from manna.accounts.models import Profile
from manna.accounts.selectors import profile_of
from manna.devotions.depth import reading_minutes
from manna.devotions.selectors import devotion_get_visible
from manna.markup import section_html
from manna.practice import clock, exports, ical, selectors, services
from manna.practice import depth as reader_depth
from manna.practice.forms import (
    AnswerForm,
    ImportForm,
    JournalForm,
    JournalSearchForm,
    PlanForm,
    PrayerForm,
    PrayerUpdateForm,
    RhythmForm,
)
from manna.practice.models import JournalEntry, Rhythm, Session
from manna.scripture import ScriptureError, open_store, parse_osis, parse_reference
from manna.web.http import on_site, posted, see_other


def _today(request: HttpRequest) -> dt.date:
    return clock.practice_day(timezone.now(), profile_of(request.user).time_zone)


def _owned(found: Any) -> Any:
    if found is None:
        raise Http404("Nothing of yours here.")
    return found


# --- overview and settings ------------------------------------------------------------------


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = _today(request)
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


# --- sessions -------------------------------------------------------------------------------


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


def _practice_html(devotion: Any) -> str:
    return section_html(devotion.body_html, "practice") if devotion else ""


def _reading_verses(osis: str) -> list[Any]:
    if not osis:
        return []
    try:
        return open_store().verses(parse_osis(osis), settings.MANNA_TRANSLATION)
    except ScriptureError:
        return []


def _editor(
    request: HttpRequest, *, entry: JournalEntry | None, kind: str = "", devotion: str = ""
) -> JournalForm:
    """The journal editor's form: an entry's text and version, or a new entry's uid
    (tied to the day's `kind` session when written on a session page)."""
    initial = {
        "uid": entry.uid if entry else uuid.uuid4(),
        "version": entry.version if entry else 0,
        "writer": uuid.uuid4().hex,  # one per page: a second tab is a second writer
        "kind": kind,
        "devotion": devotion,
        "body": entry.body if entry else "",
    }
    return JournalForm(initial=initial)


@login_required
@require_safe
def session_page(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    now = timezone.now()
    today = _today(request)
    session = selectors.session_of_day(user=request.user, day=today, kind=kind)
    devotion = session.devotion if session else selectors.day_devotion(today)
    due = selectors.plan_reading_for(request.user, today)
    reading = session.reading if session and session.reading else ""
    if not reading:
        reading = due.osis if due else ""
    depth = selectors.day_depth(user=request.user, reading=due)
    entry = session.entries.order_by("-updated").first() if session else None
    planned = session.planned if session else services.rhythm_of(request.user).minutes * 60
    context = {
        "kind": kind,
        "today": today,
        "session": session,
        "state": session.state() if session else "ready",
        "remaining": session.remaining(now) if session else planned,
        "remaining_text": _minutes_seconds(session.remaining(now) if session else planned),
        "planned_minutes": planned // 60,
        "devotion": devotion,
        "practice_html": _practice_html(devotion),
        "depth": depth,
        "devotion_html": devotion.html_at(depth) if devotion else "",
        "depth_minutes": reading_minutes(devotion.words_at(depth)) if devotion else 0,
        "reading": parse_osis(reading).human() if reading else "",
        "reading_verses": _reading_verses(reading),
        "form": _editor(request, entry=entry, kind=kind),
        "entry": entry,
    }
    return render(request, "practice/session.html", context)


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
        session = _owned(
            selectors.session_of_day(user=request.user, day=_today(request), kind=kind)
        )
        _TIMER_ACTIONS[action](session=session, now=now)
    else:
        raise Http404("The timer can start, pause, resume or finish.")
    if action == "finish":
        messages.success(request, f"Your {kind} session is kept. Thank you for the time.")
    return see_other(reverse("practice_session", args=[kind]))


# --- journal --------------------------------------------------------------------------------


@login_required
@require_safe
def journal(request: HttpRequest) -> HttpResponse:
    """The reader's entries, newest first, or those matching words and a passage."""
    form = JournalSearchForm(request.GET)
    entries = selectors.journal_search(user=request.user)
    searched = False
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["passage"]):
        passage = None
        if form.cleaned_data["passage"]:
            try:
                passage = parse_reference(form.cleaned_data["passage"])
            except ScriptureError as err:
                form.add_error("passage", str(err))
        if not form.errors:
            searched = True
            entries = selectors.journal_search(
                user=request.user, words=form.cleaned_data["q"], passage=passage
            )
    context = {"form": form, "entries": entries[:200], "searched": searched}
    return render(request, "practice/journal.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def journal_new(request: HttpRequest) -> HttpResponse:
    """A new entry; `?devotion=slug` ties it to that devotion and its passage."""
    devotion = devotion_get_visible(slug=request.GET.get("devotion", ""))
    form = _editor(request, entry=None, devotion=devotion.slug if devotion else "")
    return render(request, "practice/entry.html", {"form": form, "devotion": devotion})


@login_required
@require_safe
def journal_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _owned(selectors.entry_get(user=request.user, pk=pk))
    context = {"form": _editor(request, entry=entry), "entry": entry}
    return render(request, "practice/entry.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def journal_save(request: HttpRequest) -> HttpResponse:
    """One save from the editor: JSON for the script, a redirect (or the form again with
    its text and the reason) without it."""
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse(
                {
                    "error": "You are signed out. Sign in again in another tab; your text is "
                    "kept in this browser and will be sent then."
                },
                status=401,
            )
        return redirect(f"{reverse('signin')}?next={reverse('journal_new')}")
    form = JournalForm(request.POST)
    error = ""
    if form.is_valid() and form.cleaned_data["owner"] != selectors.journal_owner(request.user):
        # Kept in this browser for another account: never saved into this journal.
        message = (
            "This text was written while another account was signed in on this browser. "
            "It stays in this browser for that account and is not saved here."
        )
        if _wants_json(request):
            return JsonResponse({"error": message, "owner": "other"}, status=403)
        return render(request, "practice/entry.html", {"form": form, "error": message}, status=403)
    if form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        try:
            session = None
            if data["kind"]:
                session = services.session_open(user=request.user, kind=data["kind"], now=now)
            devotion = None
            if data["devotion"]:
                devotion = devotion_get_visible(slug=data["devotion"])
            saved = services.entry_save(
                user=request.user,
                uid=data["uid"],
                body=data["body"],
                base_version=data["version"],
                writer=data["writer"],
                now=now,
                session=session,
                devotion=devotion,
                passage=devotion.passage_osis if devotion else "",
            )
        except ValidationError as err:
            error = " ".join(err.messages)
        else:
            entry = saved.entry
            if _wants_json(request):
                return JsonResponse(
                    {
                        "uid": str(entry.uid),
                        "version": entry.version,
                        "conflict": saved.conflict,
                        "url": reverse("journal_entry", args=[entry.pk]),
                        "saved": entry.updated.isoformat(),
                    }
                )
            if saved.conflict:
                messages.warning(request, _CONFLICT)
            else:
                messages.success(request, "Saved.")
            return see_other(_back(request, reverse("journal_entry", args=[entry.pk])))
    else:
        error = "The form was incomplete; reload the page (your text is below) and save again."
    if _wants_json(request):
        return JsonResponse({"error": error}, status=400)
    context = {"form": form, "error": error}
    return render(request, "practice/entry.html", context, status=400)


_CONFLICT = (
    "This entry was changed in another tab or device meanwhile, so what you wrote here is "
    "saved as a separate entry beside it. Nothing was overwritten."
)


@login_required
@require_http_methods(["GET", "POST"])
def journal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _owned(selectors.entry_get(user=request.user, pk=pk))
    if request.method == "POST":
        services.entry_delete(entry=entry)
        messages.success(request, "The entry is deleted.")
        return see_other(reverse("journal"))
    return render(request, "practice/entry_delete.html", {"entry": entry})


@login_required
@require_safe
def journal_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("zip", "json"):
        raise Http404("Export as .zip (Markdown files and JSON) or .json.")
    stamp = _today(request).isoformat()
    if fmt == "zip":
        response = HttpResponse(exports.export_zip(request.user), content_type="application/zip")
    else:
        data = json.dumps(exports.export_data(request.user), ensure_ascii=False, indent=2)
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="manna-journal-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def journal_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(posted(request), request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                data = exports.read_upload(form.cleaned_data["file"].read())
                report = exports.import_data(request.user, data)
            except ValidationError as err:
                form.add_error("file", err)
            else:
                messages.success(
                    request,
                    f"Imported {report.added} entries ({report.unchanged} were here already, "
                    f"{report.kept_both} kept beside a different version) and "
                    f"{report.prayers_added} prayers ({report.prayers_unchanged} were here).",
                )
                return see_other(reverse("journal"))
    return render(request, "practice/import.html", {"form": form}, status=status)


# --- prayer list ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def prayers(request: HttpRequest) -> HttpResponse:
    form = PrayerForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.prayer_add(user=request.user, day=_today(request), **form.cleaned_data)
            except ValidationError as err:
                form.add_error("request", err)
            else:
                messages.success(request, "Added to your prayer list.")
                return see_other(reverse("prayers"))
    context = {"form": form, "prayers": selectors.prayers_open(user=request.user)}
    return render(request, "practice/prayers.html", context, status=status)


@login_required
@require_safe
def prayers_answered(request: HttpRequest) -> HttpResponse:
    months = selectors.prayers_answered(user=request.user)
    return render(request, "practice/answered.html", {"months": months})


@login_required
@require_http_methods(["GET", "POST"])
def prayer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _owned(selectors.prayer_get(user=request.user, pk=pk))
    action = request.POST.get("action", "")
    update_form = PrayerUpdateForm(request.POST if action == "update" else None)
    answer_form = AnswerForm(
        request.POST if action == "answer" else None, initial={"answered_on": _today(request)}
    )
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if action == "update" and update_form.is_valid():
                services.prayer_note(prayer=item, day=_today(request), **update_form.cleaned_data)
                return see_other(reverse("prayer", args=[pk]))
            if action == "answer" and answer_form.is_valid():
                services.prayer_answer(
                    prayer=item,
                    day=answer_form.cleaned_data["answered_on"],
                    note=answer_form.cleaned_data["answer"],
                )
                messages.success(request, "Marked as answered.")
                return see_other(reverse("prayer", args=[pk]))
            if action == "reopen":
                services.prayer_reopen(prayer=item)
                return see_other(reverse("prayer", args=[pk]))
            if action == "delete":
                services.prayer_delete(prayer=item)
                messages.success(request, "The prayer is deleted.")
                return see_other(reverse("prayers"))
            if action not in ("update", "answer"):
                raise Http404("Unknown action.")
        except ValidationError as err:
            (answer_form if action == "answer" else update_form).add_error(None, err)
    context = {"prayer": item, "update_form": update_form, "answer_form": answer_form}
    return render(request, "practice/prayer.html", context, status=status)


# --- reading plans --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    today = _today(request)
    form = PlanForm(
        posted(request), request.FILES or None, initial={"start": today, "kind": "built-in"}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.cleaned_data.get("plan") is not None:
            enrollment = services.plan_start(
                user=request.user,
                plan=form.cleaned_data["plan"],
                start=form.cleaned_data["start"],
                deepen=form.cleaned_data["deepen"],
            )
            messages.success(request, f"You are following “{enrollment.name}”.")
            return see_other(reverse("plan", args=[enrollment.pk]))
    views = [
        selectors.plan_view(enrollment=e, today=today)
        for e in selectors.plans_of(user=request.user)
    ]
    return render(request, "practice/plans.html", {"form": form, "plans": views}, status=status)


@login_required
@require_safe
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _owned(selectors.enrollment_get(user=request.user, pk=pk))
    today = _today(request)
    context = {
        "view": selectors.plan_view(enrollment=enrollment, today=today),
        "readings": enrollment.readings.order_by("due", "number"),
        "today": today,
    }
    return render(request, "practice/plan.html", context)


_PLAN_ACTIONS = {
    "catch-up": (services.plan_catch_up, "The missed readings are on today’s list."),
    "respread": (services.plan_respread, "What is left is spread again up to the same end."),
    "push": (services.plan_push, "The rest of the plan moved later; the end date moved too."),
}


@login_required
@require_POST
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    enrollment = _owned(selectors.enrollment_get(user=request.user, pk=pk))
    if action == "stop":
        services.plan_stop(enrollment=enrollment)
        messages.success(request, "You stopped this plan; what you read stays in its history.")
    elif action in _PLAN_ACTIONS:
        act, said = _PLAN_ACTIONS[action]
        act(enrollment=enrollment, today=_today(request))
        messages.success(request, said)
    else:
        raise Http404("Plans can catch up, re-spread, push or stop.")
    return see_other(reverse("plan", args=[pk]))


@login_required
@require_POST
def reading_done(request: HttpRequest, pk: int) -> HttpResponse:
    reading = _owned(selectors.reading_get(user=request.user, pk=pk))
    services.reading_mark(
        reading=reading, done=request.POST.get("done") == "1", day=_today(request)
    )
    return see_other(_back(request, reverse("plan", args=[reading.enrollment_id])))


# --- rhythm ---------------------------------------------------------------------------------


@login_required
@require_safe
def rhythm(request: HttpRequest) -> HttpResponse:
    today = _today(request)
    weeks = selectors.rhythm_weeks(user=request.user, today=today, now=timezone.now())
    context = {
        "weeks": weeks,
        "today": today,
        "mornings": sum(w.mornings for w in weeks),
        "evenings": sum(w.evenings for w in weeks),
    }
    return render(request, "practice/rhythm.html", context)


# --- graded depth ---------------------------------------------------------------------------


@login_required
@require_POST
def depth_not_now(request: HttpRequest) -> HttpResponse:
    """The reader declines the invitation to go deeper (asked again after the rule's days)."""
    reader_depth.decline_invitation(request.user, _today(request))
    messages.success(request, "As you wish. Your depth stays as it is.")
    return see_other(_back(request, reverse("home")))


def _back(request: HttpRequest, default: str) -> str:
    """Where a form asked to return: one of this site's paths, else `default`."""
    back = request.POST.get("next", "")
    return back if on_site(request, back) else default
