"""A library of leaflets: the content files under folders, and the settings file at the library's root.

The rule for what counts as a leaflet, under a folder given on the command line: every `.yaml` or `.yml`
file, in any folder below, except
- the library's settings file, `leaflets.yaml`, at its root;
- style files: everything inside a folder named `styles`;
- hidden files and folders (their names start with '.').
Any other YAML file is read as a leaflet, and one that is not (a style or settings file elsewhere) is an
error that says what it looks like and where it belongs (reading.content).

A library's root is the nearest folder, at or above, that holds `leaflets.yaml`; without one, the folder
given on the command line. A content file given on its own belongs to the library above it, if any.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Diagnostic, LeafletError, Location, Report, in_file_order
from .content import DEFAULT_AUDIENCES
from .files import best_path
from .loader import load_yaml
from .schema import clean, invalid_paths
from .style import meant_audience

SETTINGS_FILE = "leaflets.yaml"
STYLE_FOLDER = "styles"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Library:
    """A folder of leaflets, and its settings file if it has one."""

    root: Path
    settings_file: Path | None = None


@dataclass(frozen=True)
class ContentFile:
    """A content file to build or check, and the library it belongs to (None: a file on its own)."""

    path: Path
    library: Library | None = None

    @property
    def folder(self) -> Path:
        """Its folder within the library ('.' for the root, or for a file on its own): the output mirrors it."""
        if self.library is None:
            return Path()
        relative = os.path.relpath(self.path.parent.resolve(), self.library.root.resolve())
        return Path(relative)


@dataclass
class Settings:
    """A library's settings, as read from its leaflets.yaml (or the defaults, without one)."""

    library: Library | None
    style: Path | None = None  # the style for leaflets that name none
    style_at: Location | None = None  # where the settings name it
    output_folder: Path | None = None
    layout: str = "mirror"
    audiences: tuple[str, ...] | None = None
    formats: tuple[str, ...] | None = None
    review: dict[str, int] = field(default_factory=dict)  # replaces the style's review rules, key by key
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unusable: str = ""  # why no leaflet of the library can be built with these settings (a value is wrong)
    style_unusable: bool = False  # the style setting itself is wrong: leaflets that rely on it are not built

    @property
    def name(self) -> str:
        return str(self.library.settings_file) if self.library and self.library.settings_file else ""


NO_SETTINGS = Settings(None)


def find_leaflets(paths: list[Path]) -> tuple[list[ContentFile], list[Diagnostic]]:
    """The content files named on the command line, and those found under the folders named, in a stable order
    (as given; within a folder, by path); each once. Also what was found wrong on the way."""
    found: dict[Path, ContentFile] = {}
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            library = library_for(path) or Library(path)
            contents = _walk(path, library, problems)
            if not contents:
                problems.append(
                    Diagnostic(
                        "error",
                        "no leaflets in this folder",
                        Location(str(path)),
                        hint="a library's leaflets are the .yaml files in its folders, except leaflets.yaml and "
                        "those in styles/ folders; to build one file, give its path",
                    )
                )
            for content in contents:
                found.setdefault(best_path(content), ContentFile(content, library))
        else:  # a file, or a path that does not exist: reading it reports that
            found.setdefault(best_path(path), ContentFile(path, library_for(path.parent)))
    return list(found.values()), problems


def _walk(folder: Path, library: Library, problems: list[Diagnostic]) -> list[Path]:
    files: list[Path] = []
    for here, folders, names in os.walk(folder):
        current = Path(here)
        kept = []
        for name in sorted(folders):
            if name.startswith(".") or name == STYLE_FOLDER:
                continue
            nested = current / name / SETTINGS_FILE
            if nested.is_file():
                problems.append(
                    Diagnostic(
                        "error",
                        f"a second settings file inside the library at {library.root}; the leaflets in "
                        f"{current / name} are not built",
                        Location(str(nested)),
                        hint=f"a library has one {SETTINGS_FILE}, at its root: move these settings there, or build "
                        f"{current / name} on its own",
                    )
                )
                continue
            kept.append(name)
        folders[:] = kept  # os.walk descends only into these, in this order
        for name in sorted(names):
            path = current / name
            if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
                continue
            if name == SETTINGS_FILE and path.parent.resolve() == library.root.resolve():
                continue
            files.append(path)
    return files


def library_for(folder: Path) -> Library | None:
    """The library folder belongs to: the nearest folder at or above it that holds leaflets.yaml."""
    return _library_at(folder.absolute())


def _library_at(folder: Path) -> Library | None:
    for candidate in (folder, *folder.parents):
        settings = candidate / SETTINGS_FILE
        if settings.is_file():
            return Library(_shown(candidate), _shown(settings))
    return None


def _shown(path: Path) -> Path:
    """path relative to the current folder when it lies inside it, as people write paths; else absolute."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def load_settings(library: Library) -> Settings:
    """Read and check a library's settings file; every mistake is a diagnostic with file, line and column."""
    settings = Settings(library)
    if library.settings_file is None:
        return settings
    report = Report()
    if _only_comments(library.settings_file):
        return settings  # an empty settings file: the defaults
    try:
        source = load_yaml(library.settings_file)
    except LeafletError as error:
        settings.diagnostics = error.diagnostics
        settings.unusable = f"{library.settings_file} cannot be read"
        return settings
    data: Any = source.data
    if not isinstance(data, dict):
        report.error("expected 'name: value' lines (style, output, audiences, ...)", source.where(()))
        settings.diagnostics = report.diagnostics
        settings.unusable = f"{library.settings_file} holds no settings"
        return settings
    invalid = invalid_paths(source, "library.schema.json", report)
    known = ("style", "output", "audiences", "formats", "review")
    broken = sorted({str(path[0]) for path in invalid if path and path[0] in known})
    base = library.settings_file.parent

    def value(*path: str) -> Any:
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node if clean(invalid, path) else None

    if value("style"):
        settings.style_at = source.where(("style",))
        style = Path(os.path.normpath(base / value("style")))
        problem = style_problem(style, value("style"), library, "the settings file")
        if problem:
            report.error(problem[0], settings.style_at, "style", problem[1])
            settings.style_unusable = True
        settings.style = style
    settings.style_unusable = settings.style_unusable or "style" in broken
    if value("output", "folder"):
        settings.output_folder = Path(os.path.normpath(base / value("output", "folder")))
    settings.layout = value("output", "layout") or "mirror"
    settings.audiences = tuple(value("audiences")) if value("audiences") else None
    for index, name in enumerate(settings.audiences or ()):
        meant = meant_audience(name, list(DEFAULT_AUDIENCES))
        if meant and name not in DEFAULT_AUDIENCES:
            report.warning(
                f"no leaflet version is usually called '{name}'",
                source.where(("audiences", index)),
                f"audiences[{index}]",
                f"did you mean '{meant}'? Only leaflets that list '{name}' under their audiences build it",
            )
    settings.formats = tuple(value("formats")) if value("formats") else None
    settings.review = {k: v for k, v in (value("review") or {}).items() if isinstance(v, int)}
    if [key for key in broken if key != "style"]:
        settings.unusable = f"a setting in {library.settings_file} has a mistake ({', '.join(broken)})"
    settings.diagnostics = sorted(report.diagnostics, key=in_file_order)
    return settings


def _only_comments(path: Path) -> bool:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False  # reading it again says what is wrong
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def style_problem(path: Path, written: str, library: Library | None, named_in: str) -> tuple[str, str] | None:
    """Why a style named in a content or settings file cannot be used (message, hint), or None."""
    if library is not None and not path.resolve().is_relative_to(library.root.resolve()):
        return (
            f"style '{written}' is outside the library ({library.root})",
            "keep the library's styles inside it, for example in its styles/ folder",
        )
    if not path.is_file():
        what = "is a folder, not a style file" if path.is_dir() else "not found"
        return f"style file '{written}' {what}", f"paths are relative to {named_in}"
    return None
