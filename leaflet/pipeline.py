"""The pipeline: load, validate, select an audience, number citations, lay out and write each variant."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .core.citations import number
from .core.errors import Diagnostic, LeafletError, Location, Report
from .core.model import Leaflet, RichText, plain_text, texts
from .core.select import select
from .core.theme import Theme
from .reading.content import load_leaflet

if TYPE_CHECKING:
    from .pdf.writer import Written
    from .reading.fonts import FontSet

FORMATS = ("standard", "large-print")
MAX_LISTED_CHARACTERS = 5


@dataclass(frozen=True)
class Variant:
    audience: str
    large_print: bool = False


def output_name(leaflet_id: str, audience: str, large_print: bool = False) -> str:
    """'<id>-<audience>.pdf' or '<id>-<audience>-large-print.pdf', lower-case and safe on every file system."""
    suffix = "-large-print" if large_print else ""
    stem = re.sub(r"[^a-z0-9]+", "-", f"{leaflet_id}-{audience}{suffix}".lower()).strip("-")
    return f"{stem}.pdf"


def choose_variants(audiences: list[str], theme: Theme, formats: list[str] | None) -> list[Variant]:
    """Each audience in each format asked for; by default standard print, plus large print where the style
    asks for it (patients, by default: the Accessible Information Standard)."""
    chosen: list[Variant] = []
    for audience in audiences:
        wanted = formats or ["standard"] + (["large-print"] if theme.for_audience(audience).large_print else [])
        chosen += [Variant(audience, large_print=f == "large-print") for f in FORMATS if f in wanted]
    return chosen


def build_file(
    content: Path,
    theme: Theme,
    audiences: list[str] | None,
    out_dir: Path,
    report: Report,
    today: date,
    strict: bool = False,
    formats: list[str] | None = None,
) -> Iterator[Written]:
    """Check, then build the chosen variants of one content file; yield what was written.

    The checks of `leaflet check` run first and add warnings to report; errors are raised as LeafletError.
    An overdue leaflet is still built, with a notice on every page; with strict, any warning means nothing
    is written. A variant that fails does not stop the others: their errors are raised together at the end.
    """
    from .checks.suite import OVERDUE, check_leaflet
    from .pdf.writer import render, review_notice_text
    from .reading.fonts import FontSet

    image_folders = (Path(theme.source).resolve().parent,) if theme.source else ()
    leaflet, loaded = load_leaflet(content, image_folders=image_folders)
    chosen = audiences or list(leaflet.audiences)
    unknown = [a for a in chosen if a not in leaflet.audiences]
    if unknown:
        raise LeafletError.single(
            f"this leaflet has no '{unknown[0]}' version",
            Location(leaflet.source),
            hint="it has: " + ", ".join(leaflet.audiences),
        )
    text = read_text(content)  # to place findings on their exact line and column
    checked = check_leaflet(leaflet, theme, today, audiences=chosen, gate=False, source_text=text, measure_all=False)
    report.diagnostics += [finding.diagnostic for finding in checked.findings]
    notice = review_notice_text(leaflet.review.next_review) if checked.status == OVERDUE else None
    fonts = FontSet(theme.fonts["regular"], theme.fonts["bold"], theme.fonts["fallback"])
    found = loaded.diagnostics + check_glyphs(leaflet, theme, fonts, text)
    report.diagnostics += sorted(found, key=lambda d: (d.location.line, d.location.column) if d.location else (0, 0))
    if strict and report.warnings:
        return
    failures: list[Diagnostic] = []
    prepared: dict[str, Leaflet] = {}
    for variant in choose_variants(chosen, theme, formats):
        if variant.audience not in prepared:
            prepared[variant.audience] = prepare(leaflet, variant.audience)
        target = out_dir / output_name(leaflet.id, variant.audience, variant.large_print)
        try:
            yield render(prepared[variant.audience], theme, fonts, target, notice, large_print=variant.large_print)
        except LeafletError as error:
            failures += error.diagnostics
    if failures:
        raise LeafletError(failures)


def check_theme(theme: Theme, audiences: list[str], gate: bool):
    """The style's accessibility findings (contrast, type size, alignment) for these audiences."""
    from .checks.suite import check_style
    from .reading.fonts import FontSet

    fonts = FontSet(theme.fonts["regular"], theme.fonts["bold"], theme.fonts["fallback"])
    return check_style(theme, audiences, gate, fonts)


def read_text(path: Path) -> str | None:
    """The content file's text, to place findings on their exact line and column; None if unreadable."""
    try:
        return path.read_text("utf-8-sig", errors="replace")
    except OSError:
        return None


def prepare(leaflet: Leaflet, audience: str) -> Leaflet:
    """One audience's content with its citations numbered."""
    return number(select(leaflet, audience))


def check_glyphs(leaflet: Leaflet, theme: Theme, fonts: FontSet, content_text: str | None) -> list[Diagnostic]:
    """A warning for each text holding characters that no configured font can draw (they would print as boxes)."""
    texts = list(_printed_texts(leaflet, theme))
    if not fonts.missing("".join({char for text, _, _ in texts for char in text})):
        return []  # the usual case, found with one look at each distinct character
    files: dict[str, list[str]] = {leaflet.source: (content_text or "").splitlines()}
    found: list[Diagnostic] = []
    for text, location, key_path in texts:
        missing = sorted(fonts.missing(text), key=text.index)  # in reading order
        if not missing:
            continue
        if location and location.line:  # the exact line and column, in the content or the style file
            if location.file not in files:
                files[location.file] = _read_lines(Path(location.file))
            location = _find(files[location.file], location, missing[0], text)
        shown = ", ".join(_describe(char) for char in missing[:MAX_LISTED_CHARACTERS])
        if len(missing) > MAX_LISTED_CHARACTERS:
            shown += f" and {len(missing) - MAX_LISTED_CHARACTERS} more"
        what = "this character" if len(missing) == 1 else f"these {len(missing)} characters"
        found.append(
            Diagnostic(
                "warning",
                f"no configured font can draw {what}: {shown}",
                location,
                key_path,
                "it would print as an empty box: write it in words, or set a font that has it in the style",
            )
        )
    return found


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _find(lines: list[str], start: Location, char: str, text: str) -> Location:
    """Where char first appears at or after start, within the lines the text can span."""
    last = min(len(lines), start.line + len(text))  # a text spans at most one line per character
    for index in range(start.line - 1, last):
        column = lines[index].find(char, start.column - 1 if index == start.line - 1 else 0)
        if column >= 0:
            return Location(start.file, index + 1, column + 1)
    return start


def _printed_texts(leaflet: Leaflet, theme: Theme) -> Iterator[tuple[str, Location | None, str]]:
    """Every piece of text that is printed: (text, where it was written, key path in the style)."""
    for text in texts(leaflet):
        yield from _rich(text)
    for reference in leaflet.references:
        fields = (reference.title, *reference.authors, reference.journal, reference.publisher)
        fields += (reference.volume, reference.issue, reference.pages, reference.doi, reference.url)
        yield " ".join(fields), reference.location, ""
    for entry in leaflet.glossary:  # the "Words explained" box
        yield entry.term, entry.location, ""
        yield from _rich(entry.definition)
    contact = theme.contact
    for key, value in (
        ("organisation", theme.organisation),
        ("department", theme.department),
        ("contact.phone", contact.phone),
        ("contact.phone_hours", contact.phone_hours),
        ("contact.email", contact.email),
        ("contact.address", " ".join(contact.address)),
        ("contact.urgent", contact.urgent),
    ):
        yield value, theme.where(key), key
    for audience in leaflet.audiences:
        labels = theme.for_audience(audience)
        for name in ("label", "references_heading", "glossary_heading"):
            key = f"audiences.{audience}.{name}"
            yield getattr(labels, name), theme.where(key), key


def _rich(text: RichText) -> Iterator[tuple[str, Location | None, str]]:
    for part in text.parts:
        yield plain_text(part.inlines), part.location, ""
