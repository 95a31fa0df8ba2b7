"""Train the topic model (multinomial naive Bayes) from the project's labels.

Usage: python bench/train_topics.py [--cv] [--eval] [--write]
  --write  writes the counts to MODEL_PATH (a scratch file: the model is not shipped)
  --cv     k-fold cross-validation by (label set, outlet) on the training sets only:
           rules vs model vs the combinations, for several smoothing values and weights
  --eval   rules / model / combined per item on the held-out sets (run once, not to tune)

Training sets: the tuning label sets of bench/eval_grouping.py (TUNED) plus
TRAIN_EXTRA (held-out sets whose rules figures were recorded before they became training
data). Items are read from the feed snapshots (shared/feeds, or DIGEST_FEEDS_DIR) exactly as
eval_grouping reads them. The model and the combinations live here, not in digest: on the
held-out set none beat the rules, so nothing was switched on (docs/grouping.md).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eval_grouping import HELD_OUT, LABELS, TUNED, feeds_dir, load_day, normal_ref, read_labels

from digest.compose import _title
from digest.compose.classify import KNOWN_TOPICS, Topic, rule_scores
from digest.compose.text import teaser_text, terms, url_path_parts

# Not packaged: the model did not beat the rules on the held-out set (docs/grouping.md).
MODEL_PATH = Path("/tmp/digest-topic-model.json")

# Held out before; the rules' figure on it was recorded (docs/grouping.md) before it joined.
TRAIN_EXTRA = ("2016-06-14-guardian-aljazeera-hindu.aja-hindu",)
_TEASER_WORDS = 60
_DIGITS = re.compile(r"\d")


def features(title: str, teaser: str, categories: Iterable[str], url: str | None) -> list[str]:
    """The model's features of one story: ``t:`` title, ``w:`` teaser and URL slug,
    ``c:`` category words, ``u:`` URL sections. A title word also counts as a teaser word."""
    out: dict[str, None] = {}
    for t in terms(title):
        if not _DIGITS.search(t):
            out[f"t:{t}"] = None
            out[f"w:{t}"] = None
    for t in terms(" ".join(teaser.split()[:_TEASER_WORDS])):
        if not _DIGITS.search(t):
            out[f"w:{t}"] = None
    for t in terms(" ".join(categories)):
        out[f"c:{t}"] = None
    for p in url_path_parts(url)[:4]:
        if "-" not in p and not _DIGITS.search(p) and 1 < len(p) <= 20:
            out[f"u:{p}"] = None
    return list(out)


@dataclass(frozen=True, slots=True)
class Model:
    topics: tuple[str, ...]
    prior: tuple[float, ...]  # log P(topic)
    weights: dict[str, tuple[float, ...]]  # feature → log P(feature | topic)
    absent: tuple[float, ...]  # log P(an unseen feature | topic), not used for scoring

    def scores(self, feats: Sequence[str], allowed: Sequence[str]) -> dict[str, float]:
        """Log-probability (up to a constant) of each allowed topic."""
        idx = [(t, self.topics.index(t)) for t in allowed if t in self.topics]
        out = {t: self.prior[i] for t, i in idx}
        for f in feats:
            w = self.weights.get(f)
            if w is not None:
                for t, i in idx:
                    out[t] += w[i]
        return out

    def telling(self, feats: Sequence[str], best: str, other: str, n: int = 3) -> list[str]:
        """The words that pull most towards ``best`` rather than ``other``."""
        b, o = self.topics.index(best), self.topics.index(other)
        pulls = sorted(
            ((w[b] - w[o], f) for f in feats if (w := self.weights.get(f)) is not None),
            reverse=True,
        )
        seen: list[str] = []
        for d, f in pulls:
            word = f.split(":", 1)[1]
            if d <= 0 or len(seen) >= n:
                break
            if word not in seen:
                seen.append(word)
        return seen


def from_counts(data: dict) -> Model:
    """A model from the counts of the data file (or of ``bench/train_topics.py``)."""
    topics = tuple(data["topics"])
    alpha = float(data["alpha"])
    docs = data["docs"]
    counts: dict[str, list[int]] = data["counts"]
    vocab = len(counts)
    totals = [sum(c[i] for c in counts.values()) for i in range(len(topics))]
    n = sum(docs)
    prior = tuple(math.log((d + 1) / (n + len(topics))) for d in docs)
    denom = [math.log(totals[i] + alpha * vocab) for i in range(len(topics))]
    weights = {
        f: tuple(math.log(c[i] + alpha) - denom[i] for i in range(len(topics)))
        for f, c in counts.items()
    }
    absent = tuple(math.log(alpha) - d for d in denom)
    return Model(topics, prior, weights, absent)


def combined_topic(title, teaser, categories, url, topics, mode: str, weight: float,
                   model: Model) -> Topic:
    """The rules (``classify.rule_scores``) and the model combined: "rules", "model",
    "strong" (rules decide when a URL section or feed category backs their choice, else
    the model), "fallback" (model only when no rule matched), "gate" (model when the rules'
    best score is below ``weight``) or "add" (model log-probability + weight × rules score)."""
    allowed = list(topics) or list(KNOWN_TOPICS)
    categories = tuple(categories)
    scores, why, strong = rule_scores(title, teaser, categories, url, allowed)
    rules_best = (min(scores, key=lambda t: (-scores[t], allowed.index(t)))
                  if scores else None)
    use = {"rules": False, "strong": rules_best not in strong, "fallback": rules_best is None,
           "gate": rules_best is None or scores[rules_best] < weight}.get(mode, True)
    if use:
        feats = features(title, teaser, categories, url)
        ms = model.scores(feats, allowed)
        if mode == "add":
            ms = {t: v + weight * scores.get(t, 0.0) for t, v in ms.items()}
        best = min(ms, key=lambda t: (-ms[t], allowed.index(t)))
        runner = max((t for t in ms if t != best), key=lambda t: ms[t])
        told = model.telling(feats, best, runner)
        return Topic(best, (f"topic {best}: model (words: {', '.join(told)})",))
    if rules_best is None:
        return Topic(allowed[0], (f"topic {allowed[0]}: nothing else matched",))
    return Topic(rules_best, (f"topic {rules_best}: {', '.join(dict.fromkeys(why[rules_best]))}",))


MIN_COUNT = 2  # a feature seen in fewer training items is left out
ALPHA = 1.0  # chosen by --cv (with the combination "add", weight 5.0)


def items(names: tuple[str, ...]) -> list[dict]:
    """Labelled items: title, teaser, categories, url, topic, group (set + outlet file)."""
    root = feeds_dir()
    if root is None:
        raise SystemExit(0)
    out: list[dict] = []
    cache: dict[str, list] = {}
    for name in names:
        day = name.split(".")[0]
        if day not in cache:
            cache[day] = load_day(root / day)[1]
        index = {}
        for e in cache[day]:
            f = e.feed_url.removeprefix("snapshot:").split("/")[1]
            index.setdefault((f, normal_ref(e.url or e.key)), e)
            index.setdefault((f, normal_ref(e.key)), e)
        for lab in read_labels(LABELS / f"{name}.tsv"):
            e = index.get((lab.file, normal_ref(lab.ref)))
            if e is None:
                continue
            out.append(dict(title=_title(e), teaser=teaser_text(e), categories=e.categories,
                            url=e.url, topic=lab.topic, group=f"{name}/{lab.file}"))
    return out


def train(rows: list[dict], alpha: float = ALPHA, min_count: int = MIN_COUNT) -> dict:
    topics = list(KNOWN_TOPICS)
    docs = Counter(r["topic"] for r in rows)
    seen: Counter[str] = Counter()
    per: dict[str, list[int]] = defaultdict(lambda: [0] * len(topics))
    for r in rows:
        fs = features(r["title"], r["teaser"], r["categories"], r["url"])
        seen.update(fs)
        for f in fs:
            per[f][topics.index(r["topic"])] += 1
    counts = {f: c for f, c in sorted(per.items()) if seen[f] >= min_count}
    return dict(topics=topics, alpha=alpha, docs=[docs[t] for t in topics], counts=counts)


def predict(r: dict, mode: str, weight: float, model) -> str:
    return combined_topic(r["title"], r["teaser"], r["categories"], r["url"], KNOWN_TOPICS,
                          mode, weight, model).topic


SETTINGS = [("rules", 0.0), ("model", 0.0), ("strong", 0.0), ("fallback", 0.0)] + [
    ("gate", w) for w in (1.0, 2.0)] + [("add", w) for w in (2.0, 3.0, 5.0)]


def cv(rows: list[dict]) -> None:
    groups = sorted({r["group"] for r in rows})
    for alpha in (0.5, 1.0):
        right: Counter[tuple[str, float]] = Counter()
        for g in groups:
            test = [r for r in rows if r["group"] == g]
            model = from_counts(train([r for r in rows if r["group"] != g], alpha))
            for r in test:
                for mode, w in SETTINGS:
                    right[(mode, w)] += predict(r, mode, w, model) == r["topic"]
        n = len(rows)
        print(f"alpha {alpha}: " + "; ".join(
            f"{m}{'' if m not in ('add', 'gate') else f' {w}'} "
            f"{right[(m, w)] / n:.3f} ({right[(m, w)]}/{n})"
            for m, w in SETTINGS))
    print(f"({len(groups)} folds: one per label set and outlet file)")


def main(argv: list[str]) -> int:
    names = TUNED + TRAIN_EXTRA
    rows = items(names)
    print(f"training items: {len(rows)} from {', '.join(names)}")
    if "--cv" in argv:
        cv(rows)
    data = train(rows)
    if "--write" in argv:
        data = {"about": (
            "Topic model (measurement only, bench/train_topics.py): multinomial naive Bayes counts "
            f"(items per topic and feature), written by bench/train_topics.py --write from "
            f"the labels of bench/labels ({', '.join(names)}; {len(rows)} items) and the "
            f"feed snapshots they point at; features seen in >= {MIN_COUNT} items; "
            f"Laplace smoothing alpha = {ALPHA}."), **data}
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size} bytes, "
              f"{len(data['counts'])} features)")
    if "--eval" in argv:
        model = from_counts(data)
        for name in HELD_OUT:
            if name in TRAIN_EXTRA:
                continue
            test = items((name,))
            for mode, w in SETTINGS:
                ok = sum(predict(r, mode, w, model) == r["topic"] for r in test)
                print(f"held out {name}: {mode}{'' if mode not in ('add', 'gate') else f' {w}'} "
                      f"{ok / len(test):.3f} ({ok}/{len(test)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
