"""The devotion file format: Markdown with YAML front matter (see docs/format.md).

Pure Python (no Django): `manna check` uses it on files, the importer and the web editor
on text. Parsing never raises for bad input; it returns the problems it found, each with
a line and column, so every problem in a file is reported at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from manna.markup.text import shown
from manna.scripture import InvalidReferenceError, Reference, parse_reference

Severity = Literal["error", "warning", "note"]  # a note never blocks nor counts

REQUIRED_KEYS = ("title", "passage", "date")
OPTIONAL_KEYS = (
    "slug",
    "theme",
    "translation",
    "tags",
    "series",
    "author",
    "summary",
    "status",
    "slot",
)
ALL_KEYS = (*REQUIRED_KEYS, *OPTIONAL_KEYS)
STATUSES = ("draft", "published")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    column: int
    severity: Severity
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass(slots=True)
class Devotion:
    """A devotion as written in its file, after the front matter has been checked."""

    title: str
    passage: Reference
    date: dt.date
    slug: str
    body: str
    body_line: int  # the file line on which the body starts (1-based)
    theme: str = ""
    translation: str = ""
    tags: list[str] = field(default_factory=list)
    series: str = ""
    author: str = ""
    summary: str = ""
    status: str = "published"
    slot: str = ""  # "morning", "evening": one of a day's devotions ("": the day's only one)


@dataclass(slots=True)
class Parsed:
    devotion: Devotion | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


# The longest value each key may hold (the database's columns).
MAX_LENGTHS = {
    "title": 200,
    "passage": 200,
    "slug": 80,
    "theme": 300,
    "translation": 32,
    "series": 200,
    "author": 120,
    "summary": 5000,
    "slot": 40,
}
MAX_TAG = 80


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text (a bad date gets our message, not a crash),
    refuses anchors and aliases (a few hundred bytes of aliases expand to gigabytes, and
    front matter has no use for them) and refuses a key given twice."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases (&name, *name) are not allowed in front matter - "
                "write each value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f'"{shown(key)}" is given twice - keep one of them',
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def slugify(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return "-".join(words)[:80].strip("-") or "devotion"


def parse(text: str) -> Parsed:
    """Split and check the front matter; the body is kept as written."""
    problems: list[Problem] = []
    lines = text.splitlines()
    nul = next((i for i, line in enumerate(lines) if "\x00" in line), None)
    if nul is not None:
        column = lines[nul].index("\x00") + 1
        message = "the file holds a NUL character (\\0), which is not text - remove it"
        return Parsed(None, [Problem(nul + 1, column, "error", message)])
    if not lines or lines[0].strip() != "---":
        problems.append(
            Problem(1, 1, "error", 'missing front matter - start the file with a line "---"')
        )
        return Parsed(None, problems)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        problems.append(
            Problem(1, 1, "error", 'front matter is not closed - add a line "---" after it')
        )
        return Parsed(None, problems)
    front_text = "\n".join(lines[1:end])
    try:
        meta = yaml.load(front_text, Loader=_Loader) if front_text.strip() else {}  # noqa: S506
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        column = mark.column + 1 if mark is not None else 1
        reason = getattr(err, "problem", None) or str(err)
        problems.append(Problem(line, column, "error", f"front matter is not valid YAML: {reason}"))
        return Parsed(None, problems)
    if not isinstance(meta, dict):
        problems.append(
            Problem(2, 1, "error", "front matter must be `key: value` lines (title, passage, date)")
        )
        return Parsed(None, problems)
    key_lines = _key_lines(lines[1:end])
    body_line = end + 2
    body = "\n".join(lines[end + 1 :])
    devotion = _check_meta(meta, key_lines, body, body_line, problems)
    return Parsed(devotion, sorted(problems, key=lambda p: (p.line, p.column)))


def with_front_matter(text: str, **values: str) -> str:
    """`text` with these top-level front matter keys set (each key's line replaced, or
    added before the closing "---"), everything else as written. The desk's buttons write
    `status:` and `date:` this way: the file stays the source of truth."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return text
    for key, value in values.items():
        line = f"{key}: {value}"
        at = next((i for i in range(1, end) if re.match(rf"{re.escape(key)}\s*:", lines[i])), None)
        if at is None:
            lines.insert(end, line)
            end += 1
        else:
            lines[at] = line
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _key_lines(front: list[str]) -> dict[str, int]:
    """The file line of each top-level key (front matter starts on line 2)."""
    found: dict[str, int] = {}
    for i, line in enumerate(front):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if m:
            found.setdefault(m.group(1), i + 2)
    return found


def _check_meta(
    meta: dict[str, Any],
    key_lines: dict[str, int],
    body: str,
    body_line: int,
    problems: list[Problem],
) -> Devotion | None:
    def at(key: str) -> int:
        return key_lines.get(key, 1)

    def error(key: str, message: str) -> None:
        problems.append(Problem(at(key), 1, "error", message))

    known = set(REQUIRED_KEYS) | set(OPTIONAL_KEYS)
    for key in meta:
        if str(key) not in known:
            problems.append(
                Problem(
                    at(str(key)),
                    1,
                    "error",
                    f'unknown key "{shown(key)}" - known keys: {", ".join(ALL_KEYS)}',
                )
            )
    for key in REQUIRED_KEYS:
        if meta.get(key) in (None, ""):
            example = {
                "title": "Show Me Your Glory",
                "passage": "Exodus 33:12-23",
                "date": "2026-11-24",
            }
            error(key, f'missing "{key}" - add a line like `{key}: {example[key]}`')

    title = _text(meta, "title", error)
    passage = None
    if isinstance(meta.get("passage"), str) and meta["passage"].strip():
        try:
            passage = parse_reference(meta["passage"])
        except InvalidReferenceError as err:
            error("passage", f'passage "{shown(meta["passage"])}": {err}')
    elif meta.get("passage") not in (None, ""):
        error("passage", 'passage must be a reference such as "Exodus 33:12-23"')

    date = meta.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            error(
                "date",
                f'date "{shown(date)}" is not a date - write it as YYYY-MM-DD, e.g. 2026-11-24',
            )
            date = None
    elif date is not None and not isinstance(date, dt.date):
        error("date", "date must be written as YYYY-MM-DD, e.g. 2026-11-24")
        date = None

    slug = meta.get("slug")
    if slug is None:
        slug = slugify(title) if title else ""
    elif not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        error(
            "slug",
            f'slug "{shown(slug)}" must be lower-case words joined by hyphens, '
            "e.g. show-me-your-glory",
        )
        slug = ""

    status = meta.get("status", "published")
    if status not in STATUSES:
        error("status", f'status "{shown(status)}" must be draft or published')
        status = "draft"

    tags = meta.get("tags", [])
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if not isinstance(tags, list) or not all(isinstance(t, str | int) for t in tags):
        error("tags", "tags must be a list, e.g. `tags: [glory, presence]`")
        tags = []

    texts = {
        key: _text(meta, key, error)
        for key in ("theme", "translation", "series", "author", "summary", "slot")
    }
    if texts["slot"] and not _SLUG.fullmatch(texts["slot"].lower()):
        error(
            "slot",
            f'slot "{shown(texts["slot"])}" must be a word such as morning or evening '
            "(letters, digits and hyphens)",
        )
    if texts["translation"] and not re.fullmatch(r"[a-z][a-z0-9_]*", texts["translation"]):
        error(
            "translation",
            f'translation "{shown(texts["translation"])}" must be a code such as kjv or web',
        )

    lengths = {"title": title, "slug": slug, **texts}
    if passage is not None:
        lengths["passage"] = max(passage.human(), passage.osis(), key=len)
    for key, value in lengths.items():
        if len(value) > MAX_LENGTHS[key]:
            error(key, f"{key} is {len(value)} characters long; it may have {MAX_LENGTHS[key]}")
    for tag in tags:
        if len(str(tag).strip()) > MAX_TAG:
            error("tags", f'the tag "{shown(tag)}" is longer than {MAX_TAG} characters')

    if any(p.severity == "error" for p in problems) or passage is None or date is None:
        return None
    return Devotion(
        title=title,
        passage=passage,
        date=date,
        slug=slug,
        body=body,
        body_line=body_line,
        theme=texts["theme"],
        translation=texts["translation"].lower(),
        tags=[str(t).strip() for t in tags if str(t).strip()],
        series=texts["series"],
        author=texts["author"],
        summary=texts["summary"],
        status=str(status),
        slot=texts["slot"].lower(),
    )


def _text(meta: dict[str, Any], key: str, error: Any) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        error(key, f"{key} must be text, not a list or a mapping")
        return ""
    return str(value).strip()
