"""Black box: in the terminal demo a manager adds a product with two photos, and a buyer sees it at once."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.flows.test_entrypoint import _bot, _env
from tests.support.pictures import jpeg

# A number answers the question unless a button on screen has that number (then "'12" types it): the draft's old
# questions lose their buttons, so the numbers below are answers, except where the question offers buttons.
SCRIPT = """/as manager
/produkbaru
1
Roti Pisang Cokelat
1
3.500
Roti lembut isi pisang dan cokelat.
240
48
1
3
1
1
1
/foto {first}
/foto {second}
6
1
/as buyer
/start
1
1
6
"""


def test_a_manager_adds_a_product_with_photos_in_the_demo_and_a_buyer_sees_it(tmp_path: Path) -> None:
    first, second = tmp_path / "roti1.jpg", tmp_path / "roti2.jpg"
    first.write_bytes(jpeg(900, 700, seed=3))
    second.write_bytes(jpeg(900, 700, seed=4))
    script, out_dir = tmp_path / "script.txt", tmp_path / "out"
    script.write_text(SCRIPT.format(first=first, second=second), encoding="utf-8")
    result = _bot("demo", "--script", str(script), "--out", str(out_dir), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Sudah 2 foto." in out and "Begini produk ini tampil untuk pembeli" in out
    assert "Roti Pisang Cokelat tersimpan dengan SKU RTO-PSN-1" in out
    buyer = out.split("> Anda: /as buyer", 1)[1]
    assert "• Roti Pisang Cokelat: Rp3.500/pcs" in buyer and "[1] ◀️  [2] 1/2  [3] ▶️" in buyer
    [card] = sorted(out_dir.glob("foto_700001_*.jpg"))
    assert Image.open(card).size == (900, 700) and not Image.open(card).getexif()
    assert "Traceback" not in out + result.stderr
