"""bench/pair_study.py describes pairs as the merge reads them: its copy of the rules must
agree with digest.compose.cluster, and its measures must be right, or its figures mislead."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import pair_study

from digest.compose import cluster
from tests.test_topicmodel import (
    OTHER_NEWS,
    OUTLET_A,
    OUTLET_B,
    PALME,
    STUDY,
    WIRE,
    told,
)


def test_the_studys_rules_are_the_merges_rules() -> None:
    entries = [told(WIRE, t, s, 4 + k) for k, (t, s) in enumerate(OTHER_NEWS)]
    entries += [told(OUTLET_A, *STUDY[0], 3), told(OUTLET_B, *STUDY[1], 2),
                told(OUTLET_A, *PALME[0], 3), told(OUTLET_B, *PALME[1], 2),
                told(OUTLET_B, "Bank of Japan lifts rates for the first time in years",
                     "The central bank raised its key rate.", 5)]
    story = [""] * len(OTHER_NEWS) + ["steroids", "steroids", "palme", "palme", ""]
    story[0] = story[-1] = "boj"
    rows = pair_study.pair_rows(entries, story)
    said = {(r["i"], r["j"]) for r in rows if pair_study.rules_say(r)}
    # what the merge itself joins, pair by pair (cross-feed pairs only, as in the study)
    groups = cluster.cluster(entries, pair_study.THRESHOLD)
    joined = {(a, b) for g in groups for a in g for b in g
              if a < b and entries[a].feed_url != entries[b].feed_url}
    n = len(OTHER_NEWS)
    assert said == joined == {(0, n + 4), (n, n + 1), (n + 2, n + 3)}
    assert {(r["i"], r["j"]) for r in rows if r["same"]} == said
    steroids = next(r for r in rows if (r["i"], r["j"]) == (n, n + 1))
    assert steroids["vectors"] >= cluster.VECTOR_MIN and steroids["hours"] == 1.0


def test_auc_and_average_precision() -> None:
    y = np.array([True, True, False, False])
    assert pair_study.auc(y, np.array([0.9, 0.8, 0.2, 0.1])) == (1.0, 1.0)
    assert pair_study.auc(y, np.array([0.1, 0.2, 0.8, 0.9]))[0] == 0.0
    assert pair_study.auc(y, np.array([0.5, 0.5, 0.5, 0.5]))[0] == 0.5
    roc, ap = pair_study.auc(y, np.array([0.9, 0.2, 0.8, 0.1]))  # ranks: + - + -
    assert roc == 0.75 and abs(ap - (1 + 2 / 3) / 2) < 1e-9


def test_the_learned_model_separates_what_is_separable() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = x[:, 0] + 0.5 * x[:, 1] > 0
    model = pair_study.fit(x[:150], y[:150])
    got = pair_study.score(model, x[150:]) >= 0.5
    assert np.mean(got == y[150:]) >= 0.9
