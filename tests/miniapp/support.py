"""A Mini App client for tests: signs initData for an emulator user with the bot's token, as Telegram does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.web.miniapp.initdata import sign
from tests.web.support import WebBot


def init_data(token: str, user_id: int, signed_at: datetime, *, first_name: str = "Siti",
              language_code: str = "id", allows_write_to_pm: bool | None = None, **extra: Any) -> str:
    """initData as Telegram hands it to a Mini App for this user, signed with `token` (`allows_write_to_pm` as
    Telegram sets it for someone who let the bot message them)."""
    user: dict[str, Any] = {"id": user_id, "first_name": first_name, "language_code": language_code}
    if allows_write_to_pm is not None:
        user["allows_write_to_pm"] = allows_write_to_pm
    fields = {"query_id": "AAE-test", "user": user, "auth_date": str(int(signed_at.timestamp())), **extra}
    return sign(fields, token)


def signed_contact(token: str, user_id: int, signed_at: datetime, phone: str = "+6281234567890") -> str:
    """What WebApp.requestContact's callback gets as `response`: the shared contact, signed with `token`."""
    contact = {"user_id": user_id, "phone_number": phone, "first_name": "Siti"}
    return sign({"contact": contact, "auth_date": str(int(signed_at.timestamp()))}, token)


@dataclass
class MiniApp:
    """One buyer's Mini App talking to the bot's web server with a signed initData."""

    bot: WebBot
    user_id: int
    first_name: str = "Siti"
    language_code: str = "id"
    init: str | None = None  # None: signed now with the bot's token

    def header(self) -> dict[str, str]:
        """The Authorization header the page sends."""
        token = self.bot.harness.emulator.token
        signed = self.init or init_data(token, self.user_id, self.bot.harness.clock(), first_name=self.first_name,
                                        language_code=self.language_code)
        return {"Authorization": f"tma {signed}"}

    async def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
                   headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """One API call: (status, parsed JSON body)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        sent = self.header() if headers is None else headers
        async with self.bot.http.request(method, self.bot.url(path), data=data, headers=sent) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text

    async def get(self, path: str) -> tuple[int, Any]:
        """GET."""
        return await self.call("GET", path)

    async def post(self, path: str, body: Any = None) -> tuple[int, Any]:
        """POST a JSON body."""
        return await self.call("POST", path, body if body is not None else {})

    async def patch(self, path: str, body: Any) -> tuple[int, Any]:
        """PATCH a JSON body."""
        return await self.call("PATCH", path, body)

    async def delete(self, path: str) -> tuple[int, Any]:
        """DELETE."""
        return await self.call("DELETE", path)

    async def ok(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        """A call that must succeed with `status`: its JSON."""
        found, answer = await self.call(method, path, body if body is not None or method == "GET" else {})
        assert found == status, f"{method} {path} -> {found}: {answer}"
        return answer
