"""The documentation is tested: examples check cleanly, every command and setting is listed."""

from pathlib import Path

from manna.cli import main
from manna.devotions.check import check_files, check_text

ROOT = Path(__file__).parents[4]
README = (ROOT / "README.md").read_text()


def test_the_format_example_checks_cleanly(store):
    doc = (ROOT / "docs" / "format.md").read_text()
    example = doc.split("## A complete example")[1].split("```markdown\n")[1].split("\n```\n")[0]
    checked = check_text(example + "\n", store=store, default_translation="kjv")
    assert checked.problems == []
    assert checked.rendered.sections == ["questions", "practice", "prayer"]


def test_the_sample_week_checks_cleanly(store):
    results = check_files(
        [ROOT / "src" / "manna" / "sample"], store=store, default_translation="kjv"
    )
    assert len(results) == 7
    assert [(r.path.name, r.problems) for r in results if r.problems] == []


def test_every_command_is_in_the_readme():
    missing = [name for name in main.commands if f"`manna {name}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme(settings):
    """Every variable the settings read (manna.config records each one), documented."""
    from manna import config

    assert "DATABASE_URL" in config.READ and "MANNA_TRANSLATION" in config.READ
    missing = sorted(name for name in config.READ if f"`{name}`" not in README)
    assert missing == []


def test_every_parse_option_is_in_the_readme():
    import dataclasses

    from manna.scripture import ParseOptions

    names = [field.name for field in dataclasses.fields(ParseOptions)]
    assert "versification" in names
    missing = [name for name in names if f"`{name}`" not in README]
    assert missing == []


def test_the_readmes_python_example_runs_and_prints_what_it_says(store, capsys):
    section = README.split("## Using the engine from Python")[1]
    code = section.split("```python\n")[1].split("```")[0]
    # The example's comments show what it prints: `# 5 18 Luke 15:11-32 ...` after a print,
    # and `x.osis()    # 'Col.2.9-Col.2.10'` after an expression (other comments describe).
    namespace: dict[str, object] = {}
    expected_prints: list[str] = []
    lines = []
    for line in code.splitlines():
        stripped = line.strip()
        if stripped.startswith("# "):
            expected_prints.append(stripped[2:])
            continue
        expression, _, shown = line.partition("   # ")
        if shown.strip().startswith("'"):  # a value shown; other comments describe
            lines.append(
                f"assert repr({expression.strip()}) == {shown.strip()!r}, {expression.strip()!r}"
            )
        else:
            lines.append(line)
    exec(compile("\n".join(lines), "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed == expected_prints
