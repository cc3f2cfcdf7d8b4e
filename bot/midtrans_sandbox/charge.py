"""Reading a `POST /v2/charge` body the way Midtrans checks it: one validation message per broken rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.midtrans_sandbox.errors import invalid

ACQUIRERS = ("gopay", "airpay shopee")
# Bank Indonesia's ceiling for one QRIS payment; the bot splits larger orders into instalments.
QRIS_MAX_AMOUNT = 10_000_000
# Midtrans allows letters, digits and - _ ~ . in an order id of at most 50 characters.
_ORDER_ID = re.compile(r"[A-Za-z0-9\-_~.]{1,50}")
_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class ChargeRequest:
    """A QRIS charge that passed the checks."""

    order_id: str
    gross_amount: int
    acquirer: str
    expiry_time: datetime


def parse_charge(body: Any, now: datetime, default_expiry: timedelta) -> ChargeRequest:
    """Checks a charge body; raises the 400 answer that lists every broken rule."""
    if not isinstance(body, dict):
        raise invalid("request body must be a JSON object")
    problems: list[str] = []
    if body.get("payment_type") != "qris":
        problems.append("payment_type must be qris (the sandbox speaks QRIS only)")
    details = body.get("transaction_details")
    if not isinstance(details, dict):
        raise invalid(*problems, "transaction_details is required")
    order_id = details.get("order_id")
    if not isinstance(order_id, str) or not _ORDER_ID.fullmatch(order_id):
        problems.append("transaction_details.order_id must be 1 to 50 letters, digits or - _ ~ .")
    amount = details.get("gross_amount")
    problems.extend(_amount_problems(amount))
    acquirer = _acquirer(body.get("qris"), problems)
    expiry = _expiry_time(body.get("custom_expiry"), now, default_expiry, problems)
    if problems:
        raise invalid(*problems)
    assert isinstance(order_id, str) and isinstance(amount, int)
    return ChargeRequest(order_id, amount, acquirer, expiry)


def _amount_problems(amount: object) -> list[str]:
    """Whole rupiah only: a JSON integer from 1 to the QRIS ceiling."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        return ["transaction_details.gross_amount must be an integer (IDR has no decimals)"]
    if amount < 1:
        return ["transaction_details.gross_amount must be greater than or equal to 1"]
    if amount > QRIS_MAX_AMOUNT:
        return [f"transaction_details.gross_amount must be at most {QRIS_MAX_AMOUNT} for qris"]
    return []


def _acquirer(section: object, problems: list[str]) -> str:
    """The QRIS acquirer; Midtrans' default is gopay."""
    if section is None:
        return ACQUIRERS[0]
    acquirer = section.get("acquirer", ACQUIRERS[0]) if isinstance(section, dict) else None
    if acquirer not in ACQUIRERS:
        problems.append("qris.acquirer must be gopay or airpay shopee")
        return ACQUIRERS[0]
    return str(acquirer)


def _expiry_time(section: object, now: datetime, default: timedelta, problems: list[str]) -> datetime:
    """When the code stops being payable: custom_expiry's order_time plus its duration, else the default."""
    if section is None:
        return now + default
    if not isinstance(section, dict):
        problems.append("custom_expiry must be an object")
        return now + default
    start = now
    if "order_time" in section:
        try:
            start = datetime.strptime(str(section["order_time"]), "%Y-%m-%d %H:%M:%S %z")
        except ValueError:
            problems.append("custom_expiry.order_time must look like 2026-12-04 09:00:00 +0700")
    duration, unit = section.get("expiry_duration"), str(section.get("unit", "")).lower().removesuffix("s")
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 1:
        problems.append("custom_expiry.expiry_duration must be a positive integer")
        return now + default
    if unit not in _UNITS:
        problems.append("custom_expiry.unit must be second, minute, hour or day")
        return now + default
    return start + timedelta(seconds=duration * _UNITS[unit])
