"""Write one variant as a tagged PDF: page templates, header band, footer, metadata, atomic file write."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFPage
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from .. import __version__
from ..core.errors import LeafletError, Location
from ..core.outputs import replacing
from ..core.page import (
    BOX_TITLE_LEADING,
    CROP_MARK_LENGTH,
    CROP_MARK_OFFSET,
    CROP_MARK_WIDTH,
    FOOTER_DESCENT,
    FOOTER_LEADING,
    FOOTER_RULE_GAP,
    HEADER_INSET,
    LOGO_BOX,
    LOGO_INSET,
    LOGO_MAX_WIDTH,
    NOTICE_COLOURS,
    NOTICE_GAP,
    NOTICE_PADDING,
    PAGE_LABEL_SAMPLE,
    LayoutReport,
    footer_height,
    page_design,
    type_scale,
)
from ..core.theme import Theme
from ..core.variant import FORMAT_SPECS, Variant
from ..core.wording import SEPARATOR, footer_groups, one_line
from ..reading.fonts import FontSet
from ..reading.images import quiet_pillow
from .flowables import TaggedParagraph, draw_repeated
from .layout import Layout, paragraph_text
from .pagination import Pager
from .structure import DocumentInfo, finish, tag_page
from .tagging import StructNode, Tagger, TaggingCanvas, artifact, content

# What a file made for printing says of itself (in its Info dictionary), so that nobody emails it by mistake.
PRINT_FILE_NOTES = {
    "booklet": "Booklet for printing: A5 pages imposed two to a side of A4, in saddle-stitch order; print "
    "double-sided, flipping on the short edge, fold and staple. Not for reading on screen: use the A5 PDF.",
    "print": "Print-shop file: each page with 3 mm bleed and crop marks outside the trim box. Not for reading on "
    "screen or printing on an office printer: use the standard PDF.",
}


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int
    size: int
    layout: LayoutReport | None = None  # each page's fill and the page-break rules the layout could not keep


MAX_PIECE_LINES = 2  # a footer piece (a long title) wraps onto two lines at most, the second shortened with "…"


def pack(pieces: tuple[str, ...], width: float, fonts: FontSet, font: str, size: float) -> list[str]:
    """Join pieces with separators into as few lines as fit width; a piece too long on its own is wrapped onto
    MAX_PIECE_LINES lines, and shortened with "…" if it needs more.

    Widths are measured as the text is drawn: in font, and the fallback font where font lacks a character."""
    lines: list[str] = []
    for piece in pieces:
        joined = f"{lines[-1]}{SEPARATOR}{piece}" if lines else piece
        if lines and fonts.width(joined, font, size) <= width:
            lines[-1] = joined
        elif fonts.width(piece, font, size) <= width:
            lines.append(piece)
        else:
            wrapped = _wrap(piece, width, fonts, font, size)
            if len(wrapped) > MAX_PIECE_LINES:
                rest = " ".join(wrapped[MAX_PIECE_LINES - 1 :]) + "\u2026"  # never fits: fit() shortens it
                wrapped = [*wrapped[: MAX_PIECE_LINES - 1], fonts.fit(rest, font, size, width)]
            lines += wrapped
    return lines


def _wrap(text: str, width: float, fonts: FontSet, font: str, size: float) -> list[str]:
    """text in lines no wider than width, broken between words, and inside a word too long for a line."""
    lines: list[str] = []
    for word in text.split(" "):
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and fonts.width(joined, font, size) <= width:
            lines[-1] = joined
            continue
        while fonts.width(word, font, size) > width and len(word) > 1:
            fit = fonts.fit(word, font, size, width)[:-1] or word[0]  # the longest start that fits, without '…'
            lines.append(fit)
            word = word[len(fit) :]
        lines.append(word)
    return lines


class _Pages:
    """Draws what repeats on pages: the branded header band on page 1 and the footer on every page.

    For a tagged PDF, decoration (the band, rules, logo, page numbers) is an artifact; the organisation, the
    audience label and, once on the last page, the footer's title and review dates are real content.
    """

    def __init__(self, theme: Theme, fonts: FontSet, variant: Variant, root: StructNode) -> None:
        self.leaflet = variant.content
        self.theme = theme
        self.fonts = fonts
        self.audience = audience = variant.style
        notice = variant.notice
        self.sizes = type_scale(audience)
        paper = variant.paper
        self.page = page = page_design(theme.margins_for(paper), audience.scale, paper, variant.print_marks)
        self.left, self.right, self.top, self.bottom = page.left, page.right, page.top, page.bottom
        self.footer_size = self.sizes.footer
        self.footer_leading = self.footer_size * FOOTER_LEADING
        self.footer_text = self._footer_layout()
        # The lowest descender sits on the bottom margin.
        self.footer_baseline = self.bottom + self.footer_size * FOOTER_DESCENT
        self.footer_height = footer_height(len(self.footer_text), self.footer_size)
        # Structure elements for what the header shows once, in reading order before the content.
        self.organisation_node = root.add("P")
        self.department_node = root.add("P")
        self.audience_node = root.add("P")
        self.footer_nodes: list[StructNode] = []
        # The overdue notice is read once, before the title; on later pages it is an artifact.
        self.notice = self._notice_paragraph(notice, root.add("P")) if notice else None
        # Room the notice band takes at the top of every page's frame, so it never covers text.
        self.notice_room = self.notice_height + NOTICE_GAP if self.notice else 0.0
        self.logo = self._logo() if theme.logo else None

    def _logo(self) -> tuple[bytes, float, float]:
        """The logo as embedded, and its printed width and height: as large as fits the header band."""
        from .images import print_ready

        page = self.page
        box = page.header_height - page.scaled(LOGO_BOX)

        def printed_size(width: int, height: int) -> tuple[float, float]:
            fit = min(box / height, page.scaled(LOGO_MAX_WIDTH) / width)
            return width * fit, height * fit

        source, width, height = print_ready(self.theme.logo, printed_size, self.theme.where("logo"), "logo")
        return source.getvalue(), width, height

    def _notice_paragraph(self, text: str, node: StructNode) -> TaggedParagraph:
        from reportlab.lib.styles import ParagraphStyle

        size = self.sizes.notice
        style = ParagraphStyle(
            "review-notice",
            fontName=self.fonts.bold,
            fontSize=size,
            leading=size * BOX_TITLE_LEADING,
            textColor=colors.white,
        )
        paragraph = TaggedParagraph(paragraph_text(self.fonts, text), style, node=node)
        _, height = paragraph.wrap(self.page.text_width - 2 * NOTICE_PADDING, self.page.height)
        self.notice_height = height + 2 * NOTICE_PADDING
        return paragraph

    def draw_review_notice(self, canvas: Canvas, top: float) -> None:
        """The overdue notice: a white-on-urgent band across the page whose top edge is at top.

        render() lowers every frame by notice_room, so the band sits in space kept free for it.
        """
        if self.notice is None:
            return
        with artifact(canvas, "Pagination"):
            canvas.saveState()
            canvas.setFillColor(colors.HexColor(self.theme.colours[NOTICE_COLOURS[1]]))
            canvas.rect(
                self.left, top - self.notice_height, self.right - self.left, self.notice_height, stroke=0, fill=1
            )
            canvas.restoreState()
        draw_repeated(self.notice, canvas, self.left + NOTICE_PADDING, top - self.notice_height + NOTICE_PADDING)

    def _footer_layout(self) -> list[tuple[int, str]]:
        """(statement, text) for each footer line, top line first; the page number goes right of the last line."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        font, size, width = self.fonts.regular, self.footer_size, self.right - self.left
        lines = [
            (index, line)
            for index, group in enumerate(footer_groups(self.leaflet))
            for line in pack(group, width, self.fonts, font, size)
        ]
        page_label = stringWidth(PAGE_LABEL_SAMPLE, self.fonts.bold, size) + size
        if self.fonts.width(lines[-1][1], font, size) + page_label > width:
            lines.append((-1, ""))  # the page number on a line of its own
        return lines

    def add_footer_nodes(self, root: StructNode) -> None:
        """The footer's statements, read once at the end of the document (from the last page's footer)."""
        self.footer_nodes = [root.add("P") for _ in footer_groups(self.leaflet)]

    def header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        theme = self.theme
        page = self.page
        width = page.text_width
        top = self.top
        canvas.saveState()
        text_x = self.left + page.scaled(HEADER_INSET)
        self.crop_marks(canvas)
        with artifact(canvas, "Pagination", "Header"):
            canvas.setFillColor(colors.HexColor(theme.colours["brand"]))
            self.band(canvas, top - page.header_height, page.header_height)
            if self.logo is not None:
                from reportlab.lib.utils import ImageReader

                data, logo_w, logo_h = self.logo
                canvas.drawImage(
                    ImageReader(io.BytesIO(data)),
                    self.left + page.scaled(LOGO_INSET),
                    top - page.scaled(LOGO_INSET) - logo_h,
                    logo_w,
                    logo_h,
                    mask="auto",
                )
                text_x = self.left + page.scaled(LOGO_BOX) + logo_w
        canvas.setFillColor(colors.HexColor(theme.colours["on_brand"]))
        room = self.right - page.scaled(HEADER_INSET) - text_x
        sizes = self.sizes
        with content(canvas, self.organisation_node):
            baseline = top - page.scaled(page.paper.organisation_baseline)
            self.draw(canvas, text_x, baseline, theme.organisation, self.fonts.bold, sizes.organisation, room)
        if theme.department:
            with content(canvas, self.department_node):
                baseline = top - page.scaled(page.paper.department_baseline)
                self.draw(canvas, text_x, baseline, theme.department, self.fonts.regular, sizes.department, room)
        # The audience strip: a reader sees at once which version they hold.
        strip_top = top - page.header_height
        with artifact(canvas, "Pagination", "Header"):
            canvas.setFillColor(colors.HexColor(theme.colours["panel"]))
            self.band(canvas, strip_top - page.strip_height, page.strip_height, to_top=False)
        canvas.setFillColor(colors.HexColor(theme.colours["heading"]))
        with content(canvas, self.audience_node):
            label_y = strip_top - page.strip_height + page.scaled(page.paper.label_baseline)
            label_x = self.left + page.scaled(HEADER_INSET)
            label_room = width - page.scaled(2 * HEADER_INSET)
            self.draw(canvas, label_x, label_y, self.audience.label, self.fonts.bold, sizes.audience_label, label_room)
        canvas.restoreState()
        self.draw_review_notice(canvas, strip_top - page.strip_height - NOTICE_GAP)

    def band(self, canvas: Canvas, bottom: float, height: float, to_top: bool = True) -> None:
        """A band of colour across the page, between the margins. On a print-shop file it runs out across the
        page's edges into the bleed (and, with to_top, up through the top edge), as printers ask."""
        page = self.page
        if page.trim is None:
            canvas.rect(self.left, bottom, page.text_width, height, stroke=0, fill=1)
            return
        trim, bleed = page.trim, page.bleed
        top = trim.y + trim.height + bleed if to_top else bottom + height
        canvas.rect(trim.x - bleed, bottom, trim.width + 2 * bleed, top - bottom, stroke=0, fill=1)

    def crop_marks(self, canvas: Canvas) -> None:
        """Crop marks at the four corners of a print-shop file's page, outside the bleed: where to cut."""
        trim = self.page.trim
        if trim is None:
            return
        x0, y0, x1, y1 = trim.corners()
        near, far = CROP_MARK_OFFSET, CROP_MARK_OFFSET + CROP_MARK_LENGTH
        with artifact(canvas, "Pagination"):
            canvas.saveState()
            canvas.setStrokeColor(colors.black)
            canvas.setLineWidth(CROP_MARK_WIDTH)
            for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
                canvas.line(x + sx * near, y, x + sx * far, y)  # in line with the edge that runs across
                canvas.line(x, y + sy * near, x, y + sy * far)
            canvas.restoreState()

    def draw(self, canvas: Canvas, x: float, y: float, text: str, font: str, size: float, room: float) -> None:
        """Draw one line, shortened to fit room, using the fallback font for characters font lacks."""
        for name, chunk in self.fonts.runs(self.fonts.fit(one_line(text), font, size, room), font):
            canvas.setFont(name, size)
            canvas.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, name, size)

    def later_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        """A rule in the brand colour across the top margin; on a leaflet past its review date, the notice band
        in its place (page.frames keeps the same room free)."""
        self.crop_marks(canvas)
        if self.notice is not None:
            self.draw_review_notice(canvas, self.top)
            return
        with artifact(canvas, "Pagination", "Header"):
            canvas.saveState()
            canvas.setStrokeColor(colors.HexColor(self.theme.colours["brand"]))
            canvas.setLineWidth(3)
            canvas.line(self.left, self.top - 1.5, self.right, self.top - 1.5)
            canvas.restoreState()

    def footer(self, canvas: Canvas, page: int, total: int) -> None:
        size = self.footer_size
        leading = self.footer_leading
        baseline = self.footer_baseline
        count = len(self.footer_text)
        canvas.saveState()
        with artifact(canvas, "Pagination", "Footer"):
            canvas.setStrokeColor(colors.HexColor(self.theme.colours["brand"]))
            canvas.setLineWidth(1)
            line_y = baseline + leading * (count - 1) + size + FOOTER_RULE_GAP
            canvas.line(self.left, line_y, self.right, line_y)
        canvas.setFillColor(colors.HexColor(self.theme.colours["text"]))
        canvas.setFont(self.fonts.regular, size)
        for index, (group, text) in enumerate(self.footer_text):
            if not text:
                continue
            # Real content once, on the last page, so the review dates reach screen readers; artifacts elsewhere.
            node = self.footer_nodes[group] if page == total and self.footer_nodes else None
            with content(canvas, node) if node else artifact(canvas, "Pagination", "Footer"):
                y = baseline + leading * (count - 1 - index)
                self.draw(canvas, self.left, y, text, self.fonts.regular, size, self.right - self.left)
        with artifact(canvas, "Pagination", "Footer"):
            canvas.setFont(self.fonts.bold, size)
            canvas.drawRightString(self.right, baseline, f"Page {page} of {total}")
        canvas.restoreState()


def device_cmyk(colour: Any) -> colors.CMYKColor:
    """A colour as device CMYK, for a print shop that asks for it: converted by the usual formula, without a colour
    profile (pictures are not converted: docs/printing.md)."""
    found = colors.toColor(colour)
    if isinstance(found, colors.CMYKColor):
        return found
    cyan, magenta, yellow, black = colors.rgb2cmyk(found.red, found.green, found.blue)
    return colors.CMYKColor(cyan, magenta, yellow, black, alpha=found.alpha)


def _numbered_canvas(pages: _Pages, tags: Tagger, info: DocumentInfo) -> type[TaggingCanvas]:
    """A canvas that holds pages back until the end, so each footer can say 'Page X of Y', then tags the PDF."""

    class NumberedCanvas(TaggingCanvas):
        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("pdfVersion", (1, 7))  # tagged PDF (PDF/UA-1 builds on PDF 1.7)
            if pages.page.trim is not None and pages.theme.print_colour == "cmyk":
                kwargs["enforceColorSpace"] = device_cmyk  # every colour set on the canvas goes through it
            super().__init__(*args, **kwargs)
            self.held: list[dict] = []
            self.tagger = tags
            trim = pages.page.trim
            if trim is not None:  # a print-shop file: where to cut, and how far backgrounds run on
                self.setTrimBox(trim.corners())
                self.setBleedBox(trim.grown(pages.page.bleed).corners())

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self.held.append(self.hold_page())

        def annotation_added(self, annotation: Any) -> PDFDictionary:
            if not isinstance(annotation, PDFDictionary):
                annotation = annotation.Dict()  # a plain dictionary, so the tagging can add entries to it
            tags.annotation(self.getPageNumber(), annotation)
            return annotation

        def page_written(self, page: PDFPage) -> None:
            tag_page(page, self.getPageNumber() - 1)

        def save(self) -> None:
            total = len(self.held)
            for number, state in enumerate(self.held, start=1):
                self.restore_page(state, number)
                pages.footer(self, number, total)
                super().showPage()
            finish(self.document, tags, total, info)
            super().save()

    return NumberedCanvas


def render(
    variant: Variant,
    theme: Theme,
    fonts: FontSet,
    target: Path,
    made: Made | None = None,
) -> Written:
    """Build the tagged PDF into a temporary file beside target (or write made, the PDF already made in memory),
    then move it into place (unless target already holds the same bytes).

    A leaflet past its review date (variant.notice) says so in a band across the top of every page.
    """
    with replacing(target) as temporary:
        if made is not None:
            Path(temporary).write_bytes(made.data)
            page_count, report = made.pages, made.layout
        elif variant.format == "booklet":
            page_count, report = _build_booklet(variant, theme, fonts, Path(temporary))
        else:
            page_count, report = _build(variant, theme, fonts, temporary)
    return Written(target, page_count, target.stat().st_size, report)


@dataclass(frozen=True)
class Made:
    """A PDF made in memory, to be written once its layout has been looked at (--strict)."""

    data: bytes
    pages: int
    layout: LayoutReport


def make(variant: Variant, theme: Theme, fonts: FontSet) -> Made:
    """The PDF render() would write, made in memory."""
    buffer = io.BytesIO()
    if variant.format == "booklet":
        pages, report = _build_booklet(variant, theme, fonts, buffer)
    else:
        pages, report = _build(variant, theme, fonts, buffer)
    return Made(buffer.getvalue(), pages, report)


def _build_booklet(
    variant: Variant, theme: Theme, fonts: FontSet, destination: Path | BinaryIO
) -> tuple[int, LayoutReport]:
    """The A5 reading copy, padded to a multiple of 4 pages, imposed two up on A4 sheets: its sides, and the
    reading copy's layout report."""
    from io import BytesIO

    from pypdf import PdfReader

    from .imposition import impose_booklet

    reading = BytesIO()
    pages, report = _build(variant, theme, fonts, reading)
    metadata = PdfReader(BytesIO(reading.getvalue())).metadata  # its title, dates, owner, version, /PrintFile
    info: dict[str, str] = {key: str(value) for key, value in (metadata or {}).items()}
    imposed = impose_booklet(reading.getvalue(), info)
    if isinstance(destination, Path):
        destination.write_bytes(imposed)
    else:
        destination.write(imposed)
    return pages // 2, report  # two pages of the reading copy (padded to a multiple of 4) to a side


def lay_out(variant: Variant, theme: Theme, fonts: FontSet) -> LayoutReport:
    """The page layout of a variant, as render() makes it, without writing a file (for `leaflet check`)."""
    import io

    return _build(variant, theme, fonts, io.BytesIO())[1]


def _build(variant: Variant, theme: Theme, fonts: FontSet, destination: str | BinaryIO) -> tuple[int, LayoutReport]:
    """Lay out, tag and write the PDF to destination; its page count and layout report."""
    where: list[Location] = []  # where the content being placed when the layout failed is written
    try:
        return _write(variant, theme, fonts, destination, where)
    except LayoutError:
        # A last resort: the layout is built so that this does not happen, but if it does, say where.
        version = f"{variant.audience}{FORMAT_SPECS[variant.format].suffix.replace('-', ' ')}"
        raise LeafletError.single(
            f"part of the {version} version is too large to fit on a page",
            where[-1] if where else Location(variant.content.source),
            hint="look for a very long heading, a large image or long unbroken text here, and shorten it",
        ) from None


def _write(
    variant: Variant, theme: Theme, fonts: FontSet, destination: str | BinaryIO, where: list[Location]
) -> tuple[int, LayoutReport]:
    leaflet = variant.content
    audience = variant.style
    root = StructNode("Document")
    pages = _Pages(theme, fonts, variant, root)
    page = pages.page
    width = page.text_width
    first_box, later_box = page.frames(pages.footer_height, pages.notice_room)
    first = Frame(*first_box, 0, 0, 0, 0, id="first")
    later = Frame(*later_box, 0, 0, 0, 0, id="later")
    title = one_line(leaflet.title.plain())
    subject = one_line(f"{leaflet.subtitle.plain() or title} ({audience.label})")
    info = DocumentInfo(
        title=title,
        author=one_line(theme.organisation),
        subject=subject,
        keywords=leaflet.keywords,
        language=leaflet.language,
        creator=f"leaflet {__version__}",
        producer=f"leaflet {__version__} (ReportLab)",
        owner=leaflet.review.owner,
        version=leaflet.review.version,
        print_file=PRINT_FILE_NOTES.get(variant.format, ""),
    )
    shortest = min(first_box.height, later_box.height)
    layout = Layout(variant, theme, fonts, width, root, shortest, later_box.height)
    report = LayoutReport([], [])
    story = [NextPageTemplate("later"), Pager(layout.story(), report, layout.filler_page, variant.pad_to)]
    pages.add_footer_nodes(root)
    tags = Tagger(root)
    doc = _Document(
        where,
        destination,
        pagesize=(page.width, page.height),
        pageTemplates=[
            PageTemplate("first", [first], onPage=pages.header),
            PageTemplate("later", [later], onPage=pages.later_header),
        ],
        title=title,
        author=info.author,
        subject=subject,
        keywords=list(leaflet.keywords),
        creator=info.creator,
        producer=info.producer,
        lang=leaflet.language,
        displayDocTitle=True,
        initialFontName=fonts.regular,
        leftMargin=pages.left,
        rightMargin=page.width - pages.right,
        topMargin=page.height - pages.top,
        bottomMargin=pages.bottom,
    )
    with _binary_streams(), quiet_pillow():  # ReportLab opens the images with Pillow again as it draws them
        doc.build(story, canvasmaker=_numbered_canvas(pages, tags, info))
    return doc.page, report


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Streams (pages, fonts, images) compressed but not also ASCII85-encoded, as ReportLab does by default: the
    PDF is about a tenth smaller, and faster to write. (ReportLab reads the setting as it makes each stream.)"""
    from reportlab import rl_config

    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


class _Document(BaseDocTemplate):
    """A document that notes where the content it is placing is written (in where), for a layout failure's
    message."""

    def __init__(self, where: list[Location], *args: Any, **kwargs: Any) -> None:
        self.where = where
        super().__init__(*args, **kwargs)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        # The next thing to place is the first of the list: a page's share of the story (pagination.Stack),
        # the rest of it (Pager), or one flowable; the first of their children that says where it is written.
        item: Flowable | None = flowables[0] if flowables else None
        while item is not None and getattr(item, "location", None) is None:
            children = getattr(item, "children", None)
            item = children[0] if children else None
        if item is not None:
            self.where.append(item.location)
        super().handle_flowable(flowables)
