"""Readable chat histories: who said what, which buttons were shown, what was edited or deleted."""

from __future__ import annotations

from bot.emulator.chats import Chat, ChatEvent
from bot.emulator.messages import BotMessage

_INDENT = "      "


def message_body(message: BotMessage) -> str:
    """One-paragraph summary of a message's content (media shown as markers)."""
    parts = []
    if message.photo is not None:
        parts.append(f"[photo {len(message.photo)} bytes]")
    if message.document is not None:
        parts.append(f"[document {message.document_name or ''} {len(message.document)} bytes]".replace("  ", " "))
    if message.location is not None:
        parts.append(f"[location {message.location[0]}, {message.location[1]}]")
    if message.content:
        parts.append(message.content)
    return " ".join(parts) or "[empty]"


def keyboard_lines(message: BotMessage, numbered_from: int | None = None) -> list[str]:
    """Inline keyboard rows ([label] or [n] label; ↗ marks a page or Mini App) and a reply keyboard line, if any."""
    lines = []
    n = numbered_from
    for row in message.inline_rows:
        cells = []
        for button in row:
            label = f"{button['text']} ↗" if "web_app" in button or "url" in button else button["text"]
            if n is None:
                cells.append(f"[{label}]")
            else:
                cells.append(f"[{n}] {label}")
                n += 1
        lines.append("  ".join(cells))
    if message.keyboard:
        lines.append("keyboard: " + "  ".join(f"<{label}>" for label in message.keyboard))
    return lines


def _render(event: ChatEvent) -> list[str]:
    """The transcript lines of one event."""
    message = event.message
    if event.kind == "said":
        return [f"{event.actor}: {event.text}"]
    if event.kind == "did":
        return [f"{event.actor} {event.text}"]
    if event.kind == "answer":
        return [f"Bot answered the button press ({event.text})"]
    if message is None:
        return [f"Bot {event.kind}"]
    if event.kind == "deleted":
        return [f"Bot deleted #{message.message_id}: {message_body(message)[:60]}"]
    verb = "Bot" if event.kind == "sent" else "Bot edited"
    head = f"{verb} #{message.message_id}: "
    lines = message_body(message).splitlines() or [""]
    out = [head + lines[0]] + [" " * len(head) + line for line in lines[1:]]
    out += [_INDENT + line for line in keyboard_lines(message)]
    return out


def render_transcript(chat: Chat, last: int | None = 60) -> str:
    """The chat history as text, the last `last` events (None for all)."""
    name = chat.title or (chat.owner.first_name if chat.owner else "")
    events = chat.events if last is None else chat.events[-last:]
    lines = [f"--- transcript of chat {chat.id} ({chat.type}, {name}) ---"]
    if last is not None and len(chat.events) > last:
        lines.append(f"... {len(chat.events) - last} earlier events omitted")
    for event in events:
        lines += ["  " + line for line in _render(event)]
    if not events:
        lines.append("  (nothing happened yet)")
    return "\n".join(lines)
