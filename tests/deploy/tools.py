"""Which operating-system tools the deployment tests need, and how they say when one is missing."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str, why: str) -> str:
    """The path of the program `name`; skips loudly without it, or fails when CI=true (CI installs it)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name.upper()} NOT INSTALLED: {why} NOT TESTED"
        if IN_CI:
            pytest.fail(f"{message} -- CI=true requires it (.ci/run installs it)")
        pytest.skip(message)
    return path


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    """True when something accepts connections on the loopback port."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
