"""Manager changes from the chat: price, on/off, stock, a day's capacity, holidays, staff, audit trail.

Each command parses its arguments, calls one service (which checks the manager role again and records
who and when), and answers in one line.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.common import Viewer, services
from bot.handlers.menus import set_chat_menu
from bot.handlers.staff_common import lang, manager_gate, parse_day, pressed, refuse, today_of
from bot.keyboards import button, markup, rows
from bot.render.staff_cards import status_label
from bot.texts import t, tn
from bot.texts.format import Lang, long_date, number, number_id, rupiah
from bot.texts.labels import line_label, role_label
from models.catalog import Family
from models.errors import AlreadyDone, DomainError, InvalidInput, NotAllowed, NotFound
from models.rules.calendar import to_wib
from models.services import admin
from models.services import staff as staff_service


def _number(text: str) -> int | None:
    """Reads "3500", "3.500" or "Rp3.500" as an int."""
    cleaned = text.strip().lower().removeprefix("rp").replace(".", "").replace(",", "")
    return int(cleaned) if cleaned.isdigit() else None


def _error(lg: Lang, exc: DomainError) -> str:
    """A manager-facing refusal."""
    if isinstance(exc, NotAllowed):
        return t(lg, "mg_err_not_allowed") if exc.details.get("minimum") else t(lg, "mg_refused")
    if isinstance(exc, NotFound):
        what = " ".join(str(v) for v in exc.details.values()) or str(exc)
        return t(lg, "mg_err_not_found", what=escape(what))
    if isinstance(exc, AlreadyDone):
        return t(lg, "mg_err_already")
    if isinstance(exc, InvalidInput) and str(exc) == "below_committed":
        return t(lg, "mg_err_below_committed", committed=exc.details.get("committed", 0))
    return t(lg, "mg_err_input", reason=escape(str(exc)))


async def _begin(
    update: Update, context: ContextTypes.DEFAULT_TYPE, count: int, usage: str
) -> tuple[Viewer, list[str]] | None:
    """The manager and their arguments, or None after a refusal or a usage line."""
    viewer = await manager_gate(update, context)
    if viewer is None or update.effective_message is None:
        return None
    args = list(context.args or [])
    if len(args) < count:
        await update.effective_message.reply_text(t(lang(context), "mg_usage", usage=usage))
        return None
    return viewer, args


async def _reply(update: Update, text: str) -> None:
    """Answers the command."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def price(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/harga SKU HARGA` changes a price for new orders."""
    begun = await _begin(update, context, 2, "/harga SKU HARGA")
    if begun is None:
        return
    viewer, args = begun
    lg, svc = lang(context), services(context)
    amount = _number(args[1])
    if amount is None:
        await _reply(update, t(lg, "mg_bad_number", text=escape(args[1])))
        return
    try:
        async with svc.session_factory.begin() as session:
            product, old = await admin.change_price(session, viewer.telegram_id, args[0], amount, now=svc.now())
    except DomainError as exc:
        await _reply(update, _error(lg, exc))
        return
    await _reply(update, t(lg, "mg_price_ok", sku=product.sku, price=rupiah(product.price), old=rupiah(old)))


async def switch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/produk SKU on|off` switches a product on or off for buyers."""
    begun = await _begin(update, context, 2, "/produk SKU on|off")
    if begun is None:
        return
    viewer, args = begun
    lg, svc = lang(context), services(context)
    word = args[1].lower()
    if word not in ("on", "off", "aktif", "nonaktif"):
        await _reply(update, t(lg, "mg_usage", usage="/produk SKU on|off"))
        return
    active = word in ("on", "aktif")
    try:
        async with svc.session_factory.begin() as session:
            product = await admin.set_active(session, viewer.telegram_id, args[0], active, now=svc.now())
    except DomainError as exc:
        await _reply(update, _error(lg, exc))
        return
    await _reply(update, t(lg, "mg_active_on" if active else "mg_active_off", sku=product.sku))


async def stock(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/stok SKU JUMLAH` sets goods on hand (or cured paving ready)."""
    begun = await _begin(update, context, 2, "/stok SKU JUMLAH")
    if begun is None:
        return
    viewer, args = begun
    lg, svc = lang(context), services(context)
    qty = _number(args[1])
    if qty is None:
        await _reply(update, t(lg, "mg_bad_number", text=escape(args[1])))
        return
    try:
        async with svc.session_factory.begin() as session:
            product = await admin.set_stock(session, viewer.telegram_id, args[0], qty, now=svc.now())
    except DomainError as exc:
        await _reply(update, _error(lg, exc))
        return
    await _reply(update, t(lg, "mg_stock_ok", sku=product.sku, qty=number_id(qty)))


async def capacity(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/kapasitas SKU TANGGAL JUMLAH` sets one day's capacity."""
    begun = await _begin(update, context, 3, "/kapasitas SKU TANGGAL JUMLAH")
    if begun is None:
        return
    viewer, args = begun
    lg, svc = lang(context), services(context)
    day = parse_day(args[1], today_of(context))
    qty = _number(args[2])
    if day is None:
        await _reply(update, t(lg, "mg_bad_date", text=escape(args[1])))
        return
    if qty is None:
        await _reply(update, t(lg, "mg_bad_number", text=escape(args[2])))
        return
    try:
        async with svc.session_factory.begin() as session:
            row = await admin.set_day_capacity(session, viewer.telegram_id, args[0], day, qty, now=svc.now())
            committed = row.committed
    except DomainError as exc:
        await _reply(update, _error(lg, exc))
        return
    await _reply(update, t(lg, "mg_capacity_ok", sku=args[0].upper(), date=long_date(day, lg),
                           capacity=number_id(qty), committed=number_id(committed)))


async def holiday(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/libur TANGGAL NAMA` closes a day for production and pickups."""
    begun = await _begin(update, context, 1, "/libur TANGGAL NAMA")
    if begun is None:
        return
    viewer, args = begun
    lg, svc = lang(context), services(context)
    day = parse_day(args[0], today_of(context))
    if day is None:
        await _reply(update, t(lg, "mg_bad_date", text=escape(args[0])))
        return
    name = " ".join(args[1:]) or "Libur"
    try:
        async with svc.session_factory.begin() as session:
            open_orders = await admin.add_holiday(session, viewer.telegram_id, day, name, now=svc.now())
    except DomainError as exc:
        await _reply(update, _error(lg, exc))
        return
    text = t(lg, "mg_holiday_ok", date=long_date(day, lg), name=escape(name))
    if open_orders:
        text += "\n" + tn(lg, "mg_holiday_orders", open_orders, count=number(open_orders, lg))
    await _reply(update, text)


async def catalogue_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/katalog` lists every product with SKU, price, stock and whether it is on."""
    viewer = await manager_gate(update, context)
    if viewer is None:
        return
    lg = lang(context)
    async with services(context).session_factory() as session:
        products = await admin.list_products(session, viewer.telegram_id)
    lines = []
    for p in products:
        amount = p.stock_ready if p.family is Family.PAVING else p.stock_on_hand
        stock_text = f" · stok {number_id(amount)}" if amount is not None else ""
        lines.append(t(lg, "mg_catalogue_line", state="🟢" if p.active else "⚪", sku=escape(p.sku),
                       price=rupiah(p.price), unit=escape(p.unit), stock=stock_text, name=escape(p.name)))
    await _reply(update, "\n".join(lines) or "-")


async def trail(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/audit KODE` shows who changed what on an order, and when."""
    begun = await _begin(update, context, 1, "/audit KODE")
    if begun is None:
        return
    viewer, args = begun
    lg, svc = lang(context), services(context)
    try:
        async with svc.session_factory() as session:
            order, entries = await admin.order_trail(session, viewer.telegram_id, "".join(args))
    except DomainError as exc:
        await _reply(update, _error(lg, exc))
        return
    out = [t(lg, "mg_trail_title", code=order.code, status=status_label(lg, order.status))]
    for entry in entries:
        local = to_wib(entry.at)
        out.append(t(lg, "mg_trail_line", when=local.strftime("%d-%m %H.%M"), who=escape(entry.actor),
                     what=escape(entry.what)))
    await _reply(update, "\n".join(out))


async def staff_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/staf` lists active staff with a remove button each (not for oneself)."""
    viewer = await manager_gate(update, context)
    if viewer is None:
        return
    lg = lang(context)
    async with services(context).session_factory() as session:
        await staff_service.require_role(session, viewer.telegram_id, staff_service.Role.MANAGER)
        members = await staff_service.list_staff(session)
    lines = [t(lg, "mg_staff_title", count=len(members))]
    buttons = []
    for m in members:
        line = line_label(lg, m.line)
        lines.append(t(lg, "mg_staff_line", role=role_label(lg, m.role), line=line, name=escape(m.name),
                       telegram_id=m.telegram_id))
        if m.telegram_id != viewer.telegram_id:
            buttons.append(button(t(lg, "mg_staff_remove", name=m.name[:20]), "mrm", m.telegram_id))
    if update.effective_message is not None:
        keyboard = markup(*rows(buttons)) if buttons else None
        await update.effective_message.reply_text("\n".join(lines), reply_markup=keyboard)


async def on_remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Takes the staff role from someone (the service refuses what the manager may not do)."""
    viewer = await manager_gate(update, context)
    callback = pressed(update)
    query = update.callback_query
    if viewer is None or callback is None or query is None:
        return
    target = callback.int_arg(0)
    if target is None:
        await refuse(update, "st_err_stale", viewer.lang)
        return
    lg, svc = lang(context), services(context)
    try:
        async with svc.session_factory.begin() as session:
            name = await admin.remove_staff(session, viewer.telegram_id, target, now=svc.now())
    except DomainError as exc:
        await query.answer(_error(lg, exc)[:190], show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(t(lg, "mg_staff_removed", name=escape(name)))
    await set_chat_menu(context.bot, target, None, "id")
    user_data = context.application.user_data.get(target)
    if user_data is not None:
        user_data.pop("viewer", None)
