"""A small async client of Midtrans' Core API for QRIS: charge, status, cancel (`PaymentGateway`).

Not the official SDK: that one is synchronous and has no timeout. Every call has a timeout; status calls are
retried after a timeout or a 5xx. A charge is never repeated blindly: after a timeout or a 5xx the status API is
asked first whether the transaction exists (and its code is used), and a repeated charge carries the same
order_id, which Midtrans refuses as a duplicate (then the status API is asked again), so one instalment never
becomes two transactions. The server key is only ever in the Authorization header: no log line, error message or
exception text of this module contains it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import math
from typing import Any
from urllib.parse import quote

import aiohttp

from models.rules.calendar import to_wib
from models.services.gateway import (
    MIDTRANS,
    PENDING,
    ChargeRequest,
    CodeUnseen,
    GatewayError,
    GatewayStatus,
    IssuedCode,
)

log = logging.getLogger(__name__)
NOTIFICATION_PATH = "/payments/midtrans"
MAX_ANSWER = 256 * 1024  # Midtrans' answers are a few kilobytes


class MidtransClient:
    """Midtrans' Core API over HTTP (production, its sandbox, or the project's local sandbox)."""

    name = MIDTRANS

    def __init__(
        self, *, base_url: str, server_key: str, acquirer: str = "gopay", notification_url: str | None = None,
        charge_timeout: float = 10.0, status_timeout: float = 4.0, attempts: int = 3, backoff: float = 0.3,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.acquirer = acquirer
        self.notification_url = notification_url
        self.charge_timeout = charge_timeout
        self.status_timeout = status_timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        token = base64.b64encode(f"{server_key}:".encode()).decode("ascii")
        self._headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        """Closes the HTTP connections (the client opens them again when used)."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def _http(self) -> aiohttp.ClientSession:
        """The HTTP session, made on first use (inside the running event loop)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers=self._headers)
        return self._session

    async def _call(
        self, method: str, path: str, *, timeout: float, body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """One request: (HTTP status, JSON object answered); GatewayError for no answer or an unreadable one."""
        what = f"{method} {path}"
        try:
            async with self._http().request(
                method, self.base_url + path, json=body, headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                status = response.status
                if response.content_length is not None and response.content_length > MAX_ANSWER:
                    raise GatewayError(f"{what}: HTTP {status} with an answer over {MAX_ANSWER} bytes")
                raw = await response.read()
        except TimeoutError:
            raise GatewayError(f"{what}: no answer within {timeout:g} s") from None
        except aiohttp.ClientError as exc:
            raise GatewayError(f"{what}: {type(exc).__name__}") from None
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if status >= 500:
                return status, {}
            raise GatewayError(f"{what}: HTTP {status} with a body that is not a JSON object")
        return status, data

    async def status(self, order_id: str) -> GatewayStatus | None:
        """GET /v2/{order_id}/status, again after a timeout or a 5xx; None when Midtrans knows no such order."""
        path = f"/v2/{quote(order_id, safe='')}/status"
        failure = "no attempt"
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff * attempt)
            try:
                http, data = await self._call("GET", path, timeout=self.status_timeout)
            except GatewayError as exc:
                failure = str(exc)
                continue
            code = str(data.get("status_code", ""))
            if http == 404 or code == "404":
                return None
            if http >= 500 or code.startswith("5"):
                failure = f"GET {path}: HTTP {http}, status_code {code or '-'}"
                continue
            if http >= 400 or not data.get("transaction_status"):
                raise GatewayError(f"GET {path}: HTTP {http}, status_code {code or '-'}")
            return _status_of(data, order_id)
        raise GatewayError(f"{failure} (after {self.attempts} attempts)")

    def _charge_body(self, request: ChargeRequest) -> dict[str, Any]:
        """The charge request: QRIS for the exact amount, expiring at the payment deadline."""
        minutes = max(1, math.ceil((request.expires_at - request.issued_at).total_seconds() / 60))
        return {
            "payment_type": "qris",
            "transaction_details": {"order_id": request.order_id, "gross_amount": request.amount},
            "qris": {"acquirer": self.acquirer},
            "custom_expiry": {
                "order_time": to_wib(request.issued_at).strftime("%Y-%m-%d %H:%M:%S +0700"),
                "expiry_duration": minutes,
                "unit": "minute",
            },
        }

    async def create(self, request: ChargeRequest) -> IssuedCode:
        """POST /v2/charge; after a timeout, a 5xx or a duplicate order_id, the existing transaction's code is used."""
        headers = {"X-Override-Notification": self.notification_url} if self.notification_url else None
        failure = "no attempt"
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff * attempt)
                existing = await self._existing(request.order_id)
                if existing is not None:
                    return existing
            try:
                http, data = await self._call(
                    "POST", "/v2/charge", timeout=self.charge_timeout, body=self._charge_body(request), headers=headers
                )
            except GatewayError as exc:
                failure = str(exc)
                continue
            code = str(data.get("status_code", ""))
            qr = data.get("qr_string")
            if code == "201" and isinstance(qr, str) and qr:
                return IssuedCode(qr, _text(data.get("transaction_id")), str(data.get("transaction_status") or PENDING))
            if code == "406":  # the order_id exists: an earlier attempt did create it
                existing = await self._existing(request.order_id)
                if existing is not None:
                    return existing
                raise GatewayError(f"charge of {request.order_id}: duplicate order_id, and no open code for it")
            if http >= 500 or code.startswith("5"):
                failure = f"POST /v2/charge: HTTP {http}, status_code {code or '-'}"
                continue
            message = str(data.get("status_message", ""))[:120]
            raise GatewayError(f"charge of {request.order_id} refused: HTTP {http}, status_code {code}: {message}")
        raise GatewayError(f"charge of {request.order_id}: {failure} (after {self.attempts} attempts)")

    async def _existing(self, order_id: str) -> IssuedCode | None:
        """The open code of a transaction an earlier attempt may have created; None when there is none yet."""
        try:
            found = await self.status(order_id)
        except GatewayError as exc:
            log.info("status of %s unknown before charging again (%s): the same order_id is charged", order_id, exc)
            return None
        if found is None:
            return None
        if found.transaction_status == PENDING and found.qr_string:
            return IssuedCode(found.qr_string, found.transaction_id, PENDING)
        raise CodeUnseen(f"charge of {order_id}: the transaction exists as {found.transaction_status!r}, and the "
                         "status API does not repeat its QR string")

    async def cancel(self, order_id: str) -> GatewayStatus | None:
        """POST /v2/{order_id}/cancel; a transaction past cancelling (already expired or paid) says its status."""
        path = f"/v2/{quote(order_id, safe='')}/cancel"
        http, data = await self._call("POST", path, timeout=self.status_timeout)
        code = str(data.get("status_code", ""))
        if http == 404 or code == "404":
            return None
        if http >= 500 or code.startswith("5"):
            raise GatewayError(f"POST {path}: HTTP {http}, status_code {code or '-'}")
        if code == "200" and data.get("transaction_status"):
            return _status_of(data, order_id)
        return await self.status(order_id)  # 412 and the like: it cannot be cancelled; say what it is


def _text(value: object) -> str | None:
    """A string field as sent, or None."""
    return value if isinstance(value, str) and value else None


def _status_of(data: dict[str, Any], order_id: str) -> GatewayStatus:
    """A status answer as the domain reads it, with the strings as Midtrans sent them."""
    return GatewayStatus(
        order_id=_text(data.get("order_id")) or order_id,
        transaction_status=str(data.get("transaction_status", "")),
        status_code=str(data.get("status_code", "")),
        gross_amount=str(data.get("gross_amount", "")),
        transaction_id=_text(data.get("transaction_id")),
        fraud_status=_text(data.get("fraud_status")),
        qr_string=_text(data.get("qr_string")),
    )
