"""Custom ReportLab flowables the layout needs: tagged paragraphs and lists, headings, panels, figures, a QR block."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus import Image as RLImage
from reportlab.platypus.flowables import LIIndenter

from ..core.page import BOX_BAR, BOX_PADDING, KEEP_BOX_WHOLE_BELOW
from .reportlab_internals import HookedList, at_top_of_frame, item_parts, kept_together, whole_paragraph_link
from .tagging import StructNode, TaggedText, artifact, content, first_drawing, tagger


class TaggedParagraph(Paragraph):
    """A paragraph whose text is real content of one structure element, even when it splits across pages.

    links holds a description of each <a href> in the markup, in order; it becomes the /Contents of the link's
    annotations.
    """

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
    """A heading that adds itself to the PDF outline (bookmarks) where it is drawn."""

    def __init__(self, *args, outline_title: str = "", outline_level: int | None = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outline_title = outline_title
        self.outline_level = outline_level  # None: not in the outline

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # A heading too long for the rest of the page: only its first piece goes in the outline, and only
        # its last is kept with what follows.
        pieces = super().split(available_width, available_height)
        for index, piece in enumerate(pieces):
            if piece is not self:
                piece.outline_title = self.outline_title
                piece.outline_level = self.outline_level if index == 0 else None
                piece.keepWithNext = self.getKeepWithNext() if index == len(pieces) - 1 else 0
        return pieces

    def draw(self) -> None:
        super().draw()
        if self.outline_level is not None:
            # Every heading gets an entry, even an empty one: the outline may not skip a level.
            key = f"h{id(self)}"
            self.canv.bookmarkHorizontal(key, 0, self.height)
            title = self.outline_title.strip() or "(no heading text)"
            self.canv.addOutlineEntry(title, key, level=self.outline_level, closed=False)


class TaggedBullet:
    """A list bullet or number drawn as the content of the item's Lbl element."""

    def __init__(self, drawer, label: StructNode | None) -> None:
        self._drawer = drawer
        self._label = label

    def drawOn(self, indenter, canv, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        marker = content(canv, self._label) if self._label is not None else artifact(canv)
        with marker:
            self._drawer.drawOn(indenter, canv, x, y, _sW)

    def __getattr__(self, name: str):
        return getattr(self._drawer, name)


class ItemIndenter(LIIndenter):
    """A list item's content that always splits when asked.

    ReportLab's own refuses when all but one line would fit, so an item one line taller than a page
    could never be placed (LayoutError); paragraphs elsewhere allow such widows too.
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        content, left, right, bullet = item_parts(self)
        pieces = content.split(available_width - left - right, available_height)
        if pieces == [content]:
            return [self]
        return [ItemIndenter(piece, left, right, bullet if index == 0 else None) for index, piece in enumerate(pieces)]


class ItemList(HookedList):
    """A ListFlowable whose items are ItemIndenters."""

    def make_item(self, flowable: Flowable, bullet, params: dict) -> ItemIndenter:
        left, right = self.indents
        return ItemIndenter(
            flowable,
            params.get("leftIndent", left),
            params.get("rightIndent", right),
            bullet,
            spaceBefore=params.get("spaceBefore"),
            spaceAfter=params.get("spaceAfter"),
        )


class TaggedList(ItemList):
    """A list whose bullets belong to Lbl elements, one per item, in item order."""

    def __init__(self, flowables, labels: list[StructNode], **kwargs) -> None:
        self._labels = list(labels)
        super().__init__(flowables, **kwargs)

    def make_bullet(self, value, params: dict | None):
        label = self._labels.pop(0) if self._labels else None
        return TaggedBullet(super().make_bullet(value, params), label)


class Figure(RLImage):
    """An image drawn as the content of a Figure element (which carries the alt text)."""

    drawWidth: float  # noqa: N815 - ReportLab's names
    drawHeight: float  # noqa: N815

    def __init__(self, *args, node: StructNode | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.node = node

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Shrink, keeping the shape, when the space is narrower than the image (as inside a box).
        if self.drawWidth > available_width > 0:
            self.drawHeight *= available_width / self.drawWidth
            self.drawWidth = available_width
        return super().wrap(available_width, available_height)

    def draw(self) -> None:
        with content(self.canv, self.node):
            super().draw()


class Panel(Flowable):
    """A tinted box with a coloured bar on its left that holds other flowables and splits across pages."""

    def __init__(
        self,
        content: list[Flowable],
        background: Color,
        bar: Color,
        padding: float = BOX_PADDING,
        bar_width: float = BOX_BAR,
        keep_whole_below: float = KEEP_BOX_WHOLE_BELOW,
    ) -> None:
        super().__init__()
        self.keep_whole_below = keep_whole_below
        # KeepTogether asks for an endless height to force a split; inside a box its parts are enough.
        self.content = [part for flowable in content for part in kept_together(flowable)]
        self.background = background
        self.bar = bar
        self.padding = padding
        self.bar_width = bar_width

    def _inner_width(self, available_width: float) -> float:
        return available_width - 2 * self.padding - self.bar_width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        inner = self._inner_width(available_width)
        # Past both the room there is and the height of a box kept whole, the exact height does not matter:
        # the box is split. Stopping there keeps a box of thousands of items from being measured whole on
        # every page (which made the layout time grow with the square of its length).
        enough = max(available_height, self.keep_whole_below) + 1
        height = 2 * self.padding
        for index, flowable in enumerate(self.content):
            _, h = flowable.wrapOn(self.canv, inner, available_height)
            height += h + (flowable.getSpaceBefore() if index else 0)
            if index < len(self.content) - 1:
                height += flowable.getSpaceAfter()
            if height > enough:
                break
        self.width = available_width
        self.height = height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # A short box moves to the next page whole; only long ones are split.
        canvas = self.canv
        # wrap, not wrapOn: wrapOn would delete self.canv, which splitOn (a box inside a box) deletes again.
        _, height = self.wrap(available_width, available_height)
        if height <= self.keep_whole_below:
            return []
        inner = self._inner_width(available_width)
        room = available_height - 2 * self.padding
        used = 0.0
        first: list[Flowable] = []
        queue = list(self.content)
        for _ in range(10_000):  # each round places or splits a piece; the bound only guards against a loop
            if not queue:
                break
            flowable = queue.pop(0)
            space = flowable.getSpaceBefore() if first else 0
            left = room - used - space
            _, h = flowable.wrapOn(canvas, inner, left)
            if h <= left:
                first.append(flowable)
                used += space + h + flowable.getSpaceAfter()
                continue
            # Some flowables (lists) split into pieces that may not fit either: check each piece in turn.
            pieces = flowable.splitOn(canvas, inner, left) if left > 0 else []
            if pieces and pieces != [flowable]:
                queue[0:0] = pieces
                continue
            queue.insert(0, flowable)
            break
        at_top = at_top_of_frame(self)
        # No title alone at the foot of a page; but a title taller than half the room (or the first part of one
        # split here) would not fit any better on the next page, and moving it would leave nothing to place.
        while first and first[-1].getKeepWithNext() and not at_top and first[-1].height <= room / 2:
            queue.insert(0, first.pop())
        if not first or not queue:
            return []
        return [self._with(first), self._with(queue)]

    def _with(self, content: list[Flowable]) -> Panel:
        return Panel(content, self.background, self.bar, self.padding, self.bar_width, self.keep_whole_below)

    def draw(self) -> None:
        canvas = self.canv
        with artifact(canvas):
            canvas.saveState()
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canvas.setFillColor(self.bar)
            canvas.rect(0, 0, self.bar_width, self.height, stroke=0, fill=1)
            canvas.restoreState()
        inner = self._inner_width(self.width)
        x = self.bar_width + self.padding
        y = self.height - self.padding
        for index, flowable in enumerate(self.content):
            if index:
                y -= flowable.getSpaceBefore()
            _, h = flowable.wrapOn(canvas, inner, self.height)
            y -= h
            flowable.drawOn(canvas, x, y)
            y -= flowable.getSpaceAfter()


class QRBlock(Flowable):
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
        _, text_height = self.text.wrapOn(self.canv, available_width - self.size - self.gap, available_height)
        self.width = available_width
        self.height = max(self.size, text_height)
        return self.width, self.height

    def modules(self) -> list[list[bool]]:
        """The QR matrix (True = dark), from ReportLab's own encoder."""
        from reportlab.graphics.barcode import qrencoder

        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(self.url)
        code.make()
        count = code.getModuleCount()
        return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]

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
        _, text_height = self.text.wrapOn(self.canv, self.width - self.size - self.gap, self.height)
        self.text.drawOn(self.canv, self.size + self.gap, self.height - text_height)
