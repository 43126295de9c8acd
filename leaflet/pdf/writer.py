"""Write one variant as a tagged A4 PDF: page templates, header band, footer, metadata, atomic file write."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFPage
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from .. import __version__
from ..core.dates import long_date, month_year
from ..core.errors import LeafletError, Location
from ..core.model import Leaflet
from ..core.page import (
    BOX_TITLE_LEADING,
    DEPARTMENT_BASELINE,
    FOOTER_DESCENT,
    FOOTER_LEADING,
    FOOTER_RULE_GAP,
    HEADER_INSET,
    LABEL_BASELINE,
    LOGO_BOX,
    LOGO_INSET,
    LOGO_MAX_WIDTH,
    NOTICE_COLOURS,
    NOTICE_GAP,
    NOTICE_PADDING,
    ORGANISATION_BASELINE,
    PAGE_LABEL_SAMPLE,
    footer_height,
    page_design,
    type_scale,
)
from ..core.theme import AudienceStyle, Theme
from ..core.variant import Variant
from ..reading.fonts import FontSet
from ..reading.images import quiet_pillow
from .flowables import TaggedParagraph, draw_repeated
from .layout import Layout, paragraph_text
from .structure import DocumentInfo, finish, tag_page
from .tagging import StructNode, Tagger, TaggingCanvas, artifact, content

SEPARATOR = " \u00b7 "


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int
    size: int


def one_line(text: str) -> str:
    """text for a single line drawn on the page: every run of spaces, tabs and line breaks (which no font
    draws) becomes one space."""
    return " ".join(text.split())


def footer_groups(leaflet: Leaflet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The footer's two statements, each as pieces that may go on separate lines when space is short."""
    review = leaflet.review
    first = (one_line(leaflet.title.plain()), f"Ref {leaflet.id}", one_line(f"Version {review.version}"))
    second = (f"Last reviewed {long_date(review.last_reviewed)}", f"Next review {month_year(review.next_review)}")
    return first, second


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

    def __init__(
        self,
        leaflet: Leaflet,
        theme: Theme,
        fonts: FontSet,
        audience: AudienceStyle,
        root: StructNode,
        notice: str | None,
    ) -> None:
        self.leaflet = leaflet
        self.theme = theme
        self.fonts = fonts
        self.audience = audience
        self.sizes = type_scale(audience)
        self.page = page = page_design(theme.margins_mm, audience.scale)
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
        with artifact(canvas, "Pagination", "Header"):
            canvas.setFillColor(colors.HexColor(theme.colours["brand"]))
            canvas.rect(self.left, top - page.header_height, width, page.header_height, stroke=0, fill=1)
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
            baseline = top - page.scaled(ORGANISATION_BASELINE)
            self.draw(canvas, text_x, baseline, theme.organisation, self.fonts.bold, sizes.organisation, room)
        if theme.department:
            with content(canvas, self.department_node):
                baseline = top - page.scaled(DEPARTMENT_BASELINE)
                self.draw(canvas, text_x, baseline, theme.department, self.fonts.regular, sizes.department, room)
        # The audience strip: a reader sees at once which version they hold.
        strip_top = top - page.header_height
        with artifact(canvas, "Pagination", "Header"):
            canvas.setFillColor(colors.HexColor(theme.colours["panel"]))
            canvas.rect(self.left, strip_top - page.strip_height, width, page.strip_height, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor(theme.colours["heading"]))
        with content(canvas, self.audience_node):
            label_y = strip_top - page.strip_height + page.scaled(LABEL_BASELINE)
            label_x = self.left + page.scaled(HEADER_INSET)
            label_room = width - page.scaled(2 * HEADER_INSET)
            self.draw(canvas, label_x, label_y, self.audience.label, self.fonts.bold, sizes.audience_label, label_room)
        canvas.restoreState()
        self.draw_review_notice(canvas, strip_top - page.strip_height - NOTICE_GAP)

    def draw(self, canvas: Canvas, x: float, y: float, text: str, font: str, size: float, room: float) -> None:
        """Draw one line, shortened to fit room, using the fallback font for characters font lacks."""
        for name, chunk in self.fonts.runs(self.fonts.fit(one_line(text), font, size, room), font):
            canvas.setFont(name, size)
            canvas.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, name, size)

    def later_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        with artifact(canvas, "Pagination", "Header"):
            canvas.saveState()
            canvas.setStrokeColor(colors.HexColor(self.theme.colours["brand"]))
            canvas.setLineWidth(3)
            canvas.line(self.left, self.top - 1.5, self.right, self.top - 1.5)
            canvas.restoreState()
        self.draw_review_notice(canvas, self.top - NOTICE_GAP)

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


def _numbered_canvas(pages: _Pages, tags: Tagger, info: DocumentInfo) -> type[TaggingCanvas]:
    """A canvas that holds pages back until the end, so each footer can say 'Page X of Y', then tags the PDF."""

    class NumberedCanvas(TaggingCanvas):
        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("pdfVersion", (1, 7))  # tagged PDF (PDF/UA-1 builds on PDF 1.7)
            super().__init__(*args, **kwargs)
            self.held: list[dict] = []
            self.tagger = tags

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
                self.restore_page(state)
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
) -> Written:
    """Build the tagged PDF into a temporary file beside target, then move it into place.

    A leaflet past its review date (variant.notice) says so in a band across the top of every page.
    """
    leaflet = variant.content
    audience = variant.style
    root = StructNode("Document")
    pages = _Pages(leaflet, theme, fonts, audience, root, variant.notice)
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
    )
    temporary = ""
    handle = -1
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(target.parent)
            handle, temporary = _temporary_file(target)
        except OSError as exc:
            raise _cannot_write(target, exc) from None
        doc: _Document | None = None
        try:
            shortest = min(first_box.height, later_box.height)
            story = [NextPageTemplate("later"), *Layout(variant, theme, fonts, width, root, shortest).story()]
            pages.add_footer_nodes(root)
            tags = Tagger(root)
            doc = _Document(
                temporary,
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
            with quiet_pillow():  # ReportLab opens the images with Pillow again as it draws them
                doc.build(story, canvasmaker=_numbered_canvas(pages, tags, info))
        except LayoutError:
            # A last resort: the layout is built so that this does not happen, but if it does, say where.
            raise LeafletError.single(
                f"part of the {variant.audience}{' large-print' if variant.large_print else ''} version is too large "
                "to fit on a page",
                (doc.where if doc is not None else None) or Location(leaflet.source),
                hint="look for a very long heading, a large image or long unbroken text here, and shorten it",
            ) from None
        page_count = doc.page
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    finally:
        if handle >= 0:
            os.close(handle)  # releases the lock that tells other builds this file is in use
        if temporary:
            Path(temporary).unlink(missing_ok=True)  # gone already when the PDF was moved into place
    return Written(target, page_count, target.stat().st_size)


class _Document(BaseDocTemplate):
    """A document that remembers where the content it is placing is written, for a layout failure's message."""

    where: Location | None = None

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        # Pieces a flowable splits into come first in the list, and carry no location of their own.
        if flowables and getattr(flowables[0], "source", None) is not None:
            self.where = flowables[0].source
        super().handle_flowable(flowables)


# Temporary files: '.<name>-<8 random characters>.pdf.tmp' beside the PDF. A build holds a lock on its own
# for as long as it writes it, so a later build can tell the file of a killed build (no lock) from one being
# written now, and remove only the first. A name is cut short so the temporary one is never too long.
_TEMPORARY = re.compile(r"\.[a-z0-9-]{1,100}-[a-z0-9_]{8}\.pdf\.tmp")
_STARTED = time.time()
_cleaned: set[str] = set()


def _temporary_file(target: Path) -> tuple[int, str]:
    """A new temporary file beside target, locked; (open descriptor, path)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem[:100]}-", suffix=".pdf.tmp", dir=target.parent)
    try:
        _lock(handle, wait=True)
    except BaseException:
        os.close(handle)
        Path(temporary).unlink(missing_ok=True)
        raise
    return handle, temporary


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Remove the temporary files that builds killed before they could clean up left in folder (once per
    process and folder); return their names. A file is stale when no build holds its lock and it is older
    than this process, so the file of a build running now is never touched."""
    key = os.path.abspath(folder)
    if key in _cleaned:
        return []
    _cleaned.add(key)
    removed = []
    try:
        names = [entry.name for entry in os.scandir(folder) if _TEMPORARY.fullmatch(entry.name)]
    except OSError:
        return []
    for name in names:
        path = os.path.join(folder, name)
        try:
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            info = os.fstat(handle)
            stale = stat.S_ISREG(info.st_mode) and info.st_mtime < _STARTED
            if stale and _lock(handle, wait=False) and os.path.samestat(info, os.lstat(path)):
                os.unlink(path)
                removed.append(name)
        except OSError:
            pass
        finally:
            os.close(handle)
    return removed


def _lock(handle: int, wait: bool) -> bool:
    """Lock the open file exclusively; False if another process holds it (and wait is False)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, so a stale file is never taken for a free one
        return wait
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def _cannot_write(target: Path, exc: OSError) -> LeafletError:
    reason = exc.strerror or str(exc)
    hint = "check that the output folder can be written to, or choose another with --out"
    if exc.errno == errno.ENAMETOOLONG:
        hint = "the path is too long for this system: choose a shorter --out"
    elif exc.errno == errno.ENOSPC:
        hint = "free some space on the disk, or choose another with --out"
    return LeafletError.single(f"cannot write {target.name} ({reason})", Location(str(target.parent)), hint=hint)
