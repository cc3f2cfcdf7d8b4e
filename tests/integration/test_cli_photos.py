"""`python -m bot catalogue export --photos DIR` and `catalogue import` with `photos: [paths]`, as subprocesses."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.integration.test_cli import CATALOGUE, ok
from tests.support.pictures import jpeg, metadata_of, noise, phone_photo, png


def test_export_with_photos_then_import_into_an_empty_database_gives_the_same_catalogue(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "foto").mkdir(parents=True)
    (source / "foto" / "tas-depan.jpg").write_bytes(phone_photo())
    (source / "foto" / "tas-samping.png").write_bytes(png(noise(700, 500)))
    (source / "foto" / "lukisan.jpg").write_bytes(jpeg(2000, 1500, seed=5))
    text = CATALOGUE.read_text(encoding="utf-8")
    text = text.replace("price_rp: 125000, stock_mode: stock}",
                        "price_rp: 125000, stock_mode: stock, photos: [foto/tas-depan.jpg, foto/tas-samping.png]}")
    text = text.replace("stock_mode: stock, unique: true}",
                        "stock_mode: stock, unique: true, photos: [foto/lukisan.jpg]}")
    (source / "catalogue.yaml").write_text(text, encoding="utf-8")

    first_db, first_media = tmp_path / "first.sqlite3", tmp_path / "media-first"
    ok("migrate", db=first_db)
    imported = ok("catalogue", "import", str(source / "catalogue.yaml"), db=first_db, MEDIA_DIR=str(first_media))
    assert imported.strip() == (
        "Catalogue imported: 19 new, 0 updated, 10 categories. Photos changed for 2 of 2 products that list them."
    )
    stored = sorted(first_media.iterdir())
    assert len(stored) == 3 and all(metadata_of(p.read_bytes()) == {} for p in stored)

    out = tmp_path / "export"
    said = ok("catalogue", "export", "--photos", str(out), db=first_db, MEDIA_DIR=str(first_media))
    assert said.strip() == f"Wrote {out / 'catalogue.yaml'} and the photos in {out}"
    exported = (out / "catalogue.yaml").read_text(encoding="utf-8")
    listed = {p["sku"]: p["photos"] for p in yaml.safe_load(exported)["products"] if "photos" in p}
    assert listed == {"TAS-HB-01": ["TAS-HB-01-1.jpg", "TAS-HB-01-2.jpg"], "LKS-KNV-01": ["LKS-KNV-01-1.jpg"]}

    second_db, second_media = tmp_path / "second.sqlite3", tmp_path / "media-second"
    ok("migrate", db=second_db)
    ok("catalogue", "import", str(out / "catalogue.yaml"), db=second_db, MEDIA_DIR=str(second_media))
    again = tmp_path / "again"
    ok("catalogue", "export", "--photos", str(again), db=second_db, MEDIA_DIR=str(second_media))
    assert (again / "catalogue.yaml").read_text(encoding="utf-8") == exported
    for name in ("TAS-HB-01-1.jpg", "TAS-HB-01-2.jpg", "LKS-KNV-01-1.jpg"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    assert [p.read_bytes() for p in sorted(second_media.iterdir())] == [p.read_bytes() for p in stored]
