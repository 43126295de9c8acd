"""Impose a booklet's reading copy two pages up on sheets twice as wide, in saddle-stitch order."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader, PdfWriter, Transformation

from ..core.page import A4


def saddle_stitch_order(pages: int) -> list[tuple[int, int]]:
    """The (left, right) page numbers of each sheet side, front then back, sheet by sheet: folded in the middle
    and stapled, the sheets read 1, 2, 3... A page count that is not a multiple of 4 is refused: the writer pads
    the reading copy first, with the style's choice of filler."""
    if pages < 4 or pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))  # front: the outer pages
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))  # back: the inner pages
    return sides


def impose_booklet(reading_copy: bytes, info: dict[str, str], sheet: tuple[float, float] = (A4[1], A4[0])) -> bytes:
    """The print file: each side of a sheet (A4 landscape by default) holds two pages of the reading copy, unscaled,
    either side of the fold in the middle, for double-sided printing that flips on the short edge.
    info is the document information to write."""
    reader = PdfReader(BytesIO(reading_copy))
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    fold = sheet[0] / 2  # A5 is 148 mm wide, half of A4 is 148.5 mm: the pages meet at the fold
    bottom = (sheet[1] - height) / 2
    writer = PdfWriter()
    for left, right in saddle_stitch_order(len(reader.pages)):
        side = writer.add_blank_page(*sheet)
        side.merge_transformed_page(reader.pages[left - 1], Transformation().translate(fold - width, bottom))
        side.merge_transformed_page(reader.pages[right - 1], Transformation().translate(fold, bottom))
    writer.add_metadata(info)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
