"""Compose: pure functions from collected entries to an Edition.

No I/O and no clock: the caller passes the entries of the window, the feeds, the settings
and ``now``. Every mode first merges the tellings of one event (cluster.py) into one Story
(the best source's headline and teaser, the other outlets in ``also``); then
``group_by = "feed"`` puts each story in its best source's feed section, while "region"
and "topic" read the place and subject from the story itself (classify.py). rank.py
weighs, caps and orders, so that ``Edition.top`` is the heaviest story.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from digest.compose import classify, gazetteer, markets, regionmodel, text, topicmodel, vectors
from digest.compose.classify import (
    KNOWN_TOPICS,
    ExtraPlaces,
    Placement,
    Topic,
    classify_topic,
    country_regions,
    editor_topic,
    extra_places,
    name_key,
    place,
)
from digest.compose.cluster import JOINED_BY, cluster_explained, when
from digest.compose.rank import arrange, rank_key, weight
from digest.compose.text import teaser_text, url_host
from digest.config import DEFAULT_SECTIONS, DEFAULT_TOPICS, EditionConfig
from digest.errors import ConfigError
from digest.types import Edition, Entry, Feed, Section, Source, Story

__all__ = [
    "KNOWN_TOPICS",
    "compose_edition",
    "entry_story",
    "group_by_feed",
    "group_stories",
    "merge",
    "story_id",
    "validate_edition_config",
]

KNOWN_REGIONS: tuple[str, ...] = gazetteer.REGIONS


def _known(items: Sequence[str]) -> str:
    return ", ".join(items)


def validate_edition_config(cfg: EditionConfig) -> None:
    """Raise ConfigError for settings that name unknown regions, countries or topics."""
    for region, codes in cfg.regions.items():
        key = f"edition.regions.{region}"
        if region not in KNOWN_REGIONS or region == gazetteer.WORLD:
            raise ConfigError(
                f"unknown region {region!r}",
                key=key,
                hint=f"known: {_known(KNOWN_REGIONS[:-1])}",
            )
        for code in codes:
            if code.upper() not in gazetteer.COUNTRY_CODES:
                raise ConfigError(
                    f"unknown country code {code!r}",
                    key=key,
                    hint="use ISO 3166-1 alpha-2 codes such as 'RS' or 'FR' (EU: the EU)",
                )
    for code, names in cfg.places.items():
        if code.upper() not in gazetteer.COUNTRY_CODES:
            raise ConfigError(
                f"unknown country code {code!r}", key=f"edition.places.{code}",
                hint="use ISO 3166-1 alpha-2 codes such as 'IN' or 'PT' (EU: the EU)",
            )
        _check_words(names, f"edition.places.{code}", "a place name")
    _check_words(cfg.not_places, "edition.not_places", "a name")
    _check_place_clashes(cfg)
    for topic, phrases in cfg.topic_words.items():
        key = f"edition.topic_words.{topic}"
        if topic not in _topics(cfg):
            raise ConfigError(f"unknown topic {topic!r}", key=key,
                              hint=f"the edition's topics: {_known(_topics(cfg))}")
        _check_words(phrases, key, "a word or phrase")
    for topic in cfg.topics:
        if topic not in KNOWN_TOPICS:
            raise ConfigError(
                f"unknown topic {topic!r} (known: {_known(KNOWN_TOPICS)})", key="edition.topics"
            )
    if len(set(cfg.topics)) != len(cfg.topics):
        raise ConfigError("a topic is listed twice", key="edition.topics")
    _check_sections(cfg)
    if not 0.0 < cfg.similarity <= 1.0:
        raise ConfigError(
            f"expected a number above 0 and at most 1, got {cfg.similarity}",
            key="edition.similarity",
        )
    if cfg.max_per_section < 0:
        raise ConfigError("expected 0 (no cap) or more", key="edition.max_per_section")


def _check_words(names: Sequence[str], key: str, what: str) -> None:
    for name in names:
        if not any(c.isalnum() for c in name):
            raise ConfigError(f"expected {what}, got {name!r}", key=key)


def _check_place_clashes(cfg: EditionConfig) -> None:
    """One name (as it is matched) under two countries, or both a place and no place, is a
    config error."""
    seen: dict[str, str] = {}  # name key → the config key that lists it
    listed = [*((f"edition.places.{c}", ns) for c, ns in cfg.places.items()),
              ("edition.not_places", cfg.not_places)]
    for where, names in listed:
        for name in names:
            key = name_key(name)
            if seen.get(key, where) != where:
                raise ConfigError(f"{name!r} is also listed under {seen[key]}", key=where,
                                  hint="list each name once")
            seen[key] = where


def _check_sections(cfg: EditionConfig) -> None:
    if cfg.group_by == "region":
        known = KNOWN_REGIONS
    elif cfg.group_by == "topic":
        known = KNOWN_TOPICS
    else:
        return
    for name in cfg.sections:
        if name not in known:
            raise ConfigError(
                f"unknown {cfg.group_by} {name!r} (known: {_known(known)})",
                key="edition.sections",
                hint=f'with group_by = "{cfg.group_by}" the sections are {cfg.group_by}s',
            )


def story_id(entry: Entry) -> str:
    return hashlib.sha1(f"{entry.feed_url}\0{entry.key}".encode()).hexdigest()[:12]


def _title(entry: Entry) -> str:
    if entry.title.strip():
        return entry.title.strip()
    words = teaser_text(entry).split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "") if words else "(untitled)"


def entry_story(entry: Entry, feed: Feed) -> Story:
    return Story(
        id=story_id(entry),
        title=_title(entry),
        url=entry.url,
        teaser=entry.teaser,
        source=feed.name,
        published=entry.published,
        first_seen_at=entry.first_seen_at,
        image=entry.image,
        reasons=(f"feed section {feed.section!r}",),
    )


def _best(group: Sequence[Entry], feeds: Mapping[str, Feed]) -> Entry:
    """The telling shown: highest feed priority, then the fullest teaser, then the earliest."""
    return min(
        group,
        key=lambda e: (
            -feeds[e.feed_url].priority,
            -len(teaser_text(e)),
            not e.title.strip(),
            e.first_seen_at,
            story_id(e),
        ),
    )


def merge(
    group: Sequence[Entry], feeds: Mapping[str, Feed], now: dt.datetime,
    joined_by: Sequence[str] = (),
) -> Story:
    """One Story from the tellings of one event (``group``: at least one entry);
    ``joined_by``: what joined them (``cluster.JOINED_BY`` keys), for the reasons."""
    best = _best(group, feeds)
    first = min(group, key=lambda e: (e.first_seen_at, story_id(e)))
    outlets: dict[str, int] = {}
    also: list[Source] = []
    best_name = feeds[best.feed_url].name
    for e in sorted(group, key=lambda e: (e.first_seen_at, story_id(e))):
        feed = feeds[e.feed_url]
        outlets[feed.name] = max(outlets.get(feed.name, feed.priority), feed.priority)
        if feed.name != best_name and all(s.name != feed.name for s in also):
            also.append(Source(feed.name, e.url, _title(e), e.feed_url))
    reasons: tuple[str, ...] = ()
    if len(group) > 1:
        how = ", ".join(JOINED_BY[k] for k in joined_by if k in JOINED_BY)
        reasons = (f"same story: {len(group)} items from {len(outlets)} outlet(s)"
                   + (f", joined by {how}" if how else ""),)
    return Story(
        id=story_id(first),
        title=_title(best),
        url=best.url,
        teaser=best.teaser,
        source=best_name,
        published=best.published,
        first_seen_at=first.first_seen_at,
        image=best.image or next((e.image for e in group if e.image), None),
        also=tuple(also),
        reasons=reasons,
        weight=weight(outlets.values(), min(when(e) for e in group), now),
    )


@dataclass(frozen=True, slots=True)
class _Read:
    """What classifying reads of a merged story: all headlines, the shown teaser, every
    category of its tellings."""

    titles: str
    teaser: str
    categories: tuple[str, ...]
    url: str | None
    home: str | None  # feeds.country of the shown telling's feed (or its site's country)
    home_source: str  # where ``home`` came from, for the reason


def _read(story: Story, group: Sequence[Entry], feeds: Mapping[str, Feed]) -> _Read:
    shown = _best_by_title(group, story)
    feed = feeds[shown.feed_url]
    home, source = feed.country, "feeds.country"
    if home is None and gazetteer.is_platform(url_host(story.url)):
        # a video on YouTube: the outlet is the feed's site, not the link's
        home, source = gazetteer.home_country(url_host(feed.url), [], None), url_host(feed.url)
    return _Read(
        titles=" | ".join(dict.fromkeys(_title(e) for e in group)),
        teaser=teaser_text(shown),
        categories=tuple(dict.fromkeys(c for e in group for c in e.categories)),
        url=story.url,
        home=home,
        home_source=source,
    )


_Vectors = tuple[list[int], list[np.ndarray[Any, np.dtype[np.float32]]]]


def _story_vectors(groups: Sequence[Sequence[Entry]]) -> _Vectors:
    """The stories that have sentence vectors (their indexes) and each one's vector: its
    telling's, or the mean of its tellings'."""
    rows: list[int] = []
    vecs: list[np.ndarray[Any, np.dtype[np.float32]]] = []
    for k, group in enumerate(groups):
        found = [v for v in (vectors.decode(e.vector) for e in group) if v is not None]
        if found:
            rows.append(k)
            vecs.append(found[0] if len(found) == 1 else vectors.mean(found))
    return rows, vecs


def _placements(
    story_vectors: _Vectors, reads: Sequence[_Read], cfg: EditionConfig,
    regions: Mapping[str, str], extra: ExtraPlaces,
) -> list[Placement]:
    """Each story's region by the place rules, with the region model's second opinion for
    the stories whose entries have vectors (all at once: one matrix product). The model
    knows the default regions only: with ``edition.regions`` set, the rules alone decide."""
    placed = [place(r.titles, r.teaser, r.categories, r.url, regions, r.home, extra,
                    r.home_source) for r in reads]
    model = regionmodel.load() if cfg.text_model and not cfg.regions else None
    if model is None:
        return placed
    rows, vecs = story_vectors
    homes = [regionmodel.home_region(reads[k].url, reads[k].home, regions) for k in rows]
    said = regionmodel.opinions(model, vecs, [placed[k] for k in rows], homes)
    # a story sent to World is dropped when World is not a section: then doubt keeps the rules'
    world = cfg.group_by != "region" or gazetteer.WORLD in (cfg.sections or DEFAULT_SECTIONS)
    for k, opinion in zip(rows, said, strict=True):
        placed[k] = regionmodel.second_opinion(placed[k], opinion, regions, world)
    return placed


def _classify(story: Story, placed: Placement, topic: Topic) -> Story:
    return Story(
        id=story.id,
        title=story.title,
        url=story.url,
        teaser=story.teaser,
        source=story.source,
        published=story.published,
        first_seen_at=story.first_seen_at,
        image=story.image,
        kicker=placed.kicker,
        region=placed.region,
        countries=placed.countries,
        topic=topic.topic,
        also=story.also,
        reasons=(*placed.reasons, *topic.reasons, *story.reasons),
        weight=story.weight,
    )


def _story_topics(
    story_vectors: _Vectors, reads: Sequence[_Read], cfg: EditionConfig
) -> list[Topic]:
    """Each story's topic: the text model with the word rules for the stories whose entries
    have vectors (all at once: one matrix product), the rules alone for the others and
    whenever ``edition.text_model = false``."""
    allowed = _topics(cfg)
    got: list[Topic | None] = [None] * len(reads)
    model = topicmodel.load() if cfg.text_model else None
    if model is not None:
        rows, vecs = story_vectors
        if rows:
            texts = [(reads[k].titles, reads[k].teaser, reads[k].categories, reads[k].url)
                     for k in rows]
            for k, t in zip(rows, topicmodel.predict_many(model, vecs, texts, allowed),
                            strict=True):
                got[k] = Topic(t.topic, t.reasons) if t is not None else None
    if cfg.topic_words:  # the editor's own words win
        for k, r in enumerate(reads):
            mine = editor_topic(r.titles, r.teaser, r.categories, cfg.topic_words, allowed)
            if mine is not None:
                got[k] = mine
    return [
        t if t is not None else classify_topic(r.titles, r.teaser, r.categories, r.url, allowed)
        for t, r in zip(got, reads, strict=True)
    ]


def _best_by_title(group: Sequence[Entry], story: Story) -> Entry:
    return next((e for e in group if e.url == story.url), group[0])


def _topics(cfg: EditionConfig) -> tuple[str, ...]:
    if cfg.group_by == "topic" and cfg.sections:
        return cfg.sections
    return cfg.topics or DEFAULT_TOPICS


def clear_caches() -> None:
    """Forget every text, word, stem and host read so far, as a new process starts
    (composing an edition and ``group_stories`` do so when they are done; a benchmark's runs
    each start so)."""
    for cached in (text._words, text._term, text.stem, text.plain, text._path_parts, text.url_host,
                   classify._mentions_read, gazetteer.is_platform, markets._low,
                   regionmodel._home_code):
        cached.cache_clear()


def _merged(
    entries: Sequence[Entry], feeds: Mapping[str, Feed], cfg: EditionConfig, now: dt.datetime,
) -> tuple[list[Story], list[list[Entry]]]:
    """The stories, merged across outlets and weighed but not yet placed or given a topic,
    with each one's entries."""
    known = [e for e in entries if e.feed_url in feeds]
    found = cluster_explained(known, cfg.similarity, use_vectors=cfg.text_model)
    groups = [[known[i] for i in idx] for idx, _ in found]
    merged = [merge(group, feeds, now, how) for group, (_, how) in zip(groups, found, strict=True)]
    return merged, groups


def _classified(
    merged: Sequence[Story], groups: Sequence[Sequence[Entry]], feeds: Mapping[str, Feed],
    cfg: EditionConfig,
) -> list[Story]:
    """The stories with their region, countries, kicker and topic, and the reasons."""
    reads = [_read(story, group, feeds) for story, group in zip(merged, groups, strict=True)]
    story_vectors = _story_vectors(groups) if cfg.text_model else ([], [])
    topics = _story_topics(story_vectors, reads, cfg)
    extra = extra_places(cfg.places, cfg.not_places)
    placed = _placements(story_vectors, reads, cfg, country_regions(cfg.regions), extra)
    return [_classify(story, where, topic)
            for story, where, topic in zip(merged, placed, topics, strict=True)]


def group_stories(
    entries: Sequence[Entry],
    feeds: Mapping[str, Feed],
    cfg: EditionConfig,
    now: dt.datetime,
) -> list[tuple[Story, list[Entry]]]:
    """Merged and classified stories (with their entries), in no particular order. Each
    text is read once (cached) while they are composed, and forgotten after."""
    try:
        merged, groups = _merged(entries, feeds, cfg, now)
        stories = _classified(merged, groups, feeds, cfg)
    finally:
        clear_caches()  # a long-running process keeps no edition's texts
    return list(zip(stories, groups, strict=True))


def _feed_order(feeds: Mapping[str, Feed], cfg: EditionConfig) -> list[str]:
    order: list[str] = list(cfg.sections)
    for feed in feeds.values():
        if feed.section not in order:
            order.append(feed.section)
    return order


def _sections(
    entries: Sequence[Entry],
    feeds: Mapping[str, Feed],
    cfg: EditionConfig,
    now: dt.datetime,
) -> tuple[Section, ...]:
    """The edition's sections. Stories are placed and given a topic heaviest first, a batch
    at a time, only until ``arrange`` fills the edition: a story that cannot make it is
    merged and weighed but never read for its region or topic (the same edition as placing
    every story first, in a fraction of the time)."""
    order = _section_order(feeds, cfg)
    sections: tuple[Section, ...] = ()
    try:
        merged, groups = _merged(entries, feeds, cfg, now)
        ranked = sorted(range(len(merged)), key=lambda k: rank_key(merged[k]))
        placed: list[tuple[str, Story]] = []
        done, batch = 0, _FIRST_BATCH
        while done < len(ranked) and sum(len(s.stories) for s in sections) < cfg.max_items:
            ks = ranked[done : done + batch]
            done, batch = done + len(ks), batch * 2
            stories = _classified([merged[k] for k in ks], [groups[k] for k in ks], feeds, cfg)
            for k, story in zip(ks, stories, strict=True):
                name = _section_of(story, groups[k], feeds, cfg, order)
                if name is not None:
                    placed.append((name, story))
            sections = arrange(
                placed, order, max_items=cfg.max_items, max_per_section=cfg.max_per_section
            )
    finally:
        clear_caches()  # a long-running process keeps no edition's texts
    return sections


_FIRST_BATCH = 32  # stories placed at once; each further batch twice the one before


def _section_order(feeds: Mapping[str, Feed], cfg: EditionConfig) -> list[str]:
    """The sections in their configured (or default) order."""
    if cfg.group_by == "feed":
        return _feed_order(feeds, cfg)
    return list(cfg.sections or DEFAULT_SECTIONS) if cfg.group_by == "region" \
        else list(_topics(cfg))


def _section_of(story: Story, group: Sequence[Entry], feeds: Mapping[str, Feed],
                cfg: EditionConfig, order: Sequence[str]) -> str | None:
    """The section a placed story goes to: its best source's feed section, or its region or
    topic (World when that is not a section), or None when it has none (World is not a
    section either)."""
    if cfg.group_by == "feed":
        return feeds[_best(group, feeds).feed_url].section
    name = (story.region if cfg.group_by == "region" else story.topic) or ""
    if name in order:
        return name
    return gazetteer.WORLD if gazetteer.WORLD in order else None


def group_by_feed(
    entries: Sequence[Entry],
    feeds: Mapping[str, Feed],
    cfg: EditionConfig,
    *,
    now: dt.datetime | None = None,
) -> tuple[Section, ...]:
    """Sections in the order feeds are configured (or ``edition.sections``), the heaviest
    story first; repeats of one story are merged and shown under the best source's feed.
    ``now`` (default: the newest entry's time) sets recency."""
    if cfg.group_by != "feed":
        cfg = _with_group_by(cfg, "feed")
    return _sections(entries, feeds, cfg, now or _newest(entries))


def _with_group_by(cfg: EditionConfig, group_by: str) -> EditionConfig:
    import dataclasses

    return dataclasses.replace(cfg, group_by=group_by)


def _newest(entries: Sequence[Entry]) -> dt.datetime:
    return max((when(e) for e in entries), default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))


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
    sections = _sections(entries, by_url, cfg, now)
    return Edition(
        newsletter=newsletter,
        date=date,
        created_at=now,
        window_start=window_start,
        window_end=window_end,
        sections=sections,
    )
