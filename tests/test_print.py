"""Print production read back from the files: A5 reading copies, imposed booklets, print-shop files with bleed."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from conftest import CONTENT, ROOT, build, normalise
from leaflet.core.page import BLEED, MM, SLUG
from leaflet.pdf.imposition import saddle_stitch_order

FIXTURES = ROOT / "tests" / "fixtures" / "leaflets"
# Leaflets whose booklets have 4, 8 and 12 pages (the reading copy padded to a multiple of 4).
BOOKLETS = {
    4: (FIXTURES / "knee-injection" / "knee-injection.yaml", "clinician"),
    8: (FIXTURES / "knee-injection" / "knee-injection.yaml", "patient"),
    12: (FIXTURES / "low-back-pain" / "low-back-pain.yaml", "patient"),
}
PAGE_LABEL = re.compile(r"Page (\d+) of (\d+)")


def size_mm(box) -> tuple[float, float]:
    return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print")
    for content in {path for path, _ in BOOKLETS.values()} | {CONTENT}:
        formats = ("--format", "a5", "--format", "booklet", "--format", "print", "--format", "standard")
        assert build(out, *formats, "--today", "2026-12-04", content=content) == 0
    return out


def halves(page) -> tuple[str, str]:
    """The text left and right of the fold of an imposed sheet side."""
    found: dict[str, list[str]] = {"left": [], "right": []}
    fold = float(page.mediabox.width) / 2

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            found["left" if cm[4] + tm[4] * cm[0] < fold else "right"].append(text)

    page.extract_text(visitor_text=visit)
    return normalise(" ".join(found["left"])), normalise(" ".join(found["right"]))


def test_a5_pages_are_a5_and_tagged(made):
    reader = PdfReader(made / "sacroiliac-joint-pain-patient-a5.pdf")
    assert {size_mm(page.mediabox) for page in reader.pages} == {(148.0, 210.0)}
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert len(reader.pages) % 2 == 0  # printed double-sided: a Notes page where the count is odd
    assert "/PrintFile" not in reader.metadata  # a reading copy, to email


def test_a5_keeps_the_clear_print_sizes(made):
    """Not A4 scaled down: the same type sizes, on more pages."""
    sizes = set()
    for path in (made / "sacroiliac-joint-pain-patient-a5.pdf", made / "sacroiliac-joint-pain-patient.pdf"):
        page_sizes: list[float] = []

        def seen(text, cm, tm, font, size, into=page_sizes):
            into.append(size * tm[0])

        for page in PdfReader(path).pages:
            page.extract_text(visitor_text=seen)
        sizes.add(round(min(s for s in page_sizes if s > 0), 1))
    assert sizes == {12.0}  # the smallest text, the footer, at the patient minimum in both
    a4, a5 = (len(PdfReader(made / f"sacroiliac-joint-pain-patient{s}.pdf").pages) for s in ("", "-a5"))
    assert a5 > a4


@pytest.mark.parametrize("count", sorted(BOOKLETS))
def test_booklet_sheets_hold_the_pages_in_saddle_stitch_order(made, count):
    content, audience = BOOKLETS[count]
    stem = f"{content.stem}-{audience}"
    booklet = PdfReader(made / f"{stem}-booklet.pdf")
    assert len(booklet.pages) == count // 2  # a front and a back for each sheet
    assert {size_mm(page.mediabox) for page in booklet.pages} == {(297.0, 210.0)}  # A4 landscape
    read = [halves(page) for page in booklet.pages]
    labels = [tuple(PAGE_LABEL.search(half).groups() for half in side) for side in read]
    assert all(total == str(count) for side in labels for _, total in side)  # page numbers say the reading order
    assert [(int(left), int(right)) for (left, _), (right, _) in labels] == saddle_stitch_order(count)


@pytest.mark.parametrize("count", sorted(BOOKLETS))
def test_every_page_of_the_reading_copy_is_in_the_booklet_once(made, count):
    content, audience = BOOKLETS[count]
    stem = f"{content.stem}-{audience}"
    reading = [normalise(page.extract_text()) for page in PdfReader(made / f"{stem}-a5.pdf").pages]
    pages = {}
    for left, right in (halves(page) for page in PdfReader(made / f"{stem}-booklet.pdf").pages):
        for half in (left, right):
            number = int(PAGE_LABEL.search(half).group(1))
            assert number not in pages
            pages[number] = half
    assert sorted(pages) == list(range(1, count + 1))
    content_pages = [text for text in reading if not text.startswith("Notes")]  # the fixtures are current
    for number, text in enumerate(content_pages, start=1):
        body = PAGE_LABEL.split(text)[0]  # the page label differs: "of 6" in the A5 copy, "of 8" in the booklet
        assert PAGE_LABEL.split(pages[number])[0] == body
    assert all("Notes" in pages[n] for n in range(len(content_pages) + 1, count + 1))  # the filler pages


def test_print_file_boxes(made):
    reader = PdfReader(made / "sacroiliac-joint-pain-patient-print.pdf")
    standard = PdfReader(made / "sacroiliac-joint-pain-patient.pdf")
    assert len(reader.pages) == len(standard.pages)
    slug = SLUG / MM
    for page in reader.pages:
        media = [float(v) / MM for v in page.mediabox]
        trim = [float(v) / MM for v in page.trimbox]
        bleed = [float(v) / MM for v in page.bleedbox]
        assert media == pytest.approx([0, 0, 210 + 2 * slug, 297 + 2 * slug])
        assert trim == pytest.approx([slug, slug, slug + 210, slug + 297])  # the A4 page itself
        assert bleed == pytest.approx([trim[0] - 3, trim[1] - 3, trim[2] + 3, trim[3] + 3])  # 3 mm outside
    assert "Print-shop file" in reader.metadata["/PrintFile"]


def test_a5_print_file_when_the_style_asks(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\naudiences:\n  patient: {print_paper: A5}\n", "utf-8")
    assert build(tmp_path / "out", "--format", "print", "--audience", "patient", style=style) == 0
    page = PdfReader(tmp_path / "out" / "sacroiliac-joint-pain-patient-print.pdf").pages[0]
    assert size_mm(page.trimbox) == (148.0, 210.0)


class Rendered:
    """A page rendered to pixels, read at positions given in points from the sheet's lower-left corner."""

    def __init__(self, path: Path, page: int, dpi: int = 300) -> None:
        document = pypdfium2.PdfDocument(path)
        try:
            self.image = document[page].render(scale=dpi / 72).to_pil().convert("RGB")
        finally:
            document.close()
        self.scale = dpi / 72

    def pixel(self, x: float, y: float) -> tuple[int, int, int]:
        return self.image.getpixel((int(x * self.scale), int(self.image.height - y * self.scale)))

    def darkest(self, x: float, y: float, reach: int = 2) -> int:
        """The darkest pixel (sum of channels) within a few pixels: a hairline is one pixel wide."""
        cx, cy = int(x * self.scale), int(self.image.height - y * self.scale)
        return min(
            sum(self.image.getpixel((cx + dx, cy + dy)))
            for dx in range(-reach, reach + 1)
            for dy in range(-reach, reach + 1)
        )


def test_only_backgrounds_in_the_bleed_and_crop_marks_outside_it(made):
    path = made / "sacroiliac-joint-pain-patient-print.pdf"
    reader = PdfReader(path)
    brand = (0x00, 0x5E, 0xB8)
    for number, page in enumerate(reader.pages):
        rendered = Rendered(path, number)
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        # The bleed, outside the trim and inside the bleed box: only the header band and audience strip reach it
        # (page 1, across the top and down the sides); elsewhere it is paper.
        ring = [(x, y) for x in (x0 - BLEED / 2, x1 + BLEED / 2) for y in range(int(y0), int(y1), 2)]
        ring += [(x, y) for y in (y0 - BLEED / 2, y1 + BLEED / 2) for x in range(int(x0), int(x1), 2)]
        colours = {rendered.pixel(x, y) for x, y in ring} - {(255, 255, 255)}
        if number == 0:
            near_brand = {p for p in colours if max(abs(a - b) for a, b in zip(p, brand, strict=True)) < 12}
            assert near_brand and all(p in near_brand or min(p) > 200 for p in colours)  # brand, or the pale strip
            assert rendered.pixel(x0 - BLEED / 2, y1 + BLEED / 2) == pytest.approx(brand, abs=12)  # the band runs out
        else:
            assert colours == set()  # later pages have nothing that reaches the edge
        # The crop marks: dark lines outside the bleed, in line with the trim's edges, at every corner; nothing
        # where they would meet.
        for cx, sx in ((x0, -1), (x1, 1)):
            for cy, sy in ((y0, -1), (y1, 1)):
                for d in (1.0, 3.0, 5.5):
                    assert rendered.darkest(cx + sx * (BLEED + d * MM), cy) < 300, (number, cx, cy, d)
                    assert rendered.darkest(cx, cy + sy * (BLEED + d * MM)) < 300, (number, cx, cy, d)
                assert rendered.darkest(cx + sx * BLEED * 2, cy + sy * BLEED * 2) > 700


def test_booklet_filler_can_be_blank(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\naudiences:\n  patient: {booklet_filler: blank}\n", "utf-8")
    content, audience = BOOKLETS[8]
    assert build(tmp_path, "--format", "booklet", "--audience", audience, content=content, style=style) == 0
    sides = [halves(page) for page in PdfReader(tmp_path / f"{content.stem}-{audience}-booklet.pdf").pages]
    assert any("This page is intentionally blank" in half for side in sides for half in side)
    assert not any("Notes" in half for side in sides for half in side)


def test_the_style_chooses_each_audiences_formats(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text(
        "organisation: Clinic\naudiences:\n  patient: {formats: [a5, booklet]}\n  clinician: {formats: [print]}\n",
        "utf-8",
    )
    assert build(tmp_path / "out", style=style) == 0
    built = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert built == [
        "sacroiliac-joint-pain-clinician-print.pdf",
        "sacroiliac-joint-pain-patient-a5.pdf",
        "sacroiliac-joint-pain-patient-booklet.pdf",
    ]


def test_print_file_in_device_cmyk_when_the_style_asks(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\nprint_colour: cmyk\n", "utf-8")
    assert (
        build(tmp_path / "out", "--format", "print", "--format", "standard", "--audience", "patient", style=style) == 0
    )

    def operators(name: str) -> tuple[int, int]:
        streams = [p.get_contents().get_data().decode("latin-1") for p in PdfReader(tmp_path / "out" / name).pages]
        text = "\n".join(streams)
        return len(re.findall(r" (?:rg|RG)\n", text)), len(re.findall(r" (?:k|K)\n", text))

    rgb, cmyk = operators("sacroiliac-joint-pain-patient-print.pdf")
    assert rgb == 0 and cmyk > 50
    rgb, cmyk = operators("sacroiliac-joint-pain-patient.pdf")  # the reading copy keeps the style's colours
    assert rgb > 50 and cmyk == 0
