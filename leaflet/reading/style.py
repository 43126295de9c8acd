"""Brand themes: load a style YAML file into a Theme, the one place that holds how leaflets look."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from ..core.errors import Location, Report
from .loader import KeyPath, format_path, load_yaml
from .schema import broken, clean, invalid_paths

BUILTIN_FONTS = {
    "atkinson-hyperlegible": ("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Regular.ttf"),
    "atkinson-hyperlegible-bold": ("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Bold.ttf"),
    "noto-sans": ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
}

DEFAULT_COLOURS = {
    "brand": "#005EB8",
    "on_brand": "#FFFFFF",
    "text": "#212B32",
    "background": "#FFFFFF",
    "heading": "#005EB8",
    "link": "#004A94",
    "muted": "#4C6272",
    "panel": "#E8EDEE",
    "info": "#005EB8",
    "warning": "#8A5A00",
    "urgent": "#B00020",
}

DEFAULT_AUDIENCE = {
    "label": "",
    "body_size": 12.0,
    "heading_size": 17.0,
    "title_size": 26.0,
    "footer_size": 9.5,
    "references_heading": "References",
    "large_print": True,
    "glossary_heading": "Words explained",
}

AUDIENCE_DEFAULTS = {
    "patient": {
        "label": "Information for patients",
        "body_size": 14.0,
        "heading_size": 19.0,
        "title_size": 30.0,
        "footer_size": 11.0,
        "references_heading": "Where this information comes from",
    },
    "clinician": {
        "label": "Information for clinicians",
        "body_size": 11.5,
        "heading_size": 15.0,
        "title_size": 24.0,
        "large_print": False,
    },
}

MIN_PATIENT_BODY = 12.0  # Clear Print minimum for readers who are not health professionals
PROFESSIONAL_AUDIENCES = ("clinician",)
MIN_LINE_CHARACTERS = 20
MIN_PAGE_LINES = 5
TTF_HINT = "use a TrueType (.ttf) font file"
# RNIB Clear Print: large print is at least 16 pt, 16-18 pt recommended. We use 18 pt: the standard patient
# leaflet is already 14 pt, so 16 pt would be a small step; 18 pt is plainly large print.
LARGE_PRINT_BODY = 18.0
LARGE_PRINT_MINIMUM = 16.0  # no text in a large-print leaflet is smaller, footer and references included
TINT_STRENGTH = 0.1  # box backgrounds: 10% of the tone's colour on white


def tint(hex_colour: str) -> tuple[float, float, float]:
    """A very light version of a colour, as RGB from 0 to 1: the background of info, warning and urgent boxes."""
    channels = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(1 - (1 - c) * TINT_STRENGTH for c in channels)  # type: ignore[return-value]


class ReviewRules(NamedTuple):
    """When a leaflet's review counts as due soon, and the longest review period allowed."""

    due_soon_days: int = 90
    max_period_years: int = 3


class ReadabilityTargets(NamedTuple):
    """What one audience's text must meet; None means report the figure only."""

    max_grade: float | None = None  # Flesch-Kincaid grade, whole version and each section
    max_sentence_words: int | None = None
    explain_terms: bool = False  # a "Words explained" box, and a report of medical words the glossary lacks


READABILITY_DEFAULTS = {"patient": ReadabilityTargets(max_grade=7, max_sentence_words=25, explain_terms=True)}


@dataclass(frozen=True)
class AudienceStyle:
    label: str
    body_size: float
    heading_size: float
    title_size: float
    footer_size: float
    references_heading: str
    glossary_heading: str = "Words explained"
    large_print: bool = True  # `leaflet build` also makes a large-print version for this audience
    min_size: float = 0.0  # the smallest type anywhere on the page (set for large print)
    scale: float = 1.0  # how much larger than the standard version (header band and its text)

    def enlarged(self) -> AudienceStyle:
        """The large-print version: body at LARGE_PRINT_BODY, everything else scaled to match."""
        factor = max(LARGE_PRINT_BODY / self.body_size, 1.0)
        return replace(
            self,
            label=f"{self.label} (large print)",
            body_size=self.body_size * factor,
            heading_size=self.heading_size * factor,
            title_size=self.title_size * factor,
            footer_size=max(self.footer_size * factor, LARGE_PRINT_MINIMUM),
            min_size=LARGE_PRINT_MINIMUM,
            scale=factor,
        )


@dataclass(frozen=True)
class Contact:
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
    contact: Contact
    colours: dict[str, str]
    fonts: dict[str, str]  # role -> absolute TTF path
    margins_mm: dict[str, float]
    audiences: dict[str, AudienceStyle] = field(default_factory=dict)
    source: str = ""
    review: ReviewRules = ReviewRules()
    readability: dict[str, ReadabilityTargets] = field(default_factory=dict)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # key path -> line, column in the file

    def for_audience(self, audience: str) -> AudienceStyle:
        if audience in self.audiences:
            return self.audiences[audience]
        values = {**DEFAULT_AUDIENCE, **AUDIENCE_DEFAULTS.get(audience, {})}
        values["label"] = values["label"] or f"Information for {audience}s"
        return AudienceStyle(**values)

    def targets_for(self, audience: str) -> ReadabilityTargets:
        if audience in self.readability:
            return self.readability[audience]
        return READABILITY_DEFAULTS.get(audience, ReadabilityTargets())

    def where(self, key_path: str) -> Location | None:
        """Where a setting is written in the style file; the file alone for a built-in default."""
        if not self.source:
            return None
        found = self.positions.get(key_path)
        return Location(self.source, *found) if found else Location(self.source)


def builtin_font_path(name: str) -> Path:
    import importlib

    module_name, file_name = BUILTIN_FONTS[name]
    module = importlib.import_module(module_name)
    return Path(module.ROOT) / "files" / file_name


def load_theme(path: Path, report: Report | None = None) -> Theme:
    """Load and check a style file; raise LeafletError listing every error. Warnings go to report."""
    report = report if report is not None else Report()
    source = load_yaml(path)
    if not isinstance(source.data, dict):
        report.error("expected a set of 'key: value' lines (organisation, colours, ...)", source.where(()))
        report.raise_if_errors()
    invalid = invalid_paths(source, "style.schema.json", report)
    data: dict[str, Any] = source.data
    base = path.resolve().parent

    def problem(message: str, key_path: KeyPath, hint: str = "", severity: str = "error") -> None:
        add = report.error if severity == "error" else report.warning
        add(message, source.where(key_path), format_path(key_path), hint)

    def font_file(name: str, key_path: KeyPath) -> str:
        folder = base
        candidate = (folder / name).resolve()
        if not candidate.is_relative_to(folder):
            problem(f"font '{name}' is outside the style's folder", key_path, "copy the font file beside the style")
            return ""
        if not candidate.is_file():
            problem(f"font file '{name}' not found", key_path, "paths are relative to the style file")
            return ""
        with candidate.open("rb") as handle:
            magic = handle.read(4)
        if magic == b"OTTO":
            problem(f"font '{name}' has PostScript (CFF) outlines, which cannot be embedded", key_path, TTF_HINT)
            return ""
        if magic not in (b"\x00\x01\x00\x00", b"true"):
            problem(f"font '{name}' is not a TrueType font file", key_path, TTF_HINT)
            return ""
        return str(candidate)

    fonts = {"regular": "atkinson-hyperlegible", "bold": "atkinson-hyperlegible-bold", "fallback": "noto-sans"}
    if not broken(invalid, ("fonts",)):
        fonts.update(data.get("fonts") or {})
    font_paths = {}
    for role, name in fonts.items():
        if not clean(invalid, ("fonts", role)):
            continue
        if name in BUILTIN_FONTS:
            font_paths[role] = str(builtin_font_path(name))
        elif not name.lower().endswith(".ttf"):
            problem(
                f"font '{name}' is neither built in nor a .ttf file",
                ("fonts", role),
                "built-in fonts: " + ", ".join(BUILTIN_FONTS),
            )
        else:
            font_paths[role] = font_file(name, ("fonts", role))

    audiences = {}
    given = {} if broken(invalid, ("audiences",)) else (data.get("audiences") or {})
    for name, values in given.items():
        if not clean(invalid, ("audiences", name)):
            continue
        merged = {**DEFAULT_AUDIENCE, **AUDIENCE_DEFAULTS.get(name, {}), **values}
        merged["label"] = merged["label"] or f"Information for {name}s"
        audiences[name] = AudienceStyle(**{k: (float(v) if k.endswith("_size") else v) for k, v in merged.items()})

    logo = ""
    if data.get("logo") and clean(invalid, ("logo",)):
        from .images import Problem, find_image  # only for styles with a logo

        found = find_image(data["logo"], [base], kind="logo")
        if isinstance(found, Problem):
            problem(found.message, ("logo",), found.hint)
        else:
            logo = str(found)

    theme = _theme(data, path, logo, font_paths, audiences, source.positions) if not invalid else None
    if theme is not None:
        _check_room(theme, problem)
    report.diagnostics.sort(key=lambda d: (d.location.line, d.location.column) if d.location else (0, 0))
    report.raise_if_errors()
    assert theme is not None  # None only when the schema found errors, which were raised above
    return theme


def _check_room(theme: Theme, problem) -> None:
    """Refuse margins and type sizes that leave too little room for the text to be read (or laid out)."""
    from ..pdf.writer import first_text_area

    for name in sorted({*theme.audiences, *AUDIENCE_DEFAULTS}):
        sizes = theme.for_audience(name)
        width, height = first_text_area(theme.margins_mm, sizes.footer_size)
        characters = int(width / (sizes.body_size * 0.5))  # an average character is about half an em wide
        lines = int(height / (sizes.body_size * 1.4))
        where = ("audiences", name) if name in theme.audiences else ("margins_mm",)
        if characters < MIN_LINE_CHARACTERS:
            problem(
                f"with these margins only about {characters} characters of {sizes.body_size:g} pt text fit on a line"
                f" ({name} version)",
                where,
                f"use smaller left and right margins or a smaller body size: at least {MIN_LINE_CHARACTERS} must fit",
            )
        if lines < MIN_PAGE_LINES or height < sizes.title_size * 1.25:
            problem(
                f"with these margins and this footer only about {max(lines, 0)} lines of {sizes.body_size:g} pt text"
                f" fit on the first page ({name} version)",
                where,
                "use smaller top and bottom margins or smaller type sizes",
            )


def _theme(data: dict[str, Any], path: Path, logo: str, font_paths, audiences, positions) -> Theme:
    contact = data.get("contact") or {}
    margins = {"top": 15.0, "bottom": 15.0, "left": 18.0, "right": 18.0}
    margins.update({k: float(v) for k, v in (data.get("margins_mm") or {}).items()})
    return Theme(
        organisation=data["organisation"],
        department=data.get("department", ""),
        logo=logo,
        contact=Contact(
            phone=contact.get("phone", ""),
            phone_hours=contact.get("phone_hours", ""),
            email=contact.get("email", ""),
            website=contact.get("website", ""),
            address=tuple(contact.get("address") or ()),
            urgent=contact.get("urgent", ""),
        ),
        colours={**DEFAULT_COLOURS, **{k: v.upper() for k, v in (data.get("colours") or {}).items()}},
        fonts=font_paths,
        margins_mm=margins,
        audiences=audiences,
        source=str(path),
        review=ReviewRules(**(data.get("review") or {})),
        readability=_readability(data.get("readability") or {}),
        positions={format_path(key): position for key, position in positions.items()},
    )


def _readability(data: dict[str, Any]) -> dict[str, ReadabilityTargets]:
    """Targets per audience: what the style says, over the defaults for that audience."""
    targets = {}
    for audience, values in data.items():
        default = READABILITY_DEFAULTS.get(audience, ReadabilityTargets())
        targets[audience] = ReadabilityTargets(
            max_grade=values.get("max_grade", default.max_grade),
            max_sentence_words=values.get("max_sentence_words", default.max_sentence_words),
            explain_terms=values.get("explain_terms", default.explain_terms),
        )
    return targets
