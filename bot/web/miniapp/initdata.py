"""Telegram Mini App `initData` (and the signed contact of `requestContact`): validation and signing, pure.

Telegram signs what it hands a Mini App with the bot's token: secret = HMAC-SHA256(key="WebAppData", msg=token),
hash = hex HMAC-SHA256(key=secret, msg=data-check-string), where the data-check-string is every `key=value`
pair but `hash`, URL-decoded, sorted by key and joined by newlines. A valid signature proves Telegram made the
string for this bot; `auth_date` bounds how long a copied string stays usable. The user id of a request comes
from here alone, never from a request body. Each way to fail is its own error class.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

MAX_AGE = timedelta(hours=24)
FUTURE_SLACK = timedelta(minutes=1)  # clocks differ a little; a string from further ahead is forged
MAX_LENGTH = 8192  # Telegram's initData is well under 4 KB


class InitDataError(Exception):
    """The signed string cannot be trusted; nothing of it may be used."""

    code = "unauthorized"


class Malformed(InitDataError):
    """Not a query string of the expected fields (missing user, auth_date that is not a number, bad JSON)."""


class MissingHash(InitDataError):
    """No `hash` field: unsigned."""


class BadHash(InitDataError):
    """The signature does not match (a changed field, another bot's token, a forgery)."""


class Expired(InitDataError):
    """`auth_date` is more than 24 hours old, or ahead of the clock by more than a minute."""


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user a valid initData names."""

    id: int
    first_name: str
    last_name: str = ""
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        """First and last name, as Telegram shows them."""
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class SharedContact:
    """The phone a user shared through `WebApp.requestContact`, signed by Telegram."""

    user_id: int
    phone_number: str


def _secret(token: str) -> bytes:
    """The key Telegram derives from the bot token for Mini App signatures."""
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: Mapping[str, str]) -> str:
    """The sorted `key=value` lines of every field but `hash`."""
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def signature(fields: Mapping[str, str], token: str) -> str:
    """The hex hash Telegram puts on these fields for this bot."""
    return hmac.new(_secret(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()


def sign(fields: Mapping[str, Any], token: str) -> str:
    """A signed query string of the fields (dicts become JSON), as Telegram builds initData (tests, the demo)."""
    plain = {k: v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)
             for k, v in fields.items()}
    return urlencode({**plain, "hash": signature(plain, token)})


def verified_fields(raw: str, token: str, now: datetime) -> dict[str, str]:
    """The fields of a signed string once its hash and age are checked; an InitDataError otherwise."""
    if not raw or len(raw) > MAX_LENGTH:
        raise Malformed()
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise Malformed() from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Malformed()  # a key given twice: which one was signed is ambiguous
    given = fields.get("hash")
    if not given:
        raise MissingHash()
    if not hmac.compare_digest(given.encode(), signature(fields, token).encode()):
        raise BadHash()
    try:
        signed_at = datetime.fromtimestamp(int(fields.get("auth_date", "")), UTC)
    except (ValueError, OverflowError, OSError):
        raise Malformed() from None
    if now - signed_at > MAX_AGE or signed_at - now > FUTURE_SLACK:
        raise Expired()
    return fields


def _json_object(fields: Mapping[str, str], key: str) -> dict[str, Any]:
    """A JSON object field of a verified string."""
    try:
        value = json.loads(fields.get(key, ""))
    except ValueError:
        raise Malformed() from None
    if not isinstance(value, dict):
        raise Malformed()
    return value


def _user_id(value: object) -> int:
    """A positive Telegram user id."""
    if type(value) is not int or value <= 0:
        raise Malformed()
    return value


def validate(raw: str, token: str, now: datetime) -> WebAppUser:
    """The user of a Mini App's initData, after checking its signature and age."""
    user = _json_object(verified_fields(raw, token, now), "user")
    first = user.get("first_name")
    language = user.get("language_code")
    return WebAppUser(
        id=_user_id(user.get("id")),
        first_name=first if isinstance(first, str) else "",
        last_name=user["last_name"] if isinstance(user.get("last_name"), str) else "",
        language_code=language if isinstance(language, str) else None,
    )


def validate_contact(raw: str, token: str, now: datetime) -> SharedContact:
    """The contact of a `requestContact` answer, after checking its signature and age."""
    contact = _json_object(verified_fields(raw, token, now), "contact")
    phone = contact.get("phone_number")
    if not isinstance(phone, str) or not phone.strip():
        raise Malformed()
    return SharedContact(_user_id(contact.get("user_id")), phone.strip())
