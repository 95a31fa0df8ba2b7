"""bench/eval_grouping.py judges an edition's grouping against labels: over a folder of the
project's own feed files, its same-story pairs are counted in all, and apart for two items of
one feed and for items of two feeds (the issue asks one feed to merge repeats, and outlets
to merge every telling of an event, so the two are read apart)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import eval_grouping

ITEM = """<item><title>{title}</title><link>https://{host}/{slug}</link>
<description>{teaser}</description><pubDate>Tue, 02 Sep 2025 {hour}:00:00 GMT</pubDate></item>"""


def feed(path: Path, host: str, items: list[tuple[str, str, str, str]]) -> None:
    body = "".join(ITEM.format(host=host, slug=s, title=t, teaser=d, hour=h)
                   for s, t, d, h in items)
    path.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>{host}</title>"
                    f"<link>https://{host}/</link>{body}</channel></rss>", encoding="utf-8")


FERRY = ("Ferry fire off Sulawesi kills 12 as passengers jump into the sea",
         "A fire broke out on the passenger ferry KM Lestari Maju near Sulawesi on Tuesday, "
         "killing 12 people; rescuers pulled 180 survivors from the water near Makassar.")
FERRY_TOO = ("Sulawesi ferry fire: 12 dead, 180 rescued from KM Lestari Maju",
             "Twelve people died when fire swept the ferry KM Lestari Maju off Sulawesi on "
             "Tuesday; 180 passengers were rescued near Makassar, officials said.")
WHY = ("Why Indonesia's ferries keep burning", "Old boats, overloading and lax checks "
       "explain a long record of disasters at sea, experts say.")
VOTE = ("Chile's senate approves pension reform after two years of talks",
        "Senators in Valparaiso voted 40-3 for the overhaul of Chile's private pension system.")


def ferry_day(tmp_path: Path) -> Path:
    """A folder of two feeds: a.xml reports the ferry fire, explains it and a vote; b.xml
    reports the fire too."""
    day = tmp_path / "2025-09-02-test"
    day.mkdir()
    feed(day / "a.xml", "a.example", [("ferry", *FERRY, "10"), ("why", *WHY, "11"),
                                      ("vote", *VOTE, "12")])
    feed(day / "b.xml", "b.example", [("ferry", *FERRY_TOO, "10")])
    return day


def test_pairs_are_counted_for_one_feed_and_for_two_feeds(tmp_path: Path) -> None:
    day = ferry_day(tmp_path)
    labels = [
        eval_grouping.Label("a.xml", "https://a.example/ferry", "Asia", ("ID",), "World",
                            "ferry"),
        # one outlet's explainer of the same event: one story by the labels' definition
        eval_grouping.Label("a.xml", "https://a.example/why", "Asia", ("ID",), "World",
                            "ferry"),
        eval_grouping.Label("a.xml", "https://a.example/vote", "Americas", ("CL",), "Politics",
                            "vote"),
        eval_grouping.Label("b.xml", "https://b.example/ferry", "Asia", ("ID",), "World",
                            "ferry"),
    ]
    t = eval_grouping.evaluate_day(day, labels, model=False)
    assert t.found == 4
    # the two outlets' ferry reports are one story; the explainer stays apart
    assert (t.pairs_true, t.pairs_ok) == (3, 1)
    assert (t.feed_pairs_true, t.feed_pairs_pred, t.feed_pairs_ok) == (1, 0, 0)
    lines = eval_grouping.report("test", t)
    assert "    two items of one feed:    precision n/a (0/0), recall 0.000 (0/1)" in lines
    assert "    items of two feeds:       precision 1.000 (1/1), recall 0.500 (1/2)" in lines


def test_cross_outlet_pairs_are_summed_over_the_held_out_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    labels, feeds = tmp_path / "labels", tmp_path / "feeds"
    labels.mkdir()
    for day, hour in (("2025-09-02-one", "10"), ("2025-09-03-two", "11")):
        (feeds / day).mkdir(parents=True)
        feed(feeds / day / "a.xml", "a.example", [("ferry", *FERRY, hour), ("vote", *VOTE, hour)])
        feed(feeds / day / "b.xml", "b.example", [("ferry", *FERRY_TOO, hour),
                                                  ("why", *WHY, hour)])
        # the ferry told by both outlets, and b's explainer labelled part of it
        (labels / f"{day}.cross.tsv").write_text(
            "# file\tref\tstory\n"
            "a.xml\thttps://a.example/ferry\tferry\n"
            "b.xml\thttps://b.example/ferry\tferry\n"
            "b.xml\thttps://b.example/why\tferry\n", encoding="utf-8")
    monkeypatch.setattr(eval_grouping, "LABELS", labels)
    monkeypatch.setattr(eval_grouping, "CROSS_TUNED", ("2025-09-02-one.cross",))
    monkeypatch.setenv("DIGEST_EXTRA_FEEDS", "")
    eval_grouping.cross(feeds, [], model=False, verbose=False)
    out = capsys.readouterr().out
    tuned = out.split("== ALL TUNED cross-outlet (2025-09-02-one.cross)\n")[1]
    assert tuned.startswith("  cross-outlet pairs precision: 1.000 (1/1)\n"
                            "  cross-outlet pairs recall:    0.500 (1/2)\n")
    held = out.split("== ALL HELD-OUT cross-outlet (2025-09-03-two.cross)\n")[1]
    assert held.startswith("  cross-outlet pairs precision: 1.000 (1/1)\n")
