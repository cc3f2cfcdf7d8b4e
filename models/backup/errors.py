"""Typed errors of backups and restores; each message is one line an operator can act on."""

from __future__ import annotations


class BackupError(Exception):
    """Base of every backup or restore failure; `str(error)` is the one-line message."""


class ToolMissing(BackupError):
    """A PostgreSQL client program (pg_dump, pg_restore) is not on PATH."""

    def __init__(self, tool: str) -> None:
        super().__init__(
            f"{tool} is not installed (not found on PATH): install the PostgreSQL client programs "
            "(Debian/Ubuntu: apt install postgresql-client), or use your provider's backups"
        )
        self.tool = tool


class NotABackup(BackupError):
    """A file that is not a backup this bot can restore (or not of the target's kind)."""


class BackupCorrupt(BackupError):
    """A backup or restored database that fails its integrity check."""


class TargetHoldsOrders(BackupError):
    """The restore target already holds orders and `force` was not given."""

    def __init__(self, target: str, orders: int) -> None:
        super().__init__(
            f"{target} already holds {orders} order(s): not overwritten (stop the bot, keep a backup of it, "
            "then restore with --force to replace it)"
        )
        self.target = target
        self.orders = orders


class BackupFailed(BackupError):
    """The copy itself failed: an unwritable folder, a full disk, a database that cannot be read."""
