"""The pipeline: load, validate, select an audience, number citations, lay out and write each variant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .citations import number
from .errors import LeafletError, Report
from .model import Leaflet
from .select import select
from .style import Theme
from .validate import load_leaflet


@dataclass(frozen=True)
class Variant:
    audience: str


def output_name(leaflet_id: str, audience: str) -> str:
    """'<id>-<audience>.pdf', lower-case and safe on every file system."""
    stem = re.sub(r"[^a-z0-9]+", "-", f"{leaflet_id}-{audience}".lower()).strip("-")
    return f"{stem}.pdf"


def build_file(content: Path, theme: Theme, audiences: list[str] | None, out_dir: Path, report: Report):
    """Build the chosen audiences of one content file; yield what was written."""
    from .fonts import FontSet
    from .render import render

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
    fonts = FontSet(theme.fonts["regular"], theme.fonts["bold"], theme.fonts["fallback"])
    for audience in chosen:
        variant = prepare(leaflet, audience)
        yield render(variant, theme, fonts, out_dir / output_name(leaflet.id, audience))


def prepare(leaflet: Leaflet, audience: str) -> Leaflet:
    """One audience's content with its citations numbered."""
    return number(select(leaflet, audience))
