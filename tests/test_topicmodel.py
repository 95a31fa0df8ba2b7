"""The packaged text model: sentence vectors, and topics read from them with the word rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np

from digest.compose import compose_edition, topicmodel, vectors
from digest.compose.classify import KNOWN_TOPICS, classify_topic
from digest.config import EditionConfig
from digest.types import Edition, Entry, Feed

NOW = dt.datetime(2026, 9, 10, 18, 30, tzinfo=dt.UTC)
FEED = Feed("https://tabloid.example/rss", "Tabloid", "Tabloid")
# Stories no word list recognises: the rules fall back to Politics, or take "shares" for
# the stock market; a reader sees human-interest (Culture) stories.
SKYDIVE = ("Grandmother celebrates her 100th birthday with a skydive",
           "She said she had always wanted to feel the wind on her face.")
SOFA = ("Woman shares the simple trick that keeps her sofa looking new",
        "Her video has been viewed two million times.")


def vector(text: str) -> np.ndarray:
    got = vectors.decode(vectors.encode([text])[0])
    assert got is not None
    return got


def test_vectors_are_unit_length_and_know_a_paraphrase() -> None:
    quake = vector("Earthquake strikes Turkey, hundreds dead")
    same = vector("Hundreds killed as powerful quake hits Turkey")
    other = vector("Bank of England holds interest rates")
    assert abs(float(quake @ quake) - 1.0) < 1e-2
    assert float(quake @ same) > float(quake @ other) + 0.1
    blobs = vectors.encode(["", "x" * 20000])  # empty and huge texts still get a vector
    assert [len(b) for b in blobs] == [vectors.DIM * 2] * 2
    assert vectors.decode(b"\0" * 10) is None and vectors.decode(None) is None


def test_the_model_reads_what_no_listed_word_says() -> None:
    model = topicmodel.load()
    assert model is not None and model.classes == KNOWN_TOPICS
    for title, teaser in (SKYDIVE, SOFA):
        rules = classify_topic(title, teaser, (), None, KNOWN_TOPICS)
        (got,) = topicmodel.predict_many(model, [vector(f"{title}. {teaser}")],
                                         [(title, teaser, (), None)], KNOWN_TOPICS)
        assert got is not None
        assert rules.topic != "Culture"
        assert got.topic == "Culture" and got.probability > 0.5
        assert got.reasons[0].startswith("topic Culture: text model 0.")


def test_clear_cases_agree_with_the_rules_and_keep_their_words() -> None:
    model = topicmodel.load()
    assert model is not None
    cases = {
        "Hospital waiting lists reach record high": "Health",
        "Shares tumble as central bank signals more rate rises": "Business",
        "Heatwave grips southern Europe as temperatures pass 45C": "Environment",
        "Parliament passes budget after marathon debate": "Politics",
    }
    got = topicmodel.predict_many(model, [vector(title) for title in cases],
                                  [(title, "", (), None) for title in cases], KNOWN_TOPICS)
    for (title, topic), one in zip(cases.items(), got, strict=True):
        assert one is not None and one.topic == topic, (title, one)
        assert "; words: '" in one.reasons[0]


def entry(title: str, teaser: str, *, with_vector: bool) -> Entry:
    e = Entry(feed_url=FEED.url, key=title, title=title, url=f"https://tabloid.example/{len(title)}",
              summary_html=f"<p>{teaser}</p>", teaser=teaser, published=NOW - dt.timedelta(hours=2),
              first_seen_at=NOW - dt.timedelta(hours=2))
    if with_vector:
        e = dataclasses.replace(e, vector=vectors.encode([vectors.entry_text(e)])[0])
    return e


def build(entries: list[Entry], **cfg: object) -> Edition:
    config = EditionConfig(**{"group_by": "topic", **cfg})  # type: ignore[arg-type]
    return compose_edition(entries, (FEED,), config, newsletter="N", date=NOW.date(), now=NOW,
                           window_start=NOW - dt.timedelta(days=1), window_end=NOW)


def test_an_edition_by_topic_uses_stored_vectors_and_says_so() -> None:
    edition = build([entry(*SKYDIVE, with_vector=True)])
    story = edition.stories[0]
    assert story.topic == "Culture"
    assert [s.name for s in edition.sections] == ["Culture"]
    assert any(r.startswith("topic Culture: text model") for r in story.reasons)


def test_rules_alone_without_vectors_or_when_switched_off() -> None:
    for edition in (build([entry(*SKYDIVE, with_vector=False)]),
                    build([entry(*SKYDIVE, with_vector=True)], text_model=False)):
        story = edition.stories[0]
        assert story.topic == "Politics"
        assert "topic Politics: nothing else matched" in story.reasons


def test_only_the_configured_topics_compete() -> None:
    edition = build([entry(*SKYDIVE, with_vector=True)], topics=("Politics", "Sports"))
    assert edition.stories[0].topic in ("Politics", "Sports")


def test_text_the_rules_cannot_read_is_judged_by_the_vector_alone() -> None:
    model = topicmodel.load()
    assert model is not None and model.vector_only is not None
    cases = {  # the word rules read English only: for them, every one of these is "nothing"
        "足球联赛决赛：主队点球大战获胜夺冠": "Sports",        # a football final
        "医院急诊等候时间创历史新高，患者抱怨": "Health",       # hospital waiting times
        "股市大跌，央行宣布降息以稳定市场": "Business",         # shares fall, rates cut
    }
    got = topicmodel.predict_many(model, [vector(title) for title in cases],
                                  [(title, "", (), None) for title in cases], KNOWN_TOPICS)
    for (title, topic), one in zip(cases.items(), got, strict=True):
        assert classify_topic(title, "", (), None, KNOWN_TOPICS).topic == "Politics"
        assert one is not None and one.topic == topic, (title, one)
        assert one.reasons[0].endswith("; the vector alone (the word rules read English)")


def test_an_english_headline_with_a_few_cjk_characters_keeps_the_word_rules() -> None:
    model = topicmodel.load()
    assert model is not None
    title = "Hospital waiting lists reach record high (路透)"
    (got,) = topicmodel.predict_many(model, [vector(title)], [(title, "", (), None)],
                                     KNOWN_TOPICS)
    assert got is not None and got.topic == "Health"
    assert "; words: 'hospital" in got.reasons[0]
    assert topicmodel.rules_cannot_read("BBC调查：我爸花500块买了我", "")


def test_a_damaged_vector_only_part_costs_only_itself(tmp_path: Path) -> None:
    raw = json.loads(topicmodel.MODEL_FILE.read_text(encoding="utf-8"))
    for damage in ({}, {**raw["vector_only"], "weights": "x"}):
        path = tmp_path / "model.json"
        path.write_text(json.dumps({**raw, "vector_only": damage}))
        model = topicmodel.load(path)
        assert model is not None and model.vector_only is None


def test_a_model_file_without_its_vector_only_part_still_loads(tmp_path: Path) -> None:
    raw = json.loads(topicmodel.MODEL_FILE.read_text(encoding="utf-8"))
    del raw["vector_only"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(raw))
    model = topicmodel.load(path)
    assert model is not None and model.vector_only is None
    final = "足球联赛决赛"
    (got,) = topicmodel.predict_many(model, [vector(final)], [(final, "", (), None)],
                                     KNOWN_TOPICS)
    assert got is not None and "vector alone" not in got.reasons[0]


def test_a_missing_or_foreign_model_file_means_rules(tmp_path: Path) -> None:
    assert topicmodel.load(tmp_path / "none.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert topicmodel.load(broken) is None
    other = tmp_path / "other.json"  # a model for other features (another vector size)
    other.write_text(json.dumps({"classes": ["A"], "mean": [0.0], "scale": [1.0],
                                 "weights": [[0.0]], "bias": [0.0]}))
    assert topicmodel.load(other) is None


def test_ensure_vectors_makes_the_missing_ones_once_and_reports_progress(tmp_path: Path) -> None:
    from digest.config import parse_config
    from digest.pipeline import ensure_vectors
    from digest.store import Store

    cfg = parse_config({"newsletter": {"name": "N", "sender": "n@example.org"},
                        "feeds": [{"url": FEED.url, "name": "Tabloid"}]})
    store = Store.open(f"sqlite:///{tmp_path}/d.sqlite3")
    items = [entry(f"Story number {i}", "A teaser.", with_vector=False) for i in range(70)]
    store.upsert_entries(FEED.url, items, NOW)
    window = (NOW - dt.timedelta(days=1), NOW)
    seen: list[tuple[int, int]] = []
    got = ensure_vectors(cfg, store, store.entries_seen_between(*window),
                         lambda done, total: seen.append((done, total)))
    assert seen == [(64, 70), (70, 70)]  # one call per batch of 64
    assert all(e.vector is not None for e in got)
    stored = store.entries_seen_between(*window)
    assert [e.vector for e in stored] == [e.vector for e in got]
    seen.clear()
    ensure_vectors(cfg, store, stored, lambda done, total: seen.append((done, total)))
    assert seen == []  # nothing left to make
    off = dataclasses.replace(cfg, edition=dataclasses.replace(cfg.edition, text_model=False))
    store.upsert_entries(FEED.url, [dataclasses.replace(items[0], title="Edited")], NOW)
    again = ensure_vectors(off, store, store.entries_seen_between(*window))
    assert sum(e.vector is None for e in again) == 1  # switched off: nothing is made
    store.close()


# ------------------------------------------------- the vectors join tellings across outlets

STUDY = (("Cheap steroids save lives from severe Covid",
          "A review of seven trials found fewer deaths among critically ill patients."),
         ("Scientists Report Steroids Can Be Lifesaving for Covid-19 Patients",
          "Analyses of several clinical trials show the drugs reduce deaths in intensive care."))
OTHER_NEWS = (
    ("Bank of Japan raises interest rates", "The central bank lifted its key rate on Tuesday."),
    ("Storm floods coastal towns in Portugal", "Hundreds of homes were evacuated overnight."),
    ("Parliament passes new budget after long debate", "The vote was 310 to 250."),
    ("Football club appoints new manager", "The former midfielder signs a three-year deal."),
    ("Wildfire forces evacuations in California", "Firefighters battle strong winds."),
    ("Tech giant unveils foldable phone", "The device goes on sale next month."),
    ("Teachers strike over pay", "Schools across the country closed on Monday."),
    ("Museum returns looted bronzes", "The artefacts were taken in 1897."),
)
OUTLET_A = Feed("https://a.example/rss", "Outlet A", "A")
OUTLET_B = Feed("https://b.example/rss", "Outlet B", "B")
WIRE = Feed("https://wire.example/rss", "Wire", "Wire")


def told(feed: Feed, title: str, teaser: str, hours_ago: float) -> Entry:
    e = Entry(feed_url=feed.url, key=title, title=title,
              url=f"{feed.url.removesuffix('/rss')}/{len(title)}-{hours_ago}", summary_html=teaser,
              teaser=teaser, published=NOW - dt.timedelta(hours=hours_ago),
              first_seen_at=NOW - dt.timedelta(hours=hours_ago))
    return dataclasses.replace(e, vector=vectors.encode([vectors.entry_text(e)])[0])


def edition_of(entries: list[Entry], **cfg: object) -> Edition:
    feeds = [OUTLET_A, OUTLET_B, WIRE]
    config = EditionConfig(**{"group_by": "topic", **cfg})  # type: ignore[arg-type]
    return compose_edition(entries, feeds, config, newsletter="N", date=NOW.date(), now=NOW,
                           window_start=NOW - dt.timedelta(days=1), window_end=NOW)


def test_two_outlets_telling_one_study_in_other_words_become_one_story() -> None:
    other = [told(WIRE, t, s, 4) for t, s in OTHER_NEWS]
    a, b = told(OUTLET_A, *STUDY[0], 3), told(OUTLET_B, *STUDY[1], 2)
    merged = edition_of([a, b, *other])
    (study,) = [s for s in merged.stories if "teroids" in s.title]
    assert [src.name for src in study.also] in (["Outlet A"], ["Outlet B"])
    assert "same story: 2 items from 2 outlet(s), joined by alike meaning" in study.reasons
    assert len(merged.stories) == len(OTHER_NEWS) + 1
    # the words alone are not alike enough: without the text model they stay apart
    apart = edition_of([a, b, *other], text_model=False)
    assert len([s for s in apart.stories if "teroids" in s.title]) == 2


PALME = (("Olof Palme murder: Sweden names the man who killed the prime minister",
          "Prosecutors closed the 34-year investigation."),
         ("Swedish police say they have solved the 1986 killing of Palme",
          "The suspect died in 2000."))


def test_tellings_alike_in_meaning_that_share_a_rare_name_become_one_story() -> None:
    other = [told(WIRE, t, s, 4) for t, s in OTHER_NEWS]
    a, b = told(OUTLET_A, *PALME[0], 3), told(OUTLET_B, *PALME[1], 2)
    va, vb = vectors.decode(a.vector), vectors.decode(b.vector)
    assert va is not None and vb is not None and 0.90 <= float(va @ vb) < 0.92
    merged = edition_of([a, b, *other])
    (palme,) = [s for s in merged.stories if "Palme" in s.title]
    assert "same story: 2 items from 2 outlet(s), joined by alike meaning" in palme.reasons

    # alike in meaning (0.94) but the only shared name is a teaser's first word: two events
    a = told(OUTLET_A, "Man jailed for attacking nurse",
             "Doctors said she suffered a broken jaw.", 3)
    b = told(OUTLET_B, "Woman jailed for assaulting paramedic",
             "Doctors said he needed stitches.", 2)
    va, vb = vectors.decode(a.vector), vectors.decode(b.vector)
    assert va is not None and vb is not None and float(va @ vb) >= 0.92
    assert len(edition_of([a, b, *other]).stories) == len(OTHER_NEWS) + 2


def test_one_outlets_own_pieces_are_never_joined_by_their_vectors() -> None:
    other = [told(WIRE, t, s, 4) for t, s in OTHER_NEWS]
    a, b = told(OUTLET_A, *STUDY[0], 3), told(OUTLET_A, *STUDY[1], 2)
    stories = edition_of([a, b, *other]).stories
    assert len([s for s in stories if "teroids" in s.title]) == 2
