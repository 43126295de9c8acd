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
from reportlab.platypus import Frame, KeepTogether, ListFlowable, Paragraph, Spacer

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


class Seen(Spacer):
    """A flowable that keeps what it finds on itself while a frame splits it (the frame takes it away after)."""

    def split(self, available_width, available_height):
        self.while_splitting = {"_frame": getattr(self, "_frame", None), "at_top": internals.at_top_of_frame(self)}
        return []


def live_objects() -> dict[str, object]:
    """One live object of each class whose private attributes leaflet reads."""
    canvas = Canvas(BytesIO())
    paragraph = Paragraph('<a href="https://example.org">a link</a>', ParagraphStyle("p"))
    paragraph.wrap(200, 100)
    items = ListFlowable([Paragraph("one", ParagraphStyle("p"))])
    frame = Frame(0, 0, 300, 300)
    seen = Seen(10, 400)  # too tall: the frame asks it to split
    frame.split(seen, canvas)
    return {
        "Canvas": canvas,
        "PDFDocument": canvas._doc,
        "PDFInfo": canvas._doc.info,
        "PDFTextObject": PDFTextObject(canvas),
        "PDFPage": PDFPage,
        "ListFlowable": items,
        "LIIndenter": items._makeLIIndenter(Spacer(1, 1), None),
        "KeepTogether": KeepTogether([Spacer(1, 1)]),
        "Flowable": type("WhileSplitting", (), seen.while_splitting)(),
        "Frame": frame,
        "Paragraph": paragraph,
        "ParaFrag": paragraph.frags[0],
    }


@pytest.mark.parametrize("attribute", internals.PRIVATE_ATTRIBUTES)
def test_each_private_attribute_is_on_a_live_object(attribute):
    owner, name = attribute.split(".")
    assert hasattr(live_objects()[owner], name), f"{attribute} is gone"


def test_what_the_accessors_return():
    objects = live_objects()
    assert internals.whole_paragraph_link(objects["Paragraph"]) == (0, "https://example.org")
    assert internals.kept_together(objects["KeepTogether"])[0].height == 1
    assert objects["Flowable"].at_top is True  # nothing is in the frame yet
    assert internals.item_parts(objects["LIIndenter"])[1:3] == (18, 0)
    assert internals.creation_time(objects["PDFDocument"]).year >= 2000


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
