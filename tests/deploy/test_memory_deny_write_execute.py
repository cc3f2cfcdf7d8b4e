"""The systemd unit sets MemoryDenyWriteExecute=yes: the real bot, run with writable-and-executable memory refused
by the kernel (the same rule, through prctl PR_SET_MDWE), still answers and draws the weekly chart and spreadsheet
(matplotlib, Pillow, openpyxl, SQLite, aiohttp)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.emulator.server import BotApiEmulator
from tests.deploy import mdwe_exec
from tests.deploy.tools import free_port
from tests.deploy.webhook_bot import WebhookBot

WRAPPER = Path(mdwe_exec.__file__)
MANAGER = 900_778


def _require_mdwe() -> None:
    """Skips loudly on a kernel without PR_SET_MDWE (before Linux 6.3)."""
    probe = subprocess.run([sys.executable, str(WRAPPER), "/bin/true"], capture_output=True, text=True, timeout=30)
    if probe.returncode == mdwe_exec.NO_MDWE:
        pytest.skip(f"KERNEL WITHOUT PR_SET_MDWE ({probe.stderr.strip()}): MemoryDenyWriteExecute NOT TESTED")
    assert probe.returncode == 0, probe.stderr


def test_the_wrapper_really_refuses_writable_executable_memory() -> None:
    _require_mdwe()
    grab = "import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)"
    result = subprocess.run([sys.executable, str(WRAPPER), sys.executable, "-c", grab], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode != 0 and "PermissionError" in result.stderr
    assert subprocess.run([sys.executable, "-c", grab], timeout=30).returncode == 0


async def test_the_bot_serves_a_manager_its_chart_and_spreadsheet_without_writable_executable_memory(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    _require_mdwe()
    port = free_port()
    bot = WebhookBot(emulator, tmp_path, port=port, webhook_url=f"http://127.0.0.1:{port}/telegram",
                     secret="mdwe-secret_" + "m" * 20)
    await bot.prepare(managers=[(MANAGER, "Pak Hendra")])
    async with bot.running(wrapper=[sys.executable, str(WRAPPER)]):
        manager = emulator.user(MANAGER, "Pak Hendra")
        await manager.send("/laporan")
        chart = await manager.wait_for_photo(timeout=60)
        assert chart.photo is not None and chart.photo.startswith(b"\x89PNG")
        await manager.wait_for(lambda m: m.document is not None, timeout=60)
        sheet = next(m for m in manager.inbox if m.document is not None)
        assert sheet.document is not None and sheet.document.startswith(b"PK")  # an .xlsx is a zip file
    assert bot.exit_code == 0, bot.output()
    assert "PermissionError" not in bot.output() and "Traceback" not in bot.output()
