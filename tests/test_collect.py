"""The collect stage against a real HTTP server on loopback: what a user relies on.

Entries come out clean and stable, every failure is one readable line while the other
feeds carry on, and nothing a feed or its server sends can take more than the limits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from digest.collect import Collected, FeedState, collect, collect_async, parse_feed
from digest.config import CollectConfig
from digest.errors import FeedError
from digest.types import Entry, Feed, Image
from tests.support.feedserver import FeedServer, free_port, gzip_bomb

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
NOW = dt.datetime(2026, 9, 10, 18, 30, tzinfo=dt.UTC)
UA = "digest/test (+https://digest.example)"
CFG = CollectConfig(timeout=2.0, max_bytes=200_000, max_redirects=3, concurrency=8)
RSS = "application/rss+xml; charset=utf-8"
CONTROL = {*range(0x00, 0x20), *range(0x7F, 0xA0)}


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def feed_at(server: FeedServer, path: str) -> Feed:
    return Feed(url=server.url(path), name=path.strip("/"), section="World")


def run(
    feeds: list[Feed],
    cfg: CollectConfig = CFG,
    states: dict[str, FeedState] | None = None,
) -> list[Collected]:
    return collect(feeds, states or {}, cfg, now=NOW, user_agent=UA)


def run_one(server: FeedServer, path: str, cfg: CollectConfig = CFG) -> Collected:
    return run([feed_at(server, path)], cfg)[0]


def by_key(result: Collected) -> dict[str, Entry]:
    return {e.key: e for e in result.entries}


# ---------------------------------------------------------------- entries


def test_rss2_item_becomes_a_clean_entry(feed_server: FeedServer) -> None:
    feed_server.route("/world.xml", file=FIXTURES / "rss2.xml", content_type=RSS)
    result = run_one(feed_server, "/world.xml")
    assert (result.status, result.http_status, result.error) == ("ok", 200, "")
    bridge = result.entries[0]
    assert bridge == Entry(
        feed_url=feed_server.url("/world.xml"),
        key="https://news.example.org/world/bridge-reopens#0",  # BBC-style guid, as given
        title="Bridge reopens after two-year repair",
        url="https://news.example.org/world/bridge-reopens?id=7",
        summary_html=(
            "<p>The <b>Old Harbour Bridge</b> reopened on Monday after a repair that took two "
            "years and cost more than planned. <a href=\"https://news.example.org/world/"
            'bridge-history" rel="noopener noreferrer">Read the history</a>.</p>'
            "<p>Traffic is expected to be heavy.</p>"
        ),
        teaser=(
            "The Old Harbour Bridge reopened on Monday after a repair that took two years and "
            "cost more than planned. Read the history. Traffic is expected to be heavy."
        ),
        published=dt.datetime(2026, 9, 9, 14, 45, tzinfo=dt.UTC),
        first_seen_at=NOW,
        image=Image(
            url="https://img.example.org/bridge-960.jpg",
            alt="Cars cross the Old Harbour Bridge at dawn on Monday.",
        ),
        categories=("Transport", "Harbour City"),
        author="Ana Lima",
        language="en-gb",
    )


def test_rss2_images_dates_and_fallback_keys(feed_server: FeedServer) -> None:
    feed_server.route("/world.xml", file=FIXTURES / "rss2.xml", content_type=RSS)
    storm, photos, future, undated, untitled = run_one(feed_server, "/world.xml").entries[1:]

    assert storm.image == Image("https://img.example.org/storm-thumb.jpg", storm.title)
    assert storm.author == "Weather Desk"  # not the e-mail address
    assert photos.image == Image("https://img.example.org/election.png", photos.title)
    assert photos.key == photos.url == "https://news.example.org/world/election-photos"
    assert future.published == NOW  # a year ahead: clamped
    assert future.image is None  # an audio enclosure is not a picture
    assert undated.published is None
    assert undated.url == feed_server.url("/world/undated")
    assert undated.summary_html == (
        '<p>Only full text here, with a <a href="'
        + feed_server.url("/world/related")
        + '" rel="noopener noreferrer">relative link</a> and an image <img src="'
        + feed_server.url("/img/chart.png")
        + '" alt="Chart">.</p>'
    )
    assert untitled.key.startswith("sha256:") and untitled.url is None
    assert untitled.title == "An item without a title, a link or a guid: it is…"


def test_a_photo_caption_is_alt_text_not_the_story() -> None:
    body = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
<item><title>Ferry fire</title><guid>ferry-1</guid>
  <media:content url="https://img.example.org/ferry.jpg" medium="image">
    <media:title>Ferry</media:title><media:description>The ferry at dawn.</media:description>
  </media:content>
  <content:encoded><![CDATA[<p>A fire broke out aboard the ferry.</p>]]></content:encoded>
</item></channel></rss>"""
    (entry,) = parse_feed(Feed("https://news.example.org/f", "f", "f"), body, now=NOW)
    assert entry.title == "Ferry fire"
    assert entry.summary_html == "<p>A fire broke out aboard the ferry.</p>"
    assert entry.image == Image("https://img.example.org/ferry.jpg", "The ferry at dawn.")


def test_teaser_length_follows_the_setting() -> None:
    feed = Feed("https://news.example.org/world.xml", "World", "World")
    body = (FIXTURES / "rss2.xml").read_bytes()
    bridge = parse_feed(feed, body, now=NOW, teaser_words=8)[0]
    assert bridge.teaser == "The Old Harbour Bridge reopened on Monday after…"


def test_dw_rdf_is_keyed_on_content_id_and_loses_maca(feed_server: FeedServer) -> None:
    feed_server.route("/dw.rdf", file=FIXTURES / "dw.rdf", content_type="application/rdf+xml")
    entries = run_one(feed_server, "/dw.rdf").entries
    assert [e.key for e in entries] == ["dw:70000001", "dw:70000002", "dw:70000003"]
    assert [e.url for e in entries] == [
        "https://www.dw.com/en/river-levels-fall-in-saxony/a-70000001",
        "https://www.dw.com/en/chancellor-meets-farmers-live-updates/live-70000002",
        "https://www.dw.com/en/new-tram-line-for-leipzig/a-70000003",
    ]
    assert entries[0].teaser == (
        "Water levels on the Elbe are falling after a week of floods & evacuations."
    )
    assert entries[0].summary_html.endswith("floods &amp; evacuations.")
    assert entries[0].published == dt.datetime(2026, 9, 10, 8, 9, tzinfo=dt.UTC)
    assert [e.categories for e in entries] == [("Germany",), ("News",), ("Germany",)]
    assert {e.language for e in entries} == {"en"}


def test_an_edited_headline_keeps_the_entry_identity(feed_server: FeedServer) -> None:
    feed_server.route("/dw.rdf", file=FIXTURES / "dw.rdf", content_type="application/rdf+xml")
    before = run_one(feed_server, "/dw.rdf").entries
    feed_server.update("/dw.rdf", file=FIXTURES / "dw-edited.rdf")
    after = run_one(feed_server, "/dw.rdf").entries

    assert [e.key for e in after] == [e.key for e in before]
    assert (before[0].title, after[0].title) == (
        "Germany: River levels fall in Saxony",
        "Germany: Elbe floods recede as Saxony counts the cost",
    )
    assert after[2].title == "Leipzig opens its new tram line"  # keyed on the /a-NNNN number
    assert after[0].url == "https://www.dw.com/en/elbe-floods-recede-as-saxony-counts-cost/a-70000001"


def test_atom_entries(feed_server: FeedServer) -> None:
    feed_server.route("/atom.xml", file=FIXTURES / "atom.xml", content_type="application/atom+xml")
    port, content_only = run_one(feed_server, "/atom.xml").entries
    assert port.key == "tag:quotidien.example.fr,2026:article-4242"
    assert port.title == "Le port rouvre ses quais"
    assert port.url == "https://quotidien.example.fr/articles/4242?page=2"  # xtor gone
    assert port.published == dt.datetime(2026, 9, 10, 4, 30, tzinfo=dt.UTC)
    assert port.author == "Claire Dubois"
    assert port.categories == ("Économie", "port")
    assert port.language == "fr"
    # a type="text" summary is text: "<" is a character, not markup
    text = "Les quais nord rouvrent après six mois de travaux. 5 < 6, et c'est du texte."
    assert port.summary_html == text.replace("<", "&lt;")
    assert port.teaser == text
    assert content_only.summary_html == (
        '<p>Un article <strong>sans résumé</strong>, avec un <a href="https://quotidien.example.fr/'
        'carte" rel="noopener noreferrer">lien</a>.</p>'
    )
    assert content_only.published == dt.datetime(2026, 9, 9, 20, 15, tzinfo=dt.UTC)


def test_chinese_items(feed_server: FeedServer) -> None:
    feed_server.route("/zh.xml", file=FIXTURES / "chinese.xml", content_type=RSS)
    (item,) = run_one(feed_server, "/zh.xml").entries
    assert item.title == "新大桥今天正式通车，市民排队体验"
    assert item.url == "https://zh.news.example.org/文章/新大桥通车"
    assert item.categories == ("本地新闻",)
    assert item.language == "zh-cn"
    assert item.published == dt.datetime(2026, 9, 9, 18, 0, tzinfo=dt.UTC)
    assert item.teaser.startswith("经过两年的建设，连接南北两岸的新大桥今天上午正式通车。")

    short = parse_feed(Feed(item.feed_url, "zh", "zh"), (FIXTURES / "chinese.xml").read_bytes(),
                       now=NOW, teaser_words=5)[0].teaser  # fmt: skip
    # five words' worth of letters is ten Chinese characters, cut at the clause's comma
    assert short == "经过两年的建设…"


def test_chinese_in_a_legacy_encoding(feed_server: FeedServer) -> None:
    text = (FIXTURES / "chinese.xml").read_text(encoding="utf-8")
    body = text.replace('encoding="UTF-8"', 'encoding="GB18030"').encode("gb18030")
    feed_server.route("/gb.xml", body=body, content_type="application/rss+xml")
    (item,) = run_one(feed_server, "/gb.xml").entries
    assert item.title == "新大桥今天正式通车，市民排队体验"


def test_nothing_hostile_survives(feed_server: FeedServer) -> None:
    feed_server.route("/hostile.xml", file=FIXTURES / "hostile.xml", content_type=RSS)
    result = run_one(feed_server, "/hostile.xml")
    assert result.status == "ok"
    script_title, control_title = result.entries

    assert script_title.title == "Breaking: Bcc: victim@example.com"  # one line: no injection
    assert script_title.url is None  # javascript: link dropped
    assert script_title.image is None  # javascript: and ftp: images dropped
    summary = script_title.summary_html.lower()
    for bad in ("<script", "alert", "javascript", "data:", "onerror", "onclick", "<iframe",
                "<form", "<input", "password", "<style", "style=", "<math", "xlink", "<object",
                "<meta", "<base", "evil.example"):  # fmt: skip
        assert bad not in summary, bad
    assert '<img src="https://img.example.net/ok.jpg" alt="ok">' in script_title.summary_html
    assert '<a href="https://hostile.example.net/real" rel="noopener noreferrer">' in summary

    assert control_title.title == "Tabs and ESC[31m and NUL and CRLF in a title"
    assert control_title.url == "https://hostile.example.net/spaces"
    for entry in result.entries:
        assert not CONTROL & {ord(c) for c in entry.title + entry.teaser}


# ---------------------------------------------------------------- HTTP behaviour


def test_conditional_get_and_304_skips_parsing(feed_server: FeedServer) -> None:
    lm = "Wed, 09 Sep 2026 17:00:00 GMT"
    feed_server.route("/c.xml", file=FIXTURES / "rss2.xml", etag='"v1"', last_modified=lm)
    feed = feed_at(feed_server, "/c.xml")
    first = run([feed])[0]
    assert (first.status, first.etag, first.last_modified) == ("ok", '"v1"', lm)
    assert "if-none-match" not in feed_server.requests_for("/c.xml")[0].headers

    # The body goes bad, but the ETag still matches: nothing is downloaded or parsed.
    feed_server.update("/c.xml", file=FIXTURES / "broken.xml")
    state = FeedState(first.etag, first.last_modified)
    second = run([feed], states={feed.url: state})[0]
    sent = feed_server.requests_for("/c.xml")[-1].headers
    assert (sent["if-none-match"], sent["if-modified-since"]) == ('"v1"', lm)
    assert (second.status, second.http_status, second.entries) == ("not-modified", 304, ())
    assert (second.etag, second.last_modified, second.parse_seconds) == ('"v1"', lm, 0.0)

    feed_server.update("/c.xml", file=FIXTURES / "dw.rdf", etag='"v2"')
    third = run([feed], states={feed.url: state})[0]
    assert (third.status, third.etag, len(third.entries)) == ("ok", '"v2"', 3)


def test_last_modified_alone_gives_a_304(feed_server: FeedServer) -> None:
    lm = "Wed, 09 Sep 2026 17:00:00 GMT"
    feed_server.route("/lm.xml", file=FIXTURES / "rss2.xml", last_modified=lm)
    feed = feed_at(feed_server, "/lm.xml")
    result = run([feed], states={feed.url: FeedState(last_modified=lm)})[0]
    assert result.status == "not-modified"
    assert feed_server.requests_for("/lm.xml")[0].headers["if-modified-since"] == lm


def test_user_agent_and_gzip(feed_server: FeedServer) -> None:
    feed_server.route("/gz.xml", file=FIXTURES / "rss2.xml", gzip=True)
    assert len(run_one(feed_server, "/gz.xml").entries) == 6
    sent = feed_server.requests_for("/gz.xml")[0].headers
    assert sent["user-agent"] == UA
    assert "gzip" in sent["accept-encoding"]


@pytest.mark.parametrize("raw", [False, True])
def test_deflate_with_and_without_zlib_header(feed_server: FeedServer, raw: bool) -> None:
    z = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    body = z.compress((FIXTURES / "dw.rdf").read_bytes()) + z.flush()
    feed_server.route("/d.rdf", body=body, content_encoding="deflate")
    assert run_one(feed_server, "/d.rdf").entries[0].key == "dw:70000001"


@pytest.mark.parametrize("send_length", [True, False])
def test_body_over_the_cap(feed_server: FeedServer, send_length: bool) -> None:
    big = b"<rss>" + b" " * CFG.max_bytes + b"</rss>"
    feed_server.route("/big.xml", body=big, send_length=send_length)
    result = run_one(feed_server, "/big.xml")
    assert result.status == "error"
    assert result.error == "larger than 200000 bytes; raise collect.max_bytes"


def test_gzip_bomb_is_stopped_without_the_memory(feed_server: FeedServer) -> None:
    bomb = gzip_bomb(256 << 20)  # 256 MB of zeros in about 250 KB
    cfg = CollectConfig(timeout=2.0, max_bytes=1_000_000)
    feed_server.route("/bomb.xml", body=bomb, content_encoding="gzip")
    tracemalloc.start()
    try:
        result = run_one(feed_server, "/bomb.xml", cfg)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.error == "larger than 1000000 bytes; raise collect.max_bytes"
    assert peak < 16_000_000  # unbounded, it would be 256 MB


def test_corrupt_and_unknown_encodings(feed_server: FeedServer) -> None:
    feed_server.route("/bad.gz", body=b"\x1f\x8bnot gzip at all", content_encoding="gzip")
    feed_server.route("/br.xml", body=b"whatever", content_encoding="br")
    bad, br = run([feed_at(feed_server, "/bad.gz"), feed_at(feed_server, "/br.xml")])
    assert bad.error.startswith("the gzip body is corrupt")
    assert br.error == "unsupported Content-Encoding 'br'"


def test_redirects_are_followed_within_the_limit(feed_server: FeedServer) -> None:
    feed_server.route("/feed.xml", file=FIXTURES / "dw.rdf")
    feed_server.redirect("/a", "/b")
    feed_server.redirect("/b", feed_server.url("/feed.xml"))
    feed_server.redirect("/moved", "/feed.xml", status=301)
    temporary, permanent = run([feed_at(feed_server, "/a"), feed_at(feed_server, "/moved")])
    assert (temporary.status, len(temporary.entries), temporary.moved_to) == ("ok", 3, None)
    assert permanent.moved_to == feed_server.url("/feed.xml")
    assert permanent.entries[0].feed_url == feed_server.url("/moved")  # the configured URL


def test_redirects_are_bounded(feed_server: FeedServer) -> None:
    feed_server.redirect("/loop", "/loop")
    feed_server.redirect("/file", "file:///etc/passwd")
    loop, file = run([feed_at(feed_server, "/loop"), feed_at(feed_server, "/file")])
    assert loop.error == "too many redirects (more than 3); put the final URL in the config"
    assert feed_server.hits("/loop") == CFG.max_redirects + 1
    assert file.error == "redirected to a file: URL; only http(s) is fetched"


# ---------------------------------------------------------------- failures


def test_each_failure_is_one_line_and_the_others_succeed(feed_server: FeedServer) -> None:
    cfg = CollectConfig(timeout=0.3, max_bytes=200_000, concurrency=8)
    feed_server.route("/ok.xml", file=FIXTURES / "rss2.xml")
    feed_server.route("/slow.xml", file=FIXTURES / "rss2.xml", delay=10.0)
    feed_server.route("/gone.xml", status=404, content_type="text/plain", body=b"no")
    feed_server.route("/down.xml", status=503, content_type="text/plain", body=b"down")
    feed_server.route("/page", file=FIXTURES / "page.html", content_type="text/html")
    feed_server.route("/broken.xml", file=FIXTURES / "broken.xml")
    feed_server.route("/json", body=b'{"items": []}', content_type="application/feed+json")
    refused = Feed(f"http://127.0.0.1:{free_port()}/feed.xml", "refused", "World")
    unknown = Feed("http://no-such-host.invalid/feed.xml", "unknown", "World")
    paths = ["/ok.xml", "/slow.xml", "/gone.xml", "/down.xml", "/page", "/broken.xml", "/json"]
    feeds = [feed_at(feed_server, p) for p in paths] + [refused, unknown]
    done: list[str] = []

    started = time.perf_counter()
    results = collect(
        feeds, {}, cfg, now=NOW, user_agent=UA, on_done=lambda c: done.append(c.feed.url)
    )
    assert time.perf_counter() - started < 8.0  # the timeout, not the 10 s server, decided

    assert [r.feed for r in results] == feeds
    assert sorted(done) == sorted(f.url for f in feeds)
    assert results[0].status == "ok" and len(results[0].entries) == 6
    assert {r.status for r in results[1:]} == {"error"}
    errors = {r.feed.name: (r.http_status, r.error) for r in results[1:]}
    assert errors == {
        "slow.xml": (None, "timed out waiting for data after 0.3 s; "
                           "raise collect.timeout if it is slow"),
        "gone.xml": (404, "HTTP 404 Not Found; check the feed URL"),
        "down.xml": (503, "HTTP 503 Service Unavailable; a problem at the site, "
                          "tried again next run"),
        "page": (200, "not a feed: got an HTML page (text/html); use the site's RSS/Atom link"),
        "broken.xml": (200, "broken XML: line 9, column 0: no element found; "
                            "tell the feed's publisher"),
        "json": (200, "not a feed: got JSON (application/feed+json); "
                      "JSON Feed is not supported, use RSS/Atom"),
        "refused": (None, "connection refused by 127.0.0.1; "
                          "is the server running, the port right?"),
        "unknown": (None, errors["unknown"][1]),
    }  # fmt: skip
    assert errors["unknown"][1].startswith("DNS lookup failed for no-such-host.invalid")
    assert all("\n" not in r.error for r in results)


def test_an_error_keeps_the_previous_validators(feed_server: FeedServer) -> None:
    feed_server.route("/down.xml", status=500, body=b"")
    feed = feed_at(feed_server, "/down.xml")
    result = run([feed], states={feed.url: FeedState('"old"', "Mon, 07 Sep 2026 10:00:00 GMT")})[0]
    assert (result.status, result.etag, result.last_modified) == (
        "error", '"old"', "Mon, 07 Sep 2026 10:00:00 GMT"
    )


def test_an_empty_answer_is_reported(feed_server: FeedServer) -> None:
    feed_server.route("/empty.xml", body=b"")
    assert run_one(feed_server, "/empty.xml").error == "not a feed: the response was empty"


def test_concurrency_is_bounded_and_waits_overlap(feed_server: FeedServer) -> None:
    for i in range(6):
        feed_server.route(f"/f{i}.xml", file=FIXTURES / "dw.rdf", delay=0.3)
    feeds = [feed_at(feed_server, f"/f{i}.xml") for i in range(6)]

    # What the server saw, not the wall clock: never more than 2 requests in flight …
    assert {r.status for r in run(feeds, CollectConfig(timeout=2.0, concurrency=2))} == {"ok"}
    assert feed_server.in_flight_max == 2
    # … and with room for all six, all six waited at the same time.
    feed_server.in_flight_max = 0
    assert {r.status for r in run(feeds, CollectConfig(timeout=2.0, concurrency=6))} == {"ok"}
    assert feed_server.in_flight_max == 6


# ---------------------------------------------------------------- feedparser never fetches


def test_parse_feed_never_fetches_a_url_or_reads_a_path(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.route("/feed.xml", file=FIXTURES / "rss2.xml")
    feed = Feed(feed_server.url("/feed.xml"), "x", "x")
    local = tmp_path / "feed.xml"
    local.write_bytes((FIXTURES / "rss2.xml").read_bytes())
    for body in (feed.url.encode(), str(local).encode(), local.as_uri().encode()):
        with pytest.raises(FeedError) as err:
            parse_feed(feed, body, now=NOW)
        assert err.value.reason.startswith("not a feed")
    assert feed_server.hits("/feed.xml") == 0


def test_parse_feed_errors_name_the_feed() -> None:
    feed = Feed("https://news.example.org/page", "x", "x")
    with pytest.raises(FeedError) as err:
        parse_feed(feed, (FIXTURES / "page.html").read_bytes(), now=NOW, content_type="text/html")
    assert str(err.value).startswith("https://news.example.org/page: not a feed: got an HTML page")


def test_a_custom_transport_is_used() -> None:
    body = (FIXTURES / "dw.rdf").read_bytes()
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return httpx.Response(200, content=body, headers={"ETag": '"t"'})

    feed = Feed("https://rss.dw.example/en.rdf", "dw", "World")
    transport = httpx.MockTransport(answer)
    (result,) = asyncio.run(
        collect_async([feed], {}, CFG, now=NOW, user_agent=UA, transport=transport)
    )
    assert (result.status, result.etag, len(result.entries), seen) == ("ok", '"t"', 3, [UA])
