"""Every private ReportLab name leaflet relies on, behind public names; tests/test_reportlab_internals.py checks them.

ReportLab 5.1.0 offers no public way to hold pages back until the page count is known, to learn where a link
starts and ends in a paragraph's text, to give list items their own split, or to add entries to a page object
or to the document's Info dictionary.
These hooks do. Nothing else in leaflet touches a private ReportLab name, so an upgrade that renames one fails
that test here, and not deep inside a build.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFPage, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, Paragraph
from reportlab.platypus.flowables import LIIndenter

# Private methods leaflet overrides or calls: (class, name, its parameters after self).
PRIVATE_METHODS: tuple[tuple[type, str, tuple[str, ...]], ...] = (
    (Canvas, "_startPage", ()),
    (Canvas, "_addAnnotation", ("annotation", "name", "addtopage")),
    (Canvas, "_setAnnotations", ("page",)),
    (PDFTextObject, "_textOut", ("text", "TStar")),
    (ListFlowable, "_makeLIIndenter", ("flowable", "bullet", "params")),
    (ListFlowable, "_makeBullet", ("value", "params")),
)
# Hooks ReportLab looks for on objects leaflet makes: (class that looks, name, parameters after self).
LOOKED_UP_HOOKS: tuple[tuple[type, str, tuple[str, ...]], ...] = (
    (Paragraph, "beginText", ("x", "y")),  # Paragraph.drawPara makes its text object through this method
    (PDFTextObject, "_linkRecord", ("link", "event")),  # Paragraph's drawing calls it where a link starts and ends
)
# Private attributes read or set, as "Class.attribute"; the test finds each on a live object.
PRIVATE_ATTRIBUTES = (
    "Canvas._doc",
    "Canvas._code",
    "PDFDocument._timeStamp",
    "PDFInfo._dateFormatter",
    "PDFTextObject._code",
    "PDFPage.__NoDefault__",
    "ListFlowable._leftIndent",
    "ListFlowable._rightIndent",
    "LIIndenter._flowable",
    "LIIndenter._leftIndent",
    "LIIndenter._rightIndent",
    "LIIndenter._bullet",
    "KeepTogether._content",
    "Flowable._frame",
    "Frame._atTop",
    "Paragraph.blPara",
    "ParaFrag.link",
)


class HookedCanvas(Canvas):
    """A canvas that can hold a finished page back, and that reports each link annotation and finished page."""

    def hold_page(self) -> dict[str, Any]:
        """The state of the page just drawn, kept to be written later; the canvas starts a fresh page."""
        state = dict(self.__dict__)
        self._startPage()
        return state

    def restore_page(self, state: dict[str, Any]) -> None:
        """Make a held page the current one again (then draw on it, and showPage to write it)."""
        self.__dict__.update(state)

    @property
    def document(self) -> Any:
        """ReportLab's PDFDocument being written."""
        return self._doc

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:  # noqa: N802
        super()._addAnnotation(self.annotation_added(annotation), name, addtopage)

    def _setAnnotations(self, page: PDFPage) -> None:  # noqa: N802 - called once per page as it is written
        super()._setAnnotations(page)
        self.page_written(page)

    def annotation_added(self, annotation: Any) -> Any:
        """Called with each link annotation as it is made; returns the annotation to add."""
        return annotation

    def page_written(self, page: PDFPage) -> None:
        """Called with each page object as it is written."""


class HookedTextObject(PDFTextObject):
    """A text object that hears of each piece of text and of each link boundary, and can edit its own code."""

    @property
    def code(self) -> list[str]:
        """The content-stream operators written so far, in order; may be edited before getCode()."""
        return self._code

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803
        self.write_text(text, bool(TStar))

    def write_text(self, text: str, new_line: bool) -> None:
        """Write text, then move to the next line if new_line."""
        PDFTextObject._textOut(self, text, int(new_line))

    def _linkRecord(self, link: tuple[int, str], event: str) -> None:  # noqa: N802
        self.link_boundary(link, event)

    def link_boundary(self, link: tuple[int, str], event: str) -> None:
        """Called just after the first piece of a link's text is written ("start"), and at its end ("end")."""


class HookedList(ListFlowable):
    """A list whose items and bullets are made by overridable public methods."""

    def _makeLIIndenter(self, flowable: Flowable, bullet: Any, params: dict | None = None) -> LIIndenter:  # noqa: N802
        return self.make_item(flowable, bullet, params or {})

    def make_item(self, flowable: Flowable, bullet: Any, params: dict) -> LIIndenter:
        return ListFlowable._makeLIIndenter(self, flowable, bullet, params)

    def _makeBullet(self, value: Any, params: dict | None = None) -> Any:  # noqa: N802
        return self.make_bullet(value, params)

    def make_bullet(self, value: Any, params: dict | None) -> Any:
        return ListFlowable._makeBullet(self, value, params)

    @property
    def indents(self) -> tuple[float, float]:
        return self._leftIndent, self._rightIndent


def page_code(canvas: Canvas) -> list[str]:
    """The content-stream operators of the page being drawn (for tests that read what was drawn)."""
    return canvas._code


def item_parts(indenter: LIIndenter) -> tuple[Flowable, float, float, Any]:
    """A list item's content, left and right indents and bullet."""
    return indenter._flowable, indenter._leftIndent, indenter._rightIndent, indenter._bullet


def kept_together(flowable: Flowable) -> list[Flowable]:
    """The parts of a KeepTogether, or the flowable alone."""
    return list(flowable._content) if isinstance(flowable, KeepTogether) else [flowable]


def at_top_of_frame(flowable: Flowable) -> bool:
    """Whether the frame the flowable is being placed in has nothing in it yet."""
    return bool(getattr(getattr(flowable, "_frame", None), "_atTop", False))


def whole_paragraph_link(paragraph: Paragraph) -> tuple[int, str] | None:
    """The link when a wrapped paragraph is one link from end to end (ReportLab then draws it as plain text)."""
    lines = getattr(paragraph, "blPara", None)
    if lines is None or lines.kind != 0 or not paragraph.frags:
        return None
    links = getattr(paragraph.frags[0], "link", None)
    return links[0] if links else None


def creation_time(document: Any) -> datetime:
    """The time ReportLab writes as the PDF's creation date (fixed by SOURCE_DATE_EPOCH)."""
    return document._timeStamp.datetime


def add_page_keys(page: PDFPage, *keys: str) -> None:
    """Have ReportLab write these attributes of a page object too (it writes only the keys it lists)."""
    page.__NoDefault__ = [*PDFPage.__NoDefault__, *keys]


class _InfoWithEntries(PDFInfo):
    """The document Info dictionary with entries of leaflet's own; ReportLab's writes a fixed set of keys."""

    def __init__(self, base: PDFInfo, entries: dict[str, str]) -> None:
        super().__init__()
        self.__dict__.update(base.__dict__)
        self.entries = entries

    def format(self, document: Any) -> bytes:
        # As PDFInfo.format, plus the entries.
        when = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        entries = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "CreationDate": when,
            "ModDate": when,
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
        }
        entries.update({key: PDFString(value) for key, value in self.entries.items()})
        return PDFDictionary(entries).format(document)


def add_info_entries(document: Any, entries: dict[str, str]) -> None:
    """Write these entries in the document's Info dictionary too (before the document is saved)."""
    document.info = _InfoWithEntries(document.info, entries)
