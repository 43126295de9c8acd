"""Present check results: one line per finding, a readability report, a summary table, or JSON for CI."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .. import __version__
from ..core.dates import long_date
from .finding import Finding
from .readability import SYLLABLES, TEXTSTAT_VERSION, Scores
from .review import INVALID
from .suite import MIN_GRADE_WORDS, CheckResult, LeafletCheck, VariantReadability


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """In file order, so a reader can work down the content file; findings without a line come first."""

    def key(finding: Finding):
        where = finding.diagnostic.location
        return (where.file, where.line, where.column) if where else ("", 0, 0)

    return sorted(findings, key=key)


def finding_lines(findings: list[Finding]) -> list[str]:
    return [line for f in sort_findings(findings) for line in f.diagnostic.lines()]


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
        if variant.targets.max_grade is not None and any(s.scores.words < MIN_GRADE_WORDS for s in variant.sections):
            lines.append(
                f"    (a grade is judged on {MIN_GRADE_WORDS} words or more: shorter sections are shown, not judged)"
            )
    return lines


def leaflet_heading(result: LeafletCheck, around: list[Finding] | None = None) -> str:
    """The leaflet's title, status and counts; around: findings in its style and library settings, counted too."""
    if result.leaflet is None:
        return f"{result.file}: could not be read"
    leaflet = result.leaflet
    around = around or []
    errors = sum(f.diagnostic.severity == "error" for f in around)
    counts = _counts(result.errors + errors, result.warnings + len(around) - errors)
    if around:
        counts += f" ({len(around)} in its style or settings)"
    next_review = long_date(leaflet.review.next_review)
    return f"{leaflet.title.plain()} ({leaflet.id}): {result.status}, next review {next_review}; {counts}"


STATUS_ORDER = ("overdue", "due soon", "current")  # past review first: those must not be handed out


def summary(result: LeafletCheck) -> dict[str, Any]:
    """One leaflet's row of the summary table and the status index: who owns it, its version and review dates,
    its status today and its reading grade per audience. (JSON-ready: the index and the manifest keep it.)"""
    row: dict[str, Any] = {"file": result.file, "status": result.status, "errors": result.errors}
    row["warnings"] = result.warnings
    leaflet = result.leaflet
    if leaflet is None:
        return row
    review = leaflet.review
    current = [entry for entry in leaflet.history if entry.version == review.version]
    approved = current[-1] if current and current[-1].approved_by else None
    row.update(
        id=leaflet.id,
        title=leaflet.title.plain(),
        owner=review.owner or None,
        author=review.author or None,
        version=review.version,
        approved_by=approved.approved_by if approved else (review.approved_by or None),
        approved_on=approved.date.isoformat() if approved else None,
        last_reviewed=review.last_reviewed.isoformat(),
        next_review=review.next_review.isoformat(),
        readability={
            audience: {
                "flesch_kincaid_grade": round(variant.whole.grade, 1) if variant.whole else None,
                "flesch_reading_ease": round(variant.whole.reading_ease, 1) if variant.whole else None,
                "max_grade": variant.targets.max_grade,
            }
            for audience, variant in result.readability.items()
        },
    )
    return row


def sort_rows(rows: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """rows as given ("file"), or by next review date ("review"): past review first, then due soon, then current,
    each soonest first; leaflets that could not be read come first of all."""
    if by != "review":
        return rows

    def key(row: dict[str, Any]) -> tuple[int, str, str]:
        status = row["status"]
        rank = STATUS_ORDER.index(status) + 1 if status in STATUS_ORDER else 0
        return rank, row.get("next_review") or "", row.get("id") or row["file"]

    return sorted(rows, key=key)


def summary_table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per leaflet: id, title, owner, version, review dates, status, grade per audience, findings."""
    audiences: list[str] = []
    for row in rows:
        audiences += [a for a in row.get("readability", {}) if a not in audiences]
    header = ["id", "title", "owner", "version", "last reviewed", "next review", "status"]
    header += [*(f"{a} grade" for a in audiences), "errors", "warnings"]
    lines = [header]
    for row in rows:
        if "id" not in row:
            cells = [row["file"], "", "", "", "", "", INVALID, *("-" for _ in audiences)]
            lines.append([*cells, str(row["errors"]), str(row["warnings"])])
            continue
        grades = []
        for audience in audiences:
            scores = row["readability"].get(audience) or {}
            grade = scores.get("flesch_kincaid_grade")
            grades.append(f"{grade:.1f}" if grade is not None else "-")
        lines.append(
            [
                row["id"],
                _short(row["title"], 40),
                _short(row.get("owner") or "-", 28),
                row["version"],
                long_date(date.fromisoformat(row["last_reviewed"])),
                long_date(date.fromisoformat(row["next_review"])),
                row["status"],
                *grades,
                str(row["errors"]),
                str(row["warnings"]),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    numeric = {i for i, name in enumerate(header) if name.endswith("grade") or name in ("errors", "warnings")}
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(line)
        ).rstrip()
        for line in lines
    ]


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def text_report(checked: CheckResult, sort: str = "file") -> str:
    """One line per finding, then the readability report of one leaflet or a summary table of several (sorted
    by file, or by next review date)."""
    results = checked.leaflets
    style_findings = [f for _, found in checked.styles for f in found]
    lines = finding_lines(style_findings)
    for result in results:
        lines += finding_lines(result.findings)
    if lines:
        lines.append("")
    if len(results) == 1:
        lines.append(leaflet_heading(results[0], style_findings))
        if results[0].readability:
            lines += readability_report(results[0])
    else:
        lines += summary_table(sort_rows([summary(r) for r in results], sort))
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
        "example": list(diagnostic.example) or None,
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
            {
                "name": s.name,
                "location": str(s.location) if s.location else None,
                **s.scores.as_dict(),
                "judged": s.scores.words >= MIN_GRADE_WORDS,
            }
            for s in variant.sections
        ],
        "note": variant.note or None,
    }


def json_report(checked: CheckResult, today: date, sort: str = "file") -> str:
    """The findings, reading figures and summary of each leaflet (sorted by file, or by next review date)."""
    style_findings = [f for _, found in checked.styles for f in found]
    rows = sort_rows([{**summary(r), "result": r} for r in checked.leaflets], sort)
    leaflets = []
    for about in rows:
        result = about["result"]
        leaflet = result.leaflet
        leaflets.append(
            {
                "file": result.file,
                "id": leaflet.id if leaflet else None,
                "title": leaflet.title.plain() if leaflet else None,
                "language": leaflet.language if leaflet else None,
                "owner": about.get("owner"),
                "author": about.get("author"),
                "version": about.get("version"),
                "approved_by": about.get("approved_by"),
                "approved_on": about.get("approved_on"),
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
        "errors": sum(r.errors for r in checked.leaflets) + style_errors,
        "warnings": sum(r.warnings for r in checked.leaflets) + len(style_findings) - style_errors,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
