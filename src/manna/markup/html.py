"""Reading rendered HTML back: what a reader reads of it, its words, its sections."""

from __future__ import annotations

import re

_PREVIEW = re.compile(r'<span class="ref-preview".*?(?=</a>)', re.S)


def without_previews(html_text: str) -> str:
    """Rendered HTML without the (hidden) previews of linked references: what a reader
    reads, for word counts and plain text."""
    return _PREVIEW.sub("", html_text)


def words_in(html_text: str) -> int:
    text = re.sub(r"<[^>]+>", " ", without_previews(html_text))
    return len(re.findall(r"[\w’']+", text))


def section_html(body_html: str, kind: str) -> str:
    """The inside of a rendered body's section of `kind` ("practice", "prayer"), or ""."""
    found = re.search(rf'<section class="section section-{kind}">(.*?)</section>', body_html, re.S)
    return found.group(1) if found else ""


def plain_text(html_text: str) -> str:
    """The words of rendered HTML on one line, previews left out (for search and emails)."""
    text = re.sub(r"<[^>]+>", " ", without_previews(html_text))
    return re.sub(r"\s+", " ", text).strip()


_RELATIVE_URL = re.compile(r'(href|src)="/(?!/)')
_ONLY_HERE = re.compile(r'\s(?:class|id|role|aria-[a-z]+|data-[a-z-]+)="[^"]*"')


def for_elsewhere(html_text: str, site: str) -> str:
    """Rendered HTML to be read away from the site (a feed reader, an email): the hidden
    previews of references left out (elsewhere they show as noise), every address made
    absolute against `site` ("https://example.org"), the site's own attributes dropped."""
    absolute = _RELATIVE_URL.sub(lambda m: f'{m.group(1)}="{site.rstrip("/")}/', html_text)
    return _ONLY_HERE.sub("", without_previews(absolute))
