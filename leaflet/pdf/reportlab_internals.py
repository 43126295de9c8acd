"""Every private ReportLab name leaflet relies on, behind public names; tests/test_reportlab_internals.py checks them.

ReportLab 5.1.0 offers no public way to hold pages back until the page count is known (and still have links and
bookmarks point at the right page), to learn where a link starts and ends in a paragraph's text, to choose where a
word too long for a line breaks, or to add entries to a page object or to the document's Info dictionary. These
hooks do. Nothing else in leaflet touches a private ReportLab name, so an upgrade that renames one fails that test
here, and not deep inside a build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFPage, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph

# Private methods leaflet overrides or calls: (class, name, its parameters after self).
PRIVATE_METHODS: tuple[tuple[type, str, tuple[str, ...]], ...] = (
    (Canvas, "_startPage", ()),
    (Canvas, "_addAnnotation", ("annotation", "name", "addtopage")),
    (Canvas, "_setAnnotations", ("page",)),
    (PDFTextObject, "_textOut", ("text", "TStar")),
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
    "PDFDocument.pageCounter",
    "PDFInfo._dateFormatter",
    "PDFTextObject._code",
    "PDFPage.__NoDefault__",
    "Paragraph.blPara",
    "ParaFrag.link",
)
# Functions of reportlab.platypus.paragraph that install_word_breaking replaces (name, parameters), and the
# private names of that module the replacements use.
REPLACED_FUNCTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("_splitWord", ("w", "lineWidth", "maxWidths", "lineno", "fontName", "fontSize", "encoding")),
    ("_splitFragWord", ("w", "maxWidth", "maxWidths", "lineno")),
)
PARAGRAPH_NAMES = (
    "_fragWordIter",
    "_SplitWord",
    "_SplitWordEnd",
    "_SplitFrag",
    "_SplitFragH",
    "_SplitFragHS",
    "_HSFrag",
)


class HookedCanvas(Canvas):
    """A canvas that can hold a finished page back, and that reports each link annotation and finished page."""

    def hold_page(self) -> dict[str, Any]:
        """The state of the page just drawn, kept to be written later; the canvas starts a fresh page.

        The document counts the page too: a bookmark or a link target on the next page must name that page
        (ReportLab names a destination's page from this count), not the first.
        """
        state = dict(self.__dict__)
        self._startPage()
        self._doc.pageCounter += 1
        return state

    def restore_page(self, state: dict[str, Any], number: int) -> None:
        """Make held page number (from 1) the current one again (then draw on it, and showPage to write it)."""
        self.__dict__.update(state)
        self._doc.pageCounter = number

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


def page_code(canvas: Canvas) -> list[str]:
    """The content-stream operators of the page being drawn (for tests that read what was drawn)."""
    return canvas._code


def has_lines(paragraph: Paragraph) -> bool:
    """Whether a wrapped paragraph still holds the lines of its last wrap (a failed split drops them)."""
    return hasattr(paragraph, "blPara")


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


def install_word_breaking(
    cuts: Callable[[str, Sequence[float], float, Callable[[int], float], bool], list[int]],
) -> None:
    """Have ReportLab break a word too long for a whole line where cuts says (pdf/breaking.py), instead of at
    whatever character the line is full. It replaces two functions of ReportLab's paragraph module, once per
    process; every paragraph drawn in the process then breaks long words this way."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import paragraph as module

    if getattr(module._splitWord, "leaflet", False):
        return

    def split_word(
        w: Any,
        lineWidth: float,  # noqa: N803 - ReportLab's parameter names
        maxWidths: list[float],  # noqa: N803
        lineno: int,
        fontName: str,  # noqa: N803
        fontSize: float,  # noqa: N803
        encoding: str = "utf8",
    ) -> list[Any]:
        if isinstance(w, bytes):
            w = w.decode(encoding)
        last = len(maxWidths) - 1
        widths = [stringWidth(char, fontName, fontSize, encoding) for char in w]
        points = cuts(
            w,
            widths,
            maxWidths[min(last, lineno)] - lineWidth,
            lambda n: maxWidths[min(last, lineno + n)],
            lineWidth > 0,
        )
        bounds = [0, *points, len(w)]
        pieces = [w[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        return [module._SplitWord(piece) for piece in pieces[:-1]] + [module._SplitWordEnd(pieces[-1])]

    def split_frag_word(w: Any, maxWidth: float, maxWidths: list[float], lineno: int) -> list[Any]:  # noqa: N803
        units = list(module._fragWordIter(w))  # (frag, width, text): one character each, or a zero-width mark
        text = "".join(unit[2][-1:] or "\0" for unit in units)
        last = len(maxWidths) - 1
        line = maxWidths[min(last, lineno)]
        points = cuts(
            text,
            [unit[1] for unit in units],
            maxWidth,
            lambda n: maxWidths[min(last, lineno + n)],
            maxWidth < line - 1e-6,
        )
        bounds = [0, *points, len(units)]
        pieces = []
        for a, b in zip(bounds, bounds[1:], strict=False):
            runs: list[list[Any]] = []  # [frag, text] for each run of one frag
            for frag, _, chunk in units[a:b]:
                if runs and runs[-1][0] is frag:
                    runs[-1][1] += chunk
                else:
                    runs.append([frag, chunk])
            runs = runs or [[units[a if a < len(units) else -1][0], ""]]
            parts = [(frag.clone(text=chunk) if hasattr(frag, "text") else frag.clone(), chunk) for frag, chunk in runs]
            pieces.append([sum(unit[1] for unit in units[a:b]), *parts])
        tail = module._SplitFragHS if isinstance(w, module._HSFrag) else module._SplitFragH
        return [module._SplitFrag(piece) for piece in pieces[:-1]] + [tail(pieces[-1])]

    split_word.leaflet = True  # type: ignore[attr-defined]
    module._splitWord = split_word
    module._splitFragWord = split_frag_word


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
