"""Write one variant as an A4 PDF: page templates, header band, footer, metadata, atomic file write."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate

from . import __version__
from .dates import long_date, month_year
from .fonts import FontSet
from .layout import Layout
from .model import Leaflet
from .style import AudienceStyle, Theme

HEADER_HEIGHT = 30 * mm
AUDIENCE_STRIP = 11 * mm
HEADER_NAME_SIZE = 17.0
HEADER_DEPARTMENT_SIZE = 13.0
AUDIENCE_LABEL_SIZE = 13.0
NOTICE_COLOURS = ("white", "urgent")  # text, band: white on the style's urgent colour
NOTICE_PADDING = 2.5 * mm
NOTICE_GAP = 4 * mm  # between the notice band and the text below it


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


def review_notice_text(next_review: date) -> str:
    """What every page of an overdue leaflet says, so that it never looks current."""
    return f"Past its review date ({long_date(next_review)}): ask for the latest version"


def notice_size(audience: AudienceStyle) -> float:
    return max(audience.body_size, 12.0)


class _Pages:
    """Draws what repeats on pages: the branded header band on page 1 and the footer on every page."""

    def __init__(self, leaflet: Leaflet, theme: Theme, fonts: FontSet, notice: str | None = None) -> None:
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
        self.footer_height = self.footer_size * 1.35 * 2 + 12
        self.notice = self._notice_paragraph(notice) if notice else None
        # Room the notice band takes at the top of every page's frame, so it never covers text.
        self.notice_room = self.notice_height + NOTICE_GAP if self.notice else 0.0

    def _notice_paragraph(self, text: str):
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        size = notice_size(self.audience)
        style = ParagraphStyle(
            "review-notice",
            fontName=self.fonts.bold,
            fontSize=size,
            leading=size * 1.3,
            textColor=colors.white,
        )
        paragraph = Paragraph(self.fonts.markup(text), style)
        _, height = paragraph.wrap(self.right - self.left - 2 * NOTICE_PADDING, A4[1])
        self.notice_height = height + 2 * NOTICE_PADDING
        return paragraph

    def draw_review_notice(self, canvas: Canvas, top: float) -> None:
        """The overdue notice: a white-on-urgent band across the page whose top edge is at top.

        render() lowers every frame by notice_room, so the band sits in space kept free for it.
        """
        if self.notice is None:
            return
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(self.theme.colours[NOTICE_COLOURS[1]]))
        canvas.rect(self.left, top - self.notice_height, self.right - self.left, self.notice_height, stroke=0, fill=1)
        self.notice.drawOn(canvas, self.left + NOTICE_PADDING, top - self.notice_height + NOTICE_PADDING)
        canvas.restoreState()

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
        canvas.setFont(self.fonts.bold, HEADER_NAME_SIZE)
        canvas.drawString(text_x, top - 13 * mm, theme.organisation)
        if theme.department:
            canvas.setFont(self.fonts.regular, HEADER_DEPARTMENT_SIZE)
            canvas.drawString(text_x, top - 20.5 * mm, theme.department)
        # The audience strip: a reader sees at once which version they hold.
        strip_top = top - HEADER_HEIGHT
        canvas.setFillColor(colors.HexColor(theme.colours["panel"]))
        canvas.rect(self.left, strip_top - AUDIENCE_STRIP, width, AUDIENCE_STRIP, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor(theme.colours["heading"]))
        canvas.setFont(self.fonts.bold, AUDIENCE_LABEL_SIZE)
        canvas.drawString(self.left + 6 * mm, strip_top - AUDIENCE_STRIP + 3.8 * mm, self.audience.label)
        canvas.restoreState()
        self.draw_review_notice(canvas, strip_top - AUDIENCE_STRIP - NOTICE_GAP)

    def later_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(self.theme.colours["brand"]))
        canvas.setLineWidth(3)
        canvas.line(self.left, self.top - 1.5, self.right, self.top - 1.5)
        canvas.restoreState()
        self.draw_review_notice(canvas, self.top - NOTICE_GAP)

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
        canvas.setFont(self.fonts.regular, size)
        canvas.drawString(self.left, baseline + size * 1.35, first)
        canvas.drawString(self.left, baseline, second)
        canvas.setFont(self.fonts.bold, size)
        canvas.drawRightString(self.right, baseline, f"Page {page} of {total}")
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


def render(leaflet: Leaflet, theme: Theme, fonts: FontSet, target: Path, notice: str | None = None) -> Written:
    """Build the PDF into a temporary file beside target, then move it into place.

    notice: text for a band across the top of every page (the review-overdue notice), or None.
    """
    pages = _Pages(leaflet, theme, fonts, notice)
    width = pages.right - pages.left
    frame_bottom = pages.bottom + pages.footer_height
    first_top = pages.top - HEADER_HEIGHT - AUDIENCE_STRIP - 8 * mm - pages.notice_room
    later_top = pages.top - 6 * mm - pages.notice_room
    first = Frame(pages.left, frame_bottom, width, first_top - frame_bottom, 0, 0, 0, 0, id="first")
    later = Frame(pages.left, frame_bottom, width, later_top - frame_bottom, 0, 0, 0, 0, id="later")
    title = leaflet.title.plain()
    audience = theme.for_audience(leaflet.audience)
    subject = leaflet.subtitle.plain() or title
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".pdf.tmp", dir=target.parent)
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
        story = [NextPageTemplate("later"), *Layout(leaflet, theme, fonts, width).story()]
        doc.build(story, canvasmaker=_numbered_canvas(pages))
        page_count = doc.page
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Written(target, page_count, target.stat().st_size)
