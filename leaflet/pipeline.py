"""Build and check runs over content files and libraries: plan every output, then read, check and write each file.

A run first finds the content files (reading.library), then plans each one: its library settings, its style
(the command line, else the content file's own `style:`, else the library's, else styles/default.yaml beside
it, else the built-in style) and every file it will write. Outputs that two leaflets would share are refused
before anything is written; files whose inputs have not changed since the last build are skipped (the manifest
in the output folder); the rest are built, in parallel, each in one job that reads, checks and writes it.
The command line calls build() or check() and prints the result objects they return; nothing here prints.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__
from .core.errors import Diagnostic, LeafletError, Location, Report, in_file_order
from .core.theme import ReviewRules, Theme
from .core.variant import FORMAT_SPECS, FORMATS, prepare, review_notice
from .reading.content import DEFAULT_AUDIENCES, audience_names, load_leaflet
from .reading.files import best_path
from .reading.library import NO_SETTINGS, ContentFile, Library, Settings, find_leaflets, load_settings, style_problem
from .reading.loader import Source, load_yaml
from .reading.style import load_theme, style_for

if TYPE_CHECKING:
    from .checks.finding import Finding
    from .checks.suite import CheckResult
    from .core.model import Leaflet
    from .core.page import LayoutReport
    from .core.variant import Variant
    from .library.manifest import Hashes, Manifest
    from .pdf.writer import Made
    from .pdf.writer import Written as WrittenPDF
    from .reading.fonts import FontSet

STRICT_REFUSAL = "--strict treats the warnings above as errors"
DEFAULT_OUT = Path("output")
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # the schema's, for planning before the full read


@dataclass(frozen=True)
class BuildOptions:
    today: date
    audiences: tuple[str, ...] | None = None  # None: the library's choice, else every audience the leaflet has
    formats: tuple[str, ...] | None = None  # None: the library's, else standard, plus large print where the style asks
    style: Path | None = None  # None: each content file's own style (see the module's docstring)
    out: Path | None = None  # None: the library's output folder, else output/
    strict: bool = False
    jobs: int = 1  # worker processes
    force: bool = False  # rebuild files whose inputs have not changed


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


class Target(NamedTuple):
    """One file a content file builds."""

    audience: str
    format: str  # standard, large-print or html (core.variant.FORMATS)
    path: Path


@dataclass(frozen=True)
class Written:
    """One file a build wrote: a PDF (standard or large print) or a web page, for one audience."""

    path: Path
    format: str  # standard, large-print or html (core.variant.FORMATS)
    audience: str
    size: int  # bytes
    pages: int | None = None  # PDFs only
    layout: LayoutReport | None = None  # PDFs only: each page's fill and the page-break rules it could not keep


@dataclass
class FileResult:
    """What became of one content file: the files written and everything found on the way."""

    content: Path
    style: StyleResult | None  # None: the content file could not be read far enough to choose one
    written: list[Written] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refused: str = ""  # why nothing was written although there are no errors (--strict)
    unchanged: bool = False  # its outputs were up to date: nothing was written
    summary: dict[str, Any] | None = None  # its row of the status index (checks.report.summary)
    inputs: list[Path] = field(default_factory=list)  # the files it was built from, as far as it was read

    @property
    def failed(self) -> bool:
        return bool(self.refused) or _has_errors(self.diagnostics)


@dataclass
class BuildResult:
    files: list[FileResult]
    settings: list[Settings] = field(default_factory=list)  # the libraries' settings, each once
    problems: list[Diagnostic] = field(default_factory=list)  # found while looking for content files
    indexes: list[Path] = field(default_factory=list)  # the status indexes written

    @property
    def styles(self) -> list[StyleResult]:
        """Each style used, once, in the order first used."""
        return list({id(f.style): f.style for f in self.files if f.style is not None}.values())

    @property
    def failed(self) -> bool:
        found = self.problems + [d for s in self.settings for d in s.diagnostics]
        return any(f.failed for f in self.files) or any(s.failed for s in self.styles) or _has_errors(found)


def _has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def output_name(leaflet_id: str, audience: str, large_print: bool = False) -> str:
    """'<id>-<audience>.pdf' or '<id>-<audience>-large-print.pdf', lower-case and safe on every file system."""
    return file_name(leaflet_id, audience, "large-print" if large_print else "standard")


def file_name(leaflet_id: str, audience: str, format: str) -> str:
    """The file one format of one audience's leaflet is written to: '<id>-<audience>.pdf',
    '<id>-<audience>-large-print.pdf', '-a5.pdf', '-booklet.pdf', '-print.pdf' or '<id>-<audience>.html';
    lower-case and safe on every file system."""
    spec = FORMAT_SPECS[format]
    stem = re.sub(r"[^a-z0-9]+", "-", f"{leaflet_id}-{audience}{spec.suffix}".lower()).strip("-")
    return f"{stem}.{spec.extension}"


def choose_formats(audience: str, theme: Theme, formats: tuple[str, ...] | None) -> list[str]:
    """For one audience, the formats to make: those asked for, or the style's for the audience (by default
    standard print, large print for patients, as the Accessible Information Standard asks, and the web page)."""
    wanted = formats or theme.for_audience(audience).formats
    return [f for f in FORMATS if f in wanted]


def published(audiences: tuple[str, ...], targets: list[Target], theme: Theme) -> list[tuple[str, str]]:
    """(audience, format) of every file of a leaflet that its web pages link to: what a default build makes for
    each of its audiences, and whatever else this run makes. A run that builds only some of them (--audience,
    --format) still links to the rest, as a whole build writes them beside it."""
    made = {(a, f) for a in audiences for f in choose_formats(a, theme, None)}
    made |= {(t.audience, t.format) for t in targets}
    return [(a, f) for a in audiences for f in FORMATS if (a, f) in made]


@dataclass
class _Plan:
    """One content file's part in a run, worked out before anything is written."""

    content: ContentFile
    settings: Settings
    out: Path  # the output folder (holding the manifest and index)
    source: Source | None = None
    style: StyleResult | None = None
    style_inputs: tuple[Path, ...] = ()  # files whose content, or absence, chose and made the style
    audiences: tuple[str, ...] = ()  # the versions to build
    leaflet_audiences: tuple[str, ...] = ()  # every version the leaflet has (its web pages link to all)
    targets: list[Target] = field(default_factory=list)
    leaflet_id: str = ""
    id_at: Location | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # mistakes found while planning: nothing is written
    key: str = ""  # the build options and leaflet's version, for the manifest
    current: dict[str, Any] | None = None  # the manifest's entry, when the outputs are up to date

    @property
    def path(self) -> Path:
        return self.content.path

    @property
    def inputs(self) -> list[Path]:
        """The files it reads before its content is read: the content, the files that chose its style, the style."""
        return [self.path, *self.style_inputs, *([self.style.path] if self.style and self.style.path else [])]


class _Run:
    """One run: its options, and each library's settings and each style, loaded once."""

    def __init__(self, options: BuildOptions, building: bool) -> None:
        self.options = options
        self.building = building
        self.settings: dict[Library, Settings] = {}
        self.styles: dict[tuple[Path | None, tuple[tuple[str, int], ...]], StyleResult] = {}

    def settings_for(self, content: ContentFile) -> Settings:
        library = content.library
        if library is None:
            return NO_SETTINGS
        if library not in self.settings:
            self.settings[library] = load_settings(library)
        return self.settings[library]

    def plan(self, content: ContentFile) -> _Plan:
        settings = self.settings_for(content)
        out = self.options.out or settings.output_folder or DEFAULT_OUT
        plan = _Plan(content, settings, out)
        try:
            plan.source = load_yaml(content.path)
        except LeafletError as error:
            plan.diagnostics += error.diagnostics
            return plan
        data = plan.source.data if isinstance(plan.source.data, dict) else {}
        path, inputs, problem = self._style_path(plan, data)
        if problem is not None:
            plan.diagnostics.append(problem)
            return plan
        plan.style = self.style(path, settings.review)
        plan.style_inputs = inputs
        if settings.unusable:
            plan.diagnostics.append(_not_built(plan, settings.unusable, settings))
        if plan.style.failed or plan.diagnostics:
            return plan
        self._targets(plan, data)
        return plan

    def _style_path(self, plan: _Plan, data: dict[str, Any]) -> tuple[Path | None, tuple[Path, ...], Diagnostic | None]:
        """The style for a content file, the files that chose it, or why it cannot have one."""
        content, settings = plan.content, plan.settings
        named = data.get("style") if isinstance(data.get("style"), str) and data["style"].strip() else None
        named_path = Path(os.path.normpath(content.path.parent / named)) if named else None
        if self.options.style is None and named_path is not None and plan.source is not None:
            problem = style_problem(named_path, str(named), content.library, "the content file")
            if problem:
                return None, (), Diagnostic("error", problem[0], plan.source.where(("style",)), "style", problem[1])
        elif self.options.style is None and named is None and settings.style_unusable:
            return None, (), _not_built(plan, "the library's style setting has a mistake", settings)
        path = style_for(content.path, self.options.style, named_path, settings.style)
        inputs: tuple[Path, ...] = tuple(p for p in (settings.library and settings.library.settings_file,) if p)
        if self.options.style is None and named_path is None and settings.style is None:
            inputs += (content.path.parent / "styles" / "default.yaml",)  # its appearing would change the style
        return path, inputs, None

    def style(self, path: Path | None, review: dict[str, int]) -> StyleResult:
        key = (best_path(path) if path is not None else None, tuple(sorted(review.items())))
        if key not in self.styles:
            self.styles[key] = self._load(path, review)
        return self.styles[key]

    def _load(self, path: Path | None, review: dict[str, int]) -> StyleResult:
        from .checks.suite import check_style
        from .reading.fonts import load_fonts

        result = StyleResult(path)
        report = Report()
        try:
            result.theme = load_theme(path, report)
        except LeafletError as error:
            report.diagnostics = list(error.diagnostics)  # the report's own, or the one that stopped the reading
        if result.theme is not None and review:  # the library's review rules replace the style's
            result.theme = replace(result.theme, review=result.theme.review._replace(**review))
        if result.theme is not None:
            try:
                result.fonts = load_fonts(result.theme)
            except LeafletError as error:  # a font file that cannot be used
                report.diagnostics += error.diagnostics
        if self.building and path is None:
            report.warning(
                "no style chosen (no --style, no style: in the content or the library's settings, and no "
                "styles/default.yaml beside the content): built with leaflet's built-in example style, whose "
                "organisation and contact details are fictional",
                hint="pass --style, or put your own brand in styles/default.yaml (docs/style-reference.md)",
            )
        if self.building and result.theme is not None:
            audiences = self.options.audiences or tuple(result.theme.audiences)
            report.diagnostics += [f.diagnostic for f in check_style(result.theme, audiences, gate=False)]
        result.diagnostics = report.diagnostics
        if self.building and self.options.strict and report.warnings and not report.errors:
            result.refused = f"nothing built: {STRICT_REFUSAL}"
        return result

    def _targets(self, plan: _Plan, data: dict[str, Any]) -> None:
        """The files a content file builds, from its id and audiences as written (a file whose id or audiences
        are wrong has errors the full read reports, and builds nothing)."""
        leaflet_id, listed = data.get("id"), data.get("audiences")
        if not isinstance(leaflet_id, str) or not ID_PATTERN.fullmatch(leaflet_id):
            return
        assert plan.source is not None and plan.style is not None and plan.style.theme is not None
        plan.leaflet_id, plan.id_at = leaflet_id, plan.source.where(("id",))
        has = audience_names(listed) or DEFAULT_AUDIENCES
        options, settings = self.options, plan.settings
        if options.audiences:
            unknown = [a for a in options.audiences if a not in has]
            if unknown:
                plan.diagnostics.append(
                    Diagnostic(
                        "error",
                        f"this leaflet has no '{unknown[0]}' version",
                        Location(str(plan.path)),
                        hint="it has: " + ", ".join(has),
                    )
                )
                return
            plan.audiences = options.audiences
        elif settings.audiences:
            plan.audiences = tuple(a for a in has if a in settings.audiences)
            if not plan.audiences:
                plan.diagnostics.append(
                    Diagnostic(
                        "warning",
                        f"nothing built: the library builds {', '.join(settings.audiences)}, and this leaflet has "
                        f"only {', '.join(has)}",
                        Location(str(plan.path)),
                        hint=f"add the audience to 'audiences:' here, or to the library's in {settings.name}",
                    )
                )
        else:
            plan.audiences = has
        folder = plan.out / plan.content.folder if settings.layout == "mirror" else plan.out
        formats = options.formats or settings.formats
        plan.targets = [
            Target(audience, format, folder / file_name(leaflet_id, audience, format))
            for audience in plan.audiences
            for format in choose_formats(audience, plan.style.theme, formats)
        ]
        plan.leaflet_audiences = has
        plan.key = _options_key(options, settings, plan.style)


def _not_built(plan: _Plan, why: str, settings: Settings) -> Diagnostic:
    where = settings.style_at if "style" in why and settings.style_at else Location(settings.name)
    return Diagnostic("error", f"not built or checked: {why}", Location(str(plan.path)), hint=f"see {where}")


def _options_key(options: BuildOptions, settings: Settings, style: StyleResult) -> str:
    """What, beyond the input files, the outputs depend on: leaflet's version and the build options."""
    import hashlib

    parts = [
        __version__,
        repr(options.audiences or settings.audiences),
        repr(options.formats or settings.formats),
        repr(options.strict),
        settings.layout,
        repr(sorted(settings.review.items())),
        str(best_path(style.path)) if style.path else "built-in",
        os.environ.get("SOURCE_DATE_EPOCH", ""),  # the PDFs' dates
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


# Outputs two leaflets would share.


def _same_file(path: Path | str) -> str:
    """Paths that name the same file: through a symbolic link, on a case-insensitive file system, or in another
    Unicode normal form."""
    return unicodedata.normalize("NFC", os.path.normcase(os.path.realpath(path))).casefold()


def _refuse_collisions(plans: list[_Plan], others: dict[str, tuple[str, str]]) -> None:
    """Every output path of the run is made by one content file only; any two that would share one both get an
    error naming both (file:line:col of each id), and neither writes anything. others: outputs recorded for
    content files not in this run, by _same_file(path) -> (their id's place, their id)."""
    claims: dict[str, list[tuple[_Plan, Target]]] = {}
    for plan in plans:
        for target in plan.targets or _recorded_targets(plan):
            claims.setdefault(_same_file(target.path), []).append((plan, target))
    shared: dict[int, dict[str, list[Path]]] = {}  # plan -> what it collides with -> the paths they share
    for key, claimants in claims.items():
        if len(claimants) < 2 and key not in others:
            continue
        for plan, target in claimants:
            for rival, rival_target in claimants:
                if rival is plan and rival_target == target:
                    continue
                if rival is plan:  # an audience named like another's large-print version
                    pair = sorted((_variant(target), _variant(rival_target)))
                    said = f"would write its {pair[0]} and its {pair[1]} to one file"
                elif rival.leaflet_id == plan.leaflet_id:
                    said = f"is also the id of {_where(rival)}: both would write"
                else:
                    said = f"makes the same file names as id '{rival.leaflet_id}' in {_where(rival)}: both would write"
                shared.setdefault(id(plan), {}).setdefault(said, []).append(target.path)
            if key in others:
                said = f"makes the same file names as id '{others[key][1]}' in {others[key][0]} (built earlier): both "
                said += "would write"
                shared.setdefault(id(plan), {}).setdefault(said, []).append(target.path)
    for plan in plans:
        for said, paths in shared.get(id(plan), {}).items():
            plan.diagnostics.append(
                Diagnostic(
                    "error",
                    f"id '{plan.leaflet_id}' {said} " + ", ".join(map(str, dict.fromkeys(paths))),
                    plan.id_at or Location(str(plan.path)),
                    "id",
                    "give each leaflet an id of its own, and each audience a name that does not end in -large-print "
                    "(file names are made in lower case, with '-' for anything but letters and digits)",
                )
            )


def _run_inputs(plans: list[_Plan]) -> dict[str, Path]:
    """The content, style and settings files a run reads, by _same_file()."""
    inputs: dict[str, Path] = {}
    for plan in plans:
        for path in plan.inputs:
            inputs.setdefault(_same_file(path), path)
    return inputs


def _run_files(out: Path) -> list[Path]:
    """What a run writes in an output folder besides the leaflets' files: the manifest and the status index."""
    from .library.manifest import MANIFEST_NAME

    return [out / name for name in ("index.json", "index.html", MANIFEST_NAME)]


def _refuse_writing_over_inputs(plans: list[_Plan], inputs: dict[str, Path]) -> None:
    """No output path of the run is one of its inputs (a content, style or library settings file): a content
    file called out/knee-patient.pdf, built into out/, would be replaced by its own PDF."""
    for plan in plans:
        # Its own files, and the run's in its output folder: the status index and the manifest.
        written = [target.path for target in plan.targets] + _run_files(plan.out)
        for path in written:
            at_risk = inputs.get(_same_file(path))
            if at_risk is None:
                continue
            what = "this very content file" if _same_file(at_risk) == _same_file(plan.path) else f"the input {at_risk}"
            plan.diagnostics.append(
                Diagnostic(
                    "error",
                    f"{path} would be written over {what}",
                    plan.id_at or Location(str(plan.path)),
                    "id",
                    "keep content and style files out of the output folder: move them, or choose another --out",
                )
            )


def _recorded_targets(plan: _Plan) -> list[Target]:
    if plan.current is None:
        return []
    return [Target(o["audience"], o["format"], plan.out / o["path"]) for o in plan.current["outputs"]]


def _where(plan: _Plan) -> str:
    return str(plan.id_at or plan.path)


def _variant(target: Target) -> str:
    what = {
        "large-print": " in large print",
        "a5": " on A5 pages",
        "booklet": " booklet",
        "print": " print file",
        "html": " web page",
    }.get(target.format, "")
    return f"{target.audience} version{what}"


# Building one file: the job a worker process runs.


class _Job(NamedTuple):
    content: Path
    source: Source | None
    style_key: tuple[Path | None, tuple[tuple[str, int], ...]]
    style_path: Path | None
    review: dict[str, int]
    targets: list[Target]
    audiences: tuple[str, ...]
    leaflet_audiences: tuple[str, ...]
    options: BuildOptions
    refused: bool  # planning found mistakes: read and check it for its errors, write nothing


@dataclass
class _Outcome:
    """What a job sends back: small and plain, so that it crosses between processes cheaply."""

    written: list[Written] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refused: str = ""
    summary: dict[str, Any] | None = None
    images: list[str] = field(default_factory=list)
    review: dict[str, Any] | None = None  # what the review findings need, to say them again on a skipped rebuild
    complete: bool = False  # every target was written


_run_styles: dict[tuple[Path | None, tuple[tuple[str, int], ...]], StyleResult] = {}  # inherited by forked workers
_variant_workers = 1  # processes for the variants of a file, when a run builds one file only
# What forked variant workers render: the variants, their theme and fonts, their targets, and the PDFs made already.
_rendering: tuple[list[Variant], Theme, FontSet, list[Target], list[Made | None]] | None = None


def _build_job(job: _Job) -> _Outcome:
    style = _run_styles.get(job.style_key)
    if style is None:  # a worker started afresh (not forked) loads the style itself
        style = _Run(job.options, building=True).style(job.style_path, job.review)
        _run_styles[job.style_key] = style
    outcome = _Outcome()
    if style.failed or job.refused:
        # Nothing is written, but the content is still read and its mistakes reported (and what it is, listed).
        try:
            leaflet, loaded = load_leaflet(job.content, image_folders=_style_folders(style), source=job.source)
        except LeafletError as error:
            outcome.diagnostics += error.diagnostics
            return outcome
        outcome.diagnostics += loaded.diagnostics
        outcome.summary = _summary_unchecked(leaflet, style, job.options.today)
        return outcome
    try:
        _write_variants(job, style, outcome)
    except LeafletError as error:
        outcome.diagnostics += error.diagnostics
    except OSError as error:  # a last resort: the writer reports the output folder problems it can foresee
        message = f"cannot write output ({error.strerror}: {error.filename})"
        outcome.diagnostics.append(Diagnostic("error", message, Location(str(job.content))))
    has_errors = _has_errors(outcome.diagnostics)
    if job.options.strict and not outcome.written and not has_errors and outcome.diagnostics:
        outcome.refused = f"not built: {STRICT_REFUSAL}"
    outcome.complete = not has_errors and not outcome.refused and len(outcome.written) == len(job.targets)
    return outcome


def _summary_unchecked(leaflet: Any, style: StyleResult, today: date) -> dict[str, Any]:
    """The index row of a leaflet that was read but not checked or built (no reading figures)."""
    from .checks.report import summary
    from .checks.review import review_status
    from .checks.suite import LeafletCheck

    rules = style.theme.review if style.theme is not None else ReviewRules()
    status = review_status(leaflet.review.next_review, today, rules)
    return summary(LeafletCheck(leaflet.source, leaflet, status, [], {}))


def _style_folders(style: StyleResult) -> tuple[Path, ...]:
    """Images may come from the content's folder or from the style's."""
    return (best_path(style.path).parent,) if style.path is not None else ()


def _write_variants(job: _Job, style: StyleResult, outcome: _Outcome) -> None:
    """Check, then write each planned variant. An overdue leaflet is still built, with a notice on every page;
    with --strict, any warning means nothing is written. A variant that fails does not stop the others."""
    from .checks.report import summary
    from .checks.review import OVERDUE
    from .checks.suite import check_leaflet
    from .core.model import Image, blocks
    from .library.pool import FORKS, fork_map, stopping
    from .pdf.writer import make

    theme, fonts = style.theme, style.fonts
    assert theme is not None and fonts is not None  # a failed style never gets here
    leaflet, loaded = load_leaflet(job.content, image_folders=_style_folders(style), source=job.source)
    checked = check_leaflet(
        leaflet, theme, job.options.today, fonts=fonts, audiences=job.audiences, gate=False,
        source_text=job.source.text if job.source else read_text(job.content),
    )  # fmt: skip
    glyphs = [f.diagnostic for f in checked.findings if f.check == "glyphs"]
    outcome.diagnostics += [f.diagnostic for f in checked.findings if f.check != "glyphs"]
    outcome.diagnostics += sorted(loaded.diagnostics + glyphs, key=in_file_order)
    outcome.summary = summary(checked)
    if any(d.severity == "error" for d in glyphs):
        return  # a character no font can draw: nothing is written rather than an empty box in its place
    pictures = [block for block in blocks(leaflet) if isinstance(block, Image)]
    outcome.images = sorted({block.path for block in pictures})
    targets = {_same_file(target.path) for target in job.targets}
    over = [block for block in pictures if _same_file(block.path) in targets]
    for block in over:  # a picture kept where one of the leaflet's own files goes would be replaced by it
        outcome.diagnostics.append(
            Diagnostic(
                "error",
                f"image '{Path(block.path).name}' is where this leaflet writes one of its own files, which would "
                "replace it",
                block.location,
                hint="keep pictures out of the output folder, or choose another --out",
            )
        )
    if over:
        return
    review = leaflet.review
    outcome.review = {
        "last_reviewed": review.last_reviewed.isoformat(),
        "next_review": review.next_review.isoformat(),
        "version": review.version,
        "at": [_location(review.last_reviewed_at), _location(review.next_review_at)],
        "rules": list(theme.review),
    }
    if job.options.strict and any(d.severity == "warning" for d in outcome.diagnostics):
        return
    notice = review_notice(review.next_review) if checked.status == OVERDUE else None
    pdfs = [t for t in job.targets if t.format != "html"]
    variants = [prepare(leaflet, t.audience, theme, t.format, notice) for t in pdfs]
    failures: list[Diagnostic] = []
    made: list[Made | None] = [None] * len(variants)
    if job.options.strict:  # the layout's warnings are known only once it is done: make them all, then write
        pdfs_made = [make(variant, theme, fonts) for variant in variants]
        found = [d for v, pdf in zip(variants, pdfs_made, strict=True) for d in _layout_warnings(v, pdf.layout)]
        if found:
            outcome.diagnostics += found
            return
        made = list(pdfs_made)
    if _variant_workers > 1 and len(variants) > 1 and FORKS:
        # One file with several variants, and processors to spare: the variants are shared between processes.
        global _rendering
        _rendering = (variants, theme, fonts, pdfs, made)
        try:
            rendered = fork_map(_render_variant, list(range(len(variants))), _variant_workers)
        finally:
            _rendering = None
    else:
        rendered = []
        for index in range(len(variants)):
            if stopping():  # Ctrl-C: the files written so far are complete; write no more
                break
            rendered.append(_render_pdf(variants[index], theme, fonts, pdfs[index], made[index]))
    for variant, target, result in zip(variants, pdfs, rendered, strict=False):
        if isinstance(result, list):
            failures += result
            continue
        outcome.written.append(
            Written(result.path, target.format, target.audience, result.size, result.pages, result.layout)
        )
        outcome.diagnostics += _layout_warnings(variant, result.layout)
    if failures:  # the web pages link to the PDFs: none is written unless every PDF is
        raise LeafletError(failures)
    pages = [t for t in job.targets if t.format == "html"]
    if pages and not stopping():
        from .html.writer import Sibling
        from .html.writer import render as render_page

        links = published(job.leaflet_audiences, job.targets, theme)
        for target in pages:
            siblings = [
                Sibling(a, f, file_name(leaflet.id, a, f)) for a, f in links if (a, f) != (target.audience, "html")
            ]
            # The page reads what the standard PDF's variant holds: the one made for it, if it was made.
            standard = [v for v in variants if v.audience == target.audience and v.format == "standard"]
            if standard:
                variant = replace(standard[0], format="html")
            else:
                variant = prepare(leaflet, target.audience, theme, "html", notice)
            try:
                page = render_page(variant, theme, fonts, target.path, siblings)
            except LeafletError as error:
                failures += error.diagnostics
                continue
            outcome.written.append(Written(page.path, "html", target.audience, page.size))
        if failures:
            raise LeafletError(failures)


def _render_pdf(
    variant: Variant, theme: Theme, fonts: FontSet, target: Target, made: Made | None = None
) -> WrittenPDF | list[Diagnostic]:
    from .pdf.writer import render

    try:
        return render(variant, theme, fonts, target.path, made)
    except LeafletError as error:
        return error.diagnostics


def _render_variant(index: int) -> WrittenPDF | list[Diagnostic]:
    """In a forked worker: write one of the variants the parent prepared."""
    assert _rendering is not None
    variants, theme, fonts, targets, made = _rendering
    return _render_pdf(variants[index], theme, fonts, targets[index], made[index])


def _layout_warnings(variant: Variant, report: LayoutReport | None) -> list[Diagnostic]:
    from .checks.layout import check_layout

    found = check_layout(variant.audience, variant.large_print, report, variant.content.source) if report else []
    return [finding.diagnostic for finding in found]


def _layout_findings(leaflet: Leaflet, theme: Theme, fonts: FontSet, status: str) -> list[Finding]:
    """The layout check of every PDF `leaflet build` would make, laid out as it would be (not written)."""
    from .checks.finding import Finding
    from .checks.review import OVERDUE
    from .pdf.writer import lay_out

    notice = review_notice(leaflet.review.next_review) if status == OVERDUE else None
    found: list[Finding] = []
    for audience in leaflet.audiences:
        for format in choose_formats(audience, theme, None):
            if format == "html":
                continue
            variant = prepare(leaflet, audience, theme, format, notice)
            try:
                found += [Finding("layout", d) for d in _layout_warnings(variant, lay_out(variant, theme, fonts))]
            except LeafletError as error:
                found += [Finding("layout", d) for d in error.diagnostics]
    return found


def _location(where: Location | None) -> list[Any] | None:
    return [where.file, where.line, where.column] if where else None


def read_text(path: Path) -> str | None:
    """The content file's text, to place findings on their exact line and column; None if unreadable."""
    from .reading.files import MAX_YAML_BYTES, InputError, read_input

    try:
        return read_input(path, MAX_YAML_BYTES).decode("utf-8-sig", errors="replace")
    except InputError:
        return None


# The run.


def build(
    paths: Iterable[Path],
    options: BuildOptions,
    on_file: Callable[[FileResult], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Check, then build the chosen variants of each content file, and of each leaflet under each folder.

    One file's mistakes never stop the others. on_file (if given) hears of each file as it is done, in the
    order of the files; on_progress(done, total) of each file finished, in any order.
    """
    from .library.manifest import Hashes, Manifest

    run = _Run(options, building=True)
    contents, problems = find_leaflets(list(paths))
    plans = [run.plan(content) for content in contents]
    manifests: dict[Path, Manifest] = {}
    for plan in plans:
        if plan.out not in manifests:
            manifests[plan.out] = Manifest.load(plan.out)
    hashes = Hashes()
    if not options.force:
        for plan in plans:
            if plan.targets and not plan.diagnostics:
                plan.current = _current(plan, manifests[plan.out], hashes, options.today)
    _refuse_collisions(plans, _built_elsewhere(plans, manifests, hashes))
    inputs = _run_inputs(plans)
    _refuse_writing_over_inputs(plans, inputs)
    results: list[FileResult | None] = [None] * len(plans)
    jobs: list[tuple[int, _Job]] = []
    for index, plan in enumerate(plans):
        if plan.current is not None and not plan.diagnostics:
            results[index] = _replay(plan, options.today)
        elif plan.style is None:
            results[index] = _unstyled(plan, options.today)
        else:
            jobs.append((index, _job(plan, options)))
    emitted = 0
    total = len(plans)
    done = sum(r is not None for r in results)

    def emit() -> None:
        nonlocal emitted
        while emitted < total and results[emitted] is not None:
            if on_file is not None:
                on_file(results[emitted])  # type: ignore[arg-type]
            emitted += 1

    def finished(position: int, outcome: _Outcome) -> None:
        index = jobs[position][0]
        results[index] = _result(plans[index], outcome, manifests[plans[index].out], hashes)
        emit()

    def progressed() -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, total)

    if on_progress is not None and done:
        on_progress(done, total)
    emit()
    global _variant_workers
    _run_styles.clear()
    _run_styles.update(run.styles)
    _variant_workers = options.jobs if len(jobs) == 1 else 1
    if len(jobs) > 1 and options.jobs > 1:
        _prepare_workers()
    try:
        from .library.pool import run_in_order

        run_in_order(_build_job, [job for _, job in jobs], options.jobs, finished, progressed)
    finally:
        # A manifest or index where an input is (refused above) is not written.
        unsafe = {out for out in manifests if any(_same_file(path) in inputs for path in _run_files(out))}
        for out, manifest in manifests.items():
            if out not in unsafe:
                manifest.save()  # what was built is recorded, even after Ctrl-C
        _run_styles.clear()
        _variant_workers = 1
    files = [r for r in results if r is not None]
    result = BuildResult(files, list(run.settings.values()), problems)
    safe = {out: manifest for out, manifest in manifests.items() if out not in unsafe}
    result.indexes = _write_indexes(plans, files, safe, options.today)
    return result


def _unstyled(plan: _Plan, today: date) -> FileResult:
    """A file that could not be read, or has no usable style: nothing is built, but every mistake is reported."""
    result = FileResult(plan.path, None, diagnostics=list(plan.diagnostics))
    result.inputs = plan.inputs
    if plan.source is not None:  # the style was the problem: the content may have mistakes of its own too
        try:
            leaflet, loaded = load_leaflet(plan.path, source=plan.source)
        except LeafletError as error:
            result.diagnostics += error.diagnostics
        else:
            result.diagnostics += loaded.diagnostics
            result.summary = _summary_unchecked(leaflet, StyleResult(None), today)
    result.diagnostics.sort(key=in_file_order)
    return result


def _prepare_workers() -> None:
    """Load here, once, what every worker needs, so forked workers start with it: the PDF writer's modules and
    the syllable table (built now if this is its first use, rather than by each worker at once)."""
    from .checks import readability
    from .pdf import writer  # noqa: F401 - imported for the workers

    readability.prepare()


def _job(plan: _Plan, options: BuildOptions) -> _Job:
    assert plan.style is not None
    key = (best_path(plan.style.path) if plan.style.path else None, tuple(sorted(plan.settings.review.items())))
    refused = bool(plan.diagnostics) and _has_errors(plan.diagnostics)
    return _Job(
        plan.path,
        plan.source,
        key,
        plan.style.path,
        plan.settings.review,
        [] if refused else plan.targets,
        plan.audiences,
        plan.leaflet_audiences,
        options,
        refused or not plan.targets,
    )


def _current(plan: _Plan, manifest: Manifest, hashes: Hashes, today: date) -> dict[str, Any] | None:
    """The manifest's entry for the plan if its outputs are up to date (and are the planned ones)."""
    from .checks.review import review_status

    entry = manifest.entry(plan.path)
    if entry is None or "review" not in entry:
        return None
    rules = ReviewRules(*entry["review"]["rules"])
    status = review_status(date.fromisoformat(entry["review"]["next_review"]), today, rules)
    current = manifest.current(plan.path, plan.key, status, hashes)
    if current is None:
        return None
    from .library.manifest import file_key

    planned = sorted(file_key(t.path, plan.out) for t in plan.targets)
    return current if planned == sorted(o["path"] for o in current["outputs"]) else None


def _built_elsewhere(plans: list[_Plan], manifests: dict[Path, Manifest], hashes: Hashes) -> dict[str, tuple[str, str]]:
    """Outputs recorded in the manifests for content files that are not in this run but are still as they were
    built: a leaflet of this run must not overwrite them."""
    from .library.manifest import file_key

    in_run = {(plan.out, file_key(plan.path, plan.out)) for plan in plans}
    others: dict[str, tuple[str, str]] = {}
    for out, manifest in manifests.items():
        for name, entry in manifest.entries.items():
            content_state = entry.get("inputs", {}).get(name)
            if (out, name) in in_run or not hashes.unchanged(out / name, content_state) or content_state is None:
                continue
            for output in entry["outputs"]:
                where = entry.get("id_at") or str(out / name)
                others[_same_file(out / output["path"])] = (where, entry["summary"].get("id", "?"))
    return others


def _replay(plan: _Plan, today: date) -> FileResult:
    """The result of a file whose outputs are up to date: what its last build wrote and said, with the review
    findings said again as of today."""
    from .checks.review import review_findings
    from .core.model import Review

    entry = plan.current
    assert entry is not None and plan.style is not None
    style = plan.style
    recorded = entry["review"]
    where = [Location(*at) if at else None for at in recorded["at"]]
    review = Review(
        date.fromisoformat(recorded["last_reviewed"]),
        date.fromisoformat(recorded["next_review"]),
        recorded["version"],
        last_reviewed_at=where[0],
        next_review_at=where[1],
    )
    said = [_diagnostic(d) for d in entry["diagnostics"] if d.get("check") != "review"]
    said += [f.diagnostic for f in review_findings(review, today, ReviewRules(*recorded["rules"]), gate=False)]
    written = [
        Written(plan.out / o["path"], o["format"], o["audience"], o["bytes"], o["pages"]) for o in entry["outputs"]
    ]
    summary = dict(entry["summary"])
    return FileResult(plan.path, style, written, sorted(said, key=in_file_order), unchanged=True, summary=summary)


def _result(plan: _Plan, outcome: _Outcome, manifest: Manifest, hashes: Hashes) -> FileResult:
    """A built file's result; if every output was written, its manifest entry."""
    result = FileResult(plan.path, plan.style, outcome.written, plan.diagnostics + outcome.diagnostics, outcome.refused)
    result.summary = outcome.summary
    inputs = [plan.path, *plan.style_inputs, *map(Path, outcome.images)]
    if plan.style is not None and plan.style.theme is not None:
        theme = plan.style.theme
        inputs += [Path(p) for p in theme.fonts.values()] + ([Path(theme.logo)] if theme.logo else [])
        inputs += [plan.style.path] if plan.style.path else []
    result.inputs = list(dict.fromkeys(inputs))
    if outcome.complete and not result.failed and plan.style is not None and plan.style.theme is not None:
        manifest.record(plan.path, _entry(plan, outcome, manifest, hashes, inputs))
    else:
        manifest.invalidate(plan.path)
    return result


def _entry(plan: _Plan, outcome: _Outcome, manifest: Manifest, hashes: Hashes, inputs: list[Path]) -> dict[str, Any]:
    from .library.manifest import file_key

    by_path = {t.path: t for t in plan.targets}
    outputs = []
    for written in outcome.written:
        target = by_path[written.path]
        info = written.path.stat()
        outputs.append(
            {
                "path": file_key(written.path, plan.out),
                "format": target.format,
                "audience": target.audience,
                "pages": written.pages,
                "bytes": info.st_size,
                "mtime_ns": info.st_mtime_ns,
            }
        )
    assert outcome.summary is not None and outcome.review is not None
    summary = {key: value for key, value in outcome.summary.items() if key != "file"}
    findings = [{**_diagnostic_data(d), "check": _check_of(d)} for d in outcome.diagnostics]
    from .library.index import source_name

    return {
        "key": plan.key,
        "source": source_name(plan.path, plan.content.library),
        "status": outcome.summary["status"],
        "inputs": manifest.inputs(list(dict.fromkeys(inputs)), hashes),
        "outputs": outputs,
        "summary": summary,
        "review": outcome.review,
        "diagnostics": findings,
        "id_at": str(plan.id_at) if plan.id_at else None,  # for a later run's message about the same file names
    }


def _check_of(diagnostic: Diagnostic) -> str:
    """The review findings are said again as of the day of each rebuild; the others as recorded."""
    review_keys = ("review.next_review", "review.last_reviewed")
    return "review" if diagnostic.key_path in review_keys else ""


def _diagnostic_data(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "at": _location(diagnostic.location),
        "key_path": diagnostic.key_path,
        "hint": diagnostic.hint,
    }


def _diagnostic(data: dict[str, Any]) -> Diagnostic:
    where = Location(*data["at"]) if data.get("at") else None
    return Diagnostic(data["severity"], data["message"], where, data.get("key_path", ""), data.get("hint", ""))


def _write_indexes(
    plans: list[_Plan], files: list[FileResult], manifests: dict[Path, Manifest], today: date
) -> list[Path]:
    """A status index in each output folder that a library was built into."""
    written = []
    for out, manifest in manifests.items():
        members = [(plan, result) for plan, result in zip(plans, files, strict=True) if plan.out == out]
        libraries = [plan.content.library for plan, _ in members if plan.content.library is not None]
        if not libraries or not out.is_dir():
            continue
        from .library.index import write_index

        run = [(plan.path, plan.content.library, result) for plan, result in members]
        written += write_index(out, manifest, run, libraries[0], today)
    return written


def check(paths: Iterable[Path], options: BuildOptions) -> CheckResult:
    """Run every check on each content file, and each leaflet under each folder, with its style; a style that
    cannot be read is a finding, and the leaflets that use it are not checked."""
    from .checks.finding import Finding
    from .checks.review import INVALID
    from .checks.suite import CheckResult, LeafletCheck, check_leaflet, check_style

    run = _Run(options, building=False)
    contents, problems = find_leaflets(list(paths))
    results: list[LeafletCheck] = []
    used: dict[int, tuple[StyleResult, list[str]]] = {}  # style -> the audiences of the leaflets that use it
    for content in contents:
        plan = run.plan(content)
        refused = [d for d in plan.diagnostics if d.severity == "error"]
        if plan.style is None or refused:
            findings = [Finding("content", d) for d in plan.diagnostics]
            results.append(LeafletCheck(str(content.path), None, INVALID, findings, {}))
            continue
        style = plan.style
        audiences = used.setdefault(id(style), (style, []))[1]
        if style.theme is None or style.fonts is None:
            continue
        try:
            leaflet, loaded = load_leaflet(content.path, image_folders=_style_folders(style), source=plan.source)
        except LeafletError as error:
            findings = [Finding("content", d) for d in error.diagnostics]
            results.append(LeafletCheck(str(content.path), None, INVALID, findings, {}))
            continue
        source_text = plan.source.text if plan.source else read_text(content.path)
        result = check_leaflet(
            leaflet, style.theme, options.today, fonts=style.fonts, gate=True, source_text=source_text
        )
        result.findings[:0] = [Finding("content", d) for d in loaded.diagnostics]
        result.findings.extend(_layout_findings(leaflet, style.theme, style.fonts, result.status))
        results.append(result)
        audiences += leaflet.audiences
    library = [Finding("library", d) for d in problems]
    library += [Finding("library", d) for settings in run.settings.values() for d in settings.diagnostics]
    checked_styles = [("library", library)] if library else []
    for style, audiences in used.values():
        if style.theme is None or style.fonts is None:
            found = [Finding("style", d) for d in style.diagnostics]
        else:
            named = sorted({*style.theme.audiences, *audiences})
            found = check_style(style.theme, named, gate=True)
            found[:0] = [Finding("style", d) for d in style.diagnostics if d.severity == "warning"]
        checked_styles.append((style.name, found))
    return CheckResult(results, checked_styles)
