"""50 concurrent repliers for 30 s against `manna serve` (issue 4): every accepted reply
is stored exactly once and every refused one was told why.

    make bench-replies

A fresh SQLite database in a temporary folder (the scripture store of `manna init` is
reused). Fifty verified accounts each post as fast as the server answers, with a unique
text per reply; one post in ten sends the previous form again (a double click), which
must not store a second reply. Two runs: with the default per-account reply limit
(5 a minute: most posts get 429), and with the limits lifted (every post is a write).
All clients share one IP address, so the per-IP limit is lifted in both runs.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
SAMPLE = Path(__file__).resolve().parents[1] / "src" / "manna" / "sample"
PORT = 8125
CLIENTS = 50
SECONDS = 30
SLUG = "show-me-your-glory"


@dataclass
class Outcome:
    accepted: dict[str, int] = field(default_factory=dict)  # text -> reply id
    resent: list[tuple[str, int]] = field(default_factory=list)  # (text, reply id) sent again
    refused: Counter[str] = field(default_factory=Counter)
    untold: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def setup(env: dict[str, str]) -> list[str]:
    """Migrate, load the sample week, make the accounts; returns their session keys."""
    subprocess.run([BIN / "manna", "admin", "migrate", "-v0"], check=True, env=env)
    subprocess.run([BIN / "manna", "import", str(SAMPLE)], check=True, env=env, capture_output=True)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manna.settings")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from manna.accounts.models import Profile
    from manna.accounts.services import account_create

    keys = []
    for n in range(CLIENTS):
        user = account_create(
            email=f"r{n}@example.org", password=f"bench pass {n} long", display_name=f"R{n}"
        )
        Profile.objects.filter(user=user).update(email_verified=True)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def replier(n: int, session: str, stop: float, out: Outcome) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", f"/devotions/{SLUG}/reply/", headers={"Cookie": f"sessionid={session}"})
    page = conn.getresponse()
    body = page.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)  # type: ignore[union-attr]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    previous: tuple[str, str] | None = None
    count = 0
    while time.monotonic() < stop:
        count += 1
        if previous is not None and count % 10 == 0:
            text, key = previous  # the same form again
        else:
            text, key = f"Reply {n}-{count} {uuid.uuid4().hex}", uuid.uuid4().hex
        form = f"csrfmiddlewaretoken={token}&body={text.replace(' ', '+')}&submission_key={key}"
        began = time.perf_counter()
        conn.request("POST", f"/devotions/{SLUG}/reply/", body=form, headers=headers)
        response = conn.getresponse()
        answer = response.read().decode()
        elapsed = time.perf_counter() - began
        with out.lock:
            out.latencies.append(elapsed)
            record(out, response, answer, text, key, previous)
        if response.status == 303:
            previous = (text, key)
    conn.close()


def record(out: Outcome, response, answer: str, text: str, key: str, previous) -> None:
    if response.status == 303:
        reply_id = int(response.getheader("Location").rsplit("#reply-", 1)[1])
        if previous is not None and key == previous[1]:
            out.resent.append((text, reply_id))
        else:
            out.accepted[text] = reply_id
    elif (
        response.status == 429
        and response.getheader("Retry-After")
        and ("Too many attempts" in answer)
    ):
        out.refused["429 rate limit, with Retry-After and the reason"] += 1
    elif response.status in (400, 403) and 'class="errorlist' in answer:
        out.refused[f"{response.status} with the reason"] += 1
    else:
        out.untold.append(f"{response.status}: {answer[:200]!r}")


def run(label: str, env: dict[str, str], sessions: list[str]) -> bool:
    server = subprocess.Popen(
        [BIN / "manna", "serve", "--port", str(PORT), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        out = Outcome()
        stop = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=replier, args=(n, s, stop, out)) for n, s in enumerate(sessions)
        ]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait()
    return report(label, out, took)


def report(label: str, out: Outcome, took: float) -> bool:
    from django.db.models import Count

    from manna.community.models import Reply

    posts = len(out.latencies)
    stored = Counter(Reply.objects.values_list("body", flat=True))
    texts = set(out.accepted)
    missing = [t for t in texts if stored[t] != 1]
    resent_wrong = [t for t, rid in out.resent if out.accepted.get(t) != rid]
    extra = [b for b in stored if b not in texts]
    per_status = dict(Reply.objects.values_list("status").annotate(n=Count("id")))
    lat = sorted(out.latencies)
    p50, p99 = statistics.median(lat) * 1000, lat[int(len(lat) * 0.99)] * 1000
    once = len(texts) - len(missing)
    resent_ok = len(out.resent) - len(resent_wrong)
    ok = not missing and not resent_wrong and not extra and not out.untold
    print(f"\n{label}: {posts} posts from {CLIENTS} clients in {took:.1f} s ({posts / took:.0f}/s)")
    print(f"  latency p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    print(f"  accepted {len(texts)} (stored: {per_status}), sent again {len(out.resent)}")
    for reason, n in out.refused.items():
        print(f"  refused {n}: {reason}")
    print(f"  stored exactly once: {once}/{len(texts)}")
    print(f"  forms sent again that stored nothing new: {resent_ok}/{len(out.resent)}")
    print(
        f"  rows nobody was told about: {len(extra)}; refusals without a reason: {len(out.untold)}"
    )
    for problem in missing[:3] + resent_wrong[:3] + extra[:3] + out.untold[:3]:
        print(f"  PROBLEM: {problem}")
    print(f"  {'ok' if ok else 'FAILED'}")
    Reply.objects.all().delete()
    return ok


def main() -> None:
    subprocess.run([BIN / "manna", "init", "--no-sample"], check=True, stdout=subprocess.DEVNULL)
    folder = Path(tempfile.mkdtemp(prefix="manna-replies-"))
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "MANNA_RATE_REPLY_IP": "1000000/60",
            "MANNA_PAGE_CACHE_SECONDS": "0",
        }
        sessions = setup(env)
        ok = run("Default limits (5 replies a minute per account)", env, sessions)
        lifted = {**env, "MANNA_RATE_REPLY": "1000000/60"}
        ok = run("Limits lifted (every post a write)", lifted, sessions) and ok
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
