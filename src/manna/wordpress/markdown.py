"""A WordPress post's content as Manna's Markdown (pure Python, no Django).

Both editors' markup: the classic editor's (paragraphs made by blank lines, `<br />`,
entities, `&nbsp;`) and the block editor's (`<!-- wp:... -->` comments, `wp-block-*`
classes). Paragraphs, emphasis, lists, headings, block quotes with their `<cite>`, links and
pictures are kept; the common shortcodes are converted, and every other shortcode is named
in `problems`, never left in the text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->|<!--more(?:.*?)-->|<!--nextpage-->", re.S)
BLOCK_TAGS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "pre",
    "table",
    "hr",
    "section",
)
_STARTS_BLOCK = re.compile(r"^\s*</?(?:" + "|".join(BLOCK_TAGS) + r")\b", re.I)
_OUTER = "p|h[1-6]|ul|ol|blockquote|figure|div|table|pre|hr|section"
_BLOCK_EDGE = re.compile(rf"(</(?:{_OUTER})>)|(<(?:{_OUTER})\b[^>]*>)", re.I)
# [name attrs]...[/name] or [name attrs] (self-closing: with attributes, or a known name)
_SHORTCODE = re.compile(r"\[(?P<name>[a-z_][a-z0-9_-]*)(?P<attrs>(?:\s[^\]]*)?)\]", re.I)
_ITEM = re.compile(r"\s*(?:-|\d+\.) ")
KNOWN = {"caption", "embed", "audio", "video", "gallery", "playlist"}


@dataclass(slots=True)
class Converted:
    markdown: str
    problems: list[str] = field(default_factory=list)  # what could not be kept, in words
    images: list[str] = field(default_factory=list)  # the pictures' addresses


def to_markdown(content: str) -> Converted:
    problems: list[str] = []
    text = BLOCK_COMMENT.sub("", content.replace("\r\n", "\n"))
    text = _shortcodes(text, problems)
    writer = _Writer()
    writer.feed(_autop(text))
    writer.close()
    markdown = writer.result()
    return Converted(markdown, problems, writer.images)


def _attr(attrs: str, name: str) -> str:
    found = re.search(rf'\b{name}\s*=\s*"([^"]*)"', attrs) or re.search(
        rf"\b{name}\s*=\s*'([^']*)'", attrs
    )
    return found.group(1) if found else ""


def _shortcodes(text: str, problems: list[str]) -> str:
    """Convert or remove shortcodes. A bracketed word with no attributes, no closing tag
    and no known name ("[sic]", "[and]") is the writer's text and stays."""
    out: list[str] = []
    position = 0
    for match in _SHORTCODE.finditer(text):
        if match.start() < position:
            continue
        name = match["name"].lower()
        closing = re.search(rf"\[/{re.escape(match['name'])}\]", text[match.end() :], re.I)
        if name not in KNOWN and not match["attrs"].strip() and not closing:
            continue
        inner = ""
        end = match.end()
        if closing:
            inner = text[match.end() : match.end() + closing.start()]
            end = match.end() + closing.end()
        out.append(text[position : match.start()])
        out.append(_shortcode(name, match["attrs"], inner, problems))
        position = end
    out.append(text[position:])
    return "".join(out)


def _shortcode(name: str, attrs: str, inner: str, problems: list[str]) -> str:
    if name == "caption":
        image = re.search(r"<img\b[^>]*>", inner)
        caption = re.sub(r"<img\b[^>]*>|</?a\b[^>]*>", "", inner).strip()
        caption = caption or _attr(attrs, "caption")
        return f"{image.group(0) if image else ''}<figcaption>{caption}</figcaption>"
    if name == "embed":
        url = inner.strip() or _attr(attrs, "src")
        return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'
    if name in ("audio", "video"):
        url = _attr(attrs, "src") or next(
            (
                _attr(attrs, k)
                for k in ("mp3", "m4a", "ogg", "wav", "mp4", "webm")
                if _attr(attrs, k)
            ),
            "",
        )
        if url:
            label = "Listen" if name == "audio" else "Watch"
            return f'<p><a href="{html.escape(url)}">{label}: {html.escape(url)}</a></p>'
        problems.append(f"[{name}] without an address was left out")
        return ""
    if name in ("gallery", "playlist"):
        ids = _attr(attrs, "ids")
        problems.append(
            f"[{name}{' ids=' + ids if ids else ''}] was left out: add its pictures by hand"
        )
        return ""
    problems.append(f"unknown shortcode [{name}] was left out")
    return inner


def _autop(text: str) -> str:
    """WordPress's classic editor stores paragraphs as blank lines and line breaks as
    newlines: wrap each loose chunk in <p>, its newlines as <br>."""
    text = _BLOCK_EDGE.sub(lambda m: f"{m[1]}\n\n" if m[1] else f"\n\n{m[2]}", text)
    chunks = re.split(r"\n\s*\n", text.strip())
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _STARTS_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


class _Writer(HTMLParser):
    """HTML to Markdown, block by block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.quote = 0  # depth of <blockquote>
        self.lists: list[list[int]] = []  # each open list: [number or 0 for bullets]
        self.href: list[str] = []
        self.cite: list[str] | None = None
        self.images: list[str] = []
        self.skip = 0  # inside <script>, <style>

    # --- the text of a block ---
    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = re.sub(r"\s+", " ", data.replace("\xa0", " "))
        if self.cite is not None:
            self.cite.append(text)
            return
        if not self.line or self.line[-1].endswith("\n"):
            text = text.lstrip()
        if text:
            self.line.append(_escape(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("p", "div", "figure", "section", "figcaption"):
            self._end_block()
            if tag == "figcaption":
                self.line.append("*")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._end_block()
            self.line.append("#" * max(2, min(int(tag[1]), 3)) + " ")
        elif tag == "br":
            self.line.append("  \n")
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "a":
            self.href.append(values.get("href", ""))
            self.line.append("[")
        elif tag == "img":
            src = values.get("src", "")
            if src:
                self.images.append(src)
                self.line.append(f"![{_escape(values.get('alt', ''))}]({src})")
        elif tag == "blockquote":
            self._end_block()
            self.quote += 1
        elif tag == "cite":
            self.cite = []
        elif tag in ("ul", "ol"):
            self._end_block()
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "li":
            self._end_block()
            marker = "- "
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][0]}. "
                self.lists[-1][0] += 1
            self.line.append("  " * max(len(self.lists) - 1, 0) + marker)
        elif tag == "hr":
            self._end_block()
            self.blocks.append("---")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(self.skip - 1, 0)
        elif tag in ("p", "div", "figure", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6"):
            self._end_block()
        elif tag == "figcaption":
            self.line.append("*")
            self._end_block()
        elif tag in ("strong", "b"):
            self._close("**")
        elif tag in ("em", "i"):
            self._close("*")
        elif tag == "a":
            href = self.href.pop() if self.href else ""
            self.line.append(f"]({href})" if href else "]")
        elif tag == "cite" and self.cite is not None:
            cited = " ".join("".join(self.cite).split())
            self.cite = None
            self._end_block()
            if cited:
                self.blocks.append(self._quoted(f"— {_escape(cited)}"))
        elif tag == "blockquote":
            self._end_block()
            self.quote = max(self.quote - 1, 0)
        elif tag in ("ul", "ol"):
            self._end_block()
            if self.lists:
                self.lists.pop()

    def _close(self, marker: str) -> None:
        """Close an emphasis; one around nothing is dropped."""
        if self.line and self.line[-1] == marker:
            self.line.pop()
        else:
            self.line.append(marker)

    def _quoted(self, text: str) -> str:
        if not self.quote:
            return text
        return "\n".join("> " + line if line else ">" for line in text.split("\n"))

    def _end_block(self) -> None:
        text = "".join(self.line).strip()
        text = re.sub(r"[ \t]+\n", "  \n", text).strip()
        self.line = []
        if text and text not in ("*", "**"):
            self.blocks.append(self._quoted(text))

    def result(self) -> str:
        self._end_block()
        out: list[str] = []
        for block in self.blocks:
            # consecutive lines of one quote stay one quote; a list's items stay together
            if out and block.startswith(">") and out[-1].startswith(">"):
                out[-1] += "\n>\n" + block
            elif out and _same_list(out[-1].rsplit("\n", 1)[-1], block):
                out[-1] += "\n" + block
            else:
                out.append(block)
        return "\n\n".join(out).strip() + "\n"


def _same_list(previous: str, block: str) -> bool:
    """Two items of one list: both bullets, or both numbered."""
    a, b = _ITEM.match(previous), _ITEM.match(block)
    return bool(a and b and a.group(0).strip().endswith(".") == b.group(0).strip().endswith("."))


def _escape(text: str) -> str:
    """Characters Markdown would read as markup, as the writer meant them: text."""
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return re.sub(r"^(\s*)([#>+-]|\d+\.)(\s)", r"\1\\\2\3", text)
