"""Rebuild the snapshot folders kept outside the repository, from the label files' headers.

Usage: python bench/fetch_snapshots.py OUT_DIR [--remote URL_BASE] [--cache DIR]

The evaluation sets taken from public feed archives (bench/labels/*.tsv whose first line says
"snapshots from the public repository OWNER/NAME, commit SHA, PATH, PATH …: Outlet
(local.xml, N items) …") keep their feed files outside the repository, because they are
third-party text. This script clones each named repository once (``git clone --filter=blob:none
--no-checkout``, into ``--cache``, default ~/.cache/digest-snapshots), writes every named
file at its commit byte for byte (``git show SHA:PATH``) into ``OUT_DIR/<folder>/<local
name>``, copies the files a header says are "as in shared/feeds/<folder>" from the snapshot
folder, and says what it could not do. Then ``DIGEST_EXTRA_FEEDS=OUT_DIR python
bench/eval_grouping.py`` evaluates those sets. ``--remote`` replaces https://github.com (a
mirror, or a local folder of repositories for the tests). It needs git and the network.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_grouping import LABELS, feeds_dir

_HEADER = re.compile(
    r"Folder (?P<folder>[\w.-]+) \(snapshots from the public repository (?P<repo>[\w.-]+/[\w.-]+),"
    r" commit (?P<sha>[0-9a-f]{40}), (?P<paths>[^;]+); kept outside the repository\): "
    r"(?P<outlets>.*?) — every item"
)
_LOCAL = re.compile(r"\(([\w.-]+\.xml), \d+")
_SHARED = re.compile(r"as in shared/feeds/([\w.-]+)")


@dataclass(frozen=True)
class Wanted:
    folder: str
    repo: str
    sha: str
    files: tuple[tuple[str, str], ...]  # (path in the repository, local name)


def wanted(header: str) -> Wanted | None:
    """What one label file's first line asks for, or None when it names no archive."""
    m = _HEADER.search(header)
    if m is None:
        return None
    paths = [p.strip() for p in re.split(r",| and ", m["paths"]) if p.strip()]
    base = paths[0].rpartition("/")[0]
    full = [p if "/" in p or not base else f"{base}/{p}" for p in paths]
    local = _LOCAL.findall(m["outlets"])
    if len(local) != len(full):
        raise ValueError(f"{m['folder']}: {len(full)} paths but {len(local)} local files")
    return Wanted(m["folder"], m["repo"], m["sha"], tuple(zip(full, local, strict=True)))


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], check=True, capture_output=True).stdout


def fetch(out: Path, remote: str, cache: Path, labels: Path = LABELS) -> list[str]:
    """Write every archive-backed folder into ``out``; returns the problems, one line each."""
    problems: list[str] = []
    clones: dict[str, Path] = {}
    shared = feeds_dir()
    for path in sorted(labels.glob("*.tsv")):
        header = path.read_text(encoding="utf-8").partition("\n")[0]
        try:
            want = wanted(header)
        except ValueError as e:
            problems.append(f"{path.name}: {e}")
            continue
        for folder in _SHARED.findall(header):
            target = out / path.stem.split(".")[0]
            source = shared / folder if shared else None
            if source is None or not source.is_dir():
                problems.append(f"{path.name}: shared/feeds/{folder} not found to copy from")
                continue
            target.mkdir(parents=True, exist_ok=True)
            for f in sorted(source.glob("*.xml")):
                if not (target / f.name).exists():
                    shutil.copyfile(f, target / f.name)
        if want is None:
            continue
        clone = clones.get(want.repo)
        if clone is None:
            clone = cache / want.repo.replace("/", "__")
            if not clone.is_dir():
                try:
                    _git("clone", "-q", "--filter=blob:none", "--no-checkout",
                         f"{remote.rstrip('/')}/{want.repo}", str(clone))
                except subprocess.CalledProcessError as e:
                    problems.append(f"{path.name}: cannot clone {want.repo}: "
                                    f"{e.stderr.decode(errors='replace').strip()}")
                    continue
            clones[want.repo] = clone
        target = out / want.folder
        target.mkdir(parents=True, exist_ok=True)
        for repo_path, local in want.files:
            try:
                data = _git("-C", str(clone), "show", f"{want.sha}:{repo_path}")
            except subprocess.CalledProcessError as e:
                problems.append(f"{path.name}: {want.repo}@{want.sha[:7]}:{repo_path}: "
                                f"{e.stderr.decode(errors='replace').strip()}")
                continue
            (target / local).write_bytes(data)
    return problems


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Rebuild the snapshot folders named by the "
                                 "label files' headers (see the module docstring).")
    ap.add_argument("out", type=Path, help="the folder to write (use it as DIGEST_EXTRA_FEEDS)")
    ap.add_argument("--remote", default="https://github.com",
                    help="where OWNER/NAME is cloned from")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "digest-snapshots",
                    help="where the clones are kept between runs")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    problems = fetch(args.out, args.remote, args.cache)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    folders = sorted(p.name for p in args.out.iterdir() if p.is_dir()) if args.out.is_dir() else []
    print(f"{len(folders)} folders in {args.out}: {', '.join(folders)}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
