"""The buyer's own account: language, what is stored (/datasaya), deletion (/hapusdata) and help."""

from __future__ import annotations

from collections.abc import Sequence

from bot.keyboards import button, markup, rows
from bot.render.buyer_common import Lang, deadline_text, esc, lang_of, nav_row
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import languages, t
from bot.texts.format import number
from bot.texts.labels import language_button, language_name
from models.rules.phone import mask_phone
from models.services.customers import StoredData


def language_screen(lang: Lang) -> Screen:
    """Every language that has a catalogue, each button in its own language (Bahasa Indonesia, English...)."""
    buttons = [button(language_button(code), Action.LANGUAGE, code) for code in languages()]
    return Screen(t(lang, "b_lang_prompt"), markup(*rows(buttons, 2)))


def stored_data_screen(lang: Lang, data: StoredData) -> Screen:
    """Everything stored about the buyer, the phone masked."""
    lines = [t(lang, "b_data_title"), t(lang, "b_data_name", name=esc(data.name))]
    if data.phone:
        lines.append(t(lang, "b_data_phone", phone=mask_phone(data.phone)))
    else:
        lines.append(t(lang, "b_data_phone_none"))
    lines.append(t(lang, "b_data_lang", language=language_name(lang_of(data.language))))
    if data.consent_at is not None:
        time_text, date_text = deadline_text(lang, data.consent_at)
        lines.append(t(lang, "b_data_consent", date=date_text, time=time_text))
    lines.append(t(lang, "b_data_orders", n=number(data.order_count, lang)))
    if data.addresses:
        lines.append(t(lang, "b_data_addresses"))
        lines += [f"• {esc(a)}" for a in data.addresses]
    lines.append(t(lang, "b_data_footer"))
    return Screen("\n".join(lines), markup(nav_row(lang)))


def delete_confirm_screen(lang: Lang) -> Screen:
    """Says what deletion erases and what stays, and asks."""
    return Screen(
        t(lang, "b_delete_confirm"),
        markup([button(t(lang, "b_btn_yes_delete"), Action.DELETE_DATA_YES), button(t(lang, "b_btn_no"), Action.MENU)]),
    )


def delete_refused_text(lang: Lang, codes: Sequence[str]) -> str:
    """Why the data cannot be deleted yet."""
    return t(lang, "b_delete_refused", codes=", ".join(codes))


def help_screen(lang: Lang, shop: str, address: str) -> Screen:
    """How ordering works, the commands, and where the Galeri is."""
    return Screen(t(lang, "b_help", shop=esc(shop), address=esc(address)), markup(nav_row(lang)))
