"""`manna check`: every problem in devotion files, as `file:line:col: severity: message`.

Errors block an import: malformed front matter, unknown or impossible references,
duplicate slugs or dates. Warnings never block: a quotation that does not match the
verse it cites in the devotion's translation (saying which installed translation it does
match, if any), a depth that adds nothing, a study block that cites nothing. Notes never
count: a glimpse Manna derived because none was marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from manna.devotions.depth import DEPTHS, reading_minutes
from manna.devotions.format import Devotion, Problem, parse
from manna.devotions.render import Quote, Rendered, render
from manna.scripture import ScriptureError
from manna.scripture.store import Store


@dataclass(slots=True)
class Checked:
    """One file: what it says (when it could be read) and every problem found."""

    path: Path
    devotion: Devotion | None
    rendered: Rendered | None
    problems: list[Problem] = field(default_factory=list)
    text: str = ""  # the file as read

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def devotion_files(paths: Iterable[Path]) -> list[Path]:
    """The Markdown files named, or found (recursively) in the folders named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            found.append(path)
    return found


def check_text(text: str, *, store: Store, default_translation: str) -> Checked:
    """Check one devotion's text (the web editor and the importer use this too)."""
    return _check(Path("<text>"), text, store, default_translation)


def check_files(paths: Iterable[Path], *, store: Store, default_translation: str) -> list[Checked]:
    results: list[Checked] = []
    for path in devotion_files(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            results.append(_failed(path, f"no such file: {path}"))
            continue
        except UnicodeDecodeError as err:
            results.append(_failed(path, f"not UTF-8 text ({err.reason} at byte {err.start})"))
            continue
        except OSError as err:
            results.append(_failed(path, f"cannot read the file: {err.strerror}"))
            continue
        results.append(_check(path, text, store, default_translation))
    _report_duplicates(results)
    return results


def _failed(path: Path, message: str) -> Checked:
    return Checked(path, None, None, [Problem(1, 1, "error", message)])


def _check(path: Path, text: str, store: Store, default_translation: str) -> Checked:
    parsed = parse(text)
    checked = Checked(path, parsed.devotion, None, sorted(parsed.problems, key=_position), text)
    devotion = parsed.devotion
    if devotion is None:
        return checked
    translation = devotion.translation or default_translation
    installed = [t.code for t in store.translations()]
    if translation not in installed:
        line = key_line(text, "translation")
        checked.problems.append(
            Problem(
                line,
                1,
                "error",
                f'translation "{translation}" is not installed - installed: '
                f"{', '.join(installed) or 'none'} (add one with `manna import-bible`)",
            )
        )
        return checked
    rendered = render(devotion, store=store, translation=translation)
    checked.rendered = rendered
    checked.problems.extend(rendered.problems)
    checked.problems.extend(_depth_problems(devotion, rendered))
    for quote in rendered.quotes:
        warning = _quotation_warning(quote, translation, installed, store)
        if warning:
            checked.problems.append(Problem(quote.line, quote.column, "warning", warning))
    checked.problems.sort(key=_position)
    return checked


def _position(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.column


def key_line(text: str, key: str) -> int:
    """The file line on which a front matter key is written (1 when it is not)."""
    for i, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"{key}\s*:", line):
            return i
    return 1


def _report_duplicates(results: list[Checked]) -> None:
    seen_slugs: dict[str, Path] = {}
    seen_dates: dict[object, Path] = {}
    for checked in results:
        devotion = checked.devotion
        if devotion is None:
            continue
        text_lines = checked.text
        other = seen_slugs.get(devotion.slug)
        if other is not None:
            checked.problems.append(
                Problem(
                    key_line(text_lines, "slug")
                    if "slug:" in text_lines
                    else key_line(text_lines, "title"),
                    1,
                    "error",
                    f'duplicate slug "{devotion.slug}" (also in {other}) - give one a `slug:`',
                )
            )
        else:
            seen_slugs[devotion.slug] = checked.path
        day = (devotion.date, devotion.slot)
        other = seen_dates.get(day)
        if other is not None:
            where = f"{devotion.date}, slot {devotion.slot}," if devotion.slot else devotion.date
            checked.problems.append(
                Problem(
                    key_line(text_lines, "date"),
                    1,
                    "error",
                    f"duplicate date {where} (also in {other}) - one devotion per day and slot",
                )
            )
        else:
            seen_dates[day] = checked.path


# --- quotations -----------------------------------------------------------------------

_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def quotation_matches(quote: str, verse_text: str) -> bool:
    """Each part of the quote (split at ellipses) appears in the verse, in order."""
    verse = " " + " ".join(words(verse_text)) + " "
    pos = 0
    fragments = [words(f) for f in _ELLIPSIS.split(quote)]
    if not any(fragments):
        return True
    for fragment in fragments:
        if not fragment:
            continue
        at = verse.find(" " + " ".join(fragment) + " ", pos)
        if at < 0:
            return False
        pos = at + 1
    return True


def _quotation_warning(quote: Quote, translation: str, installed: list[str], store: Store) -> str:
    text = _strip_quote_marks(quote.text)
    if not words(text):
        return ""
    if _matches(quote, text, translation, store):
        return ""
    matching = [
        code for code in installed if code != translation and _matches(quote, text, code, store)
    ]
    where = quote.reference.human()
    if matching:
        return (
            f"the quotation does not match {where} in {translation.upper()}; it matches "
            f"{', '.join(c.upper() for c in matching)} - set `translation:` or quote "
            f"{translation.upper()}"
        )
    return (
        f"the quotation does not match {where} in {translation.upper()} or any installed "
        "translation - check the wording (fine if you quote a translation that is not installed)"
    )


def _matches(quote: Quote, text: str, code: str, store: Store) -> bool:
    try:
        verses = store.verses_of(quote.reference, code)
    except ScriptureError:
        return False
    return quotation_matches(text, " ".join(v.text for v in verses))


def _strip_quote_marks(text: str) -> str:
    return text.strip().strip("\"'“”‘’").strip()


def _depth_problems(devotion: Devotion, rendered: Rendered) -> list[Problem]:
    """A derived glimpse (a note), and depths that add nothing (warnings)."""
    line = devotion.body_line
    words = rendered.depth_words
    problems = []
    if rendered.glimpse_derived:
        problems.append(
            Problem(
                line,
                1,
                "note",
                "no glimpse marked: Manna shows the theme, the key verse and the prayer "
                '(mark your own with "::: glimpse" ... ":::")',
            )
        )
    if not rendered.marked:  # no depth blocks at all: every depth is the whole text
        return problems
    if not rendered.glimpse_derived and words["walk"] == words["glimpse"]:
        problems.append(
            Problem(
                line,
                1,
                "warning",
                "the walk adds nothing to the glimpse: unmarked text is the walk",
            )
        )
    if words["study"] == words["walk"]:
        problems.append(
            Problem(
                line,
                1,
                "warning",
                'the study adds nothing to the walk: add a "::: study" block for readers who '
                "want the longer look",
            )
        )
    return problems


def depth_summary(rendered: Rendered) -> str:
    """ "glimpse 84 words (1 min), walk 610 words (3 min), study 1,020 words (5 min)" """
    return ", ".join(
        f"{name} {rendered.depth_words[name]:,} words "
        f"({reading_minutes(rendered.depth_words[name])} min)"
        for name in DEPTHS
    )
