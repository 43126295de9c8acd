"""A prepared variant: one audience's leaflet in one format, with everything a writer needs and nothing to decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .about import About, about
from .citations import number
from .dates import long_date
from .model import GlossaryEntry, Leaflet, Reference
from .page import enlarged
from .select import select
from .terms import used_entries
from .theme import AudienceStyle, Theme

FORMATS = ("standard", "large-print", "html")  # print, large print (PDFs) and the web page


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


def prepare(
    leaflet: Leaflet, audience: str, theme: Theme, large_print: bool = False, notice: str | None = None
) -> Variant:
    content = select(leaflet, audience)
    numbers, references = number(content)
    style = theme.for_audience(audience)
    box = used_entries(content) if theme.targets_for(audience).explain_terms else ()
    return Variant(
        content=content,
        audience=audience,
        large_print=large_print,
        style=enlarged(style) if large_print else style,
        numbers=numbers,
        references=references,
        glossary=box,
        about=about(content, theme, style),
        notice=notice,
    )


def review_notice(next_review: date) -> str:
    """What every page of an overdue leaflet says, so that it never looks current."""
    return f"Past its review date ({long_date(next_review)}): ask for the latest version"
