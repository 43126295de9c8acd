"""Custom ReportLab flowables the layout needs: tagged paragraphs, headings, lists, boxes, pictures, a QR block.

Each one that can run across a page break says where a page may end inside it (rows, see pagination.py) and how
to split there (split_rows); each carries the page-break rules it follows with its neighbours (Placed).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, partial
from typing import NamedTuple

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph

from ..core.errors import Location
from ..core.page import BOX_BAR, BOX_PADDING, CAPTION_KEPT_LINES, KEEP_LINES, PICTURE_GAP
from ..reading.qr import qr_matrix
from .pagination import TALL, Known, Row, Stack, Stacked, kept, known_rest, line_rows, split_stack, stack_rest
from .reportlab_internals import has_lines, whole_paragraph_link
from .tagging import StructNode, TaggedText, artifact, content, first_drawing, tagger


class Placed:
    """What the page layout reads on a flowable: the rules it follows with its neighbours, and, for the layout
    check, where its content is written and how to name it. Class defaults; the layout sets them per flowable."""

    keep_with_next = 0  # rows of what follows that must be on the same page (headings: KEEP_LINES)
    keep_with_first_item = False  # an introduction ending in ":": keep the first item of the list after it
    keep_with_previous = 0  # rows before it that must be on the same page (pictures: KEEP_LINES)
    keep_together = False  # never split (keep_together: true in the content)
    rows_at: tuple[float, list[Row]] | None = None  # its rows at a width, once measured (pagination.rows_of)
    page_break_before = False  # page_break: before in the content
    location: Location | None = None
    what = ""  # how the layout check names it: 'heading "Contact us"'


class TaggedParagraph(Placed, Paragraph):
    """A paragraph whose text is real content of one structure element, even when it splits across pages.

    links holds a description of each <a href> in the markup, in order; it becomes the /Contents of the link's
    annotations.
    """

    breakable = True  # a page may end inside it (with two lines or more on either side)

    def __init__(
        self,
        text,
        style=None,
        bulletText=None,  # noqa: N803 - ReportLab's name; split() passes it by keyword
        frags=None,
        caseSensitive=1,  # noqa: N803
        encoding="utf8",
        *,
        node: StructNode | None = None,
        links: tuple[str, ...] = (),
    ) -> None:
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self.node = node
        self.links = links
        self.link_nodes: dict[int, StructNode] = {}
        self.wrapped_width: float | None = None
        # The text as written, without markup (what the tags must say); read now: breaking lines empties frags.
        self.written = "".join(getattr(frag, "text", "") for frag in self.frags)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # The lines depend on the width alone: the page layout and the drawing ask again with the same one.
        if self.wrapped_width == available_width and has_lines(self):
            return self.width, self.height
        size = super().wrap(available_width, available_height)
        self.wrapped_width = available_width
        return size

    def rows(self, width: float) -> list[Row]:
        _, height = self.wrap(width, TALL)
        leading = self.style.leading
        return line_rows(round(height / leading), leading, self.breakable)

    def split_rows(self, width: float, count: int) -> tuple[Flowable, Flowable]:
        self.wrap(width, TALL)
        first, rest = self.split(width, count * self.style.leading + 1e-6)
        return first, rest

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        pieces = super().split(available_width, available_height)
        for piece in pieces:
            if piece is not self:
                # Every piece adds to the same elements, so the paragraph stays one element.
                piece.node, piece.links, piece.link_nodes = self.node, self.links, self.link_nodes
        return pieces

    def link_node(self, link: tuple[int, str]) -> StructNode:
        number, href = link
        node = self.link_nodes.get(number)
        if node is None:
            description = self.links[number] if number < len(self.links) else href
            node = self.link_nodes[number] = StructNode("Link", description=description)
        return node

    def whole_link(self) -> tuple[int, str] | None:
        """The link when the whole paragraph is one link (ReportLab then draws it as one plain fragment)."""
        link = whole_paragraph_link(self)
        if link is not None and self.node is not None:
            self.node.attach(self.link_node(link))
        return link

    def draw(self) -> None:
        if tagger(self.canv) is None or self.node is None:
            super().draw()
            return
        # Underlines and state changes are decoration; TaggedText marks the text itself as content.
        with artifact(self.canv):
            super().draw()

    def beginText(self, x: float, y: float):  # noqa: N802 - ReportLab's name
        tags = tagger(self.canv)
        if tags is None or self.node is None:
            return super().beginText(x, y)
        return TaggedText(self.canv, x, y, tags, self)


class ContinuedTitle(TaggedParagraph):
    """A box's title repeated, with "(continued)", where the box goes on from the page before. It is drawn as
    decoration: the box stays one element, its title read once."""

    keep_with_next = KEEP_LINES
    breakable = False

    def draw(self) -> None:
        with artifact(self.canv):
            super().draw()


def draw_repeated(paragraph: TaggedParagraph, canvas, x: float, y: float, kind: str = "Pagination") -> None:
    """Draw a paragraph that repeats on every page (such as a review-date notice).

    It is real content of paragraph.node on the first page it is drawn on, and an artifact on every later page,
    so a screen reader reads it once, where node sits in the reading order.
    """
    node = paragraph.node
    if node is None or tagger(canvas) is None or first_drawing(canvas, node):
        paragraph.drawOn(canvas, x, y)
        return
    paragraph.node = None  # drawn untagged, inside an artifact
    try:
        with artifact(canvas, kind):
            paragraph.drawOn(canvas, x, y)
    finally:
        paragraph.node = node


class Heading(TaggedParagraph):
    """A heading that adds itself to the PDF outline (bookmarks) where it is drawn, and keeps two lines of what
    follows on its page."""

    keep_with_next = KEEP_LINES
    breakable = False

    def __init__(self, *args, outline_title: str = "", outline_level: int | None = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outline_title = outline_title
        self.outline_level = outline_level  # None: not in the outline

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # A heading too long for a page: only its first piece goes in the outline, and only its last is kept
        # with what follows.
        pieces = super().split(available_width, available_height)
        for index, piece in enumerate(pieces):
            if piece is not self:
                piece.outline_title = self.outline_title
                piece.outline_level = self.outline_level if index == 0 else None
                piece.keep_with_next = self.keep_with_next if index == len(pieces) - 1 else 0
                piece.breakable = self.breakable
        return pieces

    def draw(self) -> None:
        super().draw()
        if self.outline_level is not None:
            # Every heading gets an entry, even an empty one: the outline may not skip a level.
            # Named by where it is drawn: unique in the document and the same on every build. (A name from id()
            # was reused once an earlier heading was freed, and moved that heading's bookmark: a PDF's outline
            # then changed from one build to the next.)
            x, y = self.canv.absolutePosition(0, self.height)
            key = f"h{self.canv.getPageNumber()}-{x:.2f}-{y:.2f}"
            self.canv.bookmarkHorizontal(key, 0, self.height)
            title = self.outline_title.strip() or "(no heading text)"
            self.canv.addOutlineEntry(title, key, level=self.outline_level, closed=False)


class Label(NamedTuple):
    """How a list's numbers or bullets are drawn."""

    font: str
    size: float
    colour: Color


class ListEntry(Placed, Flowable):
    """One list item's own text, indented, with its number or bullet (the item's Lbl element) in the margin.

    Nested items are entries of their own, further indented: a list is a flat run of entries, so that a page may
    end between any two of them.
    """

    def __init__(
        self,
        paragraph: TaggedParagraph,
        indent: float,
        label: str,
        label_x: float,
        label_style: Label,
        label_node: StructNode | None,
        space_after: float,
    ) -> None:
        super().__init__()
        self.paragraph = paragraph
        self.indent = indent
        self.label = label  # "" on the second part of an item split across pages
        self.label_x = label_x
        self.label_style = label_style
        self.label_node = label_node
        self.spaceAfter = space_after

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, self.height = self.paragraph.wrap(available_width - self.indent, available_height)
        self.width = available_width
        return self.width, self.height

    def rows(self, width: float) -> list[Row]:
        return self.paragraph.rows(width - self.indent)

    def split_rows(self, width: float, count: int) -> tuple[Flowable, Flowable]:
        first, rest = self.paragraph.split_rows(width - self.indent, count)
        return self._with(first, self.label), self._with(rest, "")

    def _with(self, paragraph: Flowable, label: str) -> ListEntry:
        assert isinstance(paragraph, TaggedParagraph)
        entry = ListEntry(
            paragraph, self.indent, label, self.label_x, self.label_style, self.label_node, self.spaceAfter
        )
        entry.keep_with_next = self.keep_with_next if not label else 0
        return entry

    def draw(self) -> None:
        canvas = self.canv
        if self.label:
            font, size, colour = self.label_style
            with content(canvas, self.label_node) if self.label_node is not None else artifact(canvas):
                canvas.saveState()
                canvas.setFont(font, size)
                canvas.setFillColor(colour)
                # On the first line's baseline: both are set in the paragraph's type size.
                canvas.drawString(self.label_x, self.height - self.paragraph.style.fontSize, self.label)
                canvas.restoreState()
        self.paragraph.drawOn(canvas, self.indent, 0)


class ItemList(Placed, Flowable):
    """A list: its entries one above the other. A page may end between entries, or inside one, but keeps two
    lines of the list at each end and an item with the start of its sub-items."""

    def __init__(self, entries: Sequence[ListEntry], space_after: float, known: Known | None = None) -> None:
        super().__init__()
        self.entries = list(entries)
        self.spaceAfter = space_after
        self._stack = Stack(self.entries)
        self._rows: tuple[float, list[Row], Stacked] | None = None
        self._known = known  # the rows of entries measured for the page before

    def _stacked(self, width: float) -> tuple[float, list[Row], Stacked]:
        if self._rows is None or self._rows[0] != width:
            stacked = stack_rest(self.entries, width, self._known)
            rows = kept(stacked.rows, 0, KEEP_LINES - 1)  # not a single line of the list at a page's foot
            rows = kept(rows, len(rows) - KEEP_LINES, len(rows) - 1)  # nor alone at the top of the next
            self._rows = (width, rows, stacked)
        return self._rows

    def rows(self, width: float) -> list[Row]:
        return self._stacked(width)[1]

    def first_item_rows(self, width: float) -> int:
        _, _, stacked = self._stacked(width)
        first = stacked.owners.count(0)
        return first + (1 if self.entries[0].keep_with_next and first < len(stacked.owners) else 0)

    def split_rows(self, width: float, count: int) -> tuple[Flowable, Flowable]:
        _, _, stacked = self._stacked(width)
        head, tail = split_stack(self.entries, width, stacked, count)
        return self._with(head), self._with(tail, known_rest(width, stacked, count))

    def _with(self, entries: list[Flowable], known: Known | None = None) -> ItemList:
        part = ItemList([e for e in entries if isinstance(e, ListEntry)], self.spaceAfter, known)
        part.location, part.what = self.location, self.what
        return part

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self._stack.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        self._stack.drawOn(self.canv, 0, 0)


def box_on_page(canvas, width: float, height: float) -> tuple[float, float, float, float]:
    """Where a width x height box drawn at the current origin lies on the page (for a Figure's /BBox)."""
    x0, y0 = canvas.absolutePosition(0, 0)
    x1, y1 = canvas.absolutePosition(width, height)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


class Figure(Flowable):
    """An image file drawn as the content of a Figure element (which carries the alt text and, once drawn, the
    box it is drawn in). It is embedded at the size it is finally drawn (pdf/images.py: 300 dpi at most)."""

    def __init__(
        self, path: str, width: float, height: float, node: StructNode | None = None, where: Location | None = None
    ) -> None:
        super().__init__()
        self.path = path
        self.where = where  # the image's line in the content, for the error if the file changed during the build
        self.drawWidth = width
        self.drawHeight = height
        self.node = node

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Shrink, keeping the shape, when the space is narrower than the image (as inside a box).
        if self.drawWidth > available_width > 0:
            self.drawHeight *= available_width / self.drawWidth
            self.drawWidth = available_width
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        from reportlab.lib.utils import ImageReader

        from .images import print_ready

        source, _, _ = print_ready(self.path, lambda *_: (self.drawWidth, self.drawHeight), self.where)
        with content(self.canv, self.node):
            self.canv.drawImage(ImageReader(source), 0, 0, self.drawWidth, self.drawHeight, mask="auto")
        if self.node is not None:
            self.node.bbox = box_on_page(self.canv, self.drawWidth, self.drawHeight)


class FigureBlock(Placed, Flowable):
    """A picture and its caption, never parted, kept with the text before it. Where it does not quite fit below
    that text, the page layout may scale it down to min_scale of its size rather than move it on (shrunk)."""

    keep_with_previous = KEEP_LINES

    def __init__(self, picture: Figure, caption: TaggedParagraph | None, min_scale: float, space_after: float):
        super().__init__()
        self.picture = picture
        self.caption = caption
        self.smallest = picture.drawHeight * min_scale
        self.spaceAfter = space_after

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, picture = self.picture.wrap(available_width, available_height)
        self.caption_height = self.caption.wrap(available_width, TALL)[1] + PICTURE_GAP if self.caption else 0.0
        self.width, self.height = available_width, picture + self.caption_height
        return self.width, self.height

    def rows(self, width: float) -> list[Row]:
        _, height = self.wrap(width, TALL)
        shrink = max(self.picture.drawHeight - self.smallest, 0.0)
        caption = self.caption.rows(width) if self.caption is not None else []
        if len(caption) <= CAPTION_KEPT_LINES:
            return [Row(height, shrink=shrink)]
        # A caption as long as a page of text may go on to the next page, after two lines or more beside the
        # picture: kept whole, it could not be placed at all.
        return [Row(self.picture.drawHeight + PICTURE_GAP, keep=True, shrink=shrink), *caption]

    def split_rows(self, width: float, count: int) -> tuple[Flowable, Flowable]:
        assert self.caption is not None  # only a long caption is split (rows above)
        if count > 1:
            head, tail = self.caption.split_rows(width, count - 1)
            assert isinstance(head, TaggedParagraph)
        else:  # a page with no better place to end: the picture on it, all its caption on the next
            head, tail = None, self.caption
        first = FigureBlock(self.picture, head, 1.0, 0.0)
        first.smallest, first.location, first.what = self.smallest, self.location, self.what
        tail.spaceAfter = self.spaceAfter
        return first, tail

    def shrunk(self, amount: float) -> FigureBlock:
        """This picture, scaled down so that the block is amount points shorter (never below the smallest)."""
        factor = max(self.picture.drawHeight - amount, self.smallest) / self.picture.drawHeight
        self.picture.drawWidth *= factor
        self.picture.drawHeight *= factor
        self.rows_at = None  # its rows are measured again
        return self

    def draw(self) -> None:
        self.picture.drawOn(self.canv, 0, self.caption_height)
        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, 0)


@lru_cache(maxsize=4096)  # a long box has thousands of rows, nearly all alike, and is laid out again on every page
def _inside(padding: float, row: Row) -> Row:
    """A row inside a box: a page that ends after it closes the box with its bottom padding; pictures inside keep
    their size."""
    return row._replace(closing=row.closing + padding, shrink=0.0)


class Panel(Placed, Flowable):
    """A tinted box with a coloured bar on its left that holds other flowables.

    A box shorter than keep_whole_below is never split; a longer one may be, and its part on the next page opens
    with continued_title (its title with "(continued)") when its title was on the page before.
    """

    def __init__(
        self,
        content: Sequence[Flowable],
        background: Color,
        bar: Color,
        *,
        title: Flowable | None = None,
        continued_title: Flowable | None = None,
        keep_whole_below: float = 0.0,
        padding: float = BOX_PADDING,
        bar_width: float = BOX_BAR,
    ) -> None:
        super().__init__()
        self.content = list(content)
        self.background = background
        self.bar = bar
        self.title = title
        self.continued_title = continued_title
        self.keep_whole_below = keep_whole_below
        self.padding = padding
        self.bar_width = bar_width
        self._stack = Stack(self.content)
        self._rows: tuple[float, list[Row], Stacked] | None = None
        self.known: Known | None = None  # the rows of content measured for the page before

    def _inner_width(self, available_width: float) -> float:
        return available_width - 2 * self.padding - self.bar_width

    def _stacked(self, width: float) -> tuple[float, list[Row], Stacked]:
        if self._rows is None or self._rows[0] != width:
            padding = self.padding
            stacked = stack_rest(self.content, self._inner_width(width), self.known, prepare=partial(_inside, padding))
            rows = list(stacked.rows)
            rows[0] = rows[0]._replace(height=rows[0].height + padding)
            rows[-1] = rows[-1]._replace(height=rows[-1].height + padding, closing=rows[-1].closing - padding)
            if self.keep_whole_below and sum(row.height + row.space for row in rows[1:]) + rows[0].height < (
                self.keep_whole_below
            ):
                rows = kept(rows, 0, len(rows) - 1)
            elif len(rows) > 1:
                rows = kept(rows, len(rows) - 2, len(rows) - 1)  # never one lone line on the next page
            self._rows = (width, rows, stacked)
        return self._rows

    def rows(self, width: float) -> list[Row]:
        return self._stacked(width)[1]

    def split_rows(self, width: float, count: int) -> tuple[Flowable, Flowable]:
        _, _, stacked = self._stacked(width)
        inner = self._inner_width(width)
        head, tail = split_stack(self.content, inner, stacked, count)
        title = self.title
        prepended = 0
        if title is not None and title in head and self.continued_title is not None:
            tail = [self.continued_title, *tail]
            title = self.continued_title
            prepended = 1
        rest = self._with(tail, title)
        rest.known = known_rest(inner, stacked, count, prepended)
        return self._with(head, self.title), rest

    def _with(self, content: list[Flowable], title: Flowable | None) -> Panel:
        part = Panel(
            content,
            self.background,
            self.bar,
            title=title,
            continued_title=self.continued_title,
            keep_whole_below=0.0,  # already split: its parts may split again
            padding=self.padding,
            bar_width=self.bar_width,
        )
        part.location, part.what, part.spaceAfter = self.location, self.what, getattr(self, "spaceAfter", 0)
        return part

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, height = self._stack.wrap(self._inner_width(available_width), TALL)
        self.width, self.height = available_width, height + 2 * self.padding
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        with artifact(canvas):
            canvas.saveState()
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canvas.setFillColor(self.bar)
            canvas.rect(0, 0, self.bar_width, self.height, stroke=0, fill=1)
            canvas.restoreState()
        self._stack.drawOn(canvas, self.bar_width + self.padding, self.padding)


class QRBlock(Placed, Flowable):
    """A QR code (a Figure element with alt text) with a paragraph beside it, kept together."""

    QUIET_ZONE = 2  # modules of white border; the page around it is white too

    def __init__(self, url: str, text: Paragraph, size: float, colour: Color, node: StructNode | None = None) -> None:
        super().__init__()
        self.url = url
        self.node = node
        self.text = text
        self.size = size
        self.colour = colour
        self.gap = 12

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, text_height = self.text.wrap(available_width - self.size - self.gap, available_height)
        self.width = available_width
        self.height = max(self.size, text_height)
        return self.width, self.height

    def modules(self) -> tuple[tuple[bool, ...], ...]:
        """The QR matrix (True = dark), from ReportLab's own encoder."""
        return qr_matrix(self.url)

    def draw_code(self, top: float) -> None:
        """Draw dark modules as one path of horizontal runs: small output, fast to draw."""
        matrix = self.modules()
        module = self.size / (len(matrix) + 2 * self.QUIET_ZONE)
        path = self.canv.beginPath()
        for row, cells in enumerate(matrix):
            y = top - (row + self.QUIET_ZONE + 1) * module
            col = 0
            while col < len(cells):
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < len(cells) and cells[col]:
                    col += 1
                path.rect((start + self.QUIET_ZONE) * module, y, (col - start) * module, module)
        self.canv.saveState()
        self.canv.setFillColor(self.colour)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()

    def draw(self) -> None:
        with content(self.canv, self.node):
            self.draw_code(self.height)
        if self.node is not None:
            self.canv.saveState()
            self.canv.translate(0, self.height - self.size)
            self.node.bbox = box_on_page(self.canv, self.size, self.size)
            self.canv.restoreState()
        _, text_height = self.text.wrap(self.width - self.size - self.gap, self.height)
        self.text.drawOn(self.canv, self.size + self.gap, self.height - text_height)


class BlankPage(Placed, Flowable):
    """A page that says it is intentionally blank, in the middle: it pads a booklet to a multiple of 4 pages. The
    sentence is decoration (an artifact): a screen reader has nothing to gain from it."""

    def __init__(self, text: str, style) -> None:
        super().__init__()
        self.paragraph = Paragraph(text, style.clone("blank-page", alignment=1))  # centred

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, available_height  # the whole page
        return self.width, self.height

    def draw(self) -> None:
        _, height = self.paragraph.wrap(self.width, self.height)
        with artifact(self.canv):
            self.paragraph.drawOn(self.canv, 0, (self.height - height) / 2)


class NotesPage(Placed, Flowable):
    """A page for the reader's own notes: a heading, then ruled lines (decoration) down to the foot of the page.
    It makes a double-sided print's page count even."""

    def __init__(self, heading: Heading, line_gap: float, colour: Color) -> None:
        super().__init__()
        self.heading = heading
        self.line_gap = line_gap
        self.colour = colour

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, available_height  # the whole page
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        _, heading_height = self.heading.wrap(self.width, self.height)
        top = self.height - heading_height
        self.heading.drawOn(canvas, 0, top)
        y = top - self.heading.getSpaceAfter() - self.line_gap
        with artifact(canvas):
            canvas.saveState()
            canvas.setStrokeColor(self.colour)
            canvas.setLineWidth(0.75)
            while y >= 0:
                canvas.line(0, y, self.width, y)
                y -= self.line_gap
            canvas.restoreState()
