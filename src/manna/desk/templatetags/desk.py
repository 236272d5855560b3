"""`{% author_link devotion %}`: the devotion's author, linked to their page when an account
writes it (the devotions app shows it without importing the desk)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from manna.desk.selectors import author_slug
from manna.devotions.models import Devotion

register = template.Library()


@register.simple_tag
def author_link(devotion: Devotion) -> str:
    name = devotion.author
    slug = author_slug(devotion.writer_id) if devotion.writer_id else None
    if slug is None:
        return name
    return format_html('<a href="{}">{}</a>', reverse("author", args=[slug]), name or slug)
