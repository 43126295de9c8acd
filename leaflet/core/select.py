"""Select one audience's content: drop what is not for it, keep the order of everything else.

This rebuilds the content tree, so it descends the tree's own shape; stages that only read the text use
model.walk.
"""

from __future__ import annotations

from dataclasses import replace

from .model import Block, Callout, ContactBlock, Image, Leaflet, ListBlock, ListItem, Paragraph, Section


def select(leaflet: Leaflet, audience: str) -> Leaflet:
    """The leaflet as one audience sees it; text parts and blocks for other audiences are removed."""
    return replace(
        leaflet,
        title=leaflet.title.for_audience(audience),
        subtitle=leaflet.subtitle.for_audience(audience),
        key_points=_items(leaflet.key_points, audience),
        sections=tuple(s for s in (_section(s, audience) for s in leaflet.sections) if s),
        glossary=tuple(
            replace(entry, definition=definition)
            for entry in leaflet.glossary
            if (definition := entry.definition.for_audience(audience))
        ),
    )


def _shown(audiences: frozenset[str] | None, audience: str) -> bool:
    return audiences is None or audience in audiences


def _section(section: Section, audience: str) -> Section | None:
    if not _shown(section.audiences, audience):
        return None
    blocks = _blocks(section.blocks, audience)
    sections = tuple(s for s in (_section(s, audience) for s in section.sections) if s)
    heading = section.heading.for_audience(audience)
    if not (blocks or sections) or not heading:
        return None  # every block was for other audiences, or the heading has no text for this one
    return replace(section, heading=heading, blocks=blocks, sections=sections, audiences=None)


def _blocks(blocks: tuple[Block, ...], audience: str) -> tuple[Block, ...]:
    kept = []
    for block in blocks:
        if not _shown(block.audiences, audience):
            continue
        chosen = _block(block, audience)
        if chosen is not None:
            kept.append(chosen)
    return tuple(kept)


def _block(block: Block, audience: str) -> Block | None:
    if isinstance(block, Paragraph):
        text = block.text.for_audience(audience)
        return replace(block, text=text, audiences=None) if text else None
    if isinstance(block, ListBlock):
        items = _items(block.items, audience)
        return replace(block, items=items, audiences=None) if items else None
    if isinstance(block, Callout):
        inner = _blocks(block.blocks, audience)
        return replace(block, title=block.title.for_audience(audience), blocks=inner, audiences=None) if inner else None
    if isinstance(block, Image):
        return replace(
            block, alt=block.alt.for_audience(audience), caption=block.caption.for_audience(audience), audiences=None
        )
    if isinstance(block, ContactBlock):
        return replace(block, intro=block.intro.for_audience(audience), audiences=None)
    raise TypeError(f"unknown block {block!r}")


def _items(items: tuple[ListItem, ...], audience: str) -> tuple[ListItem, ...]:
    kept = []
    for item in items:
        if not _shown(item.audiences, audience):
            continue
        text = item.text.for_audience(audience)
        if text:
            kept.append(replace(item, text=text, items=_items(item.items, audience), audiences=None))
    return tuple(kept)
