"""Logging set-up: plain text lines for a terminal, or one JSON object per line for a log
shipper (``[logging] format = "json"``).

A JSON line always has ``time`` (ISO 8601, UTC), ``level``, ``logger`` and ``message``;
values passed with ``extra={...}`` are added as fields, and a traceback as ``exc``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any, TextIO

from digest.config import Config

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER = "digest"

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {
    "message", "asctime", "taskName", "color_message",  # uvicorn's copy with ANSI colours
}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (a test runner may swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def setup_logging(cfg: Config, stream: TextIO | None = None) -> None:
    """Send every logger (ours, APScheduler's, uvicorn's) to stderr in the configured format.

    Safe to call again: the handler installed by an earlier call is replaced; handlers that
    others installed (a test runner's) are left alone."""
    handler: logging.Handler = logging.StreamHandler(stream) if stream else _Stderr()
    handler.setFormatter(formatter(cfg.logging.format))
    handler.set_name(_HANDLER)
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == _HANDLER:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(cfg.logging.level)
    # At INFO, APScheduler logs every job run, Alembic every migration check, httpx every
    # feed request: keep those for DEBUG.
    quiet = logging.DEBUG if cfg.logging.level == "DEBUG" else logging.WARNING
    for name in ("apscheduler", "alembic", "httpx"):
        logging.getLogger(name).setLevel(quiet)
