"""One exception tree. The edges (CLI, web) turn these into exit codes and HTTP statuses.

    DigestError                  exit 1   anything the user can act on
    ├── ConfigError              exit 2   a bad or missing setting; names the dotted key
    ├── FeedError                         one feed failed; names the feed URL
    ├── StoreError                        the database is unreachable or inconsistent
    ├── TemplateError                     a Jinja or MJML error; names the file and line
    ├── ModelError                        the packaged text model cannot be loaded
    ├── NotFound                 HTTP 404 an edition, subscriber … that is not there
    ├── InvalidInput             HTTP 400 an address, CSV row, form field that is wrong
    └── DeliveryError                     a message that could not be handed over
        ├── TransientDeliveryError        4xx, connection trouble: retry later
        └── PermanentDeliveryError        5xx for a recipient: do not retry
"""

from __future__ import annotations


class DigestError(Exception):
    """Base class. ``str(err)`` is a one-line message; ``hint`` says what to do."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(DigestError):
    exit_code = 2

    def __init__(self, message: str, *, key: str = "", hint: str = "") -> None:
        super().__init__(f"{key}: {message}" if key else message, hint=hint)
        self.key = key


class FeedError(DigestError):
    def __init__(self, url: str, reason: str, *, hint: str = "") -> None:
        super().__init__(f"{url}: {reason}", hint=hint)
        self.url = url
        self.reason = reason


class StoreError(DigestError):
    pass


class ModelError(DigestError):
    pass


class TemplateError(DigestError):
    def __init__(self, message: str, *, file: str = "", line: int | None = None) -> None:
        where = file + (f":{line}" if line else "")
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.line = line
        self.detail = message


class NotFound(DigestError):
    http_status = 404


class InvalidInput(DigestError):
    exit_code = 2
    http_status = 400


class LinkExpired(InvalidInput):
    """A confirmation link older than ``web.confirm_expires_after``."""

    http_status = 410


class DeliveryError(DigestError):
    def __init__(self, message: str, *, recipient: str = "", code: int | None = None) -> None:
        super().__init__(f"{recipient}: {message}" if recipient else message)
        self.recipient = recipient
        self.code = code


class TransientDeliveryError(DeliveryError):
    pass


class PermanentDeliveryError(DeliveryError):
    def __init__(
        self, message: str, *, recipient: str = "", code: int | None = None,
        address_bad: bool = False,
    ) -> None:
        super().__init__(message, recipient=recipient, code=code)
        self.address_bad = address_bad  # the address itself was refused (RCPT 5xx)
