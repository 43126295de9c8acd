"""Review dates: is a leaflet current, due for review soon, or past its review date?"""

from __future__ import annotations

from datetime import date

from ..core.dates import long_date
from ..core.errors import Diagnostic, Location
from ..core.model import Leaflet, Review
from ..core.theme import ReviewRules
from .finding import Finding

CURRENT, DUE_SOON, OVERDUE, INVALID = "current", "due soon", "overdue", "invalid"


def review_status(next_review: date, today: date, rules: ReviewRules) -> str:
    if today > next_review:
        return OVERDUE
    if (next_review - today).days <= rules.due_soon_days:
        return DUE_SOON
    return CURRENT


def _add_years(day: date, years: int) -> date:
    """The same day years later; 28 February for 29 February; the last day there is for a date past year 9999."""
    if day.year + years > date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _days(count: int) -> str:
    return f"{count:,} day{'s' if count != 1 else ''}"


def _when(day: date, today: date) -> str:
    days = (day - today).days
    return "today" if days == 0 else f"in {_days(days)}"


def check_review(leaflet: Leaflet, today: date, rules: ReviewRules, gate: bool) -> list[Finding]:
    """Overdue (an error when gate, else a warning), due soon, too long a review period, reviewed in the future;
    and the approval record (check_history)."""
    return review_findings(leaflet.review, today, rules, gate) + check_history(leaflet)


def review_findings(review: Review, today: date, rules: ReviewRules, gate: bool) -> list[Finding]:
    """What the review dates say today: overdue, due soon, too long a period, reviewed in the future."""
    found: list[Finding] = []

    def add(severity: str, message: str, location: Location | None, key: str, hint: str) -> None:
        found.append(Finding("review", Diagnostic(severity, message, location, f"review.{key}", hint)))

    status = review_status(review.next_review, today, rules)
    if status == OVERDUE:
        add(
            "error" if gate else "warning",
            f"past its review date ({long_date(review.next_review)}, {_days((today - review.next_review).days)} ago)",
            review.next_review_at,
            "next_review",
            "do not hand it out until it has been reviewed; then update review.last_reviewed and review.next_review"
            if gate
            else "every page of the PDF says so; review the content, then update the review dates",
        )
    elif status == DUE_SOON:
        add(
            "warning",
            f"review due {_when(review.next_review, today)} ({long_date(review.next_review)})",
            review.next_review_at,
            "next_review",
            f"plan the review now (the style warns {rules.due_soon_days} days ahead)",
        )
    limit = _add_years(review.last_reviewed, rules.max_period_years)
    if review.next_review > limit:
        add(
            "warning",
            f"next review is more than {rules.max_period_years} years after the last review "
            f"({long_date(review.last_reviewed)} to {long_date(review.next_review)})",
            review.next_review_at,
            "next_review",
            f"review by {long_date(limit)} at the latest (the style's review.max_period_years)",
        )
    if review.last_reviewed > today:
        add(
            "warning",
            f"last review date {long_date(review.last_reviewed)} is after today ({long_date(today)})",
            review.last_reviewed_at,
            "last_reviewed",
            "check the year, or pass --today if checking as of another date",
        )
    return found


def check_history(leaflet: Leaflet) -> list[Finding]:
    """The current version has an approval entry, and the history's latest entry is the version under review."""
    review, history = leaflet.review, leaflet.history
    where = review.last_reviewed_at
    if not history:
        hint = "add 'history:' with an entry for this version: version, date, changes and approved_by"
        return [_finding("warning", f"version {review.version} has no approval record", where, "history", hint)]
    current = [entry for entry in history if entry.version == review.version]
    if not current:
        hint = f"add an entry for version {review.version}: version, date, changes and approved_by"
        return [_finding("warning", f"version {review.version} is not in the history", where, "history", hint)]
    found: list[Finding] = []
    if not any(entry.approved_by for entry in current):
        message = f"the history does not say who approved version {review.version}"
        found.append(_finding("warning", message, current[-1].location, "history", "add approved_by to its entry"))
    newest = max(entry.date for entry in history)
    latest = [entry for entry in history if entry.date == newest][-1]  # the last written of those on that day
    if latest.version != review.version:
        message = f"the history's latest entry is version {latest.version}, but review.version is {review.version}"
        hint = "update review.version and the review dates, or correct the history"
        found.append(_finding("warning", message, latest.location, "history", hint))
    elif latest.date != review.last_reviewed:
        message = (
            f"version {latest.version} is dated {long_date(latest.date)} in the history, but "
            f"review.last_reviewed is {long_date(review.last_reviewed)}"
        )
        found.append(_finding("warning", message, latest.location, "history", "make the two dates agree"))
    return found


def _finding(severity: str, message: str, where: Location | None, key: str, hint: str) -> Finding:
    return Finding("review", Diagnostic(severity, message, where, key, hint))
