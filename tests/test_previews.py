"""`make previews`: every page of every built PDF as a small PNG, with no stale picture left behind."""

from __future__ import annotations

from PIL import Image
from pypdf import PdfReader

from leaflet.previews import PREVIEW_DPI, main


def test_every_page_gets_a_small_preview_and_old_ones_go(built, tmp_path):
    pdf_dir = built["patient"].parent
    out = tmp_path / "previews"
    out.mkdir()
    (out / "sacroiliac-joint-pain-patient.png").write_bytes(b"old page-1-only preview")
    (out / "sacroiliac-joint-pain-patient-p99.png").write_bytes(b"a page the leaflet no longer has")
    assert main([str(pdf_dir), str(out)]) == 0
    for variant, path in built.items():
        pages = len(PdfReader(path).pages)
        previews = sorted(out.glob(f"sacroiliac-joint-pain-{variant}-p*.png"))
        assert [p.name for p in previews] == sorted(
            f"sacroiliac-joint-pain-{variant}-p{n}.png" for n in range(1, pages + 1)
        )
        with Image.open(previews[0]) as image:
            assert image.width == round(595.2756 * PREVIEW_DPI / 72)
    assert not (out / "sacroiliac-joint-pain-patient.png").exists()
    assert not (out / "sacroiliac-joint-pain-patient-p99.png").exists()
    assert main([str(pdf_dir)]) == 2
