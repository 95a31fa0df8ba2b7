"""Send an edition to N subscribers through the real pipeline into a loopback SMTP sink.

    python bench/bench_send.py [--subscribers 2000] [--connections 8] [--rounds 3]

Prints messages per second for the whole `send_edition` (ledger claims and `sent` marks in
SQLite WAL included) and, as the reference, the same bytes pushed over the same number of
raw smtplib connections with no ledger, plus the prepare+fill cost per message against
building an `EmailMessage` per recipient. Medians over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import email.policy
import multiprocessing
import smtplib
import socket
import statistics
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.config import parse_config
from digest.pipeline import Editions, Personaliser, send_edition
from digest.store import Store
from digest.types import Edition, Image, Section, Story

NOW = dt.datetime(2026, 11, 25, 18, 30, tzinfo=dt.UTC)


class Sink(asyncio.Protocol):
    """The least an SMTP server can do: accept everything, keep nothing."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.t = transport
        self.data = False
        self.buf = b""
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            if self.data:
                end = self.buf.find(b"\r\n.\r\n")
                if end < 0:
                    self.buf = self.buf[-4:]
                    return
                self.buf = self.buf[end + 5:]
                self.data = False
                self.t.write(b"250 2.0.0 queued\r\n")
                continue
            nl = self.buf.find(b"\r\n")
            if nl < 0:
                return
            line, self.buf = self.buf[:nl].upper(), self.buf[nl + 2:]
            if line.startswith(b"EHLO"):
                self.t.write(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 100000000\r\n")
            elif line.startswith(b"DATA"):
                self.data = True
                self.buf = b"\r\n" + self.buf
                self.t.write(b"354 go ahead\r\n")
            elif line.startswith(b"QUIT"):
                self.t.write(b"221 bye\r\n")
                self.t.close()
                return
            else:
                self.t.write(b"250 ok\r\n")


def serve_sink(port: int) -> None:
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(Sink, "127.0.0.1", port, backlog=256))
    loop.run_until_complete(server.serve_forever())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def edition() -> Edition:
    stories = tuple(
        Story(
            id=f"s{i}", title=f"Headline number {i} about a matter of some importance",
            url=f"https://news.example/a-{i}", teaser="A teaser of some forty words. " * 6,
            source="Outlet", published=NOW, first_seen_at=NOW,
            image=Image(f"https://news.example/{i}.jpg", "alt") if i % 3 == 0 else None,
        )
        for i in range(30)
    )
    sections = tuple(Section(name, stories[i::3]) for i, name in enumerate(("A", "B", "C")))
    return Edition(newsletter="Bench", date=NOW.date(), created_at=NOW,
                   window_start=NOW - dt.timedelta(1), window_end=NOW, sections=sections)


def one_round(n: int, connections: int, port: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = parse_config(
            {
                "newsletter": {"name": "Bench", "sender": "Bench <b@news.example>"},
                "database": {"url": f"sqlite:///{tmp}/bench.sqlite3"},
                "delivery": {"transport": "smtp", "connections": connections},
                "smtp": {"host": "127.0.0.1", "port": port},
            },
            env={"DIGEST_SECRET": "bench"},
        )
        store = Store.open(cfg.database_url)
        for i in range(n):
            store.add_subscriber(f"reader{i}@example.org", now=NOW)
        saved = store.save_edition(edition(), subject="Bench", now=NOW)
        started = time.perf_counter()
        report = send_edition(cfg, store, saved)
        ours = time.perf_counter() - started
        assert report.sent == n, report
        assert store.delivery_counts(saved.id or 0) == {"sent": n}

        # The reference: the same bytes over raw smtplib connections, no ledger.
        editions = Editions(cfg, saved, now=NOW)
        who = Personaliser(cfg, "bench")
        _, prepared = editions.for_sections(None)
        payloads = [
            prepared.fill(who.personal(i, f"reader{i}@example.org", f"<{i}@x>"))
            for i in range(n)
        ]
        chunks = [payloads[i::connections] for i in range(connections)]

        def push(chunk: list[bytes]) -> None:
            with smtplib.SMTP("127.0.0.1", port) as conn:
                for data in chunk:
                    conn.sendmail("b@news.example", ["x@example.org"], data)

        started = time.perf_counter()
        threads = [threading.Thread(target=push, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        raw = time.perf_counter() - started
        store.close()
    return n / ours, n / raw


def fill_vs_emailmessage(rounds: int = 200) -> tuple[float, float]:
    cfg = parse_config({"newsletter": {"sender": "B <b@news.example>"}}, env={})
    saved = edition()
    editions = Editions(cfg, dataclasses.replace(saved, id=1), now=NOW)
    who = Personaliser(cfg, "bench")
    rendered, prepared = editions.for_sections(None)
    started = time.perf_counter()
    for i in range(rounds):
        prepared.fill(who.personal(i, f"r{i}@example.org", f"<{i}@x>"))
    fill = (time.perf_counter() - started) / rounds
    started = time.perf_counter()
    for i in range(rounds):
        msg = EmailMessage(policy=email.policy.SMTP)
        msg["From"], msg["To"], msg["Subject"] = "B <b@news.example>", f"r{i}@example.org", "S"
        msg["List-Unsubscribe"] = f"<{who.unsubscribe_url(i)}>"
        msg.set_content(rendered.text.replace("%%EMAIL%%", f"r{i}@example.org"))
        msg.add_alternative(rendered.html.replace("%%EMAIL%%", f"r{i}@example.org"),
                            subtype="html")
        msg.as_bytes()
    per_message = (time.perf_counter() - started) / rounds
    return fill, per_message


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=2000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    port = free_port()
    sink = multiprocessing.Process(target=serve_sink, args=(port,), daemon=True)
    sink.start()
    time.sleep(0.5)
    try:
        results = [one_round(args.subscribers, args.connections, port) for _ in range(args.rounds)]
    finally:
        sink.terminate()
    ours = statistics.median(r[0] for r in results)
    raw = statistics.median(r[1] for r in results)
    fill, em = fill_vs_emailmessage()
    print(f"subscribers {args.subscribers}, connections {args.connections}, "
          f"rounds {args.rounds} (medians)")
    print(f"send_edition (ledger claim + sent mark, SQLite WAL): {ours:8.0f} messages/s")
    print(f"raw smtplib, same bytes, no ledger (reference):      {raw:8.0f} messages/s")
    print(f"ratio ours / reference:                               {ours / raw:8.2f}")
    print(f"prepared fill per message: {fill * 1e6:7.0f} µs; "
          f"EmailMessage per message: {em * 1e6:7.0f} µs ({em / fill:.0f}x)")


if __name__ == "__main__":
    main()
