"""Topic from the text model's vector and the word rules together.

A multinomial logistic regression (``digest/data/topics/model.json``, made by
``bench/train_topics.py`` from the project's own labels) reads an entry's sentence vector
(``digest.compose.vectors``) beside the hand rules' evidence (each topic's score from URL
sections, feed categories and words, whether a section or category backs it, and whether
nothing matched). The rules know what an outlet's sections mean; the vector knows what a
story is about when no listed word says it ("Mum reveals how she turned her shed into a
reading nook" is Culture, not Politics). Measured on outlets left out of training, the two
together were right more often than either alone (docs/grouping.md).

The rules read English words only. For a story they cannot read (Chinese, Japanese or
Korean text) their silence is no evidence, so the vector alone decides there, through a
second regression trained on the vectors alone (``vector_only`` in the same file).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digest.compose.cjk import mostly_cjk
from digest.compose.classify import KNOWN_TOPICS, rule_scores
from digest.compose.vectors import DIM

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "topics" / "model.json"
FEATURES = DIM + 2 * len(KNOWN_TOPICS) + 1


@dataclass(frozen=True)
class TopicModel:
    classes: tuple[str, ...]
    mean: np.ndarray[Any, np.dtype[np.float64]]
    scale: np.ndarray[Any, np.dtype[np.float64]]
    weights: np.ndarray[Any, np.dtype[np.float64]]  # features × classes
    bias: np.ndarray[Any, np.dtype[np.float64]]
    # the same classes from the vector alone, for stories the word rules cannot read
    vector_only: TopicModel | None = None

    def probabilities(
        self, x: np.ndarray[Any, np.dtype[np.float64]]
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """One row of class probabilities (in ``classes`` order) per row of features."""
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(z / z.sum(axis=1, keepdims=True))


def features(
    vector: np.ndarray[Any, np.dtype[np.float32]],
    title: str,
    teaser: str,
    categories: Iterable[str],
    url: str | None,
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], dict[str, list[str]]]:
    """The model's input for one story (the vector, then the rules' evidence: each topic's
    score (log), whether a URL section or feed category backs it, whether nothing matched),
    and the rules' reasons per topic."""
    scores, why, strong = rule_scores(title, teaser, tuple(categories), url, KNOWN_TOPICS)
    rules = [math.log1p(scores.get(t, 0.0)) for t in KNOWN_TOPICS]
    rules += [1.0 if t in strong else 0.0 for t in KNOWN_TOPICS]
    rules.append(0.0 if scores else 1.0)
    return np.concatenate([vector.astype(np.float64), rules]), why


def rules_cannot_read(title: str, teaser: str) -> bool:
    """Text mostly in a script the word rules know no words of (Chinese, Japanese,
    Korean): the headline, or the teaser when there is no headline."""
    return mostly_cjk(title if title.strip() else teaser)


@functools.cache
def load(path: Path = MODEL_FILE) -> TopicModel | None:
    """The packaged model, or None when the file is missing or not for these features
    (its ``vector_only`` part is left out when it is missing or not for these vectors)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        model = linear_model(raw, FEATURES)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    alone = raw.get("vector_only")
    if model is not None and isinstance(alone, dict):
        try:
            part = linear_model({**alone, "classes": raw["classes"]}, DIM)
        except (ValueError, KeyError, TypeError):
            part = None  # a damaged part costs only itself
        if part is not None:
            model = dataclasses.replace(model, vector_only=part)
    return model


def linear_model(raw: dict[str, Any], n_features: int) -> TopicModel | None:
    """A multinomial logistic regression read from its JSON form, or None when it is not
    for ``n_features`` features."""
    model = TopicModel(
        classes=tuple(raw["classes"]),
        mean=np.asarray(raw["mean"], dtype=np.float64),
        scale=np.asarray(raw["scale"], dtype=np.float64),
        weights=np.asarray(raw["weights"], dtype=np.float64),
        bias=np.asarray(raw["bias"], dtype=np.float64),
    )
    if model.weights.shape != (n_features, len(model.classes)) or \
            model.mean.shape != (n_features,):
        return None
    return model


@dataclass(frozen=True, slots=True)
class ModelTopic:
    topic: str
    probability: float
    reasons: tuple[str, ...]


def predict_many(
    model: TopicModel,
    vecs: Sequence[np.ndarray[Any, np.dtype[np.float32]]],
    texts: Sequence[tuple[str, str, Iterable[str], str | None]],
    allowed: Sequence[str],
) -> list[ModelTopic | None]:
    """The most likely of ``allowed`` topics for each story — its vector and (title, teaser,
    categories, url) — all in one matrix product; None where the model knows none of them."""
    if not vecs:
        return []
    rows = [features(v, *text) for v, text in zip(vecs, texts, strict=True)]
    p = model.probabilities(np.stack([x for x, _ in rows]))
    alone = model.vector_only
    alone_read = [k for k, text in enumerate(texts)
                  if alone is not None and rules_cannot_read(text[0], text[1])]
    if alone is not None and alone_read:
        p[alone_read] = alone.probabilities(np.stack([rows[k][0][:DIM] for k in alone_read]))
    by_vector = set(alone_read)
    known = [t for t in allowed if t in model.classes]
    if not known:
        return [None] * len(vecs)
    cols = [model.classes.index(t) for t in known]
    out: list[ModelTopic | None] = []
    for k, (probs, (_, why)) in enumerate(zip(p[:, cols], rows, strict=True)):
        i = int(np.argmax(probs))  # the first of equals: the earlier configured topic
        best = known[i]
        words = ", ".join(dict.fromkeys(why.get(best, [])))
        reason = f"topic {best}: text model {probs[i]:.2f}" + (
            "; the vector alone (the word rules read English)"
            if k in by_vector
            else f"; words: {words}" if words else "; no topic words"
        )
        out.append(ModelTopic(best, float(probs[i]), (reason,)))
    return out
