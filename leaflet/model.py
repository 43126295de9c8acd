"""The typed content model: what a leaflet says, independent of how it is drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .errors import Location

Audiences = frozenset[str] | None  # None: shown to every audience
MAX_LIST_DEPTH = 4  # list levels that are indented; deeper items are printed at this level


# Inline text, parsed from Markdown.
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Citation:
    keys: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class LineBreak:
    pass


Inline = Text | Strong | Link | Citation | LineBreak


@dataclass(frozen=True)
class Part:
    """One run of text, shown to some or all audiences."""

    audiences: Audiences
    inlines: tuple[Inline, ...]
    location: Location | None


@dataclass(frozen=True)
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
@dataclass(frozen=True)
class ListItem:
    text: RichText
    items: tuple[ListItem, ...]
    audiences: Audiences
    location: Location


@dataclass(frozen=True)
class Paragraph:
    text: RichText
    audiences: Audiences
    location: Location


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    audiences: Audiences
    location: Location


@dataclass(frozen=True)
class Callout:
    title: RichText
    tone: str  # info, warning or urgent
    blocks: tuple[Block, ...]
    audiences: Audiences
    location: Location


@dataclass(frozen=True)
class Image:
    path: str  # absolute, checked to lie inside the content's folder
    alt: RichText
    caption: RichText
    width_mm: float | None
    audiences: Audiences
    location: Location


@dataclass(frozen=True)
class Contact:
    """The clinic's contact details, taken from the style when laid out."""

    intro: RichText
    audiences: Audiences
    location: Location


Block = Paragraph | ListBlock | Callout | Image | Contact


@dataclass(frozen=True)
class Section:
    heading: RichText
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    audiences: Audiences
    location: Location


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Review:
    last_reviewed: date
    next_review: date
    version: str
    owner: str = ""
    author: str = ""
    approved_by: str = ""


@dataclass(frozen=True)
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
    audience: str = ""  # set once one audience's content has been selected
    numbers: dict[str, int] = field(default_factory=dict)  # citation numbers of the selected variant
