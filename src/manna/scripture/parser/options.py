"""The guesses the reader of references makes, each a named option, and its result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """The guesses the parser makes, each with its default."""

    # Versification used to check chapters and verses (see canon.available_versifications()).
    versification: str = "english"
    # Accept a misspelled book name ("Exodis 3:1") in prose when a chapter:verse follows it.
    fuzzy_names: bool = True
    # How similar (0..1) a misspelling must be to a known name to be accepted.
    fuzzy_cutoff: float = 0.75
    # Names that are also English words ("Mark", "Acts", "Job", "am", "is"):
    #   "capitalized": only when capitalised, and a bare chapter only when the next word
    #                  does not read as a quantity ("Acts 2" yes, "Am 5 minutes" no);
    #   "always": treat them like any other name;  "never": ignore them.
    weak_names: Literal["capitalized", "always", "never"] = "capitalized"
    # An abbreviation several books share ("Ma": Matthew, Mark, Malachi; see [shared] in
    # books.toml) reads, capitalised and before a chapter:verse, as the book it most often
    # means ("Ma 1:1" is Matthew 1:1). False: never read.
    shared_abbreviations: bool = True
    # In a single-chapter book, "Jude 3" means verse 3 ("verse") or chapter 3 ("chapter").
    single_chapter_number: Literal["verse", "chapter"] = "verse"
    # Resolve "v. 2", "vv. 12-23", "ch. 3" against the passage last named (or the context).
    relative: bool = True
    # A range ending past the end of its chapter ("John 3:16-40"): "clamp" it to the last
    # verse, or "drop" the reference. A start that does not exist is always dropped.
    past_end: Literal["clamp", "drop"] = "clamp"
    # "Rev 3ff": runs to the end of the book ("book") or only the next chapter ("next").
    chapter_ff: Literal["book", "next"] = "book"
    # "Ps 3 title": the psalm's title, its verse 0 where titles are unnumbered (English
    # Bibles); True reads it as verse 1, as some reference tools do. Where the numbering
    # counts titles as verses (Hebrew), and for a psalm without a title, it is verse 1.
    title_as_verse_one: bool = False
    # "Ezekiel 25-16", "Hebrews 13-15": a hyphen after a chapter, followed by a number that
    # cannot be a later chapter of the book, separates chapter and verse.
    hyphen_as_verse: bool = True
    # "Genesis 50:26-Exodus 1:3": a range may run into a following book at most this many
    # books on (0: never); a farther book after a dash starts a new reference instead.
    book_range_span: int = 2
    # "John 3 16": a space between chapter and verse, in prose, when that verse exists and
    # only punctuation or the end of the text follows ("Psalm 23 4 times" stays chapter 23).
    space_as_verse: bool = True


DEFAULT_OPTIONS = ParseOptions()
