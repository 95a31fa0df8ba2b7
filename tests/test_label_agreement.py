"""bench/label_agreement.py compares two labellers' same-story groups over one label set,
and the merge against each of them and against the pairs both join."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import label_agreement

from tests.test_eval_grouping import FERRY, FERRY_TOO, VOTE, WHY, ferry_day

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


GUIDED = """<item><title>{title}</title><link>https://{host}/{slug}</link><guid isPermaLink="false">
{guid}</guid><description>{teaser}</description><pubDate>{day} Sep 2025 {hour}:00:00 GMT</pubDate>
</item>"""
BUDGET = ("Kenya's parliament passes finance bill after all-night sitting",
          "Lawmakers in Nairobi approved the budget measures 190-70 on Thursday morning.")


def _guided(path: Path, host: str, items: list[tuple[str, str, str, str, str, str]]) -> None:
    body = "".join(GUIDED.format(host=host, slug=s, guid=g, title=t, teaser=d, day=day, hour=h)
                   for s, g, t, d, day, h in items)
    path.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>{host}</title>"
                    f"<link>https://{host}/</link>{body}</channel></rss>", encoding="utf-8")


def test_window_guids_empty_ids_and_what_only_one_reader_joins(tmp_path: Path) -> None:
    day = tmp_path / "2025-09-02-test"
    day.mkdir()
    _guided(day / "a.xml", "a.example", [
        ("ferry", "a-1", *FERRY, "02", "10"), ("why", "a-2", *WHY, "02", "11"),
        ("vote", "a-3", *VOTE, "02", "12"), ("budget", "a-4", *BUDGET, "02", "13"),
        # the same fire told again two days later: never in one edition with the others
        ("ferry-again", "a-5", *FERRY, "04", "20")])
    _guided(day / "b.xml", "b.example", [("ferry", "b-1", *FERRY_TOO, "02", "10")])
    (tmp_path / "first.tsv").write_text(
        "a.xml\thttps://a.example/ferry\tAsia\tID\tPolitics\tferry\n"
        "a.xml\ta-2\tAsia\tID\tPolitics\tferry\n"  # found by its guid
        "a.xml\thttps://a.example/vote\tAmericas\tCL\tPolitics\t\n"  # alone: no id
        "a.xml\thttps://a.example/budget\tAfrica\tKE\tPolitics\t\n"
        "a.xml\thttps://a.example/ferry-again\tAsia\tID\tPolitics\tferry\n"
        "b.xml\thttps://b.example/ferry\tAsia\tID\tPolitics\t\n", encoding="utf-8")
    (tmp_path / "second.tsv").write_text(
        "a.xml\thttps://a.example/ferry\tfire\na.xml\ta-2\tfire\n"
        "a.xml\thttps://a.example/ferry-again\tfire\nb.xml\thttps://b.example/ferry\tfire\n",
        encoding="utf-8")
    t = label_agreement.compare(day, tmp_path / "first.tsv", tmp_path / "second.tsv",
                                model=False)
    assert t.items == 6
    total = t.total()
    # within 36 h the first labels join ferry~why only (two empty ids are no story); the
    # second reader joins both ferry reports and the explainer
    assert (total.a, total.b, total.ab, total.either) == (1, 3, 1, 3)
    # the merge joins the two outlets' reports: a pair only the second reader joins
    assert (total.code, total.code_a, total.code_b, total.code_ab, total.code_either) == \
        (1, 0, 1, 0, 1)
    assert (t.two_feeds.b, t.two_feeds.code_b, t.one_feed.ab) == (2, 1, 1)
    assert any(d.startswith("both (apart): a.xml") and "Why Indonesia" in d
               for d in t.disagreements)
    assert any(d.startswith("second only (merged): ") for d in t.disagreements)


def test_a_second_file_with_a_missing_id_or_a_repeated_item_is_a_clear_error(
        tmp_path: Path) -> None:
    path = tmp_path / "second.tsv"
    path.write_text("a.xml\thttps://a.example/ferry\t\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"second\.tsv:1: expected file, link or guid, story"):
        label_agreement.read_second(path)
    path.write_text("a.xml\thttps://a.example/ferry\tx\na.xml\thttps://a.example/ferry/\ty\n",
                    encoding="utf-8")
    with pytest.raises(SystemExit, match=r"second\.tsv:2: .* is listed twice"):
        label_agreement.read_second(path)
