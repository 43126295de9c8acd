"""Select one audience's content: drop what is not for it, keep the order of everything else.

This rebuilds the content tree, so it descends the tree's own shape; stages that only read the text use
model.walk.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from .model import Block, Callout, ContactBlock, Image, Leaflet, ListBlock, ListItem, Paragraph, RichText, Section


def select(leaflet: Leaflet, name: str) -> Leaflet:
    """The leaflet as one audience sees it; text parts and blocks for other audiences are removed. An audience
    that falls back to another (falls_back_to) also sees what is for that one, and gets its text where a piece
    of text has none of its own."""
    audience = _Audience(name, leaflet.fallbacks(name))
    return replace(
        leaflet,
        title=audience.text(leaflet.title),
        subtitle=audience.text(leaflet.subtitle),
        key_points=_items(leaflet.key_points, audience),
        sections=tuple(s for s in (_section(s, audience) for s in leaflet.sections) if s),
        glossary=tuple(
            replace(entry, definition=definition)
            for entry in leaflet.glossary
            if (definition := audience.text(entry.definition))
        ),
    )


class _Audience(NamedTuple):
    name: str
    fallbacks: tuple[str, ...]

    def text(self, text: RichText) -> RichText:
        return text.for_audience(self.name, self.fallbacks)


def _shown(audiences: frozenset[str] | None, audience: _Audience) -> bool:
    return audiences is None or audience.name in audiences or any(a in audiences for a in audience.fallbacks)


def _section(section: Section, audience: _Audience) -> Section | None:
    if not _shown(section.audiences, audience):
        return None
    blocks = _blocks(section.blocks, audience)
    sections = tuple(s for s in (_section(s, audience) for s in section.sections) if s)
    heading = audience.text(section.heading)
    if not (blocks or sections) or not heading:
        return None  # every block was for other audiences, or the heading has no text for this one
    return replace(section, heading=heading, blocks=blocks, sections=sections, audiences=None)


def _blocks(blocks: tuple[Block, ...], audience: _Audience) -> tuple[Block, ...]:
    kept = []
    for block in blocks:
        if not _shown(block.audiences, audience):
            continue
        chosen = _block(block, audience)
        if chosen is not None:
            kept.append(chosen)
    return tuple(kept)


def _block(block: Block, audience: _Audience) -> Block | None:
    if isinstance(block, Paragraph):
        text = audience.text(block.text)
        return replace(block, text=text, audiences=None) if text else None
    if isinstance(block, ListBlock):
        items = _items(block.items, audience)
        return replace(block, items=items, audiences=None) if items else None
    if isinstance(block, Callout):
        inner = _blocks(block.blocks, audience)
        return replace(block, title=audience.text(block.title), blocks=inner, audiences=None) if inner else None
    if isinstance(block, Image):
        return replace(block, alt=audience.text(block.alt), caption=audience.text(block.caption), audiences=None)
    if isinstance(block, ContactBlock):
        return replace(block, intro=audience.text(block.intro), audiences=None)
    raise TypeError(f"unknown block {block!r}")


def _items(items: tuple[ListItem, ...], audience: _Audience) -> tuple[ListItem, ...]:
    kept = []
    for item in items:
        if not _shown(item.audiences, audience):
            continue
        text = audience.text(item.text)
        if text:
            kept.append(replace(item, text=text, items=_items(item.items, audience), audiences=None))
    return tuple(kept)
