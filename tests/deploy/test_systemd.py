"""The systemd units in deploy/systemd pass `systemd-analyze verify` (syntax, known keys, an ExecStart that exists)
and keep their hardening (`systemd-analyze security` rates the exposure), and a broken unit fails the same check."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.tools import require_tool

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
INSTALL_DIR = "/opt/karya-bot"
# `systemd-analyze security` rates 0 (locked down) to 10 (nothing restricted); below 2 is "OK" or better.
MAX_EXPOSURE = 2.0


def _installed_copy(unit: str, tmp_path: Path, *, edit: tuple[str, str] | None = None) -> Path:
    """The unit as it would be installed, but pointing at this checkout and its virtualenv (verify checks that the
    ExecStart program exists); `edit` replaces one text, to break the unit on purpose."""
    text = (UNITS / unit).read_text(encoding="utf-8")
    assert f"{INSTALL_DIR}/.venv/bin/python -m bot run" in text, "the unit no longer runs `python -m bot run`"
    text = text.replace(f"{INSTALL_DIR}/.venv/bin/python", sys.executable).replace(INSTALL_DIR, str(ROOT))
    if edit is not None:
        assert edit[0] in text
        text = text.replace(*edit)
    copy = tmp_path / unit
    copy.write_text(text, encoding="utf-8")
    return copy


def _verify(unit: Path) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify` on one unit file (no man-page lookups: the documentation is a README)."""
    analyze = require_tool("systemd-analyze", "the systemd unit")
    return subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60,
                          cwd=unit.parent)


def _exposure(unit: Path) -> float:
    """The overall exposure level `systemd-analyze security` gives the unit file (0 = locked down, 10 = open)."""
    analyze = require_tool("systemd-analyze", "the systemd unit")
    result = subprocess.run([analyze, "security", "--offline=yes", "--no-pager", str(unit)], capture_output=True,
                            text=True, timeout=60, cwd=unit.parent)
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert found, result.stdout + result.stderr
    return float(found.group(1))


@pytest.mark.parametrize("unit", ["karya-bot.service", "karya-bot@.service"])
def test_the_unit_verifies_without_a_warning(unit: str, tmp_path: Path) -> None:
    installed = _installed_copy(unit, tmp_path)
    if unit.endswith("@.service"):  # a template is verified through an instance, as systemctl would start it
        installed = installed.rename(tmp_path / unit.replace("@", "@8081"))
    result = _verify(installed)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.parametrize("unit", ["karya-bot.service", "karya-bot@.service"])
def test_the_unit_is_hardened(unit: str, tmp_path: Path) -> None:
    installed = _installed_copy(unit, tmp_path)
    if unit.endswith("@.service"):
        installed = installed.rename(tmp_path / unit.replace("@", "@8081"))
    text = installed.read_text(encoding="utf-8")
    for line in ("User=karya", "EnvironmentFile=/etc/karya-bot/env", "Restart=on-failure", "KillSignal=SIGTERM",
                 "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/karya-bot",
                 "MemoryDenyWriteExecute=yes", "CapabilityBoundingSet=\n"):
        assert line in text, f"{unit} lost {line.strip()}"
    assert _exposure(installed) <= MAX_EXPOSURE


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        ((f"{sys.executable} -m bot run", "/nonexistent/venv/bin/python -m bot run"), "is not executable"),
        (("ProtectSystem=strict", "ProtectSystem=very"), "Failed to parse"),
        (("RestrictAddressFamilies=", "RestrictAdressFamilies="), "Unknown key"),
        (("[Service]", "[Servise]"), "Unknown section"),
    ],
    ids=["missing-program", "bad-value", "misspelt-key", "misspelt-section"],
)
def test_a_broken_unit_fails_the_check(edit: tuple[str, str], complaint: str, tmp_path: Path) -> None:
    result = _verify(_installed_copy("karya-bot.service", tmp_path, edit=edit))
    assert result.returncode != 0 or result.stderr.strip() != ""
    assert complaint in result.stderr


def test_a_unit_without_hardening_rates_worse_than_the_limit(tmp_path: Path) -> None:
    text = _installed_copy("karya-bot.service", tmp_path).read_text(encoding="utf-8")
    service, _, _ = text.partition("# Hardening")
    bare = tmp_path / "bare.service"
    bare.write_text(service + "\n[Install]\nWantedBy=multi-user.target\n", encoding="utf-8")
    assert _exposure(bare) > MAX_EXPOSURE
