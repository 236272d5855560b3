"""Reading plans followed day by day."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from manna.practice import selectors, services
from manna.practice.forms import (
    PlanForm,
)
from manna.practice.views._common import back_to, owned, today_of
from manna.web.http import posted, see_other


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    today = today_of(request)
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
    enrollment = owned(selectors.enrollment_get(user=request.user, pk=pk))
    today = today_of(request)
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
    enrollment = owned(selectors.enrollment_get(user=request.user, pk=pk))
    if action == "stop":
        services.plan_stop(enrollment=enrollment)
        messages.success(request, "You stopped this plan; what you read stays in its history.")
    elif action in _PLAN_ACTIONS:
        act, said = _PLAN_ACTIONS[action]
        act(enrollment=enrollment, today=today_of(request))
        messages.success(request, said)
    else:
        raise Http404("Plans can catch up, re-spread, push or stop.")
    return see_other(reverse("plan", args=[pk]))


@login_required
@require_POST
def reading_done(request: HttpRequest, pk: int) -> HttpResponse:
    reading = owned(selectors.reading_get(user=request.user, pk=pk))
    services.reading_mark(
        reading=reading, done=request.POST.get("done") == "1", day=today_of(request)
    )
    return see_other(back_to(request, reverse("plan", args=[reading.enrollment_id])))
