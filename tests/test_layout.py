"""What the pages look like: nothing outside the margins, the brand colours where they belong."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest

from conftest import ROOT, VARIANTS, build

MM = 72 / 25.4
DEFAULT_MARGINS_MM = {"top": 15, "bottom": 14, "left": 18, "right": 18}


def char_boxes(path: Path):
    """(page number, character, left, bottom, right, top) in PDF points for every drawn character."""
    document = pypdfium2.PdfDocument(path)
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            for char_index in range(textpage.count_chars()):
                text = textpage.get_text_range(char_index, 1)
                if text.strip():
                    yield (index + 1, text, *textpage.get_charbox(char_index))
    finally:
        document.close()


def margin_box(margins: dict[str, float], width: float = 595.2756, height: float = 841.8898):
    return (margins["left"] * MM, margins["bottom"] * MM, width - margins["right"] * MM, height - margins["top"] * MM)


@pytest.mark.parametrize("audience", VARIANTS)
def test_no_text_outside_the_margins(built, audience):
    left, bottom, right, top = margin_box(DEFAULT_MARGINS_MM)
    boxes = list(char_boxes(built[audience]))
    assert len(boxes) > 2000
    slack = 1.5  # points; glyphs such as 'j' overhang their origin by design (about 1 pt at 18 pt large print)
    outside = [
        b for b in boxes if b[2] < left - slack or b[4] > right + slack or b[3] < bottom - slack or b[5] > top + slack
    ]
    assert outside == []


def ink_bounds(path: Path, page: int, dpi: int = 50):
    """The bounding box, in points, of every pixel that is not white."""
    document = pypdfium2.PdfDocument(path)
    try:
        image = document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    inverted = image.point(lambda v: 255 if v < 250 else 0)
    x0, y0, x1, y1 = inverted.getbbox()
    scale = 72 / dpi
    height_pt = image.height * scale
    return x0 * scale, height_pt - y1 * scale, x1 * scale, height_pt - y0 * scale


@pytest.mark.parametrize("audience", VARIANTS)
def test_nothing_is_drawn_outside_the_margins(built, audience):
    left, bottom, right, top = margin_box(DEFAULT_MARGINS_MM)
    document = pypdfium2.PdfDocument(built[audience])
    pages = len(document)
    document.close()
    tolerance = 72 / 50 * 1.5  # one and a half pixels at the rendering resolution
    for page in range(pages):
        x0, y0, x1, y1 = ink_bounds(built[audience], page)
        assert x0 >= left - tolerance and x1 <= right + tolerance, (page, x0, x1)
        assert y0 >= bottom - tolerance and y1 <= top + tolerance, (page, y0, y1)


def pixel(path: Path, x_pt: float, y_from_top_pt: float, dpi: int = 50) -> tuple[int, int, int]:
    document = pypdfium2.PdfDocument(path)
    try:
        image = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    return image.getpixel((int(x_pt * dpi / 72), int(y_from_top_pt * dpi / 72)))


def close_to(colour: tuple[int, int, int], hex_colour: str, tolerance: int = 6) -> bool:
    wanted = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True))


def test_header_band_uses_the_style_colour(built, tmp_path):
    # A point inside the band, right of any text: 15 mm from the right edge, 20 mm from the top.
    x, y = 595.2756 - 25 * MM, 22 * MM
    assert close_to(pixel(built["patient"], x, y), "#005EB8")
    assert build(tmp_path, "--audience", "patient", style=ROOT / "styles" / "northgate.yaml") == 0
    themed = tmp_path / "sacroiliac-joint-pain-patient.pdf"
    assert close_to(pixel(themed, x, y), "#00685E")
    from conftest import pdf_text

    text = pdf_text(themed)
    assert "Northgate Health Partnership" in text and "For patients and carers" in text


def test_qr_code_decodes_to_the_online_version(built):
    import zxingcpp

    document = pypdfium2.PdfDocument(built["patient"])
    try:
        images = [page.render(scale=150 / 72).to_pil() for page in document]
    finally:
        document.close()
    assert [result.text for image in images for result in zxingcpp.read_barcodes(image)] == [
        "https://www.example.org/leaflets/sacroiliac-joint-pain"
    ]


def test_a_long_title_wraps_in_the_footer_inside_the_margins(tmp_path):
    import yaml

    from conftest import CONTENT, pdf_text

    data = yaml.safe_load(CONTENT.read_text("utf-8"))
    data["title"] = "Sacroiliac joint pain and pelvic girdle pain in pregnancy, after birth and later in life"
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", "--audience", "patient", content=content) == 0
    left, bottom, right, top = margin_box(DEFAULT_MARGINS_MM)
    for name in ("sacroiliac-joint-pain-patient.pdf", "sacroiliac-joint-pain-patient-large-print.pdf"):
        path = tmp_path / "out" / name
        outside = [b for b in char_boxes(path) if b[2] < left - 1.5 or b[4] > right + 1.5 or b[3] < bottom - 1.5]
        assert outside == [], name
        assert "Ref sacroiliac-joint-pain" in pdf_text(path) and "Page 1 of" in pdf_text(path)


def test_a_box_inside_a_box_can_be_split_where_it_falls_on_the_page_break():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    from leaflet.pdf.flowables import Panel, TaggedParagraph
    from leaflet.pdf.pagination import choose, stack

    style = ParagraphStyle("body", fontSize=12, leading=16)
    inner = Panel([TaggedParagraph(f"Call us. {'Line ' * 200}", style)], colors.white, colors.red)
    lines = [TaggedParagraph(f"Line {n}", style) for n in range(30)]
    outer = Panel([*lines, inner], colors.white, colors.blue)
    rows = stack([outer], 400).rows
    choice = choose(rows, 600)  # the inner box falls on the page break
    first, rest = outer.split_rows(400, choice.taken)
    assert isinstance(first.content[-1], Panel) and isinstance(rest.content[0], Panel)
    assert first.wrap(400, 600)[1] <= 600 + 0.01
    heights = first.wrap(400, 600)[1] + rest.wrap(400, 10_000)[1]
    assert heights > outer.wrap(400, 10_000)[1]  # each part has its own padding


@pytest.mark.parametrize("large_print", [False, True])
def test_no_paragraph_style_is_justified(large_print):
    """Clear Print: left aligned, ragged right, for every audience and format."""
    from reportlab.lib.enums import TA_LEFT

    from leaflet.core.page import enlarged
    from leaflet.pdf.layout import make_styles
    from leaflet.reading.fonts import load_fonts
    from leaflet.reading.style import load_theme

    theme = load_theme(None)
    for audience in ("patient", "clinician", "carer"):
        style = theme.for_audience(audience)
        styles = make_styles(theme, enlarged(style) if large_print else style, load_fonts(theme))
        every = [value for value in vars(styles).values() for value in (value if isinstance(value, list) else [value])]
        assert len(every) == 9 and all(s.alignment == TA_LEFT for s in every), [s.name for s in every]
