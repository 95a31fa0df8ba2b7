"""Train the region model (text vector + the rules' place evidence → region) from the labels.

Usage: python bench/train_regions.py [--cv] [--write]
  --cv     leave-one-folder-out cross-validation: every item of one snapshot folder (all its
           label sets) is left out of training and judged; prints the rules alone and the rules
           with the model's second opinion at several agreement thresholds (region precision:
           right among items given a region other than World; coverage: given a specific
           region, of items that have one), overall and on the wire-service folders
  --write  trains on every labelled set except the sealed ones (eval_grouping.SEALED) and
           writes digest/data/regions/model.json, the file digest ships

The model is a multinomial logistic regression (L2, standardised features, plain gradient
descent: deterministic) over digest.compose.regionmodel.features: the entry's sentence vector
and what digest.compose.classify.place weighed. It is used as a second opinion only: the rules'
region stands when the model gives it regionmodel.MIN_AGREEMENT (SPLIT_AGREEMENT when that region
holds less than SPLIT of the places' weight); else the model's own region when it is SURE of it;
else World.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from eval_grouping import labelled_entries
from train_topics import fit, write_model

from digest.compose import _title, regionmodel, vectors
from digest.compose.classify import country_regions, place
from digest.compose.text import teaser_text
from digest.compose.topicmodel import linear_model

L2 = 0.1  # chosen by --cv (0.03 lets the model contradict the rules too often)
STEPS = 600
RATE = 1.0
REGIONS = regionmodel.REGIONS
WORLD = REGIONS.index("World")


def labelled_items() -> list[dict[str, Any]]:
    regions = country_regions({})
    out: list[dict[str, Any]] = []
    for name, lab, e, feed in labelled_entries():
        vec = vectors.decode(e.vector)
        assert vec is not None
        placed = place(_title(e), teaser_text(e), e.categories, e.url, regions, feed.country)
        home = regionmodel.home_region(e.url, feed.country, regions)
        out.append({"set": name, "folder": name.split(".")[0],
                    "x": regionmodel.features(vec, placed, home),
                    "y": REGIONS.index(lab.region), "rules": REGIONS.index(placed.region),
                    "share": regionmodel.share(placed)})
    return out


def train(x: np.ndarray, y: np.ndarray, l2: float = L2) -> dict[str, Any]:
    return fit(x, y, REGIONS, l2, STEPS, RATE)


def probabilities(raw: dict[str, Any], x: np.ndarray) -> np.ndarray:
    model = linear_model(raw, regionmodel.FEATURES)
    assert model is not None
    return model.probabilities(x)


def figures(pred: np.ndarray, y: np.ndarray) -> str:
    given, has = pred != WORLD, y != WORLD
    ok = int(np.sum(pred[given] == y[given]))
    return (f"precision {ok / max(1, int(given.sum())):.3f} ({ok}/{int(given.sum())})  "
            f"coverage {np.mean(given[has]):.3f} ({int(np.sum(given[has]))}/{int(has.sum())})")


def policy(rules: np.ndarray, p: np.ndarray, share: np.ndarray, least: float, split: float,
           split_least: float, sure: float) -> np.ndarray:
    """regionmodel.second_opinion over arrays: the rules' region where the model gives it at
    least ``least`` (``split_least`` where the region holds less than ``split`` of the
    places' weight); else the model's region where it is ``sure`` of it; else World."""
    agree = p[np.arange(len(rules)), rules]
    best, top = p.argmax(1), p.max(1)
    split_up = (share > 0) & (share < split)
    keep = agree >= np.where(split_up, split_least, least)
    switch = (top >= sure) & (best != WORLD)
    return np.where(keep, rules, np.where(switch, best, WORLD))


def cross_validate(items: list[dict[str, Any]], l2: float = L2) -> None:
    x = np.array([i["x"] for i in items])
    y = np.array([i["y"] for i in items])
    rules = np.array([i["rules"] for i in items])
    folders = np.array([i["folder"] for i in items])
    share = np.array([i["share"] for i in items])  # the rules' region's share of the places
    p = np.zeros((len(y), len(REGIONS)))
    for folder in sorted(set(folders)):
        out = folders == folder
        p[out] = probabilities(train(x[~out], y[~out], l2), x[out])
    wire = np.array(["wirepool" in f for f in folders])
    print(f"leave-one-folder-out, {len(y)} labelled items, {len(set(folders))} folders, "
          f"L2 {l2} (sealed sets not used; the rules were tuned on these items)")
    for name, m in (("all", np.ones(len(y), bool)), ("wire folders", wire),
                    ("other folders", ~wire)):
        if not m.any():
            continue
        print(f"  {name} ({int(m.sum())} items)")
        print(f"    rules alone                       {figures(rules[m], y[m])}")
        shipped = (regionmodel.MIN_AGREEMENT, regionmodel.SPLIT, regionmodel.SPLIT_AGREEMENT,
                   regionmodel.SURE)
        for knobs in ((0.4, 0.0, 0.4, 1.01), (0.5, 0.0, 0.5, 1.01), (0.4, 0.6, 0.7, 1.01),
                      (0.4, 0.6, 0.7, 0.9), shipped, (0.4, 0.6, 0.7, 0.7),
                      (0.5, 0.6, 0.7, 0.8), (0.4, 0.7, 0.7, 0.8)):
            mark = " (shipped)" if knobs == shipped else ""
            got = policy(rules, p, share, *knobs)
            print(f"    second opinion {'/'.join(f'{k:g}' for k in knobs):18s} "
                  f"{figures(got[m], y[m])}{mark}")
        for least in (0.6, 0.7):  # the baseline: a stricter majority of the evidence
            got = np.where((share >= least) | (share == 0), rules, WORLD)
            print(f"    rules' share at least {least:<4}        {figures(got[m], y[m])}")


def main(argv: list[str]) -> int:
    items = labelled_items()
    l2 = next((float(a.split("=")[1]) for a in argv if a.startswith("--l2=")), L2)
    if "--cv" in argv:
        cross_validate(items, l2)
    if "--write" in argv:
        x, y = np.array([i["x"] for i in items]), np.array([i["y"] for i in items])
        raw = train(x, y, l2)
        raw["trained_on"] = sorted({i["set"] for i in items})
        raw["about"] = (
            f"digest region model: logistic regression over {vectors.MODEL_NAME} sentence "
            f"vectors and the place rules' evidence; trained by bench/train_regions.py on "
            f"{len(items)} items labelled by the project ({dt.date.today().isoformat()})"
        )
        write_model(regionmodel.MODEL_FILE, raw, len(items))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
