"""The checks that keep a leaflet safe to hand out: review dates, readability, glossary, evidence, accessibility."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from ..core.citations import citation_order, number
from ..core.dates import long_date
from ..core.errors import Diagnostic, Location
from ..core.model import Image, Leaflet, blocks
from ..core.select import select
from ..core.theme import ReadabilityTargets, ReviewRules, Theme
from .contrast import style_problems
from .glossary import unexplained, used_entries
from .prose import Locator, Sentence, pieces, sentences
from .readability import Scores, is_english, score

CURRENT, DUE_SOON, OVERDUE, INVALID = "current", "due soon", "overdue", "invalid"


class Finding(NamedTuple):
    """A diagnostic and the check that found it: review, readability, glossary, evidence, accessibility,
    content (found while reading the content file) or style (the style file could not be read)."""

    check: str
    diagnostic: Diagnostic


class SectionScores(NamedTuple):
    name: str
    location: Location | None
    scores: Scores


class VariantReadability(NamedTuple):
    audience: str
    targets: ReadabilityTargets
    whole: Scores | None  # None: not measured (not English, or report-only during a build)
    sections: list[SectionScores]
    note: str = ""


class LeafletCheck(NamedTuple):
    """Everything `leaflet check` knows about one content file."""

    file: str
    leaflet: Leaflet | None
    status: str  # current, due soon, overdue, or invalid (could not be read)
    findings: list[Finding]
    readability: dict[str, VariantReadability]

    @property
    def errors(self) -> int:
        return sum(f.diagnostic.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.diagnostic.severity == "warning" for f in self.findings)


def review_status(next_review: date, today: date, rules: ReviewRules) -> str:
    if today > next_review:
        return OVERDUE
    if (next_review - today).days <= rules.due_soon_days:
        return DUE_SOON
    return CURRENT


def _add_years(day: date, years: int) -> date:
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
    """Overdue (an error when gate, else a warning), due soon, too long a review period, reviewed in the future."""
    review = leaflet.review
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


def check_leaflet(
    leaflet: Leaflet,
    theme: Theme,
    today: date,
    *,
    audiences: Iterable[str] | None = None,
    gate: bool = True,
    source_text: str | None = None,
    measure_all: bool = True,
) -> LeafletCheck:
    """Run every content check on a loaded leaflet.

    gate: `leaflet check`, where an overdue leaflet or missing alt text is an error; a build reports
    them as warnings and still writes its PDFs. measure_all: also score audiences whose targets are
    "report only" (a build prints no report, so it skips them and the dictionary load they need).
    """
    findings = check_review(leaflet, today, theme.review, gate)
    readability: dict[str, VariantReadability] = {}
    locator = Locator(source_text)
    for audience in audiences or leaflet.audiences:
        locator.restart()
        variant = _variant(leaflet, audience)
        targets = theme.targets_for(audience)
        findings += check_evidence(variant)
        findings += check_images(variant, gate)
        box = used_entries(variant) if targets.explain_terms else ()
        heading = theme.for_audience(audience).glossary_heading
        said = [s for p in pieces(variant, box, heading) if p.kind == "prose" for s in sentences(p, locator)]
        readability[audience], found = check_readability(variant, targets, said, measure_all)
        findings += found
        if targets.explain_terms:
            findings += check_terms(variant, locator)
    findings += check_glossary_use(leaflet)
    status = review_status(leaflet.review.next_review, today, theme.review)
    return LeafletCheck(leaflet.source, leaflet, status, findings, readability)


def _variant(leaflet: Leaflet, audience: str) -> Leaflet:
    """One audience's content with its citations numbered, as the PDF shows it (build.prepare)."""
    return number(select(leaflet, audience))


def _label(audience: str) -> str:
    return f"{audience} version"


def check_readability(
    variant: Leaflet, targets: ReadabilityTargets, said: list[Sentence], measure_all: bool
) -> tuple[VariantReadability, list[Finding]]:
    """Long sentences, and Flesch-Kincaid grade over target for the whole variant and each section."""
    audience = variant.audience
    found: list[Finding] = []
    if targets.max_sentence_words is not None:
        for sentence in said:
            if sentence.words > targets.max_sentence_words:
                shown = sentence.text if len(sentence.text) <= 60 else sentence.text[:57].rstrip() + "..."
                found.append(
                    Finding(
                        "readability",
                        Diagnostic(
                            "warning",
                            f"{_label(audience)}: sentence of {sentence.words} words "
                            f'(target {targets.max_sentence_words} or fewer): "{shown}"',
                            sentence.location,
                            hint="split it into shorter sentences",
                        ),
                    )
                )
    if not (measure_all or targets.max_grade is not None) or not said:
        return VariantReadability(audience, targets, None, []), found
    if not is_english(variant.language):
        note = f"not scored: the formulas are for English and the text is '{variant.language}'"
        if targets.max_grade is not None:
            found.append(
                Finding(
                    "readability",
                    Diagnostic("warning", f"{_label(audience)}: reading grade {note}", Location(variant.source)),
                )
            )
        return VariantReadability(audience, targets, None, [], note), found
    by_section: dict[str, list[Sentence]] = {}
    for sentence in said:
        by_section.setdefault(sentence.section, []).append(sentence)
    sections = [
        SectionScores(name, members[0].section_location, score([s.text for s in members]))
        for name, members in by_section.items()
    ]
    result = VariantReadability(audience, targets, score([s.text for s in said]), sections)
    if targets.max_grade is not None:
        over = f"(Flesch-Kincaid; target {targets.max_grade:g} or lower)"
        if result.whole.grade > targets.max_grade:
            found.append(
                Finding(
                    "readability",
                    Diagnostic(
                        "warning",
                        f"{_label(audience)} reads at grade {result.whole.grade:.1f} {over}",
                        Location(variant.source),
                        hint="use shorter sentences and everyday words",
                    ),
                )
            )
        for section in result.sections:
            if section.scores.grade > targets.max_grade:
                found.append(
                    Finding(
                        "readability",
                        Diagnostic(
                            "warning",
                            f'{_label(audience)}: section "{section.name}" reads at grade '
                            f"{section.scores.grade:.1f} {over}",
                            section.location,
                            hint="use shorter sentences and everyday words",
                        ),
                    )
                )
    return result, found


def check_terms(variant: Leaflet, locator: Locator) -> list[Finding]:
    """Medical-looking words and abbreviations in the variant that the glossary does not explain."""
    found = []
    for word in unexplained(variant, locator):
        what = "looks like a medical word" if word.reason == "medical word" else "is an abbreviation"
        found.append(
            Finding(
                "glossary",
                Diagnostic(
                    "warning",
                    f'{_label(variant.audience)}: "{word.word}" {what} that the glossary does not explain',
                    word.location,
                    hint="explain it under 'glossary:', or use everyday words",
                ),
            )
        )
    return found


def check_glossary_use(leaflet: Leaflet) -> list[Finding]:
    """Glossary entries that no version's text uses."""
    used: set[str] = set()
    for audience in leaflet.audiences:
        used |= {e.term for e in used_entries(_variant(leaflet, audience))}
    return [
        Finding(
            "glossary",
            Diagnostic(
                "warning",
                f"glossary term '{entry.term}' is not used in the text",
                entry.location,
                hint="remove it, or add the form the text uses under 'aliases:'",
            ),
        )
        for entry in leaflet.glossary
        if entry.term not in used
    ]


def check_evidence(variant: Leaflet) -> list[Finding]:
    """The variant's reference numbers run 1, 2, 3... in order of first citation, every citation has one."""
    cited = citation_order(variant)
    expected = [k for k in cited if any(r.id == k for r in variant.references)]
    numbers = variant.numbers
    listed = [r.id for r in variant.references]
    unresolved = [k for k in cited if k not in numbers]
    problems = []
    if unresolved:
        problems.append("no number for " + ", ".join(f"[@{k}]" for k in unresolved))
    if sorted(numbers.values()) != list(range(1, len(numbers) + 1)):
        problems.append(f"numbers {sorted(numbers.values())} are not 1 to {len(numbers)} without gaps")
    if sorted(numbers, key=numbers.__getitem__) != expected or listed != expected:
        problems.append("references are not listed in order of first citation")
    return [
        Finding("evidence", Diagnostic("error", f"{_label(variant.audience)}: reference numbering: {p}"))
        for p in problems
    ]


def check_images(variant: Leaflet, gate: bool) -> list[Finding]:
    found = []
    for piece_image in _images(variant):
        if not piece_image.alt.plain().strip():
            found.append(
                Finding(
                    "accessibility",
                    Diagnostic(
                        "error" if gate else "warning",
                        f"{_label(variant.audience)}: image has no alt text",
                        piece_image.location,
                        hint="say under 'alt:' what the image shows, for this audience too",
                    ),
                )
            )
    return found


def _images(variant: Leaflet) -> Iterable[Image]:
    return (block for block in blocks(variant) if isinstance(block, Image))


def check_style(theme: Theme, audiences: Iterable[str], gate: bool, fonts=None) -> list[Finding]:
    """Colour contrast and patient type size from the style; justified text in the layout's styles."""
    severity = "error" if gate else "warning"
    chosen = sorted(set(audiences))
    found = [
        Finding(
            "accessibility",
            Diagnostic(severity, problem.message, theme.where(problem.key_path), problem.key_path, problem.hint),
        )
        for problem in style_problems(theme, chosen)
    ]
    if fonts is not None:
        from reportlab.lib.enums import TA_JUSTIFY

        from ..pdf.layout import make_styles

        for audience in chosen:
            styles = make_styles(theme, theme.for_audience(audience), fonts)
            justified = [s.name for s in _paragraph_styles(styles) if s.alignment == TA_JUSTIFY]
            if justified:
                found.append(
                    Finding(
                        "accessibility",
                        Diagnostic(severity, f"{_label(audience)}: justified text in {', '.join(justified)}"),
                    )
                )
    return found


def _paragraph_styles(styles) -> list:
    out = []
    for value in vars(styles).values():
        out += value if isinstance(value, list) else [value]
    return out
