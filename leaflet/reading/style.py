"""Read a style file into a Theme: the user's brand merged over the built-in style that ships with leaflet."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import Report
from ..core.page import first_text_area
from ..core.theme import AudienceStyle, ContactDetails, ReadabilityTargets, ReviewRules, Theme, audience_label
from .files import InputError, did_you_mean, resolved
from .loader import KeyPath, Source, format_path, load_yaml
from .schema import broken, clean, invalid_paths

BUILTIN_STYLE = Path(__file__).resolve().parent.parent / "styles" / "default.yaml"
PROJECT_STYLE = Path("styles") / "default.yaml"  # a project's own style, looked for in the content file's folder
# Who a leaflet is from comes only from the style the user wrote, never from the built-in example's
# fictional details; everything else is merged key by key over the built-in style.
IDENTITY_KEYS = ("organisation", "department", "logo", "contact", "feedback")
BUILTIN_FONTS = {
    "atkinson-hyperlegible": ("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Regular.ttf"),
    "atkinson-hyperlegible-bold": ("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Bold.ttf"),
    "noto-sans": ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
}
MIN_LINE_CHARACTERS = 20
MIN_PAGE_LINES = 5


def style_for(
    content: Path, explicit: Path | None, named: Path | None = None, library: Path | None = None
) -> Path | None:
    """The style a content file is built with: --style if given, else the style the content file names, else its
    library's, else styles/default.yaml in the content file's folder if there is one, else None, meaning
    leaflet's built-in style."""
    for chosen in (explicit, named, library):
        if chosen is not None:
            return chosen
    project = content.parent / PROJECT_STYLE
    # Anything there is meant as the style, so a folder or a broken link there is reported, not passed over.
    return project if os.path.lexists(project) else None


@cache
def builtin_style() -> Source:
    """The built-in style, parsed once per process (it is package data, checked by the tests)."""
    return load_yaml(BUILTIN_STYLE)


def builtin_font_path(name: str) -> Path:
    import importlib

    module_name, file_name = BUILTIN_FONTS[name]
    module = importlib.import_module(module_name)
    return Path(module.ROOT) / "files" / file_name


def merged(default: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """user over default, key by key into nested settings; a value of another shape replaces the default's."""
    out = dict(default)
    for key, value in user.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def load_theme(path: Path | None, report: Report | None = None) -> Theme:
    """Load and check a style file (None: the built-in style alone); raise LeafletError listing every error.
    Warnings go to report."""
    report = report if report is not None else Report()
    builtin = builtin_style().data
    source = load_yaml(path) if path is not None else None
    user: dict[str, Any] = {}
    invalid: set[KeyPath] = set()
    if source is not None:
        if not isinstance(source.data, dict):
            report.error("expected 'name: value' lines (organisation, colours, ...)", source.where(()))
            report.raise_if_errors()
        invalid = invalid_paths(source, "style.schema.json", report)
        user = source.data
        invalid |= _misspelt_audiences(source, set(builtin["audiences"]), report)
    identity = user if source is not None else builtin
    data = merged({k: v for k, v in builtin.items() if k not in IDENTITY_KEYS}, user)
    data.update({k: identity[k] for k in IDENTITY_KEYS if k in identity})
    base = path.resolve().parent if path is not None else BUILTIN_STYLE.parent

    def problem(message: str, key_path: KeyPath, hint: str = "", severity: str = "error") -> None:
        add = report.error if severity == "error" else report.warning
        add(message, source.where(key_path) if source else None, format_path(key_path), hint)

    def font_file(name: str, key_path: KeyPath) -> str:
        from .fonts import FontFileError, register_font

        folder = base
        try:
            candidate = resolved(folder / name)
        except InputError as error:
            problem(f"font '{name}' {error.message}", key_path, error.hint)
            return ""
        if not candidate.is_relative_to(folder):
            problem(f"font '{name}' is outside the style's folder", key_path, "copy the font file beside the style")
            return ""
        try:
            register_font(str(candidate), check_subset=True)
        except FontFileError as error:
            if error.missing:
                hint = did_you_mean(name, error.near) or "paths are relative to the style file"
                problem(f"font file '{name}' not found", key_path, hint)
            else:
                problem(f"font '{name}' {error.message}", key_path, error.hint)
            return ""
        return str(candidate)

    font_paths = {}
    fonts = builtin["fonts"] if broken(invalid, ("fonts",)) else data["fonts"]
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

    logo = ""
    if data.get("logo") and clean(invalid, ("logo",)):
        from .images import Problem, find_image  # only for styles with a logo

        found = find_image(data["logo"], [base], kind="logo")
        if isinstance(found, Problem):
            problem(found.message, ("logo",), found.hint)
        else:
            logo = str(found)

    theme = None
    if not invalid:
        theme = _theme(data, path, logo, font_paths, source.positions if source else {})
        named = set(user.get("audiences") or ())
        _check_room(theme, named, problem)
    report.diagnostics.sort(key=lambda d: (d.location.line, d.location.column) if d.location else (0, 0))
    report.raise_if_errors()
    assert theme is not None  # None only when the schema found errors, which were raised above
    return theme


AUDIENCE_MAPS = ("audiences", "readability")  # the style's settings keyed by audience name


def _misspelt_audiences(source: Source, builtin: set[str], report: Report) -> set[KeyPath]:
    """An audience name in the style that is nearly one leaflet knows ('patients' for 'patient') would silently
    set nothing: report it, with the name meant. Any other name is a new audience of its own (a carer version)."""
    data = source.data
    maps = {name: data[name] for name in AUDIENCE_MAPS if isinstance(data.get(name), dict)}
    # The built-in audiences, and for the other settings the audiences the style's own 'audiences:' names.
    defined = builtin | set(maps.get("audiences", ()))
    wrong: set[KeyPath] = set()
    for map_name, values in maps.items():
        known = sorted(builtin if map_name == "audiences" else defined)
        for key in values:
            if key in known or not isinstance(key, str):
                continue
            meant = meant_audience(key, known)
            if meant:
                path = (map_name, key)
                report.error(
                    f"unknown audience '{key}'",
                    source.where_key(path),
                    format_path(path),
                    f"did you mean '{meant}'? As it is, its settings would apply to no version",
                )
                wrong.add(path)
    return wrong


def meant_audience(name: str, known: list[str]) -> str:
    """The known audience a name not among them nearly is ('patients', 'Patient', 'pateint': 'patient'), or ''."""
    import difflib

    same = [k for k in known if k.rstrip("s") == name.rstrip("s") or k.lower() == name.lower()]
    close = same or difflib.get_close_matches(name, known, n=1, cutoff=0.85)
    return close[0] if close else ""


def _check_room(theme: Theme, named: set[str], problem) -> None:
    """Refuse margins and type sizes that leave too little room for the text to be read (or laid out), on A4 pages
    and on A5 (booklet) pages."""
    for paper, margins_key in (("A4", "margins_mm"), ("A5", "a5_margins_mm")):
        on = "" if paper == "A4" else " on A5 pages"
        for name in sorted(theme.audiences):
            sizes = theme.for_audience(name)
            width, height = first_text_area(theme.margins_for(paper), sizes.footer_size, paper)
            characters = int(width / (sizes.body_size * 0.5))  # an average character is about half an em wide
            lines = int(height / (sizes.body_size * 1.4))
            where = ("audiences", name) if name in named else (margins_key,)
            if characters < MIN_LINE_CHARACTERS:
                problem(
                    f"with these margins only about {characters} characters of {sizes.body_size:g} pt text fit on a"
                    f" line{on} ({name} version)",
                    where,
                    f"use smaller left and right margins or a smaller body size: at least {MIN_LINE_CHARACTERS} "
                    "must fit",
                )
            if lines < MIN_PAGE_LINES or height < sizes.title_size * 1.25:
                problem(
                    f"with these margins and this footer only about {max(lines, 0)} lines of {sizes.body_size:g} pt"
                    f" text fit on the first page{on} ({name} version)",
                    where,
                    "use smaller top and bottom margins or smaller type sizes",
                )


def _audience(values: dict[str, Any]) -> AudienceStyle:
    return AudienceStyle(
        label=values["label"],
        body_size=float(values["body_size"]),
        heading_size=float(values["heading_size"]),
        title_size=float(values["title_size"]),
        footer_size=float(values["footer_size"]),
        references_heading=values["references_heading"],
        glossary_heading=values["glossary_heading"],
        key_points_heading=values["key_points_heading"],
        about_heading=values["about_heading"],
        about=values["about"],
        formats=tuple(values["formats"]),
        min_size=float(values["min_size"]),
        duplex=values["duplex"],
        notes_heading=values["notes_heading"],
        continued_label=values["continued_label"],
        booklet_filler=values["booklet_filler"],
        print_paper=values["print_paper"],
    )


def _theme(data: dict[str, Any], path: Path | None, logo: str, font_paths, positions) -> Theme:
    contact = data.get("contact") or {}
    # An audience's label falls back to the template for other audiences, which falls back to the built-in one.
    other = {**data["other_audiences"]}
    other["label"] = other["label"] or builtin_style().data["other_audiences"]["label"]
    audiences = {
        name: _audience({**other, **values, "label": audience_label(values.get("label") or other["label"], name)})
        for name, values in data["audiences"].items()
    }
    return Theme(
        organisation=data["organisation"],
        department=data.get("department", ""),
        logo=logo,
        contact=ContactDetails(
            phone=contact.get("phone", ""),
            phone_hours=contact.get("phone_hours", ""),
            email=contact.get("email", ""),
            website=contact.get("website", ""),
            address=tuple(contact.get("address") or ()),
            urgent=contact.get("urgent", ""),
        ),
        colours={k: v.upper() for k, v in data["colours"].items()},
        fonts=font_paths,
        margins_mm={k: float(v) for k, v in data["margins_mm"].items()},
        a5_margins_mm={k: float(v) for k, v in data["a5_margins_mm"].items()},
        print_colour=data["print_colour"],
        audiences=audiences,
        other_audiences=_audience(other),
        review=ReviewRules(**data["review"]),
        picture_min_scale=float(data["pictures"]["min_scale"]),
        readability={name: ReadabilityTargets(**values) for name, values in data["readability"].items()},
        feedback=data.get("feedback", ""),
        source=str(path) if path is not None else "",
        positions={format_path(key): position for key, position in positions.items()},
    )
