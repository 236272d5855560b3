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
import threading
from dataclasses import dataclass, field

import markdown

from manna.devotions import depth as depths
from manna.devotions.format import Devotion, Problem
from manna.markup import Linker, bible_url, prose_only, sanitize, section_html, words_in
from manna.scripture import (
    InvalidReferenceError,
    Reference,
    ScriptureError,
    canon,
    find_references,
    parse_reference,
    split_id,
    verse_id,
)
from manna.scripture.store import Store

_LOCAL = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's converter: making one costs about as much as converting a devotion."""
    md: markdown.Markdown | None = getattr(_LOCAL, "md", None)
    if md is None:
        md = markdown.Markdown(
            extensions=["extra", "sane_lists", "smarty"],
            # Column alignment as an attribute: CSP refuses inline styles.
            extension_configs={"extra": {"tables": {"use_align_attribute": True}}},
        )
        _LOCAL.md = md
    return md


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
# Things that look like a reference but that the finder did not accept (for the checker).
_CANDIDATE = re.compile(
    r"(?P<name>(?:[1-4]\s?)?[A-Z][a-z]{1,20}\.?)\s+(?P<nums>\d{1,3}:\d{1,3}(?:\s*[-–]\s*\d{1,3})?)"
)
_RELATIVE_CANDIDATE = re.compile(r"\b(?:vv?\.|verses?)\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?", re.I)
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


def render(devotion: Devotion, *, store: Store, translation: str) -> Rendered:
    renderer = _Renderer(devotion, store, translation)
    return renderer.run()


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
        html_body = _markdown().reset().convert(body)
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
            verses = self.store.verses_of(key, self.translation)
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
        masked = prose_only(block)
        matches = find_references(masked, context)
        self._report_unmatched(masked, number, [(m.start, m.end) for m in matches], context)
        if not matches:
            return block, context
        self.result.citations.extend(m.reference for m in matches)
        # What the next block's "v. 2" is about: the last passage not named in passing.
        discussed = [m.reference for m in matches if not m.in_passing]
        return self.linker.link_matches(block, matches), discussed[-1] if discussed else context

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
            passage = self.store.passage_of(self.devotion.passage, self.translation)
        except ScriptureError as err:
            return f'<p class="passage-missing">{html.escape(str(err))}</p>'
        pieces = []
        for verse in passage.verses:
            if verse.is_title:  # a psalm's title, unnumbered
                pieces.append(
                    f'<span class="verse psalm-title" id="passage-title-{verse.chapter}">'
                    f"<em>{verse.html}</em></span>"
                )
                continue
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


def _plain(text: str) -> str:
    """Quoted text without Markdown emphasis."""
    return re.sub(r"[*_`]+", "", text).strip()
