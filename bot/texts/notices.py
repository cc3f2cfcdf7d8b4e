"""Notices to buyers about their orders, sent through the outbox (status changes and reminders)."""

ID: dict[str, str] = {
    "nt_paid": "✅ Pembayaran <b>{amount}</b> untuk pesanan <b>{code}</b> sudah kami terima. Terima kasih, Bapak/Ibu.",
    "nt_paid_partial": (
        "✅ DP <b>{amount}</b> untuk pesanan <b>{code}</b> sudah kami terima.\n"
        "Sisa <b>{balance}</b>: silakan bayar dengan kode QRIS ini sebelum barang diambil atau dikirim."
    ),
    "nt_ready": (
        "📦 Pesanan <b>{code}</b> <b>Siap Diambil</b>.\n"
        "Kode ambil: <b>{pickup_code}</b>\nTempat: {place}\n{when}\n"
        "Silakan tunjukkan kode ini di loket. Terima kasih."
    ),
    "nt_ready_balance": "Sisa pembayaran {balance} dilunasi saat pengambilan.",
    "nt_out_for_delivery": (
        "🚚 Pesanan <b>{code}</b> <b>Sedang Dikirim</b>.\n"
        "Kode serah terima: <b>{pickup_code}</b> (berikan kepada sopir saat barang diterima)."
    ),
    "nt_cancelled": "Mohon maaf, pesanan <b>{code}</b> dibatalkan oleh petugas.\nAlasan: {reason}",
    "nt_cancelled_refund": "Dana {paid} yang sudah dibayar akan dikembalikan; petugas akan menghubungi Bapak/Ibu.",
    "nt_expired": (
        "⌛ Waktu pembayaran pesanan <b>{code}</b> sudah habis, jadi pesanan dibatalkan otomatis. "
        "Silakan pesan lagi bila masih berminat."
    ),
    "nt_proof_rejected": (
        "Mohon maaf, pembayaran <b>{amount}</b> untuk pesanan <b>{code}</b> belum kami temukan di rekening. "
        "Silakan periksa kembali, lalu kirim bukti yang benar. Kode QRIS masih berlaku sampai batas waktunya."
    ),
    "nt_reminder": "⏰ Pengingat: pesanan <b>{code}</b> bisa diambil hari ini pukul {slot} di {place}.",
    "nt_when": "Jadwal ambil: {date}{slot}",
}

EN: dict[str, str] = {
    "nt_paid": "✅ We received your payment of <b>{amount}</b> for order <b>{code}</b>. Thank you.",
    "nt_paid_partial": (
        "✅ We received the deposit of <b>{amount}</b> for order <b>{code}</b>.\n"
        "Balance <b>{balance}</b>: please pay it with this QRIS code before pickup or delivery."
    ),
    "nt_ready": (
        "📦 Order <b>{code}</b> is <b>ready for pickup</b>.\n"
        "Pickup code: <b>{pickup_code}</b>\nPlace: {place}\n{when}\n"
        "Please show this code at the counter. Thank you."
    ),
    "nt_ready_balance": "The balance of {balance} is paid at pickup.",
    "nt_out_for_delivery": (
        "🚚 Order <b>{code}</b> is <b>on its way</b>.\n"
        "Handover code: <b>{pickup_code}</b> (give it to the driver when the goods arrive)."
    ),
    "nt_cancelled": "Sorry, order <b>{code}</b> was cancelled by our staff.\nReason: {reason}",
    "nt_cancelled_refund": "The {paid} you paid will be refunded; our staff will contact you.",
    "nt_expired": (
        "⌛ The payment time for order <b>{code}</b> has run out, so the order was cancelled automatically. "
        "You are welcome to order again."
    ),
    "nt_proof_rejected": (
        "Sorry, we could not find the payment of <b>{amount}</b> for order <b>{code}</b>. "
        "Please check and send the right proof. The QRIS code stays valid until its deadline."
    ),
    "nt_reminder": "⏰ Reminder: order <b>{code}</b> can be picked up today at {slot} at {place}.",
    "nt_when": "Pickup: {date}{slot}",
}
