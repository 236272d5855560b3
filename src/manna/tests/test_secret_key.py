"""The site's secret key: never a public constant; made at random once, kept private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from manna.config import PUBLIC_KEY, site_secret_key


def test_a_key_is_made_once_readable_by_its_owner_only(tmp_path, capsys):
    key = site_secret_key(tmp_path / "data")
    path = tmp_path / "data" / "secret_key"
    assert len(key) >= 60 and key != PUBLIC_KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Manna made a secret key for this site in" in capsys.readouterr().err
    assert site_secret_key(tmp_path / "data") == key  # the next start reads the same key
    assert capsys.readouterr().err == ""  # and says nothing
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]
    assert site_secret_key(tmp_path / "other") != key  # another site, another key


def test_a_second_process_starting_at_once_keeps_the_first_key(tmp_path, monkeypatch):
    (tmp_path / "secret_key").write_text("k" * 50)
    real_exists = os.path.exists
    monkeypatch.setattr(
        "pathlib.Path.exists",
        lambda self: False if self.name == "secret_key" else real_exists(self),
    )
    assert site_secret_key(tmp_path) == "k" * 50  # its own draft lost the race and is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


def test_an_unusable_key_file_says_what_to_do(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(
        ValueError, match=r"holds no usable secret key \(5 characters\); delete the file"
    ):
        site_secret_key(tmp_path)


def settings_run(tmp_path, **env) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("MANNA_", "DJANGO_"))}
    environment.update(MANNA_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="manna.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )


def test_the_site_uses_its_own_key_and_refuses_the_old_public_one(tmp_path):
    made = settings_run(tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == (tmp_path / "secret_key").read_text().strip()
    assert settings_run(tmp_path, MANNA_SECRET_KEY="x" * 60).stdout.strip() == "x" * 60
    public = settings_run(tmp_path, MANNA_SECRET_KEY=PUBLIC_KEY)
    assert public.returncode != 0
    assert (
        "MANNA_SECRET_KEY is the key older Manna used by default, which is public" in public.stderr
    )


def test_the_deploy_check_finds_nothing_wrong_with_the_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy"],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("MANNA_", "DJANGO_"))},
            "MANNA_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "manna.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert "security.W009" not in result.stdout + result.stderr
