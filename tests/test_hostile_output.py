"""Odd input that builds: what reaches the PDF is exactly what was meant, drawn with real glyphs, the same
wherever the files are."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import build, pdf_text
from leaflet.cli import main
from leaflet.core.citations import doi_link, vancouver
from leaflet.core.model import Reference
from leaflet.reading.style import builtin_font_path

HEAD = """id: demo
title: Demo
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
"""
BODY = "sections:\n  - heading: Hello\n    blocks: [{paragraph: Text.}]\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def links(path: Path) -> list[str]:
    found = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_values_ending_in_a_line_break_reach_the_pdf_without_it(tmp_path):
    content = write(
        tmp_path / "content.yaml",
        'id: |\n  demo\ntitle: "Demo\\n"\nlanguage: "en-GB\\n"\nurl: "https://example.org/leaflet\\n"\n'
        'review: {last_reviewed: "2024-01-10\\n", next_review: 2026-01-10, version: "3\\n"}\n' + BODY,
    )
    assert build(tmp_path / "out", content=content) == 0
    pdf = tmp_path / "out" / "demo-clinician.pdf"  # the id, as a file name, has no line break
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title == "Demo"
    assert "https://example.org/leaflet" in links(pdf)
    assert "Demo · Ref demo · Version 3 Last reviewed 10 January 2024" in pdf_text(pdf)


def test_decomposed_accents_are_composed(tmp_path):
    style = write(tmp_path / "style.yaml", "organisation: Cli\u0301nica Sa\u0303o Jose\u0301\n")
    content = write(
        tmp_path / "content.yaml",
        HEAD + "sections:\n  - heading: Cafe\u0301\n    blocks: [{paragraph: Re\u0301sume\u0301.}]\n",
    )
    assert build(tmp_path / "out", content=content, style=style) == 0
    text = pdf_text(tmp_path / "out" / "demo-patient.pdf")
    assert "Café" in text and "Résumé." in text and "Clínica São José" in text
    assert "\u0301" not in text and "\u0303" not in text


def test_the_xmp_packet_stays_well_formed_whatever_it_is_given():
    from datetime import datetime
    from types import SimpleNamespace

    from leaflet.pdf.structure import DocumentInfo, xmp_packet

    document = SimpleNamespace(_timeStamp=SimpleNamespace(datetime=datetime(2025, 6, 1)))  # all the packet reads
    odd = "a\ufffe<b>&\x00\U0001f600\ud800"
    info = DocumentInfo(
        title=odd, author=odd, subject=odd, keywords=(odd,), language="en-GB", creator="c", producer="p"
    )
    packet = xmp_packet(info, document)
    root = ElementTree.fromstring(packet[packet.index(b"<x:xmpmeta") : packet.index(b"</x:xmpmeta>") + 12])
    assert "a<b>&\U0001f600" in [element.text for element in root.iter() if element.tag.endswith("}li")]


def spy_on_glyph_zero(monkeypatch) -> dict[str, set[str]]:
    """Every character drawn with a font that has no glyph for it (ReportLab draws glyph 0: a box)."""
    from reportlab.pdfbase import ttfonts

    missing: dict[str, set[str]] = {}
    original = ttfonts.TTFont.splitString

    def split(self, text, doc, encoding="utf-8"):
        chars = text if isinstance(text, str) else text.decode("utf-8")
        for char in chars:
            if ord(char) not in self.face.charToGlyph and char != "\xa0":
                missing.setdefault(self.fontName, set()).add(char)
        return original(self, text, doc, encoding)

    monkeypatch.setattr(ttfonts.TTFont, "splitString", split)
    return missing


def test_every_string_on_the_page_has_its_glyphs(tmp_path, monkeypatch, capsys):
    style = write(
        tmp_path / "style.yaml",
        'organisation: "Riverside\\tClinic\\u2028North"\n'
        'department: "Physio\\nDepartment"\n'
        "audiences:\n"
        '  patient: {label: "For\\tpatients", references_heading: "Πηγές", glossary_heading: "Geiriau\\u2019n ŵ ŷ",'
        ' key_points_heading: "Σημεία"}\n',
    )
    content = write(
        tmp_path / "content.yaml",
        'id: demo\ntitle: "Πόνος\\tστη μέση"\nlanguage: en-GB\n'
        'review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: "2\\tb"}\n'
        "key_points: [Rest.]\n"
        "sections:\n  - heading: Hello\n    blocks: [{paragraph: 'The sacrum hurts [@a].'}]\n"
        "glossary: [{term: sacrum, definition: A bone.}]\n"
        "references: [{id: a, title: A study}]\n",
    )
    missing = spy_on_glyph_zero(monkeypatch)
    assert build(tmp_path / "out", "--audience", "patient", content=content, style=style) == 0
    assert missing == {}
    assert "no configured font" not in capsys.readouterr().err
    text = pdf_text(tmp_path / "out" / "demo-patient.pdf")
    for shown in ("Riverside Clinic North", "Physio Department", "For patients", "Πηγές", "Σημεία", "ŵ ŷ", "2 b"):
        assert shown in text, shown


def build_in(folder: Path) -> dict[str, bytes]:
    """Build a leaflet with every kind of file input (a JPEG and a PNG as they are, a logo, a font of its own)."""
    folder.mkdir(parents=True)
    Image.new("RGB", (400, 300), (200, 40, 40)).save(folder / "photo.jpg", quality=90)
    Image.new("RGBA", (300, 200), (40, 200, 40, 128)).save(folder / "drawing.png")
    Image.new("RGB", (120, 60), (250, 250, 250)).save(folder / "logo.png")
    shutil.copy(builtin_font_path("atkinson-hyperlegible-bold"), folder / "brand.ttf")
    style = write(folder / "style.yaml", "organisation: Clinic\nlogo: logo.png\nfonts: {regular: brand.ttf}\n")
    content = write(
        folder / "content.yaml",
        HEAD + "sections:\n  - heading: Pictures\n    blocks:\n"
        "      - image: {file: photo.jpg, alt: A photo, width_mm: 80}\n"
        "      - image: {file: drawing.png, alt: A drawing, width_mm: 80}\n",
    )
    assert build(folder / "out", content=content, style=style) == 0
    return {pdf.name: pdf.read_bytes() for pdf in sorted((folder / "out").glob("*.pdf"))}


def test_a_build_does_not_depend_on_where_the_files_are(tmp_path):
    first = build_in(tmp_path / "here")
    second = build_in(tmp_path / "somewhere" / "else" / "entirely")
    assert len(first) == 3 and first == second


def image_boxes(pdf: Path) -> list[tuple[float, float]]:
    """The width and height, in points, of each image drawn on page 1."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        boxes = []
        for item in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            left, bottom, right, top = item.get_bounds()
            boxes.append((right - left, top - bottom))
        return boxes
    finally:
        document.close()


def test_a_phone_photo_prints_upright_and_16_bit_grey_prints_grey(tmp_path):
    photo = Image.new("RGB", (400, 200), (0, 90, 180))
    exif = photo.getexif()
    exif[0x0112] = 6  # stored landscape, shown portrait (turned 90 degrees)
    photo.save(tmp_path / "photo.jpg", exif=exif)
    Image.new("I;16", (300, 200), 30000).save(tmp_path / "grey.png")
    content = write(
        tmp_path / "content.yaml",
        HEAD + "sections:\n  - heading: Pictures\n    blocks:\n"
        "      - image: {file: photo.jpg, alt: A photo, width_mm: 40}\n"
        "      - image: {file: grey.png, alt: Grey, width_mm: 40}\n",
    )
    assert build(tmp_path / "out", "--audience", "clinician", content=content) == 0
    pdf = tmp_path / "out" / "demo-clinician.pdf"
    (photo_box, grey_box) = image_boxes(pdf)
    assert photo_box[1] > photo_box[0] * 1.9  # portrait, twice as tall as wide
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0].render(scale=1).to_pil().convert("L")
    finally:
        document.close()
    greys = sum(page.histogram()[100:136])  # pixels of a mid grey
    assert greys > 0.8 * grey_box[0] * grey_box[1]  # 30000 of 65535 is a mid grey, not white


def test_a_sliver_of_an_image_is_refused_at_its_line_and_a_banner_builds(tmp_path, capsys):
    """A picture far wider than tall (or the reverse) would print as a thin line; a banner 40 to 1 is a picture."""
    Image.new("L", (200_000, 1), 0).save(tmp_path / "line.png")
    Image.new("L", (1, 3000), 0).save(tmp_path / "post.png")
    Image.new("RGB", (2000, 50), (0, 90, 180)).save(tmp_path / "banner.png")
    blocks = "".join(f"      - image: {{file: {name}.png, alt: A picture}}\n" for name in ("line", "post"))
    content = write(tmp_path / "content.yaml", HEAD + "sections:\n  - heading: H\n    blocks:\n" + blocks)
    assert build(tmp_path / "out", "--audience", "clinician", content=content) == 1
    err = capsys.readouterr().err
    line = "content.yaml:8:23: error: sections[0].blocks[0].image.file: image 'line.png' is 200,000 x 1 pixels"
    assert f"{line}, over 50 times as wide as it is tall" in err
    post = "content.yaml:9:23: error: sections[0].blocks[1].image.file: image 'post.png' is 1 x 3,000 pixels"
    assert f"{post}, over 50 times as tall as it is wide" in err
    assert not (tmp_path / "out").exists()
    banner = write(
        tmp_path / "banner.yaml",
        HEAD + "sections:\n  - heading: H\n    blocks:\n      - image: {file: banner.png, alt: A banner}\n",
    )
    assert build(tmp_path / "out", "--audience", "clinician", content=banner) == 0


def test_a_content_or_style_file_where_an_output_goes_is_never_written_over(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    content = write(out / "demo-patient.pdf", HEAD + "sections:\n  - heading: H\n    blocks: [{paragraph: Text.}]\n")
    assert build(out, content=content) == 1
    err = capsys.readouterr().err
    assert f"{content}:1:5: error: id: {content} would be written over this very content file" in err
    assert content.read_text("utf-8").startswith("id: demo") and [p.name for p in out.iterdir()] == [content.name]
    style = write(out / "demo-clinician.html", "organisation: Riverside Clinic\n")
    other = write(tmp_path / "content.yaml", HEAD + "sections:\n  - heading: H\n    blocks: [{paragraph: Text.}]\n")
    assert build(out, content=other, style=style) == 1
    assert f"would be written over the input {style}" in capsys.readouterr().err
    assert style.read_text("utf-8") == "organisation: Riverside Clinic\n"
    assert sorted(p.name for p in out.iterdir()) == ["demo-clinician.html", "demo-patient.pdf"]


def test_doi_links_are_percent_encoded_and_reach_the_resolver_whole():
    sici = "10.1002/(SICI)1097-4636(199706)35:4<463::AID-JBM7>3.0.CO;2-#"
    assert doi_link(sici) == "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4%3C463::AID-JBM7%3E3.0.CO;2-%23"
    assert doi_link('10.1234/a?b="c%d é') == "https://doi.org/10.1234/a%3Fb=%22c%25d%20%C3%A9"


@pytest.mark.parametrize(
    ("fields", "written"),
    [
        ({"year": 2021, "pages": "CD009790"}, "2021:CD009790."),
        ({"year": 2021, "volume": "4", "issue": "2", "pages": "112-9"}, "2021;4(2):112-9."),
        ({"year": 2021, "issue": "3"}, "2021;(3)."),
        ({"year": 2020}, "2020."),
        ({"volume": "12", "pages": "1-9"}, "12:1-9."),
    ],
)
def test_vancouver_places_each_part_of_the_source(fields, written):
    assert vancouver(Reference(id="a", title="Title", journal="J", **fields)).plain() == f"Title. J. {written}"


def test_a_layout_failure_names_the_line_and_column_of_what_did_not_fit(tmp_path, monkeypatch, capsys):
    from leaflet.pdf.flowables import Heading

    content = write(
        tmp_path / "content.yaml",
        HEAD + "sections:\n  - heading: Fine\n    blocks: [{paragraph: Text.}]\n"
        "  - heading: Far too tall\n    blocks: [{paragraph: Text.}]\n",
    )
    original = Heading.wrap

    def wrap(self, width, height):
        if self.outline_title == "Far too tall":
            self.width, self.height = width, 5000.0
            return width, 5000.0
        return original(self, width, height)

    monkeypatch.setattr(Heading, "wrap", wrap)
    monkeypatch.setattr(Heading, "rows", lambda self, width: [], raising=False)  # one row: its whole height
    assert build(tmp_path / "out", "--audience", "clinician", content=content) == 1
    err = capsys.readouterr().err
    assert f"{content}:8:5: error: part of the clinician version is too large to fit on a page" in err
    assert "report this as a bug" not in err and "Traceback" not in err


def test_the_longest_text_allowed_and_long_boxes_build(tmp_path):
    from leaflet.reading.loader import MAX_TEXT_CHARACTERS

    sentence = "Rest for a day or two, then walk a little more each day. "
    longest = (sentence * (MAX_TEXT_CHARACTERS // len(sentence) + 1))[:MAX_TEXT_CHARACTERS].strip()
    points = "".join(f"  - Point {i} to remember.\n" for i in range(1500))
    terms = "".join(f"  - {{term: termword{i}, definition: Thing {i}.}}\n" for i in range(300))
    used = " ".join(f"The termword{i} hurts." for i in range(300))
    content = write(
        tmp_path / "content.yaml",
        HEAD + "key_points:\n" + points + "sections:\n  - heading: Long\n    blocks:\n"
        f"      - paragraph: '{longest}'\n      - paragraph: '{used}'\nglossary:\n" + terms,
    )
    assert build(tmp_path / "out", "--audience", "patient", "--format", "standard", content=content) == 0
    text = pdf_text(tmp_path / "out" / "demo-patient.pdf")
    assert "Point 1499 to remember." in text and longest[-40:] in text
    assert "Termword299: Thing 299." in text  # the Words explained box holds all 300


def qr_codes(pdf: Path) -> list[str]:
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[len(document) - 1].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_links_and_the_qr_code_hold_ascii_addresses_that_scan_at_the_longest_url_allowed(tmp_path):
    odd = 'https://example.org/d\u0175r?a=<b>&c="d"'
    longest = "https://example.org/" + "leaflets/" * 25 + "x" * (250 - 20 - 9 * 25)
    assert len(longest) == 250
    for name, url in (("odd", odd), ("longest", longest)):
        written = HEAD.replace("language: en-GB", f"language: en-GB\nurl: '{url}'") + BODY
        content = write(tmp_path / name / "content.yaml", written)
        assert build(tmp_path / name / "out", "--audience", "clinician", content=content) == 0
        pdf = tmp_path / name / "out" / "demo-clinician.pdf"
        encoded = "https://example.org/d%C5%B5r?a=%3Cb%3E&c=%22d%22" if name == "odd" else longest
        assert encoded in links(pdf)
        assert qr_codes(pdf) == [encoded]  # scanned from a 150 dpi picture of the page


def test_every_text_at_its_longest_builds(tmp_path):
    """Each value as long as allowed, in the content and the style: slow to lay out (hundreds of pages), but it
    lays out; no heading, box title or contact detail is too tall to place."""
    from leaflet.reading.loader import MAX_TEXT_CHARACTERS

    longest = ("Sacroiliac " * MAX_TEXT_CHARACTERS)[: MAX_TEXT_CHARACTERS - 10].strip()
    quoted = f"'{longest}'"
    style = write(
        tmp_path / "style.yaml",
        f"organisation: {quoted}\ndepartment: {quoted}\n"
        f"contact: {{phone: '01632 960 123', phone_hours: {quoted}, address: [{quoted}, {quoted}], urgent: {quoted}}}\n"
        f"audiences:\n  clinician: {{label: {quoted}, references_heading: {quoted}, key_points_heading: {quoted}}}\n",
    )
    Image.new("RGB", (60, 40)).save(tmp_path / "pic.png")
    box = f"{{callout: {{title: {quoted}, blocks: [{{paragraph: {quoted}}}]}}}}"
    content = write(
        tmp_path / "content.yaml",
        f"id: demo\ntitle: {quoted}\nsubtitle: {quoted}\nlanguage: en-GB\n"
        f"review: {{last_reviewed: 2024-01-10, next_review: 2026-01-10, version: {quoted}}}\n"
        f"key_points: [{quoted}]\nsections:\n  - heading: {quoted}\n    blocks:\n"
        f"      - paragraph: '{longest} [@a]'\n"
        f"      - callout: {{title: {quoted}, blocks: [{box}]}}\n"
        f"      - image: {{file: pic.png, alt: A picture, caption: {quoted}}}\n"
        f"      - contact: {quoted}\n"
        f"      - bullets: [{quoted}, {{text: {quoted}, items: [{quoted}]}}]\n"
        f"references: [{{id: a, title: {quoted}, journal: {quoted}}}]\n",
    )
    assert build(tmp_path / "out", "--audience", "clinician", content=content, style=style) == 0
    assert len(PdfReader(tmp_path / "out" / "demo-clinician.pdf").pages) > 30


def test_no_output_is_written_over_an_input_through_a_link_an_index_or_a_picture(tmp_path, capsys):
    """The same file reached through a linked folder; the status index and manifest a library run writes; a
    picture kept where the leaflet writes a file of its own."""
    body = HEAD + "sections:\n  - heading: H\n    blocks: [{paragraph: Text.}]\n"
    real = tmp_path / "real"
    real.mkdir()
    content = write(real / "demo-patient.pdf", body)
    (tmp_path / "link").symlink_to("real")
    assert build(tmp_path / "link", "--format", "standard", content=content) == 1
    assert "would be written over this very content file" in capsys.readouterr().err
    assert content.read_text("utf-8") == body

    library = tmp_path / "lib"
    (library / "out").mkdir(parents=True)
    write(library / "leaflets.yaml", "output: {folder: out, layout: flat}\n")
    index = write(library / "out" / "index.json", body)
    assert main(["build", str(index)]) == 1
    assert f"{index}:1:5: error: id: {index} would be written over this very content file" in capsys.readouterr().err
    assert index.read_text("utf-8") == body and not (library / "out" / ".leaflet-manifest.json").exists()

    pictures = tmp_path / "pictures"
    pictures.mkdir()
    Image.new("RGB", (60, 40), (0, 90, 180)).save(pictures / "demo-patient.html", "PNG")
    shown = write(
        pictures / "demo.yaml",
        HEAD + "sections:\n  - heading: H\n    blocks:\n      - image: {file: demo-patient.html, alt: A picture}\n",
    )
    assert build(pictures, "--format", "standard", "--format", "html", content=shown) == 1
    err = capsys.readouterr().err
    assert f"{shown}:8:9: error: image 'demo-patient.html' is where this leaflet writes one of its own files" in err
    assert Image.open(pictures / "demo-patient.html").format == "PNG"
