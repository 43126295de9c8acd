"""The checks that keep a leaflet safe to hand out: review dates, readability, glossary, evidence, accessibility."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..core.citations import citation_order
from ..core.errors import Diagnostic, Location
from ..core.model import Image, Leaflet, blocks, texts, walk
from ..core.select import select
from ..core.terms import used_entries
from ..core.theme import ReadabilityTargets, Theme
from ..core.variant import Variant, prepare
from ..reading.fonts import FontSet
from .contrast import style_problems
from .finding import Finding
from .glossary import unexplained
from .prose import Locator, Sentence, pieces, sentences
from .readability import Scores, is_english, score
from .review import check_review, review_status


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


@dataclass
class CheckResult:
    """What `leaflet check` found: per leaflet, and per style file (contrast and type sizes)."""

    leaflets: list[LeafletCheck]
    styles: list[tuple[str, list[Finding]]]  # the style's name, and what was found in it

    @property
    def findings(self) -> list[Finding]:
        return [f for _, found in self.styles for f in found] + [f for r in self.leaflets for f in r.findings]

    def failed(self, strict: bool) -> bool:
        return any(f.diagnostic.severity == "error" for f in self.findings) or (strict and bool(self.findings))


def check_leaflet(
    leaflet: Leaflet,
    theme: Theme,
    today: date,
    *,
    fonts: FontSet | None = None,
    audiences: Iterable[str] | None = None,
    gate: bool = True,
    source_text: str | None = None,
    measure_all: bool = True,
) -> LeafletCheck:
    """Run every content check on a loaded leaflet; with fonts, also look for characters no font can draw.

    gate: `leaflet check`, where an overdue leaflet or missing alt text is an error; a build reports
    them as warnings and still writes its PDFs. measure_all: also score audiences whose targets are
    "report only" (a build prints no report, so it skips them and the dictionary load they need).
    source_text: the content file's text, to place findings on their line and column.
    """
    findings = check_review(leaflet, today, theme.review, gate)
    readability: dict[str, VariantReadability] = {}
    locator = Locator(source_text)
    for audience in audiences or leaflet.audiences:
        locator.restart()
        variant = prepare(leaflet, audience, theme)
        targets = theme.targets_for(audience)
        findings += check_evidence(variant)
        findings += check_images(variant, gate)
        style = variant.style
        printed = pieces(variant.content, style.key_points_heading, variant.glossary, style.glossary_heading)
        said = [s for p in printed if p.kind == "prose" for s in sentences(p, locator)]
        readability[audience], found = check_readability(variant, targets, said, measure_all)
        findings += found
        if targets.explain_terms:
            findings += check_terms(variant, locator)
    findings += check_glossary_use(leaflet)
    findings += check_lost_text(leaflet, source_text)
    if fonts is not None:
        from .glyphs import check_glyphs

        findings += [Finding("glyphs", d) for d in check_glyphs(leaflet, theme, fonts, source_text)]
    status = review_status(leaflet.review.next_review, today, theme.review)
    return LeafletCheck(leaflet.source, leaflet, status, findings, readability)


# A reading grade is judged only on text of at least this many words: the formulas average over sentences and
# syllables, and were calibrated on samples of about 100 words, so on a few sentences one long word or one long
# sentence moves the grade by several points (docs/checks.md). Shorter sections are still scored in the report.
MIN_GRADE_WORDS = 100


def _label(audience: str) -> str:
    return f"{audience} version"


def check_readability(
    variant: Variant, targets: ReadabilityTargets, said: list[Sentence], measure_all: bool
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
    content = variant.content
    if not is_english(content.language):
        note = f"not scored: the formulas are for English and the text is '{content.language}'"
        if targets.max_grade is not None:
            found.append(
                Finding(
                    "readability",
                    Diagnostic("warning", f"{_label(audience)}: reading grade {note}", Location(content.source)),
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
    whole = score([s.text for s in said])
    result = VariantReadability(audience, targets, whole, sections)
    if targets.max_grade is not None:
        over = f"(Flesch-Kincaid; target {targets.max_grade:g} or lower)"
        if whole.grade > targets.max_grade and whole.words >= MIN_GRADE_WORDS:
            found.append(
                Finding(
                    "readability",
                    Diagnostic(
                        "warning",
                        f"{_label(audience)} reads at grade {whole.grade:.1f} {over}",
                        Location(content.source),
                        hint="use shorter sentences and everyday words",
                    ),
                )
            )
        for section in result.sections:
            if section.scores.grade > targets.max_grade and section.scores.words >= MIN_GRADE_WORDS:
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


# A version with less than this share of the words of the fullest version has lost most of the leaflet.
MIN_TEXT_SHARE = 0.5


def check_lost_text(leaflet: Leaflet, source_text: str | None = None) -> list[Finding]:
    """A version that would print less than half the words of the fullest one: almost always an audience that
    the text has no parts for (a third audience added to 'audiences:'), not a leaflet meant to be short."""
    if len(leaflet.audiences) < 2:
        return []
    words = {a: sum(len(text.plain().split()) for text in texts(select(leaflet, a))) for a in leaflet.audiences}
    fullest = max(leaflet.audiences, key=lambda a: words[a])
    named = _named(leaflet)
    found = []
    for audience in leaflet.audiences:
        share = words[audience] / words[fullest] if words[fullest] else 1.0
        # A version written short on purpose (a clinician's summary) names its audience about as often as the
        # others do; one that lost its text is named in few of those places, or none.
        reach = sum(named.get(a, 0) for a in (audience, *leaflet.fallbacks(audience)))
        if share >= MIN_TEXT_SHARE or reach >= MIN_TEXT_SHARE * max(named.values(), default=0):
            continue
        others = [a for a in leaflet.audiences if a != audience and words[a] > words[audience]]
        fallbacks = leaflet.fallbacks(audience)
        why = (
            f"it falls back to {' then '.join(fallbacks)}, and the rest is written only for {_either(others)}"
            if fallbacks
            else f"most of the text is written only for {_either(others)}, and none of it for {audience}"
        )
        hint = (
            f"write its text under '{audience}:' beside the others' or, where {fullest}'s text will do, list it in "
            f"'audiences:' as '- {audience}: {{falls_back_to: {fullest}}}'"
        )
        found.append(
            Finding(
                "content",
                Diagnostic(
                    "warning",
                    f"the {audience} version has {_words(words[audience])}, {share:.0%} of the {fullest} version's "
                    f"{words[fullest]}: {why}",
                    _audience_location(leaflet, audience, source_text),
                    "audiences",
                    hint,
                ),
            )
        )
    return found


def _named(leaflet: Leaflet) -> Counter[str]:
    """How many sections, blocks, items and pieces of text name each audience (audience: or 'name: text')."""
    named: Counter[str] = Counter()
    for visit in walk(leaflet):
        named.update(getattr(visit.item, "audiences", None) or ())
        for part in visit.text.parts if visit.text is not None else ():
            named.update(part.audiences or ())
    return named


def _words(count: int) -> str:
    return f"{count} word{'s' if count != 1 else ''}"


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _audience_location(leaflet: Leaflet, audience: str, source_text: str | None) -> Location:
    """Where the audience is named under 'audiences:' (the file alone if it cannot be found)."""
    lines = (source_text or "").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("audiences:")), None)
    if start is not None:
        for number in range(start, min(start + 20, len(lines))):
            found = re.search(rf"(?<![\w-]){re.escape(audience)}(?![\w-])", lines[number])
            if found:
                return Location(leaflet.source, number + 1, found.start() + 1)
    return Location(leaflet.source)


def check_terms(variant: Variant, locator: Locator) -> list[Finding]:
    """Medical-looking words and abbreviations in the variant that the glossary does not explain."""
    found = []
    for word in unexplained(variant.content, locator):
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
        used |= {e.term for e in used_entries(select(leaflet, audience))}
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


def check_evidence(variant: Variant) -> list[Finding]:
    """The variant's reference numbers run 1, 2, 3... in order of first citation, every citation has one."""
    cited = citation_order(variant.content)
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


def check_images(variant: Variant, gate: bool) -> list[Finding]:
    found = []
    for piece_image in _images(variant.content):
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


def _images(content: Leaflet) -> Iterable[Image]:
    return (block for block in blocks(content) if isinstance(block, Image))


def check_style(theme: Theme, audiences: Iterable[str], gate: bool) -> list[Finding]:
    """Colour contrast and type sizes from the style; type below an audience's minimum is always an error."""
    return [
        Finding(
            "accessibility",
            Diagnostic(
                "error" if gate or problem.enforced else "warning",
                problem.message,
                theme.where(problem.key_path),
                problem.key_path,
                problem.hint,
            ),
        )
        for problem in style_problems(theme, sorted(set(audiences)))
    ]
