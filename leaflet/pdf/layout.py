"""Lay out one prepared variant as a list of ReportLab flowables, with its structure tree for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape  # & < > (and quotes); xml.sax.saxutils would pull in urllib at start-up

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..core.citations import citation_label, cited_numbers, percent_encoded, vancouver
from ..core.errors import Location
from ..core.model import (
    ANYWHERE,
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
    Placement,
    RichText,
    Section,
    Strong,
    Text,
    all_items,
    plain_text,
)
from ..core.model import (
    Paragraph as ParagraphBlock,
)
from ..core.page import (
    BOX_TITLE_GAP,
    BOX_TITLE_LEADING,
    HEADING_GAP_AFTER,
    HEADING_GAPS,
    HEADING_LEADING,
    ITEM_GAP,
    KEEP_LINES,
    LEADING,
    MM,
    NOTES_LINE_GAP,
    PARAGRAPH_GAP,
    QR_SIZE,
    REFERENCE_GAP,
    SMALL_LEADING,
    TALLEST_PICTURE,
    keep_whole_below,
    type_scale,
)
from ..core.theme import AudienceStyle, Theme, tint
from ..core.variant import Variant
from ..core.wording import (
    BLANK_PAGE,
    citation_description,
    contact_lines,
    glossary_term,
    link_description,
    one_line,
    online_text,
    qr_description,
)
from ..reading.fonts import FontSet
from .breaking import cuts
from .flowables import (
    BlankPage,
    ContinuedTitle,
    Figure,
    FigureBlock,
    Heading,
    ItemList,
    Label,
    ListEntry,
    NotesPage,
    Panel,
    QRBlock,
    TaggedParagraph,
)
from .pagination import TALL, Group
from .reportlab_internals import install_word_breaking
from .tagging import StructNode

install_word_breaking(cuts)


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
        spaceAfter=size * PARAGRAPH_GAP,
        splitLongWords=1,  # where a long word breaks: pdf/breaking.py
        allowWidows=1,  # where a paragraph breaks across pages: pdf/pagination.py
        allowOrphans=1,
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
            spaceAfter=size * HEADING_GAP_AFTER,
        )

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
        headings=[
            heading(f"h{level}", points, size * gap)
            for level, points, gap in zip((2, 3, 4), sizes.headings, HEADING_GAPS, strict=True)
        ],
        panel_title=ParagraphStyle(
            "panel-title",
            parent=body,
            fontName=fonts.bold,
            fontSize=sizes.box_title,
            leading=sizes.box_title * BOX_TITLE_LEADING,
            spaceAfter=size * BOX_TITLE_GAP,
        ),
        reference=ParagraphStyle(
            "reference",
            parent=body,
            fontSize=sizes.reference,
            leading=sizes.reference * SMALL_LEADING,
            spaceAfter=size * REFERENCE_GAP,
        ),
        caption=ParagraphStyle(
            "caption",
            parent=body,
            fontSize=sizes.caption,
            leading=sizes.caption * SMALL_LEADING,
            textColor=muted,
        ),
    )


ORDERED_NUMBERING = ("Decimal", "LowerAlpha", "LowerRoman", "Decimal")  # 1. then a. then i. under each other
BULLETS = ("\u2022", "\u2013", "\u2022", "\u2013")
ROMAN: tuple[tuple[str, int], ...] = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90))
ROMAN += (("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def list_label(numbering: str, number: int) -> str:
    """The label of the number-th item of a numbered list: 3., c. or iii."""
    if numbering == "LowerAlpha":
        letters = ""
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return f"{letters}."
    if numbering == "LowerRoman":
        roman = ""
        for letters, value in ROMAN:
            count, number = divmod(number, value)
            roman += letters * count
        return f"{roman}."
    return f"{number}."


def quoted(text: str, limit: int = 50) -> str:
    """Text for a layout finding: "the first words..." of a block."""
    text = one_line(text)
    return f"\u201c{text if len(text) <= limit else text[: limit - 3].rstrip() + '...'}\u201d"


def placed(flowable: Flowable, location: Location | None, what: str, placement: Placement = ANYWHERE) -> Flowable:
    """flowable, with where its content is written, its name for the layout check and the author's requests."""
    flowable.location = location
    flowable.what = what
    if placement.keep_together:
        flowable.keep_together = True
    if placement.page_break_before:
        flowable.page_break_before = True
    return flowable


class Layout:
    """Builds the story for one variant, and its structure tree (the reading order for screen readers).

    Every flowable that draws content carries the structure element it belongs to; the elements are created here,
    in reading order, under root (a Document element). Every flowable also carries the page-break rules it
    follows (pagination.py): headings keep with what follows, pictures with what precedes them, and so on.
    """

    def __init__(
        self,
        variant: Variant,
        theme: Theme,
        fonts: FontSet,
        frame_width: float,
        root: StructNode | None = None,
        frame_height: float = 200 * MM,
        page_height: float | None = None,
    ) -> None:
        self.variant = variant
        self.theme = theme
        self.fonts = fonts
        self.audience = variant.style
        self.styles = make_styles(theme, self.audience, fonts)
        self.frame_width = frame_width
        self.frame_height = frame_height  # the smallest frame height: nothing unsplittable may be taller
        # A short box is short against a whole page of text (page 1 has less room, below the header band).
        self.keep_whole_below = keep_whole_below(page_height or frame_height)
        self.link_colour = theme.colours["link"]
        self.root = root if root is not None else StructNode("Document")
        self.source = Location(variant.content.source)

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
                first = cited_numbers(item.keys, numbers)[0]
                if out and out[-1].endswith(" "):
                    out[-1] = out[-1].rstrip(" ")
                links.append(citation_description(label))
                out.append(f'\u00a0<a href="#ref-{first}" color="{self.link_colour}">{escape(label)}</a>')
            elif isinstance(item, LineBreak):
                out.append("<br/>")
        return "".join(out)

    def para(
        self, text: RichText | tuple[Inline, ...], style: ParagraphStyle, parent: StructNode, role: str = "P"
    ) -> TaggedParagraph:
        """A paragraph that is one element (P, or a heading role) under parent."""
        inlines = text.inlines if isinstance(text, RichText) else text
        links: list[str] = []
        markup = self.markup(inlines, links)
        return TaggedParagraph(markup, style, node=parent.add(role), links=tuple(links))

    def wording_heading(self, name: str, sect: StructNode) -> Heading:
        """The heading of a section the leaflet adds in the style's words (references, notes, about this leaflet):
        an H2 in sect, and a bookmark at the sections' level."""
        return Heading(
            paragraph_text(self.fonts, name),
            self.styles.headings[0],
            node=sect.add("H2"),
            outline_title=name,
            outline_level=1,
        )

    def heading(self, text: RichText, style: ParagraphStyle, level: int, parent: StructNode) -> Heading:
        """level 0 is the title (H1, top of the outline); sections are 1 and deeper."""
        links: list[str] = []
        markup = self.markup(text.inlines, links)
        heading = Heading(
            markup,
            style,
            node=parent.add(f"H{level + 1}"),
            links=tuple(links),
            outline_title=one_line(text.plain()),
            outline_level=level,
        )
        heading.what = f"the heading {quoted(text.plain())}"
        # An upper bound first (no glyph is wider than 1.2 em; wrapping at most doubles the lines), so only
        # long headings pay for a trial layout.
        most = (len(text.plain()) * style.fontSize * 2.4 / self.frame_width + 2) * style.leading
        if (
            most > self.frame_height / 2
            and heading.wrap(self.frame_width, self.frame_height)[1] > self.frame_height / 2
        ):
            # A heading this tall cannot move to a fresh page with what follows it and still fit: it may break
            # across pages like a paragraph, and keeps nothing with it.
            heading.keep_with_next = 0
            heading.breakable = True
        return heading

    # The story.
    def story(self) -> list[Flowable]:
        leaflet = self.variant.content
        s = self.styles
        root = self.root
        title = self.heading(leaflet.title, s.title, 0, root)
        story: list[Flowable] = [title]
        if leaflet.subtitle:
            story.append(self.para(leaflet.subtitle, s.subtitle, root))
        else:
            title.style = s.title.clone("title-alone", spaceAfter=s.title.spaceAfter + s.body.fontSize * 0.5)
        if leaflet.key_points:
            box = root.add("Div")
            # Screen-reader users move between headings: the box title is one, one level below the title.
            name = self.audience.key_points_heading
            heading = TaggedParagraph(paragraph_text(self.fonts, name), s.panel_title, node=box.add("H2"))
            story.append(
                placed(
                    self.panel(
                        [heading, self.list_flowable(leaflet.key_points, False, box)], "panel", "brand", heading, name
                    ),
                    self.source,
                    f"the {quoted(name)} box",
                )
            )
            story[-1].spaceAfter = s.body.fontSize * 0.6
        for section in leaflet.sections:
            story += self.section(section, 0, root)
        story += self.words_explained(root)
        if self.variant.references:
            story += self.references(root)
        if leaflet.url:
            story.append(self.qr_block(root))
        story += about_section(self, root)
        return story

    def section(self, section: Section, level: int, parent: StructNode) -> list[Flowable]:
        style = self.styles.headings[min(level, 2)]
        sect = parent.add("Sect")
        outline_level = min(level + 1, 3)
        heading = self.heading(section.heading, style, outline_level, sect)
        heading.location = section.location
        flowables: list[Flowable] = [heading]
        flowables += self.blocks(section.blocks, sect, outline_level + 1)
        for child in section.sections:
            flowables += self.section(child, level + 1, sect)
        if section.placement.keep_together:
            flowables = [Group(flowables)]
        return [placed(flowables[0], section.location, heading.what, section.placement), *flowables[1:]]

    def blocks(self, blocks: tuple[Block, ...], parent: StructNode, heading_level: int) -> list[Flowable]:
        """The flowables of blocks under a heading of heading_level (2 for H2): a box's title is one deeper."""
        flowables: list[Flowable] = []
        numbered = 0  # items of the numbered list before, when only pictures came since: its steps go on
        for index, block in enumerate(blocks):
            flowable: Flowable
            if isinstance(block, ParagraphBlock):
                flowable = self.para(block.text, self.styles.body, parent)
                what = f"the paragraph {quoted(block.text.plain())}"
                if block.text.plain().rstrip().endswith(":"):
                    # An introduction to what follows ("You may have:") stays with its first item.
                    following = blocks[index + 1] if index + 1 < len(blocks) else None
                    if isinstance(following, ListBlock):
                        flowable.keep_with_first_item = True
                    else:
                        flowable.keep_with_next = KEEP_LINES
            elif isinstance(block, ListBlock):
                flowable = self.list_flowable(block.items, block.ordered, parent, numbered + 1)
                what = f"the list starting {quoted(block.items[0].text.plain())}"
                numbered = numbered + len(block.items) if block.ordered else 0
            elif isinstance(block, Callout):
                flowable = self.callout(block, parent, heading_level)
                what = f"the box {quoted(block.title.plain())}"
            elif isinstance(block, Image):
                flowable = self.image(block, parent)
                what = f"the picture {quoted((block.caption or block.alt).plain())}"
            else:
                flowable = self.contact(block, parent)
                what = "the contact details"
            if not isinstance(block, (ListBlock, Image)):
                numbered = 0
            flowables.append(placed(flowable, block.location, what, block.placement))
        return flowables

    def list_flowable(self, items: tuple[ListItem, ...], ordered: bool, parent: StructNode, start: int = 1) -> ItemList:
        """A list; a numbered one numbers its items from start."""
        body = self.styles.body
        entries: list[ListEntry] = []
        self._entries(items, ordered, parent, 0, 0.0, entries, start)
        return ItemList(entries, space_after=body.spaceAfter)

    def _entries(
        self,
        items: tuple[ListItem, ...],
        ordered: bool,
        parent: StructNode,
        depth: int,
        x: float,
        entries: list[ListEntry],
        start: int = 1,
    ) -> None:
        """Add the entries of one list level (and the levels below it) to entries, and its L element to parent.

        A numbered list numbers its sub-items a., b. (then i., ii.): never 1, 2 again under a step numbered 1.
        Items below the deepest level are printed at it, numbered on.
        """
        body = self.styles.body
        size = body.fontSize
        item_style = body.clone("li", spaceAfter=0)
        numbering = ORDERED_NUMBERING[depth] if ordered else "Disc"
        node = parent.add("L", attributes={"O": "List", "ListNumbering": numbering})
        deepest = depth + 1 >= MAX_LIST_DEPTH
        level = [(item, not deepest) for item in items]
        if deepest:  # deeper items join this level, in reading order
            level = [(shown, False) for item in items for shown in (item, *all_items(item.items))]
        labels = [list_label(numbering, n) if ordered else BULLETS[depth] for n in range(start, start + len(level))]
        font = self.fonts.bold if ordered else self.fonts.regular
        widest = max(stringWidth(label, font, size) for label in labels)
        indent = max(size * 1.6, size * 0.4 + widest + size * 0.5)
        label_style = Label(font, size, self.colour("brand"))
        for (item, descend), label in zip(level, labels, strict=True):
            entry = node.add("LI")
            label_node = entry.add("Lbl")
            entry_body = entry.add("LBody")
            paragraph = self.para(item.text, item_style, entry_body)
            own = ListEntry(paragraph, x + indent, label, x + size * 0.4, label_style, label_node, size * ITEM_GAP)
            entries.append(own)
            if descend and item.items:
                own.keep_with_next = KEEP_LINES  # an item stays with the start of its sub-items
                self._entries(item.items, ordered, entry_body, depth + 1, x + indent, entries)

    def panel(
        self, content: list[Flowable], tint: str, bar: str, title: Flowable | None = None, title_text: str = ""
    ) -> Panel:
        """A box; a long one repeats title_text with "(continued)" where it goes on to a new page. A box with no
        title (contact details) has nothing to say where it goes on from: it is split only if taller than a page."""
        continued = None
        if title is not None:
            label = f"{title_text} {self.audience.continued_label}"
            continued = ContinuedTitle(paragraph_text(self.fonts, label), self.styles.panel_title)
            title.keep_with_next = KEEP_LINES
        return Panel(
            content,
            self.tint(tint),
            self.colour(bar),
            title=title,
            continued_title=continued,
            keep_whole_below=self.keep_whole_below if title is not None else TALL,
        )

    def callout(self, block: Callout, parent: StructNode, heading_level: int) -> Flowable:
        box = parent.add("Div")
        # The title is a heading one level below the section's, so that screen-reader users moving by heading
        # find "Call 999 if ...".
        role = f"H{min(heading_level + 1, 6)}"
        title = self.para(block.title, self.styles.panel_title, box, role)
        content: list[Flowable] = [title, *self.blocks(block.blocks, box, heading_level + 1)]
        panel = self.panel(content, block.tone, block.tone, title, block.title.plain())
        panel.spaceAfter = self.styles.body.spaceAfter
        if len(content) > 1 and getattr(content[1], "page_break_before", False):
            # A page break before the box's first block is one before the box: never its title alone on a page.
            content[1].page_break_before = False
            panel.page_break_before = True
        return panel

    def image(self, block: Image, parent: StructNode) -> Flowable:
        from .images import upright_size

        width = min(block.width_mm * MM if block.width_mm else self.frame_width, self.frame_width)
        pixel_width, pixel_height = upright_size(block.path, block.location)
        height = width * pixel_height / pixel_width
        tallest = self.frame_height * TALLEST_PICTURE  # leaves room for the caption on the same page
        if height > tallest:
            width, height = width * tallest / height, tallest
        picture = Figure(
            block.path, width, height, node=parent.add("Figure", alt=block.alt.plain()), where=block.location
        )
        caption = self.para(block.caption, self.styles.caption, parent) if block.caption else None
        return FigureBlock(picture, caption, self.theme.picture_min_scale, self.styles.body.spaceAfter)

    def contact(self, block: ContactBlock, parent: StructNode) -> Flowable:
        contact = self.theme.contact
        body = self.styles.body
        box = parent.add("Div")
        lines = contact_lines(self.theme)
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
        panel = self.panel(content, "panel", "brand")
        panel.spaceAfter = body.spaceAfter
        return panel

    def words_explained(self, parent: StructNode) -> list[Flowable]:
        """A box explaining the glossary terms this variant uses, and only those."""
        entries = self.variant.glossary
        if not entries:
            return []
        body = self.styles.body
        box = parent.add("Div")
        name = self.audience.glossary_heading
        title = TaggedParagraph(paragraph_text(self.fonts, name), self.styles.panel_title, node=box.add("H2"))
        content: list[Flowable] = [title]
        entry_style = body.clone("glossary", spaceAfter=body.fontSize * ITEM_GAP)
        for entry in entries:
            term = glossary_term(entry)
            links: list[str] = []
            text = f"<b>{paragraph_text(self.fonts, term)}:</b> {self.markup(entry.definition.inlines, links)}"
            content.append(TaggedParagraph(text, entry_style, node=box.add("P"), links=tuple(links)))
        panel = self.panel(content, "panel", "brand", title, name)
        panel.spaceAfter = body.spaceAfter
        return [placed(panel, entries[0].location, f"the {quoted(name)} box")]

    def references(self, parent: StructNode) -> list[Flowable]:
        name = self.audience.references_heading
        sect = parent.add("Sect")
        heading = self.wording_heading(name, sect)
        references = self.variant.references
        placed(heading, references[0].location, f"the heading {quoted(name)}")
        node = sect.add("L", attributes={"O": "List", "ListNumbering": "Decimal"})
        style = self.styles.reference
        size = style.fontSize
        label_style = Label(self.fonts.regular, size, self.colour("text"))
        entries = []
        for number, reference in enumerate(references, start=1):
            entry = node.add("LI")
            label_node = entry.add("Lbl")
            links: list[str] = []
            text = f'<a name="ref-{number}"/>' + self.markup(vancouver(reference).inlines, links)
            paragraph = TaggedParagraph(text, style, node=entry.add("LBody"), links=tuple(links))
            indent, label_x = size * 2.2, size * 0.2
            entry_item = ListEntry(paragraph, indent, f"{number}.", label_x, label_style, label_node, style.spaceAfter)
            entries.append(entry_item)
        listed = ItemList(entries, space_after=self.styles.body.spaceAfter)
        return [heading, placed(listed, references[0].location, f"the list {quoted(name)}")]

    def qr_block(self, parent: StructNode) -> Flowable:
        url = self.variant.content.url
        figure = parent.add("Figure", alt=qr_description(url))
        text = self.para(online_text(url), self.styles.body, parent)
        block = QRBlock(percent_encoded(url), text, QR_SIZE, colors.black, figure)
        block.spaceBefore = self.styles.body.fontSize
        block.keep_with_previous = KEEP_LINES  # never alone on the last page
        return placed(block, self.source, "the QR code")

    def filler_page(self) -> Flowable:
        """A page that pads the leaflet to a multiple of variant.pad_to pages (a double-sided print ends on an even
        page, a booklet on a multiple of 4): a "Notes" page, or one that says it is intentionally blank. The page
        layout asks for one each time it needs one; made after the story, it is last in reading order."""
        if self.variant.filler == "blank":
            return BlankPage(
                paragraph_text(self.fonts, BLANK_PAGE), self.styles.body.clone("blank", textColor=self.colour("muted"))
            )
        name = self.audience.notes_heading
        heading = self.wording_heading(name, self.root.add("Sect"))
        return NotesPage(heading, self.styles.body.fontSize * NOTES_LINE_GAP, self.colour("muted"))

    # Colours.
    def colour(self, name: str) -> colors.Color:
        return colors.HexColor(self.theme.colours[name])

    def tint(self, name: str) -> colors.Color:
        """A very light version of a theme colour for box backgrounds."""
        if name == "panel":
            return colors.HexColor(self.theme.colours["panel"])
        return colors.Color(*tint(self.theme.colours[name]))


def about_section(layout: Layout, parent: StructNode) -> list[Flowable]:
    """'About this leaflet' at the end: in full, a section with its heading (owner, author, version, approval,
    changes, feedback and earlier versions), kept together on one page when it fits; short, one paragraph that
    starts with the heading in bold (version, approval and feedback)."""
    about = layout.variant.about
    if about is None:
        return []
    body = layout.styles.body
    # The short version is small print, like the references: at the audience's smallest size (12 pt for patients),
    # so that it seldom needs a page of its own.
    small = layout.styles.reference if about.run_in else body
    line_style = small.clone("about", spaceAfter=body.fontSize * 0.3)
    sect = parent.add("Sect")
    flowables: list[Flowable] = []
    if not about.run_in:
        flowables.append(layout.wording_heading(about.heading, sect))
    first = line_style.clone("about-first", spaceBefore=body.fontSize * 0.5) if about.run_in else line_style
    flowables += [layout.para(line, first if i == 0 else line_style, sect) for i, line in enumerate(about.paragraphs)]
    if about.earlier:
        flowables.append(layout.para((Strong((Text("Earlier versions:"),)),), line_style, sect))
        nowhere = Location("")
        items = tuple(ListItem(RichText((Part(None, line, None),)), (), None, nowhere) for line in about.earlier)
        flowables.append(layout.list_flowable(items, False, sect))
    return [placed(Group(flowables), None, f"the section {quoted(about.heading)}", Placement(keep_together=True))]
