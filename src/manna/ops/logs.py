"""Logs as one JSON object a line (MANNA_LOG_FORMAT=json), for a log collector: the time,
level, logger and message, and the record's extra fields. Pure Python: the logging
configuration loads it before Django is ready."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

# What every LogRecord has; anything else on a record was given as `extra=` and is kept.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(*, level: str, json_lines: bool) -> dict[str, Any]:
    """The logging configuration of the site and the server (granian's loggers too)."""
    formatter = {"()": "manna.ops.logs.JsonFormatter"} if json_lines else {"format": "%(message)s"}
    console = {"class": "logging.StreamHandler", "formatter": "manna"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"manna": formatter},
        "handlers": {"console": console},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # The server's own lines and its access log (MANNA_ACCESS_LOG), the same way.
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
