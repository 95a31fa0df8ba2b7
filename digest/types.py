"""The values that flow between the stages: plain, frozen, typed.

Feed (configured) → Entry (collected, stored) → Story (composed; one event, maybe many
outlets) → Section → Edition (stored once per newsletter and date) → Subscriber/Delivery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Feed:
    """A configured feed."""

    url: str
    name: str
    section: str
    priority: int = 1
    # The outlet's home country (ISO code) for stories that name no place; "" for none;
    # None: guessed from the link's host (digest.compose.gazetteer.HOME_HOSTS).
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of one feed, cleaned: titles are plain text, summaries safe HTML."""

    feed_url: str
    key: str  # stable identity within the feed (dwsyn id, guid, clean link or hash)
    title: str
    url: str | None
    summary_html: str
    teaser: str  # plain text, cut at a word boundary (~45 words)
    published: dt.datetime | None
    first_seen_at: dt.datetime
    image: Image | None = None
    categories: tuple[str, ...] = ()
    author: str = ""
    language: str = ""
    updated_at: dt.datetime | None = None  # when the title or summary last changed
    vector: bytes | None = None  # sentence vector (digest.compose.vectors), once computed


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet's telling of a story."""

    name: str
    url: str | None
    title: str
    feed_url: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """What the reader sees as one item: the best telling plus the other outlets."""

    id: str
    title: str
    url: str | None
    teaser: str
    source: str  # the outlet whose telling is shown
    published: dt.datetime | None
    first_seen_at: dt.datetime
    image: Image | None = None
    kicker: str | None = None
    region: str | None = None
    countries: tuple[str, ...] = ()
    topic: str | None = None
    also: tuple[Source, ...] = ()  # "Also reported by"
    reasons: tuple[str, ...] = ()  # why it was placed where it is
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    stories: tuple[Story, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """One newsletter's issue for one date. Built once, then only read."""

    newsletter: str
    date: dt.date
    created_at: dt.datetime
    window_start: dt.datetime
    window_end: dt.datetime
    sections: tuple[Section, ...]
    id: int | None = None
    status: str = "built"  # built | sending | sent | skipped
    note: str = ""  # a line for the reader above the news (e.g. on a quiet day)

    @property
    def stories(self) -> tuple[Story, ...]:
        return tuple(s for sec in self.sections for s in sec.stories)

    @property
    def top(self) -> Story | None:
        stories = self.stories
        return stories[0] if stories else None

    def only_sections(self, names: frozenset[str] | None) -> Edition:
        """The copy a subscriber who chose these sections gets (None: everything)."""
        if names is None:
            return self
        return replace(self, sections=tuple(s for s in self.sections if s.name in names))


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    email: str
    status: str  # pending | active | unsubscribed | bounced
    sections: frozenset[str] | None = None  # None: every section
    created_at: dt.datetime | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What collecting one feed did, for the per-feed table."""

    url: str
    name: str
    status: str  # ok | not-modified | error
    new: int = 0
    updated: int = 0
    seconds: float = 0.0
    error: str = ""
    http_status: int | None = None
    parse_seconds: float = 0.0
    moved_to: str | None = None  # every redirect was permanent: the feed's new address


@dataclass(frozen=True, slots=True)
class SendReport:
    edition_id: int
    sent: int = 0
    already: int = 0
    failed: int = 0  # transient, will be retried on the next run
    bounced: int = 0  # permanent
    errors: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
