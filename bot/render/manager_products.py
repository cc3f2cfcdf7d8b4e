"""What a manager reads while adding or changing a product: one question at a time, then the product exactly as
buyers will see it (the buyer's own renderer) with Simpan / Ubah / Batal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keyboards import button, markup, rows
from bot.render.buyer_catalogue import product_screen
from bot.render.buyer_common import category_name, esc, family_label
from bot.render.buyer_photos import CAPTION_LIMIT, visible_length
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import Lang, t, tn
from bot.texts.format import number, rupiah
from models.catalog import Family, Product
from models.errors import FieldInvalid
from models.rules import product_fields as pf
from models.rules.calendar import to_wib
from models.services import product_photos
from models.services.audit_trail import TrailLine
from models.services.drafts import FIELDS, PHOTOS, REVIEW, SKIP, Prompt
from models.services.photos import MAX_PHOTOS, GalleryPhoto
from models.services.product_changes import Change

# What each question shows as an example of an answer the bot reads.
EXAMPLES = {"price": "3.500", "daily_capacity": "240", "batch_yield": "48", "units_per_tray": "12",
            "shelf_life_days": "3", "lead_days": "1", "min_qty": "1", "pcs_per_m2": "44", "thickness_cm": "6",
            "weight_kg": "2,9", "waste_pct": "5", "stock_on_hand": "20", "name": "Roti Pisang Cokelat",
            "unit": "pcs", "description": "Roti lembut isi pisang dan cokelat, ±60 g.", "sku": "RTI-PSG-01",
            "category": "Kue Kering"}  # fmt: skip


def field_label(lang: Lang, key: str) -> str:
    """A field's name as managers read it ("Harga", "Isi per loyang")."""
    labels = {
        "category": "mg_p_f_category", "family": "mg_p_f_family", "name": "mg_p_f_name", "unit": "mg_p_f_unit",
        "price": "mg_p_f_price", "description": "mg_p_f_description", "daily_capacity": "mg_p_f_daily_capacity",
        "batch_yield": "mg_p_f_batch_yield", "units_per_tray": "mg_p_f_units_per_tray",
        "shelf_life_days": "mg_p_f_shelf_life_days", "lead_days": "mg_p_f_lead_days", "min_qty": "mg_p_f_min_qty",
        "pcs_per_m2": "mg_p_f_pcs_per_m2", "thickness_cm": "mg_p_f_thickness_cm", "weight_kg": "mg_p_f_weight_kg",
        "waste_pct": "mg_p_f_waste_pct", "stock_mode": "mg_p_f_stock_mode", "stock_on_hand": "mg_p_f_stock_on_hand",
        "sku": "mg_p_f_sku", "photos": "mg_p_f_photos", "active": "mg_p_f_active", "category_id": "mg_p_f_category",
        "max_qty": "mg_p_f_max_qty", "stock": "mg_p_f_stock_on_hand", "capacity": "mg_p_f_daily_capacity",
    }  # fmt: skip
    return t(lang, labels.get(key, "mg_p_f_other"))


def _question(lang: Lang, key: str) -> str:
    """The question a field asks."""
    asks = {
        "category": "mg_p_ask_category", "family": "mg_p_ask_family", "name": "mg_p_ask_name", "unit": "mg_p_ask_unit",
        "price": "mg_p_ask_price", "description": "mg_p_ask_description", "daily_capacity": "mg_p_ask_daily_capacity",
        "batch_yield": "mg_p_ask_batch_yield", "units_per_tray": "mg_p_ask_units_per_tray",
        "shelf_life_days": "mg_p_ask_shelf_life_days", "lead_days": "mg_p_ask_lead_days", "min_qty": "mg_p_ask_min_qty",
        "pcs_per_m2": "mg_p_ask_pcs_per_m2", "thickness_cm": "mg_p_ask_thickness_cm", "weight_kg": "mg_p_ask_weight_kg",
        "waste_pct": "mg_p_ask_waste_pct", "stock_mode": "mg_p_ask_stock_mode",
        "stock_on_hand": "mg_p_ask_stock_on_hand", "sku": "mg_p_ask_sku",
    }  # fmt: skip
    return t(lang, asks.get(key, "mg_p_ask_other"), example=EXAMPLES.get(key, ""))


def _answer(lang: Lang, key: str, value: str, label: str) -> InlineKeyboardButton:
    """A button that answers the question `key` with `value`."""
    return button(label, Action.DRAFT_ANSWER, key, value)


def _choices(lang: Lang, prompt: Prompt) -> list[list[InlineKeyboardButton]]:
    """The buttons of a question that offers some (categories, kinds, units, skip, the SKU offered)."""
    key = prompt.step
    if key == "category":
        return rows([_answer(lang, key, str(c.id), category_name(lang, c)) for c in prompt.categories])
    if key == "family":
        return [[_answer(lang, key, f.value, family_label(lang, f))] for f in Family]
    if key == "stock_mode":
        labels = {pf.UNIQUE: "mg_p_stock_unique", pf.STOCK: "mg_p_stock_counted", pf.TO_ORDER: "mg_p_stock_order"}
        return [[_answer(lang, key, mode, t(lang, labels[mode]))] for mode in pf.STOCK_MODES]
    if key == "unit":
        return rows([_answer(lang, key, unit, unit) for unit in pf.UNIT_CHOICES], 3)
    if key == "sku" and prompt.suggestion:
        return [[_answer(lang, key, "ok", t(lang, "mg_p_btn_use_sku", sku=prompt.suggestion))]]
    if key in pf.FIELDS and pf.FIELDS[key].optional:
        return [[_answer(lang, key, SKIP, t(lang, "mg_p_btn_skip"))]]
    return []


def prompt_screen(lang: Lang, prompt: Prompt) -> Screen:
    """The screen of where a draft stands: a question, the photos, the review or the list of fields."""
    if prompt.step == REVIEW:
        return review_screen(lang, prompt)
    if prompt.step == FIELDS:
        return fields_screen(lang, prompt)
    if prompt.step == PHOTOS:
        return photos_screen(lang, prompt)
    text = _question(lang, prompt.step)
    if prompt.step == "sku" and prompt.suggestion:
        text += "\n" + t(lang, "mg_p_sku_offer", sku=esc(prompt.suggestion))
    choices = _choices(lang, prompt)
    return Screen(f"{text}\n\n{t(lang, 'mg_p_footer')}", markup(*choices) if choices else None)


def photos_screen(lang: Lang, prompt: Prompt) -> Screen:
    """Asks for photos (up to six), with buttons to put one first or take one out, and Selesai."""
    count = len(prompt.photos)
    lines = [t(lang, "mg_p_ask_photos", most=MAX_PHOTOS), tn(lang, "mg_p_photos_count", count, count=count)]
    replace = prompt.draft.data.get("replace")
    if isinstance(replace, int):
        lines.append(t(lang, "mg_p_photo_replacing", n=replace + 1))
    buttons = []
    for index in range(count):
        row = [button(t(lang, "mg_p_btn_photo_replace", n=index + 1), Action.DRAFT_PHOTO, index, "replace"),
               button(t(lang, "mg_p_btn_photo_remove", n=index + 1), Action.DRAFT_PHOTO, index, "remove")]
        if index:
            row.insert(0, button(t(lang, "mg_p_btn_photo_first", n=index + 1), Action.DRAFT_PHOTO, index, "first"))
        buttons.append(row)
    done = [button(t(lang, "mg_p_btn_photos_done"), Action.DRAFT_PHOTOS_DONE)]
    return Screen("\n".join(lines) + f"\n\n{t(lang, 'mg_p_footer')}", markup(*buttons, done))


def draft_product(prompt: Prompt) -> Product:
    """The draft as a product that is not stored: what the buyer's renderer draws."""
    values = prompt.values
    family = prompt.family or Family.GOODS
    columns = pf.product_columns(family, values)
    columns.setdefault("lead_days", 0)
    columns["min_qty"] = columns.get("min_qty") or 1
    columns.setdefault("price", 0)
    columns["active"] = True
    return Product(id=prompt.draft.product_id or 0, sku=str(values.get("sku") or ""), family=family,
                   category_id=int(values.get("category") or 0), **columns)


def _buyer_view(lang: Lang, prompt: Prompt) -> Screen:
    """The product as buyers will see it: their renderer, the draft's first photo (by the file id of the
    manager's upload, else from its stored file)."""
    product = draft_product(prompt)
    gallery = [GalleryPhoto(product_photos.transient_photo(entry, product.id, position), entry.get("file_id"))
               for position, entry in enumerate(prompt.photos)]
    return product_screen(lang, product, None, gallery)


def review_screen(lang: Lang, prompt: Prompt) -> Screen:
    """The product exactly as buyers will see it, with Simpan / Ubah / Batal (and a title when it fits)."""
    view = _buyer_view(lang, prompt)
    head = t(lang, "mg_p_review_title")
    keyboard = markup([button(t(lang, "mg_p_btn_save"), Action.DRAFT_SAVE),
                       button(t(lang, "mg_p_btn_change"), Action.DRAFT_FIELDS),
                       button(t(lang, "mg_p_btn_drop"), Action.DRAFT_DROP)])
    fits = view.photo is None or visible_length(view.text) + visible_length(head) + 2 <= CAPTION_LIMIT
    return Screen(f"{head}\n\n{view.text}" if fits else view.text, keyboard, photo=view.photo)


def _value_text(lang: Lang, key: str, value: Any) -> str:
    """A field's value as a manager reads it in lists and the audit trail."""
    if value is None or value == "":
        return "–"
    if key == "price" and isinstance(value, int):
        return rupiah(value)
    if isinstance(value, bool):
        return t(lang, "mg_p_yes") if value else t(lang, "mg_p_no")
    if isinstance(value, int):
        return number(value, lang)
    text = str(value)
    return esc(text if len(text) <= 40 else text[:39] + "…")


def fields_screen(lang: Lang, prompt: Prompt, note: str | None = None) -> Screen:
    """Which field to change: one button per field of the product's kind, the photos, on/off, Simpan, Batal."""
    family = prompt.family or Family.GOODS
    values = prompt.values
    keys = ("category", *pf.COMMON_FIELDS, *pf.family_questions(family, values))
    lines = [note or t(lang, "mg_p_fields_title", sku=esc(values.get("sku") or "…"))]
    for key in keys:
        shown = values.get("category_name") if key == "category" else values.get(key)
        lines.append(f"• {field_label(lang, key)}: {_value_text(lang, key, shown)}")
    lines.append(f"• {field_label(lang, 'photos')}: {number(len(prompt.photos), lang)}")
    buttons = [button(field_label(lang, key), Action.DRAFT_FIELD, key) for key in keys]
    buttons.append(button(field_label(lang, "photos"), Action.DRAFT_FIELD, PHOTOS))
    extra = []
    if prompt.editing:
        hidden = not values.get("active", True)
        lines.append(t(lang, "mg_p_state_hidden") if hidden else t(lang, "mg_p_state_shown"))
        extra.append(button(t(lang, "mg_p_btn_show" if hidden else "mg_p_btn_hide"), Action.DRAFT_ACTIVE))
    closing = [button(t(lang, "mg_p_btn_save"), Action.DRAFT_SAVE), button(t(lang, "mg_p_btn_drop"), Action.DRAFT_DROP)]
    return Screen("\n".join(lines), markup(*rows(buttons, 3), extra, closing))


def resume_screen(lang: Lang, prompt: Prompt, *, fresh: bool) -> Screen:
    """An open draft was found: go on with it, or (for /produkbaru) drop it and start anew."""
    what = esc(prompt.values.get("name") or prompt.values.get("sku") or "…")
    keyboard = markup([button(t(lang, "mg_p_btn_resume"), Action.DRAFT_RESUME)],
                      [button(t(lang, "mg_p_btn_fresh"), Action.DRAFT_FRESH)] if fresh else [])
    return Screen(t(lang, "mg_p_resume", name=what), keyboard)


def field_error_text(lang: Lang, exc: FieldInvalid) -> str:
    """Why a typed answer was refused, with an example of one the bot reads."""
    d = exc.details
    key = str(d.get("field", ""))
    label, typed, example = field_label(lang, key), esc(d.get("text", "")), EXAMPLES.get(key, "")
    high, low = d.get("high"), d.get("low")
    match d.get("reason"):
        case "too_small":
            return t(lang, "mg_p_e_small", field=label, low=_value_text(lang, key, low), example=example)
        case "too_large":
            return t(lang, "mg_p_e_large", field=label, high=_value_text(lang, key, high), example=example)
        case "too_long":
            return t(lang, "mg_p_e_long", field=label, high=number(int(str(high or 0)), lang),
                     length=number(int(str(d.get("length") or 0)), lang))
        case "too_short":
            return t(lang, "mg_p_e_short", field=label, example=example)
        case "bad_sku":
            return t(lang, "mg_p_e_sku", text=typed, example=example)
        case "choose" if key == PHOTOS:
            return t(lang, "mg_p_e_photo_expected")
        case "choose":
            return t(lang, "mg_p_e_choose")
        case _:
            return t(lang, "mg_p_e_number", field=label, text=typed, example=example)


def saved_text(lang: Lang, product: Product, created: bool, changes: list[Change]) -> str:
    """What the manager reads once the product is saved."""
    if created:
        return t(lang, "mg_p_saved_new", sku=esc(product.sku), name=esc(product.name))
    if not changes:
        return t(lang, "mg_p_saved_nothing", sku=esc(product.sku))
    lines = [t(lang, "mg_p_saved_changed", sku=esc(product.sku))]
    lines += [change_line(lang, c.field, c.old, c.new) for c in changes]
    return "\n".join(lines)


def change_line(lang: Lang, key: str, old: Any, new: Any) -> str:
    """ "• Harga: Rp3.500 → Rp3.800"."""
    return f"• {field_label(lang, key)}: {_value_text(lang, key, old)} → {_value_text(lang, key, new)}"


def conflict_screen(lang: Lang, changes: list[Change], prompt: Prompt) -> Screen:
    """Nothing saved: what another manager changed meanwhile; the list of fields to check and save again."""
    lines = [t(lang, "mg_p_conflict")]
    lines += [change_line(lang, c.field, c.old, c.new) for c in changes]
    lines.append(t(lang, "mg_p_conflict_next"))
    return fields_screen(lang, prompt, note="\n".join(lines))


def product_trail_text(lang: Lang, product: Product, lines: Sequence[TrailLine]) -> str:
    """Who changed what on a product, and when: one line per audited change, old and new values."""
    out = [t(lang, "mg_p_trail_title", sku=esc(product.sku), name=esc(product.name))]
    for line in lines:
        when = to_wib(line.at).strftime("%d-%m-%Y %H.%M")
        key = line.action.split(".", 1)[-1]
        detail = line.detail
        if line.action == "product.create":
            what = t(lang, "mg_p_trail_created")
        elif "old" in detail or "new" in detail:
            what = change_line(lang, key, detail.get("old"), detail.get("new")).removeprefix("• ")
            if "day" in detail:
                what += f" ({esc(detail['day'])})"
        elif "active" in detail:
            what = change_line(lang, "active", not detail["active"], detail["active"]).removeprefix("• ")
        else:
            what = esc(line.action)
        out.append(t(lang, "mg_trail_line", when=when, who=esc(line.actor), what=what))
    if not lines:
        out.append(t(lang, "mg_p_trail_empty"))
    return "\n".join(out)


EDIT_BUTTONS = 60  # Telegram refuses a keyboard of about a hundred buttons; a longer list is changed with /ubah SKU


def edit_keyboard(lang: Lang, products: Sequence[Product]) -> InlineKeyboardMarkup:
    """One ✏️ button per product of the manager's list (as /ubah SKU), for the first sixty."""
    shown = products[:EDIT_BUTTONS]
    return markup(*rows([button(t(lang, "mg_p_btn_edit", sku=p.sku), Action.EDIT_PRODUCT, p.id) for p in shown], 3))
