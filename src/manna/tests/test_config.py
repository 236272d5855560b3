"""Settings from the environment: one way to read them, and errors that name the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from manna import config
from manna.config import ImproperlyConfigured


@pytest.fixture(autouse=True)
def _own_record(monkeypatch):
    """These tests read made-up variables: keep them out of the record the docs test reads."""
    monkeypatch.setattr(config, "READ", {})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "MANNA_X='soon': write a whole number, e.g. MANNA_X=60"),
        ("1\u00b2", "MANNA_X='1\u00b2': write a whole number, e.g. MANNA_X=60"),
        ("-5", "MANNA_X=-5: it must be at least 0"),
    ],
)
def test_a_whole_number_that_is_not_one_names_the_variable(monkeypatch, value, message):
    monkeypatch.setenv("MANNA_X", value)
    with pytest.raises(ImproperlyConfigured) as caught:
        config.envint("MANNA_X", 60)
    assert str(caught.value) == message


def test_a_number_in_range_is_read(monkeypatch):
    monkeypatch.setenv("MANNA_X", " 25 ")
    assert config.envint("MANNA_X", 60, minimum=1, maximum=65535) == 25
    monkeypatch.setenv("MANNA_X", "70000")
    with pytest.raises(ImproperlyConfigured, match="at least 1 and at most 65535"):
        config.envint("MANNA_X", 60, minimum=1, maximum=65535)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5", 'MANNA_R="5": write it as count/seconds, e.g. "5/60"'),
        ("five/60", 'MANNA_R="five/60": write it as count/seconds, e.g. "5/60"'),
        ("0/60", 'MANNA_R="0/60": count and seconds must be at least 1'),
        ("5/x", 'MANNA_R="5/x": count and seconds must be at least 1'),
    ],
)
def test_a_rate_is_count_over_seconds(monkeypatch, value, message):
    monkeypatch.setenv("MANNA_R", value)
    with pytest.raises(ImproperlyConfigured) as caught:
        config.envrate("MANNA_R", "5/60")
    assert str(caught.value) == message
    monkeypatch.setenv("MANNA_R", "10/600")
    assert config.envrate("MANNA_R", "5/60") == "10/600"


def test_every_setting_can_come_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "translation").write_text("web\n")
    monkeypatch.setenv("MANNA_TRANSLATION_FILE", str(tmp_path / "translation"))
    assert config.default_translation() == "web"
    (tmp_path / "where").write_text(str(tmp_path / "data"))
    monkeypatch.setenv("MANNA_DATA_DIR_FILE", str(tmp_path / "where"))
    assert config.data_dir() == tmp_path / "data"
    monkeypatch.setenv("MANNA_DATA_DIR_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match=r"MANNA_DATA_DIR_FILE=.*cannot read it"):
        config.data_dir()


@pytest.mark.parametrize(("value", "on"), [("0", False), ("", False), ("1", True), ("yes", True)])
def test_the_access_log_is_on_only_when_asked(monkeypatch, value, on):
    monkeypatch.setenv("MANNA_ACCESS_LOG", value)
    assert config.envbool("MANNA_ACCESS_LOG") is on


def clean_env(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MANNA_", "DJANGO_"))}
    return {**env, **more}


def test_a_bad_setting_stops_the_site_with_its_name(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=clean_env(
            MANNA_DATA_DIR=str(tmp_path),
            DJANGO_SETTINGS_MODULE="manna.settings",
            MANNA_PAGE_CACHE_SECONDS="soon",
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "MANNA_PAGE_CACHE_SECONDS='soon': write a whole number" in result.stderr
    assert "invalid literal for int()" not in result.stderr


@pytest.mark.parametrize("module", ["manna", "manna.cli"])
def test_python_dash_m_runs_every_command(tmp_path, module):
    result = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        env=clean_env(MANNA_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("read", "init", "serve", "send-reminders"):
        assert f"  {command} " in result.stdout


@pytest.mark.parametrize(("value", "log"), [("0", "/dev/null"), ("", "/dev/null"), ("1", "-")])
def test_serve_writes_the_access_log_only_when_asked(monkeypatch, value, log):
    from manna import site

    ran: list[list[str]] = []
    monkeypatch.setenv("MANNA_ACCESS_LOG", value)
    monkeypatch.setattr(site, "setup_django", lambda: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr("os.execv", lambda program, args: ran.append(args))
    site.site_serve(host="127.0.0.1", port=8000, workers=2)
    args = ran[0]
    assert args[args.index("--access-logfile") + 1] == log
