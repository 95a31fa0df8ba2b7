"""The store on SQLite and PostgreSQL: entries, editions, subscribers, the ledger."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from digest.errors import InvalidInput, StoreError
from digest.store import Store
from digest.types import Edition, Entry, Image, Section, Story

T0 = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def entry(key: str, title: str = "A title", seen: dt.datetime = T0) -> Entry:
    return Entry(
        feed_url="http://feeds.test/a", key=key, title=title, url=f"http://x.test/{key}",
        summary_html="<p>s</p>", teaser="s", published=seen, first_seen_at=seen,
        image=Image("http://x.test/i.jpg", "alt"), categories=("World",),
    )


def edition(date: dt.date, n: int = 2) -> Edition:
    stories = tuple(
        Story(id=f"s{i}", title=f"Story {i}", url=f"http://x.test/{i}", teaser="t",
              source="Feed", published=T0, first_seen_at=T0)
        for i in range(n)
    )
    return Edition(newsletter="N", date=date, created_at=T0, window_start=T0 - dt.timedelta(1),
                   window_end=T0, sections=(Section("News", stories),))


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store.open(db_url)
    yield s
    s.close()


def test_entries_are_upserted_by_key_and_keep_first_seen(store: Store) -> None:
    assert store.upsert_entries("http://feeds.test/a", [entry("1"), entry("2")], T0) == (2, 0)
    later = T0 + dt.timedelta(hours=1)
    edited = entry("1", title="An edited title", seen=later)
    assert store.upsert_entries("http://feeds.test/a", [edited, entry("2", seen=later)], later) \
        == (0, 1)
    rows = store.entries_seen_between(T0 - dt.timedelta(1), later)
    assert [(e.key, e.title, e.first_seen_at) for e in rows] == [
        ("1", "An edited title", T0), ("2", "A title", T0)
    ]
    assert rows[0].updated_at == later
    assert rows[0].image == Image("http://x.test/i.jpg", "alt")
    assert store.count_entries() == 2


def test_window_is_half_open(store: Store) -> None:
    store.upsert_entries("http://feeds.test/a", [entry("old", seen=T0)], T0)
    store.upsert_entries("http://feeds.test/a", [entry("new", seen=T0 + dt.timedelta(1))], T0)
    keys = [e.key for e in store.entries_seen_between(T0, T0 + dt.timedelta(2))]
    assert keys == ["new"]


def test_one_edition_per_newsletter_and_date(store: Store) -> None:
    first = store.save_edition(edition(dt.date(2026, 11, 25)), subject="S", now=T0)
    again = store.save_edition(edition(dt.date(2026, 11, 25), n=5), subject="S2", now=T0)
    assert again.id == first.id and len(again.stories) == 2
    rebuilt = store.replace_edition(edition(dt.date(2026, 11, 25), n=3), subject="S3", now=T0)
    assert rebuilt.id == first.id and len(rebuilt.stories) == 3
    assert store.edition_row(first.id)["subject"] == "S3"  # type: ignore[arg-type]


def test_rebuild_refused_once_sending_started(store: Store) -> None:
    e = store.save_edition(edition(dt.date(2026, 11, 25)), subject="S", now=T0)
    assert e.id is not None
    store.start_sending(e.id, T0)
    with pytest.raises(InvalidInput, match="already being sent"):
        store.replace_edition(edition(dt.date(2026, 11, 25), n=4), subject="X", now=T0)
    assert len(store.edition(e.id).stories) == 2


def test_audience_fixed_once_and_ledger_moves_to_final(store: Store) -> None:
    a, _ = store.add_subscriber("a@example.org", now=T0)
    b, _ = store.add_subscriber("b@example.org", now=T0, sections=frozenset({"News"}))
    store.add_subscriber("gone@example.org", now=T0, status="unsubscribed")
    e = store.save_edition(edition(dt.date(2026, 11, 25)), subject="S", now=T0)
    assert e.id is not None
    assert store.start_sending(e.id, T0) == 2
    store.add_subscriber("late@example.org", now=T0)
    assert store.start_sending(e.id, T0) == 0  # a rerun does not grow the audience
    rows = store.deliveries_to_send(e.id, max_attempts=3)
    assert [(r.email, r.sections) for r in rows] == [
        ("a@example.org", None), ("b@example.org", frozenset({"News"}))
    ]
    store.mark_sent(rows[0].id, "<m@x>", T0 + dt.timedelta(minutes=1), 0.25)
    sent = store.deliveries(e.id)[0]
    assert (sent["status"], sent["message_id"], sent["sent_at"], sent["attempts"],
            sent["seconds"]) == ("sent", "<m@x>", T0 + dt.timedelta(minutes=1), 1, 0.25)
    store.mark_failed(rows[1].id, "451 try later", T0)
    assert [r.email for r in store.deliveries_to_send(e.id, 3)] == ["b@example.org"]
    store.mark_failed(rows[1].id, "451", T0)
    store.mark_failed(rows[1].id, "451", T0)
    assert store.deliveries_to_send(e.id, 3) == []  # attempts used up
    assert store.delivery_counts(e.id) == {"sent": 1, "failed": 1}
    store.mark_bounced(rows[1].id, b.id, "550 no such user", T0)
    assert store.subscriber(b.id).status == "bounced"
    assert store.subscriber(a.id).status == "active"


def test_the_ledger_refuses_a_second_row_for_the_same_person(store: Store) -> None:
    store.add_subscriber("a@example.org", now=T0)
    e = store.save_edition(edition(dt.date(2026, 11, 25)), subject="S", now=T0)
    assert e.id is not None
    store.start_sending(e.id, T0)
    row = store.deliveries_to_send(e.id, 3)[0]
    from digest.store import tables as t

    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as c:
        c.execute(sa.insert(t.deliveries).values(
            edition_id=e.id, subscriber_id=row.subscriber_id, email="a@example.org",
            status="pending", attempts=0, last_error="", updated_at=T0))


def test_secret_is_made_once(store: Store) -> None:
    assert store.secret() == store.secret() and len(store.secret()) >= 32


def test_reopening_runs_no_migration_twice(db_url: str) -> None:
    Store.open(db_url).close()
    s = Store.open(db_url)
    assert s.get_meta("nothing") is None
    s.close()


def test_unreachable_database_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1.*check database\.url"):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_bad_url_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match=r"database\.url"):
        Store.open("nosuchdb://x")


def test_feed_state_recorded(store: Store) -> None:
    store.record_feed("http://f.test/", "F", status="ok", now=T0, http_status=200, etag='"e1"',
                      last_modified="Wed, 25 Nov 2026 10:00:00 GMT")
    store.record_feed("http://f.test/", "F", status="error", now=T0 + dt.timedelta(hours=1),
                      http_status=500, error="HTTP 500")
    store.record_feed("http://f.test/", "F", status="error", now=T0 + dt.timedelta(hours=2),
                      http_status=500, error="HTTP 500")
    row = store.feed_rows()["http://f.test/"]
    assert row.etag == '"e1"' and row.last_ok_at == T0
    assert row.failing_since == T0 + dt.timedelta(hours=1)
    store.record_feed("http://f.test/", "F", status="not-modified", now=T0 + dt.timedelta(3))
    row = store.feed_rows()["http://f.test/"]
    assert row.failing_since is None and row.etag == '"e1"'




def test_two_senders_never_claim_the_same_row(db_url: str) -> None:
    """Two processes' worth of engines claim batches at the same time: every row is won
    exactly once."""
    import threading

    first = Store.open(db_url)
    for i in range(120):
        first.add_subscriber(f"r{i}@example.org", now=T0)
    e = first.save_edition(edition(dt.date(2026, 11, 25)), subject="S", now=T0)
    assert e.id is not None
    first.start_sending(e.id, T0)
    second = Store.open(db_url)
    won: dict[str, list[int]] = {"a": [], "b": []}
    together = threading.Barrier(2)

    def claim(name: str, store: Store) -> None:
        for _ in range(10):  # 10 rounds x 2 senders x 7 rows > 120 rows
            together.wait(timeout=30)  # both claim at the same moment
            rows = store.claim_deliveries(e.id, name, 3, T0, limit=7)  # type: ignore[arg-type]
            won[name] += [r.id for r in rows]

    threads = [threading.Thread(target=claim, args=a) for a in (("a", first), ("b", second))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not set(won["a"]) & set(won["b"])
    assert len(won["a"]) + len(won["b"]) == 120
    assert won["a"] and won["b"]
    assert store_counts(first, e.id) == {"sending": 120}
    first.close()
    second.close()


def store_counts(store: Store, edition_id: int) -> dict[str, int]:
    return store.delivery_counts(edition_id)


def test_released_and_failed_rows_come_back_on_the_next_run(store: Store) -> None:
    store.add_subscriber("a@example.org", now=T0)
    store.add_subscriber("b@example.org", now=T0)
    e = store.save_edition(edition(dt.date(2026, 11, 25)), subject="S", now=T0)
    assert e.id is not None
    store.start_sending(e.id, T0)
    a, b = store.claim_deliveries(e.id, "me", 3, T0)
    assert store.claim_deliveries(e.id, "other", 3, T0) == []
    store.release_delivery(a.id, T0)
    store.mark_failed(b.id, "451", T0 + dt.timedelta(seconds=1))
    run_started = T0
    again = store.claim_deliveries(e.id, "me", 3, T0, failed_before=run_started)
    assert [r.email for r in again] == ["a@example.org"]  # b waits for the next run
    later = T0 + dt.timedelta(minutes=5)
    assert [r.email for r in store.claim_deliveries(e.id, "me", 3, later, failed_before=later)] \
        == ["b@example.org"]
    # a claim by a process that died is taken back after the lease
    assert store.claim_deliveries(e.id, "x", 3, later + dt.timedelta(minutes=10)) == []
    stale = store.claim_deliveries(e.id, "x", 3, later + dt.timedelta(minutes=16))
    assert sorted(r.email for r in stale) == ["a@example.org", "b@example.org"]


def test_two_processes_recording_a_new_feed_at_once(db_url: str) -> None:
    import threading

    stores = [Store.open(db_url), Store.open(db_url)]
    together = threading.Barrier(2)
    errors: list[BaseException] = []

    def record(store: Store, i: int) -> None:
        for n in range(5):
            together.wait(timeout=30)
            try:
                store.record_feed(f"http://f.test/{n}", "F", status="ok", now=T0, etag=f'"{i}"')
            except BaseException as e:  # the test reports any failure below
                errors.append(e)

    threads = [threading.Thread(target=record, args=(s, i)) for i, s in enumerate(stores)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(stores[0].feed_rows()) == [f"http://f.test/{n}" for n in range(5)]
    for s in stores:
        s.close()


def test_vectors_are_kept_until_the_text_changes(store: Store) -> None:
    from digest.store.feeds import content_hash

    a, b = entry("a", "First title"), entry("b", "Second title")
    store.upsert_entries(a.feed_url, [a, b], T0)
    window = (T0 - dt.timedelta(hours=1), T0)
    assert [e.vector for e in store.entries_seen_between(*window)] == [None, None]
    stale = dataclasses.replace(b, title="What the title said before")
    done = store.set_vectors([(a.feed_url, "a", content_hash(a), b"\1" * 768),
                              (b.feed_url, "b", content_hash(stale), b"\2" * 768)])
    assert done == 1  # a vector made from text that has changed since is not stored
    assert [e.vector for e in store.entries_seen_between(*window)] == [b"\1" * 768, None]
    store.upsert_entries(a.feed_url, [dataclasses.replace(a, title="First title, edited")],
                         T0 + dt.timedelta(minutes=5))
    got = {e.key: e for e in store.entries_seen_between(*window)}
    assert got["a"].title == "First title, edited" and got["a"].vector is None
    store.upsert_entries(b.feed_url, [b], T0)  # unchanged: nothing is touched
    assert store.set_vectors([(b.feed_url, "b", content_hash(b), b"\3" * 768)]) == 1
    store.upsert_entries(b.feed_url, [b], T0 + dt.timedelta(minutes=9))
    assert {e.key: e.vector for e in store.entries_seen_between(*window)}["b"] == b"\3" * 768


def test_one_subscribe_email_per_address_within_the_gap(store: Store) -> None:
    sub, _ = store.add_subscriber("kim@example.org", now=T0, status="pending")
    gap = dt.timedelta(minutes=10)
    assert store.claim_mail(sub.id, T0, gap)
    assert not store.claim_mail(sub.id, T0 + dt.timedelta(minutes=9), gap)
    store.release_mail(sub.id, T0 + dt.timedelta(minutes=9))  # not the claim at T0: no effect
    assert not store.claim_mail(sub.id, T0 + dt.timedelta(minutes=9), gap)
    later = T0 + dt.timedelta(minutes=10)
    assert store.claim_mail(sub.id, later, gap)
    store.release_mail(sub.id, later)  # that email failed: the next request may mail at once
    assert store.claim_mail(sub.id, later + dt.timedelta(seconds=1), gap)
