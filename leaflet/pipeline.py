"""Build and check runs of content files: find each one's style, read, check, prepare each variant, write it.

The command line calls build() or check() and prints the result objects they return; nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .core.errors import Diagnostic, LeafletError, Location, Report
from .core.theme import Theme
from .core.variant import FORMATS, prepare, review_notice
from .reading.content import load_leaflet
from .reading.files import best_path
from .reading.style import load_theme, style_for

if TYPE_CHECKING:
    from .checks.suite import CheckResult
    from .pdf.writer import Written
    from .reading.fonts import FontSet

STRICT_REFUSAL = "--strict treats the warnings above as errors"


@dataclass(frozen=True)
class BuildOptions:
    today: date
    audiences: tuple[str, ...] | None = None  # None: every audience the leaflet has
    formats: tuple[str, ...] | None = None  # None: standard, plus large print where the style asks for it
    style: Path | None = None  # None: each content file's own style (see reading.style.style_for)
    out: Path = Path("output")
    strict: bool = False


@dataclass
class StyleResult:
    """A style as loaded for a run: its theme and fonts, or the mistakes that stopped it, and its findings."""

    path: Path | None  # None: the built-in style
    theme: Theme | None = None
    fonts: FontSet | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refused: str = ""  # why nothing is built with it, beyond its errors (--strict)

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else "(built-in style)"

    @property
    def failed(self) -> bool:
        return self.theme is None or self.fonts is None or bool(self.refused) or _has_errors(self.diagnostics)


@dataclass
class FileResult:
    """What became of one content file: the files written and everything found on the way."""

    content: Path
    style: StyleResult
    written: list[Written] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refused: str = ""  # why nothing was written although there are no errors (--strict)

    @property
    def failed(self) -> bool:
        return bool(self.refused) or _has_errors(self.diagnostics)


@dataclass
class BuildResult:
    files: list[FileResult]

    @property
    def styles(self) -> list[StyleResult]:
        """Each style used, once, in the order first used."""
        return list({id(f.style): f.style for f in self.files}.values())

    @property
    def failed(self) -> bool:
        return any(f.failed for f in self.files) or any(s.failed for s in self.styles)


def _has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def output_name(leaflet_id: str, audience: str, large_print: bool = False) -> str:
    """'<id>-<audience>.pdf' or '<id>-<audience>-large-print.pdf', lower-case and safe on every file system."""
    suffix = "-large-print" if large_print else ""
    stem = re.sub(r"[^a-z0-9]+", "-", f"{leaflet_id}-{audience}{suffix}".lower()).strip("-")
    return f"{stem}.pdf"


def choose_formats(audience: str, theme: Theme, formats: tuple[str, ...] | None) -> list[bool]:
    """For one audience, large_print for each file to make: the formats asked for, or by default standard print
    plus large print where the style asks for it (patients, by default: the Accessible Information Standard)."""
    wanted = formats or ("standard", *(("large-print",) if theme.for_audience(audience).large_print else ()))
    return [f == "large-print" for f in FORMATS if f in wanted]


class _Styles:
    """Styles loaded once per run, each with its fonts; for a build, with its own findings (contrast, type size)
    for the audiences built. (`leaflet check` checks a style for the audiences of every leaflet that uses it.)"""

    def __init__(self, options: BuildOptions, building: bool) -> None:
        self.options = options
        self.building = building
        self.loaded: dict[Path | None, StyleResult] = {}

    def for_content(self, content: Path) -> StyleResult:
        path = style_for(content, self.options.style)
        key = best_path(path) if path is not None else None
        if key not in self.loaded:
            self.loaded[key] = self._load(path)
        return self.loaded[key]

    def _load(self, path: Path | None) -> StyleResult:
        from .checks.suite import check_style
        from .reading.fonts import load_fonts

        result = StyleResult(path)
        report = Report()
        try:
            result.theme = load_theme(path, report)
        except LeafletError as error:
            report.diagnostics = list(error.diagnostics)  # the report's own, or the one that stopped the reading
        if result.theme is not None:
            try:
                result.fonts = load_fonts(result.theme)
            except LeafletError as error:  # a font file that cannot be used
                report.diagnostics += error.diagnostics
        if self.building and path is None:
            report.warning(
                "no --style given and no styles/default.yaml beside the content: built with leaflet's built-in "
                "example style, whose organisation and contact details are fictional",
                hint="pass --style, or put your own brand in styles/default.yaml (docs/style-reference.md)",
            )
        if self.building and result.theme is not None:
            audiences = self.options.audiences or tuple(result.theme.audiences)
            report.diagnostics += [f.diagnostic for f in check_style(result.theme, audiences, gate=False)]
        result.diagnostics = report.diagnostics
        if self.building and self.options.strict and report.warnings and not report.errors:
            result.refused = f"nothing built: {STRICT_REFUSAL}"
        return result


def build(
    contents: Iterable[Path], options: BuildOptions, on_file: Callable[[FileResult], None] | None = None
) -> BuildResult:
    """Check, then build the chosen variants of each content file. One file's mistakes never stop the others;
    on_file (if given) hears of each file as it is done."""
    styles = _Styles(options, building=True)
    files = []
    for content in contents:
        result = _build_file(content, styles.for_content(content), options)
        files.append(result)
        if on_file is not None:
            on_file(result)
    return BuildResult(files)


def _build_file(content: Path, style: StyleResult, options: BuildOptions) -> FileResult:
    result = FileResult(content, style)
    if style.failed:
        # Nothing is written, but the content is still checked and its mistakes reported.
        try:
            result.diagnostics += load_leaflet(content, image_folders=_style_folders(style))[1].diagnostics
        except LeafletError as error:
            result.diagnostics += error.diagnostics
        return result
    try:
        _write_variants(content, style, options, result)
    except LeafletError as error:
        result.diagnostics += error.diagnostics
    except OSError as error:  # a last resort: the writer reports the output folder problems it can foresee
        message = f"cannot write output ({error.strerror}: {error.filename})"
        result.diagnostics.append(Diagnostic("error", message, Location(str(content))))
    if options.strict and not result.written and not _has_errors(result.diagnostics) and result.diagnostics:
        result.refused = f"not built: {STRICT_REFUSAL}"
    return result


def _style_folders(style: StyleResult) -> tuple[Path, ...]:
    """Images may come from the content's folder or from the style's."""
    return (best_path(style.path).parent,) if style.path is not None else ()


def _write_variants(content: Path, style: StyleResult, options: BuildOptions, result: FileResult) -> None:
    """Check, then write each chosen variant. An overdue leaflet is still built, with a notice on every page;
    with --strict, any warning means nothing is written. A variant that fails does not stop the others."""
    from .checks.review import OVERDUE
    from .checks.suite import check_leaflet
    from .pdf.writer import render

    theme, fonts = style.theme, style.fonts
    assert theme is not None and fonts is not None  # a failed style never gets here
    leaflet, loaded = load_leaflet(content, image_folders=_style_folders(style))
    chosen = options.audiences or leaflet.audiences
    unknown = [a for a in chosen if a not in leaflet.audiences]
    if unknown:
        raise LeafletError.single(
            f"this leaflet has no '{unknown[0]}' version",
            Location(leaflet.source),
            hint="it has: " + ", ".join(leaflet.audiences),
        )
    checked = check_leaflet(
        leaflet,
        theme,
        options.today,
        fonts=fonts,
        audiences=chosen,
        gate=False,
        source_text=read_text(content),
        measure_all=False,
    )
    glyphs = [f.diagnostic for f in checked.findings if f.check == "glyphs"]
    result.diagnostics += [f.diagnostic for f in checked.findings if f.check != "glyphs"]
    result.diagnostics += sorted(loaded.diagnostics + glyphs, key=_position)
    if options.strict and any(d.severity == "warning" for d in result.diagnostics):
        return
    notice = review_notice(leaflet.review.next_review) if checked.status == OVERDUE else None
    failures: list[Diagnostic] = []
    for audience in chosen:
        for large_print in choose_formats(audience, theme, options.formats):
            variant = prepare(leaflet, audience, theme, large_print, notice)
            target = options.out / output_name(leaflet.id, audience, large_print)
            try:
                result.written.append(render(variant, theme, fonts, target))
            except LeafletError as error:
                failures += error.diagnostics
    if failures:
        raise LeafletError(failures)


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.location.line, diagnostic.location.column) if diagnostic.location else (0, 0)


def read_text(path: Path) -> str | None:
    """The content file's text, to place findings on their exact line and column; None if unreadable."""
    from .reading.files import MAX_YAML_BYTES, InputError, read_input

    try:
        return read_input(path, MAX_YAML_BYTES).decode("utf-8-sig", errors="replace")
    except InputError:
        return None


def check(contents: Iterable[Path], options: BuildOptions) -> CheckResult:
    """Run every check on each content file with its style; a style that cannot be read is a finding, and
    the leaflets that use it are not checked."""
    from .checks.finding import Finding
    from .checks.review import INVALID
    from .checks.suite import CheckResult, LeafletCheck, check_leaflet, check_style

    styles = _Styles(options, building=False)
    results: list[LeafletCheck] = []
    used: dict[int, tuple[StyleResult, list[str]]] = {}  # style -> the audiences of the leaflets that use it
    for content in contents:
        style = styles.for_content(content)
        audiences = used.setdefault(id(style), (style, []))[1]
        if style.theme is None or style.fonts is None:
            continue
        try:
            leaflet, loaded = load_leaflet(content, image_folders=_style_folders(style))
        except LeafletError as error:
            findings = [Finding("content", d) for d in error.diagnostics]
            results.append(LeafletCheck(str(content), None, INVALID, findings, {}))
            continue
        result = check_leaflet(
            leaflet, style.theme, options.today, fonts=style.fonts, gate=True, source_text=read_text(content)
        )
        result.findings[:0] = [Finding("content", d) for d in loaded.diagnostics]
        results.append(result)
        audiences += leaflet.audiences
    checked_styles = []
    for style, audiences in used.values():
        if style.theme is None or style.fonts is None:
            found = [Finding("style", d) for d in style.diagnostics]
        else:
            named = sorted({*style.theme.audiences, *audiences})
            found = check_style(style.theme, named, gate=True)
            found[:0] = [Finding("style", d) for d in style.diagnostics if d.severity == "warning"]
        checked_styles.append((style.name, found))
    return CheckResult(results, checked_styles)
