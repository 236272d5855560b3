"""The documentation is tested: examples check cleanly, every command and setting is listed."""

import re
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


def test_every_setting_is_in_the_readme():
    settings_py = (ROOT / "src" / "manna" / "settings.py").read_text()
    names = set(re.findall(r'env(?:bool|list)?\("([A-Z_]+)"', settings_py))
    assert "DATABASE_URL" in names
    missing = sorted(n for n in names if f"`{n}`" not in README)
    assert missing == []
