"""Feeds (their fetch state) and entries (upserted by a stable key)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from digest.store import tables as t
from digest.store.base import StoreBase
from digest.types import Entry, Image


@dataclass(frozen=True)
class FeedRow:
    url: str
    name: str
    etag: str | None
    last_modified: str | None
    last_status: str | None
    last_error: str | None
    last_fetched_at: dt.datetime | None
    last_ok_at: dt.datetime | None
    failing_since: dt.datetime | None


def content_hash(entry: Entry) -> str:
    image = entry.image.url if entry.image else ""
    parts = (entry.title, entry.url or "", entry.summary_html, image)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class FeedStore(StoreBase):
    """Each feed's last fetch, and the entries collected from it."""

    def feed_rows(self) -> dict[str, FeedRow]:
        with self._tx() as c:
            rows = c.execute(sa.select(t.feeds)).mappings().all()
        return {r["url"]: FeedRow(**{k: r[k] for k in FeedRow.__dataclass_fields__}) for r in rows}

    def record_feed(
        self,
        url: str,
        name: str,
        *,
        status: str,
        now: dt.datetime,
        http_status: int | None = None,
        error: str = "",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        ok = status != "error"
        with self._tx() as c:
            # Two processes may record a new feed at once: make the row exist first.
            c.execute(self._insert(t.feeds).values(url=url, name=name).on_conflict_do_nothing())
            old = c.execute(sa.select(t.feeds).where(t.feeds.c.url == url)).mappings().one()
            values: dict[str, Any] = {
                "name": name,
                "last_status": status,
                "last_http_status": http_status,
                "last_error": error or None,
                "last_fetched_at": now,
            }
            if ok:
                values.update(last_ok_at=now, failing_since=None)
                if status == "ok":
                    values.update(etag=etag, last_modified=last_modified)
            else:
                values["failing_since"] = old["failing_since"] or now
            c.execute(sa.update(t.feeds).where(t.feeds.c.url == url).values(**values))

    def upsert_entries(
        self, feed_url: str, entries: Sequence[Entry], now: dt.datetime
    ) -> tuple[int, int]:
        """Insert new entries, update changed ones in place. Returns (new, updated)."""
        if not entries:
            return 0, 0
        by_key: dict[str, Entry] = {}
        for e in entries:
            by_key.setdefault(e.key, e)
        new = updated = 0
        with self._tx() as c:
            existing = {
                r.key: (r.id, r.content_hash)
                for r in c.execute(
                    sa.select(t.entries.c.id, t.entries.c.key, t.entries.c.content_hash).where(
                        t.entries.c.feed_url == feed_url
                    )
                )
            }
            inserts: list[dict[str, Any]] = []
            for key, e in by_key.items():
                h = content_hash(e)
                row = self._entry_values(e, h)
                if key not in existing:
                    inserts.append({**row, "feed_url": feed_url, "key": key,
                                    "first_seen_at": e.first_seen_at})
                elif existing[key][1] != h:
                    c.execute(
                        sa.update(t.entries)
                        .where(t.entries.c.id == existing[key][0])
                        .values(**row, updated_at=now, vector=None)  # the text changed
                    )
                    updated += 1
            if inserts:
                result = c.execute(
                    self._insert(t.entries).on_conflict_do_nothing(), inserts
                )
                new = result.rowcount if result.rowcount >= 0 else len(inserts)
        return new, updated

    @staticmethod
    def _entry_values(e: Entry, h: str) -> dict[str, Any]:
        return {
            "title": e.title,
            "url": e.url,
            "summary_html": e.summary_html,
            "teaser": e.teaser,
            "image_url": e.image.url if e.image else None,
            "image_alt": e.image.alt if e.image else None,
            "published": e.published,
            "categories": json.dumps(list(e.categories)),
            "author": e.author,
            "language": e.language,
            "content_hash": h,
        }

    def entries_seen_between(
        self, start: dt.datetime, end: dt.datetime, feed_urls: Iterable[str] | None = None
    ) -> list[Entry]:
        """Entries first seen in (start, end]."""
        q = sa.select(t.entries).where(
            t.entries.c.first_seen_at > start, t.entries.c.first_seen_at <= end
        )
        if feed_urls is not None:
            q = q.where(t.entries.c.feed_url.in_(list(feed_urls)))
        with self._tx() as c:
            rows = c.execute(q.order_by(t.entries.c.id)).mappings().all()
        return [self._entry(r) for r in rows]

    def set_vectors(self, vectors: Sequence[tuple[str, str, str, bytes]]) -> int:
        """Store sentence vectors: (feed_url, key, content_hash the vector was made from,
        vector). A vector made from text that has changed since is not stored."""
        done = 0
        with self._tx() as c:
            for feed_url, key, h, blob in vectors:
                result = c.execute(
                    sa.update(t.entries)
                    .where(
                        t.entries.c.feed_url == feed_url,
                        t.entries.c.key == key,
                        t.entries.c.content_hash == h,
                    )
                    .values(vector=blob)
                )
                done += max(result.rowcount, 0)
        return done

    def count_entries(self) -> int:
        with self._tx() as c:
            return int(c.execute(sa.select(sa.func.count()).select_from(t.entries)).scalar_one())

    @staticmethod
    def _entry(r: Any) -> Entry:
        return Entry(
            feed_url=r["feed_url"],
            key=r["key"],
            title=r["title"],
            url=r["url"],
            summary_html=r["summary_html"],
            teaser=r["teaser"],
            published=r["published"],
            first_seen_at=r["first_seen_at"],
            image=Image(r["image_url"], r["image_alt"] or "") if r["image_url"] else None,
            categories=tuple(json.loads(r["categories"] or "[]")),
            author=r["author"],
            language=r["language"],
            updated_at=r["updated_at"],
            vector=bytes(r["vector"]) if r["vector"] is not None else None,
        )
