"""Words for domain values (statuses, roles, sources, commands...): one literal text key per value.

Keys are never built from a value (`f"b_st_{status}"`): each member maps to its key here, so extractors and
the key test see every key, and mypy (`assert_never`) tells when an enum grows a member without a text.
Catalogue data (units, vehicles) is translated by its own word under a gettext context instead
(`bot.texts.unit_name`, `bot.texts.vehicle_name`).
"""

from __future__ import annotations

from typing import assert_never

from bot.texts import Lang, t
from models.catalog import Family
from models.order import OrderSource, OrderStatus
from models.payment import PaymentKind, PaymentMethod
from models.people import Line, Role


def status_label(lang: Lang, status: OrderStatus) -> str:
    """The status word buyers read (domain.md): "Menunggu Pembayaran", "Siap Diambil"..."""
    match status:
        case OrderStatus.AWAITING_PAYMENT:
            return t(lang, "b_st_AWAITING_PAYMENT")
        case OrderStatus.PARTIALLY_PAID:
            return t(lang, "b_st_PARTIALLY_PAID")
        case OrderStatus.PAID:
            return t(lang, "b_st_PAID")
        case OrderStatus.IN_PRODUCTION:
            return t(lang, "b_st_IN_PRODUCTION")
        case OrderStatus.READY:
            return t(lang, "b_st_READY")
        case OrderStatus.OUT_FOR_DELIVERY:
            return t(lang, "b_st_OUT_FOR_DELIVERY")
        case OrderStatus.DONE:
            return t(lang, "b_st_DONE")
        case OrderStatus.CANCELLED:
            return t(lang, "b_st_CANCELLED")
        case OrderStatus.EXPIRED:
            return t(lang, "b_st_EXPIRED")
        case OrderStatus.NO_SHOW:
            return t(lang, "b_st_NO_SHOW")
        case _:
            assert_never(status)


def staff_status_label(lang: Lang, status: OrderStatus) -> str:
    """The status as staff read it (shorter in English: "Deposit paid", "Done")."""
    match status:
        case OrderStatus.AWAITING_PAYMENT:
            return t(lang, "st_status_AWAITING_PAYMENT")
        case OrderStatus.PARTIALLY_PAID:
            return t(lang, "st_status_PARTIALLY_PAID")
        case OrderStatus.PAID:
            return t(lang, "st_status_PAID")
        case OrderStatus.IN_PRODUCTION:
            return t(lang, "st_status_IN_PRODUCTION")
        case OrderStatus.READY:
            return t(lang, "st_status_READY")
        case OrderStatus.OUT_FOR_DELIVERY:
            return t(lang, "st_status_OUT_FOR_DELIVERY")
        case OrderStatus.DONE:
            return t(lang, "st_status_DONE")
        case OrderStatus.CANCELLED:
            return t(lang, "st_status_CANCELLED")
        case OrderStatus.EXPIRED:
            return t(lang, "st_status_EXPIRED")
        case OrderStatus.NO_SHOW:
            return t(lang, "st_status_NO_SHOW")
        case _:
            assert_never(status)


def family_label(lang: Lang, family: Family) -> str:
    """ "Roti", "Paving", "Barang"."""
    match family:
        case Family.BREAD:
            return t(lang, "b_fam_bread")
        case Family.PAVING:
            return t(lang, "b_fam_paving")
        case Family.GOODS:
            return t(lang, "b_fam_goods")
        case _:
            assert_never(family)


def role_label(lang: Lang, role: Role) -> str:
    """ "Petugas", "Pimpinan", "Admin"."""
    match role:
        case Role.STAFF:
            return t(lang, "mg_role_staff")
        case Role.MANAGER:
            return t(lang, "mg_role_manager")
        case Role.ADMIN:
            return t(lang, "mg_role_admin")
        case _:
            assert_never(role)


def line_label(lang: Lang, line: Line | None) -> str:
    """The workshop line of a staff member: "Roti", "Paving", "Galeri", or "Semua" for none."""
    match line:
        case None:
            return t(lang, "mg_line_none")
        case Line.BAKERY:
            return t(lang, "mg_line_bakery")
        case Line.PAVING:
            return t(lang, "mg_line_paving")
        case Line.GALERI:
            return t(lang, "mg_line_galeri")
        case _:
            assert_never(line)


def source_label(lang: Lang, source: OrderSource) -> str:
    """Where an order came from: "Bot", "Datang langsung", "Telepon", "Instagram"."""
    match source:
        case OrderSource.BOT:
            return t(lang, "st_source_bot")
        case OrderSource.WALK_IN:
            return t(lang, "st_source_walk_in")
        case OrderSource.PHONE:
            return t(lang, "st_source_phone")
        case OrderSource.INSTAGRAM:
            return t(lang, "st_source_instagram")
        case _:
            assert_never(source)


def payment_kind_label(lang: Lang, kind: PaymentKind) -> str:
    """What a payment settles, for staff checking a proof: "lunas", "DP", "pelunasan"."""
    match kind:
        case PaymentKind.FULL:
            return t(lang, "b_s_kind_full")
        case PaymentKind.DEPOSIT:
            return t(lang, "b_s_kind_deposit")
        case PaymentKind.BALANCE:
            return t(lang, "b_s_kind_balance")
        case _:
            assert_never(kind)


def payment_method_label(lang: Lang, method: PaymentMethod) -> str:
    """How money came, for a manager's audit trail: "QRIS", "tunai"."""
    match method:
        case PaymentMethod.QRIS:
            return t(lang, "mg_trail_method_qris")
        case PaymentMethod.CASH:
            return t(lang, "mg_trail_method_cash")
        case _:
            assert_never(method)

def staff_command_description(lang: Lang, command: str) -> str:
    """The menu description of a staff command (`STAFF_COMMANDS` in the menus)."""
    match command:
        case "hariini":
            return t(lang, "st_cmd_hariini")
        case "produksi":
            return t(lang, "st_cmd_produksi")
        case "pesanan":
            return t(lang, "st_cmd_pesanan")
        case "bayar":
            return t(lang, "st_cmd_bayar")
        case "catat":
            return t(lang, "st_cmd_catat")
        case "mutasi":
            return t(lang, "st_cmd_mutasi")
        case "petugas":
            return t(lang, "st_cmd_petugas")
        case "start":
            return t(lang, "st_cmd_start")
    raise KeyError(f"no description for the staff command /{command}")


def manager_command_description(lang: Lang, command: str) -> str:
    """The menu description of a manager command (`MANAGER_COMMANDS` in the menus)."""
    match command:
        case "laporan":
            return t(lang, "mg_cmd_laporan")
        case "ekspor":
            return t(lang, "mg_cmd_ekspor")
        case "undang":
            return t(lang, "mg_cmd_undang")
        case "staf":
            return t(lang, "mg_cmd_staf")
        case "katalog":
            return t(lang, "mg_cmd_katalog")
        case "produkbaru":
            return t(lang, "mg_cmd_produkbaru")
        case "ubah":
            return t(lang, "mg_cmd_ubah")
        case "batal":
            return t(lang, "mg_cmd_batal")
        case "kategori":
            return t(lang, "mg_cmd_kategori")
        case "harga":
            return t(lang, "mg_cmd_harga")
        case "produk":
            return t(lang, "mg_cmd_produk")
        case "stok":
            return t(lang, "mg_cmd_stok")
        case "kapasitas":
            return t(lang, "mg_cmd_kapasitas")
        case "libur":
            return t(lang, "mg_cmd_libur")
        case "audit":
            return t(lang, "mg_cmd_audit")
        case "pimpinan":
            return t(lang, "mg_cmd_pimpinan")
    raise KeyError(f"no description for the manager command /{command}")


def buyer_command_description(lang: Lang, command: str) -> str:
    """The menu description of a buyer command (`BUYER_COMMANDS` of the buyer handlers)."""
    match command:
        case "start":
            return t(lang, "b_cmd_start")
        case "katalog":
            return t(lang, "b_cmd_katalog")
        case "keranjang":
            return t(lang, "b_cmd_keranjang")
        case "pesananku":
            return t(lang, "b_cmd_pesananku")
        case "bahasa":
            return t(lang, "b_cmd_bahasa")
        case "datasaya":
            return t(lang, "b_cmd_datasaya")
        case "hapusdata":
            return t(lang, "b_cmd_hapusdata")
        case "bantuan":
            return t(lang, "b_cmd_bantuan")
    raise KeyError(f"no description for the buyer command /{command}")


def language_name(code: str) -> str:
    """A language's own name ("Bahasa Indonesia", "English"), as written in its own catalogue."""
    return t(code, "lang_name")


def language_button(code: str) -> str:
    """The /bahasa button of a language: its flag and own name, from its own catalogue."""
    return t(code, "lang_button")

