import pytest

from manna.scripture import (
    InvalidReferenceError,
    ParseOptions,
    UnknownBookError,
    find_references,
    parse_reference,
)


def osis_found(text, context=None, options=ParseOptions()):
    return [m.osis() for m in find_references(text, context, options)]


# --- parse_reference: strict ---


@pytest.mark.parametrize(
    "text, osis",
    [
        ("Ex 33:12-23", "Exod.33.12-Exod.33.23"),
        ("1 Jn 1:9", "1John.1.9"),
        ("I John 1:9", "1John.1.9"),
        ("First John 1:9", "1John.1.9"),
        ("2 Cor 3:18", "2Cor.3.18"),
        ("Gen. 1:1", "Gen.1.1"),
        ("Rev 3ff", "Rev.3-Rev.22"),
        ("Rev 4:2ff", "Rev.4.2-Rev.4.11"),
        ("Matt 5 to 7", "Matt.5-Matt.7"),
        ("Titus 1:1 through 2", "Titus.1.1-Titus.1.2"),
        ("Phlm 2 and 6", "Phlm.1.2,Phlm.1.6"),
        ("Tobit 1:3", "Tob.1.3"),
        ("Tobias 1:3", "Tob.1.3"),
        # books named without numbers are whole books, alone, in lists and in runs
        ("Jonah", "Jonah.1-Jonah.4"),
        ("Obadiah.", "Obad.1"),
        ("Obadiah; Jonah", "Obad.1,Jonah.1-Jonah.4"),
        ("Jude; 3 John", "Jude.1,3John.1"),
        ("Ruth and Esther 2", "Ruth.1-Ruth.4,Esth.2"),
        ("John 3:16; Jonah", "John.3.16,Jonah.1-Jonah.4"),
        ("Gen-Deut", "Gen.1-Deut.34"),
        ("Genesis to Exodus; Matt 5-7", "Gen.1-Exod.40,Matt.5-Matt.7"),
        ("Genesis 1-Exodus", "Gen.1-Exod.40"),
        ("Philemon-Hebrews 13", "Phlm.1-Heb.13"),
        ("1 Thessalonians 1-Philemon", "1Thess.1-Phlm.1"),
        ("Philemon-1 Peter 5", "Phlm.1-1Pet.5"),
        ("2 John-3 John", "2John.1-3John.1"),
        ("Genesis 1; 2 Chronicles", "Gen.1,2Chr.1-2Chr.36"),
        # one explicit reference may run into any later book (prose allows two books on)
        ("Lev 19:15-Rom 2:9", "Lev.19.15-Rom.2.9"),
    ],
)
def test_parse_reference_forms(text, osis):
    assert parse_reference(text).osis() == osis


@pytest.mark.parametrize(
    "text, error, message",
    [
        ("Exodis 33:12", UnknownBookError, 'unknown book "Exodis" - did you mean Exodus?'),
        ("Exodus 41", InvalidReferenceError, "Exodus has 40 chapters"),
        ("Exodus 33:30", InvalidReferenceError, "Exodus 33 has 23 verses"),
        ("3 John 1:15", InvalidReferenceError, "3 John 1 has 14 verses"),
        ("Zorp 3:1", UnknownBookError, 'unknown book "Zorp"'),
        ("Exod-Gen", InvalidReferenceError, "the books run backwards: Genesis comes before Exodus"),
        (
            "Obadiah; 3",
            InvalidReferenceError,
            'unexpected "; 3" after "Obadiah" - write one reference such as "John 3:16-18" '
            'or "John 3:16, 18; 4:1-5"',
        ),
        (
            "Ma 1:1",
            InvalidReferenceError,
            '"Ma" could be Matthew, Mark or Malachi - write the name out (or its own '
            'abbreviation, such as "Matt")',
        ),
        (
            "Hb 1:1",
            InvalidReferenceError,
            '"Hb" could be Hebrews or Habakkuk - write the name out (or its own '
            'abbreviation, such as "Heb")',
        ),
        ("", InvalidReferenceError, 'empty reference - write one like "John 3:16"'),
        (
            "vv. 12-23",
            InvalidReferenceError,
            '"vv. 12-23" is relative - give the passage it refers to as context',
        ),
        (
            "John 3:16 and more",
            InvalidReferenceError,
            'unexpected "and more" after "John 3:16" - write one reference such as "John 3:16-18" '
            'or "John 3:16, 18; 4:1-5"',
        ),
    ],
)
def test_parse_reference_errors(text, error, message):
    with pytest.raises(error) as caught:
        parse_reference(text)
    assert str(caught.value) == message


def test_parse_reference_never_rolls_an_impossible_verse_over():
    with pytest.raises(InvalidReferenceError):
        parse_reference("3 John 1:15")


def test_relative_reference_with_context():
    assert parse_reference("vv. 12-23", context="Luke 15:11-32").osis() == "Luke.15.12-Luke.15.23"
    assert parse_reference("v.2", context="Exodus 33:12-23").osis() == "Exod.33.2"
    assert parse_reference("ch. 34", context="Exodus 33:12-23").osis() == "Exod.34"


# --- find_references: prose ---


def test_finds_spans_and_passages():
    text = "Read Luke 15:11-32, especially vv. 12-23."
    found = find_references(text)
    assert [(m.start, m.end, m.text, m.osis()) for m in found] == [
        (5, 18, "Luke 15:11-32", "Luke.15.11-Luke.15.32"),
        (31, 40, "vv. 12-23", "Luke.15.12-Luke.15.23"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("see v.2 and Isaiah 43:1", ["Exod.33.2", "Isa.43.1"]),
        ("Colossians 2:9-10a, 2 Cor 3:18", ["Col.2.9-Col.2.10", "2Cor.3.18"]),
        (
            "John 3:16, 18; 4:1-5 and Genesis 50:26-Exodus 1:2",
            ["John.3.16,John.3.18,John.4.1-John.4.5", "Gen.50.26-Exod.1.2"],
        ),
        ("Reading Numbers 12 & John 11 this morning.", ["Num.12", "John.11"]),
        ("Philippians 1 & 2", ["Phil.1,Phil.2"]),
        ("Compare Is 59:16ff to Eph 6.", ["Isa.59.16-Isa.59.21", "Eph.6"]),
        ("the 23rd Psalm, verses 2 and 4", ["Ps.23.2,Ps.23.4"]),
        ("in ch. 3 we read", ["Exod.3"]),
        ("I John 1:9 and II Timothy 1", ["1John.1.9", "2Tim.1"]),
        ("First Corinthians 13:4", ["1Cor.13.4"]),
        ("Genneesis 1:1", ["Gen.1.1"]),
    ],
)
def test_find_references_cases(text, expected):
    assert osis_found(text, context="Exodus 33:12-23") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a chapter:verse without a book is read in the book under discussion
        ("Moses asked (see 4:7) and then 34:6.", ["Exod.4.7", "Exod.34.6"]),
        ("Read 2:1-3 first", ["Exod.2.1-Exod.2.3"]),
        # times are not references
        ("We met at 4:30 today.", []),
        ("Wake by 6:30 and read", []),
        ("At 5:05 we prayed", []),
        ("The time was 10:15 pm", []),
        # glued to a word or a number, it is something else
        ("ratio 3:2:1", []),
        ("item4:7", []),
        # after a name the finder does not know, it is that name's (the checker says so)
        ("and so Hezekiah 3:4 says", []),
        ("See 4:7 first.", ["Exod.4.7"]),
    ],
)
def test_a_bare_chapter_and_verse_reads_in_the_book_under_discussion(text, expected):
    assert osis_found(text, context="Exodus 33:12-23") == expected
    assert osis_found(text) == []  # no book under discussion: no reference


@pytest.mark.parametrize(
    "text, expected",
    [
        # lists written with full stops, colons and slashes
        ("Psalm 34:1.8 says", ["Ps.34.1,Ps.34.8"]),
        ("Luke 2:8:14", ["Luke.2.8,Luke.2.14"]),
        ("Luke 15:11. 32.", ["Luke.15.11,Luke.15.32"]),
        ("Rom 8:28-29.31", ["Rom.8.28-Rom.8.29,Rom.8.31"]),
        ("Ps 1/8/23/150", ["Ps.1,Ps.8,Ps.23,Ps.150"]),
        ("Ps 19/7", ["Ps.19.7"]),
        # a sentence after a verse is not a list
        ("Read John 3:16. 3 things stand out", ["John.3.16"]),
        # a glued semicolon between a lone chapter and a verse is a typo for a colon
        ("1 Peter 5;7 today", ["1Pet.5.7"]),
        ("Psalm 1;150", ["Ps.1,Ps.150"]),
        # part letters in either case, several at once
        ("Mark 1:14A, 15ab", ["Mark.1.14,Mark.1.15"]),
        # markers and connecting words
        ("Titus 2:11, chp. 3", ["Titus.2.11,Titus.3"]),
        ("Gen 1:1 see 27", ["Gen.1.1,Gen.1.27"]),
        ("Jude chapter 1, verse 20", ["Jude.1.20"]),
        ("Psalms - chapter 51", ["Ps.51"]),
        # a psalm's title is its verse 0 in English numbering
        ("Ps 5:title, 6 title", ["Ps.5.0,Ps.6.0"]),
        ("Colossians 3~12-14", ["Col.3.12-Col.3.14"]),
        ("Micah 6:/8", ["Mic.6.8"]),
        # ordinals before the name
        ("the 4th chapter of John", ["John.4"]),
        ("the 51 st Psalm", ["Ps.51"]),
        # ranges between books: in the same testament, near, and the reading that is valid
        ("1 Kings 22:51- 2 Kings 1:4", ["1Kgs.22.51-2Kgs.1.4"]),
        ("Read 1 Sam 31-2 Sam 1 tonight", ["1Sam.31-2Sam.1"]),
        ("Malachi 4:6 - Matthew 1:1", ["Mal.4.6", "Matt.1.1"]),
        ("Hebrews 12:1-3 John 1", ["Heb.12.1-Heb.12.3", "John.1"]),
        # first books named without their number, before chapter:verse, and other names
        ("Timothy 2:15", ["1Tim.2.15"]),
        ("Samual 3:10", ["1Sam.3.10"]),
        ("1-John 4:8", ["1John.4.8"]),
        ("IV Kingdoms 2:11", ["2Kgs.2.11"]),
        # a date is never a reference
        ("Luke 12/25/2025", []),
        # titles before a gospel's name, number words inside a name
        ("The Gospel according to St. Luke 2:1", ["Luke.2.1"]),
        ("Gospel of Mark 1:1", ["Mark.1.1"]),
        ("St John 1:14", ["John.1.14"]),
        ("the Song of the 3 Young Men 1:1", ["PrAzar.1.1"]),
        # misspellings: doubled letters, ties broken by the fewest edits
        ("Isaiiiah 40:31", ["Isa.40.31"]),
        ("Johm 1:1", ["John.1.1"]),
        # two neighbouring letters swapped, and another slip besides
        ("Psamla 23:1", ["Ps.23.1"]),
        ("Luek 2:10", ["Luke.2.10"]),
        # a name pasted onto the word before it
        ("Be a mom who hugsLuke18:15", ["Luke.18.15"]),
        ("hugsLuke 18", []),
        # abbreviations several books share: the likeliest book, before chapter:verse
        ("Ma 1:1", ["Matt.1.1"]),
        ("Co 1:1", ["Col.1.1"]),
        ("1 Co 13:4", ["1Cor.13.4"]),
        ("Hb 12:1", ["Heb.12.1"]),
        ("Ph 4:13", ["Phil.4.13"]),
        ("Ju 1:3", ["Jude.1.3"]),
        ("Ha 2:4", ["Hab.2.4"]),
        ("Ze 3:17", ["Zeph.3.17"]),
        # a weak name after its number is capitalised at the name
        ("1 King 3:5", ["1Kgs.3.5"]),
        ("1 king 3:5", []),
    ],
)
def test_find_references_loose_forms(text, expected):
    assert osis_found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mark my words",
        "Acts of kindness",
        "I am 5 minutes late",
        "Job well done",
        "Col. 3 of the spreadsheet",
        "We lost a few judges. 5:01Pm",
        "the meeting is 10:30 tomorrow",
        "John - 4/18/2009 9:20:10 PM",
        "1st Thessalonians 37",
        "111st Psalm",
        "John 13:15, 34began",
        "vv. 12-23 with nothing before it",
        # shared abbreviations need their capital and a chapter:verse that is not a time
        "Ma 10 of them",
        "ma 1:1",
        "She rang Ma at 3:15 pm",
        "Ma 3:15 pm",
        "Mark 3:15 p.m.",
        "a pH 7.4 buffer",
        # a person's name one swap from something near a book's is not a misspelling
        "King Hezekiah 3:4",
    ],
)
def test_ordinary_english_is_not_a_reference(text):
    expected = ["John.13.15"] if text.startswith("John 13") else []
    assert osis_found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Read the book of Ruth today.", [("Ruth", "Ruth.1-Ruth.4")]),
        ("the books of Obadiah and Jonah", [("Obadiah and Jonah", "Obad.1,Jonah.1-Jonah.4")]),
        ("The Gospel according to St. Luke", [("Luke", "Luke.1-Luke.24")]),
        ("Paul's letter to the Romans", [("Romans", "Rom.1-Rom.16")]),
        ("THE EPISTLE TO THE HEBREWS", [("HEBREWS", "Heb.1-Heb.13")]),
        ("the book of 1 Samuel", [("1 Samuel", "1Sam.1-1Sam.31")]),
        # a number after the name makes it an ordinary reference
        ("the book of Ruth 2:3", [("Ruth 2:3", "Ruth.2.3")]),
        # a verse after a whole book is read in its first chapter; a chapter names its own
        ("the letter to the Romans, v. 3", [("Romans", "Rom.1-Rom.16"), ("v. 3", "Rom.1.3")]),
        ("the book of Job, chapter 38", [("Job", "Job.1-Job.42"), ("chapter 38", "Job.38")]),
        # weak names still need their capital; "letter of John" could be any of three
        ("the book of acts of kindness", []),
        ("the Book of Life", []),
        ("the first letter of John", []),
        # without such words, a name needs its number
        ("Obadiah; Jonah", []),
    ],
)
def test_books_named_whole_in_prose(text, expected):
    assert [(m.text, m.osis()) for m in find_references(text)] == expected


def test_weak_names_fire_when_meant():
    assert osis_found("Read Acts 2 and Mark 4:35-41. Job 38 too.") == [
        "Acts.2",
        "Mark.4.35-Mark.4.41",
        "Job.38",
    ]


def test_options_are_honoured():
    assert osis_found("Genneesis 1:1", options=ParseOptions(fuzzy_names=False)) == []
    assert osis_found("Acts 2", options=ParseOptions(weak_names="never")) == []
    assert osis_found("i am 5 minutes", options=ParseOptions(weak_names="always")) == ["Amos.5"]
    assert osis_found("Jude 3", options=ParseOptions(single_chapter_number="chapter")) == []
    assert osis_found("v. 2", "John 3:1", options=ParseOptions(relative=False)) == []
    assert osis_found("John 3:16-40") == ["John.3.16-John.3.36"]
    assert osis_found("John 3:16-40", options=ParseOptions(past_end="drop")) == ["John.3.16"]
    assert osis_found("Rev 3ff", options=ParseOptions(chapter_ff="next")) == ["Rev.3-Rev.4"]
    assert osis_found("Ma 1:1", options=ParseOptions(shared_abbreviations=False)) == []


def test_context_can_be_a_string_or_reference():
    ctx = parse_reference("Exodus 33:12-23")
    assert osis_found("v.2", ctx) == osis_found("v.2", "Exodus 33:12-23") == ["Exod.33.2"]


def test_every_parse_option_is_documented_in_the_readme():
    from dataclasses import fields
    from pathlib import Path

    readme = (Path(__file__).parents[4] / "README.md").read_text()
    missing = [f.name for f in fields(ParseOptions) if f"`{f.name}`" not in readme]
    assert missing == []


@pytest.mark.parametrize(
    "text, spaced, unspaced",
    [
        ("John 3 16", ["John.3.16"], ["John.3"]),
        ("1 Cor 13 4.", ["1Cor.13.4"], ["1Cor.13"]),
        ("Psalm 23 4 times a day", ["Ps.23"], ["Ps.23"]),
        ("Psalm 23 40.", ["Ps.23"], ["Ps.23"]),
    ],
)
def test_space_as_verse(text, spaced, unspaced):
    assert osis_found(text) == spaced
    assert osis_found(text, options=ParseOptions(space_as_verse=False)) == unspaced


@pytest.mark.parametrize(
    "text, expected",
    [
        # a verse's text pasted right after its number
        ("Philippians 2:5-8Let this mind be in you", ["Phil.2.5-Phil.2.8"]),
        ("Mark 1:15, 5:01Pm", ["Mark.1.15"]),
        # past the end after a spaced dash is a number in the sentence, not a range end
        ("Luke 4:18 - 100 people came", ["Luke.4.18"]),
        ("Luke 4:18-100", ["Luke.4.18-Luke.4.44"]),
        # "/" then a numbered book: a list
        ("Psalms 5/ 1 John 1:9", ["Ps.5", "1John.1.9"]),
        ("Ez 37:1-14", ["Ezek.37.1-Ezek.37.14"]),
        ("Ephesians 4 -15", ["Eph.4.15"]),
        ("Romans 12:1.-2", ["Rom.12.1-Rom.12.2"]),
    ],
)
def test_pasted_text_and_dashes(text, expected):
    assert osis_found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a number that counts, after any name, is prose
        ("Azariah 3 times", []),
        ("Susanna 2 years old", []),
        # a name that is also a word, a bare chapter and ordinary words: prose
        ("Mal 3 wins in a row", []),
        ("Col 2 shows the totals", []),
        ("Job 4 is done", []),
        # ... but a reference as soon as it reads like one
        ("Mal 3:10", ["Mal.3.10"]),
        ("Malachi 3 wins", ["Mal.3"]),
        ("Read Mal 3.", ["Mal.3"]),
        ("Job 4 and 5", ["Job.4,Job.5"]),
        # "4 Ezra" is 2 Esdras (numbered as it), not Ezra
        ("As 4 Ezra 7:28 says", ["2Esd.7.28"]),
        ("IV Ezra 7:28", ["2Esd.7.28"]),
        ("Ezra 7:28", ["Ezra.7.28"]),
        # a single "f" is the one verse (or chapter) that follows; "ff" runs on
        ("Rom 8:28f", ["Rom.8.28-Rom.8.29"]),
        ("Rom 8:28 f.", ["Rom.8.28-Rom.8.29"]),
        ("Rom 8:28ff", ["Rom.8.28-Rom.8.39"]),
        ("Ps 23f", ["Ps.23-Ps.24"]),
        # Psalm 151 is the additional psalm
        ("Read Psalm 151 today", ["AddPs.1"]),
        ("Ps 151:3", ["AddPs.1.3"]),
        ("Ps. 151", ["AddPs.1"]),
    ],
)
def test_prose_numbers_esdras_f_and_psalm_151(text, expected):
    assert osis_found(text) == expected


def test_psalm_151_strictly_and_written_back():
    assert parse_reference("Ps 151").osis() == "AddPs.1"
    assert parse_reference("Psalm 151:4").human() == "Psalm 151:4"
    assert parse_reference("Psalm 151:3-5").human() == "Psalm 151:3-5"
    assert parse_reference(parse_reference("Ps 151:3").human()).osis() == "AddPs.1.3"
    with pytest.raises(InvalidReferenceError, match="Psalms has 150 chapters"):
        parse_reference("Ps 151", options=ParseOptions(versification="kjv"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"Fear not" (Isaiah 43:1). In v.17 he answers.', ["Isa.43.1", "Exod.33.17"]),
        ("He names himself (see Exodus 3:14); here too (see v13).", ["Exod.3.14", "Exod.33.13"]),
        ('He said "I am" - Exodus 3:14. And v. 15.', ["Exod.3.14", "Exod.33.15"]),
        ("Compare John 1:18, and see v.20.", ["John.1.18", "Exod.33.20"]),
        ("cf. Ps 27:4; then v. 20.", ["Ps.27.4", "Exod.33.20"]),
        # named, not in passing: the passage later verses are about
        ("Read Isaiah 43:1. Then v. 2 follows.", ["Isa.43.1", "Isa.43.2"]),
    ],
)
def test_a_passage_named_in_passing_leaves_the_one_under_discussion(text, expected):
    assert osis_found(text, "Exodus 33:12-23") == expected


def test_matches_say_whether_they_were_named_in_passing():
    found = find_references("See (John 3:16) and Romans 8:28.")
    assert [(m.text, m.in_passing) for m in found] == [("John 3:16", True), ("Romans 8:28", False)]
    # with no passage under discussion, one named in passing is the one there is
    assert osis_found("(see John 3:16) and v. 17") == ["John.3.16", "John.3.17"]
