"""Lay out one selected, numbered leaflet as a list of ReportLab flowables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus import ListItem as RLListItem

from .citations import citation_label, vancouver
from .flowables import FittedImage, Heading, ItemList, Panel, QRBlock
from .fonts import FontSet
from .model import (
    MAX_LIST_DEPTH,
    Block,
    Callout,
    Citation,
    Contact,
    Image,
    Inline,
    Leaflet,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    RichText,
    Section,
    Strong,
    Text,
)
from .model import (
    Paragraph as ParagraphBlock,
)
from .style import AudienceStyle, Theme

LEADING = 1.4  # line height as a multiple of type size: generous, for low-vision readers


@dataclass
class Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    headings: list[ParagraphStyle]  # level 0 = section, 1 = subsection, 2 = deeper
    panel_title: ParagraphStyle
    reference: ParagraphStyle
    caption: ParagraphStyle


def make_styles(theme: Theme, audience: AudienceStyle, fonts: FontSet) -> Styles:
    size = audience.body_size
    text = colors.HexColor(theme.colours["text"])
    heading_colour = colors.HexColor(theme.colours["heading"])
    body = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=size,
        leading=size * LEADING,
        textColor=text,
        alignment=TA_LEFT,  # Clear Print: ragged right, never justified
        spaceAfter=size * 0.6,
        splitLongWords=1,
    )

    def heading(name: str, font_size: float, space_before: float) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            parent=body,
            fontName=fonts.bold,
            fontSize=font_size,
            leading=font_size * 1.25,
            textColor=heading_colour,
            spaceBefore=space_before,
            spaceAfter=size * 0.45,
            keepWithNext=1,
        )

    h2 = audience.heading_size
    h3 = max(size * 1.15, (h2 + size) / 2)
    return Styles(
        body=body,
        title=heading("title", audience.title_size, 0),
        subtitle=ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=size * 1.2,
            leading=size * 1.2 * 1.3,
            textColor=colors.HexColor(theme.colours["muted"]),
            spaceAfter=size,
        ),
        headings=[heading("h2", h2, size * 1.1), heading("h3", h3, size * 0.7), heading("h4", size * 1.05, size * 0.5)],
        panel_title=ParagraphStyle(
            "panel-title",
            parent=body,
            fontName=fonts.bold,
            fontSize=size * 1.15,
            leading=size * 1.15 * 1.3,
            spaceAfter=size * 0.4,
            keepWithNext=1,
        ),
        reference=ParagraphStyle(
            "reference",
            parent=body,
            fontSize=max(size * 0.85, 9.5),
            leading=max(size * 0.85, 9.5) * 1.35,
            spaceAfter=size * 0.3,
        ),
        caption=ParagraphStyle(
            "caption",
            parent=body,
            fontSize=size * 0.9,
            leading=size * 0.9 * 1.35,
            textColor=colors.HexColor(theme.colours["muted"]),
        ),
    )


def _flat(items: tuple[ListItem, ...]) -> list[ListItem]:
    """Every item below these, in reading order."""
    out: list[ListItem] = []
    for item in items:
        out.append(item)
        out += _flat(item.items)
    return out


class Layout:
    """Builds the story for one variant."""

    def __init__(
        self, leaflet: Leaflet, theme: Theme, fonts: FontSet, frame_width: float, frame_height: float = 200 * mm
    ) -> None:
        self.leaflet = leaflet
        self.theme = theme
        self.fonts = fonts
        self.audience = theme.for_audience(leaflet.audience)
        self.styles = make_styles(theme, self.audience, fonts)
        self.frame_width = frame_width
        self.frame_height = frame_height  # the smallest frame height: nothing unsplittable may be taller
        self.link_colour = theme.colours["link"]

    # Inline text to Paragraph markup; every piece of YAML text is escaped here.
    def markup(self, inlines: tuple[Inline, ...]) -> str:
        out: list[str] = []
        for item in inlines:
            if isinstance(item, Text):
                out.append(self.fonts.markup(item.text))
            elif isinstance(item, Strong):
                out.append(f"<b>{self.markup(item.children)}</b>")
            elif isinstance(item, Link):
                href = escape(item.href, {'"': "&quot;"})
                out.append(f'<a href="{href}" color="{self.link_colour}"><u>{self.markup(item.children)}</u></a>')
            elif isinstance(item, Citation):
                label = citation_label(item.keys, self.leaflet.numbers)
                first = min(self.leaflet.numbers[k] for k in item.keys if k in self.leaflet.numbers)
                if out and out[-1].endswith(" "):
                    out[-1] = out[-1].rstrip(" ")
                out.append(f'\u00a0<a href="#ref-{first}" color="{self.link_colour}">{escape(label)}</a>')
            elif isinstance(item, LineBreak):
                out.append("<br/>")
        return "".join(out)

    def heading(self, markup: str, style: ParagraphStyle, outline_title: str, level: int) -> Heading:
        heading = Heading(markup, style, outline_title, level)
        _, height = heading.wrap(self.frame_width, self.frame_height)
        if height > self.frame_height / 2:
            # Kept with what follows, a heading this tall cannot move to a fresh page and still fit; ReportLab
            # would try for ever when a list follows it.
            heading.keepWithNext = 0
        return heading

    def para(self, text: RichText | tuple[Inline, ...], style: ParagraphStyle) -> Paragraph:
        inlines = text.inlines if isinstance(text, RichText) else text
        return Paragraph(self.markup(inlines), style)

    # The story.
    def story(self) -> list[Flowable]:
        leaflet = self.leaflet
        s = self.styles
        story: list[Flowable] = [self.heading(self.markup(leaflet.title.inlines), s.title, leaflet.title.plain(), 0)]
        if leaflet.subtitle:
            story.append(self.para(leaflet.subtitle, s.subtitle))
        else:
            story.append(Spacer(0, s.body.fontSize * 0.5))
        if leaflet.key_points:
            title = Paragraph("Key points", s.panel_title)
            story.append(
                Panel([title, self.list_flowable(leaflet.key_points, False)], self.tint("panel"), self.colour("brand"))
            )
            story.append(Spacer(0, s.body.fontSize * 0.6))
        for section in leaflet.sections:
            story += self.section(section, 0)
        if leaflet.references:
            story += self.references()
        if leaflet.url:
            story.append(Spacer(0, s.body.fontSize))
            story.append(self.qr_block())
        return story

    def section(self, section: Section, level: int) -> list[Flowable]:
        style = self.styles.headings[min(level, 2)]
        flowables: list[Flowable] = [
            self.heading(self.markup(section.heading.inlines), style, section.heading.plain(), min(level + 1, 3))
        ]
        flowables += self.blocks(section.blocks)
        for child in section.sections:
            flowables += self.section(child, level + 1)
        return flowables

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        flowables: list[Flowable] = []
        for block in blocks:
            if isinstance(block, ParagraphBlock):
                flowables.append(self.para(block.text, self.styles.body))
            elif isinstance(block, ListBlock):
                flowables.append(self.list_flowable(block.items, block.ordered))
            elif isinstance(block, Callout):
                flowables += [self.callout(block), Spacer(0, self.styles.body.spaceAfter)]
            elif isinstance(block, Image):
                flowables.append(self.image(block))
            elif isinstance(block, Contact):
                flowables += self.contact(block)
        return flowables

    def list_flowable(self, items: tuple[ListItem, ...], ordered: bool, depth: int = 0) -> ItemList:
        body = self.styles.body
        item_style = body.clone("li", spaceAfter=body.fontSize * 0.25)
        entries = []
        for item in items:
            content: list[Flowable] = [Paragraph(self.markup(item.text.inlines), item_style)]
            if item.items and depth + 1 < MAX_LIST_DEPTH:
                content.append(self.list_flowable(item.items, ordered, depth + 1))
            entries.append(RLListItem(content))
            if item.items and depth + 1 >= MAX_LIST_DEPTH:
                # Deeper levels are printed at this one, so indentation never pushes text off the page.
                entries += [
                    RLListItem([Paragraph(self.markup(deeper.text.inlines), item_style)])
                    for deeper in _flat(item.items)
                ]
        bullets = ("\u2022", "\u2013", "\u2022")
        size = body.fontSize
        # Room for the widest number ("100") and a gap, so long numbered lists do not touch their text.
        label = stringWidth(f"{len(entries)}", self.fonts.bold, size) if ordered else size * 0.6
        indent = max(size * 1.6, size * 0.4 + label + size * 0.5)
        return ItemList(
            entries,
            bulletType="1" if ordered else "bullet",
            start=None if ordered else bullets[depth % 3],
            bulletFontName=self.fonts.bold if ordered else self.fonts.regular,
            bulletFontSize=size,
            bulletColor=self.colour("brand"),
            leftIndent=indent,
            bulletDedent=indent - size * 0.4,
            spaceAfter=body.spaceAfter,
        )

    def callout(self, block: Callout) -> Flowable:
        content: list[Flowable] = [self.para(block.title, self.styles.panel_title)]
        content += self.blocks(block.blocks)
        # The last flowable's spaceAfter would leave a gap at the bottom of the box.
        return Panel(content, self.tint(block.tone), self.colour(block.tone))

    def image(self, block: Image) -> Flowable:
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(block.path)
        pixel_width, pixel_height = reader.getSize()
        width = min(block.width_mm * mm if block.width_mm else self.frame_width, self.frame_width)
        height = width * pixel_height / pixel_width
        tallest = self.frame_height * 0.75  # leaves room for the caption on the same page
        if height > tallest:
            width, height = width * tallest / height, tallest
        picture = FittedImage(block.path, width=width, height=height)
        picture.alt_text = block.alt.plain()
        picture.hAlign = "LEFT"
        parts: list[Flowable] = [picture, Spacer(0, 4)]
        if block.caption:
            parts.append(self.para(block.caption, self.styles.caption))
        parts.append(Spacer(0, self.styles.body.spaceAfter))
        return KeepTogether(parts)

    def contact(self, block: Contact) -> list[Flowable]:
        contact = self.theme.contact
        body = self.styles.body
        lines: list[tuple[Inline, ...]] = [(Strong((Text(self.theme.department or self.theme.organisation),)),)]
        if contact.phone:
            tel = "tel:" + re.sub(r"[^0-9+]", "", contact.phone)
            hours = f" ({contact.phone_hours})" if contact.phone_hours else ""
            lines.append((Text("Phone: "), Link(tel, (Text(contact.phone),)), Text(hours)))
        if contact.email:
            lines.append((Text("Email: "), Link(f"mailto:{contact.email}", (Text(contact.email),))))
        if contact.website:
            shown = re.sub(r"^https?://", "", contact.website).rstrip("/")
            lines.append((Text("Website: "), Link(contact.website, (Text(shown),))))
        if contact.address:
            lines.append((Text(", ".join(contact.address)),))
        content: list[Flowable] = []
        if block.intro:
            content.append(self.para(block.intro, body))
        content.append(Paragraph("<br/>".join(self.markup(line) for line in lines), body))
        if contact.urgent:
            content.append(self.para((Strong((Text(contact.urgent),)),), body))
        return [Panel(content, self.tint("panel"), self.colour("brand")), Spacer(0, body.spaceAfter)]

    def references(self) -> list[Flowable]:
        heading = self.audience.references_heading
        flowables: list[Flowable] = [self.heading(escape(heading), self.styles.headings[0], heading, 1)]
        entries = []
        for number, reference in enumerate(self.leaflet.references, start=1):
            text = f'<a name="ref-{number}"/>' + self.markup(vancouver(reference).inlines)
            entries.append(RLListItem(Paragraph(text, self.styles.reference), value=number))
        size = self.styles.reference.fontSize
        flowables.append(
            ItemList(
                entries,
                bulletType="1",
                bulletFormat="%s.",
                bulletFontName=self.fonts.regular,
                bulletFontSize=size,
                leftIndent=size * 2.2,
                bulletDedent=size * 2.0,
                bulletAlign="left",
            )
        )
        return flowables

    def qr_block(self) -> Flowable:
        url = self.leaflet.url
        text = (
            Strong((Text("Read this leaflet online"),)),
            LineBreak(),
            Text("Scan the code or go to "),
            Link(url, (Text(url),)),
        )
        return QRBlock(url, self.para(text, self.styles.body), 28 * mm, colors.black)

    # Colours.
    def colour(self, name: str) -> colors.Color:
        return colors.HexColor(self.theme.colours[name])

    def tint(self, name: str) -> colors.Color:
        """A very light version of a theme colour for box backgrounds."""
        if name == "panel":
            return colors.HexColor(self.theme.colours["panel"])
        base = self.colour(name)
        return colors.Color(*(1 - (1 - c) * 0.1 for c in (base.red, base.green, base.blue)))
