"""The evening edition end to end: feeds on a loopback HTTP server, the `digest` command as a
user runs it (a real subprocess), a real SMTP server, and what arrived."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.store import Store
from digest.tokens import UNSUBSCRIBE, Tokens
from tests.support.feedserver import FeedServer
from tests.support.smtpserver import SmtpServer, free_port

FIXTURES = Path(__file__).parent / "fixtures" / "e2e"
SECRET = "test-secret-for-signing-links"


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.route("/world.xml", file=FIXTURES / "world.xml", etag='"w1"')
        server.route("/germany.rdf", file=FIXTURES / "germany.rdf",
                     content_type="application/rdf+xml")
        yield server


def write_config(
    tmp: Path, feeds: FeedServer, smtp_port: int | None, *, edition: str = "",
    extra_feeds: str = "",
) -> Path:
    transport = "smtp" if smtp_port else "outbox"
    cfg = f"""
[newsletter]
name = "Evening Digest"
sender = "Evening Digest <digest@news.example>"
base_url = "http://127.0.0.1:8000"
[database]
url = "sqlite:///digest.sqlite3"
[delivery]
transport = "{transport}"
outbox_dir = "outbox"
[smtp]
host = "127.0.0.1"
port = {smtp_port or 25}
timeout = 5.0
[collect]
timeout = 5.0
[edition]
group_by = "feed"
max_items = 30
{edition}
[[feeds]]
url = "{feeds.url('/germany.rdf')}"
name = "Germany Desk"
section = "Germany"
[[feeds]]
url = "{feeds.url('/world.xml')}"
name = "World Service"
section = "World"
{extra_feeds}
"""
    path = tmp / "config.toml"
    path.write_text(cfg)
    return path


def digest(
    config: Path, *args: str, ok: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGEST_SECRET": SECRET, "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "digest", "--config", str(config), *args],
        capture_output=True, text=True, env=env, timeout=120, cwd=config.parent,
    )
    assert result.returncode in ok, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_run_delivers_one_correct_message_per_active_subscriber(
    tmp_path: Path, feeds: FeedServer, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, feeds, smtp_server.port)
    digest(config, "subscribers", "add", "ann@example.org", "Bob@Example.org")
    digest(config, "subscribers", "add", "gone@example.org")
    store = Store.open(f"sqlite:///{tmp_path}/digest.sqlite3")
    gone = next(s for s in store.subscribers() if s.email == "gone@example.org")
    store.set_subscriber_status(gone.id, "unsubscribed", gone.created_at)  # type: ignore[arg-type]

    result = digest(config, "run")
    assert "Germany Desk" in result.stdout and "World Service" in result.stdout
    assert "sent 2" in result.stdout

    got = {m.rcpt_tos[0]: m for m in smtp_server.messages}
    assert sorted(got) == ["ann@example.org", "bob@example.org"]
    ids = {s.email: s.id for s in store.subscribers()}
    tokens = Tokens(SECRET)
    for address, received in got.items():
        msg = received.message
        assert msg["To"] == address
        assert msg["From"] == "Evening Digest <digest@news.example>"
        assert re.fullmatch(r"Evening Digest \| \d\d\.\d\d\.\d{4}, 18:30 UTC", msg["Subject"])
        assert msg["Message-ID"].endswith("@news.example>")
        assert msg["Date"]
        assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
        unsub = re.match(
            r"<(http://127\.0\.0\.1:8000/u/([^>]+))>, <mailto:", msg["List-Unsubscribe"]
        )
        assert unsub, msg["List-Unsubscribe"]
        assert tokens.check(UNSUBSCRIBE, unsub.group(2)) == ids[address]
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html, text = received.part("html"), received.part("plain")
        assert unsub.group(1) in html and unsub.group(1) in text
        # sections in the configured order, headlines linked, tracking removed
        assert html.index("Germany") < html.index("World")
        assert 'href="https://de.example/en/bundestag-budget/a-500001"' in html
        assert "https://world.example/news/ferry-terminal-reopens" in html
        assert "utm_source" not in html and "maca=" not in html
        assert "Bundestag passes the 2027 budget" in text
        assert "<script" not in html and "onerror" not in html
        assert "alert(1)" not in html

    # the same evening again: nobody gets it twice
    again = digest(config, "run")
    assert "sent 0" in again.stdout and "already sent 2" in again.stdout
    assert len(smtp_server.messages) == 2
    edition = json.loads(digest(config, "edition", "show", "--json").stdout)
    assert edition["deliveries"] == {"sent": 2}
    assert [s["name"] for s in edition["sections"]] == ["Germany", "World"]
    first = edition["sections"][0]["items"][0]
    assert set(first) >= {"title", "url", "teaser", "image", "source", "published"}
    assert first["source"] == "Germany Desk"


def test_section_choice_gets_only_those_sections(
    tmp_path: Path, feeds: FeedServer, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, feeds, smtp_server.port)
    digest(config, "subscribers", "add", "de@example.org", "--sections", "Germany")
    digest(config, "run")
    (msg,) = smtp_server.wait_for(1)
    html = msg.part("html")
    assert "Bundestag" in html and "meteor" not in html


def test_one_broken_feed_does_not_stop_the_edition(
    tmp_path: Path, feeds: FeedServer, smtp_server: SmtpServer
) -> None:
    feeds.route("/broken.xml", body=b"<rss><channel><item><title>half", status=200)
    extra = f'[[feeds]]\nurl = "{feeds.url("/broken.xml")}"\nname = "Broken"\n'
    config = write_config(tmp_path, feeds, smtp_server.port, extra_feeds=extra)
    digest(config, "subscribers", "add", "ann@example.org")
    result = digest(config, "run")
    assert re.search(r"Broken .*error", result.stdout)
    assert len(smtp_server.messages) == 1


def test_refused_and_deferred_recipients(
    tmp_path: Path, feeds: FeedServer, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, feeds, smtp_server.port)
    digest(config, "subscribers", "add", "ann@example.org", "nobody@example.org",
           "later@example.org")
    smtp_server.refuse["nobody@example.org"] = (550, "5.1.1 no such user")
    smtp_server.refuse["later@example.org"] = (451, "4.3.0 try again later")
    result = digest(config, "run", ok=(1,))
    assert "nobody@example.org: refused: 550 5.1.1 no such user" in result.stderr
    assert "later@example.org: deferred: 451" in result.stderr
    assert "1 messages not delivered yet" in result.stderr
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ann@example.org"]]

    del smtp_server.refuse["later@example.org"]
    digest(config, "send")
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "ann@example.org", "later@example.org"
    ]
    subs = {s["email"]: s["status"] for s in json.loads(
        digest(config, "subscribers", "list", "--json").stdout)}
    assert subs["nobody@example.org"] == "bounced"
    digest(config, "send")
    assert len(smtp_server.messages) == 2


def test_smtp_server_down_keeps_everything_for_the_next_run(
    tmp_path: Path, feeds: FeedServer
) -> None:
    port = free_port()
    config = write_config(tmp_path, feeds, port)
    digest(config, "subscribers", "add", "ann@example.org", "bob@example.org")
    result = digest(config, "run", ok=(1,))
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert any(f"SMTP server 127.0.0.1:{port}: cannot connect (connection refused)" in ln
               for ln in lines), result.stderr
    with SmtpServer(port) as server:  # now the server the config names is up
        digest(config, "send")
        assert sorted(m.rcpt_tos[0] for m in server.messages) == [
            "ann@example.org", "bob@example.org"
        ]


def test_outbox_and_no_subscribers(tmp_path: Path, feeds: FeedServer) -> None:
    config = write_config(tmp_path, feeds, None)
    first = digest(config, "run")
    html = tmp_path / "outbox"
    match = re.search(r"no active subscribers: the edition is in (\S+)", first.stdout)
    assert match, first.stdout
    page = Path(match.group(1)).read_text()
    assert "Bundestag passes the 2027 budget" in page and "/u/" not in page
    digest(config, "subscribers", "add", "ann@example.org", "bob@example.org")
    digest(config, "send")
    emls = sorted(p.name for p in html.glob("*.eml"))
    assert len(emls) == 2
    assert all("Subject: Evening Digest" in p.read_text() for p in html.glob("*.eml"))


def test_build_once_per_day_unless_rebuilt(tmp_path: Path, feeds: FeedServer) -> None:
    config = write_config(tmp_path, feeds, None)
    digest(config, "collect")
    first = json.loads(digest(config, "build", "--json").stdout)
    assert first["stories"] == 5
    feeds.update("/world.xml", body=(FIXTURES / "world.xml").read_bytes().replace(
        b"Observatory records", b"Observatory confirms"), etag='"w2"')
    digest(config, "collect")
    same = json.loads(digest(config, "build", "--json").stdout)
    assert same["id"] == first["id"] and same["sections"] == first["sections"]
    rebuilt = json.loads(digest(config, "build", "--rebuild", "--json").stdout)
    titles = [i["title"] for s in rebuilt["sections"] for i in s["items"]]
    assert "Observatory confirms the brightest meteor shower in a decade" in titles
    assert rebuilt["id"] == first["id"]


def test_collect_table_and_conditional_get(tmp_path: Path, feeds: FeedServer) -> None:
    config = write_config(tmp_path, feeds, None)
    rows = json.loads(digest(config, "collect", "--json").stdout)
    assert [(r["name"], r["status"], r["new"]) for r in rows] == [
        ("Germany Desk", "ok", 2), ("World Service", "ok", 3)
    ]
    rows = json.loads(digest(config, "collect", "--json").stdout)
    assert rows[1]["status"] == "not-modified"
    assert feeds.requests_for("/world.xml")[-1].headers["if-none-match"] == '"w1"'


def test_all_feeds_failing_exits_1(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "config.toml").write_text(
        f'[[feeds]]\nurl = "http://127.0.0.1:{port}/x.xml"\nname = "Gone"\n'
        '[collect]\ntimeout = 2.0\n'
    )
    result = digest(tmp_path / "config.toml", "collect", ok=(1,))
    assert "connection refused" in result.stdout.lower()
    assert "no feed could be collected" in result.stderr


def test_config_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text('[edition]\nmax_items = "thirty"\n')
    result = digest(bad, "build", ok=(2,))
    assert result.stderr.strip() == (
        "error: edition.max_items: expected an integer, got 'thirty' (fix it in config.toml)"
    )
    bad.write_text('[smtp]\npasword = "x"\n')
    result = digest(bad, "build", ok=(2,))
    assert result.stderr.startswith("error: smtp.pasword: unknown key")
    missing = tmp_path / "nope.toml"
    result = digest(missing, "build", ok=(2,))
    assert f"no config file at {missing}" in result.stderr


def test_version_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "digest", "--version"], capture_output=True,
                         text=True, check=True)
    assert re.fullmatch(r"digest \d+\.\d+\.\d+\n", out.stdout)
    for cmd in (["collect"], ["build"], ["send"], ["run"], ["subscribers", "add"],
                ["edition", "show"]):
        h = subprocess.run([sys.executable, "-m", "digest", *cmd, "--help"],
                           capture_output=True, text=True, check=True)
        assert "Usage:" in h.stdout


def test_invalid_subscriber_address(tmp_path: Path, feeds: FeedServer) -> None:
    config = write_config(tmp_path, feeds, None)
    result = digest(config, "subscribers", "add", "not-an-address", ok=(2,))
    assert result.stderr.startswith("error: 'not-an-address' is not a usable email address")


def test_a_feed_that_moved_permanently_says_so(tmp_path: Path, feeds: FeedServer) -> None:
    feeds.redirect("/old-world.xml", "/world.xml", status=301)
    extra = f'[[feeds]]\nurl = "{feeds.url("/old-world.xml")}"\nname = "Old World"\n'
    config = write_config(tmp_path, feeds, None, extra_feeds=extra)
    result = digest(config, "collect")
    assert f"moved permanently to {feeds.url('/world.xml')}" in result.stdout.replace("\n", "")


def test_quiet_day_is_skipped_or_sent_with_a_note(
    tmp_path: Path, feeds: FeedServer, smtp_server: SmtpServer
) -> None:
    skip = tmp_path / "skip"
    skip.mkdir()
    config = write_config(skip, feeds, smtp_server.port, edition="min_items = 10")
    digest(config, "subscribers", "add", "ann@example.org")
    result = digest(config, "run")
    assert "quiet day: 5 stories, fewer than edition.min_items = 10" in result.stderr
    assert smtp_server.messages == []
    assert json.loads(digest(config, "edition", "show", "--json").stdout)["status"] == "skipped"
    assert "`digest build --rebuild` and `digest send`" in result.stderr
    config.write_text(config.read_text().replace("min_items = 10", "min_items = 3"))
    digest(config, "build", "--rebuild")
    digest(config, "send")
    assert len(smtp_server.wait_for(1)) == 1
    smtp_server.messages.clear()

    send = tmp_path / "send"
    send.mkdir()
    config = write_config(send, feeds, smtp_server.port,
                          edition='min_items = 10\nquiet_day = "send"')
    digest(config, "subscribers", "add", "ann@example.org")
    digest(config, "run")
    (msg,) = smtp_server.wait_for(1)
    assert "A quiet evening: 5 new stories since the last edition." in msg.part("html")
    assert "A quiet evening: 5 new stories since the last edition." in msg.part("plain")


def test_collect_stores_vectors_and_topics_say_where_they_came_from(
    tmp_path: Path, feeds: FeedServer
) -> None:
    config = write_config(tmp_path, feeds, None)
    config.write_text(config.read_text().replace('group_by = "feed"', 'group_by = "topic"'))
    digest(config, "collect")
    db = tmp_path / "digest.sqlite3"
    with sqlite3.connect(db) as conn:
        sizes = [n for (n,) in conn.execute("SELECT length(vector) FROM entries")]
    assert sizes == [768] * 5  # every collected entry has its vector, made at collect time
    digest(config, "build")
    shown = json.loads(digest(config, "edition", "show", "--json").stdout)
    reasons = [r for s in shown["sections"] for i in s["items"] for r in i["reasons"]
               if r.startswith("topic ")]
    assert len(reasons) == 5 and all(": text model 0." in r for r in reasons)

    (tmp_path / "off").mkdir()
    off = write_config(tmp_path / "off", feeds, None, edition="text_model = false")
    off.write_text(off.read_text().replace('group_by = "feed"', 'group_by = "topic"'))
    digest(off, "collect")
    with sqlite3.connect(tmp_path / "off" / "digest.sqlite3") as conn:
        assert [v for (v,) in conn.execute("SELECT vector FROM entries")] == [None] * 5
    digest(off, "build")
    shown = json.loads(digest(off, "edition", "show", "--json").stdout)
    reasons = [r for s in shown["sections"] for i in s["items"] for r in i["reasons"]
               if r.startswith("topic ")]
    assert len(reasons) == 5 and not any("text model" in r for r in reasons)
