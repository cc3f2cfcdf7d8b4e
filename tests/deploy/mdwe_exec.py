"""Runs a command with writable-and-executable memory refused, as systemd's MemoryDenyWriteExecute=yes does:
`python mdwe_exec.py PROGRAM ARGS...` (Linux 6.3+ prctl PR_SET_MDWE, kept across execve and by children).

Exits 3 with one line when the kernel lacks PR_SET_MDWE, so the test can tell that apart from a failing bot."""

from __future__ import annotations

import ctypes
import os
import sys

PR_SET_MDWE = 65
PR_GET_MDWE = 66
PR_MDWE_REFUSE_EXEC_GAIN = 1
NO_MDWE = 3


def main(argv: list[str]) -> None:
    """Turns the restriction on for this process, checks it holds, then becomes the command."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
        print(f"PR_SET_MDWE not available (errno {ctypes.get_errno()})", file=sys.stderr)
        sys.exit(NO_MDWE)
    assert libc.prctl(PR_GET_MDWE, 0, 0, 0, 0) == PR_MDWE_REFUSE_EXEC_GAIN
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
