"""English texts (the second language of the bot)."""

TEXTS: dict[str, str] = {
    "welcome": (
        "Welcome, {name}.\n"
        "This is the <b>{shop}</b> shop: bread, paving blocks and crafts made by the inmates (warga binaan) "
        "of Rutan Kelas I Medan.\nPlease choose from the menu below."
    ),
    "error_generic": "Sorry, something went wrong. Please try again in a moment.",
    "unknown_command": "Sorry, I don't know that command. Type /start for the main menu or /bantuan for help.",
    "flood": "Sorry, you are sending messages too fast. Please wait a moment.",
}
