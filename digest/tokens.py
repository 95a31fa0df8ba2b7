"""Signed, unguessable tokens for one-click unsubscribe and preference links (itsdangerous)."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from digest.errors import InvalidInput

UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"
CONFIRM = "confirm"


class Tokens:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("an empty secret signs nothing")
        self._secret = secret
        self._serializers: dict[str, URLSafeSerializer] = {}

    def _s(self, purpose: str) -> URLSafeSerializer:
        s = self._serializers.get(purpose)
        if s is None:
            s = self._serializers[purpose] = URLSafeSerializer(self._secret, salt=purpose)
        return s

    def make(self, purpose: str, subscriber_id: int) -> str:
        return str(self._s(purpose).dumps(subscriber_id))

    def check(self, purpose: str, token: str) -> int:
        """The subscriber id the token was made for; InvalidInput if forged or damaged."""
        try:
            value = self._s(purpose).loads(token)
        except BadSignature:
            raise InvalidInput(
                "this link is not valid (damaged or not made by this newsletter)"
            ) from None
        if not isinstance(value, int):
            raise InvalidInput("this link is not valid")
        return value
