"""Texts shared by every audience."""

ID: dict[str, str] = {
    "welcome": (
        "Selamat datang, Bapak/Ibu {name}.\n"
        "Ini toko <b>{shop}</b>: roti, paving block dan kerajinan karya warga binaan Rutan Kelas I Medan.\n"
        "Silakan pilih menu di bawah."
    ),
    "error_generic": "Mohon maaf, terjadi kendala. Silakan coba lagi sebentar lagi.",
    "unknown_command": "Mohon maaf, perintah itu tidak dikenal. Ketik /start untuk menu utama atau /bantuan.",
    "flood": "Mohon maaf, pesan Bapak/Ibu terlalu cepat. Silakan tunggu sebentar.",
}

EN: dict[str, str] = {
    "welcome": (
        "Welcome, {name}.\n"
        "This is the <b>{shop}</b> shop: bread, paving blocks and crafts made by the inmates (warga binaan) "
        "of Rutan Kelas I Medan.\nPlease choose from the menu below."
    ),
    "error_generic": "Sorry, something went wrong. Please try again in a moment.",
    "unknown_command": "Sorry, I don't know that command. Type /start for the main menu or /bantuan for help.",
    "flood": "Sorry, you are sending messages too fast. Please wait a moment.",
}
