"""getUpdates long polling, offsets, conflicts, auth and update validation on the wire."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest
from telegram import Bot
from telegram.error import Conflict, InvalidToken

from bot.emulator import BotApiEmulator, MalformedUpdate
from tests.support.calls import unanswered_calls
from tests.support.eventually import eventually


async def _call(session: aiohttp.ClientSession, emu: BotApiEmulator, method: str, **params: Any) -> Any:
    """POSTs form-encoded parameters like PTB does and returns (status, body)."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with session.post(f"{emu.base_url}{emu.token}/{method}", data=form) as response:
        return response.status, await response.json()


def _polls_waiting(emu: BotApiEmulator) -> int:
    """getUpdates calls the emulator has read and not answered: each has registered as the newest poller.

    The call log gets a call's parameters once its body is read; from there to the poller's registration
    nothing waits (no latency fault is set in these tests).
    """
    return len([c for c in unanswered_calls(emu, ["getUpdates"]) if c.params])

async def test_offset_confirms_and_drops_older_updates_for_a_raw_client(emu: BotApiEmulator) -> None:
    user = emu.user(1001)
    for text in ("satu", "dua", "tiga"):
        await user.send(text)
    async with aiohttp.ClientSession() as session:
        status, body = await _call(session, emu, "getUpdates", limit=2)
        assert status == 200 and body["ok"]
        first = [u["message"]["text"] for u in body["result"]]
        assert first == ["satu", "dua"]
        next_offset = body["result"][-1]["update_id"] + 1
        _, again = await _call(session, emu, "getUpdates")
        assert [u["message"]["text"] for u in again["result"]] == ["satu", "dua", "tiga"]
        _, rest = await _call(session, emu, "getUpdates", offset=next_offset)
        assert [u["message"]["text"] for u in rest["result"]] == ["tiga"]
        _, empty = await _call(session, emu, "getUpdates", offset=rest["result"][-1]["update_id"] + 1)
        assert empty["result"] == []


async def test_negative_offset_keeps_only_the_last_updates(emu: BotApiEmulator) -> None:
    user = emu.user(1001)
    for text in ("a", "b", "c"):
        await user.send(text)
    async with aiohttp.ClientSession() as session:
        _, body = await _call(session, emu, "getUpdates", offset=-1)
    assert [u["message"]["text"] for u in body["result"]] == ["c"]


async def test_long_poll_waits_for_an_update_and_returns_early(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await eventually(lambda: _polls_waiting(emu) == 1, what="the long poll to wait")
    started = time.monotonic()
    await user.send("/start")  # arrives while the poll waits
    updates = await poll
    assert time.monotonic() - started < 2  # answered at once, not at the end of its 5 s
    assert updates[0].message is not None and updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == "bot_command"


async def test_long_poll_times_out_with_an_empty_list(emu: BotApiEmulator, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 1.8


async def test_a_second_poller_terminates_the_first_with_409(emu: BotApiEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await eventually(lambda: _polls_waiting(emu) == 1, what="the first poll to wait")
    async with aiohttp.ClientSession() as session:
        second = asyncio.create_task(_call(session, emu, "getUpdates", timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        status, body = await second
    assert status == 200 and body == {"ok": True, "result": []}
    assert emu.error_counts()[409] == 1


async def test_two_pollers_keep_terminating_each_other(emu: BotApiEmulator) -> None:
    async with aiohttp.ClientSession() as one, aiohttp.ClientSession() as two:
        a = asyncio.create_task(_call(one, emu, "getUpdates", timeout=2))
        await eventually(lambda: _polls_waiting(emu) == 1, what="the first poll to wait")
        b = asyncio.create_task(_call(two, emu, "getUpdates", timeout=2))
        status_a, body_a = await a
        await eventually(lambda: _polls_waiting(emu) == 1, what="the second poll to wait")
        third_status, _ = await _call(one, emu, "getUpdates", timeout=0)
        b_status, b_body = await b
    assert status_a == 409 and body_a["error_code"] == 409
    assert b_status == 409 and "only one bot instance" in b_body["description"]
    assert third_status == 200


async def test_get_updates_is_a_conflict_while_a_webhook_is_set(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_a_poll_whose_client_went_away_does_not_swallow_updates(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    async with aiohttp.ClientSession() as session:
        abandoned = asyncio.create_task(_call(session, emu, "getUpdates", timeout=5))
        await eventually(lambda: _polls_waiting(emu) == 1, what="the poll to wait")
        abandoned.cancel()
    await eventually(lambda: _polls_waiting(emu) == 0, what="the emulator to notice the client left")
    await user.send("halo")
    updates = await bot.get_updates(timeout=1)
    assert [u.message.text for u in updates if u.message] == ["halo"]


async def test_wrong_token_is_401_and_unknown_method_is_404(emu: BotApiEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{emu.base_url}999:WRONG/getMe") as response:
            assert response.status == 401
            assert await response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        status, body = await _call(session, emu, "sendSomethingNew", chat_id=1)
        assert (status, body["description"]) == (404, "Not Found")
        status, body = await _call(session, emu, "GETME")
        assert status == 200 and body["result"]["username"] == "KaryaBinaanBot"
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=emu.base_url) as wrong:
            await wrong.get_me()


async def test_get_me_answers_what_command_handlers_need(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == "KaryaBinaanBot" and me.is_bot and me.can_join_groups is True


async def test_json_bodies_and_query_strings_are_read_too(emu: BotApiEmulator) -> None:
    emu.user(1001)
    async with aiohttp.ClientSession() as session:
        url = f"{emu.base_url}{emu.token}/sendMessage"
        async with session.post(url, json={"chat_id": 1001, "text": "123"}) as response:
            body = await response.json()
        assert body["result"]["text"] == "123"
        async with session.get(url, params={"chat_id": "1001", "text": "via GET"}) as response:
            assert (await response.json())["result"]["text"] == "via GET"


async def test_malformed_updates_never_reach_the_bot(emu: BotApiEmulator) -> None:
    with pytest.raises(MalformedUpdate, match="chat"):
        emu.push_update({"message": {"message_id": 1, "date": 0, "text": "no chat"}})
    with pytest.raises(MalformedUpdate, match="exactly one"):
        emu.push_update({"message": {}, "callback_query": {}})
    with pytest.raises(MalformedUpdate, match=r"callback_query\.id"):
        emu.push_update({"callback_query": {"id": 5, "from": {"id": 1, "is_bot": False, "first_name": "A"},
                                            "chat_instance": "1"}})
    assert emu.state.updates.pending_count == 0


async def test_a_raw_duplicate_is_delivered_again_with_the_same_update_id(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    await user.send("pesan")
    first = await bot.get_updates()
    emu.push_raw_update(first[0].to_dict())
    second = await bot.get_updates(offset=first[0].update_id + 1)
    assert [u.update_id for u in second] == [first[0].update_id]
    assert await bot.get_updates(offset=first[0].update_id + 1) == ()


async def test_allowed_updates_filters_and_drops_other_kinds(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.user(1001)
    await bot.send_message(1001, "Menu")
    await user.send("teks diabaikan")
    await user.press_data("menu:1")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in updates if u.callback_query] == ["menu:1"]
    assert len(updates) == 1
