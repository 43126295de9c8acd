"""Large print and email-ready files: type sizes measured in the PDF, file sizes, image resolution."""

from __future__ import annotations

import ctypes
import shutil
from collections import Counter
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
import yaml
from PIL import Image

from conftest import CONTENT, DEFAULT_STYLE, STANDARD, build

EMAIL_LIMIT = 100 * 1024
PRINT_DPI = 300


def font_sizes(path: Path) -> Counter:
    """How many drawn characters (not spaces) there are at each type size, in points."""
    sizes: Counter = Counter()
    document = pypdfium2.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                if textpage.get_text_range(index, 1).strip():
                    sizes[round(pdfium.FPDFText_GetFontSize(textpage, index), 1)] += 1
    finally:
        document.close()
    return sizes


def test_large_print_body_is_18_pt_and_nothing_is_below_16_pt(built):
    large = font_sizes(built["patient-large-print"])
    standard = font_sizes(built["patient"])
    body = large.most_common(1)[0][0]
    assert body >= 18.0
    assert min(large) >= 16.0, sorted(large.items())
    assert body > standard.most_common(1)[0][0]  # the standard patient leaflet's body (14 pt)
    # Headings are scaled to match: the largest type (the title) grows by the same factor as the body.
    assert max(large) / body == pytest.approx(max(standard) / standard.most_common(1)[0][0], rel=0.01)


def test_large_print_is_reflowed_onto_more_pages(built):
    from pypdf import PdfReader

    assert len(PdfReader(built["patient-large-print"]).pages) > len(PdfReader(built["patient"]).pages)


@pytest.mark.parametrize("variant", STANDARD)
def test_standard_variants_are_small_enough_to_email(built, variant):
    assert built[variant].stat().st_size <= EMAIL_LIMIT


def embedded_images(path: Path) -> list[tuple[int, int, float, float]]:
    """(pixel width, pixel height, printed width in points, horizontal dpi) of every image drawn."""
    found = []
    document = pypdfium2.PdfDocument(path)
    try:
        for page in document:
            for number in range(pdfium.FPDFPage_CountObjects(page)):
                obj = pdfium.FPDFPage_GetObject(page, number)
                if pdfium.FPDFPageObj_GetType(obj) != pdfium.FPDF_PAGEOBJ_IMAGE:
                    continue
                metadata = pdfium.FPDF_IMAGEOBJ_METADATA()
                pdfium.FPDFImageObj_GetImageMetadata(obj, page, metadata)
                left, bottom, right, top = (ctypes.c_float() for _ in range(4))
                pdfium.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                found.append((metadata.width, metadata.height, right.value - left.value, metadata.horizontal_dpi))
    finally:
        document.close()
    return found


def content_with_images(folder: Path, images: dict[str, tuple[int, int, str]]) -> Path:
    """A copy of the seed with one image block per (file name: width_mm, pixel width, format) at the start."""
    data = yaml.safe_load(CONTENT.read_text("utf-8"))
    blocks = data["sections"][0]["blocks"]
    for name, (width_mm, pixels, kind) in images.items():
        gradient = Image.linear_gradient("L").resize((pixels, pixels // 2)).convert("RGB")
        gradient.save(folder / name, kind)
        blocks.insert(0, {"image": {"file": name, "alt": f"Test picture {name}", "width_mm": width_mm}})
    content = folder / "content.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return content


def test_large_images_are_downsampled_to_300_dpi_at_their_printed_size(tmp_path):
    images = {"photo.jpg": (60, 3000, "JPEG"), "scan.png": (50, 2400, "PNG"), "small.png": (40, 200, "PNG")}
    content = content_with_images(tmp_path, images)
    assert build(tmp_path / "out", "--audience", "patient", "--format", "standard", content=content) == 0
    drawn = sorted(embedded_images(tmp_path / "out" / "sacroiliac-joint-pain-patient.pdf"))
    assert len(drawn) == 3
    for pixel_width, _, printed_pt, dpi in drawn:
        assert pixel_width <= printed_pt / 72 * PRINT_DPI + 1
        assert dpi <= PRINT_DPI + 1
    # The small image is embedded as it is; the big ones are cut to (about) 300 dpi, not below.
    assert [d[0] for d in drawn][0] == 200
    assert all(d[3] >= PRINT_DPI - 2 for d in drawn[1:])


def test_the_style_logo_is_downsampled_too(tmp_path):
    style = tmp_path / "style.yaml"
    data = yaml.safe_load(DEFAULT_STYLE.read_text("utf-8"))
    data["logo"] = "logo.png"
    style.write_text(yaml.safe_dump(data), "utf-8")
    Image.new("RGBA", (1500, 1500), (255, 255, 255, 255)).save(tmp_path / "logo.png")
    shutil.copy(CONTENT, tmp_path / "content.yaml")
    out = tmp_path / "out"
    assert (
        build(out, "--audience", "patient", "--format", "standard", content=tmp_path / "content.yaml", style=style) == 0
    )
    (logo,) = embedded_images(out / "sacroiliac-joint-pain-patient.pdf")
    pixel_width, _, printed_pt, dpi = logo
    assert pixel_width < 1500
    assert pixel_width <= printed_pt / 72 * PRINT_DPI + 1 and dpi <= PRINT_DPI + 1
