"""Steps of buyer dialogues shared by the buyer flow tests, and readers for what they leave behind."""

from __future__ import annotations

import io
from dataclasses import dataclass

import zxingcpp
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.emulator import EmulatedUser
from models import qris
from models.order import Order, OrderLine
from models.outbox import OutboxMessage
from models.payment import Payment
from tests.support.eventually import eventually
from tests.support.harness import Harness

SATURDAY = "Sab 28/11"
MORNING = "10.00–12.00 WIB"


@dataclass(frozen=True)
class PaymentCode:
    """What the QR code of a payment photo says."""

    payload: str
    amount: int
    bill_number: str


def read_qr(png: bytes) -> PaymentCode:
    """Decodes the QR code in a photo and reads the QRIS amount (tag 54) and bill number (62.01)."""
    # QR codes only (what a buyer's banking app scans): the printed text around the code must not count when a
    # 1D reader happens to see bars in it. One code: every detection must carry the same payload.
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    payloads = {f.text for f in found}
    assert len(payloads) == 1, f"expected one QR code, found {[(str(f.format), f.text[:40]) for f in found]}"
    payload = payloads.pop()
    objects = qris.validate(payload)  # also checks the CRC
    by_tag = {o.tag: o for o in objects}
    additional = {c.tag: c.value for c in by_tag["62"].children or ()}
    return PaymentCode(payload, int(by_tag["54"].value), additional["01"])


async def start(user: EmulatedUser) -> None:
    """Opens the bot."""
    await user.send("/start")
    await user.wait_for("Selamat datang")


async def open_product(user: EmulatedUser, category: str, product: str) -> None:
    """Katalog (or "Belanja lagi") -> category -> product card."""
    await user.press("Katalog" if any("Katalog" in b for b in user.buttons()) else "Belanja lagi")
    await user.wait_for("pilih kategori")
    if not any(category in b for b in user.buttons()):
        await user.press("Berikutnya")
        await user.wait_for("Halaman 2")
    await user.press(category)
    await user.wait_for("pilih produk")
    await user.press(product)
    await user.wait_for("Harga")


async def bread_to_cart(
    user: EmulatedUser,
    product: str = "Roti Manis Isi Cokelat",
    qty: str = "12",
    day: str = SATURDAY,
    slot: str = MORNING,
) -> None:
    """Chooses a bread, its pickup date and slot, and types the quantity."""
    await open_product(user, "Roti", product)
    await user.press("Pilih tanggal ambil")
    await user.wait_for("Pilih tanggal ambil:")
    await user.press(day)
    await user.wait_for("Pilih jam ambil")
    await user.press(slot)
    await user.wait_for("Berapa")
    await user.send(qty)
    await user.wait_for("Masuk keranjang")


async def checkout_to_summary(user: EmulatedUser, *, share_contact: bool = True) -> None:
    """Pesan sekarang, then the phone by the contact key, up to the summary."""
    await user.press("Pesan sekarang")
    if share_contact:
        await user.wait_for("nomor HP")
        await user.press_key("📱 Kirim nomor HP")
    await user.wait_for("Ringkasan pesanan")


async def confirm(user: EmulatedUser, photos: int = 1) -> list[bytes]:
    """Presses Konfirmasi and returns the payment photos that follow."""
    before = sum(1 for m in user.inbox if m.photo is not None)
    await user.press("Konfirmasi")
    await user.wait_for("Pesanan dibuat")

    def images() -> list[bytes]:
        return [m.photo for m in user.inbox if m.photo is not None]

    # The photos follow the placed screen, one upload each.
    await eventually(lambda: len(images()) >= before + photos, timeout=5,
                     what=lambda: f"{photos} payment photo(s) after Konfirmasi\n{user.transcript()}")
    await user.wait_idle()
    return images()[-photos:]


async def orders(bot: Harness) -> list[Order]:
    """Every order in the database with its lines and their products, oldest first."""
    lines = selectinload(Order.lines).joinedload(OrderLine.product)
    async with bot.services.session_factory() as session:
        return list(await session.scalars(select(Order).order_by(Order.id).options(lines)))


async def count(bot: Harness, entity: type) -> int:
    """How many rows an entity has."""
    async with bot.services.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(entity)) or 0)


async def payments(bot: Harness) -> list[Payment]:
    """Every payment, oldest first."""
    async with bot.services.session_factory() as session:
        return list(await session.scalars(select(Payment).order_by(Payment.id)))


async def outbox(bot: Harness) -> list[OutboxMessage]:
    """Every queued message, oldest first."""
    async with bot.services.session_factory() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def assert_every_press_answered_once(bot: Harness) -> None:
    """Every button press of the run was answered (waiting for the last), and none twice."""

    def unanswered() -> list[str | None]:
        return [q.data for q in bot.emulator.state.queries.values() if not q.answered]

    await eventually(lambda: not unanswered(), timeout=5, what=lambda: f"answers to the presses {unanswered()}")
    assert [c.error for c in bot.emulator.calls_to("answerCallbackQuery") if c.error is not None] == []


async def answer_text(user: EmulatedUser, query_id: str, timeout: float = 5.0) -> str:
    """The text the bot answered a button press with, waiting for the answer to arrive ("" for none)."""
    [answer] = await eventually(lambda: [a for a in [user.callback_answer(query_id)] if a is not None],
                                timeout=timeout, what=lambda: f"an answer to the press {query_id}\n{user.transcript()}")
    return str(answer.get("text") or "")
