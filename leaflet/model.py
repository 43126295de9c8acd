"""The typed content model: what a leaflet says, independent of how it is drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .errors import Location

# Every record is read-only by convention: change one with dataclasses.replace. They are not declared
# frozen because frozen dataclasses take about 3 ms longer to define, paid on every start-up.

Audiences = frozenset[str] | None  # None: shown to every audience
MAX_LIST_DEPTH = 4  # list levels that are indented; deeper items are printed at this level


# Inline text, parsed from Markdown.
@dataclass
class Text:
    text: str


@dataclass
class Strong:
    children: tuple[Inline, ...]


@dataclass
class Link:
    href: str
    children: tuple[Inline, ...]


@dataclass
class Citation:
    keys: tuple[str, ...]
    location: Location


@dataclass
class LineBreak:
    pass


Inline = Text | Strong | Link | Citation | LineBreak


@dataclass
class Part:
    """One run of text, shown to some or all audiences."""

    audiences: Audiences
    inlines: tuple[Inline, ...]
    location: Location | None


@dataclass
class RichText:
    """Text made of parts; a variant shows the parts for its audience, joined by spaces."""

    parts: tuple[Part, ...]

    def for_audience(self, audience: str) -> RichText:
        return RichText(tuple(p for p in self.parts if p.audiences is None or audience in p.audiences))

    @property
    def inlines(self) -> tuple[Inline, ...]:
        joined: list[Inline] = []
        for index, part in enumerate(self.parts):
            if index:
                joined.append(Text(" "))
            joined.extend(part.inlines)
        return tuple(joined)

    def plain(self) -> str:
        return plain_text(self.inlines)

    def __bool__(self) -> bool:
        return bool(self.parts)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """Text without markup; citations are left out."""
    out: list[str] = []
    for item in inlines:
        if isinstance(item, Text):
            out.append(item.text)
        elif isinstance(item, (Strong, Link)):
            out.append(plain_text(item.children))
        elif isinstance(item, LineBreak):
            out.append(" ")
    return "".join(out)


# Blocks.
@dataclass
class ListItem:
    text: RichText
    items: tuple[ListItem, ...]
    audiences: Audiences
    location: Location


@dataclass
class Paragraph:
    text: RichText
    audiences: Audiences
    location: Location


@dataclass
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    audiences: Audiences
    location: Location


@dataclass
class Callout:
    title: RichText
    tone: str  # info, warning or urgent
    blocks: tuple[Block, ...]
    audiences: Audiences
    location: Location


@dataclass
class Image:
    path: str  # absolute, checked to lie inside the content's folder
    alt: RichText
    caption: RichText
    width_mm: float | None
    audiences: Audiences
    location: Location


@dataclass
class Contact:
    """The clinic's contact details, taken from the style when laid out."""

    intro: RichText
    audiences: Audiences
    location: Location


Block = Paragraph | ListBlock | Callout | Image | Contact


@dataclass
class Section:
    heading: RichText
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    audiences: Audiences
    location: Location


@dataclass
class Reference:
    id: str
    title: str
    authors: tuple[str, ...] = ()
    journal: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    publisher: str = ""
    location: Location | None = None


@dataclass
class Review:
    last_reviewed: date
    next_review: date
    version: str
    owner: str = ""
    author: str = ""
    approved_by: str = ""
    last_reviewed_at: Location | None = None  # where each date is written, for findings about it
    next_review_at: Location | None = None


@dataclass
class GlossaryEntry:
    """A term the patient text may use, with a plain explanation for the "Words explained" box."""

    term: str
    definition: RichText
    aliases: tuple[str, ...]  # other forms that count as the term: plurals, related words
    location: Location


@dataclass
class Leaflet:
    id: str
    title: RichText
    subtitle: RichText
    language: str
    url: str
    keywords: tuple[str, ...]
    audiences: tuple[str, ...]
    review: Review
    key_points: tuple[ListItem, ...]
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    source: str
    base_dir: str
    glossary: tuple[GlossaryEntry, ...] = ()
    audience: str = ""  # set once one audience's content has been selected
    numbers: dict[str, int] = field(default_factory=dict)  # citation numbers of the selected variant
