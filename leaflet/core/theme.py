"""The brand theme: who the leaflet is from, its colours, fonts, margins, and type sizes and labels per audience."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from .errors import Location

TINT_STRENGTH = 0.1  # box backgrounds: 10% of the tone's colour on white
TONES = ("info", "warning", "urgent")  # the boxes' tones, each a colour of the theme
AA_NORMAL = 4.5  # WCAG 2.1 SC 1.4.3: the least contrast of normal text on its background


def tint(hex_colour: str) -> tuple[float, float, float]:
    """A very light version of a colour, as RGB from 0 to 1: the background of info, warning and urgent boxes."""
    red, green, blue = (1 - (1 - int(hex_colour[i : i + 2], 16) / 255) * TINT_STRENGTH for i in (1, 3, 5))
    return red, green, blue


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour with channels from 0 to 1."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def hex_rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def contrast_ratio(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """WCAG contrast ratio, from 1 (same colour) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class ReviewRules(NamedTuple):
    """When a leaflet's review counts as due soon, and the longest review period allowed."""

    due_soon_days: int = 90
    max_period_years: int = 3


class ReadabilityTargets(NamedTuple):
    """What one audience's text must meet; None means report the figure only."""

    max_grade: float | None = None  # Flesch-Kincaid grade, whole version and each section
    max_sentence_words: int | None = None
    explain_terms: bool = False  # a "Words explained" box, and a report of medical words the glossary lacks


@dataclass(frozen=True)
class AudienceStyle:
    """Labels and type sizes of one audience's version (the style's `audiences:` entry)."""

    label: str
    body_size: float
    heading_size: float
    title_size: float
    footer_size: float
    references_heading: str
    glossary_heading: str
    key_points_heading: str
    about_heading: str  # the document-control section at the end
    about: str  # full (owner, author, changes, earlier versions) or short (version, approval, feedback)
    formats: tuple[str, ...]  # what `leaflet build` makes for this audience by default (core.variant.FORMATS)
    min_size: float = 0.0  # the smallest type anywhere on the page (12 pt for patients; 16 pt in large print)
    scale: float = 1.0  # how much larger than the standard version (header band and its text)
    duplex: bool = False  # printed double-sided: an odd page count gets a "Notes" page
    notes_heading: str = "Notes"
    continued_label: str = "(continued)"  # after a box's title where the box goes on from the page before
    booklet_filler: str = "notes"  # pages that make a booklet a multiple of 4: notes, or blank ones that say so
    print_paper: str = "A4"  # the page size of the print-shop file (format `print`): A4, or A5 for booklets


@dataclass(frozen=True)
class ContactDetails:
    """How to reach the clinic: printed in contact boxes and on the web page."""

    phone: str = ""
    phone_hours: str = ""
    email: str = ""
    website: str = ""
    address: tuple[str, ...] = ()
    urgent: str = ""


@dataclass(frozen=True)
class Theme:
    organisation: str
    department: str
    logo: str  # absolute path or ""
    contact: ContactDetails
    colours: dict[str, str]
    fonts: dict[str, str]  # role (regular, bold, fallback) -> absolute TTF path
    margins_mm: dict[str, float]  # for A4 pages
    audiences: dict[str, AudienceStyle]  # every audience the style names, the built-in patient and clinician too
    other_audiences: AudienceStyle  # for an audience the style does not name; its label may hold {audience}
    a5_margins_mm: dict[str, float] = field(default_factory=lambda: {"top": 10, "bottom": 10, "left": 12, "right": 12})
    print_colour: str = "rgb"  # of the print-shop file: rgb, or cmyk (device CMYK, for text, bands and boxes)
    review: ReviewRules = ReviewRules()
    picture_min_scale: float = 0.75  # how far a picture may shrink to stay on the page with its text (1: never)
    readability: dict[str, ReadabilityTargets] = field(default_factory=dict)
    feedback: str = ""  # how readers comment on a leaflet; "" for the contact email and phone
    source: str = ""  # the style file the user wrote; "" for the built-in style alone
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # key path -> line, column in source

    def margins_for(self, paper: str) -> dict[str, float]:
        return self.a5_margins_mm if paper == "A5" else self.margins_mm

    def for_audience(self, audience: str) -> AudienceStyle:
        if audience in self.audiences:
            return self.audiences[audience]
        return replace(self.other_audiences, label=audience_label(self.other_audiences.label, audience))

    def targets_for(self, audience: str) -> ReadabilityTargets:
        return self.readability.get(audience, ReadabilityTargets())

    def where(self, key_path: str) -> Location | None:
        """Where a setting is written in the style file; the file alone for a built-in default."""
        if not self.source:
            return None
        found = self.positions.get(key_path)
        return Location(self.source, *found) if found else Location(self.source)


def audience_label(template: str, audience: str) -> str:
    """The strip label for an audience: '{audience}' in the template is replaced by the audience's name."""
    return template.replace("{audience}", audience)
