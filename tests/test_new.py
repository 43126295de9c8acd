"""`leaflet new`: each template writes a commented leaflet that builds every variant and passes `leaflet check`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import pdf_text
from leaflet.authoring.new import PLACEHOLDER, TEMPLATE_FOLDER, TEMPLATES
from leaflet.cli import main
from leaflet.pipeline import BuildOptions, check

TODAY = date(2025, 6, 1)  # conftest's SOURCE_DATE_EPOCH


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_builds_every_variant_and_passes_check(template, in_tmp, capsys):
    assert main(["new", "knee-injection", "--from", template]) == 0
    content = in_tmp / "knee-injection.yaml"
    assert main(["build", str(content), "--format", "all", "--out", "out"]) == 0
    said = capsys.readouterr()
    assert " error: " not in said.err
    names = sorted(p.name for p in (in_tmp / "out").iterdir() if not p.name.startswith("."))
    for audience in ("patient", "clinician"):
        for kind in ("", "-large-print", "-a5", "-booklet", "-print"):
            assert f"knee-injection-{audience}{kind}.pdf" in names
        assert f"knee-injection-{audience}.html" in names
    text = pdf_text(in_tmp / "out" / "knee-injection-patient.pdf")
    assert "Knee injection" in text and "Where this information comes from" in text
    assert "Shared decision making" in text  # the reference, cited in the patient text
    assert "Information for patients" in text
    clinician = pdf_text(in_tmp / "out" / "knee-injection-clinician.pdf")
    assert "Information for clinicians" in clinician
    # A leaflet as short as a starter should be: the patient version fits on one or two sheets.
    assert len(PdfReader(in_tmp / "out" / "knee-injection-patient.pdf").pages) in (2, 4)

    result = check([content], BuildOptions(today=TODAY))
    assert not result.failed(False)
    [leaflet] = result.leaflets
    errors = [f for f in leaflet.findings if f.diagnostic.severity == "error"]
    assert errors == []
    assert leaflet.status == "current"


def _blocks(sections):
    for section in sections:
        yield from section.get("blocks", [])
        yield from _blocks(section.get("sections", []))


def _kinds(blocks):
    for block in blocks:
        yield from (key for key in block if key not in ("audience", "keep_together", "page_break"))
        if "callout" in block:
            yield f"callout:{block['callout'].get('tone', 'info')}"
            yield from _kinds(block["callout"]["blocks"])


def test_the_starter_shows_every_kind_of_block_and_of_text(in_tmp):
    assert main(["new"]) == 0
    data = yaml.safe_load((in_tmp / "my-leaflet.yaml").read_text("utf-8"))
    assert data["id"] == "my-leaflet" and data["title"] == "My leaflet"
    kinds = set(_kinds(_blocks(data["sections"])))
    schema_kinds = {"paragraph", "bullets", "numbered", "callout", "image", "contact"}
    assert schema_kinds <= kinds
    assert {"callout:info", "callout:warning", "callout:urgent"} <= kinds
    assert {"key_points", "references", "glossary", "history", "subtitle"} <= set(data)
    assert any(isinstance(block.get("paragraph"), dict) for block in _blocks(data["sections"]))  # per audience
    assert any(section.get("audience") for section in data["sections"])
    items = [item for block in _blocks(data["sections"]) for item in block.get("bullets", [])]
    assert any(isinstance(item, dict) and item.get("items") for item in items)  # a nested list


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_the_comments_survive(template, in_tmp):
    assert main(["new", "x1", "--from", template]) == 0
    written = (in_tmp / "x1.yaml").read_text("utf-8")
    source = (TEMPLATE_FOLDER / f"{template}.yaml").read_text("utf-8")
    comments = [line.strip() for line in source.splitlines() if line.strip().startswith("#") and "$" not in line]
    assert len(comments) >= 8
    for comment in comments:
        assert comment in written
    assert "${" not in written  # every field filled in
    assert "\n# yaml-language-server: $schema=" in "\n" + written


def test_the_dates_are_today_and_the_usual_review_period(in_tmp):
    assert main(["new", "dated"]) == 0
    data = yaml.safe_load((in_tmp / "dated.yaml").read_text("utf-8"))
    assert str(data["review"]["last_reviewed"]) == "2025-06-01"
    assert str(data["review"]["next_review"]) == "2028-06-01"  # the built-in style's max_period_years: 3
    assert str(data["history"][0]["date"]) == "2025-06-01"


def test_a_library_review_period_is_used(in_tmp):
    (in_tmp / "leaflets.yaml").write_text("review:\n  max_period_years: 2\n", "utf-8")
    assert main(["new", "short-cycle"]) == 0
    data = yaml.safe_load((in_tmp / "short-cycle.yaml").read_text("utf-8"))
    assert str(data["review"]["next_review"]) == "2027-06-01"


def test_pictures_are_placeholders_named_for_the_leaflet(in_tmp, capsys):
    assert main(["new", "ex", "--from", "exercises"]) == 0
    pictures = sorted((in_tmp / "images").iterdir())
    assert [p.name for p in pictures] == [f"ex-exercise-{n}.png" for n in range(1, 5)]
    assert all(p.read_bytes() == PLACEHOLDER.read_bytes() for p in pictures)
    assert "images/ex-exercise-1.png (a placeholder picture: replace it with your own)" in capsys.readouterr().out


def test_never_overwrites(in_tmp, capsys):
    (in_tmp / "knee.yaml").write_text("id: mine\n", "utf-8")
    assert main(["new", "knee"]) == 1
    err = capsys.readouterr().err
    assert "knee.yaml already exists: leaflet new never replaces a file" in err
    assert "leaflet new knee-2" in err
    assert (in_tmp / "knee.yaml").read_text("utf-8") == "id: mine\n"
    assert not (in_tmp / "images").exists()  # nothing written at all


def test_never_overwrites_a_picture(in_tmp, capsys):
    (in_tmp / "images").mkdir()
    (in_tmp / "images" / "hip-picture.png").write_bytes(b"my own picture")
    assert main(["new", "hip"]) == 1
    assert "images/hip-picture.png already exists" in capsys.readouterr().err
    assert not (in_tmp / "hip.yaml").exists()
    assert (in_tmp / "images" / "hip-picture.png").read_bytes() == b"my own picture"


@pytest.mark.parametrize("bad", ["my leaflet", "_knee", "knee/../..", "é" * 3, "x" * 65])
def test_bad_ids_are_usage_errors(bad, in_tmp, capsys):
    assert main(["new", bad]) == 2
    assert "cannot be a leaflet id" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


def test_a_path_and_a_yaml_suffix_are_understood(in_tmp):
    assert main(["new", "physio/tennis-elbow.yaml", "--from", "exercises"]) == 0
    data = yaml.safe_load((in_tmp / "physio" / "tennis-elbow.yaml").read_text("utf-8"))
    assert data["id"] == "tennis-elbow"
    assert (in_tmp / "physio" / "images" / "tennis-elbow-exercise-1.png").is_file()


def test_unknown_template_says_did_you_mean(in_tmp, capsys):
    assert main(["new", "x", "--from", "condtion"]) == 2
    err = capsys.readouterr().err
    assert "unknown template 'condtion'; did you mean 'condition'?" in err
    for name in TEMPLATES:
        assert name in err
    assert list(in_tmp.iterdir()) == []


def test_list_and_help_name_the_templates(capsys):
    assert main(["new", "--list"]) == 0
    listed = capsys.readouterr().out
    assert main(["new", "--help"]) == 0
    helped = capsys.readouterr().out
    for name, about in TEMPLATES.items():
        assert re.search(rf"^  {re.escape(name)}\s+{re.escape(about)}$", listed, re.MULTILINE)
        assert name in helped


def test_style_writes_a_commented_starter_style_that_the_leaflet_names(in_tmp, capsys):
    assert main(["new", "knee", "--style"]) == 0
    style = in_tmp / "style.yaml"
    assert style.is_file() and "# CHANGE the details below" in style.read_text("utf-8")
    data = yaml.safe_load((in_tmp / "knee.yaml").read_text("utf-8"))
    assert data["style"] == "style.yaml"
    capsys.readouterr()
    assert main(["build", "knee.yaml", "--out", "out", "--audience", "patient", "--format", "standard"]) == 0
    assert "no style chosen" not in capsys.readouterr().err
    assert "Example NHS Foundation Trust" in pdf_text(in_tmp / "out" / "knee-patient.pdf")


def test_style_names_an_existing_style_without_changing_it(in_tmp, capsys):
    (in_tmp / "styles").mkdir()
    (in_tmp / "styles" / "brand.yaml").write_text("organisation: Lakeside Clinic\n", "utf-8")
    (in_tmp / "leaflets").mkdir()
    assert main(["new", "leaflets/knee", "--style", "styles/brand.yaml"]) == 0
    assert "uses the existing style styles/brand.yaml" in capsys.readouterr().out
    assert (in_tmp / "styles" / "brand.yaml").read_text("utf-8") == "organisation: Lakeside Clinic\n"
    assert yaml.safe_load((in_tmp / "leaflets" / "knee.yaml").read_text("utf-8"))["style"] == "../styles/brand.yaml"


def test_style_must_be_a_yaml_file(in_tmp, capsys):
    assert main(["new", "knee", "--style", "brand.txt"]) == 2
    assert "--style takes a style file ending in .yaml" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


def test_templates_are_package_data():
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8")
    assert '"templates/*.yaml", "templates/*.png"' in text
