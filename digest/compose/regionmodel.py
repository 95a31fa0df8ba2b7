"""A second opinion on the region: the text model's vector beside the places the rules weighed.

The hand rules (``digest.compose.classify.place``) place a story by the places it names. Where
a story names places of two regions ("India rice exporters see Iran demand", "Stocks fall as
US-Iran turmoil keeps oil elevated") the weights alone often pick the wrong one. A
multinomial logistic regression (``digest/data/regions/model.json``, made by
``bench/train_regions.py`` from the project's own labels) reads the story's sentence vector
(``digest.compose.vectors``) beside what the rules found: each region's share of the evidence,
the region they chose, the outlet's home region and how much evidence there was. It judges
the rules' choice rather than placing every story itself: when it gives the rules' region too
little probability, the story goes to the model's own region if the model is sure of it, else
to World (several regions, or unsure) rather than to a region that is likely wrong; the reason
says both opinions. Where World is not a section of the edition, it never demotes a story to
World (that would drop it): it keeps the rules' region unless it is sure of another.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digest.compose import gazetteer as gz
from digest.compose.classify import Placement
from digest.compose.text import url_host
from digest.compose.topicmodel import TopicModel, linear_model
from digest.compose.vectors import DIM

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "regions" / "model.json"
REGIONS: tuple[str, ...] = gz.REGIONS
HOMES: tuple[str, ...] = (*REGIONS, "")  # "": the outlet has no home country
FEATURES = DIM + 2 * len(REGIONS) + len(HOMES) + 1
# The rules' region stands when the model gives it at least MIN_AGREEMENT, or
# SPLIT_AGREEMENT when that region holds less than SPLIT of the places' weight; else the
# model's own region when it gives that at least SURE; else World. Chosen by
# leave-one-folder-out cross-validation (bench/train_regions.py --cv; docs/grouping.md).
MIN_AGREEMENT = 0.4
SPLIT = 0.6
SPLIT_AGREEMENT = 0.7
SURE = 0.8


def features(
    vector: np.ndarray[Any, np.dtype[np.float32]], placed: Placement, home_region: str
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The model's input for one story: its sentence vector; each region's share of the
    places the rules weighed; the rules' region (one-hot); the outlet's home region
    (one-hot, "" for none); the evidence's size (log)."""
    return np.concatenate([vector.astype(np.float64), _rest(placed, home_region)])


def _rest(placed: Placement, home_region: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The features after the vector (see ``features``)."""
    scores, total = _weights(placed)
    shares = [scores.get(r, 0.0) / total if total > 0 else 0.0 for r in REGIONS]
    chosen = [1.0 if placed.region == r else 0.0 for r in REGIONS]
    home = [1.0 if home_region == h else 0.0 for h in HOMES]
    return np.asarray([*shares, *chosen, *home, math.log1p(total)], dtype=np.float64)


def _weights(placed: Placement) -> tuple[dict[str, float], float]:
    """Each region's weight of the places named, and their sum."""
    scores = dict(placed.scores)
    return scores, sum(scores.values())


def home_region(url: str | None, home: str | None, regions: Mapping[str, str]) -> str:
    """The region of the outlet's home country (``feeds.country``, else the link's host), or
    "" when it has none."""
    code = _home_code(url_host(url), home)
    return regions.get(code, gz.WORLD) if code else ""


@functools.lru_cache(maxsize=4096)
def _home_code(host: str, home: str | None) -> str:
    return gz.home_country(host, [], home)  # a few outlets, many stories: asked once each


@functools.cache
def load(path: Path = MODEL_FILE) -> TopicModel | None:
    """The packaged model, or None when the file is missing or not for these features."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        model = linear_model(raw, FEATURES)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if model is None or tuple(model.classes) != REGIONS:
        return None
    return model


@dataclass(frozen=True, slots=True)
class Opinion:
    region: str  # the model's most likely region
    probability: float  # ... and its probability
    agreement: float  # the probability it gives the rules' region


def opinions(
    model: TopicModel,
    vecs: Sequence[np.ndarray[Any, np.dtype[np.float32]]],
    placed: Sequence[Placement],
    homes: Sequence[str],
) -> list[Opinion]:
    """The model's opinion of each story (all at once: one matrix product)."""
    if not vecs:
        return []
    rest = np.stack([_rest(p, h) for p, h in zip(placed, homes, strict=True)])
    probs = model.probabilities(np.hstack([np.stack(vecs).astype(np.float64), rest]))
    out: list[Opinion] = []
    for row, p in zip(probs, placed, strict=True):
        best = int(np.argmax(row))
        mine = REGIONS.index(p.region) if p.region in REGIONS else best
        out.append(Opinion(REGIONS[best], float(row[best]), float(row[mine])))
    return out


def share(placed: Placement) -> float:
    """The rules' region's share of the weight of the places named (0.0 when no place was
    weighed; a rule that decided otherwise — a local desk, a feed category — still has the
    places' weights here, and a split among them counts the same)."""
    scores, total = _weights(placed)
    return scores.get(placed.region, 0.0) / total if total > 0 else 0.0


def second_opinion(placed: Placement, opinion: Opinion, regions: Mapping[str, str],
                   world: bool = True) -> Placement:
    """The rules' placement when the model agrees enough (MIN_AGREEMENT; SPLIT_AGREEMENT
    when the places named are split between regions); else the model's region when it is
    SURE of it; else World: a story the two read differently is more likely about several
    regions than about the one the rules picked. ``world=False`` (World is not a section,
    so a story sent there would be dropped): the rules' placement instead of World."""
    split = 0.0 < share(placed) < SPLIT
    if opinion.agreement >= (SPLIT_AGREEMENT if split else MIN_AGREEMENT):
        return placed
    evidence = placed.reasons[0] if placed.reasons else f"region {placed.region}"
    rest = placed.reasons[1:]
    if opinion.probability >= SURE and opinion.region not in (gz.WORLD, placed.region):
        # its countries first, for the kicker: the rules found them, the model weighed them
        mine = tuple(c for c in placed.countries if regions.get(c) == opinion.region)
        countries = (*mine, *(c for c in placed.countries if c not in mine))
        kicker = gz.COUNTRY_NAMES.get(mine[0]) if mine and mine[0] != "EU" else None
        why = (f"region {opinion.region}: the text model ({opinion.probability:.2f}) over "
               f"the place rules, which gave {placed.region} {opinion.agreement:.2f} "
               f"({evidence})")
        return Placement(opinion.region, countries, kicker, (why, *rest), placed.scores)
    if placed.region == gz.WORLD or not world:
        return placed
    doubt = (f"the places named are split ({share(placed):.0%} {placed.region})"
             if split else "the place rules and the text model disagree")
    said = f"{placed.region} {opinion.agreement:.2f}" + (
        "" if opinion.region == placed.region
        else f", {opinion.region} {opinion.probability:.2f}")
    why = f"region World: {doubt}; the text model gives {said} ({evidence})"
    return Placement(gz.WORLD, placed.countries, None, (why, *rest), placed.scores)
