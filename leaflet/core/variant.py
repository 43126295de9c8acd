"""A prepared variant: one audience's leaflet in one format, with everything a writer needs and nothing to decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .about import About, about
from .citations import number
from .dates import long_date
from .model import GlossaryEntry, Leaflet, Reference
from .page import enlarged
from .select import select
from .terms import used_entries
from .theme import AudienceStyle, Theme


class Format(NamedTuple):
    """What one format makes of a leaflet for one audience."""

    suffix: str  # added to '<id>-<audience>' in the file's name
    extension: str = "pdf"
    large_print: bool = False
    paper: str = "A4"  # the page size ("print": the style's print_paper)
    booklet: bool = False  # padded to a multiple of 4 pages, then imposed two up for folding
    print_marks: bool = False  # for a print shop: bleed and crop marks around each page


FORMAT_SPECS = {
    "standard": Format(""),
    "large-print": Format("-large-print", large_print=True),
    "a5": Format("-a5", paper="A5"),
    "booklet": Format("-booklet", paper="A5", booklet=True),
    "print": Format("-print", print_marks=True),
    "html": Format("", extension="html"),
}
FORMATS = tuple(FORMAT_SPECS)  # in the order a build makes them: every PDF before the web page that links to them


@dataclass
class Variant:
    """What one PDF (or web page) shows: the content as its audience sees it, numbered and styled."""

    content: Leaflet  # only what this audience sees
    audience: str
    large_print: bool
    style: AudienceStyle  # enlarged for large print
    numbers: dict[str, int]  # reference id -> its number in this variant, in order of first citation
    references: tuple[Reference, ...]  # the cited references, in that order
    glossary: tuple[GlossaryEntry, ...]  # the "Words explained" box: the terms this text uses, if it has a box
    about: About | None = None  # "About this leaflet", printed at the end
    notice: str | None = None  # printed on every page of a leaflet past its review date
    format: str = "standard"  # FORMATS
    paper: str = "A4"
    pad_to: int = 1  # the page count is made a multiple of this: 2 when printed double-sided, 4 for a booklet
    filler: str = "notes"  # what the pages that pad it hold: notes, or blank (booklet_filler)
    print_marks: bool = False


def prepare(
    leaflet: Leaflet, audience: str, theme: Theme, format: str = "standard", notice: str | None = None
) -> Variant:
    """One audience's leaflet in one format (FORMATS; the web page reads the standard variant)."""
    spec = FORMAT_SPECS[format]
    content = select(leaflet, audience)
    numbers, references = number(content)
    style = theme.for_audience(audience)
    box = used_entries(content) if theme.targets_for(audience).explain_terms else ()
    return Variant(
        content=content,
        audience=audience,
        large_print=spec.large_print,
        style=enlarged(style) if spec.large_print else style,
        numbers=numbers,
        references=references,
        glossary=box,
        about=about(content, theme, style),
        notice=notice,
        format=format,
        paper=style.print_paper if spec.print_marks else spec.paper,
        pad_to=4 if spec.booklet else 2 if style.duplex else 1,
        filler=style.booklet_filler if spec.booklet else "notes",
        print_marks=spec.print_marks,
    )


def review_notice(next_review: date) -> str:
    """What every page of an overdue leaflet says, so that it never looks current."""
    return f"Past its review date ({long_date(next_review)}): ask for the latest version"
