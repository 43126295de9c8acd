"""Present check results: one line per finding, a readability report, a summary table, or JSON for CI."""

from __future__ import annotations

import json
from datetime import date

from .. import __version__
from ..core.dates import long_date
from .finding import Finding
from .readability import SYLLABLES, TEXTSTAT_VERSION, Scores
from .review import INVALID
from .suite import CheckResult, LeafletCheck, VariantReadability


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """In file order, so a reader can work down the content file; findings without a line come first."""

    def key(finding: Finding):
        where = finding.diagnostic.location
        return (where.file, where.line, where.column) if where else ("", 0, 0)

    return sorted(findings, key=key)


def finding_lines(findings: list[Finding]) -> list[str]:
    return [f.diagnostic.format() for f in sort_findings(findings)]


def _counts(errors: int, warnings: int) -> str:
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def _targets(variant: VariantReadability) -> str:
    targets = variant.targets
    wanted = []
    if targets.max_grade is not None:
        wanted.append(f"Flesch-Kincaid grade {targets.max_grade:g} or lower")
    if targets.max_sentence_words is not None:
        wanted.append(f"sentences of {targets.max_sentence_words} words or fewer")
    return "target " + ", ".join(wanted) if wanted else "report only"


def _row(name: str, scores: Scores) -> str:
    shown = name if len(name) <= 36 else name[:33] + "..."
    return (
        f"    {shown:<36} {scores.words:>6} {scores.sentences:>9} {scores.longest:>7} "
        f"{scores.reading_ease:>12.1f} {scores.grade:>6.1f} {scores.smog:>5.1f}"
    )


def readability_report(result: LeafletCheck) -> list[str]:
    """Scores per audience, for the whole variant and each section."""
    lines = [f"Readability (textstat {TEXTSTAT_VERSION}; syllables: {SYLLABLES})"]
    for variant in result.readability.values():
        lines.append(f"  {variant.audience}: {_targets(variant)}")
        if variant.whole is None:
            lines.append(f"    {variant.note or 'not scored'}")
            continue
        lines.append(
            f"    {'':<36} {'words':>6} {'sentences':>9} {'longest':>7} {'reading ease':>12} {'grade':>6} {'SMOG':>5}"
        )
        lines.append(_row("whole leaflet", variant.whole))
        lines += [_row(section.name or "(untitled)", section.scores) for section in variant.sections]
    return lines


def leaflet_heading(result: LeafletCheck) -> str:
    if result.leaflet is None:
        return f"{result.file}: could not be read"
    leaflet = result.leaflet
    return (
        f"{leaflet.title.plain()} ({leaflet.id}): {result.status}, "
        f"next review {long_date(leaflet.review.next_review)}; {_counts(result.errors, result.warnings)}"
    )


def summary_table(results: list[LeafletCheck]) -> list[str]:
    """One row per leaflet: id, title, next review, status, reading grade per audience, errors, warnings."""
    audiences: list[str] = []
    for result in results:
        audiences += [a for a in result.readability if a not in audiences]
    header = ["id", "title", "next review", "status", *(f"{a} grade" for a in audiences), "errors", "warnings"]
    rows = [header]
    for result in results:
        leaflet = result.leaflet
        if leaflet is None:
            rows.append([result.file, "", "", INVALID, *("-" for _ in audiences), str(result.errors), "0"])
            continue
        title = leaflet.title.plain()
        grades = []
        for audience in audiences:
            variant = result.readability.get(audience)
            grades.append(f"{variant.whole.grade:.1f}" if variant and variant.whole else "-")
        rows.append(
            [
                leaflet.id,
                title if len(title) <= 40 else title[:37] + "...",
                long_date(leaflet.review.next_review),
                result.status,
                *grades,
                str(result.errors),
                str(result.warnings),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    numeric = {i for i, name in enumerate(header) if name.endswith("grade") or name in ("errors", "warnings")}
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def text_report(checked: CheckResult) -> str:
    results = checked.leaflets
    style_findings = [f for _, found in checked.styles for f in found]
    lines = finding_lines(style_findings)
    for result in results:
        lines += finding_lines(result.findings)
    if lines:
        lines.append("")
    if len(results) == 1:
        lines.append(leaflet_heading(results[0]))
        if results[0].readability:
            lines += readability_report(results[0])
    else:
        lines += summary_table(results)
    errors = sum(r.errors for r in results) + sum(f.diagnostic.severity == "error" for f in style_findings)
    warnings = sum(r.warnings for r in results) + sum(f.diagnostic.severity == "warning" for f in style_findings)
    if len(results) != 1 or style_findings:
        lines.append(f"{len(results)} leaflet{'s' if len(results) != 1 else ''} checked: {_counts(errors, warnings)}")
    return "\n".join(lines)


def _finding(finding: Finding) -> dict:
    diagnostic = finding.diagnostic
    where = diagnostic.location
    return {
        "check": finding.check,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "file": where.file if where else None,
        "line": where.line if where and where.line else None,
        "column": where.column if where and where.line else None,
        "key_path": diagnostic.key_path or None,
        "hint": diagnostic.hint or None,
    }


def _readability(variant: VariantReadability) -> dict:
    targets = variant.targets
    return {
        "targets": {
            "max_grade": targets.max_grade,
            "max_sentence_words": targets.max_sentence_words,
            "explain_terms": targets.explain_terms,
        },
        "whole": variant.whole.as_dict() if variant.whole else None,
        "sections": [
            {"name": s.name, "location": str(s.location) if s.location else None, **s.scores.as_dict()}
            for s in variant.sections
        ],
        "note": variant.note or None,
    }


def json_report(checked: CheckResult, today: date) -> str:
    results = checked.leaflets
    style_findings = [f for _, found in checked.styles for f in found]
    leaflets = []
    for result in results:
        leaflet = result.leaflet
        leaflets.append(
            {
                "file": result.file,
                "id": leaflet.id if leaflet else None,
                "title": leaflet.title.plain() if leaflet else None,
                "language": leaflet.language if leaflet else None,
                "last_reviewed": leaflet.review.last_reviewed.isoformat() if leaflet else None,
                "next_review": leaflet.review.next_review.isoformat() if leaflet else None,
                "status": result.status,
                "errors": result.errors,
                "warnings": result.warnings,
                "readability": {a: _readability(v) for a, v in result.readability.items()},
                "findings": [_finding(f) for f in sort_findings(result.findings)],
            }
        )
    style_errors = sum(f.diagnostic.severity == "error" for f in style_findings)
    document = {
        "tool": f"leaflet {__version__}",
        "today": today.isoformat(),
        "readability": {"textstat": TEXTSTAT_VERSION, "syllables": SYLLABLES},
        "styles": [
            {"file": name, "findings": [_finding(f) for f in sort_findings(found)]} for name, found in checked.styles
        ],
        "leaflets": leaflets,
        "errors": sum(r.errors for r in results) + style_errors,
        "warnings": sum(r.warnings for r in results) + len(style_findings) - style_errors,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
