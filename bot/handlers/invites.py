"""Staff invites in the bot: a manager makes a one-time link, the newcomer opens it, a manager approves.

`/start inv_<token>` is caught here before the buyers' /start; the claim is written with the manager's
approval request in the outbox, in one transaction.
"""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.handlers.common import forget_viewer, services, viewer_of
from bot.handlers.menus import set_chat_menu
from bot.handlers.staff_common import lang, manager_gate, pressed, refuse
from bot.keyboards import button, markup
from bot.texts import lang_of, t
from bot.texts.format import Lang, clock, long_date
from bot.texts.labels import line_label, role_label
from models.audit import StaffInvite
from models.errors import AlreadyDone, DomainError, NotAllowed
from models.people import Line, Role
from models.services import invites, outbox, recipients

LINE_WORDS = {"roti": Line.BAKERY, "bakery": Line.BAKERY, "paving": Line.PAVING, "galeri": Line.GALERI}
MANAGER_WORDS = {"pimpinan", "manajer", "manager"}


def role_words(lg: Lang, role: Role, line: Line | None) -> tuple[str, str]:
    """The role and line as people read them."""
    return role_label(lg, role), line_label(lg, line)


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Makes an invite link (`/undang roti`); without an argument, offers the lines as buttons."""
    viewer = await manager_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    word = " ".join(context.args or []).strip().lower()
    if not word:
        choices = [button(line_label(lg, line), "minv", line.value) for line in Line]
        choices.append(button(t(lg, "mg_role_manager"), "minv", "manager"))
        await message.reply_text(t(lg, "mg_invite_choose"), reply_markup=markup(choices[:3], choices[3:]))
        return
    await _make_link(update, context, word)


async def on_invite_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The line chosen on the invite buttons."""
    viewer = await manager_gate(update, context)
    callback = pressed(update)
    if viewer is None or callback is None or update.callback_query is None:
        return
    await update.callback_query.answer()
    await _make_link(update, context, callback.args[0] if callback.args else "")


async def _make_link(update: Update, context: ContextTypes.DEFAULT_TYPE, word: str) -> None:
    """Creates the invite and shows its deep link."""
    viewer = viewer_of(context)
    lg = lang(context)
    if word in MANAGER_WORDS:
        role, line = Role.MANAGER, None
    elif word in LINE_WORDS or word in {line.value for line in Line}:
        role, line = Role.STAFF, LINE_WORDS.get(word) or Line(word)
    else:
        await refuse(update, "mg_help", viewer.lang)
        return
    svc = services(context)
    try:
        async with svc.session_factory.begin() as session:
            created = await invites.create_invite(session, viewer.telegram_id, role, line, now=svc.now())
    except NotAllowed:
        await refuse(update, "mg_err_not_allowed", viewer.lang)
        return
    link = f"https://t.me/{context.bot.username}?start={invites.deep_link_payload(created)}"
    role_text, line_text = role_words(lg, role, line)
    until = f"{long_date(created.expires_at.astimezone(svc.settings.tz).date(), lg)} {clock(created.expires_at)}"
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(
            chat.id, t(lg, "mg_invite_link", role=role_text, line=line_text, until=until, link=link)
        )


async def claim(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Someone opened an invite link: the claim is recorded and the inviting manager asked to approve."""
    viewer = viewer_of(context)
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    token = invites.token_of(context.args[0] if context.args else "")
    svc = services(context)
    try:
        async with svc.session_factory.begin() as session:
            if token is None:
                raise invites.InviteError("invite_unknown")
            found, first = await invites.claim_invite(session, token, user.id, user.full_name, now=svc.now())
            if first:
                await _ask_approval(session, found, svc.now())
    except invites.InviteError as exc:
        key = {"invite_expired": "mg_invite_expired", "invite_used": "mg_invite_used"}.get(str(exc))
        await message.reply_text(t(viewer.lang, key or "mg_invite_unknown"))
        return
    await message.reply_text(t(viewer.lang, "mg_invite_wait", name=escape(user.first_name)))


async def _ask_approval(session: Any, found: StaffInvite, now: Any) -> None:
    """Queues the approval question to the manager who made the invite."""
    lg: Lang = lang_of(await recipients.language_of(session, found.created_by))
    role_text, line_text = role_words(lg, found.role, found.line)
    keyboard = markup([
        button(t(lg, "mg_btn_approve"), "mia", found.id), button(t(lg, "mg_btn_decline"), "mid", found.id)
    ])
    await outbox.enqueue(
        session, found.created_by,
        t(lg, "mg_invite_claimed", name=escape(found.claimed_name or "?"), telegram_id=found.claimed_by, role=role_text,
          line=line_text),
        due_at=now, dedupe_key=f"invite-claim:{found.id}", template="invite-claim", reply_markup=keyboard.to_dict(),
    )


async def on_decision(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Approves (role given, newcomer welcomed, menu set) or declines a claimed invite."""
    viewer = await manager_gate(update, context)
    callback = pressed(update)
    query = update.callback_query
    if viewer is None or callback is None or query is None:
        return
    invite_id = callback.int_arg(0)
    lg = lang(context)
    svc = services(context)
    if invite_id is None:
        await refuse(update, "st_err_stale", viewer.lang)
        return
    try:
        async with svc.session_factory.begin() as session:
            if callback.action == "mia":
                found, member = await invites.approve_invite(session, invite_id, viewer.telegram_id, now=svc.now())
                newcomer_lang = await recipients.language_of(session, member.telegram_id)
                role_text, line_text = role_words(lg, found.role, found.line)
                await outbox.enqueue(
                    session, member.telegram_id,
                    t(newcomer_lang, "mg_invite_welcome", name=escape(member.name), role=role_words(
                        lang_of(newcomer_lang), found.role, found.line)[0]),
                    due_at=svc.now(), dedupe_key=f"invite-welcome:{found.id}", template="invite-welcome",
                )
                result = t(lg, "mg_invite_approved", name=escape(member.name), role=role_text, line=line_text)
            else:
                found = await invites.decline_invite(session, invite_id, viewer.telegram_id, now=svc.now())
                member = None
                result = t(lg, "mg_invite_declined", name=escape(found.claimed_name or "?"))
    except NotAllowed:
        await refuse(update, "mg_err_not_allowed", viewer.lang)
        return
    except AlreadyDone:
        await refuse(update, "mg_err_already", viewer.lang)
        return
    except DomainError:
        await refuse(update, "mg_invite_unknown", viewer.lang)
        return
    await query.answer()
    await query.edit_message_text(result)
    if member is not None:
        await set_chat_menu(context.bot, member.telegram_id, member.role, newcomer_lang)
        application_user = context.application.user_data.get(member.telegram_id)
        if application_user is not None:
            application_user.pop("viewer", None)  # the newcomer's next update reloads the role
    forget_viewer(context)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the invite handlers (before the buyers' /start)."""
    from telegram.ext import CallbackQueryHandler

    application.add_handler(CommandHandler("start", claim, filters=filters.Regex(r"^/start(@\w+)? inv_")))
    application.add_handler(CommandHandler("undang", invite))
    application.add_handler(CallbackQueryHandler(on_invite_button, pattern=r"^minv:"))
    application.add_handler(CallbackQueryHandler(on_decision, pattern=r"^mi[ad]:"))
