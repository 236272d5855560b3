"""Growing in depth: saying 'not now' to the invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from manna.practice import depth as reader_depth
from manna.practice.views._common import back_to, today_of
from manna.web.http import see_other


@login_required
@require_POST
def depth_not_now(request: HttpRequest) -> HttpResponse:
    """The reader declines the invitation to go deeper (asked again after the rule's days)."""
    reader_depth.decline_invitation(request.user, today_of(request))
    messages.success(request, "As you wish. Your depth stays as it is.")
    return see_other(back_to(request, reverse("home")))
