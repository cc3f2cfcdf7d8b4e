"""The command line: run, demo, migrate, backup, restore, catalogue, staff, report, payments and qris."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError

from bot import event_loop
from bot.settings import Settings, SettingsError, load_settings
from models.errors import CatalogueError, DomainError, NotFound

T = TypeVar("T")


def _settings() -> Settings:
    """Loads settings or stops with one clear line per bad variable."""
    try:
        return load_settings()
    except SettingsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _run(coro_factory: Callable[[Settings], Awaitable[T]]) -> T:
    """Runs an async command with loaded settings, printing domain errors as one line."""
    settings = _settings()
    try:
        return event_loop.run(coro_factory(settings), settings.event_loop)  # type: ignore[arg-type]
    except CatalogueError as exc:
        click.echo("Katalog ditolak, tidak ada yang diubah. Masalah:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", exc)).splitlines()[0]
        click.echo(f"Database error: {first} (is the database migrated? run `python -m bot migrate`)", err=True)
        sys.exit(1)
    except DomainError as exc:
        subject = exc.details.get("what", exc) if isinstance(exc, NotFound) else exc  # "staff", "order"...
        details = ", ".join(f"{key}={value}" for key, value in exc.details.items() if key != "what")
        click.echo(f"Error: {subject}" + (f" ({details})" if details else ""), err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Karya Binaan ordering bot (Rutan Kelas I Medan)."""


@cli.command()
def migrate() -> None:
    """Upgrade the database (SQLite or PostgreSQL) to the latest schema."""
    from bot import cli_tasks

    _run(cli_tasks.migrate)
    click.echo("Database is up to date.")


def _run_backup_task(coro_factory: Callable[[Settings], Awaitable[str]]) -> None:
    """Runs a backup or restore, printing its result, or its failure as one line (exit 1)."""
    from models.backup import BackupError

    try:
        click.echo(_run(coro_factory))
    except BackupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


@cli.command()
@click.option(
    "--to",
    "to_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the backup file (default: BACKUP_DIR, else var/backups).",
)
def backup(to_dir: Path | None) -> None:
    """Back the database up into a file named with the UTC time (SQLite: online copy; PostgreSQL: pg_dump)."""
    from bot import cli_tasks

    _run_backup_task(lambda s: cli_tasks.backup(s, to_dir))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--database-url", default=None, help="Database to restore into (default: DATABASE_URL).")
@click.option("--force", is_flag=True, help="Overwrite a database that already holds orders.")
def restore(file: Path, database_url: str | None, force: bool) -> None:
    """Restore the backup FILE into the database (refused if it holds orders, unless --force)."""
    from bot import cli_tasks

    _run_backup_task(lambda s: cli_tasks.restore(s, file, database_url, force=force))


@cli.command()
def run() -> None:
    """Start the bot: polling or webhook with a token, the offline demo without one."""
    from bot import cli_tasks

    settings = _settings()
    code = cli_tasks.run_bot(settings)
    sys.exit(code)


@cli.command()
@click.option(
    "--script",
    "script",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Play a scripted conversation and print the transcript instead of chatting.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for the photos (QR codes) the bot sends.",
)
def demo(script: Path | None, out_dir: Path) -> None:
    """Chat with the bot in the terminal, against the built-in Telegram emulator."""
    from bot import demo as demo_mod
    from models.single_process import DatabaseInUse, claim_sqlite

    settings = _settings()
    try:
        claim = claim_sqlite(settings.database_url)  # the demo is a bot process too: one per SQLite file
    except DatabaseInUse as exc:
        click.echo(str(exc))
        sys.exit(2)
    try:
        code = event_loop.run(demo_mod.run_demo(settings, script=script, out_dir=out_dir), settings.event_loop)
    finally:
        if claim is not None:
            claim.release()
    sys.exit(code)


@cli.group()
def catalogue() -> None:
    """Import, export and list the catalogue."""


@catalogue.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--if-empty", is_flag=True, help="Only import when the catalogue has no product yet.")
def catalogue_import(file: Path | None, if_empty: bool) -> None:
    """Upsert the products of FILE (default: CATALOGUE_FILE) by SKU; refused whole if any entry is wrong."""
    from bot import cli_tasks

    message = _run(lambda s: cli_tasks.import_catalogue(s, file or s.catalogue_file, if_empty=if_empty))
    click.echo(message)


@catalogue.command("export")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout)."
)
@click.option(
    "--photos",
    "photos_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the product photos into this folder (and the YAML there as catalogue.yaml, unless --output).",
)
def catalogue_export(output: Path | None, photos_dir: Path | None) -> None:
    """Write the catalogue as YAML (with --photos, the photo files too, listed under each product)."""
    from bot import cli_tasks

    if photos_dir is not None and output is None:
        output = photos_dir / "catalogue.yaml"
    yaml_dir = output.parent if output is not None else None
    text = _run(lambda s: cli_tasks.export_catalogue(s, photos_dir, yaml_dir))
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}" + (f" and the photos in {photos_dir}" if photos_dir else ""))
    else:
        click.echo(text, nl=False)


@catalogue.command("list")
def catalogue_list() -> None:
    """List products with price, family and stock."""
    from bot import cli_tasks

    click.echo(_run(cli_tasks.list_catalogue))


@cli.group()
def staff() -> None:
    """Manage staff, managers and admins."""


@staff.command("add")
@click.argument("telegram_id", type=int)
@click.argument("name")
@click.option("--role", type=click.Choice(["staff", "manager", "admin"]), default="staff", show_default=True)
@click.option("--line", type=click.Choice(["bakery", "paving", "galeri"]), default=None)
def staff_add(telegram_id: int, name: str, role: str, line: str | None) -> None:
    """Give TELEGRAM_ID a role (NAME is how the bot calls them)."""
    from bot import cli_tasks

    click.echo(_run(lambda s: cli_tasks.add_staff(s, telegram_id, name, role, line)))


@staff.command("remove")
@click.argument("telegram_id", type=int)
def staff_remove(telegram_id: int) -> None:
    """Take away TELEGRAM_ID's role."""
    from bot import cli_tasks

    click.echo(_run(lambda s: cli_tasks.remove_staff(s, telegram_id)))


@staff.command("list")
def staff_list() -> None:
    """List active staff members."""
    from bot import cli_tasks

    click.echo(_run(cli_tasks.list_staff))


@cli.group()
def report() -> None:
    """Print reports from the database."""


@report.command("production")
@click.option(
    "--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="Pickup day, YYYY-MM-DD."
)
def report_production(day: Any) -> None:
    """The bakery's production sheet for a day."""
    from bot import cli_tasks

    click.echo(_run(lambda s: cli_tasks.production_report(s, day.date())))


@report.command("weekly")
@click.option("--week", required=True, help="ISO week, e.g. 2026-W48, or any date in it (YYYY-MM-DD).")
def report_weekly(week: str) -> None:
    """The managers' weekly summary."""
    from bot import cli_tasks
    from models.rules.parsing import parse_week

    monday = parse_week(week)
    if monday is None:
        raise click.BadParameter(f"not a week: {week!r} (use 2026-W48 or 2026-11-28)", param_hint="--week")
    click.echo(_run(lambda s: cli_tasks.weekly_report(s, monday)))


@cli.group()
def payments() -> None:
    """Match payments from the merchant's statement."""


@payments.command("match")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--amount-column", help="Header (or number, from 1) of the amount column, if the headers do not say.")
@click.option("--time-column", help="Header (or number) of the date (and time) column, if the headers do not say.")
@click.option("--clock-column", help="Header (or number) of a separate time-of-day column, if there is one.")
@click.option("--confirm", is_flag=True, help="Confirm every proposed match (the buyers are told).")
@click.option("--by", "staff_id", type=int, help="Telegram id of the staff member who confirms (with --confirm).")
def payments_match(
    file: Path, amount_column: str | None, time_column: str | None, clock_column: str | None, confirm: bool,
    staff_id: int | None,
) -> None:
    """Match FILE, a CSV or XLSX export of the merchant app or portal, to the open payment codes."""
    from bot import cli_tasks

    if confirm and staff_id is None:
        raise click.UsageError("--confirm needs --by TELEGRAM_ID (the staff member who confirms)")
    columns = {"amount": amount_column, "time": time_column, "clock": clock_column}
    text, code = _run(lambda s: cli_tasks.match_statement(s, file, columns, confirm_by=staff_id if confirm else None))
    click.echo(text, err=code != 0)
    sys.exit(code)


@cli.group()
def qris() -> None:
    """Check the merchant's QRIS."""


@qris.command("check")
@click.argument("payload", required=False)
def qris_check(payload: str | None) -> None:
    """Explain a QRIS payload (default: the configured one) or say what is wrong with it."""
    from bot import cli_tasks

    text, ok = cli_tasks.describe_qris(_settings(), payload)
    click.echo(text)
    sys.exit(0 if ok else 1)


def main() -> None:
    """Runs the CLI."""
    cli(prog_name="python -m bot")


__all__ = ["cli", "date", "main"]
