"""Settings read from the environment and `.env`; every one is documented in `.env.example`."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.event_loop import EventLoopChoice, uvloop_installed
from bot.texts import languages

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_DIR / 'var' / 'karya.sqlite3'}"
DEFAULT_CATALOGUE = PROJECT_DIR / "data" / "catalogue.yaml"
DEFAULT_BACKUP_DIR = PROJECT_DIR / "var" / "backups"  # `python -m bot backup` without --to or BACKUP_DIR
DEFAULT_MEDIA_DIR = PROJECT_DIR / "var" / "media"
MIN_LIMIT_WITH_CODES = 10_000  # an instalment of at least Rp9.001 beside a unique code of up to Rp999


def _parse_hhmm(value: object) -> object:
    """Accepts "05.30" (Indonesian) as well as "05:30"."""
    if isinstance(value, str):
        return value.strip().replace(".", ":")
    return value


def normalize_database_url(value: str) -> str:
    """An SQLite or PostgreSQL URL with its async driver named; ValueError for anything else."""
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        value = "postgresql+asyncpg://" + value.split("://", 1)[1]
    if value.startswith("sqlite:///"):
        value = "sqlite+aiosqlite:///" + value[len("sqlite:///") :]
    if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
        raise ValueError("must be a sqlite:/// or postgresql:// URL")
    return value


class Settings(BaseSettings):
    """All configuration of the bot, validated once at start-up."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # The bot's one web server (webhook, health, metrics) in every mode; port 0 takes any free port (logged).
    http_listen: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    # Old names of HTTP_LISTEN and HTTP_PORT, still read (with a notice at start-up); HTTP_* wins over them.
    webhook_listen: str | None = None
    webhook_port: int | None = Field(default=None, ge=1, le=65535)
    ready_outbox_max_age_seconds: int = Field(default=300, ge=1)

    database_url: str = DEFAULT_DATABASE_URL
    migrate_on_start: bool = True
    catalogue_file: Path = DEFAULT_CATALOGUE
    media_dir: Path = DEFAULT_MEDIA_DIR  # product photos, by content hash (models/media.py)

    shop_name: str = "Galeri Karya Binaan Rutan Kelas I Medan"
    shop_address: str = "Jl. Pemasyarakatan, Tanjung Gusta, Medan"
    timezone: str = "Asia/Jakarta"
    language: str = "id"

    qris_merchant_payload: str | None = None
    qris_merchant_nmid: str | None = None
    payment_timeout_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    deposit_pct_paving: int = Field(default=50, ge=0, le=100)
    qris_max_amount: int = Field(default=10_000_000, ge=1)
    qris_unique_code: bool = False
    # Who makes the payment codes: the merchant's own static QRIS (by hand or statements), or Midtrans (by itself).
    payment_provider: Literal["static_qris", "midtrans"] = "static_qris"
    midtrans_server_key: SecretStr | None = None
    midtrans_api_base_url: str = "https://api.midtrans.com"
    midtrans_qris_acquirer: str = "gopay"
    public_base_url: str | None = None  # https://bot.example: Midtrans posts to {PUBLIC_BASE_URL}/payments/midtrans
    # The storefront Mini App's address (the menu button, "Buka toko"); empty: {PUBLIC_BASE_URL}/app when that is
    # https, else no Mini App in Telegram (Telegram opens only https pages).
    miniapp_url: str | None = None

    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    staff_group_chat_id: int | None = None

    production_sheet_time: time = time(14, 0)
    morning_plan_time: time = time(5, 30)
    closing_time: time = time(17, 0)
    weekly_summary_time: time = time(8, 0)
    weekly_summary_weekday: int = Field(default=0, ge=0, le=6)
    reminder_minutes_before: int = Field(default=60, ge=5, le=24 * 60)
    expiry_check_seconds: int = Field(default=60, ge=5, le=3600)

    backup_dir: Path | None = None  # empty: no scheduled backup
    backup_time: time = time(2, 0)
    backup_keep: int = Field(default=14, ge=1, le=10_000)

    flood_max_updates: int = Field(default=20, ge=1)
    flood_window_seconds: int = Field(default=10, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    event_loop: EventLoopChoice = "auto"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Reads "123, 456" as a list of Telegram ids."""
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").split(",") if p.strip()]
            return [int(p.strip()) for p in parts]
        return value

    @field_validator(
        "production_sheet_time", "morning_plan_time", "closing_time", "weekly_summary_time", "backup_time",
        mode="before",
    )
    @classmethod
    def _times(cls, value: object) -> object:
        """Accepts HH.MM or HH:MM."""
        return _parse_hhmm(value)

    @field_validator("qris_unique_code")
    @classmethod
    def _room_for_codes(cls, value: bool, info: ValidationInfo) -> bool:
        """Refuses unique codes when the QRIS limit leaves no room for an instalment plus a code of up to Rp999."""
        limit = info.data.get("qris_max_amount")
        if value and isinstance(limit, int) and limit < MIN_LIMIT_WITH_CODES:
            raise ValueError(f"needs QRIS_MAX_AMOUNT of at least {MIN_LIMIT_WITH_CODES} (got {limit})")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        """Refuses an unknown time zone name."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        """Refuses a language that has no catalogue under bot/locales."""
        if value not in languages():
            raise ValueError(f"no texts in {value!r}; languages with texts: {', '.join(languages())}")
        return value

    @field_validator("event_loop")
    @classmethod
    def _event_loop(cls, value: EventLoopChoice) -> EventLoopChoice:
        """Refuses uvloop asked for by name where it is not installed ("auto" falls back to asyncio's loop)."""
        if value == "uvloop" and not uvloop_installed():
            raise ValueError("uvloop is not installed here; use auto or asyncio")
        return value

    @field_validator("database_url")
    @classmethod
    def _db(cls, value: str) -> str:
        """Accepts SQLite and PostgreSQL URLs, adding the async driver when missing."""
        return normalize_database_url(value)

    @property
    def tz(self) -> ZoneInfo:
        """The business time zone."""
        return ZoneInfo(self.timezone)

    @property
    def http_address(self) -> tuple[str, int]:
        """Where the web server listens: HTTP_LISTEN and HTTP_PORT, else their old names WEBHOOK_LISTEN/PORT."""
        given = self.model_fields_set
        host = self.webhook_listen if self.webhook_listen is not None and "http_listen" not in given else None
        port = self.webhook_port if self.webhook_port is not None and "http_port" not in given else None
        return host or self.http_listen, self.http_port if port is None else port

    def startup_notices(self) -> list[str]:
        """One line each for settings that changed meaning: WEBHOOK_LISTEN/WEBHOOK_PORT, the webhook's old port."""
        old = [name for name, value in (("WEBHOOK_LISTEN", self.webhook_listen), ("WEBHOOK_PORT", self.webhook_port))
               if value is not None]
        host, port = self.http_address
        if old:
            new = " and ".join(name.replace("WEBHOOK_", "HTTP_") for name in old)
            many = len(old) > 1
            return [f"{' and '.join(old)} {'are old names' if many else 'is an old name'} of {new}: listening on "
                    f"{host}:{port} (rename {'them' if many else 'it'}; HTTP_* wins when both are set)"]
        if self.webhook_url and "http_port" not in self.model_fields_set:
            return [f"Webhook mode on HTTP_PORT's default {port} (WEBHOOK_PORT's default used to be 8443): the HTTPS "
                    "proxy must forward /telegram to this port"]
        return []

    @property
    def storefront_url(self) -> str | None:
        """MINIAPP_URL, else {PUBLIC_BASE_URL}/app when that is https, else None (no Mini App buttons)."""
        if self.miniapp_url:
            return self.miniapp_url
        base = self.public_base_url
        return f"{base.rstrip('/')}/app" if base and base.startswith("https://") else None

    @property
    def midtrans_key(self) -> str | None:
        """The Midtrans server key as plain text, or None."""
        return self.midtrans_server_key.get_secret_value() if self.midtrans_server_key else None

    @property
    def token(self) -> str | None:
        """The bot token as plain text, or None for the offline demo."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


class SettingsError(Exception):
    """A setting that stops start-up; the message is one line naming the variable."""


def load_settings(**overrides: object) -> Settings:
    """Loads settings, turning validation errors into one clear line per variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "?"
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"Invalid setting {name}: {msg} (got {err.get('input')!r})")
        raise SettingsError("\n".join(lines)) from None
