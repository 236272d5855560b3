"""Two servers behind nginx, two workers, one PostgreSQL and one Redis: what a reader sees
is the same whichever server answers, and a server dying loses nothing it accepted."""

from __future__ import annotations

import collections
import datetime as dt
import http.client
import json
import os
import threading
import time
import uuid

import psycopg
import pytest

from cluster.conftest import Browser, Cluster, hidden, manna, sign_in, wait_for

SLUG = "cluster-day"


def devotion_file(cluster: Cluster, body: str) -> str:
    today = dt.datetime.now(dt.UTC).date()
    path = cluster.folder / f"{SLUG}.md"
    path.write_text(
        f"---\ntitle: One Day\npassage: Exodus 33:12-23\ndate: {today}\nslug: {SLUG}\n---\n\n"
        f"{body} See v. 18.\n"
    )
    return str(path)


@pytest.fixture(scope="module", autouse=True)
def today(cluster):
    """Today's devotion, in the site before the tests."""
    manna(cluster.machine("a"), "import", devotion_file(cluster, "FIRST WORDS."))


def test_a_devotion_imported_on_one_machine_is_on_the_others_pages_at_once(cluster):
    b, public = cluster.ports["b"], cluster.nginx_port
    for port in (b, b, public):  # B keeps the page in the shared cache
        status, page = Browser(port).get(f"/devotions/{SLUG}/")
        assert status == 200 and "FIRST WORDS." in page
    manna(cluster.machine("a"), "import", devotion_file(cluster, "SECOND WORDS."))
    for port in (b, cluster.ports["a"], public):
        status, page = Browser(port).get(f"/devotions/{SLUG}/")
        assert "SECOND WORDS." in page and "FIRST WORDS." not in page, port
    _, home = Browser(b).get("/")
    assert "SECOND WORDS." in home


def test_a_like_and_a_reply_on_one_server_are_counted_on_the_other(cluster):
    a, b = cluster.ports["a"], cluster.ports["b"]
    ruth = sign_in(cluster, "ruth", a)
    _, page = ruth.get(f"/devotions/{SLUG}/")
    assert "♥ 0" in page
    assert ruth.post(f"/devotions/{SLUG}/like/", {})[0] == 303
    key = hidden(page, "submission_key")
    form = {"body": "Hello from server A.", "submission_key": key}
    assert ruth.post(f"/devotions/{SLUG}/reply/", form)[0] == 303
    _, seen_on_b = ruth.on(b).get(f"/devotions/{SLUG}/")
    assert "♥ 1 · you liked this" in seen_on_b
    assert "Hello from server A." in seen_on_b
    assert "Replies (1)" in seen_on_b
    # The same form sent again, to the other server: the reply is stored once.
    assert ruth.on(b).post(f"/devotions/{SLUG}/reply/", form)[0] == 303
    assert "Replies (1)" in ruth.on(a).get(f"/devotions/{SLUG}/")[1]


def test_the_reply_rate_limit_holds_whichever_server_gets_the_request(cluster):
    ports = [cluster.ports["a"], cluster.ports["b"]]
    naomi = sign_in(cluster, "naomi", ports[0])
    statuses = []
    for i in range(5):  # MANNA_RATE_REPLY=3/600, servers taken in turn
        server = naomi.on(ports[i % 2])
        page = server.get(f"/devotions/{SLUG}/")[1]
        form = {"body": f"Reply {i}.", "submission_key": hidden(page, "submission_key")}
        statuses.append(server.post(f"/devotions/{SLUG}/reply/", form)[0])
    assert statuses == [303, 303, 303, 429, 429]


def test_an_edition_is_sent_once_by_two_workers(cluster):
    readers = [f"reader{i}@example.org" for i in range(120)]
    consented = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    listing = cluster.folder / "subscribers.csv"
    listing.write_text(
        "email,send_at,time_zone,consented\n"
        + "".join(f"{email},00:00,UTC,{consented}\n" for email in readers)
    )
    manna(cluster.machine("cli"), "subscribers", "import", str(listing), "--confirmed")
    cluster.start_workers(2)

    def edition_sent() -> int:
        with cluster.sink.lock:
            return sum(1 for address in cluster.sink.received if address in readers)

    wait_for(lambda: edition_sent() >= len(readers), 120, "the edition to every reader")
    time.sleep(3)  # and nothing more: no second copy from the other worker
    with cluster.sink.lock:
        counts = collections.Counter(a for a in cluster.sink.received if a in readers)
    assert set(counts) == set(readers)
    assert max(counts.values()) == 1, counts.most_common(3)


def test_killing_a_server_mid_load_loses_no_accepted_write_and_nginx_answers_on(cluster):
    public = cluster.nginx_port
    writers = [sign_in(cluster, f"writer{i}", public) for i in range(4)]
    accepted: list[str] = []
    failed_after: list[tuple[float, int]] = []
    lock = threading.Lock()
    began = time.monotonic()
    killed_at: list[float] = []

    def write(browser) -> None:
        owner = hidden(browser.get("/practice/journal/new/")[1], "owner")
        while time.monotonic() - began < 12:
            uid = str(uuid.uuid4())
            form = {"uid": uid, "version": "0", "writer": "load", "owner": owner}
            form["body"] = f"Entry {uid}: nothing written is ever lost."
            try:
                status, _ = browser.post("/practice/journal/save/", form, Accept="application/json")
            except (OSError, http.client.HTTPException):  # the connection broke: not accepted
                status = 0
            with lock:
                if status == 200:
                    accepted.append(uid)
                elif killed_at:
                    failed_after.append((time.monotonic() - killed_at[0], status))

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    time.sleep(4)
    cluster.kill("a")
    killed_at.append(time.monotonic())
    for thread in threads:
        thread.join()
    stored = _journal_uids()
    print(
        f"journal saves accepted: {len(accepted)}, failed while server A died: "
        f"{len(failed_after)} ({sorted(set(s for _, s in failed_after))})"
    )
    assert accepted, "nothing was written"
    assert set(accepted) <= stored, f"lost: {sorted(set(accepted) - stored)[:5]}"
    # What failed failed while the server was dying (nginx's first try at it), not after.
    late = [(round(t, 2), status) for t, status in failed_after if t > 1.0]
    assert late == [], late
    status, body = Browser(public).get("/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert Browser(public).get(f"/devotions/{SLUG}/")[0] == 200


def _journal_uids() -> set[str]:
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        rows = connection.execute("SELECT uid FROM practice_journalentry").fetchall()
    return {str(row[0]) for row in rows}
