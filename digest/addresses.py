"""Email addresses typed by people: validated and normalised (email-validator), no DNS."""

from __future__ import annotations

import re
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email

from digest.errors import InvalidInput


def normalise_email(address: str) -> str:
    """One address, lower-cased and IDNA-encoded; InvalidInput saying why it is unusable."""
    try:
        result = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as e:
        raise InvalidInput(f"{address!r} is not a usable email address: {e}") from None
    return str(result.ascii_email or result.normalized).lower()


def split_addresses(values: Iterable[str]) -> list[str]:
    """Addresses as typed: separated by commas, semicolons, spaces or new lines."""
    return [a for v in values for a in re.split(r"[\s,;]+", v) if a]


def normalise_many(values: Iterable[str]) -> list[str]:
    """Every address valid (else InvalidInput naming the first bad one), duplicates dropped."""
    out: list[str] = []
    for raw in split_addresses(values):
        email = normalise_email(raw)
        if email not in out:
            out.append(email)
    if not out:
        raise InvalidInput("no address given", hint="give one or more email addresses")
    return out
