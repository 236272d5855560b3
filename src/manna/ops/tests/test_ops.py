"""/healthz, /metrics and JSON logs."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from manna.conftest import settings_refused
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text
from manna.ops.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_each_part_checked(client, site_store):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert list(body["checks"]) == ["database", "cache", "queue", "store"]
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["store"]["detail"] == "2 translations"
    assert body["checks"]["database"]["detail"] in ("sqlite", "postgresql")


def test_healthz_answers_503_naming_the_part_that_failed(client, site_store, settings):
    settings.MANNA_QUEUE_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        settings.MANNA_QUEUE_URL = "immediate"
        from manna.queue.engine import queue

        queue()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["queue"]["ok"] is False
    assert "ConnectionError" in body["checks"]["queue"]["detail"]
    assert body["checks"]["database"]["ok"] is True


def test_healthz_names_a_missing_scripture_store(client, monkeypatch, tmp_path):
    monkeypatch.setenv("MANNA_DATA_DIR", str(tmp_path))
    response = client.get("/healthz")
    assert response.status_code == 503
    detail = response.json()["checks"]["store"]["detail"]
    assert "manna import-bible --all" in detail


def test_metrics_are_hidden_without_the_token(client, settings):
    settings.MANNA_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.MANNA_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="s3cret-token").status_code == 404


def test_metrics_count_requests_by_view_and_read_the_queue_and_emails(client, settings, site_store):
    settings.MANNA_METRICS_TOKEN = "s3cret-token"
    devotion_save_text(text=devotion_text("Body.", date="2020-01-01"))
    client.get("/devotions/show-me-your-glory/")
    client.get("/devotions/no-such-one/")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'manna_requests_total{status="200",view="devotion"}' in text
    assert 'manna_requests_total{status="404",view="devotion"}' in text
    assert 'manna_request_seconds_bucket{le="0.25",view="devotion"}' in text
    assert "manna_queue_waiting 0.0" in text
    assert 'manna_emails{state="sent"}' in text
    assert 'manna_editions{state="pending"} 0.0' in text


def test_json_logs_are_one_object_a_line_with_the_extra_fields():
    record = logging.makeLogRecord(
        {"name": "manna.edition", "levelno": 40, "levelname": "ERROR", "msg": "sent %d"}
    )
    record.args = (3,)
    record.subscriber = "ruth@example.org"
    try:
        raise ValueError("bad")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line.split('"exception"')[0]
    entry = json.loads(line)
    assert entry["level"] == "error"
    assert entry["logger"] == "manna.edition"
    assert entry["message"] == "sent 3"
    assert entry["subscriber"] == "ruth@example.org"
    assert entry["exception"].endswith("ValueError: bad")
    assert entry["time"].endswith("+00:00")


def test_a_log_format_other_than_text_or_json_is_refused():
    assert "MANNA_LOG_FORMAT='yaml': use text or json" in settings_refused(MANNA_LOG_FORMAT="yaml")
