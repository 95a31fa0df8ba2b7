"""`digest serve` as a real process: a schedule a few seconds ahead of the real clock, real
loopback SMTP and HTTP servers, SQLite files and PostgreSQL, SIGTERM in the middle of a send.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.store import Store
from tests.support.feedserver import FeedServer
from tests.support.scheduling import (
    add_subscribers,
    cron_at,
    serve_feed,
    settings,
    write_config,
)
from tests.support.smtpserver import SmtpServer, free_port

ROOT = Path(__file__).resolve().parent.parent


class Serve:
    """One `digest serve` process with its own config file and log file."""

    def __init__(self, tmp: Path, name: str, data: dict[str, Any]) -> None:
        self.data = {**data, "web": {**data["web"], "port": free_port()}}
        self.config = write_config(tmp / f"{name}.toml", self.data)
        self.log_path = tmp / f"{name}.log"
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "digest", "--config", str(self.config), "serve"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.data['web']['port']}"

    def healthz(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + "/healthz", timeout=5) as r:
            data: dict[str, Any] = json.loads(r.read())
            return data

    def wait_ready(self, timeout: float = 15.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.healthz()
            except OSError:
                assert self.proc.poll() is None, self.log()
                assert time.monotonic() < deadline, self.log()
                time.sleep(0.1)

    def wait_log(self, text: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log():
            assert time.monotonic() < deadline, f"{text!r} not logged:\n{self.log()}"
            time.sleep(0.1)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then the exit code; the process must end within ``timeout`` seconds."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def procs() -> Iterator[list[Serve]]:
    started: list[Serve] = []
    yield started
    for p in started:
        if p.proc.poll() is None:
            p.proc.kill()
            p.proc.wait()


def soon(seconds: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


def ledger(db_url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    store = Store.open(db_url)
    try:
        editions = store.editions()
        rows = store.deliveries(editions[0]["id"]) if editions else []
        return editions, rows
    finally:
        store.close()


def test_two_serve_processes_on_one_database_send_one_edition(
    db_url: str, tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer, procs: list[Serve]
) -> None:
    emails = add_subscribers(db_url, 8)
    data = settings(db_url, smtp_server, serve_feed(feeds, 6),
                    schedule={"cron": cron_at(soon(5))})
    procs += [Serve(tmp_path, "a", data), Serve(tmp_path, "b", data)]
    for p in procs:
        health = p.wait_ready()
        assert health["scheduler"]["running"] is True
    smtp_server.wait_for(len(emails), timeout=20)
    time.sleep(1.0)  # room for a second copy to show up, if there were one
    assert Counter(r for m in smtp_server.messages for r in m.rcpt_tos) == Counter(emails)
    assert procs[0].healthz()["last_edition"]["deliveries"] == {"sent": 8}
    assert [p.stop() for p in procs] == [0, 0], procs[0].log() + procs[1].log()
    editions, rows = ledger(db_url)
    assert len(editions) == 1 and editions[0]["status"] == "sent"
    assert Counter(r["status"] for r in rows) == {"sent": 8}


def test_sigterm_mid_send_loses_nothing_and_a_restart_sends_the_rest(
    tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer, procs: list[Serve]
) -> None:
    db_url = f"sqlite:///{tmp_path}/digest.sqlite3"
    emails = add_subscribers(db_url, 40)
    smtp_server.handler.delay = 0.1  # ~2 s for the whole send over two connections
    data = settings(db_url, smtp_server, serve_feed(feeds, 6),
                    schedule={"cron": cron_at(soon(4))})
    first = Serve(tmp_path, "first", data)
    procs.append(first)
    first.wait_ready()
    smtp_server.wait_for(6, timeout=20)
    started = time.monotonic()
    assert first.stop() == 0, first.log()
    assert time.monotonic() - started < 30
    received = len(smtp_server.messages)
    editions, rows = ledger(db_url)
    status = Counter(r["status"] for r in rows)
    assert 6 <= received < 40, "the send was not interrupted"
    assert status["sent"] == received and status["sending"] == 0
    assert status["pending"] == 40 - received
    assert editions[0]["status"] == "sending"
    assert "SIGTERM" in first.log()

    second = Serve(tmp_path, "second", data)  # the time is past but within misfire_grace
    procs.append(second)
    smtp_server.wait_for(40, timeout=20)
    time.sleep(0.5)
    assert second.stop() == 0, second.log()
    assert Counter(r for m in smtp_server.messages for r in m.rcpt_tos) == Counter(emails)
    editions, rows = ledger(db_url)
    assert editions[0]["status"] == "sent"
    assert Counter(r["status"] for r in rows) == {"sent": 40}
    assert "its send was not finished" in second.log()


@pytest.mark.parametrize(("grace", "sent"), [("1h", True), ("10s", False)])
def test_a_start_after_the_time_sends_within_grace_only(
    grace: str, sent: bool, tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer,
    procs: list[Serve],
) -> None:
    db_url = f"sqlite:///{tmp_path}/digest.sqlite3"
    emails = add_subscribers(db_url, 3)
    store = Store.open(db_url)  # this database has sent editions before
    now = dt.datetime.now(dt.UTC)
    store.finish_run(store.start_run("edition", "earlier", now), "sent", "yesterday", now)
    store.close()
    data = settings(db_url, smtp_server, serve_feed(feeds, 6),
                    schedule={"cron": cron_at(soon(-30)), "misfire_grace": grace})
    p = Serve(tmp_path, "late", data)
    procs.append(p)
    p.wait_ready()
    if sent:
        smtp_server.wait_for(3, timeout=15)
        p.wait_log("sending it now")
    else:
        p.wait_log("it will not be sent")
    time.sleep(0.5)
    assert p.stop() == 0, p.log()
    got = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert got == (emails if sent else [])
    editions, _ = ledger(db_url)
    assert len(editions) == (1 if sent else 0)
    assert p.log().count("it will not be sent") == (0 if sent else 1)


def test_a_port_in_use_is_one_error_line(
    tmp_path: Path, smtp_server: SmtpServer, feeds: FeedServer
) -> None:
    data = settings(f"sqlite:///{tmp_path}/d.sqlite3", smtp_server, serve_feed(feeds, 1))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        data["web"]["port"] = busy.getsockname()[1]
        path = write_config(tmp_path / "c.toml", data)
        env = {**os.environ, "DIGEST_LOGGING_FORMAT": "text"}
        result = subprocess.run(
            [sys.executable, "-m", "digest", "--config", str(path), "serve"],
            cwd=ROOT, capture_output=True, text=True, timeout=30, env=env,
        )
    assert result.returncode == 1
    assert "error: cannot serve on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
