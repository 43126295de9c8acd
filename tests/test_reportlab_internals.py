"""The private ReportLab names leaflet relies on still exist, as expected, and are used nowhere else."""

from __future__ import annotations

import inspect
import re
from io import BytesIO
from pathlib import Path

import pytest
import reportlab.platypus.paragraph
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfdoc import PDFPage
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph

from conftest import ROOT
from leaflet.pdf import reportlab_internals as internals


def parameters(function) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)[1:]  # after self


@pytest.mark.parametrize(
    ("owner", "name", "expected"), internals.PRIVATE_METHODS, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_each_private_method_exists_with_its_parameters(owner, name, expected):
    assert parameters(getattr(owner, name)) == expected


def test_the_hooks_reportlab_looks_up_are_still_looked_up():
    (paragraph_hook, link_hook) = internals.LOOKED_UP_HOOKS
    assert parameters(Paragraph.beginText) == paragraph_hook[2]
    assert "self.beginText(" in inspect.getsource(Paragraph.drawPara)
    source = inspect.getsource(reportlab.platypus.paragraph)
    assert re.search(r"getattr\(tx,\s*'_linkRecord'", source), "Paragraph no longer reports link boundaries"
    assert re.search(r"linkRecord\(\w+,\s*'start'\)", source) and re.search(r"linkRecord\(\w+,\s*'end'\)", source)
    assert link_hook[1:] == ("_linkRecord", ("link", "event"))


def live_objects() -> dict[str, object]:
    """One live object of each class whose private attributes leaflet reads."""
    canvas = Canvas(BytesIO())
    paragraph = Paragraph('<a href="https://example.org">a link</a>', ParagraphStyle("p"))
    paragraph.wrap(200, 100)
    return {
        "Canvas": canvas,
        "PDFDocument": canvas._doc,
        "PDFInfo": canvas._doc.info,
        "PDFTextObject": PDFTextObject(canvas),
        "PDFPage": PDFPage,
        "Paragraph": paragraph,
        "ParaFrag": paragraph.frags[0],
    }


@pytest.mark.parametrize(("name", "expected"), internals.REPLACED_FUNCTIONS)
def test_each_replaced_function_exists_with_its_parameters(name, expected):
    import inspect

    from leaflet.pdf import layout  # noqa: F401 - installs the replacements
    from leaflet.pdf.breaking import cuts

    original = getattr(reportlab.platypus.paragraph, name)
    assert tuple(inspect.signature(original).parameters) == expected
    source = inspect.getsource(reportlab.platypus.paragraph.Paragraph.breakLines)
    assert f"{name}(" in source, f"Paragraph.breakLines no longer calls {name}"
    assert cuts  # the policy the replacements ask


@pytest.mark.parametrize("name", internals.PARAGRAPH_NAMES)
def test_each_private_name_of_the_paragraph_module_exists(name):
    assert hasattr(reportlab.platypus.paragraph, name)


@pytest.mark.parametrize("attribute", internals.PRIVATE_ATTRIBUTES)
def test_each_private_attribute_is_on_a_live_object(attribute):
    owner, name = attribute.split(".")
    assert hasattr(live_objects()[owner], name), f"{attribute} is gone"


def test_what_the_accessors_return():
    objects = live_objects()
    assert internals.whole_paragraph_link(objects["Paragraph"]) == (0, "https://example.org")
    assert internals.has_lines(objects["Paragraph"])
    assert internals.creation_time(objects["PDFDocument"]).year >= 2000


def test_held_pages_keep_their_own_destinations():
    """A bookmark drawn on a held page points at that page, not at page 1 (ReportLab names it from a count)."""
    from pypdf import PdfReader

    output = BytesIO()
    canvas = internals.HookedCanvas(output)
    held = []
    for name in ("one", "two", "three"):
        canvas.drawString(72, 72, name)
        canvas.bookmarkHorizontal(name, 0, 100)
        canvas.addOutlineEntry(name, name, level=0)
        held.append(canvas.hold_page())
    for number, state in enumerate(held, start=1):
        canvas.restore_page(state, number)
        canvas.showPage()
    canvas.save()
    reader = PdfReader(BytesIO(output.getvalue()))
    pages = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert pages == {"one": 0, "two": 1, "three": 2}


def test_info_entries_are_written_beside_reportlabs_own():
    from pypdf import PdfReader

    out = BytesIO()
    canvas = Canvas(out)
    canvas.setTitle("A title")
    canvas.showPage()
    internals.add_info_entries(canvas._doc, {"Owner": "Physio (MSK) team", "Version": "3"})
    canvas.save()
    info = PdfReader(BytesIO(out.getvalue())).metadata
    assert (info["/Owner"], info["/Version"], info["/Title"]) == ("Physio (MSK) team", "3", "A title")
    assert info["/CreationDate"] == info["/ModDate"]


def test_no_other_module_uses_a_private_reportlab_name():
    names = {name for _, name, _ in internals.PRIVATE_METHODS + internals.LOOKED_UP_HOOKS}
    names |= {attribute.split(".")[1] for attribute in internals.PRIVATE_ATTRIBUTES}
    names = {n for n in names if n.startswith("_") or n == "blPara"}  # "link" is too common a word to look for
    pattern = re.compile(r"(?:\.|def )(" + "|".join(re.escape(n) for n in names) + r")\b")  # used or overridden
    offenders = []
    for path in (ROOT / "leaflet").rglob("*.py"):
        if path.name == "reportlab_internals.py":
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            found = [n for n in pattern.findall(line) if n != "beginText"]  # TaggedParagraph overrides it, by design
            if found:
                offenders.append(f"{Path(path).relative_to(ROOT)}:{number}: {found}")
    assert not offenders, "\n".join(offenders)
