"""How long tonight's edition takes to compose and render, and what one subscriber costs.

Run: python bench/bench_render.py  (goal: compose + render of 30 stories ≤ 50 ms)
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest.compose import compose_edition
from digest.config import Config, EditionConfig, NewsletterConfig
from digest.render import Renderer, templates_dir
from digest.types import Edition, Entry, Feed, Image

NOW = dt.datetime(2026, 11, 25, 18, 30, tzinfo=dt.UTC)
FEEDS = (
    Feed("https://rss.dw.example/rdf/rss-en-all", "DW", "News"),
    Feed("https://feeds.bbc.example/news/world/rss.xml", "BBC", "World"),
    Feed("https://www.aljazeera.example/xml/rss/all.xml", "Al Jazeera", "World"),
    Feed("https://rss.dw.example/rdf/rss-en-bus", "DW Business", "Business"),
)
PLACES = ("Serbia", "Kenya", "Brazil", "Japan", "Germany", "Canada", "India", "Chile", "Ghana")
SYLLABLES = ("ka", "lo", "mi", "ren", "tu", "sa", "vo", "dri", "pel", "an", "gor", "stu", "ne")


def words(n: int, count: int) -> list[str]:
    """Made-up words, different for every story, so that no two stories look alike."""
    rng = random.Random(n)
    return ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(count)]


def entry(n: int, feed: Feed, *, retelling: bool = False) -> Entry:
    w = words(n, 40)
    place = PLACES[n % len(PLACES)]
    teaser = " ".join(w[6:]).capitalize() + "."  # ~34 words, like a real 25–45-word teaser
    seen = NOW - dt.timedelta(minutes=7 * n)
    return Entry(
        feed_url=feed.url,
        key=f"{feed.name}-{n}{'-retold' if retelling else ''}",
        title=f"{place}: {' '.join(w[:6])}",
        url=f"{feed.url.rsplit('/', 1)[0]}/story-{n}/a-{70_000_000 + n}?maca=en-rss",
        summary_html=f"<p>{teaser}</p>",
        teaser=teaser,
        published=seen,
        first_seen_at=seen,
        image=Image(f"https://static.example/image/{n}_6.jpg", f"{place}, {w[0]}"),
    )


def entries() -> list[Entry]:
    """48 stories, the first 12 also told by a second outlet ("Also reported by")."""
    own = [entry(n, FEEDS[n % len(FEEDS)]) for n in range(48)]
    retold = [entry(n, FEEDS[(n + 1) % len(FEEDS)], retelling=True) for n in range(12)]
    return own + retold


def compose(items: list[Entry]) -> Edition:
    return compose_edition(
        items,
        FEEDS,
        EditionConfig(max_items=30),
        newsletter="Evening Digest",
        date=NOW.date(),
        now=NOW,
        window_start=NOW - dt.timedelta(days=1),
        window_end=NOW,
    )


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    newsletter = NewsletterConfig(postal_address="Example Media GmbH, 53113 Bonn, Germany")
    renderer = Renderer(templates_dir(Config(newsletter=newsletter)), newsletter)
    items = entries()
    edition = compose(items)
    rendered = renderer.render(edition)
    source = renderer.render_mjml(edition)
    values = {
        "unsubscribe_url": "https://news.example/u/eyJzIjo0Mn0.Zx1",
        "preferences_url": "https://news.example/p/eyJzIjo0Mn0.Zx1",
        "email": "ann.example@example.org",
    }
    both = median_ms(lambda: renderer.render(compose(items)), 50)
    alone = median_ms(lambda: renderer.render(edition), 50)
    mjml = median_ms(lambda: renderer.compile_mjml(source), 50)
    fill = median_ms(lambda: Renderer.fill(rendered, values), 2000) * 1000
    size = len(Renderer.fill(rendered, values).html.encode("utf-8")) / 1024
    also = sum(1 for s in edition.stories if s.also)
    print(f"stories                 {len(edition.stories)} in {len(edition.sections)} sections,"
          f" {also} also reported by others")
    print(f"compose + render        {both:7.2f} ms   (goal ≤ 50 ms)")
    print(f"render alone            {alone:7.2f} ms")
    print(f"MJML compile alone      {mjml:7.2f} ms")
    print(f"fill per subscriber     {fill:7.1f} µs")
    print(f"HTML size               {size:7.1f} KB   (Gmail clips above ~102 KB)")
    print(f"text size               {len(rendered.text.encode()) / 1024:7.1f} KB")


if __name__ == "__main__":
    main()
