"""The JSON Midtrans writes: charge and status answers, notifications, their signature, and forgeries of them."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from bot.midtrans_sandbox.merchant import MERCHANT_ID
from bot.midtrans_sandbox.transactions import SETTLEMENT, STATUS_CODES, Transaction
from models.rules.calendar import WIB

# Kinds of forged notification: what a forger changes, and what stays signed; the last two break the body itself.
FORGERIES = ("signature", "amount", "status", "order_id", "status_only", "truncated", "oversized")
# An oversized notification carries this much padding: far above any sane limit (Midtrans' are about 1 KB).
OVERSIZED_PADDING = 2 * 1024 * 1024
_FOUND = "Success, transaction is found"


def midtrans_time(moment: datetime) -> str:
    """Midtrans' timestamps: WIB wall-clock time without an offset ("2026-12-04 09:00:00")."""
    return moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S")


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """sha512(order_id + status_code + gross_amount + server_key) in lowercase hex, over the strings as sent."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def _common(transaction: Transaction) -> dict[str, Any]:
    """The fields every answer about a transaction carries."""
    return {
        "transaction_id": transaction.transaction_id,
        "order_id": transaction.order_id,
        "merchant_id": MERCHANT_ID,
        "gross_amount": transaction.gross_amount_text,
        "currency": "IDR",
        "payment_type": "qris",
        "transaction_time": midtrans_time(transaction.transaction_time),
        "transaction_status": transaction.status,
        "fraud_status": "accept",
        "acquirer": transaction.acquirer,
        "expiry_time": midtrans_time(transaction.expiry_time),
    }


def charge_answer(transaction: Transaction, qr_code_url: str) -> dict[str, Any]:
    """The answer to a successful charge: status_code 201, the QRIS string and its generate-qr-code action."""
    return {
        "status_code": "201",
        "status_message": "QRIS transaction is created",
        **_common(transaction),
        "qr_string": transaction.qr_string,
        "actions": [{"name": "generate-qr-code", "method": "GET", "url": qr_code_url}],
    }


def status_answer(transaction: Transaction, message: str | None = None) -> dict[str, Any]:
    """The status API's answer (also what cancel and expire answer, with their own message)."""
    body = {
        "status_code": transaction.status_code,
        "status_message": message or _FOUND,
        **_common(transaction),
    }
    if transaction.settlement_time is not None:
        body["settlement_time"] = midtrans_time(transaction.settlement_time)
    return body


def notification(transaction: Transaction, server_key: str) -> dict[str, Any]:
    """The body POSTed to the notification URL about the transaction's current status, signed."""
    body = {
        **_common(transaction),
        "status_code": transaction.status_code,
        "status_message": "midtrans payment notification",
        "signature_key": signature(
            transaction.order_id, transaction.status_code, transaction.gross_amount_text, server_key
        ),
        "settlement_time": midtrans_time(transaction.settlement_time) if transaction.settlement_time else None,
    }
    if body["settlement_time"] is None:
        del body["settlement_time"]
    return body


def forge(body: dict[str, Any], kind: str, server_key: str, other_order_id: str | None = None) -> dict[str, Any]:
    """A forged copy of a notification; only 'status_only' keeps a signature that still verifies."""
    forged = dict(body)
    if kind == "signature":
        forged["signature_key"] = signature(
            body["order_id"], body["status_code"], body["gross_amount"], "forged-" + server_key
        )
    elif kind == "amount":
        forged["gross_amount"] = f"{int(float(body['gross_amount'])) + 1000}.00"
    elif kind == "status":
        status = "deny" if body["transaction_status"] == SETTLEMENT else SETTLEMENT
        forged["transaction_status"], forged["status_code"] = status, STATUS_CODES[status]
    elif kind == "order_id":
        forged["order_id"] = other_order_id or body["order_id"] + "-X"
    elif kind == "status_only":
        # transaction_status is not signed: this forgery verifies, which is why the bot asks the status API.
        forged["transaction_status"] = "deny" if body["transaction_status"] == SETTLEMENT else SETTLEMENT
    elif kind == "oversized":
        forged["padding"] = "x" * OVERSIZED_PADDING
    elif kind != "truncated":  # a truncated body is cut when encoded
        raise ValueError(f"unknown forgery {kind!r}; choose one of {', '.join(FORGERIES)}")
    return forged


def encode(body: dict[str, Any], forged: str | None = None) -> bytes:
    """The bytes POSTed for a notification: its JSON, cut in half when the forgery is 'truncated'."""
    data = json.dumps(body).encode("utf-8")
    return data[: len(data) // 2] if forged == "truncated" else data
