"""Request decoding: form, JSON and multipart bodies into typed parameters, as the Bot API reads them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.emulator.errors import bad_request

# Parameters Telegram reads as plain strings: never JSON-decode these ("123" stays "123").
STRING_PARAMS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "url", "secret_token",
        "photo", "document", "sticker", "voice", "audio", "video", "animation", "thumbnail", "file_id",
        "language_code", "action", "description", "short_description", "name", "title", "ip_address",
        "business_connection_id", "message_effect_id", "emoji", "custom_title", "question", "payload",
    }
)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"Upload({self.field!r}, {self.filename!r}, {len(self.data)} bytes)"


def decode_value(name: str, raw: Any) -> Any:
    """Decodes one parameter: non-string parameters arrive JSON-encoded inside strings."""
    if not isinstance(raw, str) or name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class Params:
    """Decoded parameters of one call with typed getters that answer 400 like Telegram."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload]) -> None:
        self.values = values
        self.uploads = uploads

    def has(self, name: str) -> bool:
        """Tells whether the parameter was given (uploads count)."""
        return name in self.values or name in self.uploads

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """Returns a string parameter (numbers sent by JSON clients are stringified)."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value if isinstance(value, str) else str(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """Returns an integer parameter or answers 400 when it is not one."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise bad_request(f'field "{name}" must be of type Integer')
        try:
            return int(value)
        except ValueError:
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def get_float(self, name: str) -> float:
        """Returns a required number parameter."""
        value = self.values.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise bad_request(f"{name} is empty" if value is None else f'field "{name}" must be a Number')
        try:
            return float(value)
        except ValueError:
            raise bad_request(f'field "{name}" must be a Number') from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        """Returns a boolean parameter; Telegram accepts true/false and 1/0."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def get_json(self, name: str) -> Any:
        """Returns a JSON-typed parameter (object or array) or None when absent."""
        value = self.values.get(name)
        if isinstance(value, str):
            raise bad_request(f"can't parse {name} JSON object")
        return value

    def required_int(self, name: str) -> int:
        """Returns an integer parameter that must be present."""
        value = self.get_int(name)
        if value is None:
            raise bad_request(f"{name} is empty" if name != "message_id" else "message identifier is not specified")
        return value

    def chat_id(self) -> int | str:
        """Returns chat_id: an integer id or an "@username" string."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value)
        try:
            return int(text)
        except ValueError:
            return text

    def file_ref(self, name: str) -> Upload | str | None:
        """Resolves a file parameter: an upload, an attach://name reference or a file_id/URL string."""
        value = self.values.get(name)
        if value is None:
            return self.uploads.get(name)
        return self.resolve_attach(str(value))

    def resolve_attach(self, value: str) -> Upload | str:
        """Turns "attach://x" into the uploaded part named x; other strings are file ids or URLs."""
        if value.startswith("attach://"):
            upload = self.uploads.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"can't find attached file \"{value}\"")
            return upload
        return value

    def logged(self) -> dict[str, Any]:
        """Returns the parameters as recorded in the call log (uploads included)."""
        return {**self.values, **{k: v for k, v in self.uploads.items() if k not in self.values}}


async def read_params(request: web.Request) -> Params:
    """Reads query string and body (urlencoded, multipart or JSON) into decoded parameters."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    ctype = request.content_type
    if request.can_read_body and ctype == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        raw.update(body)
    elif request.can_read_body and ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                uploads[key] = Upload(key, value.filename or key, value.content_type, data)
            else:
                raw[key] = value
    values = {key: decode_value(key, value) for key, value in raw.items()}
    return Params(values, uploads)
