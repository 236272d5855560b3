"""Markup, pure Python (no Django): what every renderer of Manna shares.

- `links`: references as links to the Bible reader, with a preview of their text; the one
  mask of what is not prose.
- `sanitize`: the allow-list every piece of HTML a person writes passes.
- `reader`: the readers' Markdown subset (replies, journal entries).
- `html`: reading rendered HTML back (without previews, words, sections, plain text).
- `text`: words for people (a value cut to a line; counts: "1 evening", "2 evenings").

Devotions have their own renderer (`manna.devotions.render`), built on these.
Direction: reader -> links, sanitize; nothing here imports an app.
"""

from manna.markup import sanitize
from manna.markup.html import (
    for_elsewhere,
    plain_text,
    section_html,
    without_previews,
    words_in,
)
from manna.markup.links import NOT_PROSE, Linker, bible_url, passage_url, prose_only
from manna.markup.reader import RenderedReply, count_links, render_reply
from manna.markup.text import counted

__all__ = [
    "NOT_PROSE",
    "Linker",
    "RenderedReply",
    "bible_url",
    "count_links",
    "counted",
    "for_elsewhere",
    "passage_url",
    "plain_text",
    "prose_only",
    "render_reply",
    "sanitize",
    "section_html",
    "without_previews",
    "words_in",
]
