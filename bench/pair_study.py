"""How well do the merge's signals tell one story from two? A study of cross-outlet pairs.

Usage: python bench/pair_study.py

For every folder with complete cross-outlet labels (the ``*.cross.tsv`` files, and the
2026-09-10 folder whose every item carries a story id), every pair of items of two different
outlets published at most 24 hours apart is described by the signals the merge
(``digest.compose.cluster``) reads: the whole-text and headline TF-IDF cosines, the sentence
vectors' cosine, the rare names both share, whether a rare name of one headline is in the
other telling, and the hours between them. It prints

- each signal's ranking quality alone (ROC AUC and average precision over the pairs);
- the shipped rules, pair by pair, per folder (precision and recall of pairs, before the
  grouping joins stories transitively: ``eval_grouping.py`` prints the grouped figures);
- a logistic regression over all signals, trained on the other folders and judged on each
  folder in turn (leave one folder out), at several probability cut-offs.

It answers whether a learned pair model would beat the hand rules on news it was not fitted
to. Pairs with nothing in common (both TF-IDF cosines under 0.05 and vectors under 0.85) are
left out unless labelled one story; roundups never merge and are left out too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from eval_grouping import (
    LABELS,
    PAIR_WINDOW,
    entry_keys,
    feeds_dir,
    load_day,
    normal_ref,
    read_cross,
    read_labels,
    with_vectors,
)

from digest.compose import cluster as C
from digest.compose.vectors import decode
from digest.types import Entry

FOLDERS = {  # folder → its complete cross-outlet labels
    "2026-09-10-dw-aljazeera-bbc-nyt": "2026-09-10-dw-aljazeera-bbc-nyt.tsv",
    "2020-06-10-outlets": "2020-06-10-outlets.cross.tsv",
    "2016-06-14-guardian-aljazeera-hindu": "2016-06-14-guardian-aljazeera-hindu.cross.tsv",
    "2020-09-02-outlets": "2020-09-02-outlets.cross.tsv",
    "2015-03-16-dw-chinese": "2015-03-16-dw-chinese.cross.tsv",
}
SIGNALS = ("words", "headline", "vectors", "names", "named", "hours")
THRESHOLD = 0.35  # edition.similarity's default


def pairs_of(day_dir: Path, label_file: Path) -> list[dict[str, Any]]:
    """The described pairs of one snapshot folder, labelled from ``label_file``."""
    _, entries = load_day(day_dir)
    entries = with_vectors(entries)
    if label_file.stem.endswith(".cross"):
        labels = read_cross(label_file)
    else:
        labels = {(lab.file, normal_ref(lab.ref)): lab.story for lab in read_labels(label_file)}
    story = []
    for e in entries:
        story.append(next((labels[k] for k in entry_keys(e) if k in labels), ""))
    return pair_rows(entries, story)


def pair_rows(entries: Sequence[Entry], story: Sequence[str]) -> list[dict[str, Any]]:
    """Every pair of two feeds' entries at most 24 h apart, described by the merge's signals
    (``cluster.signals``, as the merge reads them), with ``same``: the two share a non-empty
    ``story`` id. Indexes into ``entries`` are kept as ``i`` and ``j``."""
    sig = C.signals(entries)  # as the merge reads them
    vecs, titles, ents, head = sig.vectors, sig.titles, sig.names, sig.headline
    assert titles is not None and ents is not None and head is not None  # all rules on
    sem = [decode(e.vector) for e in entries]
    times = [C.when(e) for e in entries]
    rows: list[dict[str, Any]] = []
    for i, j in combinations(range(len(entries)), 2):
        if entries[i].feed_url == entries[j].feed_url or C.is_roundup(entries[i]) \
                or C.is_roundup(entries[j]):
            continue
        gap = abs(times[i] - times[j])
        if gap > min(PAIR_WINDOW, C.WINDOW):
            continue
        a, b = sem[i], sem[j]
        alike = float(a @ b) if a is not None and b is not None else 0.0
        same = bool(story[i]) and story[i] == story[j]
        full, title = C._cosine(vecs[i], vecs[j]), C._cosine(titles[i], titles[j])
        if not same and full < 0.05 and title < 0.05 and alike < 0.85:
            continue
        rows.append({
            "i": i, "j": j, "same": same, "words": full, "headline": title, "vectors": alike,
            "names": len(ents[i] & ents[j]),
            "named": not (head[i].isdisjoint(ents[j]) and head[j].isdisjoint(ents[i])),
            "hours": gap.total_seconds() / 3600,
        })
    return rows


def rules_say(r: dict[str, Any], t: float = THRESHOLD) -> bool:
    """The shipped cross-outlet rules of cluster.similar_pairs, for one pair."""
    sim = max(r["words"], C.TITLE_FACTOR * r["headline"])
    return (sim >= t * C.CROSS_FEED_FACTOR
            or (sim >= t * C.ENTITY_FACTOR and r["names"] >= C.ENTITY_MIN)
            or (sim >= t * C.VECTOR_FACTOR and r["vectors"] >= C.VECTOR_MIN)
            or (sim >= t * C.NAMED_FACTOR and r["named"] and r["vectors"] >= C.NAMED_VECTOR_MIN))


def features(r: dict[str, Any]) -> list[float]:
    sim = max(r["words"], C.TITLE_FACTOR * r["headline"])
    return [r["words"], r["headline"], sim, r["vectors"], 10 * max(r["vectors"] - 0.8, 0.0),
            min(r["names"], 4), float(r["named"]), r["hours"] / 24, sim * r["vectors"]]


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 3000) -> np.ndarray:
    """Binary logistic regression by gradient descent on standardised features."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) / len(y)
        grad[:-1] += l2 * w[:-1]
        w -= 1.0 * grad
    return np.concatenate([w, mean, scale])


def score(model: np.ndarray, x: np.ndarray) -> np.ndarray:
    k = x.shape[1]
    w, mean, scale = model[: k + 1], model[k + 1 : 2 * k + 1], model[2 * k + 1 :]
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    return np.asarray(1 / (1 + np.exp(-(z @ w))))


def auc(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """ROC AUC (ties half) and average precision of scores ``s`` for labels ``y``."""
    order = np.argsort(-s, kind="stable")
    ys = y[order]
    ranks = np.empty(len(s))
    ranks[np.argsort(s, kind="stable")] = np.arange(1, len(s) + 1)
    for v in np.unique(s):  # average ranks of ties
        m = s == v
        ranks[m] = ranks[m].mean()
    pos = y.sum()
    roc = (ranks[y].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))
    hits = np.cumsum(ys)
    ap = float(np.sum((hits / np.arange(1, len(ys) + 1))[ys]) / pos)
    return float(roc), ap


def _pr(pred: np.ndarray, y: np.ndarray) -> str:
    ok, got, true = int((pred & y).sum()), int(pred.sum()), int(y.sum())
    return f"P {ok / max(got, 1):.3f} ({ok}/{got}) R {ok / max(true, 1):.3f} ({ok}/{true})"


def main() -> int:
    root = feeds_dir()
    if root is None:
        return 0
    rows: list[dict[str, Any]] = []
    folder: list[str] = []
    for day, labels in FOLDERS.items():
        if not (root / day).is_dir():
            print(f"SKIP {day}: not in {root}", file=sys.stderr)
            continue
        got = pairs_of(root / day, LABELS / labels)
        rows += got
        folder += [day] * len(got)
    if not rows:
        return 0
    y = np.array([r["same"] for r in rows])
    days = np.array(folder)
    print(f"{len(rows)} cross-outlet pairs within 24 h, {int(y.sum())} labelled one story, "
          f"{len(FOLDERS)} folders")
    print("each signal alone (ROC AUC, average precision):")
    for name in SIGNALS:
        s = np.array([float(r[name]) for r in rows])
        if name == "hours":
            s = -s
        roc, ap = auc(y, s)
        print(f"  {name:9s} AUC {roc:.3f}  AP {ap:.3f}")
    rules = np.array([rules_say(r) for r in rows])
    x = np.array([features(r) for r in rows])
    learned = np.zeros(len(rows))
    for day in sorted(set(folder)):
        learned[days == day] = score(fit(x[days != day], y[days != day]), x[days == day])
    cuts = (0.4, 0.5, 0.6, 0.7)
    print("pair by pair (before the grouping's transitive joins):")
    for day in [*sorted(set(folder)), "all"]:
        m = np.ones(len(rows), bool) if day == "all" else days == day
        print(f"  {day}")
        print(f"    shipped rules            {_pr(rules[m], y[m])}")
        for cut in cuts:
            print(f"    learned, left out, ≥{cut}  {_pr(learned[m] >= cut, y[m])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
