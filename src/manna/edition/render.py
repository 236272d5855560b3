"""The edition: one devotion at one depth, as an email (an HTML part that reads well in
mail clients, and a plain-text part). No script, no remote picture, no hover: each
reference is a link with an absolute address, its verses given at the end as numbered
notes, as a reader of paper would want them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string

from manna.devotions.models import Devotion
from manna.markup import for_elsewhere

# A reference link as manna.markup.links writes it: its text, then its hidden preview.
_REF = re.compile(
    r'<a class="ref" href="(?P<href>[^"]*)"[^>]*>(?P<text>[^<]*)'
    r'<span class="ref-preview"[^>]*><span class="ref-preview-title">(?P<title>[^<]*)</span>'
    r"\s*(?P<preview>[^<]*)</span></a>"
)
_ABSENT = re.compile(r'<span class="ref ref-absent"[^>]*>([^<]*)</span>')
_IMG = re.compile(r"<img\b[^>]*>", re.I)

# Inline styles: mail clients ignore style sheets.
STYLES = {
    "p": "margin:0 0 1em 0;line-height:1.55;",
    "h2": "font-size:1.15em;margin:1.4em 0 0.5em 0;",
    "h3": "font-size:1.05em;margin:1.2em 0 0.4em 0;",
    "blockquote": "margin:0 0 1em 0;padding:0.2em 0 0.2em 1em;border-left:3px solid #b08d57;",
    "a": "color:#8a4b0f;",
    "sup": "font-size:0.7em;",
}


@dataclass(frozen=True, slots=True)
class Note:
    number: int
    title: str  # "Exodus 33:2"
    text: str  # the verses' words
    url: str


@dataclass(slots=True)
class Edition:
    subject: str
    text: str
    html: str
    notes: list[Note] = field(default_factory=list)


# The edition differs between subscribers only in their own links: it is rendered once per
# devotion (as saved), depth and site, with these stand-ins, which each message then fills.
_LINKS = {"manage": "manna-link-manage", "unsubscribe": "manna-link-unsubscribe"}
_RENDERED: dict[tuple[object, ...], Edition] = {}
_KEEP = 64  # renderings kept: a day's devotions at each depth, many times over


def cache_key(devotion: Devotion, depth: str) -> tuple[object, ...]:
    """What an edition's rendering depends on: the devotion as saved, the depth, the site."""
    return (devotion.pk, devotion.updated, depth, settings.MANNA_SITE_URL, settings.MANNA_SITE_NAME)


def render_edition(devotion: Devotion, *, depth: str, links: dict[str, str]) -> Edition:
    """`links`: "manage" and "unsubscribe" (absolute), for the footer."""
    key = cache_key(devotion, depth)
    shared = _RENDERED.get(key) if devotion.pk is not None else None
    if shared is None:
        shared = _render(devotion, depth)
        if devotion.pk is not None:
            if len(_RENDERED) >= _KEEP:
                _RENDERED.clear()
            _RENDERED[key] = shared
    text, page = shared.text, shared.html
    for name, stand_in in _LINKS.items():
        text = text.replace(stand_in, links[name])
        page = page.replace(stand_in, html.escape(links[name]))
    return Edition(subject=shared.subject, text=text, html=page, notes=shared.notes)


def _render(devotion: Devotion, depth: str) -> Edition:
    links = _LINKS
    site = settings.MANNA_SITE_URL
    notes: list[Note] = []

    def note(m: re.Match[str]) -> str:
        url = site + html.unescape(m["href"])
        notes.append(
            Note(len(notes) + 1, html.unescape(m["title"]), html.unescape(m["preview"]), url)
        )
        return f'<a href="{html.escape(url)}">{m["text"]}</a><sup>[{len(notes)}]</sup>'

    body = _ABSENT.sub(r"\1", _REF.sub(note, devotion.html_at(depth)))
    body = _styled(for_elsewhere(_IMG.sub("", body), site))
    passage = _styled(for_elsewhere(devotion.passage_html, site))
    page = site + devotion.get_absolute_url()
    context = {
        "devotion": devotion,
        "depth": depth,
        "body": body,
        "passage": passage,
        "notes": notes,
        "page": page,
        "replies": page + "#replies",
        "site_name": settings.MANNA_SITE_NAME,
        "site_url": site,
        **links,
    }
    return Edition(
        subject=f"{devotion.title} ({devotion.passage})",
        text=_text_part(context, body, passage),
        html=render_to_string("edition/edition.html", context),
        notes=notes,
    )


def _styled(fragment: str) -> str:
    for tag, style in STYLES.items():
        fragment = re.sub(rf"<{tag}(?=[\s>])", f'<{tag} style="{style}"', fragment)
    return fragment


def _text_part(context: dict[str, object], body: str, passage: str) -> str:
    return render_to_string(
        "edition/edition.txt",
        {**context, "body_text": _as_text(body), "passage_text": _as_text(passage)},
    )


def _as_text(fragment: str) -> str:
    """HTML as plain text, paragraph by paragraph; a link keeps its words, its note number."""
    text = re.sub(r"<sup[^>]*>(\[\d+\])</sup>", r" \1", fragment)
    text = re.sub(r"<sup[^>]*>(\d+)</sup>", r"\1 ", text)  # verse numbers
    text = re.sub(r"</(p|h[1-6]|blockquote|li|section)>|<br\s*/?>", "\n\n", text)
    text = re.sub(r"<li[^>]*>", "- ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)
