"""The typed content model: what a leaflet says, independent of how it is drawn."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .errors import Location

# Every record is read-only by convention: change one with dataclasses.replace. They are not declared
# frozen because frozen dataclasses take about 3 ms longer to define, paid on every start-up.

Audiences = frozenset[str] | None  # None: shown to every audience
MAX_LIST_DEPTH = 4  # list levels that are indented; deeper items are printed at this level
MAX_BOX_DEPTH = 3  # callouts inside callouts: each level narrows the text by its padding and bar


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

    def for_audience(self, audience: str, fallbacks: tuple[str, ...] = ()) -> RichText:
        """The parts for everyone and those for audience; if no part is for it, those for the first of its
        fallbacks (the audiences it falls back to, nearest first) that has any."""
        for name in (audience, *fallbacks):
            if any(p.audiences is not None and name in p.audiences for p in self.parts):
                return RichText(tuple(p for p in self.parts if p.audiences is None or name in p.audiences))
        return RichText(tuple(p for p in self.parts if p.audiences is None))

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


def walk_inlines(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    """Every inline in reading order, including those inside emphasis and links (each after its container)."""
    for item in inlines:
        yield item
        if isinstance(item, (Strong, Link)):
            yield from walk_inlines(item.children)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """Text without markup; citations are left out."""
    return "".join(
        item.text if isinstance(item, Text) else " " if isinstance(item, LineBreak) else ""
        for item in walk_inlines(inlines)
    )


def citation_keys(inlines: tuple[Inline, ...]) -> Iterator[str]:
    """The reference keys cited in inlines, in order, repeats included."""
    for item in walk_inlines(inlines):
        if isinstance(item, Citation):
            yield from item.keys


# Blocks.
class Placement(NamedTuple):
    """What an author asks of the page layout for one block or section (rarely needed: the defaults keep
    headings, boxes and pictures with their text)."""

    keep_together: bool = False  # never split across pages
    page_break_before: bool = False  # start on a new page


ANYWHERE = Placement()


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
    placement: Placement = ANYWHERE


@dataclass
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    audiences: Audiences
    location: Location
    placement: Placement = ANYWHERE


@dataclass
class Callout:
    title: RichText
    tone: str  # info, warning or urgent
    blocks: tuple[Block, ...]
    audiences: Audiences
    location: Location
    placement: Placement = ANYWHERE


@dataclass
class Image:
    path: str  # absolute, checked to lie inside the content's folder
    alt: RichText
    caption: RichText
    width_mm: float | None
    audiences: Audiences
    location: Location
    placement: Placement = ANYWHERE


@dataclass
class ContactBlock:
    """Where the clinic's contact details go; the details themselves come from the style."""

    intro: RichText
    audiences: Audiences
    location: Location
    placement: Placement = ANYWHERE


Block = Paragraph | ListBlock | Callout | Image | ContactBlock


@dataclass
class Section:
    heading: RichText
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    audiences: Audiences
    location: Location
    placement: Placement = ANYWHERE


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
class HistoryEntry:
    """One version in the leaflet's change log, with who approved it."""

    version: str
    date: date
    changes: str
    approved_by: str
    location: Location


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
    history: tuple[HistoryEntry, ...] = ()  # in the order written
    falls_back_to: tuple[tuple[str, str], ...] = ()  # (audience, the audience whose text it gets where it has none)

    def fallbacks(self, audience: str) -> tuple[str, ...]:
        """The audiences whose text audience gets where it has none of its own, nearest first."""
        chain: list[str] = []
        ways = dict(self.falls_back_to)
        while (audience := ways.get(audience, "")) and audience not in chain:
            chain.append(audience)
        return tuple(chain)


# The one walk of the content in reading order, shared by every stage that reads its text.
class Visit(NamedTuple):
    """One stop of the walk: a piece of content, the text it prints (None if it prints none of its own, as a
    list or a box's body), what kind of text that is, and the top-level section it belongs to."""

    item: Section | Block | ListItem | None  # None for the title and subtitle
    text: RichText | None
    kind: str  # title, subtitle, key point, heading, paragraph, list, item, box title, caption or contact
    section: Section | None  # None for the title, subtitle and key points


HEADING_KINDS = ("title", "subtitle", "heading")


def walk(leaflet: Leaflet) -> Iterator[Visit]:
    """Everything the content prints, in reading order: title, subtitle, key points, then each section's
    heading, its blocks (a box's title before the blocks inside it, a list item before its sub-items) and its
    subsections. Not the references or the glossary, which are printed apart from the text."""
    yield Visit(None, leaflet.title, "title", None)
    yield Visit(None, leaflet.subtitle, "subtitle", None)
    yield from _items(leaflet.key_points, None, "key point")
    for section in leaflet.sections:
        yield from _section(section, section)


def _section(section: Section, top: Section) -> Iterator[Visit]:
    yield Visit(section, section.heading, "heading", top)
    yield from _blocks(section.blocks, top)
    for child in section.sections:
        yield from _section(child, top)


def _blocks(blocks: tuple[Block, ...], top: Section) -> Iterator[Visit]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield Visit(block, block.text, "paragraph", top)
        elif isinstance(block, ListBlock):
            yield Visit(block, None, "list", top)
            yield from _items(block.items, top, "item")
        elif isinstance(block, Callout):
            yield Visit(block, block.title, "box title", top)
            yield from _blocks(block.blocks, top)
        elif isinstance(block, Image):
            yield Visit(block, block.caption, "caption", top)
        elif isinstance(block, ContactBlock):
            yield Visit(block, block.intro, "contact", top)


def _items(items: tuple[ListItem, ...], top: Section | None, kind: str) -> Iterator[Visit]:
    for item in items:
        yield Visit(item, item.text, kind, top)
        yield from _items(item.items, top, kind)


def all_items(items: tuple[ListItem, ...]) -> list[ListItem]:
    """These list items and every item below them, in reading order."""
    return [visit.item for visit in _items(items, None, "") if isinstance(visit.item, ListItem)]


def texts(leaflet: Leaflet) -> Iterator[RichText]:
    """Every text the content prints, in reading order (see walk)."""
    return (visit.text for visit in walk(leaflet) if visit.text is not None)


def blocks(leaflet: Leaflet) -> Iterator[Block]:
    """Every block in reading order, including those inside boxes."""
    return (visit.item for visit in walk(leaflet) if isinstance(visit.item, BLOCK_TYPES))


BLOCK_TYPES = (Paragraph, ListBlock, Callout, Image, ContactBlock)
