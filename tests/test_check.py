"""`leaflet check`: review dates, readability, glossary, evidence and accessibility findings, output and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import CONTENT, DEFAULT_STYLE, ROOT
from leaflet.checks.contrast import colour_pairs, contrast_ratio, hex_rgb, style_problems
from leaflet.checks.glossary import KNOWN_ABBREVIATIONS, looks_medical
from leaflet.checks.prose import split_sentences
from leaflet.checks.readability import score
from leaflet.checks.review import DUE_SOON, OVERDUE, review_status
from leaflet.checks.suite import MIN_GRADE_WORDS, check_evidence, check_leaflet, check_style
from leaflet.cli import main
from leaflet.core.dates import today
from leaflet.core.select import select
from leaflet.core.terms import used_entries
from leaflet.core.theme import ReviewRules
from leaflet.core.variant import prepare
from leaflet.reading.content import load_leaflet
from leaflet.reading.style import load_theme

THEME = load_theme(DEFAULT_STYLE)


def leaflet_file(tmp_path: Path, body: str, *, name: str = "content.yaml", review: str = "") -> Path:
    """A small content file: four lines of id, title, language and review, then body, then the approval record
    of the version under review."""
    review = review or "{last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}"
    head = f"id: {Path(name).stem}\ntitle: Knee pain\nlanguage: en-GB\nreview: {review}\n"
    version, last = re.search(r"version: (\w+)", review), re.search(r"last_reviewed: ([\d-]+)", review)
    history = ""
    if version and last:
        history = f"\nhistory: [{{version: {version[1]}, date: {last[1]}, changes: New., approved_by: Group}}]\n"
    path = tmp_path / name
    path.write_text(head + textwrap.dedent(body).lstrip("\n") + history, encoding="utf-8")
    return path


def where(path: Path, text: str, line_from: int = 1) -> str:
    """'file:line:column' of the first text on or after line_from, found the simple way."""
    lines = path.read_text("utf-8").splitlines()
    for number in range(line_from, len(lines) + 1):
        if text in lines[number - 1]:
            return f"{path}:{number}:{lines[number - 1].index(text) + 1}"
    raise AssertionError(f"{text!r} not in {path}")


def check(path: Path, when: str = "2025-01-01", style: Path = DEFAULT_STYLE):
    leaflet, _ = load_leaflet(path)
    theme = load_theme(style)
    return check_leaflet(leaflet, theme, date.fromisoformat(when), source_text=path.read_text("utf-8"))


def messages(result, check_name: str | None = None) -> list[str]:
    return [f.diagnostic.format() for f in result.findings if check_name in (None, f.check)]


SHORT = """
sections:
  - heading: About
    blocks:
      - paragraph: Rest your knee. Walk a little each day.
"""


# Review dates.
def test_review_status_boundaries():
    rules = ReviewRules(due_soon_days=90, max_period_years=3)
    due = date(2025, 6, 30)
    assert review_status(due, date(2025, 7, 1), rules) == OVERDUE
    assert review_status(due, due, rules) == DUE_SOON  # due today is not yet past its date
    assert review_status(due, date(2025, 4, 1), rules) == DUE_SOON  # 90 days ahead
    assert review_status(due, date(2025, 3, 31), rules) == "current"  # 91 days ahead


def test_overdue_is_an_error_in_check_with_the_date_line(tmp_path):
    path = leaflet_file(tmp_path, SHORT)
    result = check(path, "2026-03-01")
    assert result.status == OVERDUE and result.errors == 1
    (line,) = messages(result, "review")
    assert line.startswith(
        f"{where(path, '2026-01-10')}: error: review.next_review: past its review date (10 January 2026, 50 days ago)"
    )


def test_due_soon_warns_and_the_window_comes_from_the_style(tmp_path):
    path = leaflet_file(tmp_path, SHORT)
    (line,) = messages(check(path, "2025-12-11"), "review")
    assert "warning: review.next_review: review due in 30 days (10 January 2026)" in line
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\nreview: {due_soon_days: 10}\n", encoding="utf-8")
    assert messages(check(path, "2025-12-11", style), "review") == []
    assert "review due in 10 days" in messages(check(path, "2025-12-31", style), "review")[0]


def test_review_period_longer_than_the_style_allows(tmp_path):
    path = leaflet_file(tmp_path, SHORT, review="{last_reviewed: 2024-01-10, next_review: 2028-01-11, version: 1}")
    (line,) = messages(check(path, "2025-01-01"), "review")
    assert "next review is more than 3 years after the last review" in line
    assert "review by 10 January 2027 at the latest" in line
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\nreview: {max_period_years: 5}\n", encoding="utf-8")
    assert messages(check(path, "2025-01-01", style), "review") == []


def test_today_comes_from_the_option_then_source_date_epoch_then_the_clock():
    assert today(date(2020, 5, 1), {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2020, 5, 1)
    assert today(None, {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2023, 11, 14)
    assert today(None, {}) == date.today()
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        today(None, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_cli_today_beats_source_date_epoch(tmp_path, monkeypatch, capsys):
    path = leaflet_file(tmp_path, SHORT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027: overdue
    assert main(["check", str(path)]) == 1
    assert "past its review date" in capsys.readouterr().out
    assert main(["check", str(path), "--today", "2025-01-01"]) == 0
    assert "current" in capsys.readouterr().out
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    assert main(["check", str(path)]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["2025-13-01", "1/2/2025", "tomorrow"])
def test_a_bad_today_is_a_usage_error(bad, capsys):
    assert main(["check", str(CONTENT), "--today", bad]) == 2
    assert "year-month-day" in capsys.readouterr().err


# Readability.
def test_scores_follow_the_formulas_on_known_text():
    # Every word has one syllable, so the formulas can be worked by hand.
    scores = score(["The cat sat on the mat", "The dog ran to the park and back."])
    assert (scores.words, scores.sentences, scores.longest) == (14, 2, 8)
    assert scores.reading_ease == pytest.approx(206.835 - 1.015 * 7 - 84.6)
    assert scores.grade == pytest.approx(0.39 * 7 + 11.8 - 15.59)
    assert scores.smog == pytest.approx(3.1291)  # no word of three syllables or more
    # A five-syllable word lifts the grade and counts for SMOG.
    hard = score(["Physiotherapy is the main treatment."])
    assert hard.grade > 9 and hard.smog == pytest.approx(1.043 * 30**0.5 + 3.1291)


def test_an_abbreviation_does_not_split_a_sentence_for_the_scores():
    scores = score(["Rest, e.g. sit down for a bit and then walk."])
    assert scores.sentences == 1
    assert scores.grade == pytest.approx(0.39 * 10 + 11.8 - 15.59)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rest. Then walk!", ["Rest.", "Then walk!"]),
        ("Take one, e.g. Paracetamol, twice a day.", ["Take one, e.g. Paracetamol, twice a day."]),
        ("Ask Dr. Patel. She knows.", ["Ask Dr. Patel.", "She knows."]),
        ("Wait approx. five minutes.", ["Wait approx. five minutes."]),
        ("Written by J. Smith in 2020.", ["Written by J. Smith in 2020."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("Is it bad? Call 111. Take 2.5 ml.", ["Is it bad?", "Call 111.", "Take 2.5 ml."]),
        ("no full stop at the end", ["no full stop at the end"]),
    ],
)
def test_sentence_splitting(text, expected):
    assert [s for _, s in split_sentences(text)] == expected


def test_long_sentences_are_reported_where_they_start(tmp_path):
    long = "Word " + " ".join(["word"] * 29)
    path = leaflet_file(
        tmp_path,
        f"""
        sections:
          - heading: About
            blocks:
              - paragraph: >-
                  A short one. {long}.
              - bullets:
                  - {" ".join(["item"] * 27)}
          - heading: Shared
            blocks:
              - paragraph:
                  clinician: {long}.
                  patient: Fine.
        """,
    )
    lines = [line for line in messages(check(path), "readability") if "sentence of" in line]
    assert (
        f"{where(path, 'Word word')}: warning: patient version: sentence of 30 words (target 25 or fewer)" in lines[0]
    )
    assert (
        f"{where(path, 'item item')}: warning: patient version: sentence of 27 words (target 25 or fewer)" in lines[1]
    )
    assert len(lines) == 2  # the clinician's long sentence is report-only


def test_shared_text_is_placed_alike_for_every_audience_held_to_a_target(tmp_path):
    path = leaflet_file(
        tmp_path,
        """
        sections:
          - heading: About
            blocks:
              - paragraph: >-
                  Rest. It helps to rest your knee for a day or two after it starts to hurt.
                  It also helps to keep moving a little bit, even when it hurts a lot.
        """,
    )
    style = tmp_path / "style.yaml"
    style.write_text(
        "organisation: C\nreadability: {patient: {max_sentence_words: 12}, clinician: {max_sentence_words: 12}}\n",
        encoding="utf-8",
    )
    lines = [line for line in messages(check(path, style=style), "readability") if "sentence of" in line]
    first, second = where(path, "It helps"), where(path, "It also")
    assert [line.split(": warning: ")[0] for line in lines] == [first, second, first, second]
    assert [line.split(" version")[0].rsplit(" ", 1)[-1] for line in lines] == ["patient"] * 2 + ["clinician"] * 2


def test_sections_and_the_whole_variant_over_the_grade_target(tmp_path):
    # 13 sentences of 8 words: over MIN_GRADE_WORDS, so the section's grade is judged.
    hard = " ".join(
        ["Physiotherapists recommend comprehensive rehabilitation programmes emphasising early mobilisation."] * 13
    )
    path = leaflet_file(
        tmp_path,
        f"""
        sections:
          - heading: Easy
            blocks:
              - paragraph: Rest your knee. Walk a bit. Sit down when it hurts.
          - heading: Hard
            blocks:
              - paragraph: {hard}
        """,
    )
    result = check(path)
    lines = messages(result, "readability")
    hard_section = where(path, "heading: Hard")
    assert any(f'{hard_section}: warning: patient version: section "Hard" reads at grade' in line for line in lines)
    assert not any('section "Easy"' in line for line in lines)
    assert any("warning: patient version reads at grade" in line for line in lines)
    patient = result.readability["patient"]
    assert [s.name for s in patient.sections] == ["Easy", "Hard"]
    assert patient.sections[1].scores.grade > 7 > patient.sections[0].scores.grade


def test_a_section_too_short_for_the_formula_is_scored_but_not_judged(tmp_path):
    # The case: a 14-word "Contact us" scored grade 7.6 and was reported. Grade formulas swing by
    # several points on a few sentences, so a section under MIN_GRADE_WORDS is shown in the report only.
    short = "Physiotherapists recommend comprehensive rehabilitation programmes emphasising early mobilisation."
    path = leaflet_file(
        tmp_path,
        f"""
        sections:
          - heading: Contact us
            blocks:
              - paragraph: {short}
        """,
    )
    result = check(path)
    patient = result.readability["patient"]
    assert patient.sections[0].scores.grade > 7 and patient.sections[0].scores.words < MIN_GRADE_WORDS
    assert not any("reads at grade" in line for line in messages(result, "readability"))


def test_everyday_abbreviations_are_not_reported_and_clinical_ones_are(tmp_path):
    path = leaflet_file(
        tmp_path,
        """
        sections:
          - heading: At home
            blocks:
              - paragraph: Ask your GP or go to A&E. DIY jobs and TV are OK. You may need an MRI scan.
        """,
    )
    lines = messages(check(path), "glossary")
    assert [line.split('"')[1] for line in lines if "abbreviation" in line] == ["MRI"]  # patients only


def test_the_known_abbreviations_are_listed_in_the_docs():
    docs = (ROOT / "docs" / "checks.md").read_text("utf-8")
    listed = re.search(r"from a clinic \(`KNOWN_ABBREVIATIONS`.*?\): (.*?)\. Clinical", docs, re.S)
    assert listed is not None
    assert sorted(" ".join(listed.group(1).split()).split(", ")) == sorted(KNOWN_ABBREVIATIONS)


def test_the_seed_meets_the_default_targets_and_is_clean_while_current():
    result = check(CONTENT, "2021-01-01")
    assert messages(result) == []
    patient = result.readability["patient"].whole
    assert patient.grade <= 7 and patient.longest <= 25
    clinician = result.readability["clinician"].whole
    assert clinician.grade > patient.grade  # report only: measured, not held to a target


def test_a_leaflet_not_in_english_is_not_scored(tmp_path):
    path = leaflet_file(tmp_path, SHORT)
    path.write_text(path.read_text().replace("en-GB", "cy-GB"), encoding="utf-8")
    result = check(path)
    assert result.readability["patient"].whole is None
    assert any("not scored" in line for line in messages(result, "readability"))


# Glossary.
GLOSSARY = """
sections:
  - heading: About
    blocks:
      - paragraph: Your ligaments hold the joint. Your physiotherapist can help.
      - paragraph:
          clinician: Consider an arthroscopy.
          patient: Your knee may be checked.
glossary:
  - term: ligament
    definition: A strong band of tissue.
  - term: physiotherapy
    aliases: [physiotherapist]
    definition: Treatment with exercise.
  - term: arthroscopy
    definition: A look inside the joint with a camera.
  - term: arm
    definition: Never used; 'harm' and 'army' are other words.
"""


def test_glossary_terms_match_whole_words_plurals_and_aliases(tmp_path):
    path = leaflet_file(tmp_path, GLOSSARY.replace("hold the joint.", "hold the joint. Do no harm, army."))
    leaflet, _ = load_leaflet(path)
    assert [e.term for e in used_entries(select(leaflet, "patient"))] == ["ligament", "physiotherapy"]
    assert [e.term for e in used_entries(select(leaflet, "clinician"))] == ["arthroscopy", "ligament", "physiotherapy"]
    (unused,) = messages(check(path), "glossary")
    assert "glossary term 'arm' is not used in the text" in unused


def test_words_explained_box_holds_only_the_terms_the_patient_text_uses(tmp_path):
    from conftest import build, pdf_text

    path = leaflet_file(tmp_path, GLOSSARY)
    assert build(tmp_path / "out", content=path) == 0
    patient = pdf_text(tmp_path / "out" / "content-patient.pdf")
    assert "Words explained Ligament: A strong band of tissue. Physiotherapy: Treatment with exercise." in patient
    assert "camera" not in patient and "Never used" not in patient
    assert "Words explained" not in pdf_text(tmp_path / "out" / "content-clinician.pdf")


def test_unexplained_medical_words_and_abbreviations_in_patient_text(tmp_path):
    path = leaflet_file(
        tmp_path,
        """
        sections:
          - heading: About
            blocks:
              - paragraph: >-
                  You may have tendinitis. We may offer a laparoscopy or an NSAID.
                  Ask your GP or call NHS 111. We have sympathy: technology helps.
              - paragraph: Your ligaments and tendinitis again.
                audience: patient
        glossary:
          - term: ligament
            definition: A band of tissue.
        """,
    )
    medical = "looks like a medical word that the glossary does not explain"
    hint = "explain it under 'glossary:', or use everyday words"
    assert messages(check(path), "glossary") == [
        f'{where(path, "tendinitis")}: warning: patient version: "tendinitis" {medical}; {hint}',
        f'{where(path, "laparoscopy")}: warning: patient version: "laparoscopy" {medical}; {hint}',
        f'{where(path, "NSAID")}: warning: patient version: "NSAID" is an abbreviation that the glossary does not '
        f"explain; {hint}",
    ]


@pytest.mark.parametrize("word", ["arthritis", "Scoliosis", "myofascial", "sacro-iliac", "physiotherapists"])
def test_medical_looking_words(word):
    assert looks_medical(word)


@pytest.mark.parametrize("word", ["sympathy", "technology", "apology", "walking", "pregnancy", "injection", "pain"])
def test_everyday_words_are_not_medical(word):
    assert not looks_medical(word)


def test_a_word_may_be_in_the_glossary_once(tmp_path):
    from leaflet.core.errors import LeafletError

    path = leaflet_file(
        tmp_path,
        SHORT
        + """
glossary:
  - {term: physiotherapy, aliases: [physio], definition: A.}
  - {term: Physio, definition: B.}
""",
    )
    with pytest.raises(LeafletError) as caught:
        load_leaflet(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message == "'Physio' is already in the glossary (under 'physiotherapy')"
    assert diagnostic.key_path == "glossary[1].term"


def test_definitions_follow_the_audience(tmp_path):
    path = leaflet_file(
        tmp_path,
        SHORT.replace("Rest your knee.", "Rest your knee ligament.")
        + """
glossary:
  - term: ligament
    definition: {patient: A strong band of tissue., clinician: Dense regular connective tissue.}
""",
    )
    leaflet, _ = load_leaflet(path)
    (patient,) = used_entries(select(leaflet, "patient"))
    (clinician,) = used_entries(select(leaflet, "clinician"))
    assert patient.definition.plain() == "A strong band of tissue."
    assert clinician.definition.plain() == "Dense regular connective tissue."


def test_a_glossary_definition_cannot_cite(tmp_path):
    from leaflet.core.errors import LeafletError

    path = leaflet_file(
        tmp_path,
        """
        sections: [{heading: A, blocks: [{paragraph: "Text [@a]."}]}]
        references: [{id: a, title: T}]
        glossary: [{term: pelvis, definition: "Bones [@a]."}]
        """,
    )
    with pytest.raises(LeafletError, match="cannot cite"):
        load_leaflet(path)


# Evidence.
def test_numbering_per_variant_has_no_gaps(tmp_path):
    path = leaflet_file(
        tmp_path,
        """
        sections:
          - heading: One
            blocks:
              - paragraph: {clinician: "Detail [@b].", patient: "Plain."}
              - paragraph: "Both [@a] and [@c]."
        references: [{id: a, title: A}, {id: b, title: B}, {id: c, title: C}]
        """,
    )
    leaflet, _ = load_leaflet(path)
    for audience in ("patient", "clinician"):
        assert check_evidence(prepare(leaflet, audience, THEME)) == []
    patient = prepare(leaflet, "patient", THEME)
    assert patient.numbers == {"a": 1, "c": 2}
    gap = replace(patient, numbers={"a": 1, "c": 3})
    (finding,) = check_evidence(gap)
    assert "numbers [1, 3] are not 1 to 2 without gaps" in finding.diagnostic.message
    swapped = replace(patient, numbers={"a": 2, "c": 1}, references=patient.references[::-1])
    assert "order of first citation" in check_evidence(swapped)[0].diagnostic.message


def test_uncited_reference_and_bad_doi_are_reported_by_check(tmp_path, capsys):
    path = leaflet_file(tmp_path, SHORT + "references: [{id: lonely, title: T, doi: 10.1/x}]\n")
    assert main(["check", str(path), "--today", "2025-01-01"]) == 1
    out = capsys.readouterr().out
    assert "'10.1/x' is not a DOI" in out
    path = leaflet_file(tmp_path, SHORT + "references: [{id: lonely, title: T}]\n")
    assert main(["check", str(path), "--today", "2025-01-01"]) == 0
    assert "reference 'lonely' is never cited" in capsys.readouterr().out


# Accessibility.
def test_contrast_ratios_of_known_pairs():
    white = (1.0, 1.0, 1.0)
    assert contrast_ratio(hex_rgb("#777777"), white) == pytest.approx(4.48, abs=0.005)
    assert contrast_ratio(hex_rgb("#767676"), white) == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio((0.0, 0.0, 0.0), white) == pytest.approx(21.0)
    assert contrast_ratio(white, white) == pytest.approx(1.0)


def _theme(tmp_path, colours: str, audiences: str = ""):
    style = tmp_path / "style.yaml"
    style.write_text(f"organisation: Clinic\ncolours: {{{colours}}}\n{audiences}", encoding="utf-8")
    return load_theme(style)


def test_body_text_below_aa_fails_and_just_above_passes(tmp_path):
    problem, *others = style_problems(_theme(tmp_path, 'text: "#777777"'), ["patient"])
    assert "contrast of text #777777 on white #FFFFFF is 4.48:1 (body text and references" in problem.message
    assert "WCAG AA needs 4.5:1" in problem.message and problem.key_path == "colours.text"
    assert all(p.key_path == "colours.text" for p in others)  # the same grey on the tinted boxes
    passing = style_problems(_theme(tmp_path, 'text: "#767676"'), ["patient", "clinician"])
    assert not any("on white" in p.message for p in passing)  # 4.54:1 on the page; the tinted boxes are darker


def test_large_bold_headings_need_only_3_to_1(tmp_path):
    theme = _theme(tmp_path, 'heading: "#949494", link: "#004A94"')  # 3.03:1 on white
    # The audience label (13 pt bold) is not large text: it fails for every audience.
    assert [p.message.split("(")[1].split(",")[0] for p in style_problems(theme, ["patient"])] == ["audience label"]
    clinician = [p.message for p in style_problems(theme, ["clinician"])]
    assert "title and headings, normal text, 12.1 pt bold" in clinician[1]  # patients' 14.7 pt bold is large


def test_text_on_the_tinted_urgent_box_is_checked(tmp_path):
    theme = _theme(tmp_path, 'urgent: "#FF9999", text: "#8A8A8A"')
    wheres = {p.message.split("(")[1].split(",")[0] for p in style_problems(theme, ["patient"])}
    assert "text in urgent boxes" in wheres and "review-overdue notice" in wheres


def test_every_text_colour_the_layout_draws_is_paired():
    pairs = colour_pairs(THEME, "patient")
    used = {(p.foreground, p.background) for p in pairs}
    for colour in ("text", "heading", "link", "muted", "brand", "on_brand"):
        assert any(colour == foreground for foreground, _ in used), colour
    for background in ("white", "brand", "panel", "urgent", "tint:info", "tint:warning", "tint:urgent"):
        assert any(background == back for _, back in used), background


def test_small_patient_type_is_reported_with_its_style_line(tmp_path, capsys):
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\naudiences:\n  patient:\n    body_size: 11\n", encoding="utf-8")
    assert main(["check", str(CONTENT), "--style", str(style), "--today", "2021-01-01"]) == 1
    out = capsys.readouterr().out
    assert f"{style}:4:16: error: audiences.patient.body_size: patient body size 11 pt is below" in out


def test_an_image_without_alt_text_for_an_audience(tmp_path):
    from PIL import Image as PILImage

    PILImage.new("RGB", (4, 4)).save(tmp_path / "knee.png")
    path = leaflet_file(
        tmp_path,
        """
        sections:
          - heading: About
            blocks:
              - image: {file: knee.png, alt: {clinician: Knee X-ray.}}
        """,
    )
    (line,) = messages(check(path), "accessibility")
    assert f"{where(path, 'image:')}: error: patient version: image has no alt text" in line


def test_the_default_style_passes_its_own_checks():
    assert check_style(THEME, ["patient", "clinician", "carer"], gate=True) == []


# Output and exit codes.
def test_one_line_per_finding_in_file_order(tmp_path, capsys):
    path = leaflet_file(
        tmp_path,
        """
        sections:
          - heading: About
            blocks:
              - paragraph: You may have tendinitis.
        """,
    )
    assert main(["check", str(path), "--today", "2026-02-01"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{where(path, '2026-01-10')}: error: review.next_review: past its review date")
    assert out[1].startswith(
        f'{where(path, "tendinitis")}: warning: patient version: "tendinitis" looks like a medical word'
    )
    assert "Knee pain (content): overdue, next review 10 January 2026; 1 error, 1 warning" in out


def test_warnings_exit_0_unless_strict(tmp_path):
    path = leaflet_file(tmp_path, SHORT.replace("Rest your knee.", "Rest your knee (SIJ)."))
    assert main(["check", str(path), "--today", "2025-01-01"]) == 0
    assert main(["check", str(path), "--today", "2025-01-01", "--strict"]) == 1


def test_clean_leaflet_exits_0_and_reports_its_scores(tmp_path, capsys):
    path = leaflet_file(tmp_path, SHORT)
    assert main(["check", str(path), "--today", "2025-01-01", "--strict"]) == 0
    out = capsys.readouterr().out
    assert "Knee pain (content): current" in out and "0 errors, 0 warnings" in out
    assert "textstat 0.7.8" in out and "whole leaflet" in out


def test_usage_errors_exit_2(capsys):
    assert main(["check", "--format", "xml"]) == 2
    assert main(["check", "--no-such-option"]) == 2


def test_json_output_for_ci(tmp_path, capsys):
    path = leaflet_file(tmp_path, SHORT)
    assert main(["check", str(CONTENT), str(path), "--output", "json", "--today", "2025-01-01"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["today"] == "2025-01-01" and document["readability"]["textstat"] == "0.7.8"
    assert document["errors"] == 1
    # The seed is checked with the project's style beside it; the other file, with no style near it, the built-in one.
    assert document["styles"] == [
        {"file": str(ROOT / "styles" / "default.yaml"), "findings": []},
        {"file": "(built-in style)", "findings": []},
    ]
    seed, knee = document["leaflets"]
    assert seed["id"] == "sacroiliac-joint-pain" and seed["status"] == "overdue"
    assert seed["next_review"] == "2021-12-09" and seed["errors"] == 1
    (finding,) = seed["findings"]
    assert finding == {
        "check": "review",
        "severity": "error",
        "message": "past its review date (9 December 2021, 1,119 days ago)",
        "file": str(CONTENT),
        "line": 19,
        "column": 16,
        "key_path": "review.next_review",
        "hint": finding["hint"],
        "example": None,
    }
    patient = seed["readability"]["patient"]
    assert patient["targets"] == {"max_grade": 7, "max_sentence_words": 25, "explain_terms": True}
    assert set(patient["whole"]) == {
        "words",
        "sentences",
        "longest_sentence",
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "smog",
    }
    assert patient["sections"][0]["name"] == "Key points"
    assert seed["readability"]["clinician"]["targets"]["max_grade"] is None
    assert knee["status"] == "current" and knee["findings"] == []


def test_several_leaflets_get_a_summary_table(tmp_path, capsys):
    current = leaflet_file(tmp_path, SHORT, name="knee.yaml")
    soon = leaflet_file(
        tmp_path, SHORT, name="hip.yaml", review="{last_reviewed: 2024-01-10, next_review: 2025-02-01, version: 1}"
    )
    missing = tmp_path / "missing.yaml"
    assert main(["check", str(CONTENT), str(current), str(soon), str(missing), "--today", "2025-01-01"]) == 1
    out = capsys.readouterr().out.splitlines()
    table = out[out.index(next(line for line in out if line.startswith("id "))) :]
    assert table[0].split() == [
        "id", "title", "owner", "version", "last", "reviewed", "next", "review", "status", "patient", "grade",
        "clinician", "grade", "errors", "warnings",
    ]  # fmt: skip
    rows = {line.split()[0]: line for line in table[1:-1]}
    assert "9 December 2021" in rows["sacroiliac-joint-pain"] and "overdue" in rows["sacroiliac-joint-pain"]
    assert "Physiotherapy department  2 " in rows["sacroiliac-joint-pain"]
    assert "10 January 2026" in rows["knee"] and " current " in rows["knee"]
    assert "1 February 2025" in rows["hip"] and " due soon " in rows["hip"]
    assert "invalid" in rows[str(missing)]
    assert rows["knee"].split()[-2:] == ["0", "0"]
    assert table[-1] == "4 leaflets checked: 2 errors, 1 warning"
    # By next review date: past review first, then due soon, then current; those that could not be read first.
    assert (
        main(
            ["check", str(current), str(soon), str(CONTENT), str(missing), "--sort", "review", "--today", "2025-01-01"]
        )
        == 1
    )
    out = capsys.readouterr().out.splitlines()
    table = out[out.index(next(line for line in out if line.startswith("id "))) :]
    assert [line.split()[0] for line in table[1:-1]] == [str(missing), "sacroiliac-joint-pain", "hip", "knee"]


def test_make_check_target_runs_check_on_content():
    makefile = (ROOT / "Makefile").read_text()
    assert "check: $(STAMP)\n\t$(BIN)/leaflet check content.yaml" in makefile


def test_readability_works_offline_without_downloads():
    """textstat must not reach the network (0.7.10+ fetches NLTK data on first use)."""
    code = textwrap.dedent(
        """
        import socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from leaflet.checks.readability import score
        print(round(score(["Physiotherapy is the main treatment."]).grade, 2))
        assert "nltk" not in sys.modules
        """
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "9.96"


def test_a_nearly_empty_last_page_is_a_warning_most_of_all_before_a_notes_page():
    from leaflet.checks.layout import check_layout
    from leaflet.core.page import LayoutReport, PageFill

    def report(*fills: float, notes: int = 0) -> LayoutReport:
        return LayoutReport([PageFill(n, fill, 700.0) for n, fill in enumerate(fills, start=1)], [], notes)

    def said(found) -> list[str]:
        return [finding.diagnostic.format() for finding in found]

    assert said(check_layout("patient", False, report(0.9, 0.95, 0.15), "k.yaml")) == [
        "k.yaml: warning: patient version: the last page, page 3, is only 15% full; shorter by that much, the leaflet "
        "would save that page; shorten the text a little, or make a picture smaller (width_mm)"
    ]
    before_notes = said(check_layout("patient", True, report(0.9, 0.28, notes=1), "k.yaml"))
    assert before_notes == [
        "k.yaml: warning: patient version (large print): the last page, page 2, is only 28% full; shorter by that "
        "much, the leaflet would save that page and the Notes page after it; shorten the text a little, or make a "
        "picture smaller (width_mm)"
    ]
    assert said(check_layout("patient", False, report(0.9, 0.28), "k.yaml")) == []  # no Notes page to save
    assert said(check_layout("clinician", False, report(0.1), "k.yaml")) == []  # a one-page leaflet is one page
