"""Manna on several machines, started for real from installed packages: PostgreSQL
(tools/with_postgres.py gives DATABASE_URL), Redis (the cache and the queue), two
`manna serve` servers behind nginx (deploy/nginx/manna.conf, its addresses replaced), two
`manna worker` processes, and a real SMTP server. `make test-cluster` runs it."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from manna.conftest import free_port, start_redis, wait_for

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "manna.conf"
SECRET = "cluster-test-secret-key-" + "x" * 40


def manna(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "manna", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"manna {' '.join(args)}: {done.stderr}"
    return done.stdout


class Browser:
    """A reader's browser, as far as the test needs one: cookies, and forms' CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, **headers: str
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = urllib.parse.urlencode(form) if form is not None else None
        sent = {"Host": f"127.0.0.1:{self.port}", **headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            sent["Origin"] = f"http://127.0.0.1:{self.port}"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path: str) -> tuple[int, str]:
        status, _, text = self.request("GET", path)
        return status, text

    def post(self, path: str, form: dict[str, str], **headers: str) -> tuple[int, str]:
        token = self.cookies.get("csrftoken", "")
        status, _, text = self.request(
            "POST", path, {"csrfmiddlewaretoken": token, **form}, **headers
        )
        return status, text

    def on(self, port: int) -> Browser:
        """The same reader (their cookies) at another address."""
        other = Browser(port)
        other.cookies = self.cookies
        return other


@dataclass
class Sink:
    """A real SMTP server's handler: every address it received a message for."""

    received: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@dataclass
class Cluster:
    env: dict[str, str]  # what every machine shares (each adds its own data folder)
    servers: dict[str, subprocess.Popen]
    ports: dict[str, int]
    nginx_port: int
    sink: Sink
    folder: Path
    workers: list[subprocess.Popen] = field(default_factory=list)

    def machine(self, name: str) -> dict[str, str]:
        return {**self.env, "MANNA_DATA_DIR": str(self.folder / name)}

    def kill(self, name: str) -> None:
        """The machine `name` dies: its server and its processes, at once."""
        os.killpg(self.servers[name].pid, signal.SIGKILL)
        self.servers[name].wait(timeout=10)

    def start_workers(self, count: int) -> None:
        for i in range(count):
            log = open(self.folder / f"worker{i}.log", "wb")  # noqa: SIM115 - kept open
            self.workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "manna", "worker", "--threads", "2"],
                    env=self.machine(f"worker{i}"),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )


def _store(folder: Path) -> Path:
    """A scripture store with the KJV, built once and copied to each machine."""
    from manna.scripture.importers import import_packaged
    from manna.scripture.store import Store

    path = folder / "scripture.sqlite3"
    store = Store(path, create=True)
    import_packaged(store, "kjv")
    store.close()
    return path


def _nginx_config(folder: Path, port: int, servers: list[int]) -> Path:
    """deploy/nginx/manna.conf, its listening and upstream addresses replaced, in a main
    configuration of its own."""
    site = NGINX_CONF.read_text()
    for default, port_here in zip(("127.0.0.1:8001", "127.0.0.1:8002"), servers, strict=True):
        assert site.count(f"server {default} ") == 1, default
        site = site.replace(f"server {default} ", f"server 127.0.0.1:{port_here} ")
    assert site.count("listen 80;") == 1
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (folder / "manna.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"""
worker_processes 1;
error_log {folder}/nginx-error.log;
pid {folder}/nginx.pid;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
  access_log {folder}/nginx-access.log;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  include {folder}/manna.conf;
}}
"""
    )
    return main


def _answering(port: int, path: str = "/healthz") -> bool:
    try:
        status, _ = Browser(port).get(path)
    except OSError:
        return False
    return status == 200


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        if os.environ.get("MANNA_REQUIRE_POSTGRES") == "1":
            pytest.fail("no PostgreSQL: run it as `make test-cluster`")
        pytest.skip("needs PostgreSQL: `make test-cluster` starts one")
    for program in ("nginx", "redis-server"):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            pytest.fail(f"{program} is not installed: `make test-cluster` installs it")
    folder = tmp_path_factory.mktemp("cluster")
    redis_process, redis_url = start_redis(folder)
    store = _store(folder)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MANNA_", "DJANGO_"))},
        "DATABASE_URL": database,
        "MANNA_SECRET_KEY": SECRET,
        "MANNA_CACHE_URL": redis_url.replace("/0", "/1"),
        "MANNA_QUEUE_URL": redis_url,
        "MANNA_PROXY_HOPS": "1",
        "MANNA_WORKER": "0",
        "MANNA_MODERATE_FIRST_REPLY": "0",
        "MANNA_RATE_REPLY": "3/600",
        "MANNA_RATE_REPLY_IP": "1000/60",
        "MANNA_SITE_URL": "http://127.0.0.1",
    }
    smtp_port = free_port()
    env.update(
        MANNA_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        MANNA_EMAIL_HOST="127.0.0.1",
        MANNA_EMAIL_PORT=str(smtp_port),
    )
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    names = ["a", "b", "worker0", "worker1", "cli"]
    for name in names:
        (folder / name).mkdir()
        shutil.copy(store, folder / name / "scripture.sqlite3")
    ports = {"a": free_port(), "b": free_port()}
    cluster = Cluster(env, {}, ports, free_port(), sink, folder)
    manna(cluster.machine("cli"), "admin", "migrate", "-v0")
    nginx = None
    try:
        for name, port in ports.items():
            log = open(folder / f"server-{name}.log", "wb")  # noqa: SIM115 - kept open
            cluster.servers[name] = subprocess.Popen(
                [sys.executable, "-m", "manna", "serve", "--port", str(port), "--workers", "1"],
                env=cluster.machine(name),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its processes die together (Cluster.kill)
            )
        for name, port in ports.items():
            wait_for(lambda port=port: _answering(port), 60, f"server {name}")
        nginx = subprocess.Popen(
            [
                shutil.which("nginx") or "/usr/sbin/nginx",
                "-c",
                str(_nginx_config(folder, cluster.nginx_port, list(ports.values()))),
                "-p",
                str(folder),
                "-g",
                "daemon off;",
            ]
        )
        wait_for(lambda: _answering(cluster.nginx_port), 30, "nginx")
        yield cluster
    finally:
        for process in [*cluster.servers.values(), *cluster.workers]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        smtp.stop()
        redis_process.terminate()
        redis_process.wait(timeout=10)


def sign_in(cluster: Cluster, username: str, port: int) -> Browser:
    """A reader with an account and a confirmed email, signed in (their session in the
    shared database)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "signed_in.py"), username],
        env=cluster.machine("cli"),
        capture_output=True,
        text=True,
        check=True,
    )
    browser = Browser(port)
    browser.cookies["sessionid"] = done.stdout.strip()
    status, _ = browser.get("/practice/journal/new/")  # and a CSRF cookie
    assert status == 200
    return browser


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, f"no {name} in the page"
    return found.group(1)
