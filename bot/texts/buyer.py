"""Texts buyers read: menu, catalogue, cart, checkout, payment, orders, privacy, errors; and staff alerts."""

ID: dict[str, str] = {
    # the command menu
    "b_cmd_start": "Menu utama",
    "b_cmd_katalog": "Lihat katalog produk",
    "b_cmd_keranjang": "Keranjang belanja",
    "b_cmd_pesananku": "Pesanan saya dan statusnya",
    "b_cmd_bahasa": "Ganti bahasa / Change language",
    "b_cmd_datasaya": "Data saya yang disimpan",
    "b_cmd_hapusdata": "Hapus data pribadi saya",
    "b_cmd_bantuan": "Bantuan cara memesan",
    # menu and navigation
    "b_welcome": (
        "Selamat datang, Bapak/Ibu {name} 🙏\n"
        "Ini toko <b>{shop}</b>: roti, paving block dan kerajinan <b>karya warga binaan</b> Rutan Kelas I Medan.\n"
        "Pesan di sini, bayar dengan QRIS, ambil di Galeri. Silakan pilih menu:"
    ),
    "b_menu": "Menu utama. Silakan pilih:",
    "b_btn_catalogue": "🛍 Katalog",
    "b_btn_cart": "🛒 Keranjang",
    "b_btn_cart_n": "🛒 Keranjang ({n})",
    "b_btn_orders": "📦 Pesanan Saya",
    "b_btn_help": "❓ Bantuan",
    "b_btn_menu": "🏠 Menu",
    "b_btn_back": "⬅️ Kembali",
    "b_btn_prev": "◀️ Sebelumnya",
    "b_btn_next": "Berikutnya ▶️",
    "b_btn_no": "Tidak",
    "b_page": "Halaman {page} dari {pages}",
    # catalogue
    "b_categories": "<b>Katalog</b>\nSilakan pilih kategori:",
    "b_products": "<b>{category}</b>\nSilakan pilih produk:",
    "b_no_products": "Mohon maaf, belum ada produk di kategori ini.",
    "b_product_line": "• {product}: {price}/{unit}",
    "b_price": "Harga: <b>{price}</b> per {unit}",
    "b_bread_rule_1": "Pesan paling lambat pukul {cutoff} sehari sebelum tanggal ambil. Diambil di Galeri.",
    "b_bread_rule_n": "Pesan paling lambat pukul {cutoff}, {lead} hari sebelum tanggal ambil. Diambil di Galeri.",
    "b_shelf_life": "Tanpa pengawet, tahan {days} hari.",
    "b_paving_per_m2": "Isi: {pcs} biji per m²",
    "b_paving_thickness": "Tebal: {cm} cm",
    "b_paving_grade": "Mutu: {grade}",
    "b_paving_stock": "Stok siap: {pcs} biji",
    "b_paving_ready": "Paling cepat siap: {date} (untuk {pcs} biji; dicetak lalu dikeringkan)",
    "b_stock": "Stok: {stock} {unit}",
    "b_stock_out": "Mohon maaf, stok sedang habis.",
    "b_made_to_order": "Dibuat sesuai pesanan, paling cepat siap {date}.",
    "b_min_qty": "Pesanan minimal: {qty} {unit}",
    "b_btn_choose_date": "📅 Pilih tanggal ambil",
    "b_btn_paving_calc": "📐 Hitung kebutuhan",
    "b_btn_order": "🛒 Pesan",
    # bread dates, slots, quantities
    "b_dates_title": "<b>{product}</b>\nPilih tanggal ambil:",
    "b_date_ok": "✅ {date}",
    "b_date_low": "✅ {date}: tinggal {left} {unit}",
    "b_date_closed": "✖️ {date}: tutup (hari libur produksi)",
    "b_date_holiday": "✖️ {date}: libur",
    "b_date_cutoff": "✖️ {date}: batas pesan sudah lewat ({deadline})",
    "b_date_full": "✖️ {date}: sudah penuh",
    "b_dates_none": "Mohon maaf, belum ada tanggal yang bisa dipesan. Silakan coba lagi besok.",
    "b_slots_title": "<b>{product}</b>\nAmbil {date}.\nPilih jam ambil:",
    "b_slot_full": "✖️ {slot}: penuh",
    "b_slot_left": "{slot} (sisa {left})",
    "b_slots_none": "Mohon maaf, semua jam ambil pada tanggal ini sudah penuh. Silakan pilih tanggal lain.",
    "b_pickup_at": "Ambil: {date}, {slot}",
    "b_low_left": "⚠️ Tinggal {left} {unit} untuk tanggal ini.",
    "b_qty_ask": "Berapa {unit}? Pilih di bawah atau ketik jumlahnya (misalnya {example}).",
    "b_added": "✅ Masuk keranjang: {product}, sekarang {qty} {unit}.\nIsi keranjang: {count} produk, total {total}.",
    "b_added_toast": "Masuk keranjang ✅",
    # paving
    "b_paving_prompt": (
        "<b>{product}</b>\nBerapa yang dibutuhkan? Ketik salah satu:\n"
        "• luas: <code>50 m2</code>\n• ukuran (meter): <code>10x5</code>\n• jumlah biji: <code>2300 biji</code>\n"
        "Pesanan minimal {min} biji."
    ),
    "b_pq_title": "<b>Perhitungan {product}</b>",
    "b_pq_dims": "Luas: {a} × {b} m = {area} m²",
    "b_pq_area": "Luas: {area} m²",
    "b_pq_per_m2": "Isi per m²: {pcs} biji",
    "b_pq_spare": "Cadangan pecah/potong: {pct}% (dari {base} biji)",
    "b_pq_pieces": "Jumlah: <b>{pieces} biji</b>",
    "b_pq_minimum": "(dinaikkan ke pesanan minimal {min} biji)",
    "b_pq_price": "Harga: {pieces} × {price} = <b>{total}</b>",
    "b_pq_weight": "Berat: ±{weight}",
    "b_pq_trips": "Angkutan: {trips}",
    "b_vehicle_pickup": "{n}× pick-up",
    "b_vehicle_engkel": "{n}× truk engkel",
    "b_vehicle_colt_diesel": "{n}× colt diesel",
    "b_or": " atau ",
    "b_pq_ready": "Paling cepat siap: <b>{date}</b>",
    "b_pq_deposit": "Uang muka (DP) saat pesan: {deposit}",
    "b_pq_again": "Ketik ukuran lain untuk menghitung ulang.",
    "b_btn_add_cart": "🛒 Masukkan keranjang",
    # cart
    "b_cart_empty": "Keranjang Bapak/Ibu masih kosong. Silakan pilih produk di Katalog.",
    "b_cart_title": "<b>Keranjang</b>",
    "b_cart_line": "{n}. {qty} {unit} {product} = {total}",
    "b_cart_when": "    ambil {date}, {slot}",
    "b_cart_area": "    untuk {area} m²",
    "b_cart_total": "Total: <b>{total}</b>",
    "b_cart_hint": "Tekan nomor produk untuk mengubah atau menghapusnya.",
    "b_btn_item": "✏️ {n}",
    "b_btn_checkout": "✅ Pesan sekarang",
    "b_btn_more": "🛍 Belanja lagi",
    "b_btn_clear": "🗑 Kosongkan",
    "b_btn_change_qty": "🔢 Ubah jumlah",
    "b_btn_change_date": "📅 Ganti tanggal",
    "b_btn_remove": "🗑 Hapus",
    "b_item_title": "<b>Produk di keranjang</b>",
    "b_item_qty_prompt": "Ketik jumlah baru untuk <b>{product}</b> (sekarang {qty} {unit}):",
    "b_clear_confirm": "Kosongkan seluruh keranjang?",
    "b_btn_yes_clear": "Ya, kosongkan",
    "b_removed_toast": "Produk dihapus dari keranjang.",
    "b_cleared_toast": "Keranjang dikosongkan.",
    "b_moved_toast": "Tanggal ambil diganti.",
    # checkout
    "b_checkout_below": "🧾 Pemesanan: silakan jawab pertanyaan di bawah.",
    "b_phone_prompt": (
        "Untuk menghubungi Bapak/Ibu tentang pesanan, kami perlu <b>nomor HP</b>.\n"
        "Tekan tombol <b>📱 Kirim nomor HP</b> di bawah, atau ketik nomornya (misalnya 0812 3456 7890).\n\n"
        "<i>Nomor hanya dipakai untuk urusan pesanan (UU PDP No. 27/2022). "
        "Lihat data dengan /datasaya, hapus kapan saja dengan /hapusdata.</i>"
    ),
    "b_key_share_phone": "📱 Kirim nomor HP",
    "b_key_share_location": "📍 Kirim lokasi",
    "b_key_cancel": "Batal",
    "b_phone_saved": "Terima kasih, nomor {phone} disimpan.",
    "b_fulfil_prompt": (
        "Paving diambil sendiri atau diantar?\n"
        "• <b>Ambil sendiri</b> dengan truk Bapak/Ibu di {place}.\n"
        "• <b>Diantar</b>: ongkos angkut dihitung petugas per trip dan dibayar terpisah."
    ),
    "b_btn_pickup": "🚛 Ambil sendiri",
    "b_btn_delivery": "🚚 Diantar",
    "b_btn_cancel": "✖️ Batal",
    "b_address_prompt": (
        "Silakan ketik <b>alamat pengiriman</b> lengkap: jalan dan nomor, RT/RW, kelurahan, "
        "<b>kecamatan</b>, <b>kota/kabupaten</b>.\n"
        "Contoh: <code>Jl. Melati No. 5, RT 02/RW 03, Kel. Tanjung Gusta, Kec. Medan Helvetia, Kota Medan</code>\n"
        "Boleh juga kirim lokasi 📍 agar sopir mudah menemukan."
    ),
    "b_location_saved": "Terima kasih, lokasi diterima 📍. Sekarang ketik alamat lengkapnya.",
    "b_address_saved": "Terima kasih, alamat dicatat:\n{address}",
    "b_sum_title": "<b>Ringkasan pesanan</b>",
    "b_sum_split": "Keranjang dibagi menjadi {n} pesanan karena waktu atau cara pengambilannya berbeda:",
    "b_sum_order": "<b>{n}. {family}</b>: {when}",
    "b_reason_bread_by_date": "<i>Roti dibuat untuk tanggal dan jam ambilnya.</i>",
    "b_reason_paving_ready": "<i>Paving dicetak lalu dikeringkan; siap paling cepat tanggal ini.</i>",
    "b_reason_goods_stock": "<i>Barang dari stok, langsung bisa diambil di Galeri.</i>",
    "b_reason_goods_made": "<i>Barang dibuat dulu sesuai pesanan.</i>",
    "b_when_bread": "ambil {date}, {slot}",
    "b_when_paving_pickup": "siap {date}, ambil sendiri",
    "b_when_paving_delivery": "siap {date}, diantar",
    "b_when_goods_stock": "ambil di Galeri mulai {date}",
    "b_when_goods_made": "siap {date}, ambil di Galeri",
    "b_sum_line": "• {qty} {unit} {product} = {total}",
    "b_sum_subtotal": "Subtotal: {total}",
    "b_sum_deposit": "DP dibayar sekarang: {deposit}; sisa {balance} sebelum diambil/dikirim.",
    "b_sum_total": "Total: <b>{total}</b>",
    "b_sum_pay_now": "Dibayar sekarang: <b>{amount}</b>",
    "b_sum_phone": "No. HP: {phone}",
    "b_sum_address": "Alamat kirim: {address}",
    "b_sum_location": "Lokasi: terkirim 📍",
    "b_sum_delivery_fee": "Ongkos angkut paving dihitung petugas dan dibayar terpisah.",
    "b_sum_deadline": "Setelah Konfirmasi, kode QRIS berlaku {minutes} menit.",
    "b_btn_confirm": "✅ Konfirmasi",
    "b_btn_edit_cart": "✏️ Ubah keranjang",
    "b_use_buttons": "Silakan pilih dengan tombol pada pesan di atas (atau tekan ✖️ Batal).",
    "b_checkout_cancelled": "Pemesanan dibatalkan. Isi keranjang tetap tersimpan.",
    "b_placed": "✅ Terima kasih, Bapak/Ibu! Pesanan dibuat:",
    "b_placed_line": "• <b>{code}</b>: {date}, {total}",
    "b_placed_next": "Kode pembayaran QRIS dikirim di bawah ini.",
    "b_already_placed": "Pesanan ini sudah dibuat sebelumnya, tidak ada pesanan ganda. Lihat di Pesanan Saya.",
    "b_btn_fix_item": "✏️ Ubah {product}",
    # payment
    "b_pay_title_full": "<b>Pembayaran pesanan {code}</b>",
    "b_pay_title_deposit": "<b>Uang muka (DP) pesanan {code}</b>",
    "b_pay_title_balance": "<b>Pelunasan pesanan {code}</b>",
    "b_pay_amount": "Jumlah: <b>{amount}</b>\n<i>({words})</i>",
    "b_pay_rest": "Total pesanan {total}; sisa {rest} dibayar kemudian.",
    "b_pay_deadline": "Bayar sebelum <b>{time}</b>, {date}.",
    "b_pay_howto": (
        "Cara bayar: buka m-banking atau e-wallet (GoPay, OVO, DANA, ShopeePay, dll.), pilih <b>Scan QRIS</b>, "
        "pindai kode ini. Jumlah sudah terisi, mohon tidak diubah."
    ),
    "b_pay_after": "Sudah bayar? Tekan <b>Saya sudah bayar</b> lalu kirim foto buktinya.",
    "b_qr_deadline": "Bayar sebelum {time}",
    "b_btn_paid": "✅ Saya sudah bayar",
    "b_btn_order_detail": "📦 Lihat pesanan",
    "b_proof_prompt": (
        "Silakan kirim <b>foto</b> bukti pembayaran {amount} untuk pesanan {code} (tangkapan layar aplikasi)."
    ),
    "b_proof_received": (
        "✅ Terima kasih! Bukti pembayaran pesanan {code} sudah diteruskan ke petugas. "
        "Kami kabari setelah dana diperiksa."
    ),
    # orders
    "b_orders_title": "<b>Pesanan Saya</b> ({n} terakhir). Pilih untuk melihat detail:",
    "b_orders_empty": "Bapak/Ibu belum punya pesanan. Silakan mulai dari Katalog.",
    "b_btn_order_row": "{code} · {date} · {status}",
    "b_order_title": "<b>Pesanan {code}</b>",
    "b_order_status": "Status: <b>{status}</b>",
    "b_order_pickup": "Ambil: {date}, {slot}",
    "b_order_delivery_date": "Dikirim mulai: {date}",
    "b_order_ready_date": "Siap diambil: {date}",
    "b_order_total": "Total: {total}",
    "b_order_paid": "Sudah dibayar: {paid}",
    "b_order_due": "Sisa: {due}",
    "b_order_address": "Alamat kirim: {address}",
    "b_order_deadline": "Bayar sebelum {time}, {date}",
    "b_order_pickup_code": "Kode ambil: <b>{code}</b> (tunjukkan di loket)",
    "b_order_place": "Tempat ambil: {place}",
    "b_order_reason": "Alasan: {reason}",
    "b_btn_pay": "💳 Bayar",
    "b_btn_cancel_order": "✖️ Batalkan",
    "b_btn_reorder": "🔁 Pesan lagi",
    "b_cancel_confirm": "Yakin membatalkan pesanan <b>{code}</b>?",
    "b_cancel_refund": "Uang {paid} yang sudah dibayar akan dikembalikan petugas.",
    "b_btn_yes_cancel": "Ya, batalkan",
    "b_cancelled_toast": "Pesanan {code} dibatalkan.",
    "b_reordered_toast": "Produk dimasukkan ke keranjang.",
    # status words and families
    "b_st_AWAITING_PAYMENT": "Menunggu Pembayaran",
    "b_st_PARTIALLY_PAID": "Dibayar Sebagian (DP)",
    "b_st_PAID": "Dibayar",
    "b_st_IN_PRODUCTION": "Diproses",
    "b_st_READY": "Siap Diambil",
    "b_st_OUT_FOR_DELIVERY": "Sedang Dikirim",
    "b_st_DONE": "Selesai",
    "b_st_CANCELLED": "Dibatalkan",
    "b_st_EXPIRED": "Waktu Pembayaran Habis",
    "b_st_NO_SHOW": "Tidak Diambil",
    "b_fam_bread": "Roti",
    "b_fam_paving": "Paving",
    "b_fam_goods": "Barang",
    # language, privacy, help
    "b_lang_prompt": "Pilih bahasa / Choose your language:",
    "b_btn_lang_id": "🇮🇩 Bahasa Indonesia",
    "b_btn_lang_en": "🇬🇧 English",
    "b_lang_set": "Bahasa diganti ke Bahasa Indonesia. Ketik /start untuk menu.",
    "b_lang_name_id": "Bahasa Indonesia",
    "b_lang_name_en": "English",
    "b_data_title": "<b>Data Bapak/Ibu yang kami simpan</b>",
    "b_data_name": "Nama: {name}",
    "b_data_phone": "No. HP: {phone}",
    "b_data_phone_none": "No. HP: belum ada",
    "b_data_lang": "Bahasa: {language}",
    "b_data_consent": "Persetujuan simpan nomor: {date}, {time}",
    "b_data_orders": "Jumlah pesanan: {n}",
    "b_data_addresses": "Alamat pengiriman:",
    "b_data_footer": "Data hanya dipakai untuk melayani pesanan. Hapus kapan saja dengan /hapusdata.",
    "b_delete_confirm": (
        "Hapus data pribadi Bapak/Ibu?\n"
        "Nama, nomor HP, alamat dan akun Telegram dihapus atau disamarkan, keranjang dikosongkan. "
        "Jumlah uang pesanan tetap dicatat <b>tanpa identitas</b> untuk laporan keuangan negara (PNBP)."
    ),
    "b_btn_yes_delete": "Ya, hapus data saya",
    "b_delete_refused": (
        "Mohon maaf, data belum bisa dihapus karena masih ada pesanan berjalan: {codes}. "
        "Silakan tunggu sampai selesai atau batalkan dulu, lalu ketik /hapusdata lagi."
    ),
    "b_deleted": (
        "Data pribadi Bapak/Ibu sudah dihapus. Terima kasih telah berbelanja. Ketik /start bila ingin memesan lagi."
    ),
    "b_help": (
        "<b>Cara memesan di {shop}</b>\n"
        "1. Buka /katalog, pilih produk.\n"
        "2. Roti: pilih tanggal dan jam ambil. Paving: ketik luas (50 m2) atau ukuran (10x5).\n"
        "3. Buka /keranjang, tekan <b>Pesan sekarang</b>, lalu <b>Konfirmasi</b>.\n"
        "4. Bayar dengan kode QRIS yang dikirim, lalu tekan <b>Saya sudah bayar</b>.\n"
        "5. Saat status <b>Siap Diambil</b>, tunjukkan kode ambil di loket.\n\n"
        "Perintah: /pesananku pesanan saya · /bahasa ganti bahasa · /datasaya data saya · /hapusdata hapus data\n"
        "Galeri: {address}"
    ),
    # free input at rest
    "b_idle": "Mohon maaf, saya belum mengerti pesan itu. Silakan pilih menu di bawah.",
    "b_idle_media": "Mohon maaf, saya hanya bisa membaca teks dan tombol, belum bisa stiker, suara atau berkas.",
    "b_idle_photo": (
        "Terima kasih fotonya. Jika ini bukti pembayaran, tekan <b>Saya sudah bayar</b> pada pesan kode "
        "pembayaran, lalu kirim fotonya lagi."
    ),
    "b_idle_share": "Terima kasih. Nomor HP dan lokasi diminta saat memesan. Silakan pilih menu di bawah.",
    # errors
    "b_e_stale": "Mohon maaf, tombol ini sudah tidak berlaku. Silakan buka menu lagi dengan /start.",
    "b_e_generic": "Mohon maaf, permintaan ini tidak bisa diproses. Silakan coba lagi.",
    "b_e_need_number": "Mohon ketik jumlahnya dengan angka, misalnya 10.",
    "b_e_not_a_number": "Mohon maaf, itu bukan jumlah yang bisa kami baca. Ketik angka saja, misalnya 10 atau 1.000.",
    "b_e_not_whole": "Mohon maaf, jumlah harus bilangan bulat tanpa koma, misalnya 10.",
    "b_e_zero": "Mohon maaf, jumlah paling sedikit 1.",
    "b_e_too_large": "Mohon maaf, jumlah itu terlalu besar. Untuk pesanan sangat besar silakan hubungi Galeri.",
    "b_e_below_min": "Mohon maaf, pesanan minimal {min} {unit}.",
    "b_e_above_max": "Mohon maaf, pesanan maksimal {max} {unit}.",
    "b_e_capacity": "Mohon maaf, untuk {date} tinggal {left} {unit}.",
    "b_e_capacity_zero": "Mohon maaf, produksi untuk {date} sudah penuh. Silakan pilih tanggal lain.",
    "b_e_slot_full": "Mohon maaf, jam ambil itu sudah penuh. Silakan pilih jam lain.",
    "b_e_out_of_stock": "Mohon maaf, stok tinggal {left} {unit}.",
    "b_e_sold_out": "Mohon maaf, stok sedang habis.",
    "b_e_past_cutoff": "Mohon maaf, batas pesan untuk {date} sudah lewat ({deadline}). Silakan pilih tanggal lain.",
    "b_e_closed_day": "Mohon maaf, {date} libur produksi. Silakan pilih tanggal lain.",
    "b_e_too_soon": "Mohon maaf, paling cepat siap {date}.",
    "b_e_unavailable": "Mohon maaf, produk ini sedang tidak tersedia.",
    "b_e_checkout_failed": (
        "{reason}\nKarena itu <b>belum ada pesanan yang dibuat</b>. Silakan ubah <b>{product}</b> di keranjang, "
        "lalu pesan lagi."
    ),
    "b_e_cart_full": "Mohon maaf, keranjang paling banyak {max} produk. Silakan pesan dulu yang sudah ada.",
    "b_e_cart_empty": "Keranjang masih kosong. Silakan pilih produk di /katalog.",
    "b_e_cart_changed": "Isi keranjang atau harga berubah. Silakan periksa ringkasan yang baru.",
    "b_e_fully_paid": "Pesanan ini sudah lunas. Terima kasih.",
    "b_e_already_paid": "Pembayaran ini sudah kami terima. Terima kasih.",
    "b_e_already_cancelled": "Pesanan ini sudah dibatalkan.",
    "b_e_order_closed": "Pesanan ini sudah ditutup dan tidak bisa dibayar lagi.",
    "b_e_order_expired": "Waktu pembayaran pesanan ini sudah habis. Silakan pesan lagi.",
    "b_e_not_pending": "Kode pembayaran ini sudah tidak berlaku. Buka Pesanan Saya untuk kode yang baru.",
    "b_e_open_orders": "Mohon maaf, masih ada pesanan berjalan.",
    "b_e_cannot_cancel": (
        "Mohon maaf, pesanan ini tidak bisa dibatalkan lagi (status: {status}). Silakan hubungi Galeri."
    ),
    "b_e_paving_not_understood": (
        "Mohon maaf, ukurannya tidak terbaca. Contoh: <code>50 m2</code>, <code>10x5</code> atau <code>2300 "
        "biji</code>."
    ),
    "b_e_phone_invalid": "Mohon maaf, nomor HP tidak terbaca. Contoh: 0812 3456 7890 atau +62 812 3456 7890.",
    "b_e_phone_foreign": "Mohon maaf, kami hanya bisa memakai nomor Indonesia (+62).",
    "b_e_need_phone": "Mohon tekan tombol <b>📱 Kirim nomor HP</b> atau ketik nomornya.",
    "b_e_need_address": "Mohon ketik alamatnya sebagai teks, atau kirim lokasi 📍.",
    "b_e_address_short": (
        "Mohon maaf, alamat terlalu pendek. Mohon tulis jalan, kelurahan, kecamatan dan kota/kabupaten."
    ),
    "b_e_address_long": "Mohon maaf, alamat terlalu panjang (paling banyak {max} huruf).",
    "b_e_address_area": (
        "Mohon lengkapi alamat dengan <b>kecamatan</b> dan <b>kota/kabupaten</b>, "
        "misalnya: Kec. Medan Helvetia, Kota Medan."
    ),
    "b_e_need_photo": "Mohon kirim bukti pembayaran sebagai <b>foto</b> 📷.",
    # alerts for staff
    "b_s_alert_new": "🆕 Pesanan baru <b>{code}</b> ({family})",
    "b_s_alert_pickup": "Ambil: {date}, {slot}",
    "b_s_alert_delivery": "Diantar, siap: {date}",
    "b_s_alert_ready": "Siap: {date}",
    "b_s_alert_total": "Total {total} · {status}",
    "b_s_alert_deposit": "DP: {deposit}",
    "b_s_alert_buyer": "Pembeli: {name}",
    "b_s_alert_proof": (
        "🧾 Bukti bayar <b>{code}</b>: <b>{amount}</b> ({kind}).\n"
        "Periksa dana masuk di aplikasi merchant QRIS, lalu pilih:"
    ),
    "b_s_kind_full": "lunas",
    "b_s_kind_deposit": "DP",
    "b_s_kind_balance": "pelunasan",
    "b_s_btn_proof_ok": "✅ Dana masuk",
    "b_s_btn_proof_no": "❌ Belum masuk",
    "b_s_alert_cancelled": "✖️ Pesanan <b>{code}</b> ({date}) dibatalkan pembeli.",
    "b_s_alert_refund": "Sudah dibayar {paid}: mohon kembalikan dana ke pembeli.",
}

EN: dict[str, str] = {
    # the command menu
    "b_cmd_start": "Main menu",
    "b_cmd_katalog": "Browse the catalogue",
    "b_cmd_keranjang": "Shopping cart",
    "b_cmd_pesananku": "My orders and their status",
    "b_cmd_bahasa": "Change language / Ganti bahasa",
    "b_cmd_datasaya": "What is stored about me",
    "b_cmd_hapusdata": "Delete my personal data",
    "b_cmd_bantuan": "Help: how to order",
    # menu and navigation
    "b_welcome": (
        "Welcome, {name} 🙏\n"
        "This is the <b>{shop}</b> shop: bread, paving blocks and crafts made by the inmates (<b>warga binaan</b>) "
        "of Rutan Kelas I Medan.\nOrder here, pay by QRIS, collect at the Galeri. Please choose:"
    ),
    "b_menu": "Main menu. Please choose:",
    "b_btn_catalogue": "🛍 Catalogue",
    "b_btn_cart": "🛒 Cart",
    "b_btn_cart_n": "🛒 Cart ({n})",
    "b_btn_orders": "📦 My orders",
    "b_btn_help": "❓ Help",
    "b_btn_menu": "🏠 Menu",
    "b_btn_back": "⬅️ Back",
    "b_btn_prev": "◀️ Previous",
    "b_btn_next": "Next ▶️",
    "b_btn_no": "No",
    "b_page": "Page {page} of {pages}",
    # catalogue
    "b_categories": "<b>Catalogue</b>\nPlease choose a category:",
    "b_products": "<b>{category}</b>\nPlease choose a product:",
    "b_no_products": "Sorry, there are no products in this category yet.",
    "b_product_line": "• {product}: {price}/{unit}",
    "b_price": "Price: <b>{price}</b> per {unit}",
    "b_bread_rule_1": "Order by {cutoff} the day before pickup. Collect at the Galeri.",
    "b_bread_rule_n": "Order by {cutoff}, {lead} days before pickup. Collect at the Galeri.",
    "b_shelf_life": "No preservatives, keeps {days} days.",
    "b_paving_per_m2": "{pcs} pieces per m²",
    "b_paving_thickness": "Thickness: {cm} cm",
    "b_paving_grade": "Strength: {grade}",
    "b_paving_stock": "Ready stock: {pcs} pieces",
    "b_paving_ready": "Ready at the earliest: {date} (for {pcs} pieces; cast, then cured)",
    "b_stock": "In stock: {stock} {unit}",
    "b_stock_out": "Sorry, this is out of stock.",
    "b_made_to_order": "Made to order, ready at the earliest on {date}.",
    "b_min_qty": "Minimum order: {qty} {unit}",
    "b_btn_choose_date": "📅 Choose pickup date",
    "b_btn_paving_calc": "📐 Calculate",
    "b_btn_order": "🛒 Order",
    # bread dates, slots, quantities
    "b_dates_title": "<b>{product}</b>\nChoose a pickup date:",
    "b_date_ok": "✅ {date}",
    "b_date_low": "✅ {date}: only {left} {unit} left",
    "b_date_closed": "✖️ {date}: closed (no production)",
    "b_date_holiday": "✖️ {date}: holiday",
    "b_date_cutoff": "✖️ {date}: order deadline passed ({deadline})",
    "b_date_full": "✖️ {date}: fully booked",
    "b_dates_none": "Sorry, no date can be ordered right now. Please try again tomorrow.",
    "b_slots_title": "<b>{product}</b>\nPickup on {date}.\nChoose a pickup time:",
    "b_slot_full": "✖️ {slot}: full",
    "b_slot_left": "{slot} ({left} left)",
    "b_slots_none": "Sorry, every pickup time on this date is full. Please choose another date.",
    "b_pickup_at": "Pickup: {date}, {slot}",
    "b_low_left": "⚠️ Only {left} {unit} left for this date.",
    "b_qty_ask": "How many {unit}? Choose below or type the number (for example {example}).",
    "b_added": "✅ In your cart: {product}, now {qty} {unit}.\nCart: {count} products, total {total}.",
    "b_added_toast": "Added to cart ✅",
    # paving
    "b_paving_prompt": (
        "<b>{product}</b>\nHow much do you need? Type one of:\n"
        "• an area: <code>50 m2</code>\n• a size in metres: <code>10x5</code>\n• pieces: <code>2300 biji</code>\n"
        "Minimum order {min} pieces."
    ),
    "b_pq_title": "<b>Calculation for {product}</b>",
    "b_pq_dims": "Area: {a} × {b} m = {area} m²",
    "b_pq_area": "Area: {area} m²",
    "b_pq_per_m2": "Pieces per m²: {pcs}",
    "b_pq_spare": "Spare for breakage and cuts: {pct}% (of {base} pieces)",
    "b_pq_pieces": "Quantity: <b>{pieces} pieces</b>",
    "b_pq_minimum": "(raised to the minimum order of {min} pieces)",
    "b_pq_price": "Price: {pieces} × {price} = <b>{total}</b>",
    "b_pq_weight": "Weight: about {weight}",
    "b_pq_trips": "Transport: {trips}",
    "b_vehicle_pickup": "{n}× pick-up",
    "b_vehicle_engkel": "{n}× small truck (engkel)",
    "b_vehicle_colt_diesel": "{n}× colt diesel",
    "b_or": " or ",
    "b_pq_ready": "Ready at the earliest: <b>{date}</b>",
    "b_pq_deposit": "Deposit (DP) when ordering: {deposit}",
    "b_pq_again": "Type another size to calculate again.",
    "b_btn_add_cart": "🛒 Add to cart",
    # cart
    "b_cart_empty": "Your cart is empty. Please choose products in the Catalogue.",
    "b_cart_title": "<b>Cart</b>",
    "b_cart_line": "{n}. {qty} {unit} {product} = {total}",
    "b_cart_when": "    pickup {date}, {slot}",
    "b_cart_area": "    for {area} m²",
    "b_cart_total": "Total: <b>{total}</b>",
    "b_cart_hint": "Tap a product number to change or remove it.",
    "b_btn_item": "✏️ {n}",
    "b_btn_checkout": "✅ Order now",
    "b_btn_more": "🛍 Keep shopping",
    "b_btn_clear": "🗑 Empty cart",
    "b_btn_change_qty": "🔢 Change quantity",
    "b_btn_change_date": "📅 Change date",
    "b_btn_remove": "🗑 Remove",
    "b_item_title": "<b>Product in your cart</b>",
    "b_item_qty_prompt": "Type the new quantity for <b>{product}</b> (now {qty} {unit}):",
    "b_clear_confirm": "Empty the whole cart?",
    "b_btn_yes_clear": "Yes, empty it",
    "b_removed_toast": "Removed from the cart.",
    "b_cleared_toast": "Cart emptied.",
    "b_moved_toast": "Pickup date changed.",
    # checkout
    "b_checkout_below": "🧾 Ordering: please answer the question below.",
    "b_phone_prompt": (
        "To contact you about your order we need your <b>phone number</b>.\n"
        "Tap <b>📱 Send phone number</b> below, or type it (for example 0812 3456 7890).\n\n"
        "<i>We use it only for your orders (Indonesian PDP law No. 27/2022). "
        "See your data with /datasaya, delete it any time with /hapusdata.</i>"
    ),
    "b_key_share_phone": "📱 Send phone number",
    "b_key_share_location": "📍 Send location",
    "b_key_cancel": "Cancel",
    "b_phone_saved": "Thank you, number {phone} saved.",
    "b_fulfil_prompt": (
        "Will you collect the paving or should we deliver it?\n"
        "• <b>Own pickup</b> with your truck at {place}.\n"
        "• <b>Delivery</b>: staff calculate the transport fee per trip; it is paid separately."
    ),
    "b_btn_pickup": "🚛 Own pickup",
    "b_btn_delivery": "🚚 Delivery",
    "b_btn_cancel": "✖️ Cancel",
    "b_address_prompt": (
        "Please type the full <b>delivery address</b>: street and number, RT/RW, kelurahan, "
        "<b>kecamatan</b>, <b>kota/kabupaten</b>.\n"
        "Example: <code>Jl. Melati No. 5, RT 02/RW 03, Kel. Tanjung Gusta, Kec. Medan Helvetia, Kota Medan</code>\n"
        "You may also send your location 📍 to help the driver."
    ),
    "b_location_saved": "Thank you, location received 📍. Now please type the full address.",
    "b_address_saved": "Thank you, address noted:\n{address}",
    "b_sum_title": "<b>Order summary</b>",
    "b_sum_split": "Your cart becomes {n} orders because they are collected at different times or ways:",
    "b_sum_order": "<b>{n}. {family}</b>: {when}",
    "b_reason_bread_by_date": "<i>Bread is baked for its pickup date and time.</i>",
    "b_reason_paving_ready": "<i>Paving is cast and cured first; this is the earliest ready date.</i>",
    "b_reason_goods_stock": "<i>From stock, ready to collect at the Galeri.</i>",
    "b_reason_goods_made": "<i>Made to order first.</i>",
    "b_when_bread": "pickup {date}, {slot}",
    "b_when_paving_pickup": "ready {date}, own pickup",
    "b_when_paving_delivery": "ready {date}, delivered",
    "b_when_goods_stock": "collect at the Galeri from {date}",
    "b_when_goods_made": "ready {date}, collect at the Galeri",
    "b_sum_line": "• {qty} {unit} {product} = {total}",
    "b_sum_subtotal": "Subtotal: {total}",
    "b_sum_deposit": "Deposit paid now: {deposit}; the rest {balance} before pickup/delivery.",
    "b_sum_total": "Total: <b>{total}</b>",
    "b_sum_pay_now": "Paid now: <b>{amount}</b>",
    "b_sum_phone": "Phone: {phone}",
    "b_sum_address": "Delivery address: {address}",
    "b_sum_location": "Location: sent 📍",
    "b_sum_delivery_fee": "The paving transport fee is calculated by staff and paid separately.",
    "b_sum_deadline": "After you confirm, the QRIS code is valid for {minutes} minutes.",
    "b_btn_confirm": "✅ Confirm",
    "b_btn_edit_cart": "✏️ Change cart",
    "b_use_buttons": "Please use the buttons of the message above (or tap ✖️ Cancel).",
    "b_checkout_cancelled": "Ordering cancelled. Your cart is kept.",
    "b_placed": "✅ Thank you! Orders placed:",
    "b_placed_line": "• <b>{code}</b>: {date}, {total}",
    "b_placed_next": "The QRIS payment codes follow below.",
    "b_already_placed": "These orders were already placed; nothing was ordered twice. See My orders.",
    "b_btn_fix_item": "✏️ Change {product}",
    # payment
    "b_pay_title_full": "<b>Payment for order {code}</b>",
    "b_pay_title_deposit": "<b>Deposit (DP) for order {code}</b>",
    "b_pay_title_balance": "<b>Balance for order {code}</b>",
    "b_pay_amount": "Amount: <b>{amount}</b>\n<i>({words})</i>",
    "b_pay_rest": "Order total {total}; the remaining {rest} is paid later.",
    "b_pay_deadline": "Pay before <b>{time}</b>, {date}.",
    "b_pay_howto": (
        "How to pay: open your banking or e-wallet app (GoPay, OVO, DANA, ShopeePay...), choose "
        "<b>Scan QRIS</b> and scan this code. The amount is filled in; please do not change it."
    ),
    "b_pay_after": "Paid? Tap <b>I have paid</b> and send a photo of the receipt.",
    "b_qr_deadline": "Pay before {time}",
    "b_btn_paid": "✅ I have paid",
    "b_btn_order_detail": "📦 View order",
    "b_proof_prompt": (
        "Please send a <b>photo</b> of the payment of {amount} for order {code} (a screenshot of the app)."
    ),
    "b_proof_received": (
        "✅ Thank you! The receipt for order {code} was passed to our staff. "
        "We will tell you once the money is checked."
    ),
    # orders
    "b_orders_title": "<b>My orders</b> (last {n}). Choose one for details:",
    "b_orders_empty": "You have no orders yet. Please start from the Catalogue.",
    "b_btn_order_row": "{code} · {date} · {status}",
    "b_order_title": "<b>Order {code}</b>",
    "b_order_status": "Status: <b>{status}</b>",
    "b_order_pickup": "Pickup: {date}, {slot}",
    "b_order_delivery_date": "Delivered from: {date}",
    "b_order_ready_date": "Ready for pickup: {date}",
    "b_order_total": "Total: {total}",
    "b_order_paid": "Paid: {paid}",
    "b_order_due": "Still due: {due}",
    "b_order_address": "Delivery address: {address}",
    "b_order_deadline": "Pay before {time}, {date}",
    "b_order_pickup_code": "Pickup code: <b>{code}</b> (show it at the counter)",
    "b_order_place": "Pickup place: {place}",
    "b_order_reason": "Reason: {reason}",
    "b_btn_pay": "💳 Pay",
    "b_btn_cancel_order": "✖️ Cancel order",
    "b_btn_reorder": "🔁 Order again",
    "b_cancel_confirm": "Cancel order <b>{code}</b>?",
    "b_cancel_refund": "The {paid} you paid will be refunded by our staff.",
    "b_btn_yes_cancel": "Yes, cancel",
    "b_cancelled_toast": "Order {code} cancelled.",
    "b_reordered_toast": "Products added to the cart.",
    # status words and families
    "b_st_AWAITING_PAYMENT": "Awaiting payment",
    "b_st_PARTIALLY_PAID": "Partly paid (deposit)",
    "b_st_PAID": "Paid",
    "b_st_IN_PRODUCTION": "In production",
    "b_st_READY": "Ready for pickup",
    "b_st_OUT_FOR_DELIVERY": "Out for delivery",
    "b_st_DONE": "Completed",
    "b_st_CANCELLED": "Cancelled",
    "b_st_EXPIRED": "Payment time expired",
    "b_st_NO_SHOW": "Not collected",
    "b_fam_bread": "Bread",
    "b_fam_paving": "Paving",
    "b_fam_goods": "Goods",
    # language, privacy, help
    "b_lang_prompt": "Pilih bahasa / Choose your language:",
    "b_btn_lang_id": "🇮🇩 Bahasa Indonesia",
    "b_btn_lang_en": "🇬🇧 English",
    "b_lang_set": "Language set to English. Type /start for the menu.",
    "b_lang_name_id": "Indonesian",
    "b_lang_name_en": "English",
    "b_data_title": "<b>What we store about you</b>",
    "b_data_name": "Name: {name}",
    "b_data_phone": "Phone: {phone}",
    "b_data_phone_none": "Phone: none",
    "b_data_lang": "Language: {language}",
    "b_data_consent": "Consent to keep the number: {date}, {time}",
    "b_data_orders": "Orders: {n}",
    "b_data_addresses": "Delivery addresses:",
    "b_data_footer": "We use this only to serve your orders. Delete it any time with /hapusdata.",
    "b_delete_confirm": (
        "Delete your personal data?\n"
        "Your name, phone, addresses and Telegram account are erased or pseudonymised and your cart emptied. "
        "Order amounts stay <b>without your identity</b> for the state revenue accounts (PNBP)."
    ),
    "b_btn_yes_delete": "Yes, delete my data",
    "b_delete_refused": (
        "Sorry, your data cannot be deleted yet because these orders are still open: {codes}. "
        "Please wait until they are finished or cancel them, then type /hapusdata again."
    ),
    "b_deleted": "Your personal data has been deleted. Thank you for shopping with us. Type /start to order again.",
    "b_help": (
        "<b>How to order at {shop}</b>\n"
        "1. Open /katalog and choose a product.\n"
        "2. Bread: choose the pickup date and time. Paving: type the area (50 m2) or size (10x5).\n"
        "3. Open /keranjang, tap <b>Order now</b>, then <b>Confirm</b>.\n"
        "4. Pay with the QRIS code we send, then tap <b>I have paid</b>.\n"
        "5. When the status is <b>Ready for pickup</b>, show the pickup code at the counter.\n\n"
        "Commands: /pesananku my orders · /bahasa language · /datasaya my data · /hapusdata delete data\n"
        "Galeri: {address}"
    ),
    # free input at rest
    "b_idle": "Sorry, I did not understand that. Please choose from the menu below.",
    "b_idle_media": "Sorry, I can only read text and buttons, not stickers, voice notes or files.",
    "b_idle_photo": (
        "Thank you for the photo. If it is a payment receipt, tap <b>I have paid</b> under the payment code, "
        "then send the photo again."
    ),
    "b_idle_share": "Thank you. We ask for your phone and location while ordering. Please choose from the menu.",
    # errors
    "b_e_stale": "Sorry, this button is no longer valid. Please open the menu again with /start.",
    "b_e_generic": "Sorry, this request cannot be processed. Please try again.",
    "b_e_need_number": "Please type the quantity as a number, for example 10.",
    "b_e_not_a_number": "Sorry, I cannot read that as a quantity. Type a number only, for example 10 or 1.000.",
    "b_e_not_whole": "Sorry, the quantity must be a whole number without a comma, for example 10.",
    "b_e_zero": "Sorry, the quantity must be at least 1.",
    "b_e_too_large": "Sorry, that quantity is too large. For very large orders please contact the Galeri.",
    "b_e_below_min": "Sorry, the minimum order is {min} {unit}.",
    "b_e_above_max": "Sorry, the maximum order is {max} {unit}.",
    "b_e_capacity": "Sorry, only {left} {unit} are left for {date}.",
    "b_e_capacity_zero": "Sorry, production for {date} is fully booked. Please choose another date.",
    "b_e_slot_full": "Sorry, that pickup time is full. Please choose another one.",
    "b_e_out_of_stock": "Sorry, only {left} {unit} are in stock.",
    "b_e_sold_out": "Sorry, this is out of stock.",
    "b_e_past_cutoff": "Sorry, the order deadline for {date} has passed ({deadline}). Please choose another date.",
    "b_e_closed_day": "Sorry, there is no production on {date}. Please choose another date.",
    "b_e_too_soon": "Sorry, the earliest ready date is {date}.",
    "b_e_unavailable": "Sorry, this product is not available at the moment.",
    "b_e_checkout_failed": (
        "{reason}\nSo <b>no order was placed</b>. Please change <b>{product}</b> in your cart and order again."
    ),
    "b_e_cart_full": "Sorry, the cart holds at most {max} products. Please order these first.",
    "b_e_cart_empty": "Your cart is empty. Please choose products in /katalog.",
    "b_e_cart_changed": "Your cart or a price changed. Please check the new summary.",
    "b_e_fully_paid": "This order is fully paid. Thank you.",
    "b_e_already_paid": "We already received this payment. Thank you.",
    "b_e_already_cancelled": "This order is already cancelled.",
    "b_e_order_closed": "This order is closed and cannot be paid any more.",
    "b_e_order_expired": "The payment time for this order has run out. Please order again.",
    "b_e_not_pending": "This payment code is no longer valid. Open My orders for a new one.",
    "b_e_open_orders": "Sorry, some orders are still open.",
    "b_e_cannot_cancel": "Sorry, this order can no longer be cancelled (status: {status}). Please contact the Galeri.",
    "b_e_paving_not_understood": (
        "Sorry, I cannot read that size. Examples: <code>50 m2</code>, <code>10x5</code> or <code>2300 biji</code>."
    ),
    "b_e_phone_invalid": "Sorry, I cannot read that phone number. Example: 0812 3456 7890 or +62 812 3456 7890.",
    "b_e_phone_foreign": "Sorry, we can only use Indonesian numbers (+62).",
    "b_e_need_phone": "Please tap <b>📱 Send phone number</b> or type the number.",
    "b_e_need_address": "Please type the address as text, or send your location 📍.",
    "b_e_address_short": (
        "Sorry, the address is too short. Please write street, kelurahan, kecamatan and kota/kabupaten."
    ),
    "b_e_address_long": "Sorry, the address is too long (at most {max} characters).",
    "b_e_address_area": (
        "Please complete the address with the <b>kecamatan</b> and <b>kota/kabupaten</b>, "
        "for example: Kec. Medan Helvetia, Kota Medan."
    ),
    "b_e_need_photo": "Please send the payment receipt as a <b>photo</b> 📷.",
    # alerts for staff
    "b_s_alert_new": "🆕 New order <b>{code}</b> ({family})",
    "b_s_alert_pickup": "Pickup: {date}, {slot}",
    "b_s_alert_delivery": "Delivery, ready: {date}",
    "b_s_alert_ready": "Ready: {date}",
    "b_s_alert_total": "Total {total} · {status}",
    "b_s_alert_deposit": "Deposit: {deposit}",
    "b_s_alert_buyer": "Buyer: {name}",
    "b_s_alert_proof": (
        "🧾 Payment proof <b>{code}</b>: <b>{amount}</b> ({kind}).\n"
        "Check the money in the QRIS merchant app, then choose:"
    ),
    "b_s_kind_full": "full",
    "b_s_kind_deposit": "deposit",
    "b_s_kind_balance": "balance",
    "b_s_btn_proof_ok": "✅ Money received",
    "b_s_btn_proof_no": "❌ Not received",
    "b_s_alert_cancelled": "✖️ Order <b>{code}</b> ({date}) was cancelled by the buyer.",
    "b_s_alert_refund": "Already paid {paid}: please refund the buyer.",
}
