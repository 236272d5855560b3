"""`/healthz` for load balancers; `/metrics` for Prometheus, answered only to the bearer of
MANNA_METRICS_TOKEN (anyone else gets the 404 any unknown address gets)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from manna.ops.health import health
from manna.ops.metrics import exposition


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every part answers, 503 when one does not (a load balancer then sends
    readers to another server), with each check's time and what failed."""
    checks = health()
    ok = all(c.ok for c in checks)
    return JsonResponse(
        {
            "status": "ok" if ok else "failing",
            "checks": {c.name: {"ok": c.ok, "ms": c.ms, "detail": c.detail} for c in checks},
        },
        status=200 if ok else 503,
    )


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.MANNA_METRICS_TOKEN
    expected = f"Bearer {token}".encode()
    given = request.headers.get("Authorization", "").encode()
    if not token or not secrets.compare_digest(given, expected):
        raise Http404("No page here.")
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)
