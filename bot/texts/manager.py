"""Texts for managers (pimpinan): catalogue changes, staff, reports."""
# ruff: noqa: E501  (user-visible sentences read better unbroken)

ID: dict[str, str] = {
    "mg_refused": "Mohon maaf, menu ini khusus pimpinan.",
    "mg_help": (
        "<b>Menu pimpinan</b>\n"
        "/laporan [minggu|lalu] – ringkasan mingguan + grafik + Excel\n"
        "/ekspor DARI SAMPAI – Excel pesanan (tanggal 01-11-2026)\n"
        "/undang [roti|paving|galeri|pimpinan] – tautan undangan petugas\n"
        "/staf – daftar petugas (hapus)\n"
        "/katalog – daftar produk dan SKU\n"
        "/harga SKU HARGA · /produk SKU on|off · /stok SKU JUMLAH\n"
        "/kapasitas SKU TANGGAL JUMLAH · /libur TANGGAL NAMA\n"
        "/audit KODE – jejak perubahan pesanan"
    ),
    "mg_usage": "Format: {usage}",
    "mg_bad_date": "Tanggal tidak terbaca: {text}. Contoh: 28-11-2026",
    "mg_bad_number": "Angka tidak terbaca: {text}",
    "mg_err_not_found": "Tidak ditemukan: {what}.",
    "mg_err_not_allowed": "Mohon maaf, hanya admin yang boleh melakukan ini.",
    "mg_err_self": "Mohon maaf, peran Bapak/Ibu sendiri tidak bisa dicabut dari sini.",
    "mg_err_bad_price": "Harga harus angka bulat lebih dari nol, misalnya 3500.",
    "mg_err_bad_amount": "Jumlah harus angka bulat 0 atau lebih.",
    "mg_err_bread_stock": "Roti dibuat sesuai pesanan, jadi tidak punya stok. Atur jumlahnya dengan /kapasitas.",
    "mg_err_no_capacity": "Produk ini tidak punya kapasitas harian.",
    "mg_err_input": "Tidak bisa: {reason}.",
    "mg_err_already": "Sudah begitu; tidak ada yang berubah.",
    "mg_err_below_committed": "Tidak bisa di bawah yang sudah dipesan ({committed}).",
    "mg_price_ok": "Harga {sku} sekarang {price} (sebelumnya {old}). Pesanan lama tetap harga lama.",
    "mg_active_on": "{sku} aktif kembali untuk pembeli.",
    "mg_active_off": "{sku} dinonaktifkan; pembeli tidak bisa memesannya.",
    "mg_stock_ok": "Stok {sku} sekarang {qty}.",
    "mg_capacity_ok": "Kapasitas {sku} pada {date}: {capacity} (sudah dipesan {committed}).",
    "mg_holiday_ok": "{date} ditetapkan libur: {name}.",
    "mg_holiday_orders": "⚠️ Ada {count} pesanan aktif pada tanggal itu: hubungi pembelinya.",
    "mg_catalogue_line": "{state} <code>{sku}</code> {price}/{unit}{stock} – {name}",
    "mg_trail_title": "<b>Jejak {code}</b> · {status}",
    "mg_trail_line": "{when} · {who} · {what}",
    "mg_staff_title": "<b>Petugas aktif</b> ({count})",
    "mg_staff_line": "{role} · {line} · {name} ({telegram_id})",
    "mg_staff_remove": "Hapus {name}",
    "mg_staff_removed": "{name} bukan petugas lagi.",
    "mg_role_staff": "Petugas",
    "mg_role_manager": "Pimpinan",
    "mg_role_admin": "Admin",
    "mg_line_bakery": "Roti",
    "mg_line_paving": "Paving",
    "mg_line_galeri": "Galeri",
    "mg_line_none": "Semua",
    "mg_invite_choose": "Undang petugas untuk bagian:",
    "mg_invite_link": (
        "Tautan undangan ({role}, {line}), sekali pakai, berlaku sampai {until}:\n{link}\n"
        "Setelah dibuka, Bapak/Ibu diminta menyetujui."
    ),
    "mg_invite_claimed": "🔑 {name} ({telegram_id}) membuka undangan {role} · {line}. Setujui?",
    "mg_invite_approved": "✅ {name} sekarang {role} · {line}.",
    "mg_invite_declined": "Undangan untuk {name} ditolak.",
    "mg_invite_welcome": "Selamat bergabung, {name}. Anda sekarang {role}. Ketik /petugas untuk menu.",
    "mg_invite_wait": "Terima kasih, {name}. Undangan diterima dan menunggu persetujuan pimpinan.",
    "mg_invite_unknown": "Mohon maaf, tautan undangan ini tidak dikenal.",
    "mg_invite_expired": "Mohon maaf, tautan undangan ini sudah kedaluwarsa. Mintalah tautan baru.",
    "mg_invite_used": "Mohon maaf, tautan undangan ini sudah dipakai.",
    "mg_btn_approve": "✅ Setujui",
    "mg_btn_decline": "✖ Tolak",
    "mg_export_ok": "Pesanan {first} s.d. {last}: {count} baris.",
    "mg_export_empty": "Tidak ada pesanan dari {first} s.d. {last}.",
    "mg_weekly_title": "<b>Ringkasan mingguan</b>\n{first} – {last}",
    "mg_weekly_total": "Penjualan: <b>{revenue}</b> ({units} unit) · minggu lalu {prev}{change}",
    "mg_weekly_category": "• {name}: {units} unit · {revenue}{change}",
    "mg_weekly_change": " ({sign}{pct}%)",
    "mg_weekly_new": " (baru)",
    "mg_weekly_top": "<b>Produk terlaris</b>",
    "mg_weekly_top_line": "{rank}. {name}: {units} {unit} · {revenue}",
    "mg_weekly_pay": (
        "<b>Pembayaran</b>\nLunas/DP: {paid} pesanan · {paid_amount}\nBelum bayar: {unpaid} · {unpaid_amount}\n"
        "Kedaluwarsa: {expired} · batal: {cancelled}\nUang diterima minggu ini: <b>{received}</b>"
    ),
    "mg_weekly_loss": (
        "<b>Tidak diambil dan sisa</b>\nTidak diambil: {no_show} pesanan · {no_show_amount} · {no_show_units} unit\n"
        "Lebih produksi roti (ke rak Galeri): {surplus} unit"
    ),
    "mg_weekly_refused": "<b>Permintaan ditolak</b>\nLewat batas pesan: {cutoff} ({cutoff_units} unit) · kapasitas penuh: {capacity} ({capacity_units} unit){other}",
    "mg_weekly_refused_other": " · lainnya: {count}",
    "mg_weekly_paving": (
        "<b>Paving</b> (biji)\nDipesan: {ordered} · dicetak/pengeringan: {curing} · siap: {ready} · "
        "diserahkan minggu ini: {delivered}\nSisa tagihan: {balances} ({orders} pesanan)"
    ),
    "mg_weekly_split": "<b>Pembagian (estimasi)</b>\nPNBP {pnbp} · premi {premi} · modal {capital}",
    "mg_weekly_split_note": "<i>estimasi: persentase per kategori; laba dianggap {margin}% dari penjualan.</i>",
    "mg_chart_title": "Penjualan per kategori (Rp)",
    "mg_chart_this": "Minggu ini",
    "mg_chart_prev": "Minggu lalu",
    "mg_chart_caption": "Grafik penjualan {first} – {last}",
    "mg_xlsx_caption": "Pesanan {first} – {last} (Excel)",
    "mg_cmd_laporan": "Ringkasan mingguan",
    "mg_cmd_ekspor": "Excel pesanan (DARI SAMPAI)",
    "mg_cmd_undang": "Undang petugas",
    "mg_cmd_staf": "Daftar petugas",
    "mg_cmd_katalog": "Produk dan SKU",
    "mg_cmd_harga": "Ubah harga (SKU HARGA)",
    "mg_cmd_produk": "Aktif/nonaktif (SKU on|off)",
    "mg_cmd_stok": "Atur stok (SKU JUMLAH)",
    "mg_cmd_kapasitas": "Kapasitas hari (SKU TGL N)",
    "mg_cmd_libur": "Tambah hari libur (TGL NAMA)",
    "mg_cmd_audit": "Jejak pesanan (KODE)",
    "mg_cmd_pimpinan": "Menu pimpinan",
}

EN: dict[str, str] = {
    "mg_refused": "Sorry, this menu is for managers only.",
    "mg_help": (
        "<b>Manager menu</b>\n"
        "/laporan [week|lalu] – weekly summary + chart + Excel\n"
        "/ekspor FROM TO – Excel of orders (dates like 01-11-2026)\n"
        "/undang [roti|paving|galeri|pimpinan] – staff invite link\n"
        "/staf – staff list (remove)\n"
        "/katalog – products and SKUs\n"
        "/harga SKU PRICE · /produk SKU on|off · /stok SKU QTY\n"
        "/kapasitas SKU DATE QTY · /libur DATE NAME\n"
        "/audit CODE – audit trail of an order"
    ),
    "mg_usage": "Usage: {usage}",
    "mg_bad_date": "Could not read the date: {text}. E.g. 28-11-2026",
    "mg_bad_number": "Could not read the number: {text}",
    "mg_err_not_found": "Not found: {what}.",
    "mg_err_not_allowed": "Sorry, only an admin may do this.",
    "mg_err_self": "Sorry, you cannot remove your own role here.",
    "mg_err_bad_price": "The price must be a whole number above zero, for example 3500.",
    "mg_err_bad_amount": "The amount must be a whole number, 0 or more.",
    "mg_err_bread_stock": "Bread is baked to order, so it has no stock. Set the amount with /kapasitas.",
    "mg_err_no_capacity": "This product has no daily capacity.",
    "mg_err_input": "Not possible: {reason}.",
    "mg_err_already": "Already so; nothing changed.",
    "mg_err_below_committed": "Cannot go below what is already ordered ({committed}).",
    "mg_price_ok": "Price of {sku} is now {price} (was {old}). Placed orders keep their price.",
    "mg_active_on": "{sku} is back on sale.",
    "mg_active_off": "{sku} is switched off; buyers cannot order it.",
    "mg_stock_ok": "Stock of {sku} is now {qty}.",
    "mg_capacity_ok": "Capacity of {sku} on {date}: {capacity} (already ordered {committed}).",
    "mg_holiday_ok": "{date} is now a holiday: {name}.",
    "mg_holiday_orders": "⚠️ {count} open orders fall on that day: contact their buyers.",
    "mg_catalogue_line": "{state} <code>{sku}</code> {price}/{unit}{stock} – {name}",
    "mg_trail_title": "<b>Trail of {code}</b> · {status}",
    "mg_trail_line": "{when} · {who} · {what}",
    "mg_staff_title": "<b>Active staff</b> ({count})",
    "mg_staff_line": "{role} · {line} · {name} ({telegram_id})",
    "mg_staff_remove": "Remove {name}",
    "mg_staff_removed": "{name} is no longer staff.",
    "mg_role_staff": "Staff",
    "mg_role_manager": "Manager",
    "mg_role_admin": "Admin",
    "mg_line_bakery": "Bakery",
    "mg_line_paving": "Paving",
    "mg_line_galeri": "Galeri",
    "mg_line_none": "All",
    "mg_invite_choose": "Invite staff for:",
    "mg_invite_link": (
        "Invite link ({role}, {line}), single use, valid until {until}:\n{link}\n"
        "Once it is opened you will be asked to approve."
    ),
    "mg_invite_claimed": "🔑 {name} ({telegram_id}) opened the invite {role} · {line}. Approve?",
    "mg_invite_approved": "✅ {name} is now {role} · {line}.",
    "mg_invite_declined": "The invite for {name} was declined.",
    "mg_invite_welcome": "Welcome, {name}. You are now {role}. Type /petugas for the menu.",
    "mg_invite_wait": "Thank you, {name}. The invite was accepted and awaits a manager's approval.",
    "mg_invite_unknown": "Sorry, this invite link is not known.",
    "mg_invite_expired": "Sorry, this invite link has expired. Ask for a new one.",
    "mg_invite_used": "Sorry, this invite link has already been used.",
    "mg_btn_approve": "✅ Approve",
    "mg_btn_decline": "✖ Decline",
    "mg_export_ok": "Orders {first} to {last}: {count} rows.",
    "mg_export_empty": "No orders from {first} to {last}.",
    "mg_weekly_title": "<b>Weekly summary</b>\n{first} – {last}",
    "mg_weekly_total": "Sales: <b>{revenue}</b> ({units} units) · last week {prev}{change}",
    "mg_weekly_category": "• {name}: {units} units · {revenue}{change}",
    "mg_weekly_change": " ({sign}{pct}%)",
    "mg_weekly_new": " (new)",
    "mg_weekly_top": "<b>Top products</b>",
    "mg_weekly_top_line": "{rank}. {name}: {units} {unit} · {revenue}",
    "mg_weekly_pay": (
        "<b>Payments</b>\nPaid/deposit: {paid} orders · {paid_amount}\nUnpaid: {unpaid} · {unpaid_amount}\n"
        "Expired: {expired} · cancelled: {cancelled}\nMoney received this week: <b>{received}</b>"
    ),
    "mg_weekly_loss": (
        "<b>No-shows and surplus</b>\nNot collected: {no_show} orders · {no_show_amount} · {no_show_units} units\n"
        "Bread baked beyond orders (to the Galeri shelf): {surplus} units"
    ),
    "mg_weekly_refused": "<b>Demand refused</b>\nPast the cut-off: {cutoff} ({cutoff_units} units) · capacity full: {capacity} ({capacity_units} units){other}",
    "mg_weekly_refused_other": " · other: {count}",
    "mg_weekly_paving": (
        "<b>Paving</b> (pieces)\nOrdered: {ordered} · casting/curing: {curing} · ready: {ready} · "
        "handed over this week: {delivered}\nBalances due: {balances} ({orders} orders)"
    ),
    "mg_weekly_split": "<b>Split (estimasi)</b>\nPNBP {pnbp} · premi {premi} · capital {capital}",
    "mg_weekly_split_note": "<i>estimasi: percentages per category; profit assumed at {margin}% of sales.</i>",
    "mg_chart_title": "Sales per category (Rp)",
    "mg_chart_this": "This week",
    "mg_chart_prev": "Last week",
    "mg_chart_caption": "Sales chart {first} – {last}",
    "mg_xlsx_caption": "Orders {first} – {last} (Excel)",
    "mg_cmd_laporan": "Weekly summary",
    "mg_cmd_ekspor": "Orders as Excel (FROM TO)",
    "mg_cmd_undang": "Invite staff",
    "mg_cmd_staf": "Staff list",
    "mg_cmd_katalog": "Products and SKUs",
    "mg_cmd_harga": "Change a price (SKU PRICE)",
    "mg_cmd_produk": "Switch on/off (SKU on|off)",
    "mg_cmd_stok": "Set stock (SKU QTY)",
    "mg_cmd_kapasitas": "Day capacity (SKU DATE N)",
    "mg_cmd_libur": "Add a holiday (DATE NAME)",
    "mg_cmd_audit": "Order audit trail (CODE)",
    "mg_cmd_pimpinan": "Manager menu",
}
