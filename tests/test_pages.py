"""Print-quality pages, read back from the PDFs of the seed and the fixture leaflets of every shape (pictures, long
lists, many references, large print): where bookmarks and links land, what ends each page, boxes split with their
title, pictures beside their text, full pages, type sizes and where long web addresses break."""

from __future__ import annotations

import ctypes
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
import yaml
from pypdf import PdfReader
from test_accessibility import Element, assert_well_tagged, drawn_objects, marked_texts, structure

from conftest import CONTENT, DEFAULT_STYLE, ROOT, build, normalise

FIXTURES = ROOT / "tests" / "fixtures" / "leaflets"
LEAFLETS = {
    "sacroiliac-joint-pain": CONTENT,  # the seed: overdue, so a notice band on every page
    "tennis-elbow": FIXTURES / "tennis-elbow" / "tennis-elbow.yaml",  # pictures after numbered steps
    "plantar-fasciitis": FIXTURES / "plantar-fasciitis" / "plantar-fasciitis.yaml",  # pictures, boxes
    "low-back-pain": FIXTURES / "low-back-pain" / "low-back-pain.yaml",  # long lists, 16 references
    "knee-injection": FIXTURES / "knee-injection" / "knee-injection.yaml",  # short
    "hip-replacement": FIXTURES / "hip-replacement" / "hip-replacement.yaml",  # steps, keep_together, page_break
}
VARIANTS = ("patient", "patient-large-print", "clinician", "clinician-large-print")
MIN_FILL = 0.7
BODY = {"patient": 14.0, "patient-large-print": 18.0, "clinician": 11.5, "clinician-large-print": 18.0}


class Built:
    """One PDF of the build, with what the layout reported about its pages."""

    def __init__(self, path: Path, layout) -> None:
        self.path = path
        self.layout = layout
        self.reader = PdfReader(path)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[tuple[str, str], Built]:
    from leaflet.pipeline import BuildOptions
    from leaflet.pipeline import build as build_all

    out = tmp_path_factory.mktemp("pages")
    options = BuildOptions(today=date(2026, 12, 4), formats=("standard", "large-print"), style=DEFAULT_STYLE, out=out)
    result = build_all(LEAFLETS.values(), options)
    assert not result.failed, [d.format() for f in result.files for d in f.diagnostics if d.severity == "error"]
    built = {}
    for file in result.files:
        for written in file.written:
            name = written.path.stem
            leaflet = next(key for key in LEAFLETS if name.startswith(key + "-"))
            built[(leaflet, name[len(leaflet) + 1 :])] = Built(written.path, written.layout)
    assert len(built) == len(LEAFLETS) * len(VARIANTS)
    return built


ALL = [(leaflet, variant) for leaflet in LEAFLETS for variant in VARIANTS]


# Reading the pages back.
def lines(path: Path) -> list[list[tuple[float, float, bool, str]]]:
    """Per page, its lines of text top to bottom: (baseline from the top, largest size, bold, text). The header
    band, the overdue notice and the footer are left out."""
    pages = []
    document = pypdfium2.PdfDocument(path)
    try:
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            height = page.get_height()
            rows: dict[int, list] = defaultdict(list)
            for number in range(pdfium.FPDFText_CountChars(text)):
                x, y = ctypes.c_double(), ctypes.c_double()
                if not pdfium.FPDFText_GetCharOrigin(text, number, x, y):
                    continue
                char = chr(pdfium.FPDFText_GetUnicode(text, number))
                if char in "\r\n":
                    continue
                size = pdfium.FPDFText_GetFontSize(text, number)
                weight = pdfium.FPDFText_GetFontWeight(text, number)
                rows[round((height - y.value) / 2)].append((x.value, char, size, weight, height - y.value))
            found = []
            for key in sorted(rows):
                chars = sorted(rows[key])
                line = "".join(c[1] for c in chars).strip().replace("\x02", "-")  # PDFium marks a line-end "-"
                if not line or re.match(
                    r"^(.* · Ref |Last reviewed |Page \d+ of |Past its review date|latest version)", line
                ):
                    continue
                found.append((chars[0][4], max(c[2] for c in chars), max(c[3] for c in chars) >= 600, line))
            pages.append(found)
    finally:
        document.close()
    return pages


def heading_like(line: tuple[float, float, bool, str], body: float) -> bool:
    """A heading or a box's title: bold and larger than the body text."""
    return line[2] and line[1] > body * 1.1


# Bookmarks and links.
def outline(reader: PdfReader) -> list:
    items: list = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                items.append(entry)

    walk(reader.outline)
    return items


@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_every_bookmark_opens_the_page_and_height_of_its_heading(pdfs, leaflet, variant):
    built = pdfs[(leaflet, variant)]
    reader = built.reader
    root = structure(reader)
    objects = drawn_objects(built.path)
    first_drawn = {}
    for obj in objects:
        if obj.mcid >= 0:
            first_drawn.setdefault((obj.page, obj.mcid), obj)
    texts = marked_texts(objects)
    headings = [e for e in root.walk() if re.match(r"^H[1-6]$", e.role)]
    entries = outline(reader)
    assert len(entries) >= 5
    seen_pages = set()
    for entry in entries:
        page = reader.get_destination_page_number(entry) + 1
        top = float(entry.top)
        heading = next(h for h in headings if normalise(h.text(texts)) == normalise(entry.title))
        drawn = first_drawn[heading.marked()[0]]
        assert page == drawn.page, entry.title
        # The view opens at the top of the heading's first line: above its baseline, by less than two lines.
        assert drawn.y < top < drawn.y + 2.5 * BODY[variant] * 1.4, (entry.title, top, drawn.y)
        seen_pages.add(page)
    if len(reader.pages) > 2:
        assert len(seen_pages) > 1, "every bookmark opens the same page"


@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_every_citation_opens_its_reference(pdfs, leaflet, variant):
    built = pdfs[(leaflet, variant)]
    reader = built.reader
    root = structure(reader)
    objects = drawn_objects(built.path)
    texts = marked_texts(objects)
    first_drawn = {}
    for obj in objects:
        if obj.mcid >= 0:
            first_drawn.setdefault((obj.page, obj.mcid), obj)
    headings = ("References", "Where this information comes from")
    section = next(
        e for e in root.walk() if e.role == "Sect" and any(normalise(k.text(texts)) in headings for k in e.items[:1])
    )
    references = next(e for e in section.items if isinstance(e, Element) and e.role == "L").items
    entry_of = {}
    for number, item in enumerate(references, start=1):
        body = next(k for k in item.items if isinstance(k, Element) and k.role == "LBody")
        entry_of[number] = first_drawn[body.marked()[0]]
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    checked = 0
    for page_number, page in enumerate(reader.pages, start=1):
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            destination = annotation.get("/Dest")
            if destination is None:
                continue
            # "[1]" or "[2, 3]" opens the first reference it names (its description says which).
            number = int(re.match(r"Go to references? (\d+)", str(annotation["/Contents"])).group(1))
            entry = entry_of[number]
            target_page, kind, _, top = pages[destination[0].idnum], destination[1], destination[2], destination[3]
            assert kind == "/XYZ" and target_page == entry.page, (number, page_number, target_page, entry.page)
            assert entry.y < float(top) < entry.y + 2 * BODY[variant], (number, top, entry.y)
            checked += 1
    cited = any("[1" in text for text in texts.values())
    assert checked > 0 or not cited


# What ends a page.
@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_no_heading_or_box_title_in_the_last_two_lines_of_a_page(pdfs, leaflet, variant):
    pages = lines(pdfs[(leaflet, variant)].path)
    body = BODY[variant]
    for number, page in enumerate(pages[:-1], start=1):
        if not page or page[0][3] == "Notes":
            continue
        stranded = [line[3] for line in page[-2:] if heading_like(line, body)]
        assert not stranded, f"page {number} ends with {stranded}"


@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_pages_are_full_unless_the_layout_check_says_why(pdfs, leaflet, variant):
    """Every page but the last is at least 70% full, read from the page: its text runs down at least 70% of the
    text frame, unless the layout check reports the page (a block that cannot be split) or the author asked
    for the page break. The layout's own figure for each page agrees with the page."""
    built = pdfs[(leaflet, variant)]
    report = built.layout
    pages = lines(built.path)
    assert len(report.pages) + report.filler_pages == len(pages)
    reported = {problem.page for problem in report.problems if problem.kind == "underfilled"}
    asked = page_breaks_asked(LEAFLETS[leaflet], variant.split("-")[0])
    for fill in report.pages[1:-1]:  # page 1 has the header band's text; the last page ends the leaflet
        text = pages[fill.page - 1]
        first, last = text[0], text[-1]
        # From the top of the first line to just below the last baseline: the frame holds both.
        measured = (last[0] - first[0] + first[1] + 0.3 * last[1]) / fill.height
        if not ends_with_a_picture(built, fill.page):
            assert abs(measured - fill.fill) < 0.06, (fill.page, measured, fill.fill)
        next_top = pages[fill.page][0][3] if pages[fill.page] else ""
        if fill.page in reported or any(next_top.startswith(heading) for heading in asked):
            continue
        assert fill.fill >= MIN_FILL, (fill.page, fill.fill)


def ends_with_a_picture(built: Built, page: int) -> bool:
    """Whether a picture with no caption is the last thing on a page (its text then ends above the picture)."""
    root = structure(built.reader)
    on_page = [
        e for e in root.walk() if e.marked() and e.marked()[-1][0] == page and e.role in ("P", "LBody", "Figure")
    ]
    return bool(on_page) and on_page[-1].role == "Figure"


def page_breaks_asked(content: Path, audience: str) -> list[str]:
    """The headings of sections the content asks to start on a new page."""
    data = yaml.safe_load(content.read_text("utf-8"))
    found = []

    def walk(sections):
        for section in sections:
            if section.get("page_break") == "before":
                heading = section["heading"]
                found.append(heading.get(audience, "") if isinstance(heading, dict) else heading)
            walk(section.get("sections") or [])

    walk(data.get("sections") or [])
    return [heading for heading in found if heading]


# Boxes.
def boxes(root: Element, texts: dict) -> list[tuple[Element, str, set[int]]]:
    """(the box, its title, the pages it is on) for every box with a title."""
    found = []
    for element in root.walk():
        if element.role != "Div":
            continue
        title = next((k for k in element.items if isinstance(k, Element) and re.match(r"^H[1-6]$", k.role)), None)
        pages = {page for kid in element.walk() for page, _ in kid.marked()}
        if title is not None:
            found.append((element, normalise(title.text(texts)), pages))
    return found


@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_a_split_box_repeats_its_title_and_stays_one_element(pdfs, leaflet, variant):
    built = pdfs[(leaflet, variant)]
    root = structure(built.reader)
    objects = drawn_objects(built.path)
    texts = marked_texts(objects)
    pages = lines(built.path)
    for element, title, on in boxes(root, texts):
        headings = [k for k in element.walk() if re.match(r"^H[1-6]$", k.role)]
        assert len([h for h in headings if h in element.items]) == 1  # read once, whatever the pages
        for page in sorted(on)[1:]:
            top = [line[3] for line in pages[page - 1][:4]]
            repeated = next(" ".join(top[:n]) for n in range(1, 5) if top[n - 1].endswith("(continued)"))
            assert repeated == f"{title} (continued)", (page, top)
            artifacts = [o.text for o in objects if o.page == page and o.mcid < 0 and "(continued)" in o.text]
            assert artifacts, "the repeated title is decoration, not a second heading"


def test_a_long_box_split_across_pages_repeats_its_title(tmp_path):
    """A box longer than a third of a page that meets the foot of a page: split, its title repeated."""
    steps = [f"Step {n}: do the thing that this step asks of you, slowly and with care." for n in range(1, 25)]
    data = {
        "id": "long-box",
        "title": "A long box",
        "language": "en-GB",
        "audiences": ["patient"],
        "review": {"last_reviewed": "2026-01-10", "next_review": "2028-01-10", "version": "1"},
        "sections": [
            {"heading": "Before", "blocks": [{"paragraph": "Text that fills the page. " * 60}]},
            {
                "heading": "Box",
                "blocks": [
                    {"callout": {"title": "Follow these steps:", "tone": "warning", "blocks": [{"numbered": steps}]}}
                ],
            },
        ],
    }
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", "--format", "standard", "--today", "2026-06-01", content=content) == 0
    path = tmp_path / "out" / "long-box-patient.pdf"
    assert_well_tagged(path)
    root = structure(PdfReader(path))
    texts = marked_texts(drawn_objects(path))
    ((element, title, on),) = boxes(root, texts)
    assert title == "Follow these steps:" and len(on) == 2
    pages = lines(path)
    assert pages[1][0][3] == "Follow these steps: (continued)"
    assert not heading_like(pages[0][-1], 14) and not heading_like(pages[0][-2], 14)
    item_pages = [
        {page for kid in item.walk() for page, _ in kid.marked()} for item in element.walk() if item.role == "LI"
    ]
    assert len(item_pages) == 24 and all(len(p) == 1 for p in item_pages[:-1])


@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_short_boxes_are_never_split(pdfs, leaflet, variant):
    """A box split across pages is a long one: its text alone runs over a fifth of a page (a box is split only
    when it is taller than a third of the text frame)."""
    built = pdfs[(leaflet, variant)]
    root = structure(built.reader)
    objects = drawn_objects(built.path)
    texts = marked_texts(objects)
    page_height = float(built.reader.pages[0].mediabox.height)
    for element, title, on in boxes(root, texts):
        if len(on) < 2:
            continue
        marked = {item for kid in element.walk() for item in kid.marked()}
        extent = 0.0
        for page in on:
            ys = [o.y for o in objects if (o.page, o.mcid) in marked and o.page == page]
            extent += max(ys) - min(ys) + BODY[variant] * 1.4
        assert extent > page_height / 5, f"{title} is short ({extent:.0f} pt), yet split"


# Pictures.
@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_a_picture_is_on_the_page_of_the_text_before_it(pdfs, leaflet, variant):
    built = pdfs[(leaflet, variant)]
    root = structure(built.reader)
    blocks = [e for e in root.walk() if e.role in ("P", "LBody", "H1", "H2", "H3", "H4", "Figure") and e.marked()]
    for before, figure in zip(blocks, blocks[1:], strict=False):
        if figure.role != "Figure" or figure.alt.startswith("QR code"):
            continue
        assert before.marked()[-1][0] == figure.marked()[0][0], f"{figure.alt[:40]} is away from its text"


def test_pictures_are_scaled_down_no_further_than_the_style_allows(pdfs):
    """Tennis elbow's pictures are 110 mm wide; a page may show one smaller to keep it by its step."""
    from test_formats import embedded_images

    from leaflet.core.page import MM

    scaled = 0
    for variant in VARIANTS:
        widths = [drawn[2] for drawn in embedded_images(pdfs[("tennis-elbow", variant)].path)]
        assert widths and all(110 * MM * 0.75 - 0.5 <= width <= 110 * MM + 0.5 for width in widths), widths
        scaled += sum(width < 110 * MM - 1 for width in widths)
    assert scaled, "no picture was scaled to stay with its step"


# Type sizes.
@pytest.mark.parametrize(("leaflet", "variant"), ALL)
def test_nothing_is_smaller_than_the_audiences_minimum(pdfs, leaflet, variant):
    smallest = {"patient": 12.0, "patient-large-print": 16.0, "clinician-large-print": 16.0, "clinician": 9.0}
    document = pypdfium2.PdfDocument(pdfs[(leaflet, variant)].path)
    try:
        sizes = set()
        for page in document:
            text = page.get_textpage()
            for number in range(pdfium.FPDFText_CountChars(text)):
                if chr(pdfium.FPDFText_GetUnicode(text, number)).strip():
                    sizes.add(round(pdfium.FPDFText_GetFontSize(text, number), 2))
    finally:
        document.close()
    assert min(sizes) >= smallest[variant] - 0.01, sorted(sizes)[:3]


# Lists.
def test_numbered_steps_go_on_and_their_sub_steps_are_lettered(pdfs):
    built = pdfs[("tennis-elbow", "patient")]
    root = structure(built.reader)
    texts = marked_texts(drawn_objects(built.path))
    lists = [e for e in root.walk() if e.role == "L"]

    def numbering(element: Element) -> str:
        return str(built.reader.get_object(element.number)["/A"]["/ListNumbering"])

    numbered = [e for e in lists if numbering(e) == "/Decimal"]
    lettered = [e for e in lists if numbering(e) == "/LowerAlpha"]
    steps = [
        normalise(item.items[0].text(texts)) for lst in numbered[:-1] for item in lst.items if isinstance(item, Element)
    ]
    assert steps == [f"{n}." for n in range(1, 8)]  # seven exercises, each with its picture between: 1. to 7.
    assert lettered and all(
        [normalise(item.items[0].text(texts)) for item in lst.items if isinstance(item, Element)][:2] == ["a.", "b."]
        for lst in lettered
    )


# Long words and web addresses.
def test_long_web_addresses_break_only_after_a_slash_dot_or_hyphen(tmp_path):
    url = "https://www.nice.org.uk/guidance/ng59/chapter/Recommendations-for-research-and-further-reading"
    url += "/section" * 20 + "?from=leaflet"
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    data = {
        "id": "long-words",
        "title": "Long words",
        "language": "en-GB",
        "audiences": ["clinician"],
        "review": {"last_reviewed": "2026-01-10", "next_review": "2028-01-10", "version": "1"},
        "sections": [{"heading": "Words", "blocks": [{"paragraph": f"A word: {word}. A claim [@ref]."}]}],
        "references": [{"id": "ref", "title": "A guideline", "publisher": "NICE", "year": 2020, "url": url}],
    }
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", "--format", "standard", "--today", "2026-06-01", content=content) == 0
    path = tmp_path / "out" / "long-words-clinician.pdf"
    text_lines = [line[3] for page in lines(path) for line in page]
    pieces = [line for line in text_lines if line and (url.startswith(line.split(" ")[-1]) or line in url)]
    assert len(pieces) >= 3, text_lines
    assert "".join(p.split("Available from: ")[-1] for p in pieces) == url
    for piece in pieces[:-1]:
        assert piece[-1] in "/.-" and not piece.endswith(("https://", "https:/", "https:")), piece
    # The text of the tags is the text as written: no space inside a word broken across lines.
    texts = marked_texts(drawn_objects(path))
    root = structure(PdfReader(path))
    written = [normalise(e.text(texts).replace("\x02", "-")) for e in root.walk() if e.role in ("P", "LBody")]
    assert any(word in t for t in written), written
    assert any(url in t for t in written), written


# Callouts, figures, notes page, authors' controls.
def test_box_titles_are_headings_one_level_below_their_section(pdfs):
    built = pdfs[("sacroiliac-joint-pain", "patient")]
    root = structure(built.reader)
    texts = marked_texts(drawn_objects(built.path))
    titles = {title: element.items[0].role for element, title, _ in boxes(root, texts)}
    assert titles["Call 999 or go to A&E now if you have back pain and:"] == "H3"
    assert titles["Key points"] == "H2" and titles["Words explained"] == "H2"


@pytest.mark.parametrize("leaflet", ["sacroiliac-joint-pain", "tennis-elbow"])
def test_figures_have_a_bounding_box_where_they_are_drawn(pdfs, leaflet):
    built = pdfs[(leaflet, "patient")]
    reader = built.reader
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    root = structure(reader)
    figures = [e for e in root.walk() if e.role == "Figure"]
    assert figures
    for figure in figures:
        attributes = reader.get_object(figure.number)["/A"]
        assert attributes["/O"] == "/Layout"
        x0, y0, x1, y1 = (float(v) for v in attributes["/BBox"])
        assert 0 < x0 < x1 <= width and 0 < y0 < y1 <= height
        if figure.alt.startswith("QR code"):
            assert abs((x1 - x0) - (y1 - y0)) < 0.5  # the code is square


def test_a_patient_leaflet_with_an_odd_page_count_ends_with_a_notes_page(pdfs):
    for leaflet in LEAFLETS:
        for variant in VARIANTS:
            built = pdfs[(leaflet, variant)]
            pages = len(built.reader.pages)
            last = [line[3] for line in lines(built.path)[-1]]
            if variant.startswith("patient"):
                assert pages % 2 == 0, (leaflet, variant)
                assert bool(built.layout.filler_pages) == (last[:1] == ["Notes"]), (leaflet, variant)
            else:
                assert not built.layout.filler_pages and last[:1] != ["Notes"], (leaflet, variant)


def test_duplex_can_be_turned_off(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\naudiences:\n  patient: {duplex: false}\n", "utf-8")
    assert build(tmp_path / "out", "--audience", "patient", "--format", "standard", style=style) == 0
    reader = PdfReader(tmp_path / "out" / "sacroiliac-joint-pain-patient.pdf")
    assert "Notes" not in reader.pages[-1].extract_text().splitlines()


def test_keep_together_and_page_break_before_are_followed(pdfs):
    for variant in VARIANTS:
        pages = lines(pdfs[("hip-replacement", variant)].path)
        starts = [page[0][3] for page in pages if page]
        assert any(first in ("Your exercise record", "Exercise record") for first in starts), (variant, starts)
        stairs = [n for n, page in enumerate(pages) for line in page if "same step" in line[3]]
        step_one = [n for n, page in enumerate(pages) for line in page if re.search(r"rail .*other", line[3], re.I)]
        assert stairs and step_one and stairs[0] == step_one[0], variant  # the stairs steps are on one page


def test_the_layout_check_names_the_page_and_the_content_line(tmp_path, capsys):
    from leaflet.cli import main

    big = ["A long item that takes up a whole line of the page, for the test."] * 9
    data = {
        "id": "gaps",
        "title": "Gaps",
        "language": "en-GB",
        "audiences": ["clinician"],
        "review": {"last_reviewed": "2026-01-10", "next_review": "2028-01-10", "version": "1"},
        "sections": [
            {"heading": "First", "blocks": [{"paragraph": "Some words to start. " * 70}]},
            {"heading": "Second", "blocks": [{"keep_together": True, "bullets": big * 3}]},
        ],
    }
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    assert main(["check", str(content), "--style", str(DEFAULT_STYLE), "--today", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "page 1 is only" in line)
    assert re.match(rf"^{re.escape(str(content))}:\d+:\d+: warning: clinician version: page 1 is only \d+% full", line)
    assert "the list starting" in line and "starts page 2" in line
    assert main(["build", str(content), "--style", str(DEFAULT_STYLE), "--out", str(tmp_path / "o")]) == 0
    assert "page 1 is only" in capsys.readouterr().err


def test_rows_measured_for_the_page_before_lay_out_as_measuring_everything_again(tmp_path, monkeypatch):
    """What is left after a page break reuses the rows measured for that page (a long story or box would
    otherwise cost its length on every page): the PDFs are the same bytes as when all is measured afresh."""
    from PIL import Image

    from leaflet.pdf import flowables, pagination

    Image.new("RGB", (600, 400), (0, 90, 180)).save(tmp_path / "knee.png")
    steps = [f"Step {i}, with a longer line about what to do and when to stop." for i in range(80)]
    # A long paragraph, a one-line one, then a picture: the picture keeps the two lines before it, reaching back
    # past the one-line paragraph into the long one, whatever page that ends up on.
    walking = [
        {
            "heading": f"Walking {n}",
            "blocks": [{"paragraph": "Rest, then walk a little more each day. " * n}, {"paragraph": "Short line."}],
        }
        for n in (96, 100, 104)
    ]

    def knee() -> dict:  # a new one each time: the same dictionary twice would be written as a YAML alias
        return {"heading": "The knee", "blocks": [{"image": {"file": "knee.png", "alt": "A knee", "width_mm": 160}}]}

    leaflet = {
        "id": "long",
        "title": "Long",
        "language": "en-GB",
        "review": {"last_reviewed": "2024-01-10", "next_review": "2026-01-10", "version": 1},
        "key_points": [f"Point {i}. {'Rest and walk a little more each day. ' * (i % 4)}" for i in range(120)],
        "sections": [
            {
                "heading": "Steps",
                "blocks": [
                    {"callout": {"title": "What to do", "blocks": [{"numbered": steps}]}},
                    {"numbered": list(steps)},  # a copy: the same list twice would be written as a YAML alias
                ],
            },
            *(
                {"heading": f"Part {i}", "blocks": [{"paragraph": "Rest, then walk a little more. " * 9}]}
                for i in range(40)
            ),
            *(part for section in walking for part in (section, knee())),
        ],
    }
    content = tmp_path / "long.yaml"
    content.write_text(yaml.safe_dump(leaflet, sort_keys=False), "utf-8")
    assert build(tmp_path / "reused", "--format", "standard", content=content) == 0
    monkeypatch.setattr(pagination, "known_rest", lambda *args, **kwargs: None)
    monkeypatch.setattr(flowables, "known_rest", lambda *args, **kwargs: None)
    assert build(tmp_path / "afresh", "--format", "standard", content=content) == 0
    names = ["long-patient.pdf", "long-clinician.pdf"]
    assert len(PdfReader(tmp_path / "reused" / names[0]).pages) > 8
    for name in names:
        assert (tmp_path / "reused" / name).read_bytes() == (tmp_path / "afresh" / name).read_bytes()


@pytest.mark.parametrize("case", ["break-in-a-box", "long-caption-after-a-break", "kept-section-ending-in-a-picture"])
def test_page_rules_that_meet_at_a_page_end_still_lay_out(tmp_path, case):
    """Rules that fall together at the foot of a page: a page break asked for inside a box (it was asked again
    after every "(continued)", for ever), a caption longer than a page after a forced break, a kept-together
    section whose picture the layout would have shrunk."""
    from PIL import Image

    Image.new("RGB", (600, 1200), (0, 90, 180)).save(tmp_path / "tall.png")
    Image.new("RGB", (1200, 600), (0, 90, 180)).save(tmp_path / "wide.png")
    walk = "Rest, then walk a little more each day. "
    sections = {
        "break-in-a-box": [
            {
                "heading": "Walking",
                "blocks": [
                    {"paragraph": walk * 30},
                    {
                        "callout": {
                            "title": "Your exercise record",
                            "blocks": [
                                {"paragraph": "Tick each time.", "page_break": "before"},
                                {"paragraph": "Then rest.", "page_break": "before"},
                            ],
                        }
                    },
                ],
            }
        ],
        "long-caption-after-a-break": [
            {"heading": "Walking", "blocks": [{"paragraph": walk}]},
            {
                "heading": " ".join(["Exercise"] * 20),
                "page_break": "before",
                "blocks": [
                    {"paragraph": "walk " * 12},
                    {"image": {"file": "tall.png", "alt": "A stretch", "caption": "Hold it, then rest. " * 40}},
                ],
            },
        ],
        "kept-section-ending-in-a-picture": [
            *({"heading": f"Walking {n}", "blocks": [{"paragraph": walk * n}]} for n in range(60, 82, 3)),
            {
                "heading": "The knee",
                "keep_together": True,
                "blocks": [{"paragraph": walk}, {"image": {"file": "wide.png", "alt": "A knee", "width_mm": 160}}],
            },
        ],
    }[case]
    leaflet = {
        "id": "rules",
        "title": "Rules",
        "language": "en-GB",
        "review": {"last_reviewed": "2024-01-10", "next_review": "2026-01-10", "version": 1},
        "sections": sections,
    }
    content = tmp_path / "rules.yaml"
    content.write_text(yaml.safe_dump(leaflet, sort_keys=False), "utf-8")
    command = [sys.executable, "-m", "leaflet", "build", str(content), "--out", str(tmp_path / "out")]
    command += ["--format", "standard", "--format", "large-print", "--format", "a5", "--audience", "patient"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    for pdf in (tmp_path / "out").glob("*.pdf"):
        assert len(PdfReader(pdf).pages) < 60  # a page break asked for again and again made pages for ever


def test_a_page_break_before_a_sections_first_block_takes_its_heading_along(tmp_path):
    """page_break: before on the first block under a heading starts the page with the heading, never leaving the
    heading alone at the foot of the page before."""
    leaflet = {
        "id": "breaks",
        "title": "Breaks",
        "language": "en-GB",
        "review": {"last_reviewed": "2024-01-10", "next_review": "2026-01-10", "version": 1},
        "sections": [
            {"heading": "First section", "blocks": [{"paragraph": "Rest, then walk a little more each day."}]},
            {
                "heading": "Second section heading",
                "blocks": [{"paragraph": "This starts a page.", "page_break": "before"}, {"paragraph": "More."}],
            },
        ],
    }
    content = tmp_path / "breaks.yaml"
    content.write_text(yaml.safe_dump(leaflet, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", "--format", "standard", "--audience", "clinician", content=content) == 0
    pages = [normalise(page.extract_text()) for page in PdfReader(tmp_path / "out" / "breaks-clinician.pdf").pages]
    assert "Second section heading" not in pages[0]
    assert "Second section heading This starts a page." in pages[1]
