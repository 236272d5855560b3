"""Settings from the environment: one way to read them, and errors that name the variable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from manna import config
from manna.config import ImproperlyConfigured
from manna.conftest import free_port


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


def test_serve_answers_with_the_worker_beside_it_and_both_stop(tmp_path):
    """`manna serve` for real: it answers pages, runs one `manna worker` beside it, writes
    the access log when asked, and on SIGTERM stops, the worker with it."""
    port = free_port()
    env = clean_env(MANNA_DATA_DIR=str(tmp_path), MANNA_ACCESS_LOG="1", MANNA_METRICS_TOKEN="t0k")
    manna = [sys.executable, "-m", "manna"]
    subprocess.run([*manna, "admin", "migrate", "-v0"], env=env, check=True)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [*manna, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        page = _fetch(f"http://127.0.0.1:{port}/archive/", server, log)
        assert b"Archive" in page
        children = _children(server.pid)
        assert any(b"worker" in c for c in children), children
        # the metrics of every server process, added up
        metrics = urllib.request.Request(
            f"http://127.0.0.1:{port}/metrics", headers={"Authorization": "Bearer t0k"}
        )
        with urllib.request.urlopen(metrics, timeout=5) as response:
            text = response.read().decode()
        assert 'manna_requests_total{status="200",view="archive"} 1.0' in text
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    time.sleep(0.5)
    assert _children(server.pid) == []
    assert b"/archive/" in log.read_bytes()  # the access log line


def _fetch(url: str, server: subprocess.Popen, log: Path) -> bytes:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return bytes(response.read())
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(log.read_text(errors="replace")) from None
            time.sleep(0.2)


def _children(pid: int) -> list[bytes]:
    """The command lines of the processes `pid` started (and theirs)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(cmdline)
            found += _children(int(status.parent.name))
    return found


def test_the_worker_beside_the_site_is_left_out_when_asked(monkeypatch):
    from manna.site import worker_beside

    monkeypatch.setenv("MANNA_WORKER", "0")
    with worker_beside() as worker:
        assert worker is None
