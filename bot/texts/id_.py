"""Indonesian texts (the first language of the bot)."""

TEXTS: dict[str, str] = {
    "welcome": (
        "Selamat datang, Bapak/Ibu {name}.\n"
        "Ini toko <b>{shop}</b>: roti, paving block dan kerajinan karya warga binaan Rutan Kelas I Medan.\n"
        "Silakan pilih menu di bawah."
    ),
    "error_generic": "Mohon maaf, terjadi kendala. Silakan coba lagi sebentar lagi.",
    "unknown_command": "Mohon maaf, perintah itu tidak dikenal. Ketik /start untuk menu utama atau /bantuan.",
    "flood": "Mohon maaf, pesan Bapak/Ibu terlalu cepat. Silakan tunggu sebentar.",
}
