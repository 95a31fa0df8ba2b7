"""Topic from the text model's vector and the word rules together.

A multinomial logistic regression (``digest/data/topics/model.json``, made by
``bench/train_topics.py`` from the project's own labels) reads an entry's sentence vector
(``digest.compose.vectors``) beside the hand rules' evidence (each topic's score from URL
sections, feed categories and words, whether a section or category backs it, and whether
nothing matched). The rules know what an outlet's sections mean; the vector knows what a
story is about when no listed word says it ("Mum reveals how she turned her shed into a
reading nook" is Culture, not Politics). Measured on outlets left out of training, the two
together were right more often than either alone (docs/grouping.md).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

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

    def probabilities(self, x: np.ndarray[Any, np.dtype[np.float64]]) -> dict[str, float]:
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {c: float(p[i]) for i, c in enumerate(self.classes)}


def features(
    vector: np.ndarray[Any, np.dtype[np.float32]],
    title: str,
    teaser: str,
    categories: Iterable[str],
    url: str | None,
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], dict[str, list[str]]]:
    """The model's input for one story, and the rules' reasons per topic."""
    scores, why, strong = rule_scores(title, teaser, tuple(categories), url, KNOWN_TOPICS)
    rules = [math.log1p(scores.get(t, 0.0)) for t in KNOWN_TOPICS]
    backed = [1.0 if t in strong else 0.0 for t in KNOWN_TOPICS]
    x = np.concatenate([vector.astype(np.float64), rules, backed, [0.0 if scores else 1.0]])
    return x, why


@functools.cache
def load(path: Path = MODEL_FILE) -> TopicModel | None:
    """The packaged model, or None when the file is missing or not for these features."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        model = TopicModel(
            classes=tuple(raw["classes"]),
            mean=np.asarray(raw["mean"], dtype=np.float64),
            scale=np.asarray(raw["scale"], dtype=np.float64),
            weights=np.asarray(raw["weights"], dtype=np.float64),
            bias=np.asarray(raw["bias"], dtype=np.float64),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if model.weights.shape != (FEATURES, len(model.classes)) or model.mean.shape != (FEATURES,):
        return None
    return model


@dataclass(frozen=True, slots=True)
class ModelTopic:
    topic: str
    probability: float
    reasons: tuple[str, ...]


def predict(
    model: TopicModel,
    vector: np.ndarray[Any, np.dtype[np.float32]],
    title: str,
    teaser: str,
    categories: Iterable[str],
    url: str | None,
    allowed: Sequence[str],
) -> ModelTopic | None:
    """The most likely of ``allowed`` topics, or None when the model knows none of them."""
    x, why = features(vector, title, teaser, categories, url)
    probs = model.probabilities(x)
    known = [t for t in allowed if t in probs]
    if not known:
        return None
    best = min(known, key=lambda t: (-probs[t], allowed.index(t)))
    words = ", ".join(dict.fromkeys(why.get(best, [])))
    reason = f"topic {best}: text model {probs[best]:.2f}" + (
        f"; words: {words}" if words else "; no topic words"
    )
    return ModelTopic(best, probs[best], (reason,))
