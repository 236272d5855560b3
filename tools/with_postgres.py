"""Run a command against a throwaway PostgreSQL server started from the installed binaries.

    python tools/with_postgres.py pytest src/manna/devotions

Starts a private cluster (initdb + pg_ctl) on a free local port, sets DATABASE_URL for the
command, and removes the cluster afterwards. When the binaries are missing it says so and
exits 0, unless MANNA_REQUIRE_POSTGRES=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run it as `nobody` then."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "nobody", "--", *args]


def main(command: list[str]) -> int:
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        message = "PostgreSQL binaries (initdb, pg_ctl) not found: PostgreSQL tests skipped"
        if os.environ.get("MANNA_REQUIRE_POSTGRES") == "1":
            print(f"error: {message} - install postgresql", file=sys.stderr)
            return 1
        print(f"note: {message} (apt-get install postgresql to run them)", file=sys.stderr)
        return 0
    root = Path(tempfile.mkdtemp(prefix="manna-pg-"))
    data = root / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
    try:
        subprocess.run(
            as_postgres_user([initdb, "-D", str(data), "-A", "trust", "-U", "manna", "--no-sync"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off"
        subprocess.run(
            as_postgres_user(
                [pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = {**os.environ, "DATABASE_URL": f"postgres://manna@127.0.0.1:{port}/postgres"}
        print(f"PostgreSQL test server on port {port}", file=sys.stderr)
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        subprocess.run(
            as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
