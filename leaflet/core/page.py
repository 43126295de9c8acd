"""Page design: page size, margins, header band, frames, footer and the type scale, in points; no drawing here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from .errors import Location
from .theme import AudienceStyle

MM = 72.0 / 2.54 * 0.1  # points per millimetre, computed as ReportLab does, so every position is the same
A4 = (210 * MM, 297 * MM)
A5 = (148 * MM, 210 * MM)

# The branded header band on page 1, and the audience strip below it. Lengths are for standard print;
# large print scales them with the type (PageDesign.scale).
HEADER_HEIGHT = 26 * MM
AUDIENCE_STRIP = 10 * MM
HEADER_INSET = 6 * MM  # the organisation, department and audience label start this far in from the band's edge
LOGO_INSET = 4 * MM  # the logo's top-left corner, in from the band's
LOGO_BOX = 8 * MM  # the band's height less this is the tallest a logo may be; text starts this far right of it
LOGO_MAX_WIDTH = 40 * MM
ORGANISATION_BASELINE = 11.5 * MM  # below the band's top
DEPARTMENT_BASELINE = 18.5 * MM
LABEL_BASELINE = 3.4 * MM  # above the strip's bottom
FIRST_PAGE_GAP = 6 * MM  # between the audience strip and the title
LATER_PAGE_GAP = 6 * MM  # between the rule at the top of later pages and the text (the notice replaces both)

# The review-overdue notice: a band across the top of every page's frame, white on the style's urgent colour.
NOTICE_COLOURS = ("white", "urgent")  # text, band
NOTICE_PADDING = 2 * MM
NOTICE_GAP = 3 * MM  # between the notice band and the text below it

# The footer: title, reference, version, review dates and "Page X of Y", on up to a few lines.
FOOTER_LEADING = 1.35
FOOTER_GAP = 10.0  # between the text frame and the footer's top line, rule included
FOOTER_RULE_GAP = 4.0  # between the rule and the top line's cap height
FOOTER_DESCENT = 0.3  # of the footer size: the lowest descender sits on the bottom margin
PAGE_LABEL_SAMPLE = "Page 99 of 99"  # the widest page label the footer keeps room for

# Boxes (key points, callouts, contact, "Words explained") and pictures.
BOX_PADDING = 8.0
BOX_BAR = 5.0  # the coloured bar on a box's left edge
QR_SIZE = 22 * MM
TALLEST_PICTURE = 0.75  # of the frame height, leaving room for a caption on the same page
PICTURE_GAP = 4.0  # between a picture and its caption
CAPTION_KEPT_LINES = 10  # a caption this long or shorter never parts from its picture; a longer one may go on

# Page breaks: the rules a typesetter follows (pdf/pagination.py applies them).
KEEP_LINES = 2  # lines kept together: after a heading, at either end of a paragraph or list, before a picture
KEEP_WHOLE_SHARE = 1 / 3  # a box shorter than this share of the frame is never split
MIN_FILL = 0.7  # a page before the last is at least this full, unless the next block cannot be split
LAST_PAGE_FILL = 0.2  # a last page less full than this is paper that a slightly shorter leaflet would save
LAST_PAGE_FILL_BEFORE_NOTES = 0.33  # the same where a Notes page follows: a sheet of paper, both sides
NOTES_LINE_GAP = 2.0  # ruled lines on a "Notes" page, this many body sizes apart

# Vertical space, in body sizes: enough to set blocks apart, and no more (a leaflet should not take a page more
# than it needs).
PARAGRAPH_GAP = 0.45  # after a paragraph or a list
ITEM_GAP = 0.15  # between list items, and between the entries of "Words explained"
HEADING_GAPS = (0.9, 0.6, 0.5)  # above a section heading, a subsection heading, a deeper one
HEADING_GAP_AFTER = 0.35
BOX_TITLE_GAP = 0.3  # below a box's title
REFERENCE_GAP = 0.3  # between references

# The type scale. Clear Print (RNIB): body text at least 12 pt, large print at least 16 pt; we use 18 pt for
# large print, since the standard patient leaflet is already 14 pt and 16 pt would be a small step.
CLEAR_PRINT_MINIMUM = 12.0
LARGE_PRINT_BODY = 18.0
LARGE_PRINT_MINIMUM = 16.0  # no text in a large-print leaflet is smaller, footer and references included
LEADING = 1.4  # body line height as a multiple of type size: generous, for low-vision readers
HEADING_LEADING = 1.25
BOX_TITLE_LEADING = 1.3  # box titles, the subtitle and the review notice
SMALL_LEADING = 1.35  # references and captions
HEADER_NAME_SIZE = 17.0
HEADER_DEPARTMENT_SIZE = 13.0
AUDIENCE_LABEL_SIZE = 13.0


# Print-shop files: each page with 3 mm of bleed (backgrounds that reach the page's edge go on into it), and crop
# marks outside it, on a sheet large enough to hold them.
BLEED = 3 * MM
CROP_MARK_OFFSET = BLEED  # the marks start where the bleed ends: nothing printed on the page reaches them
CROP_MARK_LENGTH = 6 * MM
CROP_MARK_WIDTH = 0.25  # points: a hairline
SLUG = CROP_MARK_OFFSET + CROP_MARK_LENGTH  # between the trimmed page's edge and the sheet's


class Box(NamedTuple):
    """A rectangle on the page: lower-left corner, width and height."""

    x: float
    y: float
    width: float
    height: float

    def grown(self, by: float) -> Box:
        return Box(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def corners(self) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1: as PDF writes a box."""
        return self.x, self.y, self.x + self.width, self.y + self.height


@dataclass(frozen=True)
class Paper:
    """A paper size and the header band that suits it (the type is the same on every size: Clear Print)."""

    name: str
    size: tuple[float, float]
    header_height: float
    strip_height: float
    organisation_baseline: float  # below the band's top
    department_baseline: float
    label_baseline: float  # above the strip's bottom


PAPERS = {
    "A4": Paper("A4", A4, HEADER_HEIGHT, AUDIENCE_STRIP, ORGANISATION_BASELINE, DEPARTMENT_BASELINE, LABEL_BASELINE),
    # A5 is a booklet's page: the same type on a page of about two thirds the width, so a slimmer band.
    "A5": Paper("A5", A5, 22 * MM, 9 * MM, 10 * MM, 16.5 * MM, 3.0 * MM),
}


@dataclass(frozen=True)
class PageDesign:
    """Where things go on the pages of one variant, in points from the page's lower-left corner."""

    width: float  # the sheet: the page itself, or for a print-shop file the page and the slug around it
    height: float
    left: float  # the margins, as positions
    right: float
    top: float
    bottom: float
    scale: float = 1.0  # large print: the header band and its text grow with the type
    paper: Paper = PAPERS["A4"]
    trim: Box | None = None  # where the page is cut, on a print-shop file's larger sheet; None: the sheet itself
    bleed: float = 0.0  # how far backgrounds that reach the trimmed edge go on past it

    @property
    def text_width(self) -> float:
        return self.right - self.left

    @property
    def header_height(self) -> float:
        return self.paper.header_height * self.scale

    @property
    def strip_height(self) -> float:
        return self.paper.strip_height * self.scale

    def scaled(self, length: float) -> float:
        return length * self.scale

    def frames(self, footer_height: float, notice_room: float = 0.0) -> tuple[Box, Box]:
        """The text frames of page 1 (below the header band) and of later pages, above a footer this tall and
        below a review notice taking notice_room (0 when the leaflet is current)."""
        bottom = self.bottom + footer_height
        first_top = self.top - self.header_height - self.strip_height - FIRST_PAGE_GAP - notice_room
        later_top = self.top - (notice_room or LATER_PAGE_GAP)  # on later pages the notice replaces the rule
        return (
            Box(self.left, bottom, self.text_width, first_top - bottom),
            Box(self.left, bottom, self.text_width, later_top - bottom),
        )


def keep_whole_below(frame_height: float) -> float:
    """The height under which a box moves to the next page whole rather than split."""
    return frame_height * KEEP_WHOLE_SHARE


def page_design(
    margins_mm: dict[str, float], scale: float = 1.0, paper: str = "A4", print_marks: bool = False
) -> PageDesign:
    """The design of pages of a paper size; print_marks: a print-shop file, each page on a larger sheet with bleed
    and crop marks around it (the page's own design is the same, moved in by the slug)."""
    width, height = PAPERS[paper].size
    slug = SLUG if print_marks else 0.0
    return PageDesign(
        width=width + 2 * slug,
        height=height + 2 * slug,
        left=slug + margins_mm["left"] * MM,
        right=slug + width - margins_mm["right"] * MM,
        top=slug + height - margins_mm["top"] * MM,
        bottom=slug + margins_mm["bottom"] * MM,
        scale=scale,
        paper=PAPERS[paper],
        trim=Box(slug, slug, width, height) if print_marks else None,
        bleed=BLEED if print_marks else 0.0,
    )


def footer_height(lines: int, footer_size: float) -> float:
    """The room a footer of this many lines takes above the bottom margin."""
    return footer_size * FOOTER_LEADING * lines + FOOTER_GAP


def first_text_area(margins_mm: dict[str, float], footer_size: float, paper: str = "A4") -> tuple[float, float]:
    """Width and height of the text frame on page 1 with a two-line footer: about the least room text gets
    (a footer that wraps further, or the review notice, take a little more)."""
    first, _ = page_design(margins_mm, paper=paper).frames(footer_height(2, footer_size))
    return first.width, first.height


@dataclass(frozen=True)
class TypeScale:
    """Every type size of one variant, in points."""

    body: float
    title: float
    subtitle: float
    headings: tuple[float, float, float]  # section, subsection, deeper
    box_title: float
    reference: float
    caption: float
    footer: float
    notice: float
    organisation: float  # in the header band
    department: float
    audience_label: float


def type_scale(style: AudienceStyle) -> TypeScale:
    size = style.body_size
    h2 = style.heading_size

    def header(points: float) -> float:
        return max(points * style.scale, style.min_size)

    return TypeScale(
        body=size,
        title=style.title_size,
        subtitle=size * 1.2,
        headings=(h2, max(size * 1.15, (h2 + size) / 2), size * 1.05),
        box_title=size * 1.15,
        # Smaller text (references, captions) never goes below the audience's minimum: 12 pt for patients (Clear
        # Print), 16 pt in large print.
        reference=max(size * 0.85, 9.5, style.min_size),
        caption=max(size * 0.9, style.min_size),
        footer=style.footer_size,
        notice=max(size, CLEAR_PRINT_MINIMUM, style.min_size),
        organisation=header(HEADER_NAME_SIZE),
        department=header(HEADER_DEPARTMENT_SIZE),
        audience_label=header(AUDIENCE_LABEL_SIZE),
    )


def enlarged(style: AudienceStyle) -> AudienceStyle:
    """The large-print version of an audience's style: body at LARGE_PRINT_BODY, everything else scaled to match."""
    factor = max(LARGE_PRINT_BODY / style.body_size, 1.0)
    return replace(
        style,
        label=f"{style.label} (large print)",
        body_size=style.body_size * factor,
        heading_size=style.heading_size * factor,
        title_size=style.title_size * factor,
        footer_size=max(style.footer_size * factor, LARGE_PRINT_MINIMUM),
        min_size=LARGE_PRINT_MINIMUM,
        scale=factor,
    )


@dataclass(frozen=True)
class PageFill:
    """How full one page's text frame is (0 to 1), measured where the layout ended it."""

    page: int
    fill: float
    height: float  # of the text frame, in points


@dataclass(frozen=True)
class LayoutProblem:
    """Where the layout could not follow a rule: what happened, on which page, and the content it concerns."""

    kind: str  # "underfilled": a block that cannot be split moved on; "forced": a keep rule had to be broken
    page: int
    message: str  # what happened, naming the content
    location: Location | None
    fill: float = 1.0  # of the page, for "underfilled"


@dataclass
class LayoutReport:
    """What the page layout of one variant did: each page's fill and every rule it could not keep."""

    pages: list[PageFill]
    problems: list[LayoutProblem]
    filler_pages: int = 0  # pages added ("Notes", or intentionally blank) so the count is a multiple of pad_to
