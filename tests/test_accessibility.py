"""Every PDF is tagged for screen readers (PDF/UA-1): read the structure back and check it against the pages."""

from __future__ import annotations

import ctypes
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

from conftest import CONTENT, DEFAULT_STYLE, VARIANTS, build, normalise

TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}
PAINTING = TEXT_SHOWING | {b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"Do", b"sh", b"BI"}
BLOCKS = re.compile(r"^(H[1-6]|P|Lbl|LBody|Figure)$")
CITATION_LABEL = re.compile(r"\[\d[\d,\u2013]*\]")


# Reading the structure tree back.
@dataclass
class Element:
    role: str
    number: int  # object number
    alt: str
    items: list = field(default_factory=list)  # Element, ("mcr", page, mcid) or ("objr", object number)

    def walk(self):
        yield self
        for item in self.items:
            if isinstance(item, Element):
                yield from item.walk()

    def marked(self) -> list[tuple[int, int]]:
        return [(item[1], item[2]) for item in self.items if isinstance(item, tuple) and item[0] == "mcr"]

    def text(self, texts: dict[tuple[int, int], str]) -> str:
        out = []
        for item in self.items:
            if isinstance(item, Element):
                out.append(item.text(texts))
            elif item[0] == "mcr":
                out.append(texts.get(item[1:], ""))
        return "".join(out)


def structure(reader: PdfReader) -> Element:
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}

    def element(reference: IndirectObject) -> Element:
        entry = reference.get_object()
        home = pages[entry.raw_get("/Pg").idnum] if "/Pg" in entry else None
        node = Element(str(entry["/S"])[1:], reference.idnum, str(entry.get("/Alt", "")))
        kids = entry.raw_get("/K") if "/K" in entry else None
        kids = kids.get_object() if isinstance(kids, IndirectObject) and isinstance(kids.get_object(), list) else kids
        for kid in kids if isinstance(kids, ArrayObject) else ([] if kids is None else [kids]):
            if isinstance(kid, int):
                node.items.append(("mcr", home, int(kid)))
                continue
            kid_entry = kid.get_object()
            kind = kid_entry.get("/Type")
            if kind == "/MCR":
                page = pages[kid_entry.raw_get("/Pg").idnum] if "/Pg" in kid_entry else home
                node.items.append(("mcr", page, int(kid_entry["/MCID"])))
            elif kind == "/OBJR":
                node.items.append(("objr", kid_entry.raw_get("/Obj").idnum))
            else:
                node.items.append(element(kid))
        return node

    tree_root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    assert tree_root["/Type"] == "/StructTreeRoot"
    kids = tree_root.raw_get("/K")
    assert isinstance(kids, IndirectObject), "one Document element at the root"
    return element(kids)


def parent_tree(reader: PdfReader) -> dict[int, object]:
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


# Reading the pages back.
def content_sequences(reader: PdfReader):
    """Per page: the MCIDs in the content stream, and anything painted outside marked content or badly nested."""
    for number, page in enumerate(reader.pages, start=1):
        stack: list[str] = []
        mcids: list[int] = []
        problems: list[str] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                tag = str(operands[0])
                properties = operands[1] if operator == b"BDC" else None
                if isinstance(properties, DictionaryObject) and "/MCID" in properties:
                    if "artifact" in stack or "content" in stack:
                        problems.append(f"MCID {properties['/MCID']} nested inside {stack}")
                    mcids.append(int(properties["/MCID"]))
                    stack.append("content")
                elif tag == "/Artifact":
                    if "content" in stack:
                        problems.append("artifact nested inside real content")
                    stack.append("artifact")
                else:
                    stack.append("other")
            elif operator == b"EMC":
                if not stack:
                    problems.append("EMC without BDC/BMC")
                else:
                    stack.pop()
            elif operator in PAINTING and "content" not in stack and "artifact" not in stack:
                problems.append(f"{operator.decode()} outside marked content")
        if stack:
            problems.append(f"unclosed marked content at the end of the page: {stack}")
        yield number, mcids, problems


@dataclass
class Drawn:
    page: int
    mcid: int
    kind: int
    text: str
    y: float  # baseline of text; top edge of anything else


def _wide(function, *args) -> str:
    size = function(*args, None, 0)
    buffer = (ctypes.c_ushort * (size // 2 + 1))()
    function(*args, buffer, size)
    return bytes(buffer)[: max(size - 2, 0)].decode("utf-16-le")


def drawn_objects(path: Path) -> list[Drawn]:
    """Every page object as PDFium sees it, with the marked-content id it belongs to."""
    found = []
    document = pypdfium2.PdfDocument(path)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            for number in range(pdfium.FPDFPage_CountObjects(page)):
                obj = pdfium.FPDFPage_GetObject(page, number)
                kind = pdfium.FPDFPageObj_GetType(obj)
                mcid = pdfium.FPDFPageObj_GetMarkedContentID(obj)
                left, bottom, right, top = (ctypes.c_float() for _ in range(4))
                pdfium.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                y = top.value
                text = ""
                if kind == pdfium.FPDF_PAGEOBJ_TEXT:
                    text = _wide(pdfium.FPDFTextObj_GetText, obj, textpage)
                    matrix = pdfium.FS_MATRIX()
                    pdfium.FPDFPageObj_GetMatrix(obj, matrix)
                    y = matrix.f
                found.append(Drawn(index + 1, mcid, kind, text, y))
    finally:
        document.close()
    return found


def marked_texts(objects: list[Drawn]) -> dict[tuple[int, int], str]:
    texts: dict[tuple[int, int], str] = {}
    for obj in objects:
        if obj.mcid >= 0:
            texts[(obj.page, obj.mcid)] = texts.get((obj.page, obj.mcid), "") + obj.text
    return texts


def assert_well_tagged(path: Path) -> None:
    """The checks of this file that need no knowledge of the content, for PDFs built from other inputs."""
    from pdfua import validate

    reader = PdfReader(path)
    root = structure(reader)
    assert [(page, p) for page, _, found in content_sequences(reader) for p in found] == []
    in_content = sorted((page, mcid) for page, mcids, _ in content_sequences(reader) for mcid in mcids)
    assert sorted(item for element in root.walk() for item in element.marked()) == in_content
    assert [f.rule_id for f in validate(str(path)).findings] == []


@pytest.fixture(scope="module")
def tagged(built):
    """For each variant: its reader, structure tree, the drawn objects and the text of each MCID."""
    out = {}
    for variant, path in built.items():
        reader = PdfReader(path)
        objects = drawn_objects(path)
        out[variant] = (reader, structure(reader), objects, marked_texts(objects))
    return out


def squash(text: str) -> str:
    """Text compared without citation labels or spacing (line breaks add spaces; plain text has none)."""
    return re.sub(r"\s", "", CITATION_LABEL.sub("", text))


# The catalog, pages and metadata.
@pytest.mark.parametrize("variant", VARIANTS)
def test_catalog_declares_a_tagged_pdf_with_language_and_title(tagged, variant):
    reader = tagged[variant][0]
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Sacroiliac joint pain"
    for index, page in enumerate(reader.pages):
        assert page["/Tabs"] == "/S"
        assert page["/StructParents"] == index


@pytest.mark.parametrize("variant", VARIANTS)
def test_xmp_metadata_claims_pdf_ua_1(tagged, variant):
    reader = tagged[variant][0]
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert stream["/Type"] == "/Metadata" and stream["/Subtype"] == "/XML"
    xml = ElementTree.fromstring(stream.get_data())
    ns = {
        "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
        "dc": "http://purl.org/dc/elements/1.1/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    }
    assert xml.find(".//pdfuaid:part", ns).text == "1"
    assert xml.find(".//dc:title/rdf:Alt/rdf:li", ns).text == "Sacroiliac joint pain"
    assert xml.find(".//dc:language/rdf:Bag/rdf:li", ns).text == "en-GB"
    assert reader.xmp_metadata.dc_title["x-default"] == "Sacroiliac joint pain"


# Marked content.
@pytest.mark.parametrize("variant", VARIANTS)
def test_nothing_is_drawn_outside_marked_content(tagged, variant):
    reader = tagged[variant][0]
    problems = [(page, p) for page, _, found in content_sequences(reader) for p in found]
    assert problems == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_mcid_belongs_to_exactly_one_element(tagged, variant):
    reader, root, _, _ = tagged[variant]
    in_content = Counter((page, mcid) for page, mcids, _ in content_sequences(reader) for mcid in mcids)
    assert in_content and max(in_content.values()) == 1, "an MCID is used twice on one page"
    owners = Counter((item, element.number) for element in root.walk() for item in element.marked())
    in_tree = Counter(item for item, _ in owners)
    assert max(in_tree.values()) == 1, "an MCID is claimed by two elements"
    assert set(in_tree) == set(in_content)
    # The parent tree gives the same owner for each MCID.
    tree = parent_tree(reader)
    for (page, mcid), number in owners:
        assert tree[page - 1][mcid].idnum == number


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_piece_of_text_is_content_or_artifact(tagged, variant):
    """PDFium's view: each text object is inside an MCID or an artifact, and artifacts are only decoration."""
    _, _, objects, _ = tagged[variant]
    artifacts = []
    for obj in objects:
        if obj.kind == pdfium.FPDF_PAGEOBJ_TEXT and obj.mcid < 0:
            artifacts.append(normalise(obj.text))
    # A box's title repeated where the box goes on to a new page is decoration: the box is one element.
    allowed = re.compile(r"^(Page \d+ of \d+|Sacroiliac joint pain · Ref .*|Last reviewed .*|.* \(continued\))$")
    notice = "Past its review date (9 December 2021): ask for the latest version"  # wraps in large print
    assert artifacts and all(allowed.match(text) or text in notice for text in artifacts), artifacts


# The structure tree.
def expected_content(audience: str) -> tuple[list[str], list[str]]:
    """Headings and paragraph texts of the selected content, in source order."""
    from leaflet.core.model import Callout, ListBlock, plain_text
    from leaflet.core.model import Paragraph as ParagraphBlock
    from leaflet.core.variant import prepare
    from leaflet.reading.content import load_leaflet
    from leaflet.reading.style import load_theme

    theme = load_theme(DEFAULT_STYLE)
    variant = prepare(load_leaflet(CONTENT)[0], audience, theme)
    leaflet = variant.content
    headings = [leaflet.title.plain()] + ([variant.style.key_points_heading] if leaflet.key_points else [])
    paragraphs = [leaflet.subtitle.plain()] + [item.text.plain() for item in leaflet.key_points]

    def blocks(items):
        for block in items:
            if isinstance(block, ParagraphBlock):
                paragraphs.append(block.text.plain())
            elif isinstance(block, ListBlock):
                paragraphs.extend(item.text.plain() for item in block.items)
            elif isinstance(block, Callout):
                headings.append(block.title.plain())  # a box's title is a heading, for moving by heading
                blocks(block.blocks)

    def sections(items):
        for section in items:
            headings.append(section.heading.plain())
            blocks(section.blocks)
            sections(section.sections)

    sections(leaflet.sections)
    if variant.glossary:
        headings.append(variant.style.glossary_heading)
    headings.append(variant.style.references_heading)
    if variant.about:  # "About this leaflet", at the end: a heading of its own unless it is one paragraph
        headings += [] if variant.about.run_in else [variant.about.heading]
        paragraphs.extend(plain_text(line) for line in variant.about.paragraphs)
    return headings, paragraphs


@pytest.mark.parametrize("variant", VARIANTS)
def test_structure_follows_the_content_order(tagged, variant):
    reader, root, _, texts = tagged[variant]
    headings, paragraphs = expected_content(variant.split("-")[0])
    if "Notes" in (line.strip() for line in reader.pages[-1].extract_text().split("\n")):
        headings.append("Notes")  # the page added to make the page count even comes last
    assert root.role == "Document"
    tree_headings = [normalise(e.text(texts)) for e in root.walk() if re.match(r"^H[1-6]$", e.role)]
    assert tree_headings == headings
    # Every paragraph and list item is one element with all its text, in the same order as the content.
    tree_paragraphs = [squash(e.text(texts)) for e in root.walk() if e.role in ("P", "LBody")]
    position = 0
    for paragraph in map(squash, paragraphs):
        assert paragraph in tree_paragraphs[position:], paragraph
        position = tree_paragraphs.index(paragraph, position) + 1


@pytest.mark.parametrize("variant", VARIANTS)
def test_reading_order_is_top_to_bottom_page_by_page(tagged, variant):
    """One column: the tree order of blocks is the order in which they sit on the pages."""
    _, root, objects, _ = tagged[variant]
    first_drawn = {}
    for obj in objects:
        if obj.mcid >= 0:
            first_drawn.setdefault((obj.page, obj.mcid), obj)
    positions = []
    for element in root.walk():
        if BLOCKS.match(element.role) and element.marked():
            obj = first_drawn[element.marked()[0]]
            positions.append((obj.page, -obj.y, element.role))
    assert len(positions) > 40
    for before, after in zip(positions, positions[1:], strict=False):
        assert (before[0], before[1] - 1.0) <= after[:2], (before, after)


@pytest.mark.parametrize("variant", VARIANTS)
def test_heading_levels_do_not_skip(tagged, variant):
    _, root, _, _ = tagged[variant]
    levels = [int(e.role[1]) for e in root.walk() if re.match(r"^H[1-6]$", e.role)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1


@pytest.mark.parametrize("variant", VARIANTS)
def test_lists_have_items_with_labels_and_bodies(tagged, variant):
    _, root, _, texts = tagged[variant]
    lists = [e for e in root.walk() if e.role == "L"]
    assert len(lists) >= 2
    for element in lists:
        items = [i for i in element.items if isinstance(i, Element)]
        assert items and all(i.role == "LI" for i in items)
        for item in items:
            assert [k.role for k in item.items] == ["Lbl", "LBody"]
            assert normalise(item.items[0].text(texts)) in ("\u2022", "\u2013") or re.match(
                r"^\d+\.$", normalise(item.items[0].text(texts))
            )
    references = [e for e in lists if e.items[0].items[0].text(texts).strip() == "1."]
    assert references, "the reference list is a numbered list"


@pytest.mark.parametrize("variant", VARIANTS)
def test_figures_have_alt_text(tagged, variant):
    _, root, _, _ = tagged[variant]
    figures = [e for e in root.walk() if e.role == "Figure"]
    assert [f.alt for f in figures] == ["QR code linking to https://www.example.org/leaflets/sacroiliac-joint-pain"]
    assert all(f.marked() for f in figures)


@pytest.mark.parametrize("variant", VARIANTS)
def test_links_are_tagged_and_described(tagged, variant):
    reader, root, _, texts = tagged[variant]
    tree = parent_tree(reader)
    links = {e.number: e for e in root.walk() if e.role == "Link"}
    annotations = 0
    for page in reader.pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            assert annotation["/Subtype"] == "/Link"
            assert str(annotation["/Contents"]).strip()
            owner = tree[int(annotation["/StructParent"])].idnum
            assert ("objr", reference.idnum) in links[owner].items
            annotations += 1
    assert annotations >= 8
    shown = {normalise(link.text(texts)) for link in links.values()}
    for text in ("01632 960 123", "physio@example.org", "www.example.org/physio", "[1]", "10.1586/ern.12.148"):
        assert text in shown
    contents = {str(r.get_object()["/Contents"]) for page in reader.pages for r in page.get("/Annots") or []}
    assert {"Email physio@example.org", "Phone 01632 960 123", "Go to reference 1"} <= contents


@pytest.mark.parametrize("variant", VARIANTS)
def test_pdfua_checker_finds_nothing(built, variant):
    """The `pdfua` package checks 16 machine-checkable PDF/UA-1 rules (see docs/accessibility.md)."""
    from pdfua import validate

    report = validate(str(built[variant]))
    assert [(f.rule_id, f.severity.name, f.message) for f in report.findings] == []


# A paragraph and a link that run across a page break stay one element.
def write_content(tmp_path: Path, change) -> Path:
    """A copy of the seed content, changed by change(data)."""
    data = yaml.safe_load(CONTENT.read_text("utf-8"))
    change(data)
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return content


def build_with(tmp_path: Path, change, large_print: bool = False) -> Path:
    """The patient leaflet of a changed copy of the seed."""
    content = write_content(tmp_path, change)
    kind = "large-print" if large_print else "standard"
    assert build(tmp_path / "out", "--audience", "patient", "--format", kind, content=content) == 0
    return tmp_path / "out" / f"sacroiliac-joint-pain-patient{'-large-print' if large_print else ''}.pdf"


def test_a_paragraph_split_across_pages_is_one_element(tmp_path):
    link_text = "the long guide to sacroiliac joint pain and what you can do about it at home and at work"
    sentences = [f"This is sentence number {i} of a paragraph long enough to run onto another page." for i in range(45)]
    sentences[30] = f"Read [{link_text}](https://example.org/guide) for more."
    paragraph = " ".join(sentences)
    path = build_with(tmp_path, lambda data: data["sections"][0]["blocks"].insert(0, {"paragraph": paragraph}))
    assert_well_tagged(path)
    reader = PdfReader(path)
    root = structure(reader)
    texts = marked_texts(drawn_objects(path))
    matches = [e for e in root.walk() if e.role == "P" and "sentence number 0 " in e.text(texts)]
    assert len(matches) == 1
    element = matches[0]
    assert len({page for page, _ in element.marked()}) >= 2, "the paragraph crosses a page"
    assert squash(element.text(texts)) == squash(
        paragraph.replace(f"[{link_text}](https://example.org/guide)", link_text)
    )
    link = next(e for e in element.walk() if e.role == "Link")
    assert normalise(link.text(texts)) == link_text
    assert len(link.marked()) >= 2 and sum(1 for i in link.items if i[0] == "objr") == len(link.marked())


def test_images_are_figures_with_their_alt_text(tmp_path):
    from PIL import Image

    Image.new("RGB", (400, 200), "#336699").save(tmp_path / "diagram.png")
    image = {"image": {"file": "diagram.png", "alt": "The pelvis seen from behind", "width_mm": 60}}
    path = build_with(tmp_path, lambda data: data["sections"][0]["blocks"].insert(0, image))
    assert_well_tagged(path)
    root = structure(PdfReader(path))
    figures = {e.alt for e in root.walk() if e.role == "Figure"}
    assert "The pelvis seen from behind" in figures


def test_links_keep_their_own_text_and_target(tmp_path):
    """A paragraph that is one link, and two links to the same address, each get the right annotations."""
    whole = "Visit the physiotherapy pages for exercises, videos and advice on getting back to work after back pain"
    two = "Two links: [one](https://example.org/1), [one again](https://example.org/1), [two](https://example.org/2)."
    blocks = [{"paragraph": f"[{whole}](https://example.org/a)"}, {"paragraph": two}]

    def add(data):
        data["sections"][0]["blocks"][0:0] = blocks

    path = build_with(tmp_path, add)
    assert_well_tagged(path)
    reader = PdfReader(path)
    root = structure(reader)
    texts = marked_texts(drawn_objects(path))
    annotations = {r.idnum: r.get_object() for page in reader.pages for r in page.get("/Annots") or []}
    targets = {}
    for link in (e for e in root.walk() if e.role == "Link"):
        actions = [annotations[item[1]].get("/A") for item in link.items if item[0] == "objr"]
        uris = {str(action["/URI"]) if action else "internal" for action in actions}
        targets.setdefault(normalise(link.text(texts)), []).append(uris)
    assert targets[whole] == [{"https://example.org/a"}]
    assert targets["one"] == [{"https://example.org/1"}]
    assert targets["one again"] == [{"https://example.org/1"}]
    assert targets["two"] == [{"https://example.org/2"}]


def test_a_repeated_decoration_is_content_once_then_artifact():
    """The hook for text on every page (such as a review notice): real content on its first page only."""
    from io import BytesIO

    from leaflet.pdf.reportlab_internals import page_code
    from leaflet.pdf.tagging import StructNode, Tagger, TaggingCanvas, decoration

    canvas = TaggingCanvas(BytesIO())
    root = StructNode("Document")
    notice = root.add("P")
    canvas.tagger = Tagger(root)
    streams = []
    for _ in range(3):
        for line in ("Past its review date:", "check for a newer version"):
            with decoration(canvas, notice):
                canvas.drawString(72, 72, line)
        streams.append("\n".join(page_code(canvas)))
        canvas.showPage()
    assert [kid.page for kid in notice.kids] == [1, 1]
    assert canvas.tagger.owners == {1: [notice, notice]}
    assert streams[0].count("/P <</MCID") == 2 and "/Artifact" not in streams[0]
    assert all(s.count("/Artifact <</Type /Pagination>> BDC") == 2 and "MCID" not in s for s in streams[1:])


def test_boxes_and_lists_split_across_pages_stay_tagged(tmp_path):
    """A long title pushes the key-points box over a page break in large print: the box splits, tags hold."""

    def long_title(data):
        data["title"] = "Sacroiliac joint pain and pelvic girdle pain in pregnancy, after birth and later in life"

    path = build_with(tmp_path, long_title, large_print=True)
    assert_well_tagged(path)
    reader = PdfReader(path)
    root = structure(reader)
    texts = marked_texts(drawn_objects(path))
    key_points = next(e for e in root.walk() if e.role == "Div")
    assert normalise(key_points.items[0].text(texts)) == "Key points"
    assert len({page for element in key_points.walk() for page, _ in element.marked()}) == 2


def test_a_repeated_paragraph_is_content_once_then_artifact():
    """draw_repeated: the same hook for a paragraph (issue 4's review notice is one)."""
    from io import BytesIO

    from reportlab.lib.styles import ParagraphStyle

    from leaflet.pdf.flowables import TaggedParagraph, draw_repeated
    from leaflet.pdf.reportlab_internals import page_code
    from leaflet.pdf.tagging import StructNode, Tagger, TaggingCanvas

    canvas = TaggingCanvas(BytesIO())
    root = StructNode("Document")
    notice = TaggedParagraph(
        "Past its review date: ask for the latest version", ParagraphStyle("n"), node=root.add("P")
    )
    notice.wrap(400, 100)
    canvas.tagger = Tagger(root)
    streams = []
    for _ in range(3):
        draw_repeated(notice, canvas, 72, 700)
        streams.append("\n".join(page_code(canvas)))
        canvas.showPage()
    assert [kid.page for kid in notice.node.kids] == [1]
    assert "/P <</MCID 0>> BDC" in streams[0] and "/Artifact <</Type /Pagination>> BDC" not in streams[0]
    for stream in streams[1:]:
        assert "MCID" not in stream and stream.index("/Artifact <</Type /Pagination>> BDC") < stream.index("BT")
    assert notice.node is not None
