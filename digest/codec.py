"""Editions and entries to and from JSON-ready dicts (the store's `data` column, --json)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from digest.types import Edition, Image, Section, Source, Story


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def story_to_dict(s: Story) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "url": s.url,
        "teaser": s.teaser,
        "source": s.source,
        "published": _time(s.published),
        "first_seen_at": _time(s.first_seen_at),
        "image": {"url": s.image.url, "alt": s.image.alt} if s.image else None,
        "kicker": s.kicker,
        "region": s.region,
        "countries": list(s.countries),
        "topic": s.topic,
        "sources": [{"name": s.source, "url": s.url, "title": s.title}]
        + [{"name": o.name, "url": o.url, "title": o.title} for o in s.also],
        "also": [
            {"name": o.name, "url": o.url, "title": o.title, "feed_url": o.feed_url}
            for o in s.also
        ],
        "reasons": list(s.reasons),
        "weight": round(s.weight, 4),
    }


def story_from_dict(d: dict[str, Any]) -> Story:
    image = d.get("image")
    first_seen = _parse_time(d.get("first_seen_at"))
    assert first_seen is not None
    return Story(
        id=d["id"],
        title=d["title"],
        url=d.get("url"),
        teaser=d.get("teaser", ""),
        source=d.get("source", ""),
        published=_parse_time(d.get("published")),
        first_seen_at=first_seen,
        image=Image(image["url"], image.get("alt", "")) if image else None,
        kicker=d.get("kicker"),
        region=d.get("region"),
        countries=tuple(d.get("countries", ())),
        topic=d.get("topic"),
        also=tuple(
            Source(o["name"], o.get("url"), o.get("title", ""), o.get("feed_url", ""))
            for o in d.get("also", ())
        ),
        reasons=tuple(d.get("reasons", ())),
        weight=float(d.get("weight", 0.0)),
    )


def edition_to_dict(e: Edition, *, subject: str = "") -> dict[str, Any]:
    return {
        "id": e.id,
        "newsletter": e.newsletter,
        "date": e.date.isoformat(),
        "status": e.status,
        "subject": subject,
        "created_at": _time(e.created_at),
        "window_start": _time(e.window_start),
        "window_end": _time(e.window_end),
        "stories": len(e.stories),
        "sections": [
            {"name": sec.name, "items": [story_to_dict(s) for s in sec.stories]}
            for sec in e.sections
        ],
    }


def sections_from_dict(d: dict[str, Any]) -> tuple[Section, ...]:
    return tuple(
        Section(sec["name"], tuple(story_from_dict(s) for s in sec["items"]))
        for sec in d.get("sections", ())
    )
