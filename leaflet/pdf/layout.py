"""Lay out one prepared variant as a list of ReportLab flowables, with its structure tree for screen readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape  # & < > (and quotes); xml.sax.saxutils would pull in urllib at start-up

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer
from reportlab.platypus import ListItem as RLListItem

from ..core.citations import citation_label, percent_encoded, vancouver
from ..core.model import (
    MAX_LIST_DEPTH,
    Block,
    Callout,
    Citation,
    ContactBlock,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Part,
    RichText,
    Section,
    Strong,
    Text,
    plain_text,
)
from ..core.model import (
    Paragraph as ParagraphBlock,
)
from ..core.page import (
    BOX_TITLE_LEADING,
    HEADING_LEADING,
    LEADING,
    MM,
    QR_SIZE,
    SMALL_LEADING,
    TALLEST_PICTURE,
    type_scale,
)
from ..core.theme import AudienceStyle, Theme, tint
from ..core.variant import Variant
from ..reading.fonts import FontSet
from .flowables import Figure, Heading, Panel, QRBlock, TaggedList, TaggedParagraph
from .tagging import StructNode


def paragraph_text(fonts: FontSet, text: str) -> str:
    """text escaped for Paragraph markup, with runs the main font lacks set in the fallback font."""
    if all(fonts.covers(c) or c.isspace() for c in text):
        return escape(text)
    return "".join(
        escape(chunk) if name == fonts.regular else f'<font face="{name}">{escape(chunk)}</font>'
        for name, chunk in fonts.runs(text, fonts.regular)
    )


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
    sizes = type_scale(audience)
    size = sizes.body
    text = colors.HexColor(theme.colours["text"])
    heading_colour = colors.HexColor(theme.colours["heading"])
    muted = colors.HexColor(theme.colours["muted"])
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
            leading=font_size * HEADING_LEADING,
            textColor=heading_colour,
            spaceBefore=space_before,
            spaceAfter=size * 0.45,
            keepWithNext=1,
        )

    h2, h3, h4 = sizes.headings
    return Styles(
        body=body,
        title=heading("title", sizes.title, 0),
        subtitle=ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=sizes.subtitle,
            leading=sizes.subtitle * BOX_TITLE_LEADING,
            textColor=muted,
            spaceAfter=size,
        ),
        headings=[heading("h2", h2, size * 1.1), heading("h3", h3, size * 0.7), heading("h4", h4, size * 0.5)],
        panel_title=ParagraphStyle(
            "panel-title",
            parent=body,
            fontName=fonts.bold,
            fontSize=sizes.box_title,
            leading=sizes.box_title * BOX_TITLE_LEADING,
            spaceAfter=size * 0.4,
            keepWithNext=1,
        ),
        reference=ParagraphStyle(
            "reference",
            parent=body,
            fontSize=sizes.reference,
            leading=sizes.reference * SMALL_LEADING,
            spaceAfter=size * 0.3,
        ),
        caption=ParagraphStyle(
            "caption",
            parent=body,
            fontSize=sizes.caption,
            leading=sizes.caption * SMALL_LEADING,
            textColor=muted,
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
    """Builds the story for one variant, and its structure tree (the reading order for screen readers).

    Every flowable that draws content carries the structure element it belongs to; the elements are created here,
    in reading order, under root (a Document element).
    """

    def __init__(
        self,
        variant: Variant,
        theme: Theme,
        fonts: FontSet,
        frame_width: float,
        root: StructNode | None = None,
        frame_height: float = 200 * MM,
    ) -> None:
        self.variant = variant
        self.theme = theme
        self.fonts = fonts
        self.audience = variant.style
        self.styles = make_styles(theme, self.audience, fonts)
        self.frame_width = frame_width
        self.frame_height = frame_height  # the smallest frame height: nothing unsplittable may be taller
        self.link_colour = theme.colours["link"]
        self.root = root if root is not None else StructNode("Document")

    # Inline text to Paragraph markup; every piece of YAML text is escaped here.
    def markup(self, inlines: tuple[Inline, ...], links: list[str] | None = None) -> str:
        """Paragraph markup for inlines; links (if given) receives a description of each link, in order."""
        links = links if links is not None else []
        out: list[str] = []
        for item in inlines:
            if isinstance(item, Text):
                out.append(paragraph_text(self.fonts, item.text))
            elif isinstance(item, Strong):
                out.append(f"<b>{self.markup(item.children, links)}</b>")
            elif isinstance(item, Link):
                href = escape(percent_encoded(item.href))
                links.append(link_description(item.href, plain_text(item.children)))
                inner = self.markup(item.children, [])
                out.append(f'<a href="{href}" color="{self.link_colour}"><u>{inner}</u></a>')
            elif isinstance(item, Citation):
                numbers = self.variant.numbers
                label = citation_label(item.keys, numbers)
                first = min(numbers[k] for k in item.keys if k in numbers)
                if out and out[-1].endswith(" "):
                    out[-1] = out[-1].rstrip(" ")
                listed = label.strip("[]").replace(",", ", ")
                links.append(f"Go to reference{'' if listed.isdigit() else 's'} {listed}")
                out.append(f'\u00a0<a href="#ref-{first}" color="{self.link_colour}">{escape(label)}</a>')
            elif isinstance(item, LineBreak):
                out.append("<br/>")
        return "".join(out)

    def para(self, text: RichText | tuple[Inline, ...], style: ParagraphStyle, parent: StructNode) -> TaggedParagraph:
        """A paragraph that is one P element under parent."""
        inlines = text.inlines if isinstance(text, RichText) else text
        links: list[str] = []
        markup = self.markup(inlines, links)
        return TaggedParagraph(markup, style, node=parent.add("P"), links=tuple(links))

    def heading(self, text: RichText, style: ParagraphStyle, level: int, parent: StructNode) -> Heading:
        """level 0 is the title (H1, top of the outline); sections are 1 and deeper."""
        links: list[str] = []
        markup = self.markup(text.inlines, links)
        heading = Heading(
            markup,
            style,
            node=parent.add(f"H{level + 1}"),
            links=tuple(links),
            outline_title=" ".join(text.plain().split()),
            outline_level=level,
        )
        # An upper bound first (no glyph is wider than 1.2 em; wrapping at most doubles the lines), so only
        # long headings pay for a trial layout.
        most = (len(text.plain()) * style.fontSize * 2.4 / self.frame_width + 2) * style.leading
        if (
            most > self.frame_height / 2
            and heading.wrap(self.frame_width, self.frame_height)[1] > self.frame_height / 2
        ):
            # Kept with what follows, a heading this tall cannot move to a fresh page and still fit; ReportLab
            # would try for ever when a list follows it.
            heading.keepWithNext = 0
        return heading

    # The story.
    def story(self) -> list[Flowable]:
        leaflet = self.variant.content
        s = self.styles
        root = self.root
        story: list[Flowable] = [self.heading(leaflet.title, s.title, 0, root)]
        if leaflet.subtitle:
            story.append(self.para(leaflet.subtitle, s.subtitle, root))
        else:
            story.append(Spacer(0, s.body.fontSize * 0.5))
        if leaflet.key_points:
            box = root.add("Div")
            # Screen-reader users move between headings: the box title is one, one level below the title.
            heading = paragraph_text(self.fonts, self.audience.key_points_heading)
            title = TaggedParagraph(heading, s.panel_title, node=box.add("H2"))
            story.append(
                Panel(
                    [title, self.list_flowable(leaflet.key_points, False, box)],
                    self.tint("panel"),
                    self.colour("brand"),
                )
            )
            story.append(Spacer(0, s.body.fontSize * 0.6))
        for section in leaflet.sections:
            story += self.section(section, 0, root)
        story += self.words_explained(root)
        if self.variant.references:
            story += self.references(root)
        if leaflet.url:
            story.append(Spacer(0, s.body.fontSize))
            story.append(self.qr_block(root))
        return story

    def section(self, section: Section, level: int, parent: StructNode) -> list[Flowable]:
        style = self.styles.headings[min(level, 2)]
        sect = parent.add("Sect")
        flowables: list[Flowable] = [self.heading(section.heading, style, min(level + 1, 3), sect)]
        flowables[0].source = section.location
        flowables += self.blocks(section.blocks, sect)
        for child in section.sections:
            flowables += self.section(child, level + 1, sect)
        return flowables

    def blocks(self, blocks: tuple[Block, ...], parent: StructNode) -> list[Flowable]:
        flowables: list[Flowable] = []
        for block in blocks:
            made = self.block(block, parent)
            if made:
                made[0].source = block.location  # for the message, if ReportLab still cannot place it
            flowables += made
        return flowables

    def block(self, block: Block, parent: StructNode) -> list[Flowable]:
        if isinstance(block, ParagraphBlock):
            return [self.para(block.text, self.styles.body, parent)]
        if isinstance(block, ListBlock):
            return [self.list_flowable(block.items, block.ordered, parent)]
        if isinstance(block, Callout):
            return [self.callout(block, parent), Spacer(0, self.styles.body.spaceAfter)]
        if isinstance(block, Image):
            return [self.image(block, parent)]
        return self.contact(block, parent)

    def list_flowable(
        self, items: tuple[ListItem, ...], ordered: bool, parent: StructNode, depth: int = 0
    ) -> TaggedList:
        body = self.styles.body
        item_style = body.clone("li", spaceAfter=body.fontSize * 0.25)
        node = parent.add("L", attributes={"O": "List", "ListNumbering": "Decimal" if ordered else "Disc"})
        entries = []
        labels = []
        for item in items:
            entry = node.add("LI")
            labels.append(entry.add("Lbl"))
            entry_body = entry.add("LBody")
            content: list[Flowable] = [self.para(item.text, item_style, entry_body)]
            if item.items and depth + 1 < MAX_LIST_DEPTH:
                content.append(self.list_flowable(item.items, ordered, entry_body, depth + 1))
            entries.append(RLListItem(content))
            if item.items and depth + 1 >= MAX_LIST_DEPTH:
                # Deeper levels are printed at this one, so indentation never pushes text off the page.
                for deeper in _flat(item.items):
                    deeper_entry = node.add("LI")
                    labels.append(deeper_entry.add("Lbl"))
                    entries.append(RLListItem([self.para(deeper.text, item_style, deeper_entry.add("LBody"))]))
        bullets = ("\u2022", "\u2013", "\u2022")
        size = body.fontSize
        # Room for the widest number ("100") and a gap, so long numbered lists do not touch their text.
        label = stringWidth(f"{len(entries)}", self.fonts.bold, size) if ordered else size * 0.6
        indent = max(size * 1.6, size * 0.4 + label + size * 0.5)
        return TaggedList(
            entries,
            labels,
            bulletType="1" if ordered else "bullet",
            start=None if ordered else bullets[depth % 3],
            bulletFontName=self.fonts.bold if ordered else self.fonts.regular,
            bulletFontSize=size,
            bulletColor=self.colour("brand"),
            leftIndent=indent,
            bulletDedent=indent - size * 0.4,
            spaceAfter=body.spaceAfter,
        )

    def callout(self, block: Callout, parent: StructNode) -> Flowable:
        box = parent.add("Div")
        content: list[Flowable] = [self.para(block.title, self.styles.panel_title, box)]
        content += self.blocks(block.blocks, box)
        # The last flowable's spaceAfter would leave a gap at the bottom of the box.
        return Panel(content, self.tint(block.tone), self.colour(block.tone))

    def image(self, block: Image, parent: StructNode) -> Flowable:
        from .images import print_ready

        widest = min(block.width_mm * MM if block.width_mm else self.frame_width, self.frame_width)
        tallest = self.frame_height * TALLEST_PICTURE  # leaves room for the caption on the same page

        def printed_size(pixel_width: int, pixel_height: int) -> tuple[float, float]:
            scale = min(widest / pixel_width, tallest / pixel_height)
            return pixel_width * scale, pixel_height * scale

        source, width, height = print_ready(block.path, printed_size, block.location)
        picture = Figure(source, width=width, height=height, node=parent.add("Figure", alt=block.alt.plain()))
        picture.hAlign = "LEFT"
        parts: list[Flowable] = [picture, Spacer(0, 4)]
        if block.caption:
            parts.append(self.para(block.caption, self.styles.caption, parent))
        parts.append(Spacer(0, self.styles.body.spaceAfter))
        return KeepTogether(parts)

    def contact(self, block: ContactBlock, parent: StructNode) -> list[Flowable]:
        contact = self.theme.contact
        body = self.styles.body
        box = parent.add("Div")
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
            content.append(self.para(block.intro, body, box))
        # A paragraph a line, set as lines of one paragraph: each is at most one text long, so a style's long
        # address cannot make one paragraph that ReportLab would break into lines again on every page.
        line_style = body.clone("contact-line", spaceAfter=0)
        for index, line in enumerate(lines):
            content.append(self.para(line, body if index == len(lines) - 1 else line_style, box))
        if contact.urgent:
            content.append(self.para((Strong((Text(contact.urgent),)),), body, box))
        return [Panel(content, self.tint("panel"), self.colour("brand")), Spacer(0, body.spaceAfter)]

    def words_explained(self, parent: StructNode) -> list[Flowable]:
        """A box explaining the glossary terms this variant uses, and only those."""
        entries = self.variant.glossary
        if not entries:
            return []
        body = self.styles.body
        box = parent.add("Div")
        heading = paragraph_text(self.fonts, self.audience.glossary_heading)
        content: list[Flowable] = [TaggedParagraph(heading, self.styles.panel_title, node=box.add("H2"))]
        entry_style = body.clone("glossary", spaceAfter=body.fontSize * 0.4)
        for entry in entries:
            term = entry.term[:1].upper() + entry.term[1:]
            links: list[str] = []
            text = f"<b>{paragraph_text(self.fonts, term)}:</b> {self.markup(entry.definition.inlines, links)}"
            content.append(TaggedParagraph(text, entry_style, node=box.add("P"), links=tuple(links)))
        return [Panel(content, self.tint("panel"), self.colour("brand")), Spacer(0, body.spaceAfter)]

    def references(self, parent: StructNode) -> list[Flowable]:
        heading = RichText((Part(None, (Text(self.audience.references_heading),), None),))
        sect = parent.add("Sect")
        flowables: list[Flowable] = [self.heading(heading, self.styles.headings[0], 1, sect)]  # an H2
        node = sect.add("L", attributes={"O": "List", "ListNumbering": "Decimal"})
        entries = []
        labels = []
        for number, reference in enumerate(self.variant.references, start=1):
            entry = node.add("LI")
            labels.append(entry.add("Lbl"))
            links: list[str] = []
            text = f'<a name="ref-{number}"/>' + self.markup(vancouver(reference).inlines, links)
            paragraph = TaggedParagraph(text, self.styles.reference, node=entry.add("LBody"), links=tuple(links))
            entries.append(RLListItem(paragraph, value=number))
        size = self.styles.reference.fontSize
        flowables.append(
            TaggedList(
                entries,
                labels,
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

    def qr_block(self, parent: StructNode) -> Flowable:
        url = self.variant.content.url
        # The address on a line of its own and without "https://", so it is not broken in the middle.
        shown = re.sub(r"^https?://", "", url).rstrip("/")
        text = (
            Strong((Text("Read this leaflet online"),)),
            LineBreak(),
            Text("Scan the code or go to"),
            LineBreak(),
            Link(url, (Text(shown),)),
        )
        figure = parent.add("Figure", alt=f"QR code linking to {url}")
        return QRBlock(percent_encoded(url), self.para(text, self.styles.body, parent), QR_SIZE, colors.black, figure)

    # Colours.
    def colour(self, name: str) -> colors.Color:
        return colors.HexColor(self.theme.colours[name])

    def tint(self, name: str) -> colors.Color:
        """A very light version of a theme colour for box backgrounds."""
        if name == "panel":
            return colors.HexColor(self.theme.colours["panel"])
        return colors.Color(*tint(self.theme.colours[name]))


def link_description(href: str, text: str) -> str:
    """What a link does, for the /Contents of its annotation (read out by screen readers)."""
    text = " ".join(text.split())
    if href.startswith("mailto:"):
        return f"Email {href[len('mailto:') :]}"
    if href.startswith("tel:"):
        return f"Phone {text or href[len('tel:') :]}"
    bare = re.sub(r"^https?://", "", href).rstrip("/")
    if not text or text.rstrip("/") in (href.rstrip("/"), bare):
        return href
    return f"{text} ({href})"
