"""Booklet imposition: saddle-stitch order, read back from the imposed sheets half by half."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from leaflet.core.page import A4, MM
from leaflet.pdf.imposition import impose_booklet, saddle_stitch_order

A5 = (148 * MM, 210 * MM)


def reading_copy(pages: int) -> bytes:
    """A5 pages that each say which page they are, in the middle."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=A5, invariant=1)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 40)
        canvas.drawCentredString(A5[0] / 2, A5[1] / 2, f"P{number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def halves(page) -> tuple[str, str]:
    """The text on the left and on the right of the fold."""
    found: dict[str, list[str]] = {"left": [], "right": []}
    fold = float(page.mediabox.width) / 2

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = cm[4] + tm[4] * cm[0]
            found["left" if x < fold else "right"].append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found["left"]), " ".join(found["right"])


def test_saddle_stitch_order_for_eight_pages():
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.parametrize("pages", [4, 8, 12])
def test_each_half_sheet_holds_the_right_page(pages):
    imposed = PdfReader(BytesIO(impose_booklet(reading_copy(pages), {"/Title": "Test"})))
    assert len(imposed.pages) == pages // 2  # two sides of pages // 4 sheets
    read = [halves(page) for page in imposed.pages]
    assert read == [(f"P{left}", f"P{right}") for left, right in saddle_stitch_order(pages)]
    # Every page of the reading copy is there exactly once.
    assert sorted(int(text[1:]) for side in read for text in side) == list(range(1, pages + 1))
    # Folded and nested, the sheets read 1, 2, 3... : page k's back is page k + 1.
    fronts, backs = read[0::2], read[1::2]
    for (outer_left, outer_right), (inner_left, inner_right) in zip(fronts, backs, strict=True):
        assert int(inner_left[1:]) == int(outer_right[1:]) + 1
        assert int(outer_left[1:]) == int(inner_right[1:]) + 1


def test_sheets_are_a4_landscape_and_pages_meet_at_the_fold():
    imposed = PdfReader(BytesIO(impose_booklet(reading_copy(4), {"/Title": "Test"})))
    page = imposed.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((A4[1], A4[0]))


def test_a_count_not_a_multiple_of_four_is_refused():
    with pytest.raises(ValueError, match="multiple of 4"):
        saddle_stitch_order(6)
