"""Page breaks as a typesetter makes them: each page ends at the last place the rules allow.

Every flowable of the story is seen as rows: the lines of a paragraph or heading, a whole picture, the lines of
a box. Between two rows a page may or may not end:

- a paragraph or a list keeps at least two lines at each end of a page (no orphans, no widows);
- a heading keeps at least two lines of what follows; an introduction ending in ":" keeps the first item of its
  list; a list item keeps the start of its sub-items; a picture keeps the two lines before it;
- a box shorter than a third of a page is never split (core/page.py); a longer one repeats its title;
- what an author asks for a block: keep_together, page_break: before.

Pager places the rows page by page: as many as fit, ending where a page may end. A picture that does not quite
fit is scaled down, within the style's limit, rather than moved away from its text. When no row may end the page
(something that must stay together is taller than a page), the page ends where it must; the layout report says
so, and says which pages are less than MIN_FILL full, for the layout check.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import NamedTuple

from reportlab.platypus import Flowable, PageBreak

from ..core.errors import Location
from ..core.page import KEEP_LINES, MIN_FILL, LayoutProblem, LayoutReport, PageFill

TALL = 1e9  # the height offered when only a flowable's natural height is wanted
FUZZ = 1e-6  # points: float rounding; a frame refuses anything taller than it by more than this
MAX_SQUEEZE = 0.4  # the space between blocks may lose up to this share on a page, to take one more block
SQUEEZE_FROM = 0.95  # only on a page that would otherwise be less full than this


class Row(NamedTuple):
    """One line of the page's vertical list, and whether the page may end after it."""

    height: float
    space: float = 0.0  # above the row, between it and the row before; dropped at the top of a page
    keep: bool = False  # the page may not end after this row
    closing: float = 0.0  # added to the page when it ends after this row (the foot of a box split there)
    shrink: float = 0.0  # how much shorter the row may become (a picture scaled down)
    force: bool = False  # the page must end after this row (page_break: before on what follows)
    glue: bool = False  # its space is between two blocks of the story, and may be narrowed (see choose)


def kept(rows: list[Row], start: int = 0, stop: int | None = None) -> list[Row]:
    """rows, with the page not allowed to end after any row from start up to (not including) stop."""
    stop = len(rows) if stop is None else stop
    marked = list(rows)
    marked[start:stop] = [row._replace(keep=True) for row in rows[start:stop]]
    return marked


def line_rows(lines: int, leading: float, breakable: bool = True) -> list[Row]:
    """Rows for lines of text: a page may end inside only with two lines or more on each side of it."""
    return [
        Row(leading, keep=index < lines - 1 and not (breakable and KEEP_LINES <= index + 1 <= lines - KEEP_LINES))
        for index in range(lines)
    ]


def rows_of(flowable: Flowable, width: float) -> list[Row]:
    """A flowable's rows: its own when it has them, else one row of its whole height (one at least: an empty
    paragraph is a row of no height)."""
    known = getattr(flowable, "rows_at", None)
    if known is not None and known[0] == width:
        return list(known[1])  # a copy: stack() changes the rows it is given
    rows = list(flowable.rows(width)) if hasattr(flowable, "rows") else []
    rows = rows or [Row(flowable.wrap(width, TALL)[1])]
    if getattr(flowable, "keep_together", False):
        rows = kept(rows, 0, len(rows) - 1)
    # Kept: every page stacks what is left of the story (and of a long box) again, so measuring each flowable
    # once keeps a long story from costing its length on every page. A flowable that changes forgets them.
    flowable.rows_at = (width, rows)
    return list(rows)


class Stacked(NamedTuple):
    """The rows of flowables placed one above the other, and which flowable each row belongs to."""

    rows: list[Row]
    owners: list[int]


def stack(children: Sequence[Flowable], width: float, glue: bool = False) -> Stacked:
    """The rows of children one above the other, with the rules between neighbours applied: the space between
    two is the larger of the one's space after and the next one's space before (glue: it may be narrowed)."""
    rows: list[Row] = []
    owners: list[int] = []
    pending = 0  # rows still to keep with a heading (or an introduction) above them
    previous: Flowable | None = None
    for index, child in enumerate(children):
        own = rows_of(child, width)
        if previous is not None:
            own[0] = own[0]._replace(space=max(previous.getSpaceAfter(), child.getSpaceBefore()), glue=glue)
            if getattr(previous, "keep_with_first_item", False):
                pending = max(pending, first_item_rows(child, width) - 1)
            if getattr(child, "page_break_before", False):
                # The page ends before child, or before the heading or introduction that leads into it. When
                # nothing comes before those, there is no break to make here: its container makes it.
                first = index
                while first > 0 and _leads_into_next(children[first - 1]):
                    first -= 1
                at = owners.index(first) - 1 if first < index else len(rows) - 1
                if at >= 0:
                    rows[at] = rows[at]._replace(force=True)
            back = min(getattr(child, "keep_with_previous", 0), len(rows))
            rows[len(rows) - back :] = kept(rows[len(rows) - back :])
        else:
            own[0] = own[0]._replace(space=0.0)
        if pending:
            taken = min(pending, len(own))
            own[:taken] = kept(own[:taken])
            pending -= taken
        after = getattr(child, "keep_with_next", 0)
        if after or getattr(child, "keep_with_first_item", False):
            own[-1] = own[-1]._replace(keep=True)
            pending = max(pending, after - 1)
        rows += own
        owners += [index] * len(own)
        previous = child
    return Stacked(rows, owners)


class Known(NamedTuple):
    """Rows measured on the page before, for what is left after a split (see stack_rest)."""

    width: float
    stacked: Stacked
    child: int  # the child of stacked that is the rest's child number `fresh`
    fresh: int  # how many children at the start of the rest are stacked again


def known_rest(width: float, stacked: Stacked, count: int, prepended: int = 0) -> Known:
    """What split_stack(children, width, stacked, count) leaves, with prepended flowables put before it, as Known:
    its first child (after those) is a piece of, or is, the child that owns row count, so its third child is
    that child's second after it."""
    return Known(width, stacked, stacked.owners[count] + 2, 2 + prepended)


def stack_rest(
    rest: Sequence[Flowable],
    width: float,
    known: Known | None,
    glue: bool = False,
    prepare: Callable[[Row], Row] | None = None,
) -> Stacked:
    """stack(rest, width, glue), each row changed by prepare, taking the rows of rest[known.fresh:] from known (the
    same flowables, measured and prepared for the page before) instead of stacking them again: only the first few
    are stacked afresh, with the start of the next, so that the rules between neighbours hold. Stacking all that
    is left on every page would make a long story, or a long box, cost its length on every page."""
    if known is None or known.width != width or len(rest) <= known.fresh:
        stacked = stack(rest, width, glue)
        return stacked if prepare is None else Stacked([prepare(row) for row in stacked.rows], stacked.owners)
    # Stacked afresh up to two children further: the next one's first rows, and the one after it, whose
    # keep_with_previous (pictures: KEEP_LINES rows) may reach back past a one-row child into the fresh rows.
    fresh = stack(rest[: known.fresh + 2], width, glue)
    cut = fresh.owners.index(known.fresh)
    rows = fresh.rows[:cut] if prepare is None else [prepare(row) for row in fresh.rows[:cut]]
    start = bisect_left(known.stacked.owners, known.child)
    shift = known.fresh - known.child
    return Stacked(
        rows + known.stacked.rows[start:],
        fresh.owners[:cut] + [owner + shift for owner in known.stacked.owners[start:]],
    )


def _leads_into_next(flowable: Flowable) -> bool:
    """A heading or an introduction: what must not end a page without the start of what follows."""
    return bool(getattr(flowable, "keep_with_next", 0) or getattr(flowable, "keep_with_first_item", False))


def first_item_rows(flowable: Flowable, width: float) -> int:
    """How many rows an introduction ending in ':' keeps with it: the first item of the list that follows."""
    return flowable.first_item_rows(width) if hasattr(flowable, "first_item_rows") else 2


def split_stack(
    children: Sequence[Flowable], width: float, stacked: Stacked, count: int
) -> tuple[list[Flowable], list[Flowable]]:
    """children cut after their first count rows: what goes on this page and what is left."""
    if count >= len(stacked.rows):
        return list(children), []
    owner = stacked.owners[count]
    if count and stacked.owners[count - 1] == owner:  # the break falls inside one child: split it
        inside = count - stacked.owners.index(owner)
        head, tail = children[owner].split_rows(width, inside)
        return [*children[:owner], head], [tail, *children[owner + 1 :]]
    return list(children[:owner]), list(children[owner:])


class Choice(NamedTuple):
    """Where a page ends: after its first taken rows, using used points of its height."""

    taken: int
    used: float
    forced: bool = False  # no row the rules allowed could end the page
    shrink_row: int = -1  # a row to make shorter by shrink points first (a picture), then choose again
    shrink: float = 0.0
    squeeze: float = 0.0  # the share by which the space between blocks is narrowed on this page
    asked: bool = False  # the page ends where the author asked (page_break: before)


def choose(rows: list[Row], available: float) -> Choice:
    """Where the page ends: the last row after which it may end that still fits; at least one row, whatever
    the rules. When that leaves a gap at the foot of the page, or leaves only a little for one more page, and
    narrowing the space between blocks (by MAX_SQUEEZE at most) lets the page take more, it does: a heading and
    its first lines, a short box, the end of the leaflet."""
    plain = _choose(rows, available, 0.0)
    if plain.forced or plain.shrink_row >= 0 or plain.taken == len(rows):
        return plain
    tight = _choose(rows, available, MAX_SQUEEZE)
    if tight.forced or tight.shrink_row >= 0 or tight.taken <= plain.taken:
        return plain
    # Narrow the spaces where the page would otherwise end with a gap, or to save a page at the end.
    return tight if plain.used < available * SQUEEZE_FROM or tight.taken == len(rows) else plain


def _choose(rows: list[Row], available: float, squeeze: float) -> Choice:
    """choose(), with the space between blocks (glue rows) narrowed by up to squeeze where that helps."""
    used = 0.0
    glue = 0.0  # the space between blocks so far, which may be narrowed
    best: Choice | None = None
    fitting = 0

    def ending(count: int, bottom: float) -> Choice:
        narrowed = min(max(bottom - available, 0.0) / glue, squeeze) if glue and squeeze else 0.0
        return Choice(count, bottom - glue * narrowed, squeeze=narrowed)

    for index, row in enumerate(rows):
        space = row.space if index else 0.0
        bottom = used + space + row.height
        room = glue + (space if row.glue else 0.0)
        if bottom + row.closing - room * squeeze > available + FUZZ:
            over = bottom + row.closing - available
            if not squeeze and row.shrink >= over and not row.keep:
                return Choice(index, used, shrink_row=index, shrink=over + FUZZ)
            break
        used, glue = bottom, room
        fitting = index + 1
        if row.force:
            return ending(index + 1, used + row.closing)._replace(asked=True)
        if not row.keep:
            best = ending(index + 1, used + row.closing)
    else:
        return ending(len(rows), used)
    if best is not None:
        return best
    # Nothing may end the page: something that must stay together is taller than a page.
    count = max(fitting, 1)
    used = sum(row.height + (row.space if index else 0.0) for index, row in enumerate(rows[:count]))
    return Choice(count, used + rows[count - 1].closing, forced=True)


class Stack(Flowable):
    """Flowables drawn one above the other: one page's share of the story, or the inside of a box."""

    def __init__(self, children: Sequence[Flowable], squeeze: float = 0.0) -> None:
        super().__init__()
        self.children = list(children)
        self.squeeze = squeeze  # the share by which the space between children is narrowed
        self.placed: list[tuple[Flowable, float]] = []  # each child and the y of its bottom, from the stack's top

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.placed = []
        y = 0.0
        previous: Flowable | None = None
        for child in self.children:
            if previous is not None:
                y += max(previous.getSpaceAfter(), child.getSpaceBefore()) * (1 - self.squeeze)
            _, height = child.wrap(available_width, TALL)
            self.placed.append((child, y + height))
            y += height
            previous = child
        self.width, self.height = available_width, y
        return self.width, self.height

    def draw(self) -> None:
        for child, bottom in self.placed:
            child.drawOn(self.canv, 0, self.height - bottom)


class Group(Stack):
    """Flowables the page layout treats as one: a section with keep_together, say. A page may end inside it where
    the rules between its members allow (none, with keep_together)."""

    location: Location | None = None
    what = ""

    def rows(self, width: float) -> list[Row]:
        # A picture inside is not scaled down to fit a page (a group has no shrunk()): its rows stay as they are.
        return [row._replace(shrink=0.0) for row in stack(self.children, width).rows]

    def split_rows(self, width: float, count: int) -> tuple[Flowable, Flowable]:
        head, tail = split_stack(self.children, width, stack(self.children, width), count)
        return Group(head), Group(tail)

    def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
        return self.children[0].getSpaceBefore() if self.children else 0.0

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.children[-1].getSpaceAfter() if self.children else 0.0


def describe(flowable: Flowable) -> str:
    return getattr(flowable, "what", "") or "a block"


def where(flowable: Flowable) -> Location | None:
    return getattr(flowable, "location", None)


class Pager(Flowable):
    """The whole story, laid out one page at a time: asked to split, it gives one page's worth (a Stack), a page
    break and the rest. After the last page, filler pages (made by filler: a "Notes" page, say) make the page count
    a multiple of pad_to: 2 for a double-sided print, 4 for a booklet."""

    def __init__(
        self,
        children: Sequence[Flowable],
        report: LayoutReport,
        filler: Callable[[], Flowable] | None = None,
        pad_to: int = 1,
        known: Known | None = None,
    ) -> None:
        super().__init__()
        self.children = list(children)
        self.report = report
        self.filler = filler
        self.pad_to = pad_to
        self.known = known  # the rows of children measured for the page before

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, TALL  # never drawn whole: the frame asks it to split, page by page

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        children = self.children
        stacked = stack_rest(children, available_width, self.known, glue=True)
        choice = choose(stacked.rows, available_height)
        while choice.shrink_row >= 0:  # scale a picture down, then look again
            children = list(children)
            owner = stacked.owners[choice.shrink_row]
            children[owner] = children[owner].shrunk(choice.shrink)
            stacked = stack(children, available_width, glue=True)
            choice = choose(stacked.rows, available_height)
        first, rest = split_stack(children, available_width, stacked, choice.taken)
        page = self.canv.getPageNumber()
        self.report.pages.append(PageFill(page, min(choice.used / available_height, 1.0), available_height))
        self._note(page, choice, stacked, children, available_height, last=not rest)
        out: list[Flowable] = [Stack(first, choice.squeeze)]
        if rest:
            known = known_rest(available_width, stacked, choice.taken)
            out += [PageBreak(), Pager(rest, self.report, self.filler, self.pad_to, known)]
        elif self.filler is not None:
            while page % self.pad_to:
                out += [PageBreak(), self.filler()]
                self.report.filler_pages += 1
                page += 1
        return out

    def _note(
        self, page: int, choice: Choice, stacked: Stacked, children: list[Flowable], available: float, last: bool
    ) -> None:
        """Record a rule the page could not keep, or a page left less than MIN_FILL full."""
        if last or choice.asked:
            return
        before = children[stacked.owners[choice.taken - 1]]
        after = children[stacked.owners[choice.taken]]
        if choice.forced:
            inside = before is after
            what = describe(after)
            if getattr(before, "keep_with_next", 0) and not inside:
                message = f"{describe(before)} ends the page: what follows it is too tall to start on its page"
                self._problem("forced", page, message, before)
                return
            if getattr(after, "keep_with_previous", 0) and not inside:
                message = f"{what} starts page {page + 1}, away from the text before it: together they are taller"
                self._problem("forced", page + 1, message + " than a page", after)
                return
            message = f"{what} is split across pages {page} and {page + 1}: it is too tall to keep together"
            self._problem("forced", page, message, after)
            return
        fill = choice.used / available
        if fill < MIN_FILL:
            # Name the block that would not fit: the last of the rows that had to stay together after the
            # page's end (a heading and the box after it, the lines before a picture and the picture).
            end = choice.taken
            while end + 1 < len(stacked.rows) and stacked.rows[end].keep:
                end += 1
            moved = children[stacked.owners[end]]
            message = (
                f"page {page} is only {fill:.0%} full: {describe(moved)} cannot be split and starts page {page + 1}"
            )
            self.report.problems.append(LayoutProblem("underfilled", page, message, where(moved), fill))

    def _problem(self, kind: str, page: int, message: str, flowable: Flowable) -> None:
        self.report.problems.append(LayoutProblem(kind, page, message, where(flowable)))
