"""Photos a manager sends for a product draft, and whatever else arrives where an answer is expected.

At the photos step a photo (or an image sent as a file) is downloaded within its size bound, prepared and stored
(`draft_photos.receive`); a sticker, a voice note, a PDF or a video gets a polite answer naming what is expected.
"""

from __future__ import annotations

from html import escape

from telegram import Message, Update

from bot import telegram_files
from bot.render.manager_products import photos_screen, prompt_screen
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.router import Router, manager_only
from bot.texts import t
from models.errors import ImageTooBig
from models.images import MAX_BYTES
from models.services import draft_photos, drafts

router = Router()
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def sent_text(lang: str, message: Message) -> str:
    """What was sent instead of text or a photo, said back ("Itu stiker."), or nothing for anything else."""
    if message.sticker is not None:
        return t(lang, "mg_p_sent_sticker")
    if message.voice is not None or message.audio is not None:
        return t(lang, "mg_p_sent_voice")
    if message.video is not None or message.video_note is not None or message.animation is not None:
        return t(lang, "mg_p_sent_video")
    if message.document is not None:
        return t(lang, "mg_p_sent_file", name=escape(message.document.file_name or "?"))
    return ""


async def received(update: Update, context: BotContext) -> None:
    """Something other than text while a draft waits: at the photos step a photo (or an image file) is taken, and
    anything else (a sticker, a voice note, a PDF, a video) is answered with what is expected."""
    message = update.effective_message
    if message is None:
        return
    lang = context.lang
    prompt = await drafts.current(context.session, context.viewer.telegram_id)
    picture = _picture(message)
    if picture is None or prompt.step != drafts.PHOTOS:
        expected = "mg_p_e_photo_expected" if prompt.step == drafts.PHOTOS else "mg_p_e_text_expected"
        await replies.say(update, context, f"{sent_text(lang, message)} {t(lang, expected)}".strip())
        return
    file_id, size = picture
    await context.commit()  # the draft is read; the download is a Bot API call
    try:
        data = await telegram_files.download(context.bot, file_id, size, MAX_BYTES)
    except telegram_files.FileTooLarge:
        raise ImageTooBig(size=size or MAX_BYTES + 1, limit=MAX_BYTES) from None
    prompt = await draft_photos.receive(context.session, context.viewer.telegram_id, data, file_id,
                                        context.services.media)
    await replies.show(update, context, photos_screen(lang, prompt), step=Step.DRAFT, in_place=False)


def _picture(message: Message) -> tuple[str, int | None] | None:
    """(file id, stated size) of a photo, or of a file that says it is a JPEG, PNG or WebP picture; else None."""
    if message.photo:
        best = message.photo[-1]
        return best.file_id, best.file_size
    document = message.document
    if document is not None and (document.mime_type or "").lower() in IMAGE_TYPES:
        return document.file_id, document.file_size
    return None


@router.button(Action.DRAFT_PHOTOS_DONE)
@manager_only
async def photos_done(update: Update, context: BotContext) -> None:
    """Selesai: on to the review (or back to the list of fields)."""
    prompt = await draft_photos.photos_done(context.session, context.viewer.telegram_id)
    await replies.answer(context)
    await replies.show(update, context, prompt_screen(context.lang, prompt), step=Step.DRAFT)


@router.button(Action.DRAFT_PHOTO)
@manager_only
async def arrange(update: Update, context: BotContext) -> None:
    """Puts a photo first, or takes it out of the draft."""
    press = context.press
    how = press.choice(1, frozenset(draft_photos.ARRANGEMENTS))
    prompt = await draft_photos.arrange_photo(context.session, context.viewer.telegram_id, press.int_arg(0), how)
    await replies.answer(context)
    await replies.show(update, context, photos_screen(context.lang, prompt), step=Step.DRAFT)
