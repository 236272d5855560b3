"""The readers' Markdown: replies and journal entries, rendered once, references linked.

Allowed: paragraphs, emphasis, links (http, https, mailto), quotes, lists and inline
code. Everything else a person types is shown as text: the Markdown is read with its
raw-HTML rules switched off (so "<" is text by Markdown's own rules, code spans and
backslash escapes included), image syntax is a plain link, and the result goes through
the reader's allow-list (`sanitize.READER`) before Manna's reference
links are put in. Pure Python: no Django.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from manna.markup import sanitize
from manna.markup.links import Linker, prose_only
from manna.scripture import Reference, find_references
from manna.scripture.store import Store

_ANCHOR = re.compile(r"<a\b([^>]*)>.*?</a>", re.S)
_HREF = re.compile(r'\bhref="([^"]*)"')
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


class _ImagesAsLinks(Treeprocessor):
    """`![alt](address)` is a link to the picture, written "!alt": no picture loads."""

    def run(self, root: ElementTree.Element) -> None:
        for parent in list(root.iter()):
            for i, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                link = ElementTree.Element("a", {"href": child.get("src", "")})
                link.text = child.get("alt") or child.get("src", "")
                link.tail = child.tail
                if i == 0:
                    parent.text = (parent.text or "") + "!"
                else:
                    parent[i - 1].tail = (parent[i - 1].tail or "") + "!"
                parent.remove(child)
                parent.insert(i, link)


class _TextOnly(Extension):
    """Markdown without raw HTML (shown as text) and without pictures (shown as links)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_ImagesAsLinks(md), "images_as_links", 5)


_LOCAL = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's converter: making one costs more than converting a reply with it."""
    md: markdown.Markdown | None = getattr(_LOCAL, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=["sane_lists", _TextOnly()], output_format="html")
        _LOCAL.md = md
    return md


@dataclass(frozen=True, slots=True)
class RenderedReply:
    html: str
    links: int  # links to other sites, linked or bare
    references: tuple[Reference, ...] = ()  # every reference found in the text


def render_reply(
    text: str, *, store: Store, translation: str, context: Reference | None
) -> RenderedReply:
    """`text` as safe HTML; relative references ("v. 2") resolve against `context`."""
    text = sanitize.writer_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    linker = Linker(store, translation, ident=f"r{secrets.token_hex(4)}")
    masked = prose_only(text)
    matches = find_references(masked, context)
    linked = linker.link_matches(text, matches)
    rendered = _markdown().reset().convert(linked)
    rendered = sanitize.clean(rendered, sanitize.READER)
    clean = sanitize.finish(linker.restore(rendered), sanitize.READER)
    return RenderedReply(clean, count_links(clean), tuple(m.reference for m in matches))


def count_links(html_text: str) -> int:
    """Links to other sites in rendered HTML: every anchor whose address is not on this
    site (a path or a fragment), and every bare URL in the text."""
    off_site = 0
    for attributes in _ANCHOR.findall(html_text):
        href = _HREF.search(attributes)
        target = href.group(1) if href else ""
        if not (target.startswith("#") or (target.startswith("/") and not target.startswith("//"))):
            off_site += 1
    rest = _ANCHOR.sub(" ", html_text)
    return off_site + len(_BARE_URL.findall(rest))
