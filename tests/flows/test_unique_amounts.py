"""Unique codes where staff see money: the walk-in's QR and its caption, the order card's button and the note after
/bayar all name the amount with its code; the order itself counts the instalment only."""

from __future__ import annotations

from tests.flows.buyer_dialogues import read_qr
from tests.flows.conftest import STAFF
from tests.flows.staff_helpers import reload, walk_in_to_summary
from tests.support.harness import Harness


async def test_a_walk_in_paid_by_qris_asks_for_the_unique_amount_and_records_the_instalment(coded: Harness) -> None:
    staff = coded.emulator.user(STAFF, "Rina")
    await walk_in_to_summary(staff, "12", pay="QRIS")
    await staff.press("Simpan")
    photo = await staff.wait_for_photo()
    assert photo.photo is not None
    payable = read_qr(photo.photo).amount
    assert 42_001 <= payable <= 42_999
    written = f"Rp{payable:,}".replace(",", ".")
    code = f"Rp{payable - 42_000:,}".replace(",", ".")
    assert f"{written} (termasuk kode unik {code})" in photo.content
    order_code = photo.content.split("/bayar ")[1].split()[0]

    await staff.send(f"/pesanan {order_code}")
    card = await staff.wait_for(order_code)
    assert f"✅ Bayar masuk {written}" in card.buttons
    await staff.send(f"/bayar {order_code}")
    await staff.wait_for(f"{written} (termasuk kode unik {code}) dicatat")
    stored = await reload(coded, order_code)
    assert (stored.paid_amount, stored.total) == (42_000, 42_000)
