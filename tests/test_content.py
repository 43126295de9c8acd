"""The built leaflets say what the content says, to the right audience, with numbered citations."""

from __future__ import annotations

import re

from conftest import normalise, seed_sentences


def test_seed_has_the_expected_shape():
    sentences = seed_sentences()
    assert len(sentences) > 25
    assert "Pregnancy is known to be associated with problems with this joint." in sentences


def test_clinician_variant_keeps_every_seed_sentence(texts):
    text = texts["clinician"].lower()
    missing = [s for s in seed_sentences() if normalise(s).lower() not in text]
    assert missing == []


def test_patient_variant_is_plain_language_and_not_the_clinician_text(texts):
    patient = texts["patient"]
    assert "You have two sacroiliac joints." in patient
    assert "large force transmission joint" not in patient
    assert "Significant disagreement exists" not in patient
    # The honest statements about uncertain evidence stay in the patient text.
    assert "it has not been shown that these methods work" in patient
    assert "There is no good evidence yet that it helps." in patient
    assert "But there is no proof of this yet." in patient


def test_audience_specific_text_only_in_its_variant(texts):
    assert "Information for patients" in texts["patient"]
    assert "Information for patients" not in texts["clinician"]
    assert "Information for clinicians" in texts["clinician"]
    assert "Information for clinicians" not in texts["patient"]
    assert "Call 999 or go to A&E now" in texts["patient"]
    assert "Call 999 or go to A&E now" not in texts["clinician"]
    assert "Symptoms of sacroiliac joint pain" in texts["clinician"]
    assert "Symptoms of sacroiliac joint pain" not in texts["patient"]


def without_page_furniture(text: str) -> str:
    """The text with the footer and the review notice removed, so content that runs across a page break reads on."""
    text = re.sub(r"Past its review date \([^)]*\): ask for the latest version ", "", text)
    footer = (
        r"Sacroiliac joint pain · Ref \S+ · Version \S+ "
        r"Last reviewed [^·]{0,40}· Next review \w+ \d{4} Page \d+ of \d+ "
    )
    return re.sub(footer, "", text)


def test_both_references_in_full_in_vancouver_style(texts):
    for text in map(without_page_furniture, texts.values()):
        assert (
            "Cohen SP, Chen Y, Neufeld NJ. Sacroiliac joint pain: a comprehensive review of epidemiology, "
            "diagnosis and treatment. Expert Rev Neurother. 2013;13(1):99-116. doi: 10.1586/ern.12.148." in text
        )
        assert (
            "Greis A, Berk J, Gellhorn AC. Non-interventional treatment options for sacroiliac joint mediated "
            "pain: a review. OA Musculoskeletal Medicine. 2013 May 1;1(1):10." in text
        )


def test_references_numbered_in_order_of_first_citation(texts):
    for text in texts.values():
        listed = text.split("Cohen SP")[0][-4:]
        assert listed.strip().endswith("1."), listed
        assert re.search(r"2\.\s*Greis A", text)
        first_marker = re.search(r"\[(\d)\]", text)
        assert first_marker and first_marker.group(1) == "1"
        assert "[2]" in text


def test_contact_details_are_fictional_examples(texts):
    for text in texts.values():
        assert "01632 960 123" in text
        assert "physio@example.org" in text


def test_review_dates_cannot_be_misread(built):
    from pypdf import PdfReader

    for path in built.values():
        for number, page in enumerate(PdfReader(path).pages, start=1):
            text = normalise(page.extract_text())
            assert "Last reviewed 11 December 2019 · Next review December 2021" in text
            assert re.search(rf"Page {number} of \d+", text)
            assert "11-12-2019" not in text and "09-12-2021" not in text
