"""Rendering a devotion once, on save: Markdown to HTML with every reference linked.

Each reference in the body becomes a link to the Bible reader with a preview of its
text (a plain link without JavaScript; the preview shows on hover and keyboard focus
through CSS). Relative references ("v. 2", "vv. 12-23") resolve against the verse being
commented on - the verse a blockquote starts with - and otherwise against the devotion's
passage. Pure Python: no Django.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import markdown

from manna.devotions import depth as depths
from manna.devotions import sanitize
from manna.devotions.format import Devotion, Problem
from manna.scripture import (
    InvalidReferenceError,
    Match,
    Reference,
    ScriptureError,
    canon,
    find_references,
    parse_reference,
    split_id,
    verse_id,
)
from manna.scripture.store import Store

PREVIEW_VERSES = 3
PREVIEW_CHARS = 320
SECTION_KINDS = {
    "questions": "questions",
    "questions and answers": "questions",
    "q&a": "questions",
    "practice": "practice",
    "prayer": "prayer",
}

# A blockquote that starts with a verse of the passage: "> 18 Then Moses said ...",
# "> **18** ...", "> v. 18 ...".
_VERSE_QUOTE = re.compile(
    r"(?P<lead>>\s*)(?P<num>\*\*\s*(?:vv?\.\s*)?\d{1,3}\s*\*\*|(?:vv?\.\s*)?\d{1,3})(?=\s)"
)
# Code spans, links the author made and tags are not prose: references there are not
# linked (a link inside a link would be two).
_NOT_PROSE = re.compile(
    r"`[^`\n]*`|\[[^\]\n]*\]\([^)\n]*\)|<a\b[^>]*>[^<]*</a>|<[^>\n]*>|https?://\S+", re.I
)
# Things that look like a reference but that the finder did not accept (for the checker).
_CANDIDATE = re.compile(
    r"(?P<name>(?:[1-4]\s?)?[A-Z][a-z]{1,20}\.?)\s+(?P<nums>\d{1,3}:\d{1,3}(?:\s*[-–]\s*\d{1,3})?)"
)
_RELATIVE_CANDIDATE = re.compile(r"\b(?:vv?\.|verses?)\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?", re.I)
_PLACEHOLDER = re.compile("\ue000([a-z]+)\ue001")
_TAG = re.compile(r"<[^>]*>")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(slots=True)
class Quote:
    """A blockquote that quotes a verse of the passage, for the quotation check."""

    reference: Reference
    text: str
    line: int
    column: int


@dataclass(slots=True)
class Rendered:
    body_html: str
    passage_html: str
    citations: list[Reference] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    word_count: int = 0
    # Graded depth: the body as each depth shows it, and its length in words.
    depth_html: dict[str, str] = field(default_factory=dict)
    depth_words: dict[str, int] = field(default_factory=dict)
    glimpse_derived: bool = False
    marked: set[str] = field(default_factory=set)  # the depths the author marked


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


def bible_url(translation: str, verse: int) -> str:
    """The Bible reader's address of a verse (must agree with manna.bible.urls)."""
    book, chapter, number = split_id(verse)
    return f"/bible/{translation}/{canon().by_number[book].osis}/{chapter}/#v{number}"


def render(devotion: Devotion, *, store: Store, translation: str) -> Rendered:
    renderer = _Renderer(devotion, store, translation)
    return renderer.run()


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
            return _PLACEHOLDER.sub(lambda m: html.escape(self.texts[_index(m.group(1))]), tag[0])

        rendered = _TAG.sub(in_tag, rendered)
        return _PLACEHOLDER.sub(lambda m: self.links[_index(m.group(1))], rendered)

    def _html(self, reference: Reference, text: str, ident: str) -> str:
        href = bible_url(self.translation, reference.first)
        preview = self._preview(reference)
        return (
            f'<a class="ref" href="{href}" data-osis="{html.escape(reference.osis())}" '
            f'aria-describedby="{ident}">{html.escape(text)}'
            f'<span class="ref-preview" id="{ident}" role="tooltip">'
            f'<span class="ref-preview-title">{html.escape(reference.human())}</span> '
            f"{preview}</span></a>"
        )

    def _preview(self, reference: Reference) -> str:
        try:
            verses = self.store.verses(reference, self.translation, limit=PREVIEW_VERSES)
        except ScriptureError:
            return "(text not installed)"
        text = " ".join(v.text for v in verses)
        if len(text) > PREVIEW_CHARS:
            text = text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"
        return html.escape(text)


class _Renderer:
    def __init__(self, devotion: Devotion, store: Store, translation: str) -> None:
        self.devotion = devotion
        self.store = store
        self.translation = translation
        self.result = Rendered(body_html="", passage_html="")
        self.linker = Linker(store, translation)
        self.open_block: tuple[str, int, int] | None = None  # depth, file line, column
        self.study_citations: dict[int, int] = {}  # study block's line -> references in it

    def run(self) -> Rendered:
        lines = sanitize.writer_text(self.devotion.body).split("\n")
        context = self.devotion.passage
        out: list[str] = []
        for first, block in _blocks(lines):
            number = self.devotion.body_line + first
            head = block[0].strip()
            fence = depths.FENCE.match(block[0]) if len(block) == 1 else None
            if fence is not None:
                out.append(self._fence(fence.group(1), number, fence.start(1) + 1))
                continue
            if head.startswith(("```", "~~~")) or block[0].startswith("    "):
                out.extend(block)  # code is not prose
                continue
            heading = _HEADING.match(block[0])
            if heading and len(heading.group(1)) <= 2:
                context = self.devotion.passage  # a new section discusses the passage again
            if head.startswith(">"):
                block[0], quoted = self._verse_quote(block, number)
                if quoted is not None:
                    context = quoted
            cited = len(self.result.citations)
            linked, context = self._link_block("\n".join(block), number, context)
            if self.open_block is not None and self.open_block[0] == "study":
                line = self.open_block[1]
                self.study_citations[line] += len(self.result.citations) - cited
            out.append(linked)
        self._close_at_end()
        body = "\n".join(out)
        html_body = markdown.markdown(
            body,
            extensions=["extra", "sane_lists", "smarty"],
            # Column alignment as an attribute: CSP refuses inline styles.
            extension_configs={"extra": {"tables": {"use_align_attribute": True}}},
        )
        html_body = sanitize.clean(html_body, sanitize.AUTHOR)
        html_body = sanitize.finish(self.linker.restore(html_body), sanitize.AUTHOR)
        self._depths(html_body)
        self.result.body_html = self.result.depth_html["study"]
        self.result.passage_html = self._passage_html()
        self.result.word_count = self.result.depth_words["study"]
        self.result.problems.sort(key=lambda p: (p.line, p.column))
        return self.result

    # --- graded depth -----------------------------------------------------------------

    def _fence(self, name: str, line: int, column: int) -> str:
        """A `::: depth` or `:::` line: the marker paragraph it becomes (or nothing)."""
        if not name:
            if self.open_block is None:
                self._problem(
                    line,
                    1,
                    '":::" closes no depth block - open one with "::: glimpse" or "::: study"',
                )
                return ""
            self.open_block = None
            return "\n" + depths.marker("end") + "\n"
        if not depths.is_depth(name):
            self._problem(line, column, depths.unknown_depth_message(name))
            name = depths.DEFAULT  # read on as a block, so its ":::" closes it quietly
        if self.open_block is not None:
            opened, opened_line, _ = self.open_block
            self._problem(
                line,
                column,
                f"depth blocks do not nest: close the {opened} block opened on line "
                f'{opened_line} with ":::" first',
            )
            return ""
        self.open_block = (name, line, column)
        self.result.marked.add(name)
        if name == "study":
            self.study_citations[line] = 0
        return "\n" + depths.marker(name) + "\n"

    def _close_at_end(self) -> None:
        if self.open_block is not None:
            name, line, column = self.open_block
            self._problem(
                line, column, f'the {name} block opened here is not closed - add a line ":::"'
            )
        for line, count in self.study_citations.items():
            if count == 0:
                self.result.problems.append(
                    Problem(
                        line,
                        1,
                        "warning",
                        "this study block cites nothing - a study shows where to read "
                        'further ("see Isaiah 6:1-8", "compare v. 20")',
                    )
                )

    def _depths(self, html_body: str) -> None:
        """The body at each depth, a glimpse derived when none is marked, word counts."""
        parts = depths.segments(html_body)
        result = self.result
        for name in ("glimpse", "walk"):
            result.depth_html[name] = self._sections(depths.at_depth(parts, name), record=False)
        result.depth_html["study"] = self._sections(depths.at_depth(parts, "study"))
        if not any(p.depth == "glimpse" for p in parts):
            result.glimpse_derived = True
            result.depth_html["glimpse"] = self._derived_glimpse(result.depth_html["walk"])
        for name in depths.DEPTHS:
            result.depth_words[name] = words_in(result.depth_html[name])

    def _derived_glimpse(self, walk_html: str) -> str:
        """The theme, the key verse (the first verse quoted, else the passage's first) and
        the prayer."""
        pieces = []
        if self.devotion.theme:
            pieces.append(f'<p class="glimpse-theme">{html.escape(self.devotion.theme)}</p>')
        key = self.result.quotes[0].reference if self.result.quotes else None
        key = key or Reference.single(self.devotion.passage.first)
        try:
            verses = self.store.verses(key, self.translation)
        except ScriptureError:
            verses = []
        if verses:
            text = " ".join(v.html for v in verses)
            link = bible_url(self.translation, key.first)
            pieces.append(
                f'<blockquote class="key-verse"><p><a href="{link}">{key.human()}</a> '
                f"{text}</p></blockquote>"
            )
        prayer = section_html(walk_html, "prayer")
        if prayer:
            pieces.append(f'<section class="section section-prayer">{prayer}</section>')
        return "\n".join(pieces)

    # --- blockquotes that quote a verse --------------------------------------------

    def _verse_quote(self, block: list[str], number: int) -> tuple[str, Reference | None]:
        """Link the verse a blockquote starts with; returns the first line and the verse."""
        line = block[0]
        offset = len(line) - len(line.lstrip())
        passage = self.devotion.passage
        m = _VERSE_QUOTE.match(line, offset)
        if m is not None:
            verse = int(re.search(r"\d+", m.group("num")).group())  # type: ignore[union-attr]
            reference = self._verse_of_passage(verse)
            if reference is None:
                message = f"verse {verse} is not in the passage {passage.human()}"
                self.result.problems.append(Problem(number, m.start("num") + 1, "error", message))
                return line, None
            text_start = m.end("num")
            quoted = line[text_start:]
            line = line[: m.start("num")] + self.linker.link(reference, m.group("num")) + quoted
            self.result.citations.append(reference)
        else:
            rest = line.lstrip().lstrip(">").lstrip()
            found = find_references(rest, passage)
            if not found or found[0].start != 0:
                return line, None
            reference = found[0].reference
            text_start = len(line) - len(rest) + found[0].end
            quoted = line[text_start:]
        following = []
        for more in block[1:]:
            content = more.strip().lstrip(">").strip()
            if not more.strip().startswith(">") or not content:
                break
            following.append(content)
        text = " ".join([quoted, *following])
        self.result.quotes.append(Quote(reference, _plain(text), number, text_start + 1))
        return line, reference

    def _verse_of_passage(self, verse: int) -> Reference | None:
        for r in self.devotion.passage.ranges:
            b1, c1, _ = split_id(r.start)
            _, c2, _ = split_id(r.end)
            for chapter in range(c1, c2 + 1):
                vid = verse_id(b1, chapter, verse)
                if r.start <= vid <= r.end:
                    return Reference.single(vid)
        return None

    # --- references in a line --------------------------------------------------------

    def _link_block(self, block: str, number: int, context: Reference) -> tuple[str, Reference]:
        """Link every reference in a block of lines starting on file line `number`."""
        masked = _NOT_PROSE.sub(lambda m: " " * len(m.group()), block)
        matches = find_references(masked, context)
        self._report_unmatched(masked, number, [(m.start, m.end) for m in matches], context)
        if not matches:
            return block, context
        self.result.citations.extend(m.reference for m in matches)
        return self.linker.link_matches(block, matches), matches[-1].reference

    def _report_unmatched(
        self, block: str, number: int, spans: list[tuple[int, int]], context: Reference
    ) -> None:
        """Report what looks like a reference but is not one (for `manna check`)."""

        def covered(pos: int) -> bool:
            return any(a <= pos < b for a, b in spans)

        def where(pos: int) -> tuple[int, int]:
            before = block[:pos]
            return number + before.count("\n"), pos - (before.rfind("\n") + 1) + 1

        for m in _CANDIDATE.finditer(block):
            if covered(m.start("nums")):
                continue
            name = m.group("name").rstrip(".")
            book = canon().loose_names.get(name.lower()) or canon().lookup(name)
            if book is not None:
                try:
                    parse_reference(f"{name} {m.group('nums')}")
                except InvalidReferenceError as err:
                    self._problem(*where(m.start()), f'"{m.group()}": {err}')
                continue
            suggestion = canon().suggest(name)
            if suggestion is not None:
                self._problem(
                    *where(m.start()),
                    f'unknown book "{name}" in "{m.group()}" - did you mean {suggestion}?',
                )
        for m in _RELATIVE_CANDIDATE.finditer(block):
            if covered(m.start()):
                continue
            try:
                parse_reference(m.group(), context=context)
            except InvalidReferenceError as err:
                self._problem(*where(m.start()), f'"{m.group()}": {err}')

    def _problem(self, line: int, column: int, message: str) -> None:
        self.result.problems.append(Problem(line, column, "error", message))

    # --- sections and the passage ----------------------------------------------------

    def _sections(self, body: str, record: bool = True) -> str:
        """Wrap each level-2 heading and what follows in a <section>, named by its kind."""
        parts = re.split(r"(?=<h2[ >])", body)
        out = [parts[0]] if not parts[0].startswith("<h2") else []
        for part in parts if parts[0].startswith("<h2") else parts[1:]:
            title = re.match(r"<h2[^>]*>(.*?)</h2>", part, re.S)
            name = re.sub(r"<[^>]+>", "", title.group(1)).strip().lower() if title else ""
            kind = SECTION_KINDS.get(name.rstrip(":"), "")
            if kind and record:
                self.result.sections.append(kind)
            css = f"section section-{kind}" if kind else "section"
            out.append(f'<section class="{css}">\n{part.rstrip()}\n</section>\n')
        return "".join(out)

    def _passage_html(self) -> str:
        try:
            passage = self.store.passage(self.devotion.passage, self.translation)
        except ScriptureError as err:
            return f'<p class="passage-missing">{html.escape(str(err))}</p>'
        pieces = []
        for verse in passage.verses:
            pieces.append(
                f'<span class="verse" id="passage-v{verse.chapter}-{verse.number}">'
                f'<sup class="vn">{verse.number}</sup>{verse.html}</span>'
            )
        return '<p class="passage-text">' + " ".join(pieces) + "</p>"


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines (a fenced code block is one run), with their first index."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    fence = False
    for i, line in enumerate(lines):
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and depths.FENCE.match(line):  # a depth fence is a block of its own
            if current:
                blocks.append((start, current))
            blocks.append((i, [line]))
            current = []
            continue
        if not line.strip() and not fence:
            if current:
                blocks.append((start, current))
            blocks.append((i, [line]))
            current = []
            continue
        if not current:
            start = i
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


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


def _plain(text: str) -> str:
    """Quoted text without Markdown emphasis."""
    return re.sub(r"[*_`]+", "", text).strip()
