"""Settings from the environment, read one way everywhere (pure Python: no Django).

Every variable Manna reads goes through these helpers, so each one can also come from a
file (`NAME_FILE` names it: for secrets), and a bad value is refused at start-up with a
message that names the variable and says what would be right. `READ` records every
variable read and its default, for the documentation test.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


class ImproperlyConfigured(ValueError):
    """A setting's value is wrong. (Django has an exception of the same name; this module
    cannot import it, being free of Django, and Django shows either the same way.)"""


READ: dict[str, str] = {}  # every variable read: its default


def env(name: str, default: str = "") -> str:
    """A setting from the environment; `NAME_FILE` names a file holding it (for secrets)."""
    READ.setdefault(name, default)
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as err:
            raise ImproperlyConfigured(
                f"{name}_FILE={path}: cannot read it ({err.strerror}); name a readable file"
            ) from None
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1/0, true/false, yes/no or on/off")


def envint(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number, at least `minimum` (and at most `maximum`)."""
    text = env(name, str(default)).strip()
    try:
        value = int(text)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={text[:40]!r}: write a whole number, e.g. {name}={default}"
        ) from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise ImproperlyConfigured(f"{name}={value}: it must be at least {minimum}{upper}")
    return value


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envrate(name: str, default: str) -> str:
    """A rate as `count/seconds` ("5/60": five in a minute), both at least 1."""
    text = env(name, default).strip()
    count, slash, seconds = text.partition("/")
    if not (slash and count.isascii() and count.isdigit() and seconds.isascii()):
        raise ImproperlyConfigured(f'{name}="{text[:40]}": write it as count/seconds, e.g. "5/60"')
    if not seconds.isdigit() or int(count) < 1 or int(seconds) < 1:
        raise ImproperlyConfigured(f'{name}="{text}": count and seconds must be at least 1')
    return text


def data_dir() -> Path:
    """Where Manna keeps machine-local data ($MANNA_DATA_DIR, else the XDG data folder)."""
    explicit = env("MANNA_DATA_DIR", "")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "manna"


def default_translation() -> str:
    """MANNA_TRANSLATION: the translation of devotions that name none."""
    return env("MANNA_TRANSLATION", "kjv")


SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a key
# The key every Manna used before keys were made per site: public, so never accepted.
PUBLIC_KEY = "insecure-local-key-set-MANNA_SECRET_KEY-in-production"


def site_secret_key(data_dir: Path) -> str:
    """This site's secret key, kept in `data_dir`: made at random on first start, the
    file readable by its owner only. Every process of one site reads the same file; two
    first starts at once agree, since the key is written aside and linked into place."""
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".{SECRET_KEY_FILE}.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its key is the site's
        else:
            print(
                f"Manna made a secret key for this site in {path} (readable by you alone). "
                "Keep it: signed links and sign-ins depend on it. Set MANNA_SECRET_KEY to use "
                "your own; every server of one site needs the same key.",
                file=sys.stderr,
            )
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise ImproperlyConfigured(
            f"{path} holds no usable secret key ({len(key)} characters); delete the file and "
            "Manna makes a new one, or set MANNA_SECRET_KEY"
        )
    return key
