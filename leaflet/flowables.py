"""Custom ReportLab flowables the layout needs: outlined headings, splittable panels, a QR block."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph


class Heading(Paragraph):
    """A heading that adds itself to the PDF outline (bookmarks) where it is drawn."""

    def __init__(self, text: str, style, outline_title: str, level: int) -> None:
        super().__init__(text, style)
        self.outline_title = outline_title
        self.outline_level = level

    def draw(self) -> None:
        super().draw()
        key = f"h{id(self)}"
        self.canv.bookmarkHorizontal(key, 0, self.height)
        self.canv.addOutlineEntry(self.outline_title, key, level=self.outline_level, closed=False)


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
        self.content = content
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
        _, height = self.wrap(available_width, available_height)  # wrapOn would remove self.canv
        if height <= self.keep_whole_below:
            return []
        inner = self._inner_width(available_width)
        room = available_height - 2 * self.padding
        used = 0.0
        first: list[Flowable] = []
        rest: list[Flowable] = []
        for index, flowable in enumerate(self.content):
            space = flowable.getSpaceBefore() if first else 0
            _, h = flowable.wrapOn(self.canv, inner, room - used - space)
            if used + space + h <= room:
                first.append(flowable)
                used += space + h + flowable.getSpaceAfter()
                continue
            pieces = flowable.splitOn(self.canv, inner, room - used - space) if room - used - space > 0 else []
            if pieces:
                first.append(pieces[0])
                rest = list(pieces[1:]) + self.content[index + 1 :]
            else:
                rest = self.content[index:]
            break
        if not first or not rest:
            return []
        return [self._with(first), self._with(rest)]

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

    QUIET_ZONE = 2  # modules of white border; the page around it is white too

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
        self.draw_code(self.height)
        _, text_height = self.text.wrapOn(self.canv, self.width - self.size - self.gap, self.height)
        self.text.drawOn(self.canv, self.size + self.gap, self.height - text_height)
