"""Midtrans' error answers: a status_code and status_message in the body, the same code as the HTTP status."""

from __future__ import annotations

import uuid
from typing import Any


class MidtransError(Exception):
    """An error answer of the Core API, raised by a route and turned into Midtrans' JSON body."""

    def __init__(self, status_code: int, message: str, *, validation: list[str] | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.validation = validation

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Midtrans sends: status_code as a string, a message and a request id."""
        body: dict[str, Any] = {"status_code": str(self.status_code), "status_message": self.message}
        if self.validation:
            body["validation_messages"] = list(self.validation)
        body["id"] = str(uuid.uuid4())
        return body


class ControlError(Exception):
    """A control request the sandbox cannot do (unknown transaction, a status that cannot move)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def unauthorized() -> MidtransError:
    """The 401 for a wrong or missing server key."""
    return MidtransError(401, "Access denied due to unauthorized transaction, please check client or server key")


def invalid(*messages: str) -> MidtransError:
    """The 400 for a charge whose payload breaks a rule; each broken rule is one validation message."""
    return MidtransError(400, "One or more parameters in the payload is invalid.", validation=list(messages))


def not_found() -> MidtransError:
    """The 404 for an order id or transaction id Midtrans does not know."""
    return MidtransError(404, "Transaction doesn't exist.")


def duplicate_order_id() -> MidtransError:
    """The 406 for an order id that was charged before."""
    return MidtransError(406, "order_id has been paid and utilized, please use another order ID")


def cannot_update() -> MidtransError:
    """The 412 for a cancel or expire of a transaction that is no longer pending."""
    return MidtransError(412, "Transaction status cannot be updated.")


def server_error(status: int) -> MidtransError:
    """An injected 5xx answer."""
    return MidtransError(status, "Sorry. Our system is recovering from unexpected issues. Please retry.")
