"""bench/label_agreement.py compares two labellers' same-story groups over one label set,
and the merge against each of them and against the pairs both join."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import label_agreement

from tests.test_eval_grouping import ferry_day

FIRST = """# file\tref\tregion\tcountries\ttopic\tstory
a.xml\thttps://a.example/ferry\tAsia\tID\tPolitics\tferry
a.xml\thttps://a.example/why\tAsia\tID\tPolitics\tferry
a.xml\thttps://a.example/vote\tAmericas\tCL\tPolitics\t
b.xml\thttps://b.example/ferry\tAsia\tID\tPolitics\tferry
"""


def test_the_second_labeller_and_the_merge_are_counted_against_the_first(
        tmp_path: Path) -> None:
    day = ferry_day(tmp_path)
    (tmp_path / "first.tsv").write_text(FIRST, encoding="utf-8")
    # the second reader keeps the explainer apart and joins the two ferry reports
    (tmp_path / "second.tsv").write_text(
        "a.xml\thttps://a.example/ferry\tsulawesi_fire\n"
        "b.xml\thttps://b.example/ferry\tsulawesi_fire\n", encoding="utf-8")
    t = label_agreement.compare(day, tmp_path / "first.tsv", tmp_path / "second.tsv",
                                model=False)
    assert t.items == 4
    total = t.total()
    # first: ferry~ferry, ferry~why (one feed), ferry_b~why; second: ferry~ferry only
    assert (total.a, total.b, total.ab, total.either) == (3, 1, 1, 3)
    # the merge joins the two reports and keeps the explainer apart
    assert (total.code, total.code_a, total.code_b, total.code_ab) == (1, 1, 1, 1)
    assert (t.one_feed.a, t.one_feed.b, t.one_feed.code) == (1, 0, 0)
    lines = label_agreement.report("test", t)
    assert "    second against first:  precision 1.000 (1/1), recall 0.333 (1/3)" in lines
    assert ("    merge, both labellers: recall of the pairs both join 1.000 (1/1), "
            "precision (wrong only if neither joins) 1.000 (1/1)") in lines
    # the explainer is where the two readers differ, and the merge sides with the second
    assert any(d.startswith("first only (apart): a.xml") and "Why Indonesia" in d
               for d in t.disagreements)


def test_an_item_the_first_labels_do_not_have_is_a_clear_error(tmp_path: Path) -> None:
    day = ferry_day(tmp_path)
    (tmp_path / "first.tsv").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.tsv").write_text("a.xml\thttps://a.example/nothing\tx\n",
                                         encoding="utf-8")
    with pytest.raises(SystemExit, match=r"second\.tsv: 1 item\(s\) not in first\.tsv"):
        label_agreement.compare(day, tmp_path / "first.tsv", tmp_path / "second.tsv",
                                model=False)
