"""Implementations of the CLI commands (async, one unit of work each)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from bot import event_loop
from bot.render.plain import plain
from bot.render.staff_sheets import sheet_html
from bot.render.staff_statements import confirmation_text, proposal_text
from bot.services import build_services, merchant_payload, system_clock
from bot.settings import DEFAULT_BACKUP_DIR, Settings, normalize_database_url
from bot.texts.format import rupiah
from models import backup as backups
from models import qris
from models.errors import EmptyStatement, StatementError, StatementTooLarge
from models.migrate import upgrade
from models.people import Line, Role
from models.rules.statement_columns import Role as Column
from models.services import catalogue_io, catalogue_photos, reports, statements
from models.services import staff as staff_service
from models.services.statement_files import MAX_BYTES
from models.single_process import DatabaseInUse, claim_sqlite

log = logging.getLogger(__name__)


async def migrate(settings: Settings) -> None:
    """Upgrades the configured database to the latest schema."""
    services = build_services(settings)
    try:
        await upgrade(services.engine)
    finally:
        await services.engine.dispose()


def human_size(size: int) -> str:
    """A byte count as people read it: 512 bytes, 3.4 KiB, 12.0 MiB, 1.2 GiB."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.1f} {unit}"


async def backup(settings: Settings, to_dir: Path | None) -> str:
    """Backs the configured database up into `to_dir` (else BACKUP_DIR, else var/backups)."""
    folder = to_dir or settings.backup_dir or DEFAULT_BACKUP_DIR
    result = await backups.make_backup(settings.database_url, folder, now=system_clock())
    return f"Backup written: {result.path} ({human_size(result.size)})"


async def restore(settings: Settings, file: Path, database_url: str | None, *, force: bool) -> str:
    """Restores `file` into `database_url` (else DATABASE_URL); says what it restored and whether to migrate."""
    try:
        url = normalize_database_url(database_url) if database_url else settings.database_url
    except ValueError as exc:
        raise backups.BackupFailed(f"invalid --database-url: {exc}") from None
    result = await backups.restore(file, url, force=force)
    counts = result.counts
    lines = [
        f"Restored {file} into {result.target}: {counts.orders} orders, {counts.customers} customers, "
        f"{counts.products} products ({result.checked})."
    ]
    problem = await _schema_problem(settings.model_copy(update={"database_url": url}))
    if problem:
        lines.append(problem)
    return "\n".join(lines)


async def import_catalogue(settings: Settings, file: Path, *, if_empty: bool = False) -> str:
    """Imports a catalogue file in one transaction, with the photos it lists (read and checked first)."""
    text = catalogue_io.read_file(file)
    found = catalogue_photos.read_photos(catalogue_io.validate_catalogue(text), file.parent)
    services = build_services(settings)
    try:
        async with services.session_factory.begin() as session:
            if if_empty and not await catalogue_io.catalogue_is_empty(session):
                return "Catalogue already loaded; nothing imported (use `catalogue import FILE` to update)."
            result = await catalogue_io.import_catalogue(session, text)
            changed = await catalogue_photos.apply_photos(session, services.media, found, now=system_clock())
    finally:
        await services.engine.dispose()
    photos = f" Photos changed for {changed} of {len(found.by_sku)} products that list them." if found.by_sku else ""
    return (
        f"Catalogue imported: {result.created} new, {result.updated} updated, {result.categories} categories."
        + photos
    )


async def export_catalogue(settings: Settings, photos_dir: Path | None = None, yaml_dir: Path | None = None) -> str:
    """The catalogue as YAML; with `photos_dir`, the photo files too, listed relative to `yaml_dir`."""
    services = build_services(settings)
    try:
        async with services.session_factory() as session:
            listed = None
            if photos_dir is not None:
                folder = yaml_dir or Path.cwd()
                listed = await catalogue_photos.export_photos(session, services.media, photos_dir, folder)
            return await catalogue_io.export_catalogue(session, listed)
    finally:
        await services.engine.dispose()


async def list_catalogue(settings: Settings) -> str:
    """One line per product."""
    from sqlalchemy import select

    from models.catalog import Product

    services = build_services(settings)
    try:
        async with services.session_factory() as session:
            products = list(await session.scalars(select(Product).order_by(Product.id)))
    finally:
        await services.engine.dispose()
    if not products:
        return "The catalogue is empty."
    rows = []
    for p in products:
        stock = "" if p.stock_on_hand is None else f"  stock {p.stock_on_hand}"
        state = "" if p.active else "  (off)"
        rows.append(
            f"{p.sku:<12} {p.family.value:<6} {rupiah(p.price):>12}/{p.unit:<8} {p.name}{stock}{state}"
        )
    return "\n".join(rows)


async def add_staff(settings: Settings, telegram_id: int, name: str, role: str, line: str | None) -> str:
    """Adds a staff member."""
    services = build_services(settings)
    try:
        async with services.session_factory.begin() as session:
            member = await staff_service.add_staff(
                session, telegram_id, name, Role(role), Line(line) if line else None
            )
            return f"{member.name} ({member.telegram_id}) is now {member.role.value}."
    finally:
        await services.engine.dispose()


async def remove_staff(settings: Settings, telegram_id: int) -> str:
    """Removes a staff member's role."""
    services = build_services(settings)
    try:
        async with services.session_factory.begin() as session:
            await staff_service.remove_staff(session, telegram_id)
    finally:
        await services.engine.dispose()
    return f"{telegram_id} no longer has a staff role."


async def list_staff(settings: Settings) -> str:
    """One line per active staff member."""
    services = build_services(settings)
    try:
        async with services.session_factory() as session:
            members = await staff_service.list_staff(session)
    finally:
        await services.engine.dispose()
    if not members:
        return "No staff yet. Add one with: python -m bot staff add TELEGRAM_ID NAME --role manager"
    return "\n".join(
        f"{m.telegram_id:>12}  {m.role.value:<8} {(m.line.value if m.line else '-'):<7} {m.name}"
        for m in members
    )


async def production_report(settings: Settings, day: date) -> str:
    """The production sheet as plain text."""
    services = build_services(settings)
    try:
        async with services.session_factory() as session:
            sheet = await reports.production_sheet(session, day)
    finally:
        await services.engine.dispose()
    return plain(sheet_html(sheet, "id"))


async def match_statement(
    settings: Settings, file: Path, columns: dict[str, str | None], *, confirm_by: int | None
) -> tuple[str, int]:
    """Reads a statement file and prints the proposal (answering column questions from `columns`), then confirms
    it as `confirm_by` when given; (text, exit code)."""
    lang = settings.language
    if file.stat().st_size > MAX_BYTES:
        return f"{file.name}: too large (at most {MAX_BYTES // (1024 * 1024)} MB); export a shorter period.", 1
    services = build_services(settings)
    lookback = services.payment_policy.timeout
    try:
        async with services.session_factory.begin() as session:
            try:
                outcome = await statements.receive(
                    session, file.read_bytes(), file.name, staff_telegram_id=None, now=services.now(),
                    lookback=lookback,
                )
            except StatementError as exc:
                return f"{file.name}: {_statement_problem(exc)}", 1
            while isinstance(outcome, statements.Question):
                choice = _column_choice(outcome, columns)
                if isinstance(choice, str):
                    await session.rollback()
                    return choice, 2
                outcome = await statements.answer(
                    session, outcome.token, outcome.role, choice, staff_telegram_id=None, now=services.now(),
                    lookback=lookback,
                )
        text = plain(proposal_text(lang, outcome))
        if confirm_by is None or not outcome.result.matches:
            return text, 0
        async with services.session_factory.begin() as session:
            done = await statements.confirm(
                session, outcome.token, staff_telegram_id=confirm_by, now=services.now(),
                wording=services.buyer_wording, policy=services.payment_policy,
            )
        return text + "\n\n" + plain(confirmation_text(lang, done, shown=None)), 0
    finally:
        await services.engine.dispose()


def _statement_problem(exc: StatementError) -> str:
    """One line for a statement file the bot cannot read."""
    if isinstance(exc, EmptyStatement):
        return "no transaction in this file."
    if isinstance(exc, StatementTooLarge):
        return "too large; export a shorter period."
    return "not a transaction export (send the CSV or XLSX file of the merchant app or portal)."


def _column_choice(question: statements.Question, columns: dict[str, str | None]) -> int | str | None:
    """The column an option names for the question asked (None: no such column), or the line to print."""
    option = {Column.AMOUNT: "amount", Column.TIME: "time", Column.CLOCK: "clock"}[question.role]
    given = columns.get(option)
    listed = ", ".join(f"{i + 1} {header or '-'}" for i, header, _ in question.choices)
    if given is None:
        if question.optional:
            return None
        return f"Cannot tell which column holds the {option}; columns: {listed}. Pass --{option}-column."
    for index, header, _ in question.choices:
        if given.strip().lower() == header.strip().lower() or given.strip() == str(index + 1):
            return index
    return f"No column {given!r} to choose for the {option}; columns: {listed}."


async def weekly_report(settings: Settings, monday: date) -> str:
    """The weekly summary as plain text."""
    from bot.render.weekly import weekly_summary_html
    from models.services.weekly import weekly_summary

    services = build_services(settings)
    try:
        async with services.session_factory() as session:
            summary = await weekly_summary(session, monday)
    finally:
        await services.engine.dispose()
    return plain(weekly_summary_html(summary))


def describe_qris(settings: Settings, payload: str | None) -> tuple[str, bool]:
    """Explains a QRIS payload for staff, or says what is wrong with it."""
    source = payload if payload is not None else merchant_payload(settings)
    label = "" if payload is not None or settings.qris_merchant_payload else " (SAMPLE merchant for the demo)"
    try:
        info = qris.describe(source.strip())
    except qris.QrisError as exc:
        return f"Not a valid QRIS: {exc}", False
    lines = [
        f"Merchant{label}: {info.merchant_name}",
        f"City: {info.city}" + (f" {info.postal_code}" if info.postal_code else ""),
        f"NMID: {info.nmid or '-'}",
        f"Account issuers: {', '.join(info.account_issuers) or '-'}",
        f"Type: {'dynamic' if info.is_dynamic else 'static'}"
        + (f", amount {info.amount}" if info.amount else ""),
    ]
    ok = True
    if settings.qris_merchant_nmid and info.nmid != settings.qris_merchant_nmid:
        lines.append(f"WARNING: NMID differs from QRIS_MERCHANT_NMID ({settings.qris_merchant_nmid})")
        ok = False
    return "\n".join(lines), ok


async def _schema_problem(settings: Settings) -> str | None:
    """One line when the database is unreachable or not migrated to the latest schema, else None."""
    from models.migrate import current_revision, head_revision

    services = build_services(settings)
    try:
        current = await current_revision(services.engine)
    except Exception as exc:  # any connection failure is reported the same way, without a traceback
        return _unreachable(exc)
    finally:
        await services.engine.dispose()
    if current != head_revision():
        return (
            "The database schema is not up to date: run `python -m bot migrate` (make run does it), "
            "or set MIGRATE_ON_START=true."
        )
    return None


async def _migrate_on_start(settings: Settings) -> str | None:
    """Upgrades the schema before the bot starts (other processes starting at once wait); one line on failure."""
    services = build_services(settings)
    try:
        await upgrade(services.engine)
    except Exception as exc:  # unreachable, refused, a migration that failed: one line, no traceback
        return f"Could not migrate the database (DATABASE_URL): {type(exc).__name__}: {_first_line(exc)}"
    finally:
        await services.engine.dispose()
    return None


def _first_line(exc: BaseException) -> str:
    """The first line of an error's message (the driver's own message where there is one)."""
    return (str(getattr(exc, "orig", None) or exc).splitlines() or [""])[0]


def _unreachable(exc: BaseException) -> str:
    """The one line for a database that cannot be opened."""
    return f"Cannot open the database (DATABASE_URL): {type(exc).__name__}: {_first_line(exc)}"


def run_bot(settings: Settings) -> int:
    """Runs the bot until interrupted; without a token, explains and starts the offline demo.

    On SQLite the process first claims the database file (a second bot on it is refused: exit 2); then it
    migrates the schema (MIGRATE_ON_START) or refuses an out-of-date one.
    """
    from bot import logs

    logs.configure(settings.log_level, settings.log_format, settings.token)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if settings.log_level != "DEBUG":  # two INFO lines per job run, and the outbox dispatcher runs every second
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    from bot.app import check_startup

    for notice in settings.startup_notices():
        log.warning(notice)

    problem = check_startup(settings)
    if problem:
        print(problem)
        return 2
    try:
        claim = claim_sqlite(settings.database_url)  # held until this process ends
    except DatabaseInUse as exc:
        print(exc)
        return 2
    try:
        return _prepare_and_run(settings)
    finally:
        if claim is not None:
            claim.release()


def _prepare_and_run(settings: Settings) -> int:
    """Migrates (or checks) the schema, then runs the bot: the offline demo without a token."""
    from bot.app import run_application

    prepare = _migrate_on_start if settings.migrate_on_start else _schema_problem
    database_problem = event_loop.run(prepare(settings), settings.event_loop)
    if database_problem:
        print(database_problem)
        return 2
    if settings.token is None:
        print("TELEGRAM_BOT_TOKEN is not set: starting the offline demo (a terminal chat with the bot).")
        print("Set TELEGRAM_BOT_TOKEN in .env to run against Telegram.")
        from bot.demo import run_demo

        return event_loop.run(run_demo(settings, script=None, out_dir=Path("demo-output")), settings.event_loop)
    from telegram.error import InvalidToken

    try:
        return run_application(settings)
    except InvalidToken:  # PTB's message quotes the token itself: say it in our words, without it
        print("Telegram rejected TELEGRAM_BOT_TOKEN: check the token @BotFather gave (it may have been revoked).")
        return 2
