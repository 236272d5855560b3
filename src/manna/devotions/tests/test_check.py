from click.testing import CliRunner

from manna.cli import main
from manna.devotions.check import check_files, quotation_matches


def run_check(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def problems_in(stdout: str) -> str:
    """The problem lines, without depth notes and the per-file depth summary (tested in
    test_depth.py)."""
    return "".join(
        line
        for line in stdout.splitlines(keepends=True)
        if ": note: " not in line and ": depths: " not in line
    )


def test_a_clean_file_passes(store, write_devotion):
    path = write_devotion("a.md", "> 18 And he said, I beseech thee, shew me thy glory.")
    result = run_check(path)
    assert (result.exit_code, problems_in(result.stdout)) == (0, "")


def test_errors_are_listed_as_file_line_col_and_exit_1(store, write_devotion):
    path = write_devotion("a.md", "See Exodus 41:2.", passage="Exodus 33:12-23")
    result = run_check(path)
    assert result.exit_code == 1
    assert (
        problems_in(result.stdout) == f'{path}:7:5: error: "Exodus 41:2": Exodus has 40 chapters\n'
    )


def test_a_misquotation_is_a_warning_naming_the_translation_it_matches(store, write_devotion):
    path = write_devotion(
        "a.md",
        """
        > 16 For God so loved the world, that he gave his one and only Son

        > 17 For God did not send his Son to judge the planet
        """,
        passage="John 3:16-18",
    )
    result = run_check(path)
    assert result.exit_code == 0
    assert problems_in(result.stdout) == (
        f"{path}:7:5: warning: the quotation does not match John 3:16 in KJV; it matches WEB - "
        "set `translation:` or quote KJV\n"
        f"{path}:9:5: warning: the quotation does not match John 3:17 in KJV or any installed "
        "translation - check the wording (fine if you quote a translation that is not installed)\n"
    )
    assert run_check("--strict", path).exit_code == 1


def test_duplicate_slugs_and_dates_across_files(store, write_devotion):
    first = write_devotion("a.md")
    second = write_devotion("b.md")
    result = run_check(first, second)
    assert result.exit_code == 1
    assert problems_in(result.stdout) == (
        f'{second}:2:1: error: duplicate slug "show-me-your-glory" (also in {first}) - give one a `slug:`\n'
        f"{second}:4:1: error: duplicate date 2026-11-24 (also in {first}) - one devotion per day and slot\n"
    )


def test_folders_are_searched_and_unreadable_files_reported(store, tmp_path, write_devotion):
    write_devotion("a.md")
    (tmp_path / "bad.md").write_bytes(b"---\ntitle: \xff\n---\n")
    results = check_files(
        [tmp_path, tmp_path / "missing.md"], store=store, default_translation="kjv"
    )
    problems = [
        (r.path.name, [p.message for p in r.problems if p.severity != "note"]) for r in results
    ]
    assert problems == [
        ("a.md", []),
        ("bad.md", ["not UTF-8 text (invalid start byte at byte 11)"]),
        ("missing.md", [f"no such file: {tmp_path / 'missing.md'}"]),
    ]


def test_a_translation_that_is_not_installed_is_an_error(store, write_devotion):
    path = write_devotion("a.md", translation="niv")
    result = run_check(path)
    assert problems_in(result.stdout) == (
        f'{path}:5:1: error: translation "niv" is not installed - installed: kjv, web '
        "(add one with `manna import-bible`)\n"
    )


def test_quotation_matching():
    verse = "And he said, I beseech thee, shew me thy glory."
    assert quotation_matches("I beseech thee, shew me thy glory", verse)
    assert quotation_matches("And he said ... shew me thy glory", verse)
    assert quotation_matches("“I beseech thee…thy glory.”", verse)
    assert not quotation_matches("show me your glory", verse)
    assert not quotation_matches("thy glory ... I beseech thee", verse)  # out of order
