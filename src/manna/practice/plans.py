"""Reading plans, generated from the verse counts (pure Python, no Django).

A plan is a list of days; each day reads whole chapters (or, in a custom plan, the parts
of chapters its ranges name), in order. Days are balanced by verses: the plan first finds
the smallest "largest day" any split into that many days can have, then walks the
chapters aiming each day at the mean of what is left, never over that largest day and
always leaving at least a chapter for every remaining day.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from itertools import accumulate

from manna.markup.text import counted, shown
from manna.scripture import (
    Book,
    InvalidReferenceError,
    Reference,
    ScriptureError,
    VerseRange,
    Versification,
    canon,
    parse_reference,
    split_id,
    verse_id,
    versification,
)
from manna.scripture import book as find_book

GOSPELS = ["Matt", "Mark", "Luke", "John"]
MAX_DAYS = 3650  # ten years of days
MAX_READING = 200  # a day's reading as written in a plan file
MAX_LABEL = 200  # a day's reading as shown (PlanReading.label)
MAX_OSIS = 400  # and as kept (PlanReading.osis, Session.reading)


class PlanError(ValueError):
    """A plan that cannot be made, or a plan file with a problem (`line` when known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A chapter, or the verses `first`..`last` of it."""

    book: Book
    chapter: int
    first: int
    last: int

    @property
    def verses(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    days: tuple[Reference, ...]
    verses: tuple[int, ...]  # the number of verses read each day
    labels: tuple[str, ...]  # each day as people write it: "Genesis 1-3", "Psalm 119"


def chunks_of(reference: Reference, v11n: Versification) -> list[Chunk]:
    """The chapters (or parts of chapters) a reference covers, in order."""
    chunks: list[Chunk] = []
    for r in reference.ranges:
        b1, c1, v1 = split_id(r.start)
        b2, c2, v2 = split_id(r.end)
        for number in range(b1, b2 + 1):
            book = canon().books[number - 1]
            last_chapter = c2 if number == b2 else v11n.chapter_count(book)
            for chapter in range(c1 if number == b1 else 1, last_chapter + 1):
                count = v11n.verse_count(book, chapter)
                first = v1 if (number, chapter) == (b1, c1) else 1
                last = min(v2, count) if (number, chapter) == (b2, c2) else count
                if count and first <= last:
                    chunks.append(Chunk(book, chapter, max(first, 1), last))
    return chunks


def spread(chunks: list[Chunk], days: int) -> list[list[Chunk]]:
    """`chunks` in `days` consecutive groups, balanced by verses (see the module doc)."""
    if days < 1:
        raise PlanError(f"a plan needs at least one day (got {days})")
    if len(chunks) < days:
        raise PlanError(
            f"{counted(len(chunks), 'chapter')} cannot fill {days} days without splitting "
            f"chapters; choose at most {counted(len(chunks), 'day')}"
        )
    weights = [c.verses for c in chunks]
    cap = _smallest_cap(weights, days)
    needs = _groups_needed(weights, cap)
    suffix = [*list(accumulate(reversed(weights)))[::-1], 0]
    groups: list[list[Chunk]] = []
    i = 0
    for day in range(days):
        left = days - day
        target = suffix[i] / left
        group, total = [chunks[i]], weights[i]
        i += 1
        while i < len(chunks) and len(chunks) - i > left - 1:
            must = needs[i] > left - 1  # stopping here would leave too much for the rest
            fits = total + weights[i] <= cap
            closer = abs(total + weights[i] - target) <= abs(total - target)
            if not (must or (fits and closer)):
                break
            group.append(chunks[i])
            total += weights[i]
            i += 1
        groups.append(group)
    return groups


def _groups_needed(weights: list[int], cap: int) -> list[int]:
    """For each position, the fewest days of at most `cap` verses the rest fits in (a
    chapter longer than `cap` is a day of its own)."""
    n = len(weights)
    needs = [0] * (n + 1)
    j, total = n, 0  # the window [i, j) holds the longest run from i within the cap
    for i in range(n - 1, -1, -1):
        total += weights[i]
        while total > cap and j > i + 1:
            j -= 1
            total -= weights[j]
        needs[i] = 1 + needs[j]
    return needs


def _smallest_cap(weights: list[int], days: int) -> int:
    """The smallest cap on a day of two or more chapters that `days` days allow."""
    low, high = min(weights), sum(weights)
    while low < high:
        middle = (low + high) // 2
        if _groups_needed(weights, middle)[0] <= days:
            high = middle
        else:
            low = middle + 1
    return low


def day_reference(chunks: list[Chunk]) -> Reference:
    """One day's chunks as a reference (consecutive chapters join into one range, written
    as chapters when whole: "Genesis 1-3")."""
    ranges: list[VerseRange] = []
    for c in chunks:
        start = verse_id(c.book.number, c.chapter, c.first)
        end = verse_id(c.book.number, c.chapter, c.last)
        whole = _is_whole(c)
        if ranges and _follows(ranges[-1].end, start):  # (only within one book)
            previous = ranges[-1]
            ranges[-1] = VerseRange(
                previous.start, end, whole_chapters=previous.whole_chapters and whole
            )
        else:
            ranges.append(VerseRange(start, end, whole_chapters=whole))
    return Reference(tuple(ranges))


def _follows(end: int, start: int) -> bool:
    b1, c1, v1 = split_id(end)
    b2, c2, v2 = split_id(start)
    return (b1, c1, v1 + 1) == (b2, c2, v2) or (b1 == b2 and c2 == c1 + 1 and v2 == 1)


def plan_over(name: str, reading: Reference | str, days: int, *, system: str = "english") -> Plan:
    """`reading` spread over `days` days."""
    if isinstance(reading, str):
        if not reading.strip():
            raise PlanError('write the passages to read, e.g. "Genesis 1-11; John 1-4"')
        try:
            reading = parse_reference(reading)
        except ScriptureError as err:
            raise PlanError(f'"{reading}": {err}') from None
    groups = spread(chunks_of(reading, versification(system)), days)
    return _plan(name, groups)


def _plan(name: str, groups: list[list[Chunk]]) -> Plan:
    return _fitting(
        Plan(
            name,
            tuple(day_reference(g) for g in groups),
            tuple(sum(c.verses for c in g) for g in groups),
            tuple(day_reference(g).human() for g in groups),
        )
    )


def _fitting(plan: Plan) -> Plan:
    """`plan`, when every day's reading fits where it is kept and shown."""
    for n, (reading, label) in enumerate(zip(plan.days, plan.labels, strict=True), start=1):
        if len(label) > MAX_LABEL or len(reading.osis()) > MAX_OSIS:
            raise PlanError(
                f'day {n}\'s reading ("{shown(label, 40)}") names too many passages to keep; '
                "split it over more days"
            )
    return plan


def _is_whole(chunk: Chunk) -> bool:
    return chunk.first == 1 and chunk.last == versification("english").verse_count(
        chunk.book, chunk.chapter
    )


def _books(osis_ids: list[str]) -> Reference:
    v11n = versification("english")
    ranges = []
    for osis in osis_ids:
        ranges.append(VerseRange.whole_book(canon().by_osis[osis], v11n))
    return Reference(tuple(ranges))


def _protestant_canon() -> list[str]:
    return [b.osis for b in canon().books if b.testament in ("OT", "NT")]


BUILT_IN: dict[str, tuple[str, str, int]] = {
    # key: (name, what is read, days); "book" plans are made with book_plan().
    "bible-year": ("The whole Bible in a year", "bible", 365),
    "nt-90": ("The New Testament in 90 days", "nt", 90),
    "gospels-30": ("The Gospels in 30 days", "gospels", 30),
    "psalms-30": ("The Psalms in 30 days", "psalms", 30),
}


def built_in_plan(key: str) -> Plan:
    if key not in BUILT_IN:
        raise PlanError(f'no built-in plan "{key}"; choose one of: {", ".join(BUILT_IN)}')
    name, what, days = BUILT_IN[key]
    osis = {
        "bible": _protestant_canon(),
        "nt": [b.osis for b in canon().books if b.testament == "NT"],
        "gospels": GOSPELS,
        "psalms": ["Ps"],
    }[what]
    return plan_over(name, _books(osis), days)


def book_plan(book_name: str, days: int) -> Plan:
    """One book in `days` days."""
    try:
        book = find_book(book_name)
    except ScriptureError as err:
        raise PlanError(str(err)) from None
    return plan_over(f"{book.name} in {days} days", _books([book.osis]), days)


def plan_from_file(name: str, text: str, *, json_format: bool) -> Plan:
    """A plan written out day by day: CSV lines "day,reading" (a header line is allowed)
    or JSON: a list of readings, or of {"day": n, "reading": "..."}. Days must run
    1, 2, 3, ... and each reading must be a valid reference."""
    rows = _json_rows(text) if json_format else _csv_rows(text)
    if not rows:
        raise PlanError("the file has no readings; write one day per line: 1,John 1")
    if len(rows) > MAX_DAYS:
        raise PlanError(f"the file has {len(rows):,} days; a plan has at most {MAX_DAYS:,}")
    days: list[Reference] = []
    v11n = versification("english")
    for line, day, reading in rows:
        if day != len(days) + 1:
            raise PlanError(f"day {day} where day {len(days) + 1} was expected", line)
        if len(reading) > MAX_READING:
            raise PlanError(
                f"the reading is {len(reading):,} characters; a day's reading has at most "
                f"{MAX_READING} - split it over more days",
                line,
            )
        try:
            days.append(parse_reference(reading))
        except InvalidReferenceError as err:
            raise PlanError(f'"{shown(reading, 40)}": {err}', line) from None
    counts = tuple(sum(c.verses for c in chunks_of(day, v11n)) for day in days)
    return _fitting(Plan(name, tuple(days), counts, tuple(day.human() for day in days)))


def _csv_rows(text: str) -> list[tuple[int, int, str]]:
    rows = []
    for line, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not fields or not "".join(fields).strip():
            continue
        if line == 1 and fields[0].strip().lower() == "day":
            continue  # a header
        if len(fields) != 2:
            raise PlanError(f"expected two fields, day and reading (found {len(fields)})", line)
        day, reading = (f.strip() for f in fields)
        if not re.fullmatch(r"[0-9]{1,6}", day):
            raise PlanError(f'the day "{shown(day, 40)}" is not a number', line)
        rows.append((line, int(day), reading))
    return rows


def _json_rows(text: str) -> list[tuple[int, int, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PlanError(f"not valid JSON: {err.msg}", err.lineno) from None
    if not isinstance(data, list):
        raise PlanError('the JSON must be a list: ["John 1", "John 2"] or [{"day": 1, ...}]')
    rows = []
    for n, item in enumerate(data, start=1):
        if isinstance(item, str):
            rows.append((n, n, item))
        elif isinstance(item, dict) and isinstance(item.get("reading"), str):
            day = item.get("day", n)
            if not isinstance(day, int) or isinstance(day, bool):
                raise PlanError(f"item {n}: the day {shown(day, 40)} is not a number")
            rows.append((n, day, item["reading"]))
        else:
            raise PlanError(f'item {n}: expected a reading like "John 1" or {{"day", "reading"}}')
    return rows
