"""Tagged PDF while drawing: structure elements, marked content with MCIDs, artifacts and link annotations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .reportlab_internals import HookedCanvas, HookedTextObject


class MarkedContent:
    """One marked-content sequence: an MCID on a page (page numbers start at 1)."""

    __slots__ = ("page", "mcid")

    def __init__(self, page: int, mcid: int) -> None:
        self.page = page
        self.mcid = mcid


class AnnotationItem:
    """A link annotation that belongs to a Link element (written as an OBJR)."""

    __slots__ = ("page", "annotation")

    def __init__(self, page: int, annotation: Any) -> None:
        self.page = page
        self.annotation = annotation  # the ReportLab PDFDictionary of the annotation


class StructNode:
    """A structure element. Containers get their children in reading order when the layout is built;
    content (marked-content sequences, links, annotations) is added while pages are drawn."""

    __slots__ = ("role", "parent", "kids", "alt", "attributes", "description", "bbox")

    def __init__(
        self,
        role: str,
        parent: StructNode | None = None,
        alt: str = "",
        attributes: dict[str, str] | None = None,
        description: str = "",
    ) -> None:
        self.role = role
        self.parent = parent
        self.kids: list[StructNode | MarkedContent | AnnotationItem] = []
        self.alt = alt  # /Alt: required for figures
        self.attributes = attributes or {}  # e.g. {"O": "List", "ListNumbering": "Disc"}
        self.description = description  # /Contents of a link's annotation
        self.bbox: tuple[float, float, float, float] | None = None  # where a Figure is drawn, once it is
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, **kwargs) -> StructNode:
        return StructNode(role, self, **kwargs)

    def attach(self, child: StructNode) -> None:
        """Make child the last kid of this node (used for links, which are placed while drawing)."""
        if child.parent is None:
            child.parent = self
            self.kids.append(child)

    def walk(self) -> Iterator[StructNode]:
        yield self
        for kid in self.kids:
            if isinstance(kid, StructNode):
                yield from kid.walk()

    def has_content(self) -> bool:
        return any(not isinstance(k, StructNode) or k.has_content() for k in self.kids)

    def __repr__(self) -> str:
        return f"StructNode({self.role!r}, kids={len(self.kids)})"


class Tagger:
    """Hands out MCIDs page by page and remembers which element owns each one."""

    def __init__(self, root: StructNode) -> None:
        self.root = root
        self.owners: dict[int, list[StructNode]] = {}  # page -> owner element of each MCID
        self.annotations: list[tuple[AnnotationItem, StructNode]] = []
        self.active_text: TaggedText | None = None

    def mark(self, page: int, node: StructNode) -> int:
        owners = self.owners.setdefault(page, [])
        owners.append(node)
        mcid = len(owners) - 1
        node.kids.append(MarkedContent(page, mcid))
        return mcid

    def move(self, page: int, mcid: int, new_owner: StructNode) -> None:
        """Give an MCID that has not been drawn into yet to another element."""
        owners = self.owners[page]
        kids = owners[mcid].kids
        item = next(k for k in kids if isinstance(k, MarkedContent) and (k.page, k.mcid) == (page, mcid))
        kids.remove(item)
        owners[mcid] = new_owner
        new_owner.kids.append(item)

    def annotation(self, page: int, annotation: Any) -> None:
        """Tie a link annotation made while a tagged paragraph is drawn to its Link element."""
        link = self.active_text.link_for_annotation() if self.active_text else None
        if link is None:
            return
        item = AnnotationItem(page, annotation)
        link.kids.append(item)
        self.annotations.append((item, link))


class TaggingCanvas(HookedCanvas):
    """A canvas that tags what is drawn on it: its tagger hands out MCIDs and collects link annotations."""

    tagger: Tagger


def tagger(canvas) -> Tagger | None:
    """The canvas's tagger; None on an untagged canvas (everything then draws as plain ReportLab would)."""
    return canvas.tagger if isinstance(canvas, TaggingCanvas) else None


def begin_marked(role: str, mcid: int) -> str:
    return f"/{role} <</MCID {mcid}>> BDC"


def artifact_operator(kind: str = "Layout", subtype: str = "") -> str:
    if kind == "Layout" and not subtype:
        return "/Artifact BMC"
    extra = f" /Subtype /{subtype}" if subtype else ""
    return f"/Artifact <</Type /{kind}{extra}>> BDC"


@contextmanager
def content(canvas, node: StructNode | None) -> Iterator[None]:
    """What is drawn inside is real content of node (one marked-content sequence)."""
    tags = tagger(canvas)
    if tags is None or node is None:
        yield
        return
    canvas.addLiteral(begin_marked(node.role, tags.mark(canvas.getPageNumber(), node)))
    try:
        yield
    finally:
        canvas.addLiteral("EMC")


@contextmanager
def artifact(canvas, kind: str = "Layout", subtype: str = "") -> Iterator[None]:
    """What is drawn inside is decoration: screen readers skip it. kind is Pagination, Layout or Page."""
    if tagger(canvas) is None:
        yield
        return
    canvas.addLiteral(artifact_operator(kind, subtype))
    try:
        yield
    finally:
        canvas.addLiteral("EMC")


def first_drawing(canvas, node: StructNode) -> bool:
    """True while node has no content yet, or content only on the page being drawn."""
    return {kid.page for kid in node.kids if isinstance(kid, MarkedContent)} <= {canvas.getPageNumber()}


def decoration(canvas, node: StructNode | None = None, kind: str = "Pagination", subtype: str = ""):
    """Something drawn on many pages: real content of node on the first page it is drawn on, an artifact after.

    Use it for text that repeats on every page but must reach a screen reader once (a review-date notice):
    create node where it belongs in the reading order (for example `root.add("P")` before the layout adds the
    title), then draw each piece of each copy inside `with decoration(canvas, node):`. For a paragraph, use
    `flowables.draw_repeated` instead.
    """
    if node is not None and tagger(canvas) is not None and first_drawing(canvas, node):
        return content(canvas, node)
    return artifact(canvas, kind, subtype)


class TaggedText(HookedTextObject):
    """The text object of a tagged paragraph.

    The paragraph draws inside an artifact sequence (its underlines and state changes are decoration); this text
    object closes it at BT and reopens it after ET, so that all its text is real content. Inside, the text is one
    sequence of the paragraph's element, split wherever a link starts or ends so that link text belongs to its
    Link element. ReportLab reports link boundaries (link_boundary) just after the first piece of a link has been
    written: that piece is then moved into the link's sequence.
    """

    def __init__(self, canvas, x: float, y: float, tags: Tagger, paragraph) -> None:
        super().__init__(canvas, x, y)
        self.code.insert(0, "EMC")
        self.tags = tags
        self.paragraph = paragraph
        self.page = canvas.getPageNumber()
        self.open: tuple[StructNode, int, int] | None = None  # element, MCID, index of its BDC in the code
        self.text_at = 0
        self.last_text = " "
        # The paragraph's text as written, and how far the drawing has got in it: where ReportLab ends a line
        # inside a word (a long web address), no space may be added to the tags' text.
        self.source = re.sub(r"[ \t\r\n]+", " ", paragraph.written)
        self.read = 0  # -1: lost track (then a space is added at every line end, as ReportLab's text has one)
        self.line_links: list[StructNode] = []
        whole = paragraph.whole_link()  # a paragraph that is one link is drawn without link boundaries
        self.base = paragraph.link_node(whole) if whole else paragraph.node
        tags.active_text = self

    def _open(self, node: StructNode) -> None:
        mcid = self.tags.mark(self.page, node)
        self.code.append(begin_marked(node.role, mcid))
        self.open = (node, mcid, len(self.code) - 1)

    def _close(self) -> None:
        if self.open is not None:
            self.code.append("EMC")
            self.open = None

    def write_text(self, text: str, new_line: bool) -> None:
        if self.open is None:
            self._open(self.base)
        self.text_at = len(self.code)
        self._advance(text)
        if new_line and not (text or self.last_text)[-1:].isspace() and self._at_space():
            # ReportLab drops the space where a line wraps; without it, text taken from the tags (what a screen
            # reader gets) runs the last word of a line into the first of the next. It is invisible at a line end.
            text += " "
        if text:
            self.last_text = text
        super().write_text(text, new_line)

    def _advance(self, text: str) -> None:
        words = text.strip()
        if not words or self.read < 0:
            return
        found = self.source.find(words, self.read)
        self.read = found + len(words) if found >= 0 else -1

    def _at_space(self) -> bool:
        """Whether the text as written has a space (or ends) where the drawing has got to."""
        return self.read < 0 or self.read >= len(self.source) or self.source[self.read].isspace()

    def link_boundary(self, link: tuple[int, str], event: str) -> None:
        node = self.paragraph.link_node(link)
        if event == "end":
            if self.open is not None and self.open[0] is node:
                self._close()
            return
        self.line_links.append(node)
        if self.open is None or self.open[0] is node:
            return
        _, mcid, index = self.open
        if index == self.text_at - 1:
            # The open sequence holds only this piece of text: hand its MCID to the link.
            self.tags.move(self.page, mcid, node)
            self.paragraph.node.attach(node)
            self.code[index] = begin_marked(node.role, mcid)
            self.open = (node, mcid, index)
            return
        self.paragraph.node.attach(node)
        mcid = self.tags.mark(self.page, node)
        self.code.insert(self.text_at, "EMC " + begin_marked(node.role, mcid))
        self.open = (node, mcid, self.text_at)
        self.text_at += 1

    def link_for_annotation(self) -> StructNode | None:
        """ReportLab makes one annotation per link per line, in link order, after each line."""
        if self.line_links:
            return self.line_links.pop(0)
        return self.base if self.base is not self.paragraph.node else None

    def getCode(self) -> str:  # noqa: N802 - ReportLab's name
        self._close()
        if self.tags.active_text is self:
            self.tags.active_text = None
        return super().getCode() + " " + artifact_operator()
