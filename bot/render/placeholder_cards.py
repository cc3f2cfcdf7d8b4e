"""Stand-in pictures for the offline demo: a coloured card with the product's name, stamped "CONTOH GAMBAR".

The project ships no photos (none of the real products, and never stock photos from elsewhere); so that the demo
shows what a product screen with photos looks like, a fresh demo database gives a few products cards drawn here,
marked on their face as examples that are not photos of the product.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bot.render.qr_fonts import fit_lines, font

WIDTH, HEIGHT = 960, 720
STAMP = "CONTOH GAMBAR"
NOTE = "bukan foto produk · not a product photo"
COLOURS = ((38, 92, 140), (150, 84, 40), (52, 120, 80), (120, 60, 120))


def placeholder_card(name: str, number: int, total: int) -> bytes:
    """A PNG card for the demo: the product's name, "CONTOH GAMBAR" across it and "n/total" in a corner."""
    background = COLOURS[(number - 1) % len(COLOURS)]
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    for x in range(-HEIGHT, WIDTH, 60):  # light diagonal stripes: plainly a drawing, not a photograph
        draw.line([(x, HEIGHT), (x + HEIGHT, 0)], fill=tuple(min(255, c + 18) for c in background), width=18)
    y = 170
    for line, line_font in fit_lines(name, WIDTH - 120, sizes=(64, 52, 44, 36), bold=True):
        draw.text((WIDTH // 2, y), line, font=line_font, fill="white", anchor="mm")
        y += int(line_font.size * 1.25)
    draw.rectangle([(0, 400), (WIDTH, 540)], fill="white")
    draw.text((WIDTH // 2, 450), STAMP, font=font(72, bold=True), fill=(190, 30, 30), anchor="mm")
    draw.text((WIDTH // 2, 510), NOTE, font=font(28), fill=(60, 60, 60), anchor="mm")
    draw.text((WIDTH - 40, HEIGHT - 40), f"{number}/{total}", font=font(36, bold=True), fill="white", anchor="rb")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
