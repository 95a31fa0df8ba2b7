"""Does collecting 200 feeds overlap the network waits, and what does parsing cost?

Run: python bench/bench_collect.py [--rounds 5] [--feeds 200] [--delay 0.2] [--synthetic]

200 feeds of ~30 items are served on loopback by a threaded server that answers each
request after ``delay`` seconds. Goal: total / (delay + summed parse time) ≤ 1.5, i.e. the
waits overlap completely (serially they alone would take 200 × 0.2 s = 40 s).

Feeds are built at run time by slicing items out of the recorded real feeds in
/work/shared/feeds (third-party text: read, never copied into the repository), or, when
that folder is missing or with --synthetic, generated here.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import multiprocessing as mp
import os
import re
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import feedparser

from digest.collect import Collected, collect, parse_feed
from digest.config import CollectConfig
from digest.types import Feed
from tests.support.feedserver import FeedServer

REAL_FEEDS = Path(  # shared/ lies beside the checkout
    os.environ.get("DIGEST_FEEDS_DIR") or Path(__file__).resolve().parents[2] / "shared" / "feeds"
)
NOW = dt.datetime(2026, 9, 10, 18, 30, tzinfo=dt.UTC)
ITEMS = 30
ITEM_RE = re.compile(rb"<(item|entry)[\s>].*?</\1>", re.S)


def slice_real(path: Path, n: int, offset: int) -> bytes | None:
    """The feed at ``path`` with exactly ``n`` of its items (rotating from ``offset``)."""
    text = path.read_bytes()
    items = [m for m in ITEM_RE.finditer(text)]
    if len(items) < 5:
        return None
    head, tail = text[: items[0].start()], text[items[-1].end():]
    chosen = [items[(offset + i) % len(items)].group() for i in range(n)]
    return head + b"\n".join(chosen) + tail


def real_bodies(count: int) -> list[bytes]:
    """Feeds cut from the recorded ones that have at least ITEMS items."""
    sources = [
        p for p in sorted(REAL_FEEDS.glob("*/*.xml"))
        if len(ITEM_RE.findall(p.read_bytes())) >= ITEMS
    ]  # fmt: skip
    bodies: list[bytes] = []
    for i in range(count if sources else 0):
        body = slice_real(sources[i % len(sources)], ITEMS, i // len(sources) * 7)
        if body is not None:
            bodies.append(body)
    return bodies


SYNTHETIC_ITEM = """<item>
 <title>Story {f}-{i}: ministers meet to discuss the harbour &amp; the budget</title>
 <link>https://news{f}.example/world/story-{i}?utm_source=rss&amp;utm_medium=feed</link>
 <guid isPermaLink="false">https://news{f}.example/world/story-{i}#0</guid>
 <description><![CDATA[<p>Ministers from {f} regions met on <b>Tuesday</b> to discuss the harbour
 works and the budget for next year. <a href="https://news{f}.example/more/{i}">More</a>.
 The talks are expected to continue into the night, officials said.</p>]]></description>
 <pubDate>Thu, 10 Sep 2026 {h:02d}:{m:02d}:00 GMT</pubDate>
 <category>World</category>
 <media:thumbnail url="https://img{f}.example/{i}.jpg" width="240" height="135"/>
</item>"""


def synthetic_body(f: int) -> bytes:
    items = "\n".join(
        SYNTHETIC_ITEM.format(f=f, i=i, h=i % 24, m=(i * 7) % 60) for i in range(ITEMS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>Feed {f}</title><link>https://news{f}.example/</link>"
        f"<description>d</description>{items}</channel></rss>"
    ).encode()


def _serve(bodies: Sequence[bytes], delay: float, urls: mp.SimpleQueue[str]) -> None:
    with FeedServer() as server:
        for i, body in enumerate(bodies):
            server.route(f"/f{i}.xml", body=body, delay=delay)
        urls.put(server.url(""))
        threading.Event().wait()  # until terminated


@contextlib.contextmanager
def served(bodies: Sequence[bytes], delay: float) -> Iterator[str]:
    """The feeds on a loopback server in another process (its threads must not take the
    GIL from the collector being measured); yields the base URL."""
    ctx = mp.get_context("fork")
    urls: mp.SimpleQueue[str] = ctx.SimpleQueue()
    proc = ctx.Process(target=_serve, args=(bodies, delay, urls), daemon=True)
    proc.start()
    try:
        yield urls.get()
    finally:
        proc.terminate()
        proc.join()


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def one_round(feeds: Sequence[Feed], cfg: CollectConfig) -> tuple[float, float, int]:
    started = time.perf_counter()
    results: list[Collected] = collect(feeds, {}, cfg, now=NOW, user_agent="digest-bench")
    total = time.perf_counter() - started
    bad = [r for r in results if r.status != "ok"]
    if bad:
        raise SystemExit(f"{len(bad)} feeds failed, e.g. {bad[0].feed.url}: {bad[0].error}")
    return total, sum(r.parse_seconds for r in results), sum(len(r.entries) for r in results)


def parse_only(bodies: Sequence[bytes]) -> tuple[float, float]:
    """Median seconds per feed: feedparser alone, and the whole parse_feed."""
    feed = Feed("https://bench.example/feed.xml", "bench", "bench")
    def feedparser_alone(body: bytes) -> object:
        return feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)

    fp = [timed(lambda b=b: feedparser_alone(b)) for b in bodies]
    full = [timed(lambda b=b: parse_feed(feed, b, now=NOW)) for b in bodies]
    return statistics.median(fp), statistics.median(full)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--delay", type=float, default=0.2)
    ap.add_argument("--synthetic", action="store_true", help="generated feeds, not real ones")
    args = ap.parse_args(argv)

    real = REAL_FEEDS.is_dir() and not args.synthetic
    bodies = real_bodies(args.feeds) if real else [synthetic_body(f) for f in range(args.feeds)]
    size = sum(map(len, bodies)) / len(bodies)
    print(f"{len(bodies)} feeds of {ITEMS} items ({'real, sliced' if real else 'synthetic'}),"
          f" {size / 1024:.0f} KB on average, each answered after {args.delay * 1000:.0f} ms")

    fp, full = parse_only(bodies)
    print(f"parse per feed (median): feedparser alone {fp * 1000:.1f} ms, "
          f"parse_feed (feedparser + cleaning) {full * 1000:.1f} ms")

    with served(bodies, args.delay) as base:
        feeds = [Feed(f"{base}/f{i}.xml", f"f{i}", "bench") for i in range(len(bodies))]
        for concurrency in (len(feeds), CollectConfig().concurrency):
            cfg = CollectConfig(timeout=10.0, concurrency=concurrency)
            rounds = [one_round(feeds, cfg) for _ in range(args.rounds)]
            total = statistics.median(r[0] for r in rounds)
            parse = statistics.median(r[1] for r in rounds)
            ratio = statistics.median(r[0] / (args.delay + r[1]) for r in rounds)
            print(f"concurrency {concurrency:>3}: total {total:.2f} s, summed parse {parse:.2f} s,"
                  f" ratio {ratio:.2f} (goal ≤ 1.5; serial waits alone "
                  f"{len(feeds) * args.delay:.0f} s), {rounds[0][2]} entries,"
                  f" medians of {args.rounds} rounds")


if __name__ == "__main__":
    main()
