"""What the web pages need besides HTTP: the page templates, the live-template version, the
chooser's query string. No FastAPI here."""

from __future__ import annotations

import datetime as dt
import hashlib
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from digest.errors import NotFound
from digest.preview import Reader
from digest.types import Subscriber

_HERE = Path(__file__).resolve().parent
_PACKAGED = _HERE.parent / "templates" / "web"  # an installed wheel
_CHECKOUT = _HERE.parent.parent / "templates" / "web"  # a source checkout


def web_templates() -> Path:
    """templates/web: the workbench and archive pages (never the configured email folder)."""
    for path in (_PACKAGED, _CHECKOUT):
        if (path / "workbench.html.j2").is_file():
            return path
    raise FileNotFoundError(f"no web templates in {_PACKAGED} or {_CHECKOUT}")


def page_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(web_templates())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters["kb"] = lambda n: f"{n / 1024:.1f} KB"
    return env


def templates_version(folder: Path) -> str:
    """Changes whenever a file under ``folder`` is added, removed or written."""
    h = hashlib.sha1(usedforsecurity=False)
    for path in sorted(folder.rglob("*")):
        try:
            st = path.stat()
        except OSError:  # removed while we looked
            continue
        if path.is_file():
            h.update(f"{path.relative_to(folder)}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return h.hexdigest()[:16]


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NotFound(
            f"no edition of {text!r}", hint="archive dates look like 2026-11-25"
        ) from None


@dataclass(frozen=True)
class Choice:
    """The workbench's chooser: a stored subscriber, or a set of sections (None: all)."""

    subscriber: int | None = None
    sections: frozenset[str] | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str], sections: Sequence[str]) -> Choice:
        raw = (query.get("subscriber") or "").strip()
        sub = int(raw) if raw.isdigit() else None
        chosen = frozenset(sections) if query.get("choose") else None
        return cls(sub, chosen)

    def reader(self, subscriber: Subscriber | None) -> Reader:
        if subscriber is not None:
            return Reader(subscriber.id, subscriber.email, subscriber.sections)
        return Reader(sections=self.sections)

    def query(self, **extra: str) -> str:
        pairs: list[tuple[str, str]] = []
        if self.subscriber is not None:
            pairs.append(("subscriber", str(self.subscriber)))
        if self.sections is not None:
            pairs.append(("choose", "1"))
            pairs += [("section", s) for s in sorted(self.sections)]
        pairs += list(extra.items())
        return urllib.parse.urlencode(pairs)


def form_values(body: bytes) -> dict[str, list[str]]:
    """An application/x-www-form-urlencoded body (no multipart needed for our forms)."""
    return urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def same_origin(origin: str | None, host: str | None) -> bool:
    """A form post from our own page (or from a client that sends no Origin, like curl):
    another site's page must not make the workbench send mail."""
    if not origin or origin == "null":
        return origin is None
    return urllib.parse.urlsplit(origin).netloc == (host or "")


def page(env: jinja2.Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render({"live": False, "version": "", **context})
