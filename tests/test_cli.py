"""The command line: exit codes, output names, what it prints."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CONTENT, DEFAULT_STYLE, ROOT, build, outputs, pdf_text
from leaflet.cli import main
from leaflet.pipeline import output_name


def test_builds_every_audience_and_large_print_and_prints_a_line_per_file(tmp_path, capsys):
    assert build(tmp_path) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5
    for line, variant in zip(lines, ("patient", "patient-large-print", "clinician"), strict=False):
        assert f"sacroiliac-joint-pain-{variant}.pdf" in line
        assert " pages " in line and line.endswith(" KB")
    for line, audience in zip(lines[3:], ("patient", "clinician"), strict=True):  # the web pages: no pages
        assert f"sacroiliac-joint-pain-{audience}.html  " in line and " pages " not in line and line.endswith(" KB")
    assert outputs(tmp_path) == [
        "sacroiliac-joint-pain-clinician.html",
        "sacroiliac-joint-pain-clinician.pdf",
        "sacroiliac-joint-pain-patient-large-print.pdf",
        "sacroiliac-joint-pain-patient.html",
        "sacroiliac-joint-pain-patient.pdf",
    ]


def test_format_chooses_standard_or_large_print(tmp_path):
    assert build(tmp_path / "standard", "--format", "standard") == 0
    assert sorted(p.name for p in (tmp_path / "standard").glob("*.pdf")) == [
        "sacroiliac-joint-pain-clinician.pdf",
        "sacroiliac-joint-pain-patient.pdf",
    ]
    # Asked for by name, large print is made for any audience.
    assert build(tmp_path / "large", "--format", "large-print", "--audience", "clinician") == 0
    assert [p.name for p in (tmp_path / "large").glob("*.pdf")] == ["sacroiliac-joint-pain-clinician-large-print.pdf"]
    assert build(tmp_path / "all", "--format", "all") == 0
    assert len(outputs(tmp_path / "all")) == 12  # both audiences, every format: 5 PDFs and a web page
    assert main(["build", "--format", "huge"]) == 2


def test_one_audience(tmp_path):
    assert build(tmp_path, "--audience", "clinician") == 0
    assert outputs(tmp_path) == [
        "sacroiliac-joint-pain-clinician.html",
        "sacroiliac-joint-pain-clinician.pdf",
    ]


def test_unknown_audience_is_a_content_error(tmp_path, capsys):
    assert build(tmp_path, "--audience", "carer") == 1
    assert "no 'carer' version" in capsys.readouterr().err
    assert outputs(tmp_path) == []


def test_usage_errors_exit_2(capsys):
    assert main(["build", "--no-such-option"]) == 2
    assert main(["frobnicate"]) == 2
    assert main([]) == 2


def test_help_has_examples(capsys):
    assert main(["build", "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "--audience patient" in out


def test_missing_content_file_is_reported_without_traceback(tmp_path, capsys):
    assert build(tmp_path, content=tmp_path / "nope.yaml") == 1
    err = capsys.readouterr().err
    assert "nope.yaml" in err and "file not found" in err and "Traceback" not in err


def test_output_names_are_lower_case_and_safe():
    assert output_name("PIL-Phys/042 (v2)", "patient") == "pil-phys-042-v2-patient.pdf"
    assert output_name("sacroiliac-joint-pain", "clinician") == "sacroiliac-joint-pain-clinician.pdf"
    assert output_name("sacroiliac-joint-pain", "patient", large_print=True) == (
        "sacroiliac-joint-pain-patient-large-print.pdf"
    )


def test_python_dash_m_and_default_paths(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "leaflet", "build", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert len(list(Path(tmp_path).glob("*.pdf"))) == 3
    assert CONTENT.exists()


def test_a_style_chooses_the_formats_of_an_audience(tmp_path):
    import yaml

    from conftest import DEFAULT_STYLE

    data = yaml.safe_load(DEFAULT_STYLE.read_text("utf-8"))
    data["audiences"] = {"patient": {"formats": ["standard", "html"]}}  # merged over the built-in patient settings
    style = tmp_path / "style.yaml"
    style.write_text(yaml.safe_dump(data), "utf-8")
    assert build(tmp_path / "out", style=style) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".pdf") == [
        "sacroiliac-joint-pain-clinician.pdf",
        "sacroiliac-joint-pain-patient.pdf",
    ]


def test_builds_from_any_folder_with_the_builtin_style(tmp_path):
    """Keeping leaflets in a folder of one's own: no style there, so the built-in one, with a warning."""
    folder = tmp_path / "leaflets"
    folder.mkdir()
    shutil.copy(CONTENT, folder / "sij.yaml")
    command = [sys.executable, "-m", "leaflet", "build", "leaflets/sij.yaml", "--audience", "patient"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "styles/default.yaml: error" not in done.stderr and "Traceback" not in done.stderr
    assert "built with leaflet's built-in example style" in done.stderr
    assert (tmp_path / "output" / "sacroiliac-joint-pain-patient.pdf").is_file()


def test_a_style_beside_the_content_is_used(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "default.yaml").write_text("organisation: Lakeside Clinic\n", "utf-8")
    shutil.copy(CONTENT, tmp_path / "sij.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "leaflet", "build", str(tmp_path / "sij.yaml"), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "built-in example style" not in done.stderr
    assert "Lakeside Clinic" in pdf_text(tmp_path / "out" / "sacroiliac-joint-pain-clinician.pdf")


def test_build_returns_one_result_per_file(tmp_path):
    from leaflet.core.dates import today
    from leaflet.pipeline import BuildOptions, build

    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n", "utf-8")
    options = BuildOptions(today(), audiences=("clinician",), style=DEFAULT_STYLE, out=tmp_path)
    result = build([CONTENT, broken], options)
    good, bad = result.files
    assert [w.path.name for w in good.written] == [
        "sacroiliac-joint-pain-clinician.pdf",
        "sacroiliac-joint-pain-clinician.html",
    ]
    assert not good.failed
    assert bad.failed and not bad.written and "YAML syntax error" in bad.diagnostics[0].message
    assert result.failed and [s.path for s in result.styles] == [DEFAULT_STYLE]


def test_the_default_jobs_leave_out_processors_other_work_keeps_busy(monkeypatch):
    import os

    from leaflet.cli import default_jobs

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    for load, jobs in ((0.0, 8), (1.0, 8), (3.2, 6), (8.5, 1), (30.0, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert default_jobs() == jobs, load
