"""Reading a WordPress export (WXR 1.0-1.2, from Tools > Export or WordPress.com), streamed.

Pure Python, no Django. The file is parsed by defusedxml: a DTD, entity declarations or
external references (which WordPress never writes) are refused, so an entity-expansion
bomb is never expanded. `check(path)` reads the whole file once and raises ExportError with
the line and column of the first fault; `read(path)` then yields the export's authors and
items one at a time, each element freed after it is read, so memory stays bounded whatever
the file's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

WP = "{http://wordpress.org/export/"  # + version "1.2/" etc.
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"


class ExportError(Exception):
    """The file is not a WordPress export Manna can read: where, and what was wrong."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        where = f"line {line}, column {column}: " if line else ""
        super().__init__(f"{where}{message}")
        self.line, self.column = line, column


@dataclass(frozen=True, slots=True)
class Author:
    login: str
    email: str
    display_name: str


@dataclass(frozen=True, slots=True)
class Term:
    domain: str  # "category" or "post_tag"
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    parent: int  # 0: none
    author: str
    email: str
    url: str
    date: dt.datetime  # the blog's local time, as WordPress wrote it
    content: str
    approved: str  # "1", "0", "spam", "trash"
    type: str  # "" or "comment", "pingback", "trackback"
    user_id: int


@dataclass(slots=True)
class Item:
    id: int
    type: str  # post, page, attachment, nav_menu_item, ...
    status: str  # publish, future, draft, pending, private, trash, inherit
    title: str
    link: str
    date: dt.datetime | None  # local
    slug: str
    creator: str  # the author's login
    content: str
    excerpt: str
    parent: int
    terms: list[Term] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    attachment_url: str = ""


@dataclass(slots=True)
class Site:
    """The channel's own facts, read before the first item."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""


def _wp(tag: str) -> str | None:
    """The local name of a `wp:` element, whatever the export's version, else None."""
    if tag.startswith(WP) and "/excerpt/" not in tag:
        return tag.rsplit("}", 1)[1]
    return None


def _text(element: Element | None) -> str:
    return (element.text or "") if element is not None else ""


def _child(element: Element, name: str) -> str:
    """The text of a `wp:` child by its local name."""
    return _fields(element).get(name, "")


def _fields(element: Element) -> dict[str, str]:
    """The texts of an element's `wp:` children by their local names (the first of each)."""
    fields: dict[str, str] = {}
    for child in element:
        name = _wp(child.tag)
        if name is not None and name not in fields:
            fields[name] = child.text or ""
    return fields


def _int(text: str) -> int:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else 0


def _date(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _events(path: Path) -> Iterator[tuple[str, Any]]:
    try:
        yield from iterparse(str(path), events=("start", "end"), forbid_dtd=True)
    except ParseError as err:
        line, column = err.position
        raise ExportError(_reason(str(err)), line, column + 1) from None
    except DefusedXmlException as err:
        raise ExportError(_ENTITIES.format(type(err).__name__)) from None
    except OSError as err:
        raise ExportError(f"cannot read {path}: {err.strerror or err}") from None


def _reason(message: str) -> str:
    reason = message.split(":", 1)[0]
    if reason in ("no element found", "unclosed token"):  # what expat says at the end
        return "the file ends in the middle (a truncated export?): export it again"
    return f"not well-formed XML ({reason}): is it the whole export, unchanged?"


def check(path: Path) -> int:
    """Read the whole file once, with expat alone (no tree: the first pass costs little);
    ExportError at the first fault, as `read` would raise it. Returns about how many items
    the export holds (each "<item>" written)."""
    parser = expat.ParserCreate()
    root: list[str] = []

    def refuse(*_: object) -> int:
        raise EntitiesDeclared

    def first_element(name: str, _attributes: object) -> None:
        root.append(name)
        parser.StartElementHandler = None  # the root is all this pass looks at

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = first_element
    items = 0
    try:
        with path.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                items += block.count(b"<item>")
                parser.Parse(block, False)
                if root and root[0] != "rss":
                    raise ExportError(_NOT_RSS.format(root[0]))
            parser.Parse(b"", True)
    except expat.ExpatError as err:
        raise ExportError(_reason(str(err)), err.lineno, err.offset + 1) from None
    except EntitiesDeclared:
        raise ExportError(_ENTITIES.format("a DTD")) from None
    except OSError as err:
        raise ExportError(f"cannot read {path}: {err.strerror or err}") from None
    return items


class EntitiesDeclared(Exception):
    """A DTD in the export (check)."""


_NOT_RSS = (
    "the file's root is <{}>, not <rss>: this is not a WordPress export (Tools > Export > "
    "All content writes one)"
)
_ENTITIES = (
    "the file declares a DTD or entities ({}), which WordPress exports never do; it is "
    "refused unread (an entity-expansion bomb looks like this)"
)


def read(path: Path, site: Site | None = None) -> Iterator[Author | Item]:
    """The export's authors and items, in the file's order, one at a time (`site`, when
    given, is filled in with the channel's facts as they are read)."""
    site = site if site is not None else Site()
    channel: Element | None = None
    depth = 0
    for event, element in _events(path):
        if event == "start":
            depth += 1
            if element.tag == "channel":
                channel = element
            continue
        depth -= 1
        tag = element.tag
        if tag == "item":
            yield _item(element)
            if channel is not None:
                channel.remove(element)
        elif depth == 2 and channel is not None:  # the channel's other children
            if _wp(tag) == "author":
                yield Author(
                    login=_child(element, "author_login").strip(),
                    email=_child(element, "author_email").strip(),
                    display_name=_child(element, "author_display_name").strip(),
                )
            else:
                _site_fact(site, element)
            channel.remove(element)


def _site_fact(site: Site, element: Element) -> None:
    name = _wp(element.tag)
    if element.tag == "title":
        site.title = _text(element).strip()
    elif element.tag == "link":
        site.link = _text(element).strip()
    elif name == "base_site_url":
        site.base_site_url = _text(element).strip()
    elif name == "base_blog_url":
        site.base_blog_url = _text(element).strip()
    elif name == "wxr_version":
        site.version = _text(element).strip()


def _item(element: Element) -> Item:
    wp = _fields(element)
    item = Item(
        id=_int(wp.get("post_id", "")),
        type=wp.get("post_type", "").strip() or "post",
        status=wp.get("status", "").strip(),
        title=_text(element.find("title")),
        link=_text(element.find("link")).strip(),
        date=_date(wp.get("post_date", "")),
        slug=wp.get("post_name", "").strip(),
        creator=_text(element.find(f"{DC}creator")).strip(),
        content=_text(element.find(f"{CONTENT}encoded")),
        excerpt="",
        parent=_int(wp.get("post_parent", "")),
        attachment_url=wp.get("attachment_url", "").strip(),
    )
    for child in element:
        if child.tag.startswith(WP) and child.tag.endswith("/excerpt/}encoded"):
            item.excerpt = child.text or ""
        elif child.tag == "category":
            item.terms.append(
                Term(
                    domain=child.get("domain", "category"),
                    slug=child.get("nicename", ""),
                    name=(child.text or "").strip(),
                )
            )
        elif _wp(child.tag) == "comment":
            item.comments.append(_comment(_fields(child)))
    return item


def _comment(wp: dict[str, str]) -> Comment:
    return Comment(
        id=_int(wp.get("comment_id", "")),
        parent=_int(wp.get("comment_parent", "")),
        author=wp.get("comment_author", "").strip(),
        email=wp.get("comment_author_email", "").strip(),
        url=wp.get("comment_author_url", "").strip(),
        date=_date(wp.get("comment_date", "")) or dt.datetime(1970, 1, 1),
        content=wp.get("comment_content", ""),
        approved=wp.get("comment_approved", "").strip(),
        type=wp.get("comment_type", "").strip(),
        user_id=_int(wp.get("comment_user_id", "")),
    )
