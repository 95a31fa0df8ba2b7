"""Signed, unguessable tokens for one-click unsubscribe and preference links (itsdangerous).

Unsubscribe and preference links work for ever (RFC 8058: an old email's unsubscribe must
still unsubscribe). A confirmation link carries the moment it was made and works for
``confirm_valid`` (``web.confirm_expires_after``): an address confirmed from a months-old
email is no longer the reader's wish, and a leaked link stops working.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from babel.units import format_unit
from itsdangerous import (
    BadSignature,
    SignatureExpired,
    TimestampSigner,
    URLSafeSerializer,
    URLSafeTimedSerializer,
)

from digest.errors import InvalidInput, LinkExpired

UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"
CONFIRM = "confirm"
TIMED = frozenset({CONFIRM})  # the links that expire
CLOCK_SKEW = 300.0  # seconds a link may seem to come from the future (another host's clock)

Clock = Callable[[], float]  # seconds since the epoch, as time.time


class _Signer(TimestampSigner):
    """A timestamp signer reading the time from a given clock (tests, replays)."""

    def __init__(self, *args: Any, clock: Clock = time.time, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock

    def get_timestamp(self) -> int:
        return int(self._clock())


class Tokens:
    def __init__(self, secret: str, *, confirm_valid: dt.timedelta | None = None,
                 clock: Clock = time.time) -> None:
        """``confirm_valid``: how long a confirmation link works (None: for ever)."""
        if not secret:
            raise ValueError("an empty secret signs nothing")
        self._secret = secret
        self._confirm_valid = confirm_valid
        self._clock = clock
        self._serializers: dict[str, URLSafeSerializer] = {}
        self._timed: dict[str, URLSafeTimedSerializer] = {}

    def _s(self, purpose: str) -> URLSafeSerializer:
        s = self._serializers.get(purpose)
        if s is None:
            s = self._serializers[purpose] = URLSafeSerializer(self._secret, salt=purpose)
        return s

    def _t(self, purpose: str) -> URLSafeTimedSerializer:
        s = self._timed.get(purpose)
        if s is None:
            s = self._timed[purpose] = URLSafeTimedSerializer(
                self._secret, salt=f"{purpose}+time", signer=_Signer,
                signer_kwargs={"clock": self._clock})
        return s

    def make(self, purpose: str, subscriber_id: int) -> str:
        if purpose in TIMED:
            return str(self._t(purpose).dumps(subscriber_id))
        return str(self._s(purpose).dumps(subscriber_id))

    def check(self, purpose: str, token: str) -> int:
        """The subscriber id the token was made for; InvalidInput if forged or damaged,
        LinkExpired if it is a confirmation link past its time."""
        try:
            value = self._load(purpose, token)
        except SignatureExpired as e:
            ahead = e.date_signed.timestamp() - self._clock() if e.date_signed else 0.0
            if not 0 < ahead <= CLOCK_SKEW or e.payload is None:
                raise self._expired() from None
            value = self._t(purpose).load_payload(e.payload)  # made by a clock a bit ahead
        except BadSignature:
            old = self._untimed(purpose, token) if purpose in TIMED else None
            if old is not None:  # made before links carried their time
                if self._confirm_valid is None:  # links never expire: an old one is good
                    return old
                raise self._expired() from None
            raise InvalidInput(
                "this link is not valid (damaged or not made by this newsletter)"
            ) from None
        if not isinstance(value, int):
            raise InvalidInput("this link is not valid")
        return value

    def _load(self, purpose: str, token: str) -> Any:
        if purpose not in TIMED:
            return self._s(purpose).loads(token)
        valid = self._confirm_valid
        return self._t(purpose).loads(
            token, max_age=None if valid is None else int(valid.total_seconds()))

    def _untimed(self, purpose: str, token: str) -> int | None:
        """The subscriber id of a link made without its time, or None."""
        try:
            value = self._s(purpose).loads(token)
        except BadSignature:
            return None
        return value if isinstance(value, int) else None

    def _expired(self) -> LinkExpired:
        valid = self._confirm_valid
        days = f" (links work for {span(valid)})" if valid is not None else ""
        return LinkExpired(f"this confirmation link has expired{days}",
                           hint="subscribe again at /subscribe to get a new link")


def span(valid: dt.timedelta, locale: str = "en_GB") -> str:
    """A link's life in words, in the locale's language: "7 days", "7 Tage", "2 hours",
    "30 minutes"."""
    minutes = valid.total_seconds() / 60
    if minutes >= 24 * 60 and minutes % (24 * 60) == 0:
        return str(format_unit(int(minutes // (24 * 60)), "duration-day", locale=locale))
    if minutes >= 60:
        return str(format_unit(round(minutes / 60, 1), "duration-hour", locale=locale))
    return str(format_unit(round(minutes), "duration-minute", locale=locale))
