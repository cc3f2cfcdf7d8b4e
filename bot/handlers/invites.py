"""Staff invites in the bot: a manager makes a one-time link, the newcomer opens it, a manager approves.

`/start inv_<token>` is a deep link of its own; the claim is written with the manager's approval request in the
outbox, in one transaction.
"""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.menus import set_chat_menu
from bot.render.manager import INVITE_MESSAGES, approved_text, declined_text, invite_choice_screen, invite_link_text
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action
from bot.routing.context import BotContext
from bot.routing.router import Router, manager_only
from bot.texts import lang_of, t
from models.errors import InviteError, InviteExpired, InviteUsed
from models.people import Line, Role
from models.services import invites

router = Router()
LINE_WORDS = {"roti": Line.BAKERY, "bakery": Line.BAKERY, "paving": Line.PAVING, "galeri": Line.GALERI}
MANAGER_WORDS = frozenset({"pimpinan", "manajer", "manager"})


def _role_for(word: str) -> tuple[Role, Line | None] | None:
    """The role and line an invite word asks for ("roti", "paving", "pimpinan"), or None."""
    if word in MANAGER_WORDS:
        return Role.MANAGER, None
    line = LINE_WORDS.get(word) or next((x for x in Line if x.value == word), None)
    return (Role.STAFF, line) if line is not None else None


@router.command("undang")
@manager_only
async def invite(update: Update, context: BotContext) -> None:
    """Makes an invite link (`/undang roti`); without an argument, offers the lines as buttons."""
    word = " ".join(context.args or []).strip().lower()
    if not word:
        await replies.show(update, context, invite_choice_screen(context.lang), track=False, in_place=False)
        return
    await _make_link(update, context, word)


@router.button(Action.INVITE_FOR)
@manager_only
async def invite_for(update: Update, context: BotContext) -> None:
    """The line chosen on the invite buttons."""
    await replies.answer(context)
    await _make_link(update, context, context.press.text_arg(0))


async def _make_link(update: Update, context: BotContext, word: str) -> None:
    """Creates the invite and shows its deep link."""
    wanted = _role_for(word)
    if wanted is None:
        await replies.refuse(update, context, t(context.lang, "mg_help"))
        return
    created = await invites.create_invite(context.session, context.viewer.telegram_id, *wanted, now=context.now())
    link = f"https://t.me/{context.bot.username}?start={invites.deep_link_payload(created)}"
    expires = created.expires_at.astimezone(context.services.settings.tz)
    await replies.say(update, context, invite_link_text(context.lang, created, link, expires))


_CLAIM_REFUSALS = {InviteExpired: "mg_invite_expired", InviteUsed: "mg_invite_used"}


@router.deep_link(invites.PREFIX)
async def claim(update: Update, context: BotContext) -> None:
    """Someone opened an invite link: the claim is recorded and the inviting manager asked to approve."""
    user = update.effective_user
    assert user is not None
    payload = (context.args or [""])[0]
    try:
        await invites.claim_and_ask(context.session, payload, user.id, user.full_name, wording=INVITE_MESSAGES,
                                    now=context.now())
    except InviteError as exc:
        await context.rollback()
        await replies.say(update, context, t(context.lang, _CLAIM_REFUSALS.get(type(exc), "mg_invite_unknown")))
        return
    await replies.say(update, context, t(context.lang, "mg_invite_wait", name=escape(user.first_name)))


@router.button(Action.INVITE_APPROVE)
@manager_only
async def approve(update: Update, context: BotContext) -> None:
    """Approves a claimed invite: role given, newcomer welcomed, their menu set."""
    found, member, newcomer_lang = await invites.approve_and_welcome(
        context.session, context.press.int_arg(0), context.viewer.telegram_id, wording=INVITE_MESSAGES,
        now=context.now(),
    )
    await _decided(update, context, approved_text(context.lang, member, found))
    await set_chat_menu(context.bot, member.telegram_id, member.role, lang_of(newcomer_lang))
    context.forget_viewer(member.telegram_id)  # the newcomer's next update reloads the role


@router.button(Action.INVITE_DECLINE)
@manager_only
async def decline(update: Update, context: BotContext) -> None:
    """Declines a claimed invite: the link is dead from now on."""
    found = await invites.decline_invite(context.session, context.press.int_arg(0), context.viewer.telegram_id,
                                         now=context.now())
    await _decided(update, context, declined_text(context.lang, found))


async def _decided(update: Update, context: BotContext, result: str) -> None:
    """Replaces the approval question with the decision."""
    await replies.answer(context)
    await replies.show(update, context, Screen(result), track=False)
    context.forget_viewer()
