"""How far two people agree on which items tell the same story, and how the merge does
against each of them and against what both say.

Usage: python bench/label_agreement.py [-v] [--rules] [--only TEXT]

A second labeller, who saw neither the first labels nor anything the code made, grouped the
items of some label sets again from the same definition (docs/grouping.md, "What counts as
the same story"). Their groups are in ``bench/labels/second/<set>.tsv`` (file, link or guid,
story id; an item alone is not listed). For every pair of labelled items published at most
36 hours apart (as ``eval_grouping.py`` judges them) this prints:

- how often the two labellers agree: the pairs each joins, the pairs both join, and the
  second labeller's precision and recall taken against the first (a person's "score" on the
  first labels, the ceiling a merge can be expected to reach against them);
- the merge's precision and recall against the first labels, against the second, and on
  the pairs both join (recall) or either joins (precision: a pair is wrong only when
  neither labeller joins it). ``--rules``: the merge without the text model.

Each is split into two items of one feed and items of two feeds. ``-v`` lists the pairs
the labellers disagree on, and those both join that the merge keeps apart. The snapshots
are found as for ``eval_grouping.py`` (``shared/feeds``, ``DIGEST_EXTRA_FEEDS``); a set
whose snapshots are missing is skipped.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_grouping import (
    LABELS,
    PAIR_WINDOW,
    TUNED,
    _chosen,
    _grouped,
    _ratio,
    day_dir,
    entry_keys,
    feeds_dir,
    normal_ref,
    read_labels,
)

from digest.compose.cluster import when

SECOND = LABELS / "second"


@dataclass
class Counts:
    """Pair counts for one kind of pair (one feed, or two feeds)."""

    a: int = 0  # first labeller joins
    b: int = 0  # second labeller joins
    ab: int = 0  # both join
    either: int = 0  # either joins
    code: int = 0  # the merge joins
    code_a: int = 0
    code_b: int = 0
    code_ab: int = 0
    code_either: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Agreement:
    items: int = 0
    one_feed: Counts = field(default_factory=Counts)
    two_feeds: Counts = field(default_factory=Counts)
    disagreements: list[str] = field(default_factory=list)

    def add(self, other: Agreement) -> None:
        self.items += other.items
        self.one_feed.add(other.one_feed)
        self.two_feeds.add(other.two_feeds)
        self.disagreements += other.disagreements

    def total(self) -> Counts:
        c = Counts()
        c.add(self.one_feed)
        c.add(self.two_feeds)
        return c


def read_second(path: Path) -> dict[tuple[str, str], str]:
    """A second reader's groups: (file, normalised link or guid) → story id. A line that is not
    three tab-separated fields, has no story id, or names an item twice is a clear error."""
    out: dict[tuple[str, str], str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[2].strip():
            raise SystemExit(f"{path}:{n}: expected file, link or guid, story id (three fields "
                             "separated by tabs); an item that is alone is left out")
        key = (fields[0], normal_ref(fields[1]))
        if key in out:
            raise SystemExit(f"{path}:{n}: {fields[1]} is listed twice; keep one line per item")
        out[key] = fields[2].strip()
    return out


def compare(day: Path, first_file: Path, second_file: Path, *, model: bool = True) -> Agreement:
    """Both labellers and the merge over one label set: ``first_file`` is its per-item label
    file, ``second_file`` the second labeller's groups, ``day`` the snapshot folder. Each
    labelled item counts once, found by its link or else its guid, as in ``eval_grouping``."""
    first = {(lab.file, normal_ref(lab.ref)): lab.story for lab in read_labels(first_file)}
    other = read_second(second_file)
    unknown = [k for k in other if k not in first]
    if unknown:
        raise SystemExit(f"{second_file}: {len(unknown)} item(s) not in {first_file.name}, "
                         f"e.g. {unknown[0]}; fix the file (items are named as in the first "
                         "labels: file, link or guid)")
    items = []  # (file, first story, second story, story index, when, title)
    seen: set[tuple[str, str]] = set()  # a feed that repeats an item: counted once
    for n, (_, group) in enumerate(_grouped(day, model)):
        for e in group:
            key = next((k for k in entry_keys(e) if k in first), None)
            if key is not None and key not in seen:
                seen.add(key)
                items.append((key[0], first[key], other.get(key, ""), n, when(e), e.title))
    out = Agreement(items=len(items))
    for x, y in combinations(items, 2):
        if abs(x[4] - y[4]) > PAIR_WINDOW:
            continue
        a = bool(x[1]) and x[1] == y[1]
        b = bool(x[2]) and x[2] == y[2]
        code = x[3] == y[3]
        c = out.one_feed if x[0] == y[0] else out.two_feeds
        c.a += a
        c.b += b
        c.ab += a and b
        c.either += a or b
        c.code += code
        c.code_a += code and a
        c.code_b += code and b
        c.code_ab += code and a and b
        c.code_either += code and (a or b)
        if a != b or (a and not code):
            who = "both" if a == b else "first only" if a else "second only"
            merged = "merged" if code else "apart"
            out.disagreements.append(f"{who} ({merged}): {x[0]} {x[5][:60]!r} ~ "
                                     f"{y[0]} {y[5][:60]!r}")
    return out


def lines(label: str, c: Counts) -> list[str]:
    return [
        f"  {label}: first {c.a} pairs, second {c.b}, both {c.ab}",
        f"    second against first:  precision {_ratio(c.ab, c.b)}, recall {_ratio(c.ab, c.a)}",
        f"    merge against first:   precision {_ratio(c.code_a, c.code)}, "
        f"recall {_ratio(c.code_a, c.a)}",
        f"    merge against second:  precision {_ratio(c.code_b, c.code)}, "
        f"recall {_ratio(c.code_b, c.b)}",
        f"    merge, both labellers: recall of the pairs both join {_ratio(c.code_ab, c.ab)}, "
        f"precision (wrong only if neither joins) {_ratio(c.code_either, c.code)}",
    ]


def report(name: str, t: Agreement) -> list[str]:
    return [f"== {name}: {t.items} items",
            *lines("all pairs", t.total()),
            *lines("two items of one feed", t.one_feed),
            *lines("items of two feeds", t.two_feeds)]


def main(argv: list[str]) -> int:
    root = feeds_dir()
    if root is None:
        return 0
    totals = {"tuned": Agreement(), "held-out": Agreement()}
    for second in sorted(SECOND.glob("*.tsv")):
        name = second.stem
        if not _chosen(name, argv):
            continue
        day = day_dir(root, name.split(".")[0])
        if day is None:
            print(f"SKIP {name}: its snapshots are not here (see eval_grouping.py)",
                  file=sys.stderr)
            continue
        if not (LABELS / f"{name}.tsv").is_file():
            print(f"SKIP {name}: no first labels bench/labels/{name}.tsv to compare with",
                  file=sys.stderr)
            continue
        t = compare(day, LABELS / f"{name}.tsv", second, model="--rules" not in argv)
        split = "tuned" if name in TUNED else "held-out"
        totals[split].add(t)
        print("\n".join(report(f"{name} [{split}]", t)))
        if "-v" in argv:
            print("\n".join(f"    {d}" for d in t.disagreements))
    every = Agreement()
    for split, t in totals.items():
        if t.items:
            print("\n".join(report(f"ALL {split.upper()}", t)))
            every.add(t)
    if every.items:
        print("\n".join(report("ALL", every)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
