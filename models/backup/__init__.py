"""Backups of the bot's database and restores from them (SQLite and PostgreSQL); no Telegram here."""

from models.backup.errors import (
    BackupCorrupt,
    BackupError,
    BackupFailed,
    NotABackup,
    TargetHoldsOrders,
    ToolMissing,
)
from models.backup.files import BackupFile, Kind, backup_name, backups_in, last_backup_age, prune
from models.backup.operations import BackupResult, RestoreResult, make_backup, restore
from models.backup.sqlite import Counts

__all__ = [
    "BackupCorrupt",
    "BackupError",
    "BackupFailed",
    "BackupFile",
    "BackupResult",
    "Counts",
    "Kind",
    "NotABackup",
    "RestoreResult",
    "TargetHoldsOrders",
    "ToolMissing",
    "backup_name",
    "backups_in",
    "last_backup_age",
    "make_backup",
    "prune",
    "restore",
]
