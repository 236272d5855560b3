"""Prometheus metrics: requests and their time by view (counted in each server process;
`manna serve` gathers its processes' through PROMETHEUS_MULTIPROC_DIR), and, read at each
scrape, the queue's waiting tasks and the emails and editions by state (from the
database: the same on every server)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from manna.queue.engine import queue
from manna.queue.models import OutgoingEmail

REQUESTS = Counter("manna_requests", "Requests answered, by view and status", ["view", "status"])
SECONDS = Histogram(
    "manna_request_seconds",
    "Time to answer a request, by view",
    ["view"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
)
KEPT_PAGE = "(kept page)"  # answered by the page cache, before any view
UNMATCHED = "(no view)"  # no address matched: 404s, redirects of old addresses


class RequestMetrics:
    """Counts and times every request, first of the middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request)
        SECONDS.labels(view).observe(time.perf_counter() - began)
        REQUESTS.labels(view, str(response.status_code)).inc()
        return response


def view_label(request: HttpRequest) -> str:
    if getattr(request, "manna_kept_page", False):
        return KEPT_PAGE
    match = getattr(request, "resolver_match", None)
    return (match.view_name or UNMATCHED) if match is not None else UNMATCHED


class FromTheDatabase:
    """What every server reads the same at a scrape: the queue and the emails."""

    def collect(self) -> Iterator[Any]:
        from manna.edition.models import Delivery

        waiting = GaugeMetricFamily("manna_queue_waiting", "Tasks waiting on the queue")
        huey = queue()
        waiting.add_metric([], 0 if huey.immediate else huey.pending_count())
        yield waiting
        for name, model, what in (
            ("manna_emails", OutgoingEmail, "Emails in the outbox, by state"),
            ("manna_editions", Delivery, "Edition deliveries, by state"),
        ):
            family = GaugeMetricFamily(name, what, labels=["state"])
            counts = dict(model.objects.values_list("state").annotate(n=Count("pk")))
            for state in ("pending", "sending", "sent", "failed"):
                family.add_metric([state], counts.get(state, 0))
            yield family


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus's text format: every server process's, and the database's."""
    registry = REGISTRY  # one process (the tests, `manna admin runserver`)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    body = generate_latest(registry) + generate_latest(_database_registry())
    return body, CONTENT_TYPE_LATEST


def _database_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(FromTheDatabase())
    return registry
