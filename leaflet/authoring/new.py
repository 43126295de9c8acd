"""`leaflet new`: a commented starter content file from a template, that builds and passes `leaflet check` at once.

The templates are package data (leaflet/templates/*.yaml): YAML with ${...} fields for the id, title, dates and
style, so the comments an author reads survive exactly as written. A template's pictures (any `file:` under
images/) are written as copies of one placeholder picture, each named for the leaflet, for the author to replace.
"""

from __future__ import annotations

import difflib
import os
import re
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core.errors import LeafletError

TEMPLATE_FOLDER = Path(__file__).resolve().parent.parent / "templates"
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "content.schema.json"
PLACEHOLDER = TEMPLATE_FOLDER / "placeholder.png"
STYLE_TEMPLATE = TEMPLATE_FOLDER / "style.yaml"
DEFAULT_ID = "my-leaflet"
DEFAULT_TEMPLATE = "starter"
# name: what it is for (shown by `leaflet new --list` and the help)
TEMPLATES = {
    "starter": "every kind of block once, each with a comment on how to use it (the default)",
    "condition": "information about a condition: what it is, symptoms, causes, treatment, self-care, when to get help",
    "exercises": "an exercise sheet: each exercise in steps with a picture, how often, and when to stop",
    "procedure": "a procedure and consent: why, benefits, risks, other choices, before, on the day, afterwards",
    "after-operation": "after your operation: going home, medicines, your wound, back to normal, when to get help",
}
PICTURE = re.compile(r"^\s*file:\s*(images/\S+\.png)(?:\s+#.*)?$", re.MULTILINE)


class NewError(Exception):
    """Why nothing was written. usage: the command line was wrong (exit 2), else a file is in the way (exit 1)."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass
class Created:
    """What `leaflet new` wrote."""

    content: Path
    template: str
    pictures: list[Path] = field(default_factory=list)
    style: Path | None = None  # the style the content names
    style_written: bool = False  # False: an existing style, named but not changed


def template_list() -> str:
    """One line per template, for `leaflet new --list` and the help."""
    width = max(map(len, TEMPLATES))
    return "\n".join(f"  {name:<{width}}  {about}" for name, about in TEMPLATES.items())


def create(target: str | None, template: str | None, style: Path | None, today: date) -> Created:
    """Write <target>.yaml from the template (and its pictures, and a starter style if asked and absent).

    Nothing is written if any file it would write already exists: NewError says which."""
    template = template or DEFAULT_TEMPLATE
    if template not in TEMPLATES:
        close = difflib.get_close_matches(template, TEMPLATES, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise NewError(f"unknown template '{template}'; {hint}the templates are:\n{template_list()}", usage=True)
    content = _content_path(target or DEFAULT_ID)
    leaflet_id = content.stem
    if style is not None and style.suffix.lower() not in (".yaml", ".yml"):
        raise NewError(f"--style takes a style file ending in .yaml, such as style.yaml, not '{style}'", usage=True)
    style_written = style is not None and not style.exists()
    years = _review_years(content, style if style is not None and not style_written else None)
    text = _render(TEMPLATE_FOLDER / f"{template}.yaml", content, leaflet_id, style, today, years)
    pictures = [content.parent / name for name in dict.fromkeys(PICTURE.findall(text))]
    in_the_way = [path for path in [content, *pictures] if path.exists() or path.is_symlink()]
    if in_the_way:
        names = ", ".join(str(path) for path in in_the_way)
        raise NewError(
            f"{names} already exist{'s' if len(in_the_way) == 1 else ''}: leaflet new never replaces a file; "
            f"choose another id (leaflet new {leaflet_id}-2), or move the file first"
        )
    content.parent.mkdir(parents=True, exist_ok=True)
    picture = PLACEHOLDER.read_bytes()
    for path in pictures:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new(path, picture)
    if style is not None and style_written:
        style.parent.mkdir(parents=True, exist_ok=True)
        _write_new(style, STYLE_TEMPLATE.read_bytes())
    _write_new(content, text.encode("utf-8"))
    return Created(content, template, pictures, style, style_written)


def _content_path(target: str) -> Path:
    path = Path(target)
    if path.suffix.lower() not in (".yaml", ".yml"):
        path = path.with_name(path.name + ".yaml")
    from ..pipeline import ID_PATTERN

    if not ID_PATTERN.fullmatch(path.stem):
        raise NewError(
            f"'{path.stem}' cannot be a leaflet id: use up to 64 letters, digits, '.', '_' or '-', starting with "
            "a letter or digit, such as knee-injection or PIL-042",
            usage=True,
        )
    return path


def _render(template: Path, content: Path, leaflet_id: str, style: Path | None, today: date, years: int) -> str:
    folder = content.parent.absolute()
    if style is not None:
        named = Path(os.path.relpath(style.absolute(), folder)).as_posix()
        style_line = f"style: {named}          # the style: organisation, contact details, colours, logo"
    else:
        style_line = "# style: styles/our-style.yaml   # your organisation's style file: docs/style-reference.md"
    fields = {
        "id": leaflet_id,
        "title": _title(leaflet_id),
        "file": content.as_posix(),
        "today": today.isoformat(),
        "next_review": _add_years(today, years).isoformat(),
        "period": f"{years} year{'s' if years != 1 else ''}",
        "schema": Path(os.path.relpath(SCHEMA, folder)).as_posix(),
        "style_line": style_line,
    }
    return string.Template(template.read_text("utf-8")).substitute(fields)


def _title(leaflet_id: str) -> str:
    """'knee-injection' -> 'Knee injection': a start for the author to change."""
    words = re.sub(r"[-_.]+", " ", leaflet_id).strip()
    return words[:1].upper() + words[1:] if words else leaflet_id


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _review_years(content: Path, style: Path | None) -> int:
    """The organisation's review period: its library's settings, else the style that will apply, else 3 years."""
    from ..reading.library import library_for, load_settings
    from ..reading.style import load_theme, style_for

    library = library_for(content.parent)
    settings = load_settings(library) if library is not None else None
    if settings is not None and "max_period_years" in settings.review:
        return settings.review["max_period_years"]
    chosen = style_for(content, style, None, settings.style if settings else None)
    try:
        return load_theme(chosen).review.max_period_years
    except LeafletError:  # a style with mistakes: `leaflet build` will report them
        return load_theme(None).review.max_period_years


def _write_new(path: Path, data: bytes) -> None:
    with path.open("xb") as handle:  # never replaces a file, even one made since we looked
        handle.write(data)
