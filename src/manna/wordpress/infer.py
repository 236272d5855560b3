"""The devotion inside a blog post: its passage, found where devotional blogs put it (pure
Python, on the scripture engine; no Django)."""

from __future__ import annotations

import re

from manna.scripture import InvalidReferenceError, find_references, parse_reference

_LEAD = re.compile(r"^[\s:;,.\-–—|]+|[\s:;,.\-–—|]+$")


def passage_in_title(title: str) -> tuple[str, str] | None:
    """("Exodus 33:12-23", "The more we commune") from "EXODUS 33:12-23 The more we
    commune": a reference that opens the title (or closes it, "Title - John 3:16") is the
    passage, the rest the title; a title all in capitals gets a sentence's capitals."""
    matches = list(find_references(title))
    if not matches:
        return None
    first, last = matches[0], matches[-1]
    if not title[: first.start].strip(" \t-–—:|"):
        rest = title[first.end :]
        found = first
    elif not title[last.end :].strip(" \t-–—:|)."):
        rest = title[: last.start].rstrip(" (")
        found = last
    else:
        return None
    passage = _human(found.text)
    if passage is None:
        return None
    return passage, sentence_case(_LEAD.sub("", rest)) or passage


def passage_in_line(line: str) -> str | None:
    """A first line that is a reference and little else ("Read: Psalm 23", "Psalm 23:1-6
    (NIV)") names the passage."""
    matches = list(find_references(line))
    if len(matches) != 1:
        return None
    leftover = line[: matches[0].start] + line[matches[0].end :]
    words = re.findall(r"[A-Za-z]+", leftover)
    if len(words) > 3:
        return None
    return _human(matches[0].text)


def _human(text: str) -> str | None:
    try:
        return parse_reference(text).human()
    except InvalidReferenceError:
        return None


def sentence_case(text: str) -> str:
    """A title in capitals ("THE MORE WE COMMUNE WITH GOD") as a sentence ("The more we
    commune with God" keeps "God" and "I"); any other title as it was."""
    letters = [c for c in text if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return text
    words = text.lower().split(" ")
    kept = {"god", "lord", "i", "jesus", "christ", "spirit", "holy"}
    out = [w.capitalize() if w.strip("'’,.!?;:") in kept else w for w in words]
    if out:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


# --- the devotion's parts, where the writing makes them clear ---------------------------

_DASH_CITED = re.compile(r"^(?P<words>.+?)\s+[-–—]\s*(?P<ref>[^-–—]{3,40})$")
_PRAYER_OPENING = re.compile(
    r"^(\*\*)?(Dear (Lord|God|Father|Jesus)|Heavenly Father|Father|Lord|O (Lord|God)|"
    r"Gracious God|Almighty God|Lord Jesus)\b",
    re.I,
)
_AMEN = re.compile(r"\bAmen[.!]?\**$", re.I)
_LABELS = {
    "## Practice": re.compile(r"^\**(Practice|Application|Action step|Try this)\s*:\**\s*", re.I),
    "## Questions": re.compile(
        r"^\**(Questions?|For reflection|Reflect|Think about it)\s*:\**\s*", re.I
    ),
    "## Prayer": re.compile(r"^\**(Prayer|Let us pray)\s*:\**\s*", re.I),
}


def quotations(markdown: str) -> tuple[str, list[str]]:
    """A block quote (or a paragraph in quotation marks) attributed to a reference, with a
    dash ("... - Isaiah 43:1") or by its <cite> ("> — Isaiah 43:1" below the words), as the
    format's quotation of that verse: "> Isaiah 43:1 words"."""
    notes: list[str] = []
    blocks = markdown.split("\n\n")
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if block.startswith(">"):
            text = " ".join(line.lstrip(">").strip() for line in lines if line.strip(">").strip())
            cite = re.match(r"^(?P<words>.+?)\s+— (?P<ref>[^—]+)$", text)
            found = cite or _DASH_CITED.match(text)
        elif block[:1] in '"“' and "\n" not in block:
            found = _DASH_CITED.match(block)
        else:
            continue
        if found is None:
            continue
        reference = _human(found["ref"].strip(" ()."))
        if reference is None:
            continue
        words = found["words"].strip().strip('"“”').strip()
        blocks[i] = f"> {reference} {words}"
        notes.append(f"the quotation of {reference} marked as one")
    return "\n\n".join(blocks), notes


def sections(markdown: str) -> tuple[str, list[str]]:
    """The closing prayer ("Dear Lord, ... Amen."), and paragraphs labelled "Practice:",
    "Questions:" or "Prayer:", as the format's sections (`## Prayer`, ...)."""
    notes: list[str] = []
    blocks = markdown.split("\n\n")
    headed = {b for b in blocks if b.startswith("## ")}
    for i, block in enumerate(blocks):
        for heading, label in _LABELS.items():
            if heading in headed:
                continue
            found = label.match(block)
            if found and block[found.end() :].strip():
                blocks[i] = f"{heading}\n\n{block[found.end() :].strip()}"
                headed.add(heading)
                notes.append(f'{heading[3:].lower()} recognised ("{found.group(0).strip()}")')
    if "## Prayer" not in headed:
        for i in range(len(blocks) - 1, max(len(blocks) - 4, -1), -1):
            if _PRAYER_OPENING.match(blocks[i]) and _AMEN.search(blocks[-1]):
                blocks[i] = "## Prayer\n\n" + blocks[i]
                notes.append("the closing prayer recognised")
                break
    return "\n\n".join(blocks), notes


_PLAIN_PARAGRAPH = re.compile(r"^(?![>#\-*]|\d+\.\s|!\[)")
QUOTE_LIKENESS = 85  # out of 100: blogs quote the NASB, ESV or NIV, not the installed text


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def verse_paragraphs(markdown: str, passage: str, translations: list[str]) -> tuple[str, list[str]]:
    """A paragraph that is a verse of the passage (or two verses running), in whatever
    translation the blog quoted, as the format's quotation of it ("> 18 words"): compared,
    word for word and fuzzily, with each installed translation's verses."""
    from rapidfuzz import fuzz  # here: importing it costs a cold start

    from manna.scripture import get_passage
    from manna.scripture.errors import ScriptureError

    candidates: list[tuple[str, str]] = []  # (verse label, its words)
    for code in translations:
        try:
            verses = [v for v in get_passage(passage, code).verses if not v.is_title]
        except ScriptureError:
            continue
        for i, verse in enumerate(verses):
            candidates.append((str(verse.number), _words(verse.text)))
            if i + 1 < len(verses):
                pair = f"{verse.number}-{verses[i + 1].number}"
                candidates.append((pair, _words(verse.text + " " + verses[i + 1].text)))
    if not candidates:
        return markdown, []
    notes: list[str] = []
    blocks = markdown.split("\n\n")
    for i, block in enumerate(blocks):
        if not _PLAIN_PARAGRAPH.match(block) or not 15 <= len(block) <= 1200:
            continue
        text = _words(re.sub(r"^\d{1,3}\s+", "", block))
        best = max(candidates, key=lambda c: fuzz.ratio(text, c[1]))
        if fuzz.ratio(text, best[1]) >= QUOTE_LIKENESS:
            label = best[0].split("-")[0]
            words = re.sub(r"^\d{1,3}\s+", "", block)
            blocks[i] = f"> {label} {words}"
            notes.append(f"a paragraph quoting v. {best[0]} marked as its quotation")
    return "\n\n".join(blocks), notes
