"""A failed build never leaves a half-written PDF or destroys the last good one; every failure is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import DEFAULT_STYLE, GOOD, build, outputs
from leaflet.cli import main
from leaflet.library.manifest import MANIFEST_NAME


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    """Anything but the files built and the build manifest (a temporary file, say)."""
    built = (".pdf", ".html")
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(built) and p.name != MANIFEST_NAME)


@pytest.fixture
def previous(tmp_path) -> tuple[Path, Path, bytes]:
    """A content file built once; returns (content, the patient PDF, its bytes)."""
    content = write(tmp_path / "src", "content.yaml", GOOD)
    out = tmp_path / "out"
    assert build(out, content=content) == 0
    pdf = out / "demo-patient.pdf"
    return content, pdf, pdf.read_bytes()


def test_a_content_error_leaves_the_previous_pdf_byte_for_byte(previous, capsys):
    content, pdf, before = previous
    content.write_text(GOOD.replace("2024-01-10", "2024-02-30", 1), "utf-8")
    assert build(pdf.parent, content=content) == 1
    assert "not a real date" in capsys.readouterr().err
    assert pdf.read_bytes() == before
    assert leftovers(pdf.parent) == []


def test_a_failure_in_the_middle_of_rendering_leaves_the_previous_pdf(previous, monkeypatch):
    content, pdf, before = previous
    content.write_text(GOOD.replace("Text.", "Changed text."), "utf-8")

    def explode(self):
        raise RuntimeError("simulated crash while drawing a heading")

    monkeypatch.setattr("leaflet.pdf.flowables.Heading.draw", explode)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build(pdf.parent, content=content)
    assert pdf.read_bytes() == before
    assert leftovers(pdf.parent) == []


def test_a_layout_error_is_reported_the_previous_pdf_kept_and_the_other_variant_built(previous, monkeypatch, capsys):
    from reportlab.platypus.doctemplate import LayoutError

    content, pdf, before = previous
    clinician = pdf.with_name("demo-clinician.pdf")
    clinician.unlink()
    original = __import__("leaflet.pdf.layout", fromlist=["Layout"]).Layout.story

    def story(self):
        if self.variant.audience == "patient":
            raise LayoutError("Flowable too large")
        return original(self)

    monkeypatch.setattr("leaflet.pdf.layout.Layout.story", story)
    pages = {page: page.read_bytes() for page in pdf.parent.glob("*.html")}
    assert len(pages) == 2
    assert build(pdf.parent, content=content) == 1
    err = capsys.readouterr().err
    assert "error: part of the patient version is too large to fit on a page" in err
    assert "Traceback" not in err
    assert pdf.read_bytes() == before
    assert PdfReader(clinician).pages  # the other variant was still built
    assert {page: page.read_bytes() for page in pdf.parent.glob("*.html")} == pages  # no page links to a failed PDF
    assert leftovers(pdf.parent) == []


def test_output_folder_that_cannot_be_created(tmp_path, capsys):
    content = write(tmp_path, "content.yaml", GOOD)
    blocker = write(tmp_path, "not-a-folder", "a file where the output folder should be")
    assert build(blocker / "out", content=content) == 1
    err = capsys.readouterr().err
    assert "error: cannot write demo-patient.pdf" in err and "--out" in err
    assert "Traceback" not in err
    assert blocker.read_text("utf-8") == "a file where the output folder should be"


def test_output_path_taken_by_a_folder_fails_that_variant_only(tmp_path, capsys):
    content = write(tmp_path, "content.yaml", GOOD)
    out = tmp_path / "out"
    (out / "demo-patient.pdf").mkdir(parents=True)
    assert build(out, content=content) == 1
    err = capsys.readouterr().err
    assert "cannot write demo-patient.pdf" in err and "Traceback" not in err
    assert PdfReader(out / "demo-clinician.pdf").pages
    assert leftovers(out) == []


def test_every_content_file_is_processed_and_every_error_reported(tmp_path, capsys):
    good = write(tmp_path / "a", "content.yaml", GOOD)
    broken_date = write(
        tmp_path / "b", "content.yaml", GOOD.replace("demo", "other").replace("2026-01-10", "10/01/2026")
    )
    broken_yaml = write(tmp_path / "c", "content.yaml", GOOD.replace("title: Demo", 'title: "Demo'))
    missing = tmp_path / "d" / "content.yaml"
    out = tmp_path / "out"
    code = main(["build", str(broken_date), str(good), str(missing), str(broken_yaml), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{broken_date}:4:" in captured.err and "10/01/2026" in captured.err
    assert f"{broken_yaml}:2:8: error: YAML syntax error: this quote is never closed" in captured.err
    assert f"{missing}: error: file not found" in captured.err
    assert outputs(out) == [
        "demo-clinician.html",
        "demo-clinician.pdf",
        "demo-patient-large-print.pdf",
        "demo-patient.html",
        "demo-patient.pdf",
    ]
    assert "demo-patient.pdf" in captured.out


def test_a_broken_style_still_reports_the_content_errors(tmp_path, capsys):
    style = write(tmp_path / "style", "style.yaml", "organisation: Clinic\ncolours: {brand: blue}\n")
    content = write(tmp_path, "content.yaml", GOOD.replace("heading: Hello", "hedaing: Hello"))
    assert build(tmp_path / "out", content=content, style=style) == 1
    err = capsys.readouterr().err
    assert f"{style}:2:18: error: colours.brand: expected a colour" in err
    assert f"{content}:6:5: error: sections[0].hedaing: unknown key 'hedaing'; did you mean 'heading'?" in err
    assert not (tmp_path / "out").exists()


def test_warnings_do_not_stop_the_build_unless_strict(tmp_path, capsys):
    content = write(tmp_path, "content.yaml", GOOD + "references:\n  - {id: a, title: Never cited}\n")
    assert build(tmp_path / "lenient", content=content) == 0
    captured = capsys.readouterr()
    assert "warning: references[0]: reference 'a' is never cited" in captured.err
    assert len(list((tmp_path / "lenient").glob("*.pdf"))) == 3  # patient, clinician, large-print patient

    assert build(tmp_path / "strict-run", "--strict", content=content, style=DEFAULT_STYLE) == 1
    err = capsys.readouterr().err
    assert "never cited" in err and "not built: --strict" in err
    assert not (tmp_path / "strict-run").exists()


def test_an_unknown_audience_names_the_file(tmp_path, capsys):
    content = write(tmp_path, "content.yaml", GOOD)
    assert build(tmp_path / "out", "--audience", "carer", content=content) == 1
    assert (
        f"{content}: error: this leaflet has no 'carer' version; it has: patient, clinician" in capsys.readouterr().err
    )
