"""A devotion's share card: the picture a link to it shows where it is shared (og:image),
drawn by the server: the site's name, the title, the passage and its first verse."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from manna.scripture import ScriptureError, open_store, parse_osis

WIDTH, HEIGHT = 1200, 630
PAPER, INK, MUTED, ACCENT = "#fdfcf9", "#1f1d1a", "#5c574f", "#8a3b12"
MARGIN = 80


def card_png(*, site: str, title: str, passage: str, osis: str, translation: str) -> bytes:
    return _card(site, title, passage, _key_verse(osis, translation))


def _key_verse(osis: str, translation: str) -> str:
    """The passage's first verse, in the devotion's translation ("" when it has none)."""
    try:
        verses = open_store().verses(parse_osis(osis), translation, limit=2)
    except ScriptureError:
        return ""
    words = next((v.text for v in verses if v.id % 1000), "")  # not a psalm's title
    return words if len(words) <= 220 else words[:217].rsplit(" ", 1)[0] + "…"


@lru_cache(maxsize=64)
def _card(site: str, title: str, passage: str, verse: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 18, HEIGHT), fill=ACCENT)
    y = MARGIN - 10
    draw.text((MARGIN, y), site, font=_font(34), fill=ACCENT)
    y += 80
    for line in textwrap.wrap(title, 30)[:3]:
        draw.text((MARGIN, y), line, font=_font(64), fill=INK)
        y += 78
    y += 12
    draw.text((MARGIN, y), passage, font=_font(38), fill=MUTED)
    y += 70
    lines = textwrap.wrap(f"“{verse}”", 56) if verse else []
    if len(lines) > 4:
        lines = [*lines[:3], lines[3].rstrip(",;:") + "…"]
    for line in lines:
        draw.text((MARGIN, y), line, font=_font(32), fill=INK)
        y += 44
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)
