"""The layout check: where the pages of a variant fall short of what a typesetter would sign off (docs/checks.md).

The page layout (pdf/pagination.py) follows the rules: no stranded heading, no short box split, pictures kept with
their text, pages at least 70% full. Where it cannot (something that must stay together is taller than a page, or
a block that cannot be split leaves a page short), its report says so; this turns each such place into a warning
at the content's own line, naming the page.
"""

from __future__ import annotations

from ..core.errors import Diagnostic
from ..core.page import LayoutReport
from .finding import Finding

HINTS = {
    "underfilled": "shorten it, split it into smaller blocks, or move it; page_break: before on an earlier block "
    "can also even out the pages (docs/content-reference.md)",
    "forced": "shorten it, or split it into smaller blocks that can go on separate pages",
}


def check_layout(audience: str, large_print: bool, report: LayoutReport) -> list[Finding]:
    """A warning for each page-layout rule the variant's layout could not keep."""
    version = f"{audience} version{' (large print)' if large_print else ''}"
    return [
        Finding(
            "layout",
            Diagnostic("warning", f"{version}: {problem.message}", problem.location, hint=HINTS[problem.kind]),
        )
        for problem in report.problems
    ]
