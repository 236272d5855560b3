"""The allow-list every piece of HTML a person writes passes through (pure Python).

Two kinds of writer, two policies: an author's devotion (`AUTHOR`: the elements the
devotion format renders - headings, tables, footnotes, definition lists, images) and a
reader's reply or journal entry (`READER`: paragraphs, emphasis, links, quotes, lists,
code). Neither keeps a class, a style, an event handler, a form control, a frame or a
`<meta>`: what a person writes can look like text and nothing else.

Manna's reference links (with their previews) go in as placeholders, which survive
`clean`; once they are swapped in, `finish` cleans the whole once more with their classes
allowed, so nothing a person wrote can pose as a reference link. Sections and depth
markers are Manna's own and are added after that.
CSP is the second wall, never the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers drop these from a URL before reading its scheme: "java<TAB>script:".
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# Footnote ids ("fn:1", "fnref:note") are the only ids a writer's HTML keeps: any other
# id could shadow one the page itself uses.
_WRITER_ID = re.compile(r"(?:fn|fnref):[\w.-]{1,64}")
# Reference previews: "ref-3" in a devotion, "r1a2b3c4d-3" in a reply.
_MANNA_ID = re.compile(r"(?:ref|r[0-9a-f]{8})-\d{1,6}")
# Characters that reorder text: they let link text read as something else.
_EMPTY_CLASS = re.compile(r' class=""(?=[ >])')  # what is left of a class none of it allowed
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

_READER_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "pre"}
_AUTHOR_TAGS = _READER_TAGS | {
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "b", "i", "u", "s", "del", "ins", "mark",
    "sub", "sup", "small", "abbr", "cite", "q", "dfn", "kbd", "samp", "var", "span", "div",
    "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "img", "figure", "figcaption", "details", "summary",
}  # fmt: skip
_READER_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}
_AUTHOR_ATTRIBUTES: dict[str, set[str]] = {
    **_READER_ATTRIBUTES,
    "abbr": {"title"},
    "dfn": {"title"},
    "q": {"cite"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "li": {"id"},
    "sup": {"id"},
}
# The footnotes extension's own classes.
_AUTHOR_CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
# Manna's reference links, allowed only in `finish`, after the writer's HTML is cleaned.
_MANNA_TAGS = {"a", "span"}
# `rel` is kept as `clean` set it (on the writer's links only).
_MANNA_ATTRIBUTES = {
    "a": {"data-osis", "aria-describedby", "rel"},
    "span": {"id", "role", "title"},
}
# "ref ref-absent": a reference to a verse the translation lacks, not linked.
_MANNA_CLASSES = {"a": {"ref"}, "span": {"ref", "ref-absent", "ref-preview", "ref-preview-title"}}


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    tags: frozenset[str]
    attributes: dict[str, set[str]]
    classes: dict[str, set[str]]
    link_rel: str

    def cleaner(self, *, manna: bool) -> nh3.Cleaner:
        tags = set(self.tags) | (_MANNA_TAGS if manna else set())
        attributes = _merge(self.attributes, _MANNA_ATTRIBUTES) if manna else self.attributes
        classes = _merge(self.classes, _MANNA_CLASSES) if manna else self.classes
        return nh3.Cleaner(
            tags=tags,
            attributes={tag: set(names) for tag, names in attributes.items() if tag in tags},
            allowed_classes={tag: set(names) for tag, names in classes.items() if tag in tags},
            url_schemes=set(URL_SCHEMES),
            link_rel=None if manna else self.link_rel,
            strip_comments=True,
            clean_content_tags={"script", "style"},
            attribute_filter=_manna_attribute if manna else _writer_attribute,
        )


def _merge(a: dict[str, set[str]], b: dict[str, set[str]]) -> dict[str, set[str]]:
    out = {tag: set(names) for tag, names in a.items()}
    for tag, names in b.items():
        out.setdefault(tag, set()).update(names)
    return out


AUTHOR = Policy(
    "author", frozenset(_AUTHOR_TAGS), _AUTHOR_ATTRIBUTES, _AUTHOR_CLASSES, "noopener noreferrer"
)
READER = Policy(
    "reader", frozenset(_READER_TAGS), _READER_ATTRIBUTES, {}, "nofollow ugc noopener noreferrer"
)


def clean(html: str, policy: Policy) -> str:
    """What a person wrote, rendered, reduced to the policy's elements and attributes."""
    return _EMPTY_CLASS.sub("", _CLEANERS[policy.name, False].clean(html))


def finish(html: str, policy: Policy) -> str:
    """The page fragment once Manna's own markup is in: cleaned again, with Manna's
    classes and ids allowed (and only those)."""
    return _EMPTY_CLASS.sub("", _CLEANERS[policy.name, True].clean(html))


def _writer_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id":
        return value if _WRITER_ID.fullmatch(value) else None
    if tag == "img" and name == "src" and not _on_this_site(value):
        return None  # the site's CSP loads pictures from the site alone
    return _safe_url(name, value)


def _on_this_site(url: str) -> bool:
    url = _URL_IGNORED.sub("", url)
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def _manna_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id":
        return value if _WRITER_ID.fullmatch(value) or _MANNA_ID.fullmatch(value) else None
    return _safe_url(name, value)


def _safe_url(name: str, value: str) -> str | None:
    """Drop a URL whose scheme is not allowed once browsers' URL clean-up is applied:
    they remove tabs, newlines and leading control characters, so "java<TAB>script:"
    is "javascript:" to them (the sanitiser alone lets it through)."""
    if name in ("href", "src", "cite"):
        scheme = _SCHEME.match(_URL_IGNORED.sub("", value))
        if scheme is not None and scheme.group(1).lower() not in URL_SCHEMES:
            return None
    return value


# Private-use characters the renderers use as placeholders for their own markup: in what
# a person writes they are replaced, so nothing typed can pose as one.
_PLACEHOLDERS = re.compile("[\ue000-\ue01f]")


def writer_text(text: str) -> str:
    """Text as typed, made safe to render: placeholders and bidi controls replaced."""
    return BIDI_CONTROLS.sub("", _PLACEHOLDERS.sub("\ufffd", text))


_CLEANERS = {
    (p.name, manna): p.cleaner(manna=manna) for p in (AUTHOR, READER) for manna in (False, True)
}
