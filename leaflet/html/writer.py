"""Write one prepared variant as a self-contained HTML page: styles, fonts and pictures inside, nothing fetched."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .. import __version__
from ..core.citations import citation_label, cited_numbers, percent_encoded, vancouver
from ..core.dates import long_date, month_year
from ..core.model import (
    MAX_LIST_DEPTH,
    Callout,
    Citation,
    ContactBlock,
    GlossaryEntry,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Reference,
    RichText,
    Section,
    Strong,
    Text,
    all_items,
)
from ..core.outputs import replacing
from ..core.page import BOX_TITLE_LEADING, HEADING_LEADING, LEADING, SMALL_LEADING, type_scale
from ..core.theme import Theme
from ..core.variant import Variant
from ..core.wording import (
    SEPARATOR,
    citation_description,
    contact_lines,
    footer_groups,
    glossary_term,
    online_text,
    qr_description,
)
from ..reading.cache import cache_folder
from ..reading.fonts import FontSet
from . import palette
from .fonts import FALLBACK_FAMILY, MAIN_FAMILY, font_faces
from .images import Picture, css_width, embedded
from .qr import qr_path

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.bccache import Bucket

MEASURE_EM = 36  # the text column, in ems of body text: about 70 characters a line (Clear Print)
BROWSER_DEFAULT_PX = 16  # 1rem in a browser left at its default text size
LOGO_HEIGHT_PX = 56
SMALLEST_BODY_REM = 1.0  # a version whose print body is small (clinicians, 11.5 pt) is still 16 px on screen
RESERVED_IDS = ("main", "key-points", "contents", "words-explained", "references", "qr-title", "about")  # template


@dataclass(frozen=True)
class Sibling:
    """Another file of the same leaflet that the page links to (a PDF, or another audience's page)."""

    audience: str
    format: str  # core.variant.FORMATS
    href: str  # relative to the page


@dataclass(frozen=True)
class Written:
    path: Path
    size: int


@dataclass(frozen=True)
class _Version:
    label: str
    href: str
    type: str  # the MIME type, for a link to a file that is not a web page


@dataclass(frozen=True)
class _Entry:
    id: str
    text: str


@dataclass(frozen=True)
class _QR:
    size: int
    path: str
    title: str
    text: tuple[Inline, ...]


@dataclass
class _Renderer:
    """What the template calls while it writes the page, in reading order: inline text to markup (numbering each
    citation link, so the references can link back to them), ids for headings and boxes, pictures."""

    variant: Variant
    theme: Theme
    column_px: int
    citations: dict[int, list[str]] = field(default_factory=dict)  # reference number -> ids of links citing it
    ids: set[str] = field(default_factory=lambda: set(RESERVED_IDS))
    section_ids: dict[int, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    max_list_depth: int = MAX_LIST_DEPTH

    @property
    def contact_lines(self) -> list[tuple[Inline, ...]]:
        return contact_lines(self.theme)

    def inline(self, text: RichText | tuple[Inline, ...]) -> Markup:
        inlines = text.inlines if isinstance(text, RichText) else text
        out: list[str] = []
        for item in inlines:
            if isinstance(item, Text):
                out.append(escape(item.text))
            elif isinstance(item, Strong):
                out.append(f"<strong>{self.inline(item.children)}</strong>")
            elif isinstance(item, Link):
                out.append(f'<a href="{escape(item.href)}">{self.inline(item.children)}</a>')
            elif isinstance(item, Citation):
                out.append(self.citation(item, out))
            elif isinstance(item, LineBreak):
                out.append("<br>")
        return Markup("".join(out))

    def citation(self, item: Citation, before: list[str]) -> str:
        numbers = self.variant.numbers
        cited = cited_numbers(item.keys, numbers)
        if not cited:
            return ""
        label = citation_label(item.keys, numbers)
        link_id = self.new_id("cite")
        for number in cited:
            self.citations.setdefault(number, []).append(link_id)
        if before and before[-1].endswith(" "):  # the label sits on the word before it, as in the PDF
            before[-1] = before[-1].rstrip(" ")
        title = escape(citation_description(label))
        return f'\u00a0<a class="cite" id="{link_id}" href="#ref-{cited[0]}" title="{title}">{escape(label)}</a>'

    def new_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return self.unique(f"{prefix}-{self.counters[prefix]}")

    def unique(self, wanted: str) -> str:
        candidate, count = wanted, 1
        while candidate in self.ids:
            count += 1
            candidate = f"{wanted}-{count}"
        self.ids.add(candidate)
        return candidate

    def section_id(self, section: Section) -> str:
        """A readable fragment for a heading ('#when-to-get-help'), the same every time it is asked for."""
        key = id(section)
        if key not in self.section_ids:
            slug = re.sub(r"[^a-z0-9]+", "-", section.heading.plain().lower()).strip("-")[:60].strip("-")
            self.section_ids[key] = self.unique(slug) if slug else self.new_id("section")
        return self.section_ids[key]

    @staticmethod
    def level(depth: int) -> int:
        """The heading level of a section depth deep (0: the leaflet's sections, h2; the title is h1)."""
        return min(depth + 2, 6)

    # Every item below these, in reading order: list levels past the deepest are shown at it, as in print.
    flat = staticmethod(all_items)

    def picture(self, block: Image) -> Picture:
        return embedded(block.path, css_width(block.width_mm, self.column_px), where=block.location)

    @staticmethod
    def term(entry: GlossaryEntry) -> str:
        return glossary_term(entry)

    @staticmethod
    def vancouver(reference: Reference) -> RichText:
        return vancouver(reference)

    def with_dates(self, text: str) -> Markup:
        """text escaped, with the review dates in it marked up as <time> elements."""
        review = self.variant.content.review
        dates: list[tuple[str, str]] = [
            (long_date(review.last_reviewed), review.last_reviewed.isoformat()),
            (long_date(review.next_review), review.next_review.isoformat()),
            (month_year(review.next_review), review.next_review.isoformat()[:7]),
        ]
        pattern = "|".join(re.escape(shown) for shown, _ in dates)
        machine = dict(dates)
        out: list[str] = []
        position = 0
        for match in re.finditer(pattern, text):
            out.append(escape(text[position : match.start()]))
            out.append(f'<time datetime="{machine[match.group(0)]}">{escape(match.group(0))}</time>')
            position = match.end()
        out.append(escape(text[position:]))
        return Markup("".join(out))


@cache
def environment() -> Environment:
    """The Jinja2 environment, made once per process: autoescaping on, templates from the package."""
    from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined

    class KeptTemplates(FileSystemBytecodeCache):
        """Compiled templates kept between runs (compiling takes about 40 ms); Jinja checks each against its
        template's source. A damaged or unwritable cache only costs time."""

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # anything unreadable (cut short, another Python's) is compiled afresh
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            with suppress(OSError):
                super().dump_bytecode(bucket)

    folder = cache_folder("templates")
    kept = None
    if folder is not None:
        with suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            kept = KeptTemplates(str(folder))
    environment = Environment(
        loader=PackageLoader("leaflet.html", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        auto_reload=False,
        bytecode_cache=kept,
    )
    environment.tests.update(
        paragraph=lambda block: isinstance(block, Paragraph),
        list_block=lambda block: isinstance(block, ListBlock),
        callout=lambda block: isinstance(block, Callout),
        image=lambda block: isinstance(block, Image),
        contact=lambda block: isinstance(block, ContactBlock),
    )
    return environment


def _versions(variant: Variant, theme: Theme, siblings: list[Sibling]) -> list[_Version]:
    """The other files of this leaflet, as the page offers them: this audience's PDFs, then the other audiences'
    pages (or their PDF, where they have no page)."""
    own = [s for s in siblings if s.audience == variant.audience and s.format in READING_COPIES]
    versions = [
        _Version(READING_COPIES[s.format], s.href, PDF) for s in sorted(own, key=lambda s: s.format != "standard")
    ]
    others: dict[str, Sibling] = {}
    for sibling in siblings:
        if sibling.audience != variant.audience and (sibling.format == "html" or sibling.audience not in others):
            others[sibling.audience] = sibling
    for audience, sibling in others.items():
        label = theme.for_audience(audience).label
        if sibling.format == "html":
            versions.append(_Version(label, sibling.href, ""))
        else:
            versions.append(_Version(f"{label} (PDF)", sibling.href, PDF))
    return versions


PDF = "application/pdf"
# The PDFs a page offers its reader (a booklet or print-shop file is for printing, not reading).
READING_COPIES = {
    "standard": "Print version (PDF)",
    "large-print": "Large print version (PDF)",
    "a5": "A5 version (PDF)",
}


def _css(variant: Variant, theme: Theme, faces: list[Any]) -> Markup:
    """The page's stylesheet: the theme's colours and type scale as custom properties, then the fixed rules."""
    sizes = type_scale(variant.style)
    body = sizes.body

    def em(points: float) -> str:
        return f"{points / body:.3f}em"

    font_stack = f'"{MAIN_FAMILY}", "{FALLBACK_FAMILY}", Arial, Helvetica, sans-serif'
    properties = {
        "font": font_stack,
        "body-size": f"{max(body / 12, SMALLEST_BODY_REM):.3f}rem",  # 12 pt = 16 px = 1rem
        "title-size": em(sizes.title),
        "subtitle-size": em(sizes.subtitle),
        "h2-size": em(sizes.headings[0]),
        "h3-size": em(sizes.headings[1]),
        "h4-size": em(sizes.headings[2]),
        "box-title-size": em(sizes.box_title),
        "reference-size": em(sizes.reference),
        "caption-size": em(sizes.caption),
        "footer-size": em(max(sizes.footer, body * 0.85)),
        "leading": f"{LEADING}",
        "heading-leading": f"{HEADING_LEADING}",
        "box-title-leading": f"{BOX_TITLE_LEADING}",
        "small-leading": f"{SMALL_LEADING}",
        "measure": f"{MEASURE_EM}em",
        "print-body-size": f"{body:g}pt",
    }
    faces_css = "\n".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; font-style: normal; '
        f'font-display: swap; src: url({face.src}) format("woff2"); }}'
        for face in faces
    )
    layout = "\n".join(f"  --{name}: {value};" for name, value in properties.items())
    light = palette.custom_properties(palette.light(theme.colours))
    dark = palette.custom_properties(palette.dark(theme.colours))
    rules = _stylesheet()
    css = (
        f"{faces_css}\n:root {{\n{layout}\n{light}\n}}\n"
        f"@media screen and (prefers-color-scheme: dark) {{\n:root {{\n{dark}\n}}\n}}\n{rules}"
    )
    return Markup(css.replace("</", "<\\/"))  # nothing in a <style> element may close it


@cache
def _stylesheet() -> str:
    """The fixed rules of the page's stylesheet (templates/leaflet.css, package data)."""
    from importlib.resources import files

    return files("leaflet.html").joinpath("templates", "leaflet.css").read_text("utf-8")


def page(variant: Variant, theme: Theme, fonts: FontSet, siblings: list[Sibling] | None = None) -> str:
    """The whole page as text."""
    leaflet = variant.content
    style = variant.style
    body_px = max(type_scale(style).body / 12, SMALLEST_BODY_REM) * BROWSER_DEFAULT_PX
    renderer = _Renderer(variant, theme, column_px=round(MEASURE_EM * body_px))
    contents = [_Entry(renderer.section_id(s), s.heading.plain()) for s in leaflet.sections]
    if variant.glossary:
        contents.append(_Entry("words-explained", style.glossary_heading))
    if variant.references:
        contents.append(_Entry("references", style.references_heading))
    if variant.about is not None and not variant.about.run_in:
        contents.append(_Entry("about", variant.about.heading))
    qr = None
    if leaflet.url:
        size, path = qr_path(percent_encoded(leaflet.url))
        qr = _QR(size, path, qr_description(leaflet.url), online_text(leaflet.url))
    logo = embedded(theme.logo, 0, LOGO_HEIGHT_PX, theme.where("logo"), "logo") if theme.logo else None
    context: dict[str, Any] = {
        "r": renderer,
        "leaflet": leaflet,
        "style": style,
        "notice": variant.notice,
        "glossary": variant.glossary,
        "references": variant.references,
        "about": variant.about,
        "versions": _versions(variant, theme, siblings or []),
        "contents": contents,
        "qr": qr,
        "logo": logo,
        "footer": footer_groups(leaflet),
        "separator": SEPARATOR,
        "page_title": f"{leaflet.title.plain()} ({style.label}) \u2013 {theme.organisation}",
        "description": leaflet.subtitle.plain(),
        "version": __version__,
    }
    # The fonts are cut down to the characters of the finished page, so the stylesheet goes in last, where the
    # template leaves a mark that no text can make (autoescaping turns a "<" from YAML into "&lt;").
    context["css"] = Markup(STYLESHEET_MARK)
    document = environment().get_template("page.html").render(context)
    css = _css(variant, theme, font_faces(fonts, _visible_characters(document), theme))
    return document.replace(STYLESHEET_MARK, css, 1)


STYLESHEET_MARK = "<leaflet-stylesheet>"


def _visible_characters(document: str) -> str:
    """Roughly the text of the page: everything outside tags, with character references decoded."""
    from html import unescape

    return unescape(re.sub(r"<[^>]*>", " ", document))


def render(
    variant: Variant, theme: Theme, fonts: FontSet, target: Path, siblings: list[Sibling] | None = None
) -> Written:
    """Write the page into a temporary file beside target, then move it into place: a failed build never leaves
    a half-written page, and the last good one stays until the new one is complete."""
    data = page(variant, theme, fonts, siblings).encode("utf-8")
    with replacing(target) as temporary:
        Path(temporary).write_bytes(data)
    return Written(target, len(data))
