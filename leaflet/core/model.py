"""The typed content model: what a leaflet says, independent of how it is drawn."""

from __future__ import annotations

from collections.abc import Iterator
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


# Walks in reading order, shared by every stage that reads the text (citations, checks, glyph warnings).
def texts(leaflet: Leaflet) -> Iterator[RichText]:
    """Every printed text of the content in reading order: title, subtitle, key points, then each section's
    heading and blocks (callout titles, list items, image captions, contact lines); not the references."""
    yield leaflet.title
    yield leaflet.subtitle
    yield from _item_texts(leaflet.key_points)
    for block_or_heading in _walk(leaflet.sections):
        if isinstance(block_or_heading, RichText):
            yield block_or_heading
        elif isinstance(block_or_heading, Paragraph):
            yield block_or_heading.text
        elif isinstance(block_or_heading, ListBlock):
            yield from _item_texts(block_or_heading.items)
        elif isinstance(block_or_heading, Callout):
            yield block_or_heading.title
        elif isinstance(block_or_heading, Image):
            yield block_or_heading.caption
        elif isinstance(block_or_heading, Contact):
            yield block_or_heading.intro


def blocks(leaflet: Leaflet) -> Iterator[Block]:
    """Every block in reading order, including those inside callouts."""
    return (item for item in _walk(leaflet.sections) if not isinstance(item, RichText))


def _walk(sections: tuple[Section, ...]) -> Iterator[RichText | Block]:
    """Each section's heading, then its blocks (a callout before the blocks inside it), then its subsections."""
    for section in sections:
        yield section.heading
        yield from _walk_blocks(section.blocks)
        yield from _walk(section.sections)


def _walk_blocks(items: tuple[Block, ...]) -> Iterator[Block]:
    for block in items:
        yield block
        if isinstance(block, Callout):
            yield from _walk_blocks(block.blocks)


def _item_texts(items: tuple[ListItem, ...]) -> Iterator[RichText]:
    for item in items:
        yield item.text
        yield from _item_texts(item.items)
