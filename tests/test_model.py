"""The content model: audiences at section, block and sentence level; citations; escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.core.citations import citation_label, vancouver
from leaflet.core.errors import LeafletError
from leaflet.core.model import Citation, Link, Strong, Text
from leaflet.core.variant import prepare
from leaflet.reading.content import load_leaflet
from leaflet.reading.style import load_theme

MINIMAL = """
id: demo
title: Demo
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "content.yaml"
    path.write_text(MINIMAL + body, encoding="utf-8")
    return path


THEME = load_theme(None)


def texts_of(variant) -> list[str]:
    out = []
    for section in variant.content.sections:
        out.append(section.heading.plain())
        out += [block.text.plain() for block in section.blocks if hasattr(block, "text")]
    return out


def test_audience_at_section_block_and_sentence_level(tmp_path):
    path = write(
        tmp_path,
        """
sections:
  - heading: Shared
    blocks:
      - paragraph: [Everyone reads this., {patient: Only patients., clinician: Only clinicians.}]
      - paragraph: Clinician block.
        audience: clinician
  - heading: Patient section
    audience: patient
    blocks: [{paragraph: Hello.}]
""",
    )
    leaflet, _ = load_leaflet(path)
    patient = texts_of(prepare(leaflet, "patient", THEME))
    clinician = texts_of(prepare(leaflet, "clinician", THEME))
    assert patient == ["Shared", "Everyone reads this. Only patients.", "Patient section", "Hello."]
    assert clinician == ["Shared", "Everyone reads this. Only clinicians.", "Clinician block."]


def test_a_third_audience_can_be_declared(tmp_path):
    path = write(
        tmp_path,
        """
audiences: [patient, clinician, carer]
sections:
  - heading: {carer: For carers, patient: For you, clinician: For staff}
    blocks: [{paragraph: Text.}]
""",
    )
    leaflet, _ = load_leaflet(path)
    assert texts_of(prepare(leaflet, "carer", THEME))[0] == "For carers"


def test_numbering_has_no_gap_for_references_cited_only_elsewhere(tmp_path):
    path = write(
        tmp_path,
        """
sections:
  - heading: One
    blocks:
      - paragraph: {clinician: "Detail [@b].", patient: "Plain."}
      - paragraph: "Both [@a] and again [@b; @a]."
references:
  - {id: a, title: First}
  - {id: b, title: Second}
""",
    )
    leaflet, _ = load_leaflet(path)
    clinician = prepare(leaflet, "clinician", THEME)
    patient = prepare(leaflet, "patient", THEME)
    assert clinician.numbers == {"b": 1, "a": 2}
    assert [r.id for r in clinician.references] == ["b", "a"]
    assert patient.numbers == {"a": 1, "b": 2}


def test_citation_labels():
    numbers = {"a": 1, "b": 2, "c": 3, "d": 5}
    assert citation_label(("a",), numbers) == "[1]"
    assert citation_label(("b", "a"), numbers) == "[1,2]"
    assert citation_label(("c", "a", "b", "d"), numbers) == "[1\u20133,5]"


def test_vancouver_lists_six_authors_then_et_al():
    from leaflet.core.model import Reference

    reference = Reference(
        id="x", title="A title", authors=tuple(f"Author{i} A" for i in range(8)), journal="J", year=2020
    )
    text = vancouver(reference).plain()
    assert text == "Author0 A, Author1 A, Author2 A, Author3 A, Author4 A, Author5 A, et al. A title. J. 2020."


def test_markdown_emphasis_links_and_citations(tmp_path):
    path = write(
        tmp_path,
        """
sections:
  - heading: H
    blocks:
      - paragraph: "Take **two** tablets; see [our site](https://example.org) [@a]."
references: [{id: a, title: T}]
""",
    )
    leaflet, _ = load_leaflet(path)
    inlines = leaflet.sections[0].blocks[0].text.inlines
    assert inlines[1] == Strong((Text("two"),))
    assert inlines[3] == Link("https://example.org", (Text("our site"),))
    assert isinstance(inlines[5], Citation) and inlines[5].keys == ("a",)
    assert inlines[5].location.line == 10


@pytest.mark.parametrize("text", ["AT&T <b>unclosed &copy; <font name=x>", "x < 5 & y > 3"])
def test_markup_characters_print_as_written(tmp_path, text):
    from conftest import build, pdf_text

    path = write(
        tmp_path,
        f"""
sections:
  - heading: H
    blocks:
      - paragraph: '{text}'
""",
    )
    assert build(tmp_path / "out", content=path) == 0
    assert text in pdf_text(tmp_path / "out" / "demo-patient.pdf")


def test_unknown_citation_is_an_error_with_its_line(tmp_path):
    path = write(
        tmp_path,
        """
sections:
  - heading: H
    blocks:
      - paragraph: "Claim [@nope]."
""",
    )
    with pytest.raises(LeafletError) as caught:
        load_leaflet(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location.line == 10 and diagnostic.location.column == 27
    assert "[@nope]" in diagnostic.message
