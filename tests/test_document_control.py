"""Document control: the approval record and change log, "About this leaflet", and owner and version in the metadata."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, DEFAULT_STYLE, build, pdf_text
from leaflet.checks.suite import check_leaflet
from leaflet.cli import main
from leaflet.reading.content import load_leaflet
from leaflet.reading.style import load_theme

BODY = """id: knee
title: Knee pain
language: en-GB
review:
  last_reviewed: 2024-01-10
  next_review: 2026-01-10
  version: "3"
  owner: MSK service
  author: Knee team
sections:
  - heading: About
    blocks:
      - paragraph: Rest your knee. Walk a little each day.
"""


def leaflet(tmp_path: Path, history: str = "", body: str = BODY) -> Path:
    path = tmp_path / "knee.yaml"
    path.write_text(body + textwrap.dedent(history), "utf-8")
    return path


def review_warnings(path: Path) -> list[str]:
    loaded, _ = load_leaflet(path)
    result = check_leaflet(loaded, load_theme(DEFAULT_STYLE), date(2025, 1, 1), gate=True)
    return [f.diagnostic.format() for f in result.findings if f.check == "review"]


def test_the_history_is_read_in_order(tmp_path):
    path = leaflet(
        tmp_path,
        """
        history:
          - {version: 2, date: 2021-01-05, changes: Second edition., approved_by: Board}
          - {version: "3", date: 2024-01-10, changes: "  New pictures. ", approved_by: Patient information group}
        """,
    )
    history = load_leaflet(path)[0].history
    assert [(e.version, e.date, e.changes, e.approved_by) for e in history] == [
        ("2", date(2021, 1, 5), "Second edition.", "Board"),
        ("3", date(2024, 1, 10), "New pictures.", "Patient information group"),
    ]
    assert history[1].location.line == 17
    assert review_warnings(path) == []


def test_no_history_is_a_warning_at_the_review(tmp_path):
    path = leaflet(tmp_path)
    assert review_warnings(path) == [
        f"{path}:5:18: warning: history: version 3 has no approval record; add 'history:' with an entry for this "
        "version: version, date, changes and approved_by"
    ]


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (
            "history: [{version: 2, date: 2021-01-05, changes: Old., approved_by: Board}]",
            ":5:18: warning: history: version 3 is not in the history",
        ),
        (
            "history: [{version: 3, date: 2024-01-10, changes: New.}]",
            ":14:11: warning: history: the history does not say who approved version 3; add approved_by",
        ),
        (
            "history:\n  - {version: 3, date: 2024-01-10, changes: A., approved_by: B}\n"
            "  - {version: 4, date: 2024-06-01, changes: C., approved_by: B}",
            ":16:5: warning: history: the history's latest entry is version 4, but review.version is 3",
        ),
        (
            "history: [{version: 3, date: 2024-01-11, changes: New., approved_by: Board}]",
            ":14:11: warning: history: version 3 is dated 11 January 2024 in the history, but review.last_reviewed "
            "is 10 January 2024",
        ),
    ],
)
def test_an_approval_record_that_does_not_match_the_review_is_a_warning(tmp_path, history, expected):
    path = leaflet(tmp_path, history)
    found = review_warnings(path)
    assert len(found) == 1 and found[0].startswith(f"{path}{expected}"), found


def test_mistakes_in_the_history_are_errors_at_their_line(tmp_path, capsys):
    path = leaflet(
        tmp_path, "history:\n  - {version: 3, date: 2024-02-30, changes: A.}\n  - {version: 4, date: 2024-03-01}\n"
    )
    assert main(["check", str(path), "--style", str(DEFAULT_STYLE)]) == 1
    err = capsys.readouterr().out
    assert f"{path}:15:24: error: history[0].date: '2024-02-30' is not a real date" in err
    assert f"{path}:16:5: error: history[1]: missing required key 'changes'" in err


def test_about_this_leaflet_ends_each_version(tmp_path):
    out = tmp_path / "out"
    assert build(out, "--format", "all", content=CONTENT) == 0
    clinician = pdf_text(out / "sacroiliac-joint-pain-clinician.pdf")
    about = clinician[clinician.index("About this leaflet") :]
    for said in (
        "Owner: Physiotherapy department",
        "Written by: Musculoskeletal physiotherapy team",
        "Version: 2, last reviewed 11 December 2019",
        "Approved by: Patient information group, 11 December 2019",
        "Changes in this version: Reviewed against current evidence",
        "Feedback: email physio@example.org or phone 01632",
        "Earlier versions:",
        "Version 1 (14 December 2016): First edition. Approved by Patient information group.",
    ):
        assert said in about, said
    for variant in ("patient", "patient-large-print"):
        patient = pdf_text(out / f"sacroiliac-joint-pain-{variant}.pdf")
        about = patient[patient.index("About this leaflet") :]
        said = "About this leaflet: version 2, December 2019. Approved by Patient information group. Tell us what "
        assert said + "you think of it: email physio@example.org or phone 01632" in about
        assert "Owner" not in about and "Earlier versions" not in about


def test_the_feedback_route_comes_from_the_style(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Lakeside Clinic\nfeedback: write to PALS, Lakeside Clinic, LA1 1AA\n", "utf-8")
    out = tmp_path / "out"
    assert build(out, "--audience", "patient", "--format", "standard", content=CONTENT, style=style) == 0
    text = pdf_text(out / "sacroiliac-joint-pain-patient.pdf")
    assert "Tell us what you think of it: write to PALS, Lakeside Clinic, LA1 1AA." in text


def test_owner_and_version_are_in_the_metadata_and_the_xmp(built):
    for path in built.values():
        reader = PdfReader(path)
        assert (reader.metadata["/Owner"], reader.metadata["/Version"]) == ("Physiotherapy department", "2")
        xmp = reader.xmp_metadata.rdf_root.toxml()
        assert "<xmpMM:VersionID>2</xmpMM:VersionID>" in xmp
        assert "<pdfx:Owner>Physiotherapy department</pdfx:Owner>" in xmp
