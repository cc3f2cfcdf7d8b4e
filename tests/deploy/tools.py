"""Which operating-system tools the deployment tests need, and how they say when one is missing."""

from __future__ import annotations

import os
import shutil

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
