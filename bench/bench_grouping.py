"""Time grouping (merge + region + topic + rank) of 2,000 entries; goal: under 1 s.

Usage: python bench/bench_grouping.py [N] [RUNS]

The entries are the English items of the recorded snapshots (shared/feeds, see
eval_grouping.py), all dates moved into one day so that the time window does not thin out
the candidate pairs, repeated with variations when there are fewer than N. Prints the
median of several runs.

The topic model reads each entry's sentence vector, which `digest collect` computes once
per new entry and stores (digest.pipeline.ensure_vectors): the vectors are made first, and
that cost (per entry, at collect time, measured on 200 entries) is printed on its own;
grouping is then timed with every entry's own vector (edition.text_model on, the default:
topics and cross-outlet merging read them) and without them (rules alone). An edition places
and files only the stories that can make it (the heaviest, until it is full); "every story"
times the grouping with every story placed and given a topic (``group_stories``, as
eval_grouping.py reads it). A fixed Python loop
is timed between the runs: the machine's speed at that moment, so that a slow run can be told
from slow code (the grouping's time in loops is comparable between runs and machines).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_grouping import feeds_dir, load_day, with_vectors

from digest.compose import clear_caches, compose_edition, group_stories, vectors
from digest.config import EditionConfig
from digest.types import Entry, Feed

NOW = dt.datetime(2026, 9, 10, 18, 30, tzinfo=dt.UTC)
ENGLISH_DAYS = (
    "2026-09-10-dw-aljazeera-bbc-nyt",
    "2020-06-10-outlets",
    "2020-09-02-outlets",
    "2016-06-14-guardian-aljazeera-hindu",
)


def corpus(n: int) -> tuple[list[Feed], list[Entry]]:
    root = feeds_dir()
    if root is None:
        raise SystemExit(0)
    feeds: list[Feed] = []
    items: list[Entry] = []
    for day in ENGLISH_DAYS:
        if (root / day).is_dir():
            f, e = load_day(root / day)
            feeds += f
            items += e
    out: list[Entry] = []
    i = 0
    while len(out) < n and items:
        e = items[i % len(items)]
        round_ = i // len(items)
        when = NOW - dt.timedelta(minutes=(i * 7) % (24 * 60))
        out.append(dataclasses.replace(
            e,
            key=f"{e.key}#{round_}",
            title=e.title if round_ == 0 else f"{e.title} ({round_})",
            published=when,
            first_seen_at=when,
        ))
        i += 1
    return feeds, out


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop (10 million additions): how fast the machine is
    right now, so that runs on a loaded or slower machine can be compared by ratio."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 2000
    runs = int(argv[1]) if len(argv) > 1 else 7
    feeds, entries = corpus(n)
    from digest.compose.places import city_index

    start = time.perf_counter()
    cities = city_index()  # built once per process, on first use: timed on its own
    print(f"place index (GeoNames cities, once per process): {len(cities)} names in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    sample = entries[:200]
    start = time.perf_counter()
    vectors.encode([vectors.entry_text(e) for e in sample])
    per = (time.perf_counter() - start) / len(sample)
    print(f"sentence vectors (made at collect time, once per new entry): {per * 1000:.1f} ms "
          f"per entry, measured on {len(sample)}")
    with_vec = with_vectors(entries)  # every entry's own vector (cached between runs)
    timings: dict[str, list[float]] = {
        "region": [], "topic": [], "feed": [], "topic, rules only": [], "region, every story": []
    }
    by_url = {f.url: f for f in feeds}
    loops: list[float] = []
    for _ in range(runs):
        loops.append(reference_loop())
        for mode in timings:
            group_by = mode.split(",")[0]
            cfg = EditionConfig(group_by=group_by, max_items=30, max_per_section=6,
                                text_model="rules" not in mode)
            clear_caches()  # each run starts as a new process would: nothing cached
            start = time.perf_counter()
            if "every" in mode:
                group_stories(with_vec, by_url, cfg, NOW)
            else:
                edition = compose_edition(
                    with_vec, feeds, cfg, newsletter="bench", date=NOW.date(), now=NOW,
                    window_start=NOW - dt.timedelta(days=1), window_end=NOW,
                )
            timings[mode].append(time.perf_counter() - start)
    print(f"grouping {len(entries)} entries from {len(feeds)} feeds, median of {runs} runs:")
    for mode, t in timings.items():
        med = statistics.median(t)
        verdict = "ok" if med < 1.0 else "SLOW (goal < 1 s)"
        print(f"  group_by={mode:19} {med * 1000:7.1f} ms  (min {min(t) * 1000:.1f}, "
              f"max {max(t) * 1000:.1f})  {verdict}")
    print(f"  last edition: {len(edition.stories)} stories in {len(edition.sections)} sections")
    loop = statistics.median(loops)
    print(f"machine reference: a 10-million-step Python loop, median {loop * 1000:.0f} ms "
          f"(min {min(loops) * 1000:.0f}, max {max(loops) * 1000:.0f}), run between the "
          f"groupings; group_by=region took {statistics.median(timings['region']) / loop:.2f} "
          f"loops")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
