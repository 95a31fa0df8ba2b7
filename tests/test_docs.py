"""Every command, option and config key is documented in README.md or docs/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from digest.cli import app
from digest.config import all_keys

ROOT = Path(__file__).resolve().parent.parent


def documentation() -> str:
    texts = [(ROOT / "README.md").read_text()]
    texts += [p.read_text() for p in sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(texts)


def commands(group: Any, prefix: str = "digest") -> Iterator[tuple[str, Any]]:
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, cmd
        if hasattr(cmd, "commands"):
            yield from commands(cmd, path)


def test_every_command_and_option_is_documented() -> None:
    docs = documentation()
    missing: list[str] = []
    for path, cmd in commands(typer.main.get_command(app)):
        if path not in docs:
            missing.append(path)
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help" and opt not in docs:
                    missing.append(f"{path} {opt}")
    assert not missing, f"not in README.md or docs/: {missing}"


def test_every_config_key_is_documented() -> None:
    docs = documentation()
    missing = [dotted for dotted in all_keys() if f"`{dotted}`" not in docs]
    assert not missing, f"config keys not in README.md or docs/: {missing}"


def test_the_sample_config_shows_every_key() -> None:
    sample = (ROOT / "config.toml").read_text()
    missing = [
        k for k in all_keys()
        if not re.search(rf"^\s*#?\s*{k.split('.', 1)[1]}\s*=", sample, re.M)
        and f"[{k}]" not in sample
    ]
    assert not missing, f"keys missing from config.toml: {missing}"
