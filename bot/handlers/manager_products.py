"""Managers keep the catalogue in chat: /produkbaru asks what a new product's kind needs, /ubah SKU changes one
field at a time, /batal drops the draft.

The draft lives in the database (`models/services/drafts.py`): every answer is stored as it is given, so a
manager who leaves, or a restart, loses nothing. The chat's step only routes typed answers and photos here; the
draft says which question they answer. Saving is one compare-and-set (`product_changes.save`).
"""

from __future__ import annotations

from telegram import Message, Update

from bot.handlers import manager_photos
from bot.render.manager_products import (
    conflict_screen,
    field_error_text,
    prompt_screen,
    resume_screen,
    saved_text,
)
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.router import Router, manager_only
from bot.texts import t
from models.errors import FieldInvalid
from models.services import drafts, product_changes

router = Router()


async def show(update: Update, context: BotContext, prompt: drafts.Prompt, *, in_place: bool = True) -> None:
    """Shows where the draft stands and routes the next answer to it. The draft's screen is the chat's screen:
    pressed, it changes in place; after typed input the new question is sent and the old one loses its buttons."""
    await replies.answer(context)
    await replies.show(update, context, prompt_screen(context.lang, prompt), step=Step.DRAFT, in_place=in_place)


async def _opened(update: Update, context: BotContext, prompt: drafts.Prompt, *, fresh_allowed: bool) -> None:
    """Shows a draft just opened, or the older one found instead (go on with it, or start anew)."""
    if prompt.resumed:
        screen = resume_screen(context.lang, prompt, fresh=fresh_allowed)
        await replies.show(update, context, screen, step=Step.DRAFT, in_place=False)
        return
    await show(update, context, prompt, in_place=False)


@router.command("produkbaru")
@manager_only
async def new_product(update: Update, context: BotContext) -> None:
    """`/produkbaru`: a new product, question by question (an unfinished draft is offered first)."""
    prompt = await drafts.start_new(context.session, context.viewer.telegram_id)
    await _opened(update, context, prompt, fresh_allowed=True)


@router.command("ubah")
@manager_only
async def change_product(update: Update, context: BotContext) -> None:
    """`/ubah SKU`: the product's fields, to change one at a time, its photos, and hide or show it."""
    args = list(context.args or [])
    if not args:
        await replies.say(update, context, t(context.lang, "mg_usage", usage="/ubah SKU"))
        return
    prompt = await drafts.start_edit(context.session, context.viewer.telegram_id, sku=args[0])
    await _opened(update, context, prompt, fresh_allowed=False)


@router.button(Action.EDIT_PRODUCT)
@manager_only
async def change_pressed(update: Update, context: BotContext) -> None:
    """The ✏️ button of the manager's product list: as /ubah SKU."""
    prompt = await drafts.start_edit(context.session, context.viewer.telegram_id, product_id=context.press.int_arg(0))
    await replies.answer(context)
    await _opened(update, context, prompt, fresh_allowed=False)


@router.command("batal")
@manager_only
async def drop_command(update: Update, context: BotContext) -> None:
    """`/batal`: drops the product draft (nothing of it was saved)."""
    dropped = await drafts.drop(context.session, context.viewer.telegram_id)
    await replies.set_step(update, context, None)
    await replies.say(update, context, t(context.lang, "mg_p_dropped" if dropped else "mg_p_no_draft"))


@router.button(Action.DRAFT_DROP)
@manager_only
async def drop_pressed(update: Update, context: BotContext) -> None:
    """Batal on the review: drops the draft."""
    dropped = await drafts.drop(context.session, context.viewer.telegram_id)
    await replies.set_step(update, context, None)
    await replies.answer(context)
    await replies.show(update, context, Screen(t(context.lang, "mg_p_dropped" if dropped else "mg_p_no_draft")),
                       track=False)


@router.button(Action.DRAFT_RESUME)
@manager_only
async def resume(update: Update, context: BotContext) -> None:
    """Goes on with the open draft where it stopped."""
    await show(update, context, await drafts.current(context.session, context.viewer.telegram_id))


@router.button(Action.DRAFT_FRESH)
@manager_only
async def fresh(update: Update, context: BotContext) -> None:
    """Drops the open draft and begins a new product."""
    await show(update, context, await drafts.start_new(context.session, context.viewer.telegram_id, fresh=True))


def _text_of(message: Message | None) -> str | None:
    """The typed text of a message, if it is text."""
    return message.text if message is not None else None


@router.step(Step.DRAFT)
@manager_only
async def typed(update: Update, context: BotContext) -> None:
    """A typed answer to the draft's question (or a photo at the photos step); a bad one is refused with why."""
    message = update.effective_message
    text = _text_of(message)
    if text is None:
        await manager_photos.received(update, context)
        return
    try:
        prompt = await drafts.answer_text(context.session, context.viewer.telegram_id, text)
    except FieldInvalid as exc:
        await replies.say(update, context, field_error_text(context.lang, exc))
        return
    await show(update, context, prompt)


@router.button(Action.DRAFT_ANSWER)
@manager_only
async def answered(update: Update, context: BotContext) -> None:
    """A button answer: a category, the kind, how goods are sold, a unit, skip, the SKU offered."""
    press = context.press
    prompt = await drafts.answer_choice(context.session, context.viewer.telegram_id, press.text_arg(0),
                                        press.text_arg(1))
    await show(update, context, prompt)


@router.button(Action.DRAFT_FIELDS)
@manager_only
async def fields(update: Update, context: BotContext) -> None:
    """Ubah on the review: which field to change."""
    await show(update, context, await drafts.show_fields(context.session, context.viewer.telegram_id))


@router.button(Action.DRAFT_FIELD)
@manager_only
async def field(update: Update, context: BotContext) -> None:
    """Asks one field again (or the photos), then comes back to the list."""
    key = context.press.text_arg(0)
    await show(update, context, await drafts.choose_field(context.session, context.viewer.telegram_id, key))


@router.button(Action.DRAFT_ACTIVE)
@manager_only
async def visibility(update: Update, context: BotContext) -> None:
    """Hide from buyers / show again (saved with Simpan)."""
    await show(update, context, await drafts.toggle_active(context.session, context.viewer.telegram_id))


@router.button(Action.DRAFT_SAVE)
@manager_only
async def save(update: Update, context: BotContext) -> None:
    """Simpan: the product is saved (and its photos), or another manager's change meanwhile is shown."""
    outcome = await product_changes.save(context.session, context.viewer.telegram_id, now=context.now(),
                                         media=context.services.media)
    lang = context.lang
    if isinstance(outcome, product_changes.Conflict):
        await replies.answer(context)
        screen = conflict_screen(lang, outcome.changes, outcome.prompt)
        await replies.show(update, context, screen, step=Step.DRAFT, in_place=False)
        return
    await replies.set_step(update, context, None)
    await replies.answer(context)
    await replies.strip_buttons(update, context)  # the review stays in the chat, as it was saved
    text = saved_text(lang, outcome.product, outcome.created, outcome.changes)
    await replies.show(update, context, Screen(text), track=False, in_place=False)
