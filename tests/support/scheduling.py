"""Helpers for the scheduler and serve tests: a feed of distinct stories, a config file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from digest.config import Config, parse_config
from digest.store import Store
from tests.support.feedserver import FeedServer
from tests.support.smtpserver import SmtpServer, free_port

WORDS = ("amber", "basalt", "cobalt", "delta", "ember", "fjord", "garnet", "harbor", "indigo",
         "juniper", "kelp", "lagoon", "mesa", "nectar", "onyx", "prairie", "quartz", "ridge")


def rss(n: int, tag: str = "") -> bytes:
    """An RSS 2.0 feed of ``n`` stories that share no words, so none are merged."""
    items = []
    for i in range(n):
        a, b = WORDS[i % len(WORDS)], WORDS[(i * 7 + 3) % len(WORDS)]
        title = f"{a.title()} {b} report{i}{tag} zz{i}q"
        items.append(
            f"<item><title>{title}</title><link>http://news.test/{tag}{i}</link>"
            f"<guid>http://news.test/{tag}{i}</guid>"
            f"<description>Unique{i}{tag} words{i} about {a}{i} and {b}{i}.</description>"
            f"</item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>http://news.test/</link><description>d</description>{''.join(items)}"
        "</channel></rss>"
    ).encode()


def serve_feed(server: FeedServer, n: int) -> str:
    server.route("/wire.xml", body=rss(n))
    return server.url("/wire.xml")


def settings(
    db_url: str, smtp: SmtpServer, feed_url: str, *, schedule: dict[str, Any] | None = None,
    edition: dict[str, Any] | None = None, connections: int = 2, web_port: int = 0,
) -> dict[str, Any]:
    return {
        "newsletter": {"name": "Test Digest", "sender": "Digest <digest@example.org>",
                       "base_url": "http://news.test"},
        "database": {"url": db_url},
        "delivery": {"transport": "smtp", "connections": connections, "max_attempts": 3},
        "smtp": {"host": smtp.host, "port": smtp.port, "timeout": 10.0},
        "schedule": {"timezone": "UTC", "collect_every": "1h", "misfire_grace": "1h",
                     **(schedule or {})},
        "edition": {"min_items": 1, **(edition or {})},
        "web": {"host": "127.0.0.1", "port": web_port or free_port()},
        "logging": {"format": "json", "level": "INFO"},
        "feeds": [{"url": feed_url, "name": "Wire"}],
    }


def config(data: dict[str, Any]) -> Config:
    return parse_config(data, env={})


def write_config(path: Path, data: dict[str, Any]) -> Path:
    """A TOML file from the settings (only strings, numbers and one [[feeds]] list)."""
    lines: list[str] = []
    for section, values in data.items():
        if section == "feeds":
            continue
        lines.append(f"[{section}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    for feed in data.get("feeds", []):
        lines.append("[[feeds]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in feed.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def add_subscribers(db_url: str, n: int, now: dt.datetime | None = None) -> list[str]:
    store = Store.open(db_url)
    try:
        emails = [f"reader{i:03d}@example.org" for i in range(n)]
        for e in emails:
            store.add_subscriber(e, now=now or dt.datetime.now(dt.UTC))
        return emails
    finally:
        store.close()


def cron_at(at: dt.datetime) -> str:
    """A 6-field cron (seconds first) that fires daily at ``at`` (UTC)."""
    at = at.astimezone(dt.UTC)
    return f"{at.second} {at.minute} {at.hour} * * *"
