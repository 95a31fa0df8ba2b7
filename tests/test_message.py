"""Prepared messages: what a mail client and an SMTP server see."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage

import pytest

from digest.errors import InvalidInput
from digest.message import Personal, message_id, prepare

NOW = dt.datetime(2026, 11, 25, 18, 30, tzinfo=dt.UTC)


def parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def who(addr: str = "ann@example.org") -> Personal:
    return Personal(
        email=addr,
        message_id=message_id("Digest <digest@news.example>", "digest", 7, 1),
        unsubscribe_url="https://news.example/u/TOKEN",
        unsubscribe_mailto="mailto:unsubscribe@news.example?subject=unsubscribe%20TOKEN",
        values={"%%UNSUB%%": "https://news.example/u/TOKEN?a=1&b=2", "%%EMAIL%%": addr},
    )


def prepared(subject: str = "Evening Digest | 25.11.2026, 18:30 UTC") -> bytes:
    p = prepare(
        sender="Evening Digest <digest@news.example>",
        subject=subject,
        text="Hello %%EMAIL%%\nUnsubscribe: %%UNSUB%%\n" + "long line " * 40,
        html='<p>Grüße</p><a href="%%UNSUB%%">unsubscribe</a> ' + "x" * 300,
        date=NOW,
    )
    return p.fill(who())


def test_headers_and_parts() -> None:
    data = prepared()
    msg = parse(data)
    assert msg["From"] == "Evening Digest <digest@news.example>"
    assert msg["To"] == "ann@example.org"
    assert msg["Subject"] == "Evening Digest | 25.11.2026, 18:30 UTC"
    assert msg["Date"] == "Wed, 25 Nov 2026 18:30:00 +0000"
    assert msg["Message-ID"].endswith("@news.example>")
    assert msg["List-Unsubscribe"] == (
        "<https://news.example/u/TOKEN>, "
        "<mailto:unsubscribe@news.example?subject=unsubscribe%20TOKEN>"
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"]  # the richest last
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Hello ann@example.org" in text
    assert "Unsubscribe: https://news.example/u/TOKEN?a=1&b=2" in text
    assert 'href="https://news.example/u/TOKEN?a=1&amp;b=2"' in html
    assert "Grüße" in html


def test_wire_format_is_crlf_and_short_lines() -> None:
    data = prepared()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert data.isascii()


def test_non_ascii_subject_is_encoded_and_reads_back() -> None:
    msg = parse(prepared(subject="Abendausgabe | Grüße aus Köln"))
    assert msg["Subject"] == "Abendausgabe | Grüße aus Köln"


def test_control_characters_cannot_inject_headers() -> None:
    msg = parse(prepared(subject="Hi\r\nBcc: victim@example.org"))
    assert msg["Bcc"] is None
    assert msg["Subject"] == "Hi Bcc: victim@example.org"


def test_message_id_is_stable_per_edition_and_subscriber() -> None:
    a = message_id("d@news.example", "digest", "2026-11-25", 7, 1)
    assert a == message_id("d@news.example", "digest", "2026-11-25", 7, 1)
    assert a != message_id("d@news.example", "digest", "2026-11-25", 7, 2)


def test_a_bad_recipient_is_invalid_input() -> None:
    p = prepare(sender="d@news.example", subject="s", text="t", html="h", date=NOW)
    with pytest.raises(InvalidInput):
        p.fill(who("not an address"))
