"""Compose: pure functions from collected entries to an Edition.

No I/O and no clock: the caller passes the entries of the window, the feeds, the settings
and ``now``. ``group_by = "feed"`` puts each story in its feed's section; "region" and
"topic" read the place and subject from the story itself (see cluster/classify/rank).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence

from digest.config import EditionConfig
from digest.types import Edition, Entry, Feed, Section, Story


def validate_edition_config(cfg: EditionConfig) -> None:
    """Raise ConfigError for settings that name unknown regions, countries or topics."""


def story_id(entry: Entry) -> str:
    return hashlib.sha1(f"{entry.feed_url}\0{entry.key}".encode()).hexdigest()[:12]


def _when(entry: Entry) -> dt.datetime:
    return entry.published or entry.first_seen_at


def entry_story(entry: Entry, feed: Feed) -> Story:
    return Story(
        id=story_id(entry),
        title=entry.title,
        url=entry.url,
        teaser=entry.teaser,
        source=feed.name,
        published=entry.published,
        first_seen_at=entry.first_seen_at,
        image=entry.image,
        reasons=(f"feed section {feed.section!r}",),
    )


def group_by_feed(
    entries: Sequence[Entry], feeds: Mapping[str, Feed], cfg: EditionConfig
) -> tuple[Section, ...]:
    """Sections in the order feeds are configured (or ``edition.sections``), newest first."""
    order: list[str] = list(cfg.sections)
    for feed in feeds.values():
        if feed.section not in order:
            order.append(feed.section)
    newest = sorted(
        (e for e in entries if e.feed_url in feeds), key=_when, reverse=True
    )[: cfg.max_items]
    by_section: dict[str, list[Story]] = {name: [] for name in order}
    for entry in newest:
        feed = feeds[entry.feed_url]
        stories = by_section[feed.section]
        if cfg.max_per_section and len(stories) >= cfg.max_per_section:
            continue
        stories.append(entry_story(entry, feed))
    return tuple(Section(name, tuple(s)) for name, s in by_section.items() if s)


def compose_edition(
    entries: Sequence[Entry],
    feeds: Sequence[Feed],
    cfg: EditionConfig,
    *,
    newsletter: str,
    date: dt.date,
    now: dt.datetime,
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> Edition:
    by_url = {f.url: f for f in feeds}
    sections = group_by_feed(entries, by_url, cfg)
    return Edition(
        newsletter=newsletter,
        date=date,
        created_at=now,
        window_start=window_start,
        window_end=window_end,
        sections=sections,
    )
