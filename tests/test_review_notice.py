"""An overdue leaflet says so on every page, in a band that covers no text; a current one does not."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader
from test_layout import DEFAULT_MARGINS_MM, MM, char_boxes

from conftest import CONTENT, build, normalise, outputs, pdf_text

NOTICE = "Past its review date (9 December 2021): ask for the latest version"
URGENT = (0xB0, 0x00, 0x20)  # styles/default.yaml colours.urgent
SCALE = 2  # 144 dpi


def _urgent(pixel: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 12 for a, b in zip(pixel, URGENT, strict=True))


def notice_bands(path: Path) -> list[tuple[float, float, float, float]]:
    """Per page, the (left, bottom, right, top) in points of the urgent-coloured band.

    Found from a column just inside the right margin, where no text reaches, then along the band's top row.
    """
    bands = []
    document = pypdfium2.PdfDocument(path)
    try:
        for page in document:
            image = page.render(scale=SCALE).to_pil().convert("RGB")
            width, height = image.size
            pixels = image.load()
            probe = int((width / SCALE - DEFAULT_MARGINS_MM["right"] * MM - 3) * SCALE)
            rows = [y for y in range(height) if _urgent(pixels[probe, y])]
            assert rows, "no notice band on this page"
            assert rows[-1] - rows[0] + 1 == len(rows), "the band is one solid block"
            columns = [x for x in range(width) if _urgent(pixels[x, rows[0]])]
            assert columns[-1] - columns[0] + 1 == len(columns)
            page_height = height / SCALE
            bands.append(
                (
                    columns[0] / SCALE,
                    page_height - (rows[-1] + 1) / SCALE,
                    (columns[-1] + 1) / SCALE,
                    page_height - rows[0] / SCALE,
                )
            )
    finally:
        document.close()
    return bands


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_every_page_of_an_overdue_leaflet_says_so(built, audience):
    pages = PdfReader(built[audience]).pages
    assert len(pages) >= 2
    for page in pages:
        assert NOTICE in normalise(page.extract_text())


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_the_notice_covers_no_text(built, audience):
    bands = notice_bands(built[audience])
    inside: dict[int, str] = {}
    for page, char, left, bottom, right, top in char_boxes(built[audience]):
        b_left, b_bottom, b_right, b_top = bands[page - 1]
        overlaps = left < b_right and right > b_left and bottom < b_top and top > b_bottom
        if overlaps:
            # Anything touching the band must be the notice itself, wholly inside it.
            assert b_left <= left and right <= b_right and b_bottom <= bottom and top <= b_top, (page, char)
            inside[page] = inside.get(page, "") + char
    assert len(inside) == len(bands)
    for text in inside.values():
        assert text == NOTICE.replace(" ", "")


def test_the_notice_is_high_contrast_and_full_width(built):
    left, bottom, right, top = notice_bands(built["patient"])[0]
    assert right - left > 480  # the whole text width of an A4 page with 18 mm margins
    assert top - bottom >= 20  # room for 14 pt bold text and padding


def test_a_current_leaflet_has_no_notice(tmp_path, capsys):
    assert build(tmp_path, "--today", "2021-01-01") == 0
    assert capsys.readouterr().err == ""  # the seed meets every check while current
    for path in tmp_path.glob("*.pdf"):
        assert "Past its review date" not in pdf_text(path)


def test_an_overdue_build_warns_and_strict_refuses(tmp_path, capsys):
    assert build(tmp_path / "lenient", "--today", "2022-01-01") == 0
    err = capsys.readouterr().err
    assert f"{CONTENT}:19:16: warning: review.next_review: past its review date (9 December 2021, 23 days ago)" in err
    assert len(list((tmp_path / "lenient").glob("*.pdf"))) == 3  # patient, clinician and large-print patient
    assert build(tmp_path / "strict", "--today", "2022-01-01", "--strict") == 1
    assert "past its review date" in capsys.readouterr().err
    assert not (tmp_path / "strict").exists() or outputs(tmp_path / "strict") == []
