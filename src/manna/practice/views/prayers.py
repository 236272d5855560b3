"""The prayer list: requests, updates, answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from manna.practice import selectors, services
from manna.practice.forms import (
    AnswerForm,
    PrayerForm,
    PrayerUpdateForm,
)
from manna.practice.views._common import delete_confirmed, owned, today_of
from manna.web.http import posted, see_other


@login_required
@require_http_methods(["GET", "POST"])
def prayers(request: HttpRequest) -> HttpResponse:
    form = PrayerForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.prayer_add(user=request.user, day=today_of(request), **form.cleaned_data)
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
    item = owned(selectors.prayer_get(user=request.user, pk=pk))
    action = request.POST.get("action", "")
    update_form = PrayerUpdateForm(request.POST if action == "update" else None)
    edit_form = PrayerForm(
        request.POST if action == "edit" else None,
        initial={"request": item.request, "person": item.person, "category": item.category},
    )
    answer_form = AnswerForm(
        request.POST if action == "answer" else None, initial={"answered_on": today_of(request)}
    )
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if action == "update" and update_form.is_valid():
                services.prayer_note(prayer=item, day=today_of(request), **update_form.cleaned_data)
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
            if action == "edit" and edit_form.is_valid():
                services.prayer_edit(prayer=item, **edit_form.cleaned_data)
                messages.success(request, "The prayer is changed.")
                return see_other(reverse("prayer", args=[pk]))
            if action not in ("update", "answer", "edit"):
                raise Http404("Unknown action.")
        except ValidationError as err:
            by_action: dict[str, Form] = {"answer": answer_form, "edit": edit_form}
            by_action.get(action, update_form).add_error(None, err)
    context = {
        "prayer": item,
        "update_form": update_form,
        "answer_form": answer_form,
        "edit_form": edit_form,
        "editing": action == "edit",
    }
    return render(request, "practice/prayer.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def prayer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deleting asks first: a prayer deleted is gone."""
    item = owned(selectors.prayer_get(user=request.user, pk=pk))
    return delete_confirmed(
        request,
        thing=item,
        name="prayer",
        delete=lambda: services.prayer_delete(prayer=item),
        done=reverse("prayers"),
    )
