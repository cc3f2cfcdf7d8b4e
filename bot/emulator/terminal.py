"""The offline demo's chat window: bot messages as they arrive, numbered buttons, typed replies."""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.emulator.chats import ChatEvent
from bot.emulator.errors import ApiError
from bot.emulator.files import image_size
from bot.emulator.messages import BotMessage
from bot.emulator.qrview import decode_qr, qr_art
from bot.emulator.transcript import keyboard_lines, message_body

if TYPE_CHECKING:
    from bot.emulator.server import BotApiEmulator
    from bot.emulator.user import EmulatedUser

Echo = Callable[[str], None]
SwitchIdentity = Callable[[str], Awaitable["EmulatedUser"]]
Settle = Callable[[float], Awaitable[bool]]  # waits until the bot is idle; False after the timeout
HELP = (
    "Ketik pesan, atau nomor tombol untuk menekannya ('12 mengirim angka 12 sebagai teks). "
    "/foto BERKAS mengirim foto dari berkas. "
    "/as staff atau /as manager untuk ganti peran, /as buyer kembali, /quit untuk keluar."
)
PHOTO_COMMAND = "/foto "


class ChatWindow:
    """Prints a user's chat: new bot messages, edits and deletions, numbering the current buttons."""

    def __init__(self, user: EmulatedUser, out_dir: Path, echo: Echo) -> None:
        self.out_dir = out_dir
        self.echo = echo
        self.choices: list[tuple[str, str, int]] = []  # (kind, label, message_id)
        self.last_query: str | None = None  # the query id of the last press, to wait for its answer
        self._seen: dict[int, int] = {}  # per identity: how many of its chat events were already shown
        self._photos: dict[tuple[int, int], list[bytes]] = {}  # (chat, message) -> the photos it showed, in order
        self.user = user
        self._cursor = len(user.chat.events)
        self._refresh_choices()

    def switch(self, user: EmulatedUser) -> None:
        """Follows another identity's chat, showing first what reached it since it was last on screen."""
        self._seen[self.user.id] = self._cursor
        self.user = user
        self._cursor = self._seen.get(user.id, 0)
        self._refresh_choices()

    def _refresh_choices(self) -> None:
        """Numbers the latest inline keyboard first, then the reply keyboard keys."""
        inline = next((m for m in reversed(self.user.inbox) if m.buttons), None)
        self.choices = [("inline", label, inline.message_id) for label in inline.buttons] if inline else []
        self.choices += [("key", label, 0) for label in self.user.keyboard()]

    def flush(self) -> None:
        """Prints every event since the last flush."""
        events = self.user.chat.events[self._cursor :]
        self._cursor += len(events)
        self._refresh_choices()
        for event in events:
            self._print(event)

    def _print(self, event: ChatEvent) -> None:
        """Prints one bot event (the user's own lines are already on screen)."""
        message = event.message
        if event.kind == "answer":
            self.echo(f"Bot (notifikasi): {event.text.split(': ', 1)[-1]}")
        if message is None or event.kind in ("said", "did"):
            return
        if event.kind == "deleted":
            self.echo(f"(Bot menghapus pesan #{message.message_id})")
            return
        label = "Bot" if event.kind == "sent" else "Bot (diubah)"
        lines = message_body(message).splitlines() or [""]
        self.echo(f"{label}: {lines[0]}")
        for line in lines[1:]:
            self.echo(f"     {line}" if line else "")  # a blank line stays blank (no trailing spaces)
        numbered = [c for c in self.choices if c[2] == message.message_id]
        start = self.choices.index(numbered[0]) + 1 if numbered else None
        for line in keyboard_lines(_without_keys(message), start):
            self.echo(f"     {line}")
        keys = [(n, c[1]) for n, c in enumerate(self.choices, 1) if c[0] == "key"]
        if message.keyboard and keys:
            self.echo("     " + "  ".join(f"[{n}] <{label}>" for n, label in keys))
        if message.photo is not None:
            self._show_photo(message)
        if message.document is not None:
            self._save_document(message)

    def _show_photo(self, message: BotMessage) -> None:
        """Saves a photo, prints its path, and redraws it when it is a QR code.

        An edit that keeps the photo (new caption, buttons removed) saves nothing again; a new photo in the same
        message (browsing a product's photos) is saved beside the earlier ones, numbered.
        """
        assert message.photo is not None
        shown = self._photos.setdefault((message.chat_id, message.message_id), [])
        if shown and shown[-1] == message.photo:
            return
        shown.append(message.photo)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        suffix = ".png" if message.photo.startswith(b"\x89PNG") else ".jpg"
        number = f"_{len(shown)}" if len(shown) > 1 else ""
        path = self.out_dir / f"foto_{message.chat_id}_{message.message_id}{number}{suffix}"
        path.write_bytes(message.photo)
        self.echo(f"     Foto disimpan: {path}")
        payload = decode_qr(message.photo)
        art = qr_art(payload) if payload else None
        if payload and art:
            self.echo(art)
            self.echo(f"     Isi QR: {payload[:80]}{'...' if len(payload) > 80 else ''}")

    def _save_document(self, message: BotMessage) -> None:
        """Saves a document (a spreadsheet, say) under its own file name and prints the path."""
        assert message.document is not None
        self.out_dir.mkdir(parents=True, exist_ok=True)
        name = Path(message.document_name or "dokumen").name  # only the name: never a path the bot chose
        path = self.out_dir / f"dokumen_{message.chat_id}_{message.message_id}_{name}"
        path.write_bytes(message.document)
        self.echo(f"     Dokumen disimpan: {path}")

    async def follow(self) -> None:
        """Prints events as they arrive, until cancelled."""
        while True:
            await self.user.chat.wait_change(1.0)
            self.flush()


def _without_keys(message: BotMessage) -> BotMessage:
    """The message with its reply keyboard hidden (printed separately with numbers)."""
    if not message.keyboard:
        return message
    from dataclasses import replace

    return replace(message, reply_markup=None)


async def _act(window: ChatWindow, line: str, switch_identity: SwitchIdentity | None) -> bool:
    """Performs one typed line; False means quit."""
    user = window.user
    if line in ("/quit", "/keluar"):
        return False
    if line.startswith("/as "):
        if switch_identity is None:
            window.echo("(Ganti peran tidak tersedia di sini.)")
        else:
            window.switch(await switch_identity(line[4:].strip()))
            window.echo(f"(Sekarang sebagai {window.user.profile.first_name}, id {window.user.id})")
            window.flush()
        return True
    try:
        if line.startswith(PHOTO_COMMAND):
            await send_file(window, line[len(PHOTO_COMMAND) :].strip())
        elif line.startswith("'") and len(line) > 1:
            await user.send(line[1:])  # 'text forces plain text, e.g. '2 to type the number 2
        elif line.isdigit() and not 0 < int(line) <= len(window.choices):
            await user.send(line)  # no button with that number: the number is an answer (a quantity)
        elif line.isdigit():
            index = int(line) - 1
            if window.choices[index][0] == "inline":
                window.last_query = await user.press(window.choices[index][1], message_id=window.choices[index][2])
            else:
                await user.press_key(window.choices[index][1])
        elif line in user.keyboard():
            await user.press_key(line)
        elif line.strip():
            await user.send(line)
    except (AssertionError, ValueError) as exc:
        window.echo(f"({str(exc).splitlines()[0]})")
    return True


async def send_file(window: ChatWindow, name: str) -> None:
    """/foto PATH: sends a picture from a file as the terminal's user (a photo, or an image file Telegram would not
    take as a photo, such as WebP, as a document)."""
    path = Path(name).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        window.echo(f"(Berkas tidak bisa dibaca: {path}: {exc.strerror or exc})")
        return
    if image_size(data) is not None:
        try:
            await window.user.send_photo(data)
        except ApiError as exc:  # Telegram's clients cannot send a picture they cannot read either
            window.echo(f"(Foto tidak bisa dikirim: {exc.description})")
    else:
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        await window.user.send_document(data, path.name, mime)


async def _settle(window: ChatWindow, settle: Settle | None, timeout: float) -> None:
    """Waits until the bot is idle; a bot still busy after the timeout gets a note, and the script goes on."""
    if settle is not None and not await settle(timeout):
        window.echo(f"(Bot masih sibuk setelah {timeout:g} detik; skrip dilanjutkan.)")


def _stdin_reader() -> asyncio.Queue[str]:
    """Feeds stdin lines ("" at EOF) into a queue from a daemon thread, so Ctrl-C never waits on readline."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def pump() -> None:
        """Blocks on stdin in its own thread."""
        while True:
            line = sys.stdin.readline()
            loop.call_soon_threadsafe(lines.put_nowait, line)
            if not line:
                return

    threading.Thread(target=pump, name="terminal-stdin", daemon=True).start()
    return lines


async def run_terminal_chat(emu: BotApiEmulator, user: EmulatedUser, *, switch_identity: SwitchIdentity | None,
                            out_dir: Path, input_lines: Iterable[str] | None = None, echo: Echo = print,
                            idle_quiet: float = 0.3, idle_timeout: float = 10.0, settle: Settle | None = None,
                            settle_timeout: float = 60.0) -> None:
    """Chats with the bot in the terminal; with input_lines, plays them as a script and echoes a transcript.

    In a script, each line waits for the bot's answer, then (with `settle`) until the bot is idle, so slow replies
    and messages to other chats are on screen before the next line and before the end.
    """
    window = ChatWindow(user, out_dir, echo)
    echo(f"Terhubung ke @{emu.state.bot.username} (offline). {HELP}")
    if input_lines is not None:
        for line in input_lines:
            echo(f"> Anda: {line}")
            actor, seq, window.last_query = window.user, window.user.chat.seq, None
            pushed = actor.last_update_id
            if not await _act(window, line, switch_identity):
                break
            # Synchronise on the bot's answer (a press is always answered; a message gets a reply), then on the bot
            # being idle and quiet: a fixed pause would run ahead of a slow machine. A line that reached no bot
            # (/as, a refused number) has no answer to wait for.
            if actor.last_update_id != pushed:
                await actor.wait_response(seq, query_id=window.last_query, timeout=idle_timeout)
            await _settle(window, settle, settle_timeout)
            with contextlib.suppress(AssertionError):
                await window.user.wait_idle(quiet=idle_quiet, timeout=idle_timeout)
            window.flush()
        await _settle(window, settle, settle_timeout)
        window.flush()
        return
    follower = asyncio.create_task(window.follow())
    lines = _stdin_reader()
    try:
        while True:
            line = await lines.get()
            if not line or not await _act(window, line.rstrip("\r\n"), switch_identity):
                break
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower
        window.flush()
