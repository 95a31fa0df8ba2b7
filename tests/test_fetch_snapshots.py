"""bench/fetch_snapshots.py rebuilds the snapshot folders kept outside the repository from the
label files' headers: byte for byte from a real git repository (a local one here, standing in
for GitHub), and says what it could not fetch."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import fetch_snapshots

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FEED_A = "<?xml version='1.0'?>\r\n<rss><channel><title>Zürich\r\n</title></channel></rss>\r\n"
FEED_B = "<?xml version='1.0'?>\n<rss><channel><title>B</title></channel></rss>"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def archive(root: Path) -> str:
    """A repository owner/name under ``root`` with two feeds; its commit."""
    repo = root / "owner" / "name"
    (repo / "data" / "feeds").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "data" / "feeds" / "a_feed.xml").write_bytes(FEED_A.encode())
    (repo / "data" / "feeds" / "b_news.xml").write_bytes(FEED_B.encode())
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "snapshot")
    sha = git(repo, "rev-parse", "HEAD")
    (repo / "data" / "feeds" / "a_feed.xml").write_text("a later version")
    git(repo, "commit", "-q", "-am", "later")
    return sha


def header(sha: str, paths: str) -> str:
    return ("# HELD OUT (test set, sealed): labelled by reading. Folder 2026-01-01-archive "
            f"(snapshots from the public repository owner/name, commit {sha}, {paths}; kept "
            "outside the repository): Outlet A (a.xml, 1 items), Outlet B (b.xml, 1) — every "
            "item, 2 in all.\n# file\tref\tregion\tcountries\ttopic\tstory\n")


def labelled(tmp_path: Path, paths: str) -> tuple[str, Path]:
    """An archive repository and a labels folder whose one set names ``paths`` in it."""
    sha = archive(tmp_path / "remote")
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "2026-01-01-archive.tsv").write_text(header(sha, paths), encoding="utf-8")
    return sha, labels


def test_the_named_files_are_written_byte_for_byte_at_their_commit(tmp_path: Path) -> None:
    _, labels = labelled(tmp_path, "data/feeds/a_feed.xml, b_news.xml")
    out = tmp_path / "extra"
    problems = fetch_snapshots.fetch(out, str(tmp_path / "remote"), tmp_path / "cache", labels)
    assert problems == []
    folder = out / "2026-01-01-archive"
    assert (folder / "a.xml").read_bytes() == FEED_A.encode()  # CRLF and UTF-8 kept
    assert (folder / "b.xml").read_bytes() == FEED_B.encode()


def test_what_cannot_be_fetched_is_named_and_the_rest_is_written(tmp_path: Path) -> None:
    sha, labels = labelled(tmp_path, "data/feeds/a_feed.xml, gone.xml")
    (labels / "2026-01-02-elsewhere.tsv").write_text(
        header(sha, "data/feeds/a_feed.xml, b_news.xml").replace("owner/name", "owner/missing")
        .replace("2026-01-01-archive", "2026-01-02-elsewhere"), encoding="utf-8")
    out = tmp_path / "extra"
    problems = fetch_snapshots.fetch(out, str(tmp_path / "remote"), tmp_path / "cache", labels)
    assert len(problems) == 2
    assert problems[0].startswith(f"2026-01-01-archive.tsv: owner/name@{sha[:7]}:data/feeds/gone")
    assert problems[1].startswith("2026-01-02-elsewhere.tsv: cannot clone owner/missing")
    assert (out / "2026-01-01-archive" / "a.xml").read_bytes() == FEED_A.encode()


def test_every_archive_backed_label_file_names_its_files() -> None:
    found = 0
    for path in sorted(fetch_snapshots.LABELS.glob("*.tsv")):
        want = fetch_snapshots.wanted(path.read_text(encoding="utf-8").partition("\n")[0])
        if want is not None:
            found += 1
            assert want.files and len(want.sha) == 40, path.name
    assert found >= 11  # the wire archive's days and the Chinese archive


def test_a_snapshot_folder_still_being_filled_counts_as_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an extra folder made before its files are written is skipped, not read as a day
    import eval_grouping
    (tmp_path / "2026-01-01-archive").mkdir()
    monkeypatch.setenv("DIGEST_EXTRA_FEEDS", str(tmp_path))
    assert eval_grouping.day_dir(tmp_path / "none", "2026-01-01-archive") is None
    (tmp_path / "2026-01-01-archive" / "a.xml").write_text(FEED_B, encoding="utf-8")
    assert eval_grouping.day_dir(tmp_path / "none", "2026-01-01-archive") == (
        tmp_path / "2026-01-01-archive")


def test_only_evaluates_the_sets_it_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # --only 2026-09-03: the other days are neither read nor reported as skipped
    import eval_grouping
    monkeypatch.setenv("DIGEST_FEEDS_DIR", str(tmp_path))
    monkeypatch.setenv("DIGEST_EXTRA_FEEDS", "")
    assert eval_grouping.main(["--only", "2026-09-03"]) == 0
    err = capsys.readouterr().err
    skipped = {line.split()[1].rstrip(":") for line in err.splitlines() if line.startswith("SKIP")}
    assert skipped == {"2026-09-03-wirepool"}
    eval_grouping.main([])
    assert len({line.split()[1] for line in capsys.readouterr().err.splitlines()
                if line.startswith("SKIP")}) > 5
