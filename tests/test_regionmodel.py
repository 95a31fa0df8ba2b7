"""The region model's second opinion: the place rules' region, kept, corrected or doubted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from digest.compose import regionmodel
from digest.compose.classify import Placement, country_regions, place
from digest.types import Edition, Entry
from tests.test_topicmodel import build as build_edition
from tests.test_topicmodel import entry as made_entry
from tests.test_topicmodel import vector

REGIONS = country_regions({})
# An Indian business story that names the country it sells to: the rules weigh Iran
# (named in title and teaser) over India ("Indian", a demonym), the model reads whose news it is.
RICE = ("Indian rice exporters see strong demand from Iran",
        "Exporters in Andhra Pradesh said orders from Tehran had doubled since June.")
# Two countries of two regions, neither the clear subject: the rules' majority is thin.
CRUDE = ("Japanese refiners seek more crude from Saudi Arabia",
         "Tokyo buyers asked Riyadh for extra cargoes.")
SERBIA = ("Serbia gets Russian S-400 air defence system",
          "Belgrade said the system arrived on Tuesday.")


def opinion_of(title: str, teaser: str) -> tuple[Placement, regionmodel.Opinion]:
    model = regionmodel.load()
    assert model is not None and model.classes == regionmodel.REGIONS
    placed = place(title, teaser, (), None, REGIONS)
    (said,) = regionmodel.opinions(model, [vector(f"{title}. {teaser}")], [placed], [""])
    return placed, said


def test_the_model_places_a_story_by_whose_news_it_is_where_the_rules_weigh_wrong() -> None:
    placed, said = opinion_of(*RICE)
    assert placed.region == "Middle East"  # the rules alone
    assert said.region == "Asia" and said.probability >= regionmodel.SURE
    got = regionmodel.second_opinion(placed, said, REGIONS)
    assert got.region == "Asia"
    assert got.countries[0] == "IN" and got.kicker == "India"
    assert got.reasons[0].startswith("region Asia: the text model (0.")
    assert "the place rules, which gave Middle East" in got.reasons[0]


def test_a_thin_majority_the_model_doubts_goes_to_world() -> None:
    placed, said = opinion_of(*CRUDE)
    assert placed.region == "Middle East" and regionmodel.share(placed) < regionmodel.SPLIT
    got = regionmodel.second_opinion(placed, said, REGIONS)
    assert got.region == "World" and got.kicker is None
    assert got.reasons[0].startswith("region World: the places named are split (")
    assert set(got.countries) == {"JP", "SA"}


def test_a_clear_story_keeps_the_rules_region_and_reason() -> None:
    placed, said = opinion_of(*SERBIA)
    got = regionmodel.second_opinion(placed, said, REGIONS)
    assert got == placed
    assert got.region == "Europe" and got.kicker == "Serbia"
    assert "text model" not in got.reasons[0]


def made_up(region: str, scores: dict[str, float], countries: tuple[str, ...]) -> Placement:
    return Placement(region, countries, None, (f"region {region}: made up",),
                     tuple(scores.items()))


def test_the_thresholds_decide_as_documented() -> None:
    clear = made_up("Europe", {"Europe": 3.0, "Asia": 1.0}, ("FR", "CN"))
    split = made_up("Europe", {"Europe": 2.0, "Asia": 1.8}, ("FR", "CN"))
    lukewarm = regionmodel.Opinion("Europe", 0.5, 0.5)
    assert regionmodel.second_opinion(clear, lukewarm, REGIONS) == clear  # 0.5 >= 0.4
    assert regionmodel.second_opinion(split, lukewarm, REGIONS).region == "World"  # < 0.7
    assert regionmodel.second_opinion(split, regionmodel.Opinion("Europe", 0.75, 0.75),
                                      REGIONS) == split
    sure_asia = regionmodel.Opinion("Asia", 0.85, 0.1)
    moved = regionmodel.second_opinion(clear, sure_asia, REGIONS)
    assert (moved.region, moved.countries, moved.kicker) == ("Asia", ("CN", "FR"), "China")
    unsure_asia = regionmodel.Opinion("Asia", 0.6, 0.1)
    assert regionmodel.second_opinion(clear, unsure_asia, REGIONS).region == "World"
    # a story the rules send to World stays there unless the model is sure of a region
    world = made_up("World", {}, ())
    assert regionmodel.second_opinion(world, unsure_asia, REGIONS) == world
    assert regionmodel.second_opinion(world, regionmodel.Opinion("World", 0.9, 0.9),
                                      REGIONS) == world
    assert regionmodel.second_opinion(world, sure_asia, REGIONS).region == "Asia"
    # a region the rules decided without weighing (a desk, the outlet's home): 0.4 is enough
    home = made_up("Asia", {}, ("IN",))
    assert regionmodel.second_opinion(home, regionmodel.Opinion("Europe", 0.55, 0.45),
                                      REGIONS) == home


def build(entries: list[Entry], **cfg: object) -> Edition:
    return build_edition(entries, **{"group_by": "region", **cfg})


def test_an_edition_by_region_takes_the_second_opinion_and_says_so() -> None:
    edition = build([made_entry(*RICE, with_vector=True), made_entry(*CRUDE, with_vector=True),
                     made_entry(*SERBIA, with_vector=True)])
    where = {s.title: (section.name, s) for section in edition.sections for s in section.stories}
    name, rice = where[RICE[0]]
    assert name == "Asia" and rice.region == "Asia" and rice.kicker == "India"
    assert rice.reasons[0].startswith("region Asia: the text model")
    assert where[CRUDE[0]][0] == "World"
    assert where[SERBIA[0]][0] == "Europe"


def test_the_rules_alone_without_vectors_when_switched_off_or_with_own_regions() -> None:
    for edition in (build([made_entry(*RICE, with_vector=False)]),
                    build([made_entry(*RICE, with_vector=True)], text_model=False),
                    build([made_entry(*RICE, with_vector=True)],
                          regions={"Asia": ("IN", "CN", "JP")})):
        story = edition.stories[0]
        assert story.region == "Middle East", story.reasons
        assert "text model" not in story.reasons[0]


def test_a_missing_or_foreign_model_file_means_rules_alone(tmp_path: Path) -> None:
    assert regionmodel.load(tmp_path / "nothing.json") is None
    raw = json.loads(regionmodel.MODEL_FILE.read_text(encoding="utf-8"))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**raw, "classes": raw["classes"][::-1]}), encoding="utf-8")
    assert regionmodel.load(other) is None
    short = tmp_path / "short.json"
    short.write_text(json.dumps({**raw, "mean": raw["mean"][:10]}), encoding="utf-8")
    assert regionmodel.load(short) is None
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert regionmodel.load(tmp_path / "bad.json") is None


def test_the_benchmarks_policy_is_the_shipped_one() -> None:
    """bench/train_regions.py judges thresholds over arrays; it must decide as
    regionmodel.second_opinion does, or its figures describe another rule."""
    from bench.train_regions import WORLD, policy

    rng = np.random.default_rng(7)
    names = regionmodel.REGIONS
    knobs = (regionmodel.MIN_AGREEMENT, regionmodel.SPLIT, regionmodel.SPLIT_AGREEMENT,
             regionmodel.SURE)
    for _ in range(400):
        rule = int(rng.integers(len(names)))
        p = rng.dirichlet(np.full(len(names), 0.5))
        weighed = {names[rule]: float(rng.uniform(0.5, 3))} if rng.random() < 0.8 else {}
        if weighed and rng.random() < 0.6:
            weighed[names[(rule + 1) % len(names)]] = float(rng.uniform(0.5, 3))
        placed = made_up(names[rule], weighed, ())
        share = np.array([regionmodel.share(placed)])
        want = policy(np.array([rule]), p[None, :], share, *knobs)[0]
        best = int(np.argmax(p))
        said = regionmodel.Opinion(names[best], float(p[best]), float(p[rule]))
        got = regionmodel.second_opinion(placed, said, REGIONS).region
        assert got == names[int(want)], (placed, said)
    assert names[WORLD] == "World"


def test_without_a_world_section_doubt_keeps_the_rules_region_instead_of_dropping() -> None:
    regions_only = ("Germany", "Europe", "Americas", "Middle East", "Africa", "Asia", "Oceania")
    edition = build([made_entry(*CRUDE, with_vector=True), made_entry(*RICE, with_vector=True)],
                    sections=regions_only)
    where = {s.title: section.name for section in edition.sections for s in section.stories}
    assert where == {CRUDE[0]: "Middle East", RICE[0]: "Asia"}  # doubted: kept; sure: moved
    placed, said = opinion_of(*CRUDE)
    assert regionmodel.second_opinion(placed, said, REGIONS, world=False) == placed
