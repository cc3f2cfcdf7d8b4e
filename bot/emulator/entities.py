"""Message entities: Telegram's HTML parse mode (strict) and bot_command detection for user messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ApiError, bad_request

# Start tags Telegram accepts in parse_mode HTML, mapped to the entity type they produce.
_TAG_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "span": "spoiler",
    "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{1,10});")
_TAG_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_RE = re.compile(r"""\s*([A-Za-z-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    """A start tag waiting for its end tag."""

    name: str
    entity: dict[str, Any]
    offset: int


@dataclass
class _Parser:
    """Walks the HTML text once, producing plain text and entities."""

    source: str
    out: list[str] = field(default_factory=list)
    offset: int = 0
    stack: list[_Open] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def error(self, reason: str) -> ApiError:
        """Builds the 400 answer for a parse failure."""
        return bad_request(f"can't parse entities: {reason}")

    def byte_offset(self, index: int) -> int:
        """Telegram reports positions as UTF-8 byte offsets."""
        return len(self.source[:index].encode())

    def emit(self, text: str) -> None:
        """Appends decoded text to the output."""
        self.out.append(text)
        self.offset += utf16_len(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        """Parses the whole source."""
        text, i = self.source, 0
        while i < len(text):
            char = text[i]
            if char == "<":
                i = self.tag(i)
            elif char == "&":
                i = self.entity(i)
            else:
                j = i
                while j < len(text) and text[j] not in "<&":
                    j += 1
                self.emit(text[i:j])
                i = j
        if self.stack:
            raise self.error(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        return "".join(self.out), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))

    def entity(self, i: int) -> int:
        """Decodes one character entity; a bare '&' is an error."""
        match = _ENTITY_RE.match(self.source, i)
        if match is None:
            raise self.error(f'Character "&" at byte offset {self.byte_offset(i)} must be escaped as &amp;')
        body = match.group(1)
        if body.startswith("#"):
            code = int(body[2:], 16) if body[1:2] in "xX" else int(body[1:])
            if not 0 < code <= 0x10FFFF:
                raise self.error(f"Unsupported HTML entity at byte offset {self.byte_offset(i)}")
            self.emit(chr(code))
        elif body.lower() in _NAMED_ENTITIES:
            self.emit(_NAMED_ENTITIES[body.lower()])
        else:
            raise self.error(f'Unsupported HTML entity "&{body};" at byte offset {self.byte_offset(i)}')
        return match.end()

    def tag(self, i: int) -> int:
        """Handles a start or end tag beginning at index i."""
        end = self.source.find(">", i)
        if end < 0:
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(i)}")
        inner = self.source[i + 1 : end]
        if inner.startswith("/"):
            self.close(inner[1:].strip().lower(), i)
        else:
            self.open(inner, i)
        return end + 1

    def open(self, inner: str, i: int) -> None:
        """Pushes a start tag after checking its name and attributes."""
        match = _TAG_NAME_RE.match(inner)
        name = match.group(0).lower() if match else ""
        if name not in _TAG_TYPES:
            raise self.error(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(i)}')
        attrs = _attributes(inner[len(name) :])
        entity: dict[str, Any] = {"type": _TAG_TYPES[name]}
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(i)}')
        if name == "a":
            entity["url"] = attrs.get("href", "")
        elif name == "tg-emoji":
            if "emoji-id" not in attrs:
                raise self.error(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {self.byte_offset(i)}')
            entity["custom_emoji_id"] = attrs["emoji-id"]
        elif name == "code" and self.stack and self.stack[-1].name == "pre" and "class" in attrs:
            self.stack[-1].entity["language"] = attrs["class"].removeprefix("language-")
        elif name == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        self.stack.append(_Open(name, entity, self.offset))

    def close(self, name: str, i: int) -> None:
        """Pops the matching start tag and records its entity."""
        if not self.stack:
            raise self.error(f'Unexpected end tag at byte offset {self.byte_offset(i)}')
        top = self.stack[-1]
        if name != top.name:
            raise self.error(
                f'Unmatched end tag at byte offset {self.byte_offset(i)}, expected "</{top.name}>", found "</{name}>"'
            )
        self.stack.pop()
        length = self.offset - top.offset
        if top.entity["type"] == "text_link" and not top.entity["url"]:
            return
        if length > 0:
            self.entities.append({**top.entity, "offset": top.offset, "length": length})


def _attributes(text: str) -> dict[str, str]:
    """Parses tag attributes; values may be quoted and may contain character entities."""
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(text.rstrip("/")):
        raw = match.group(2) or ""
        if raw[:1] in "\"'":
            raw = raw[1:-1]
        attrs[match.group(1).lower()] = _ENTITY_RE.sub(_decode_entity, raw)
    return attrs


def _decode_entity(match: re.Match[str]) -> str:
    """Decodes an entity inside an attribute value, leaving unknown ones untouched."""
    body = match.group(1)
    if body.startswith("#"):
        return chr(int(body[2:], 16) if body[1:2] in "xX" else int(body[1:]))
    return _NAMED_ENTITIES.get(body.lower(), match.group(0))


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parses parse_mode HTML into plain text and entities, answering 400 like Telegram on bad markup."""
    return _Parser(text).run()


def parse_text(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[dict[str, Any]]]:
    """Applies parse_mode (HTML parsed; Markdown modes passed through unparsed) or explicit entities."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode not in ("", "markdown", "markdownv2"):
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    if entities is None:
        return text, []
    if not isinstance(entities, list) or not all(isinstance(e, dict) and "type" in e for e in entities):
        raise bad_request("can't parse entities JSON object")
    return text, list(entities)


def command_entities(text: str) -> list[dict[str, Any]]:
    """Finds bot commands in a user's text the way Telegram marks them (bot_command entities)."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group(0))}
        for m in _COMMAND_RE.finditer(text)
    ]
