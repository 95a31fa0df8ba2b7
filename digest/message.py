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
from dataclasses import dataclass
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


def _qp(text: str) -> bytes:
    data = CRLF.join(text.splitlines()).encode("utf-8") + b"\r\n"
    return binascii.b2a_qp(data, istext=True)


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
    html_escape: bool = True

    def fill(self, who: Personal) -> bytes:
        text, html = self.text, self.html
        for placeholder, value in who.values.items():
            text = text.replace(placeholder, value)
            html = html.replace(placeholder, _html_attr(value) if self.html_escape else value)
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
                _qp(text),
                f"--{b}{CRLF}".encode(),
                (part % "html").encode(),
                _qp(html),
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
