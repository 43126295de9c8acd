"""Custom ReportLab flowables the layout needs: outlined headings, splittable panels, a QR block."""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, Paragraph
from reportlab.platypus import Image as RLImage
from reportlab.platypus.flowables import LIIndenter


class Heading(Paragraph):
    """A heading that adds itself to the PDF outline (bookmarks) where it is drawn."""

    def __init__(self, text: str | None, style, outline_title: str = "", level: int | None = None, **kwargs) -> None:
        super().__init__(text, style, **kwargs)  # Paragraph.split builds the pieces with keyword arguments
        self.outline_title = outline_title
        self.outline_level = level  # None: not in the outline

    def split(self, available_width: float, available_height: float) -> list[Paragraph]:
        # A heading too long for the rest of the page: only its first piece goes in the outline.
        pieces = super().split(available_width, available_height)
        for index, piece in enumerate(pieces):
            piece.outline_title = self.outline_title
            piece.outline_level = self.outline_level if index == 0 else None
            piece.keepWithNext = self.getKeepWithNext() if index == len(pieces) - 1 else 0
        return pieces

    def draw(self) -> None:
        super().draw()
        if self.outline_level is None:
            return
        key = f"h{id(self)}"
        self.canv.bookmarkHorizontal(key, 0, self.height)
        self.canv.addOutlineEntry(self.outline_title, key, level=self.outline_level, closed=False)


def _unwrap(flowable: Flowable) -> list[Flowable]:
    return list(flowable._content) if isinstance(flowable, KeepTogether) else [flowable]


class ItemIndenter(LIIndenter):
    """A list item's content that always splits when asked.

    ReportLab's own refuses when all but one line would fit, so an item one line taller than a page
    could never be placed (LayoutError); paragraphs elsewhere allow such widows too.
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        pieces = self._flowable.split(available_width - self._leftIndent - self._rightIndent, available_height)
        if pieces == [self._flowable]:
            return [self]
        return [
            ItemIndenter(piece, self._leftIndent, self._rightIndent, self._bullet if index == 0 else None)
            for index, piece in enumerate(pieces)
        ]


class ItemList(ListFlowable):
    """A ListFlowable whose items are ItemIndenters."""

    def _makeLIIndenter(self, flowable, bullet, params=None):  # noqa: N802 - ReportLab's name
        params = params or {}
        return ItemIndenter(
            flowable,
            params.get("leftIndent", self._leftIndent),
            params.get("rightIndent", self._rightIndent),
            bullet,
            spaceBefore=params.get("spaceBefore"),
            spaceAfter=params.get("spaceAfter"),
        )


class FittedImage(RLImage):
    """An image that shrinks, keeping its shape, when the space it is given is narrower (as inside a box)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.drawWidth > available_width > 0:
            self.drawHeight *= available_width / self.drawWidth
            self.drawWidth = available_width
        return super().wrap(available_width, available_height)


class Panel(Flowable):
    """A tinted box with a coloured bar on its left that holds other flowables and splits across pages."""

    def __init__(
        self,
        content: list[Flowable],
        background: Color,
        bar: Color,
        padding: float = 10,
        bar_width: float = 5,
        keep_whole_below: float = 260,
    ) -> None:
        super().__init__()
        self.keep_whole_below = keep_whole_below
        # KeepTogether asks for an endless height to force a split; inside a box its parts are enough.
        self.content = [part for flowable in content for part in _unwrap(flowable)]
        self.background = background
        self.bar = bar
        self.padding = padding
        self.bar_width = bar_width

    def _inner_width(self, available_width: float) -> float:
        return available_width - 2 * self.padding - self.bar_width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        inner = self._inner_width(available_width)
        height = 0.0
        for index, flowable in enumerate(self.content):
            _, h = flowable.wrapOn(self.canv, inner, available_height)
            height += h + (flowable.getSpaceBefore() if index else 0)
            if index < len(self.content) - 1:
                height += flowable.getSpaceAfter()
        self.width = available_width
        self.height = height + 2 * self.padding
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # A short box moves to the next page whole; only long ones are split.
        canvas = self.canv  # wrapOn would remove self.canv, so keep it
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
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        while first and first[-1].getKeepWithNext() and not at_top:  # no title alone at the foot of a page
            queue.insert(0, first.pop())
        if not first or not queue:
            return []
        return [self._with(first), self._with(queue)]

    def _with(self, content: list[Flowable]) -> Panel:
        return Panel(content, self.background, self.bar, self.padding, self.bar_width, self.keep_whole_below)

    def draw(self) -> None:
        canvas = self.canv
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
    """A QR code with a paragraph beside it, kept together."""

    def __init__(self, url: str, text: Paragraph, size: float, colour: Color) -> None:
        super().__init__()
        self.url = url
        self.text = text
        self.size = size
        self.colour = colour
        self.gap = 12

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, text_height = self.text.wrapOn(self.canv, available_width - self.size - self.gap, available_height)
        self.width = available_width
        self.height = max(self.size, text_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # Normally the block moves to the next page whole. Only when the text beside the code is taller
        # than a whole page (very large type) are the two stacked instead, so the text can run on.
        frame = getattr(self, "_frame", None)
        _, height = self.wrap(available_width, available_height)
        if frame is None or height <= frame._height or self.size > available_height:
            return []
        return [self.drawing(), self.text]

    def drawing(self) -> Drawing:
        widget = QrCodeWidget(self.url, barLevel="M", barBorder=2, barFillColor=self.colour)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(self.size, self.size, transform=[self.size / (x1 - x0), 0, 0, self.size / (y1 - y0), 0, 0])
        drawing.add(widget)
        return drawing

    def draw(self) -> None:
        self.drawing().drawOn(self.canv, 0, self.height - self.size)
        _, text_height = self.text.wrapOn(self.canv, self.width - self.size - self.gap, self.height)
        self.text.drawOn(self.canv, self.size + self.gap, self.height - text_height)
