"""Manna as an installable web app: its manifest and icons, its service worker (which keeps
pages for reading offline, static/manna/sw.js), and the page shown offline when a page was
never kept.

What the service worker keeps is sorted by whose it is. A page served to a signed-in reader
carries `Manna-Owner` (an opaque mark of the account, OfflineMarkMiddleware) and is kept
for that account alone; signing out (or another account signing in) deletes it. Pages
served to nobody in particular are kept for anyone on the device.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw

from manna.web.http import account_mark

ICON_SIZES = (192, 512)
BACKGROUND, INK, PAPER = "#8a3b12", "#fdfcf9", "#fdfcf9"
# The icon's letter, as static/manna/icon.svg draws it on a 32-unit square.
_GLYPH = [(8, 23), (8, 9), (16, 17), (24, 9), (24, 23)]


def owner_mark(user: object) -> str:
    """An opaque mark of the account the page was served to (never its id)."""
    return account_mark(user, "manna.web.offline-owner")


class OfflineMarkMiddleware:
    """Marks each response to a signed-in reader with whose it is (Manna-Owner), so the
    service worker keeps it for that account alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Manna-Owner"] = owner_mark(user)
        return response


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {
            "src": reverse("app_icon", args=[size, "any"]),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in ICON_SIZES
    ]
    icons.append(
        {
            "src": reverse("app_icon", args=[512, "maskable"]),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    body = {
        "name": settings.MANNA_SITE_NAME,
        "short_name": settings.MANNA_SITE_NAME[:12],
        "description": "A daily devotion: a passage, an exposition, a practice and a prayer.",
        "start_url": "/?from=app",
        "scope": "/",
        "display": "standalone",
        "background_color": PAPER,
        "theme_color": BACKGROUND,
        "icons": icons,
    }
    response = HttpResponse(json.dumps(body, indent=1), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def icon(request: HttpRequest, size: int, purpose: str) -> HttpResponse:
    if size not in ICON_SIZES or purpose not in ("any", "maskable"):
        raise Http404("Icons are 192 or 512 pixels, for any use or maskable.")
    response = HttpResponse(_icon_png(size, purpose), content_type="image/png")
    response["Cache-Control"] = "public, max-age=604800"
    return response


@lru_cache(maxsize=4)
def _icon_png(size: int, purpose: str) -> bytes:
    """The icon drawn at `size` pixels: a rounded square with the letter; a maskable one
    fills the square and keeps the letter inside the middle 80% (the safe zone)."""
    scale = 4  # drawn large, then shrunk: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if purpose == "maskable":
        draw.rectangle((0, 0, big, big), fill=BACKGROUND)
        unit, offset = big * 0.7 / 32, big * 0.15
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 7 / 32, fill=BACKGROUND)
        unit, offset = big / 32, 0.0
    points = [(offset + x * unit, offset + y * unit) for x, y in _GLYPH]
    width = round(3 * unit)
    draw.line(points, fill=INK, width=width, joint="curve")
    for x, y in (points[0], points[-1]):  # round line ends
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=INK)
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so that it may keep any page. Its text names
    this release's static files (so a new release replaces it and its kept files)."""
    shell = [static("manna/site.css"), static("manna/previews.js"), static("manna/site.js")]
    shell += [static("manna/practice.js"), static("manna/depth.js"), static("manna/icon.svg")]
    context = {
        "version": salted_hmac("manna.web.sw", "|".join(shell)).hexdigest()[:12],
        "shell": json.dumps([*shell, reverse("offline")]),
        "offline": reverse("offline"),
        "recent": reverse("offline_recent"),
        "signout": reverse("signout"),
    }
    response = render(request, "web/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page this device never kept."""
    return render(request, "web/offline.html")
