"""initData validation, pure: Telegram's signature over the sorted fields, its age, and each way to fail."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.web.miniapp import initdata
from bot.web.miniapp.initdata import BadHash, Expired, Malformed, MissingHash
from tests.miniapp.support import init_data, signed_contact

TOKEN = "123456:TEST-token_for-signing"
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def test_a_valid_init_data_names_its_user() -> None:
    user = initdata.validate(init_data(TOKEN, 1001, NOW, first_name="Siti"), TOKEN, NOW)
    assert (user.id, user.first_name, user.language_code) == (1001, "Siti", "id")


def test_the_check_string_is_the_sorted_decoded_pairs_as_telegram_documents() -> None:
    # Telegram's documented construction, written out independently of the module.
    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "AAHdF", "user": '{"id":7,"first_name":"Ana"}'}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    raw = urlencode({**fields, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()})
    assert initdata.validate(raw, TOKEN, NOW).id == 7


def test_a_changed_field_breaks_the_signature() -> None:
    fields = dict(parse_qsl(init_data(TOKEN, 1001, NOW)))
    fields["user"] = fields["user"].replace("1001", "1002")
    with pytest.raises(BadHash):
        initdata.validate(urlencode(fields), TOKEN, NOW)


def test_another_bots_token_does_not_validate() -> None:
    with pytest.raises(BadHash):
        initdata.validate(init_data("999:other-bot", 1001, NOW), TOKEN, NOW)


def test_a_string_older_than_a_day_is_expired_and_a_future_one_too() -> None:
    with pytest.raises(Expired):
        initdata.validate(init_data(TOKEN, 1001, NOW - timedelta(hours=24, seconds=1)), TOKEN, NOW)
    assert initdata.validate(init_data(TOKEN, 1001, NOW - timedelta(hours=23)), TOKEN, NOW).id == 1001
    with pytest.raises(Expired):
        initdata.validate(init_data(TOKEN, 1001, NOW + timedelta(minutes=5)), TOKEN, NOW)


def test_without_a_hash_it_is_unsigned() -> None:
    fields = dict(parse_qsl(init_data(TOKEN, 1001, NOW)))
    del fields["hash"]
    with pytest.raises(MissingHash):
        initdata.validate(urlencode(fields), TOKEN, NOW)


@pytest.mark.parametrize("raw", ["", "%%%", "a=1&a=2&hash=00", "x" * 9000])
def test_garbage_is_malformed_or_unsigned(raw: str) -> None:
    with pytest.raises(initdata.InitDataError):
        initdata.validate(raw, TOKEN, NOW)


def test_a_signed_string_without_a_user_is_malformed() -> None:
    raw = initdata.sign({"auth_date": str(int(NOW.timestamp())), "query_id": "x"}, TOKEN)
    with pytest.raises(Malformed):
        initdata.validate(raw, TOKEN, NOW)


def test_a_shared_contact_is_checked_the_same_way() -> None:
    contact = initdata.validate_contact(signed_contact(TOKEN, 1001, NOW), TOKEN, NOW)
    assert (contact.user_id, contact.phone_number) == (1001, "+6281234567890")
    with pytest.raises(BadHash):
        initdata.validate_contact(signed_contact("1:other", 1001, NOW), TOKEN, NOW)
