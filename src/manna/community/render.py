"""Replies: a small, safe Markdown subset rendered once, with Bible references linked.

Allowed: paragraphs, emphasis, links (http, https, mailto), quotes, lists and inline
code. Everything else a person types is shown as text: "<" and "&" are escaped before
Markdown sees the text (so no raw HTML reaches it), image syntax becomes a plain link,
and the result goes through an allow-list sanitiser (nh3) as a second line of defence.
Pure Python: no Django.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import markdown
import nh3

from manna.devotions.render import Linker
from manna.scripture import Reference, find_references
from manna.scripture.store import Store

TAGS = {"p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "span"}
ATTRIBUTES = {
    "a": {"href", "class", "data-osis", "aria-describedby"},
    "span": {"class", "id", "role"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Link targets and code spans are not prose: references there are not linked.
_NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)|https?://\S+|www\.\S+")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
_ANCHOR = re.compile(r"<a\b[^>]*>.*?</a>", re.S)
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


@dataclass(frozen=True, slots=True)
class RenderedReply:
    html: str
    links: int  # links to other sites, linked or bare
    references: tuple[Reference, ...] = ()  # every reference found in the text


def render_reply(
    text: str, *, store: Store, translation: str, context: Reference | None
) -> RenderedReply:
    """`text` as safe HTML; relative references ("v. 2") resolve against `context`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    escaped = _escape_outside_code(text)
    linker = Linker(store, translation, ident=f"r{secrets.token_hex(4)}")
    masked = _NOT_PROSE.sub(lambda m: " " * len(m.group()), escaped)
    matches = find_references(masked, context)
    linked = linker.link_matches(escaped, matches)
    rendered = markdown.markdown(linked, extensions=["sane_lists"], output_format="html")
    rendered = linker.restore(rendered)
    clean = nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
        attribute_filter=_safe_attribute,
    )
    return RenderedReply(clean, count_links(clean), tuple(m.reference for m in matches))


def _safe_attribute(tag: str, name: str, value: str) -> str | None:
    """Drop a link whose scheme is not allowed once browsers' URL clean-up is applied:
    they remove tabs, newlines and leading control characters, so "java<TAB>script:"
    is "javascript:" to them (the sanitiser alone lets it through)."""
    if name == "href":
        scheme = _SCHEME.match(_URL_IGNORED.sub("", value))
        if scheme is not None and scheme.group(1).lower() not in URL_SCHEMES:
            return None
    return value


def _escape_outside_code(text: str) -> str:
    """Escape "&" and "<" (Markdown escapes code spans itself) and turn image syntax
    into a link."""
    pieces = []
    for i, piece in enumerate(_CODE_SPAN.split(text)):
        if i % 2 == 0:
            piece = piece.replace("&", "&amp;").replace("<", "&lt;").replace("![", "\\![")
        pieces.append(piece)
    return "".join(pieces)


def count_links(html_text: str) -> int:
    """Links to other sites in rendered HTML: anchors (but reference links) and bare URLs."""
    anchors = [a for a in _ANCHOR.findall(html_text) if " href=" in a and 'class="ref"' not in a]
    rest = _ANCHOR.sub(" ", html_text)
    return len(anchors) + len(_BARE_URL.findall(rest))
