"""MIME messages as prepared bytes: built once per edition and section choice, filled per person.

Building an ``EmailMessage`` per recipient costs milliseconds; here the headers that are the
same for everyone are encoded once, and each subscriber costs a few string replacements and
one C-speed quoted-printable encoding of each part. Line endings are CRLF throughout, as
SMTP servers such as aiosmtpd require.
"""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr

from digest.errors import InvalidInput

CRLF = "\r\n"


def _clean_header(value: str) -> str:
    """Header values never carry CR, LF or other control characters."""
    return " ".join("".join(ch if ch >= " " else " " for ch in value).split())


def encode_header(value: str) -> str:
    value = _clean_header(value)
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=998).encode(linesep=CRLF)


def encode_address(value: str) -> str:
    name, addr = parseaddr(value)
    if not addr or "@" not in addr:
        raise InvalidInput(f"{value!r} is not an email address")
    return formataddr((_clean_header(name), addr), charset="utf-8")


def domain_of(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


def _qp_line(line: str) -> bytes:
    # With a CRLF present, b2a_qp writes its soft line breaks as "=\r\n" too.
    return binascii.b2a_qp(line.encode("utf-8") + b"\r\n", istext=True)[:-2]


class _EncodedBody:
    """A part's quoted-printable lines, encoded once; only lines with a placeholder are
    encoded again per subscriber (quoted-printable works line by line)."""

    def __init__(self, text: str) -> None:
        self.lines: list[bytes | str] = [
            line if MARK in line else _qp_line(line) for line in text.splitlines()
        ]

    def fill(self, values: dict[str, str]) -> bytes:
        out: list[bytes] = []
        for line in self.lines:
            if isinstance(line, str):
                for placeholder, value in values.items():
                    line = line.replace(placeholder, value)
                line = _qp_line(line)
            out.append(line)
        out.append(b"")
        return b"\r\n".join(out)


MARK = "%%"  # every placeholder starts with it


@dataclass(frozen=True)
class Personal:
    """What differs between two subscribers' copies."""

    email: str
    message_id: str
    unsubscribe_url: str
    unsubscribe_mailto: str
    values: dict[str, str]  # placeholder → value, in both parts


@dataclass(frozen=True)
class PreparedMessage:
    """One edition (and section choice) ready to be filled for each subscriber."""

    head: str  # headers common to everyone, CRLF-terminated
    boundary: str
    text: str  # with placeholders
    html: str  # with placeholders
    _text: _EncodedBody = field(init=False, repr=False, compare=False)
    _html: _EncodedBody = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_text", _EncodedBody(self.text))
        object.__setattr__(self, "_html", _EncodedBody(self.html))

    def fill(self, who: Personal) -> bytes:
        html_values = {k: _html_attr(v) for k, v in who.values.items()}
        unsubscribe = f"<{who.unsubscribe_url}>"
        if who.unsubscribe_mailto:
            unsubscribe += f",{CRLF} <{who.unsubscribe_mailto}>"
        head = (
            f"To: {encode_address(who.email)}{CRLF}"
            f"Message-ID: {who.message_id}{CRLF}"
            f"List-Unsubscribe: {unsubscribe}{CRLF}"
            f"List-Unsubscribe-Post: List-Unsubscribe=One-Click{CRLF}"
        )
        b = self.boundary
        part = f"Content-Type: text/%s; charset=utf-8{CRLF}" \
            f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
        return b"".join(
            (
                (self.head + head + CRLF).encode("ascii"),
                f"--{b}{CRLF}".encode(),
                (part % "plain").encode(),
                self._text.fill(who.values),
                f"--{b}{CRLF}".encode(),
                (part % "html").encode(),
                self._html.fill(html_values),
                f"--{b}--{CRLF}".encode(),
            )
        )


def _html_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def prepare(
    *,
    sender: str,
    subject: str,
    text: str,
    html: str,
    date: dt.datetime,
    reply_to: str = "",
    extra_headers: dict[str, str] | None = None,
) -> PreparedMessage:
    boundary = "=_digest_" + secrets.token_hex(12)
    lines = [
        f"From: {encode_address(sender)}",
        f"Subject: {encode_header(subject)}",
        f"Date: {format_datetime(date.astimezone(dt.UTC))}",
        "MIME-Version: 1.0",
    ]
    if reply_to:
        lines.append(f"Reply-To: {encode_address(reply_to)}")
    for name, value in (extra_headers or {}).items():
        lines.append(f"{name}: {encode_header(value)}")
    lines.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
    return PreparedMessage(CRLF.join(lines) + CRLF, boundary, text, html)


def message_id(sender: str, *parts: object) -> str:
    """A Message-ID on the sender's domain, the same for the same edition and subscriber."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:16]
    return f"<{'.'.join(map(str, parts))}.{digest}@{domain_of(sender)}>"
