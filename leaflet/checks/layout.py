"""The layout check: where the pages of a variant fall short of what a typesetter would sign off (docs/checks.md).

The page layout (pdf/pagination.py) follows the rules: no stranded heading, no short box split, pictures kept with
their text, pages at least 70% full. Where it cannot (something that must stay together is taller than a page, or
a block that cannot be split leaves a page short), its report says so; this turns each such place into a warning
at the content's own line, naming the page.
"""

from __future__ import annotations

from ..core.errors import Diagnostic, Location
from ..core.page import LAST_PAGE_FILL, LAST_PAGE_FILL_BEFORE_NOTES, LayoutReport
from .finding import Finding

HINTS = {
    "underfilled": "shorten it, split it into smaller blocks, or move it; page_break: before on an earlier block "
    "can also even out the pages (docs/content-reference.md)",
    "forced": "shorten it, or split it into smaller blocks that can go on separate pages",
}


def check_layout(audience: str, large_print: bool, report: LayoutReport, source: str = "") -> list[Finding]:
    """A warning for each page-layout rule the variant's layout could not keep, and for a last page so little
    used that a slightly shorter leaflet would take a page (and perhaps a Notes page) less."""
    version = f"{audience} version{' (large print)' if large_print else ''}"
    found = [
        Finding(
            "layout",
            Diagnostic("warning", f"{version}: {problem.message}", problem.location, hint=HINTS[problem.kind]),
        )
        for problem in report.problems
    ]
    pages = report.pages
    least = LAST_PAGE_FILL_BEFORE_NOTES if report.filler_pages else LAST_PAGE_FILL
    if len(pages) > 1 and pages[-1].fill < least:
        notes = " and the Notes page after it" if report.filler_pages else ""
        message = (
            f"{version}: the last page, page {pages[-1].page}, is only {pages[-1].fill:.0%} full; shorter by that "
            f"much, the leaflet would save that page{notes}"
        )
        hint = "shorten the text a little, or make a picture smaller (width_mm)"
        found.append(Finding("layout", Diagnostic("warning", message, Location(source) if source else None, hint=hint)))
    return found
