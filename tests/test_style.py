"""Styles: the built-in style is the one source of defaults, and a user's style is merged over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DEFAULT_STYLE, ROOT
from leaflet.core.errors import LeafletError
from leaflet.reading.style import BUILTIN_STYLE, load_theme, style_for


def write(folder: Path, text: str) -> Path:
    path = folder / "style.yaml"
    path.write_text(text, "utf-8")
    return path


def test_the_builtin_style_is_package_data_and_valid():
    assert BUILTIN_STYLE.is_relative_to(ROOT / "leaflet")
    theme = load_theme(BUILTIN_STYLE)  # read as a user's style, it passes the same schema and checks
    assert theme.organisation == "Riverside Community Health"
    assert load_theme(None).contact == theme.contact


def test_a_style_need_only_name_the_organisation(tmp_path):
    theme = load_theme(write(tmp_path, "organisation: Minimal Clinic\n"))
    builtin = load_theme(None)
    assert theme.colours == builtin.colours and theme.margins_mm == builtin.margins_mm
    assert theme.audiences == builtin.audiences and theme.readability == builtin.readability
    assert theme.margins_mm["bottom"] == 14  # one source of defaults: the built-in style (was 15 in code)


def test_who_the_leaflet_is_from_is_never_taken_from_the_example(tmp_path):
    theme = load_theme(write(tmp_path, "organisation: Minimal Clinic\n"))
    assert theme.department == "" and theme.contact.phone == "" and theme.contact.email == ""


def test_settings_are_merged_key_by_key(tmp_path):
    style = write(
        tmp_path,
        "organisation: Clinic\ncolours: {brand: '#003087'}\nmargins_mm: {left: 20}\n"
        "audiences:\n  patient: {body_size: 16}\n  carer: {label: For carers}\n"
        "other_audiences: {label: 'Read this, {audience}'}\n"
        "readability:\n  patient: {max_grade: 6}\n",
    )
    theme = load_theme(style)
    assert theme.colours["brand"] == "#003087" and theme.colours["urgent"] == "#B00020"
    assert theme.margins_mm == {"top": 15, "bottom": 14, "left": 20, "right": 18}
    patient = theme.for_audience("patient")
    assert patient.body_size == 16 and patient.label == "Information for patients" and patient.heading_size == 19
    carer = theme.for_audience("carer")
    assert carer.label == "For carers" and carer.body_size == 12 and "large-print" in carer.formats
    assert theme.for_audience("parent").label == "Read this, parent"
    assert theme.targets_for("patient").max_grade == 6 and theme.targets_for("patient").max_sentence_words == 25
    assert theme.targets_for("carer").max_grade is None


def test_an_unnamed_audience_gets_the_template_label():
    assert load_theme(None).for_audience("carer").label == "Information for carers"


def test_mistakes_are_located_in_the_users_file(tmp_path):
    style = write(tmp_path, "organisation: Clinic\nother_audiences:\n  body_size: 2\n")
    with pytest.raises(LeafletError) as error:
        load_theme(style)
    assert f"{style}:3:14: error: other_audiences.body_size" in str(error.value)


def test_which_style_a_content_file_gets(tmp_path):
    content = tmp_path / "leaflet.yaml"
    assert style_for(content, None) is None  # the built-in style
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "default.yaml").write_text("organisation: Here\n", "utf-8")
    assert style_for(content, None) == tmp_path / "styles" / "default.yaml"
    assert style_for(content, DEFAULT_STYLE) == DEFAULT_STYLE


def test_nothing_in_a_patient_leaflet_may_be_below_12_pt(tmp_path, capsys):
    """RNIB Clear Print: the footer (which carries the review dates) and the references too, checked and built."""
    from conftest import CONTENT, build
    from leaflet.cli import main

    builtin = load_theme(None).for_audience("patient")
    assert builtin.footer_size >= 12 and builtin.min_size == 12
    style = write(tmp_path, "organisation: Clinic\naudiences:\n  patient: {footer_size: 11}\n")
    assert build(tmp_path / "out", style=style) == 1  # enforced: nothing is built
    err = capsys.readouterr().err
    assert f"{style}:3:26: error: audiences.patient.footer_size: patient footer size 11 pt is below the" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))
    assert main(["check", str(CONTENT), "--style", str(style), "--today", "2021-01-01"]) == 1


def test_an_audiences_own_minimum_holds_for_it_and_clinicians_may_read_smaller_print(tmp_path):
    from leaflet.checks.contrast import small_type, smallest_size

    theme = load_theme(write(tmp_path, "organisation: Clinic\naudiences:\n  carer: {min_size: 14, footer_size: 13}\n"))
    assert smallest_size("clinician", theme.for_audience("clinician")) == 9
    assert small_type("clinician", theme.for_audience("clinician")) == []
    found = [name for name, _ in small_type("carer", theme.for_audience("carer"))]
    assert {"body", "footer"} <= set(found) and not {"title", "reference", "caption"} & set(found)  # clamped


def test_page_settings_are_read(tmp_path):
    theme = load_theme(
        write(
            tmp_path,
            "organisation: Clinic\npictures: {min_scale: 0.9}\n"
            "audiences:\n  patient: {duplex: false, notes_heading: Your notes, continued_label: (cont.)}\n",
        )
    )
    patient = theme.for_audience("patient")
    assert (patient.duplex, patient.notes_heading, patient.continued_label) == (False, "Your notes", "(cont.)")
    assert theme.picture_min_scale == 0.9 and load_theme(None).for_audience("patient").duplex
    assert not load_theme(None).for_audience("clinician").duplex
