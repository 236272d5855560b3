"""`{% depth_invitation %}`: the practice's slot on the devotion page (see practice.depth)."""

from django import template
from django.utils import timezone

from manna.practice.depth import invitation_for

register = template.Library()


@register.inclusion_tag("practice/_depth_invitation.html", takes_context=True)
def depth_invitation(context) -> dict[str, object]:
    request = context["request"]
    invitation = invitation_for(request.user, timezone.now(), timezone.localdate())
    return {"invitation": invitation, "request": request, "csrf_token": context.get("csrf_token")}
