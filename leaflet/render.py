"""Write one variant as an A4 PDF: page templates, header band, footer, metadata, atomic file write."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from . import __version__
from .dates import long_date, month_year
from .errors import LeafletError, Location
from .fonts import FontSet
from .layout import Layout
from .model import Leaflet
from .style import Theme

HEADER_HEIGHT = 30 * mm
AUDIENCE_STRIP = 11 * mm
FIRST_PAGE_GAP = 8 * mm  # between the audience strip and the title


def footer_height(size: float) -> float:
    """Two lines of footer text and the rule above them."""
    return size * 1.35 * 2 + 12


def first_text_area(margins_mm: dict[str, float], footer_size: float) -> tuple[float, float]:
    """Width and height, in points, of the text frame on page 1 (below the header band: the smallest frame)."""
    width = A4[0] - (margins_mm["left"] + margins_mm["right"]) * mm
    height = A4[1] - (margins_mm["top"] + margins_mm["bottom"]) * mm - footer_height(footer_size)
    return width, height - HEADER_HEIGHT - AUDIENCE_STRIP - FIRST_PAGE_GAP


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int
    size: int


def footer_lines(leaflet: Leaflet) -> tuple[str, str]:
    review = leaflet.review
    first = f"{leaflet.title.plain()} \u00b7 Ref {leaflet.id} \u00b7 Version {review.version}"
    second = f"Last reviewed {long_date(review.last_reviewed)} \u00b7 Next review {month_year(review.next_review)}"
    return first, second


class _Pages:
    """Draws what repeats on pages: the branded header band on page 1 and the footer on every page."""

    def __init__(self, leaflet: Leaflet, theme: Theme, fonts: FontSet) -> None:
        self.leaflet = leaflet
        self.theme = theme
        self.fonts = fonts
        self.audience = theme.for_audience(leaflet.audience)
        margins = theme.margins_mm
        self.left = margins["left"] * mm
        self.right = A4[0] - margins["right"] * mm
        self.top = A4[1] - margins["top"] * mm
        self.bottom = margins["bottom"] * mm
        self.footer_size = self.audience.footer_size
        # Two lines of footer text; the lowest descender sits on the bottom margin.
        self.footer_baseline = self.bottom + self.footer_size * 0.3
        self.footer_height = footer_height(self.footer_size)

    def header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        theme = self.theme
        width = self.right - self.left
        top = self.top
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(theme.colours["brand"]))
        canvas.rect(self.left, top - HEADER_HEIGHT, width, HEADER_HEIGHT, stroke=0, fill=1)
        text_x = self.left + 6 * mm
        if theme.logo:
            from reportlab.lib.utils import ImageReader

            logo = ImageReader(theme.logo)
            logo_w, logo_h = logo.getSize()
            box = HEADER_HEIGHT - 8 * mm
            scale = min(box / logo_h, 40 * mm / logo_w)
            canvas.drawImage(
                logo, self.left + 4 * mm, top - 4 * mm - logo_h * scale, logo_w * scale, logo_h * scale, mask="auto"
            )
            text_x = self.left + 8 * mm + logo_w * scale
        canvas.setFillColor(colors.HexColor(theme.colours["on_brand"]))
        room = self.right - 6 * mm - text_x
        self.draw(canvas, text_x, top - 13 * mm, theme.organisation, self.fonts.bold, 17, room)
        if theme.department:
            self.draw(canvas, text_x, top - 20.5 * mm, theme.department, self.fonts.regular, 13, room)
        # The audience strip: a reader sees at once which version they hold.
        strip_top = top - HEADER_HEIGHT
        canvas.setFillColor(colors.HexColor(theme.colours["panel"]))
        canvas.rect(self.left, strip_top - AUDIENCE_STRIP, width, AUDIENCE_STRIP, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor(theme.colours["heading"]))
        label_y = strip_top - AUDIENCE_STRIP + 3.8 * mm
        self.draw(canvas, self.left + 6 * mm, label_y, self.audience.label, self.fonts.bold, 13, width - 12 * mm)
        canvas.restoreState()

    def draw(self, canvas: Canvas, x: float, y: float, text: str, font: str, size: float, room: float) -> None:
        """Draw one line, shortened to fit room, using the fallback font for characters font lacks."""
        for name, chunk in self.fonts.runs(self.fonts.fit(text, font, size, room), font):
            canvas.setFont(name, size)
            canvas.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, name, size)

    def later_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(self.theme.colours["brand"]))
        canvas.setLineWidth(3)
        canvas.line(self.left, self.top - 1.5, self.right, self.top - 1.5)
        canvas.restoreState()

    def footer(self, canvas: Canvas, page: int, total: int) -> None:
        size = self.footer_size
        first, second = footer_lines(self.leaflet)
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(self.theme.colours["brand"]))
        canvas.setLineWidth(1)
        baseline = self.footer_baseline
        line_y = baseline + size * 1.35 + size + 4
        canvas.line(self.left, line_y, self.right, line_y)
        canvas.setFillColor(colors.HexColor(self.theme.colours["text"]))
        width = self.right - self.left
        page_label = f"Page {page} of {total}"
        label_width = pdfmetrics.stringWidth(page_label, self.fonts.bold, size)
        self.draw(canvas, self.left, baseline + size * 1.35, first, self.fonts.regular, size, width)
        self.draw(canvas, self.left, baseline, second, self.fonts.regular, size, width - label_width - size)
        canvas.setFont(self.fonts.bold, size)
        canvas.drawRightString(self.right, baseline, page_label)
        canvas.restoreState()


def _numbered_canvas(pages: _Pages) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each footer can say 'Page X of Y'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                pages.footer(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def render(leaflet: Leaflet, theme: Theme, fonts: FontSet, target: Path) -> Written:
    """Build the PDF into a temporary file beside target, then move it into place."""
    pages = _Pages(leaflet, theme, fonts)
    width = pages.right - pages.left
    frame_bottom = pages.bottom + pages.footer_height
    first_top = pages.top - HEADER_HEIGHT - AUDIENCE_STRIP - FIRST_PAGE_GAP
    later_top = pages.top - 6 * mm
    first = Frame(pages.left, frame_bottom, width, first_top - frame_bottom, 0, 0, 0, 0, id="first")
    later = Frame(pages.left, frame_bottom, width, later_top - frame_bottom, 0, 0, 0, 0, id="later")
    title = leaflet.title.plain()
    audience = theme.for_audience(leaflet.audience)
    subject = leaflet.subtitle.plain() or title
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".pdf.tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    os.close(handle)
    try:
        doc = BaseDocTemplate(
            temporary,
            pagesize=A4,
            pageTemplates=[
                PageTemplate("first", [first], onPage=pages.header),
                PageTemplate("later", [later], onPage=pages.later_header),
            ],
            title=title,
            author=theme.organisation,
            subject=f"{subject} ({audience.label})",
            keywords=list(leaflet.keywords),
            creator=f"leaflet {__version__}",
            producer=f"leaflet {__version__} (ReportLab)",
            lang=leaflet.language,
            displayDocTitle=True,
            initialFontName=fonts.regular,
            leftMargin=pages.left,
            rightMargin=A4[0] - pages.right,
            topMargin=A4[1] - pages.top,
            bottomMargin=pages.bottom,
        )
        shortest = min(first_top, later_top) - frame_bottom
        story = [NextPageTemplate("later"), *Layout(leaflet, theme, fonts, width, shortest).story()]
        doc.build(story, canvasmaker=_numbered_canvas(pages))
        page_count = doc.page
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except LayoutError:
        # A last resort: the layout is built so that this does not happen, but if it does, say so plainly.
        Path(temporary).unlink(missing_ok=True)
        raise LeafletError.single(
            f"part of the {leaflet.audience} version is too large to fit on a page",
            Location(leaflet.source),
            hint="look for a very long heading, a large image or long unbroken text; please report this as a bug",
        ) from None
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _cannot_write(target, exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Written(target, page_count, target.stat().st_size)


def _cannot_write(target: Path, exc: OSError) -> LeafletError:
    reason = exc.strerror or str(exc)
    return LeafletError.single(
        f"cannot write {target.name} ({reason})",
        Location(str(target.parent)),
        hint="check that the output folder can be written to, or choose another with --out",
    )
