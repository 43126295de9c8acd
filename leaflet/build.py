"""The pipeline: load, validate, select an audience, number citations, lay out and write each variant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .citations import number
from .errors import LeafletError, Report
from .model import Leaflet
from .select import select
from .style import Theme
from .validate import load_leaflet

FORMATS = ("standard", "large-print")


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
):
    """Check, then build the chosen variants of one content file; yield what was written.

    The checks of `leaflet check` run first and add warnings to report. An overdue leaflet is
    still built, with a notice on every page; with strict, any warning means nothing is written.
    """
    from .check import OVERDUE, check_leaflet
    from .fonts import FontSet
    from .render import render, review_notice_text

    leaflet, loaded = load_leaflet(content)
    report.diagnostics += loaded.diagnostics
    chosen = audiences or list(leaflet.audiences)
    unknown = [a for a in chosen if a not in leaflet.audiences]
    if unknown:
        raise LeafletError.single(
            f"this leaflet has no '{unknown[0]}' version",
            None,
            hint="it has: " + ", ".join(leaflet.audiences),
        )
    checked = check_leaflet(
        leaflet, theme, today, audiences=chosen, gate=False, source_text=read_text(content), measure_all=False
    )
    report.diagnostics += [finding.diagnostic for finding in checked.findings]
    if strict and report.warnings:
        return
    notice = review_notice_text(leaflet.review.next_review) if checked.status == OVERDUE else None
    fonts = FontSet(theme.fonts["regular"], theme.fonts["bold"], theme.fonts["fallback"])
    prepared: dict[str, Leaflet] = {}
    for variant in choose_variants(chosen, theme, formats):
        if variant.audience not in prepared:
            prepared[variant.audience] = prepare(leaflet, variant.audience)
        target = out_dir / output_name(leaflet.id, variant.audience, variant.large_print)
        yield render(prepared[variant.audience], theme, fonts, target, notice, large_print=variant.large_print)


def check_theme(theme: Theme, audiences: list[str], gate: bool):
    """The style's accessibility findings (contrast, type size, alignment) for these audiences."""
    from .check import check_style
    from .fonts import FontSet

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
