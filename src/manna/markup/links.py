"""References as links: each becomes a link to the Bible reader with a preview of its text.

Used by every renderer (devotions, replies, journal entries). Links go into the Markdown as
placeholders, made of private-use characters and no digits so nothing re-reads them as a
reference, and are swapped in after the writer's HTML has been cleaned (see sanitize).
"""

from __future__ import annotations

import html
import re

from manna.scripture import (
    Match,
    Reference,
    ScriptureError,
    Verse,
    canon,
    split_id,
)
from manna.scripture.store import Store

PREVIEW_VERSES = 3
PREVIEW_CHARS = 320
PLACEHOLDER = re.compile("\ue000([a-z]+)\ue001")
_TAG = re.compile(r"<[^>]*>")
# Code spans, links the writer made, tags and addresses are not prose: references there
# are not linked (a link inside a link would be two). One mask for every renderer.
NOT_PROSE = re.compile(
    r"`[^`\n]*`|\[[^\]\n]*\]\([^)\n]*\)|<a\b[^>]*>[^<]*</a>|<[^>\n]*>|https?://\S+|www\.\S+",
    re.I,
)


def prose_only(text: str) -> str:
    """`text` with what is not prose blanked out, every offset kept (for find_references)."""
    return NOT_PROSE.sub(lambda m: " " * len(m.group()), text)


def bible_url(translation: str, verse: int, last: int | None = None) -> str:
    """The Bible reader's address of a verse (must agree with manna.bible.urls); with
    `last`, the passage from `verse` to `last` is marked there (to its chapter's end when
    it runs on). A psalm's title (verse 0) is the chapter's "#title"."""
    book, chapter, number = split_id(verse)
    place = f"/bible/{translation}/{canon().by_number[book].osis}/{chapter}/"
    anchor = "#title" if number == 0 else f"#v{number}"
    if last is None or last == verse:
        return place + anchor
    last_book, last_chapter, last_number = split_id(last)
    to = str(last_number) if (last_book, last_chapter) == (book, chapter) else ""
    return f"{place}?mark={number}-{to}{anchor}"


def reference_url(translation: str, reference: Reference) -> str:
    """Where a reference link leads: its chapter, the first range marked (none for whole
    chapters, which the page is)."""
    first = reference.ranges[0]
    if first.whole_chapters:
        book, chapter, _ = split_id(first.start)
        return f"/bible/{translation}/{canon().by_number[book].osis}/{chapter}/"
    return bible_url(translation, first.start, first.end)


def passage_url(store: Store, translation: str, reference: Reference) -> str:
    """Where a reference written in the default numbering is read in `translation` (in
    its own numbering); "" when the translation lacks it or is not installed."""
    try:
        own = store.own_reference(reference, translation)
    except ScriptureError:
        return ""
    if own is None or not store.verses(own, translation, limit=1):
        return ""
    return reference_url(translation, own)


class Linker:
    """Turns references into links with a preview of their text.

    Links go into the Markdown as placeholders (private-use characters, no digits, so
    nothing re-reads them as a reference) and `restore` swaps them in after rendering.
    `ident` prefixes the previews' element ids, which must be unique on a page."""

    def __init__(self, store: Store, translation: str, ident: str = "ref") -> None:
        self.store = store
        self.translation = translation
        self.ident = ident
        self.links: list[str] = []
        self.texts: list[str] = []  # each link's text as written

    def link_matches(self, text: str, matches: list[Match]) -> str:
        """`text` with each match (found in it by find_references) made a placeholder."""
        pieces: list[str] = []
        pos = 0
        for m in matches:
            pieces.append(text[pos : m.start])
            pieces.append(self.link(m.reference, text[m.start : m.end]))
            pos = m.end
        pieces.append(text[pos:])
        return "".join(pieces)

    def link(self, reference: Reference, text: str) -> str:
        """A placeholder for the link to `reference`, written as `text`."""
        self.links.append(self._html(reference, text, f"{self.ident}-{len(self.links) + 1}"))
        self.texts.append(text)
        return f"\ue000{_letters(len(self.links) - 1)}\ue001"

    def restore(self, rendered: str) -> str:
        """The links swapped in for their placeholders in the text; a placeholder that
        Markdown put inside a tag (a link's title) becomes its text again."""

        def in_tag(tag: re.Match[str]) -> str:
            return PLACEHOLDER.sub(lambda m: html.escape(self.texts[_index(m.group(1))]), tag[0])

        rendered = _TAG.sub(in_tag, rendered)
        return PLACEHOLDER.sub(lambda m: self.links[_index(m.group(1))], rendered)

    def _html(self, reference: Reference, text: str, ident: str) -> str:
        try:
            # References are found in the default numbering; the link and the preview are
            # the translation's own ("Malachi 4:1" is 3:19 in a Hebrew-numbered Bible).
            own = self.store.own_reference(reference, self.translation)
        except ScriptureError:
            return self._link(reference, reference, text, ident, "(text not installed)")
        verses = self.store.verses(own, self.translation, limit=PREVIEW_VERSES) if own else []
        if own is None or not verses:
            # Never a link to a page without the verse, nor an empty preview.
            name = self.store.translation(self.translation).name
            return (
                f'<span class="ref ref-absent" title="Not in the {html.escape(name)}">'
                f"{html.escape(text)}</span>"
            )
        return self._link(reference, own, text, ident, _preview_text(verses))

    def _link(self, written: Reference, own: Reference, text: str, ident: str, preview: str) -> str:
        href = reference_url(self.translation, own)
        return (
            f'<a class="ref" href="{href}" data-osis="{html.escape(written.osis())}" '
            f'aria-describedby="{ident}">{html.escape(text)}'
            f'<span class="ref-preview" id="{ident}" role="tooltip">'
            f'<span class="ref-preview-title">{html.escape(own.human())}</span> '
            f"{preview}</span></a>"
        )


def _preview_text(verses: list[Verse]) -> str:
    """The first verses' words (a psalm's title set apart), cut at a word near PREVIEW_CHARS."""
    text = " ".join(f"({v.text})" if v.is_title else v.text for v in verses)
    if len(text) > PREVIEW_CHARS:
        text = text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"
    return html.escape(text)


def _letters(n: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": a number written without digits."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = chr(97 + r) + out
        if n == 0:
            return out


def _index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 97
    return n
