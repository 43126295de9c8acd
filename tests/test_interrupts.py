"""What happens around a build: Ctrl-C and SIGTERM, builds killed outright, a reader that goes away, a terminal
that cannot show every character, a deleted current folder, odd SOURCE_DATE_EPOCH and --today values."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, DEFAULT_STYLE, GOOD, ROOT, build, takes_ctrl_c
from leaflet.cli import main

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1748736000", "PYTHONPATH": str(ROOT)}


def leaflet(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "leaflet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=takes_ctrl_c,
        **kwargs,
    )


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp")) if folder.exists() else []


def test_ctrl_c_during_a_build_prints_one_line_exits_130_and_leaves_no_temporary_file(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    original = __import__("leaflet.pdf.layout", fromlist=["Layout"]).Layout.story

    def story(self):
        if self.variant.audience == "clinician":
            raise KeyboardInterrupt
        return original(self)

    monkeypatch.setattr("leaflet.pdf.layout.Layout.story", story)
    assert build(out) == 130
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "leaflet: interrupted; the PDFs written so far are complete, and no other file was changed"
    ]
    written = sorted(p.name for p in out.iterdir())
    assert written == ["sacroiliac-joint-pain-patient-large-print.pdf", "sacroiliac-joint-pain-patient.pdf"]
    assert all(PdfReader(out / name).pages for name in written)  # the ones finished before Ctrl-C, whole


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_in_the_middle_of_writing_removes_the_temporary_file(tmp_path, signal_number):
    out = tmp_path / "out"
    running = leaflet("build", str(CONTENT), "--style", str(DEFAULT_STYLE), "--out", str(out), env=ENV)
    deadline = time.monotonic() + 60
    while not temporaries(out) and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if running.poll() is not None:
        pytest.skip("the build finished before a temporary file was seen")
    running.send_signal(signal_number)
    _, err = running.communicate(timeout=60)
    assert running.returncode == 128 + signal_number
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("leaflet: ")
    assert temporaries(out) == []


def stale(folder: Path, name: str, age: float = 3600) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"%PDF-1.7 half written")
    when = time.time() - age
    os.utime(path, (when, when))
    return path


def test_a_later_build_removes_the_temporary_files_of_killed_builds_and_nothing_else(tmp_path):
    from leaflet.core import outputs

    out = tmp_path / "out"
    killed = stale(out, ".demo-patient-k1ll3d00.pdf.tmp")
    other_leaflet = stale(out, ".other-clinician-abcdefgh.pdf.tmp")
    running = stale(out, ".demo-clinician-running.pdf.tmp")
    just_made = stale(out, ".demo-patient-large-print-newfile0.pdf.tmp", age=-60)  # newer than this process
    stale_page = stale(out, ".demo-patient-0a1b2c3d.html.tmp")
    not_ours = [stale(out, ".notes.tmp"), stale(out, "demo-patient-12345678.pdf.tmp"), stale(out, ".x-12.pdf.tmp")]
    held = os.open(running, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # as a build that is writing it holds it
    outputs._cleaned.discard(os.path.abspath(out))
    try:
        assert build(out) == 0
    finally:
        os.close(held)
    assert not killed.exists() and not other_leaflet.exists() and not stale_page.exists()
    assert running.exists() and just_made.exists()
    assert all(path.exists() for path in not_ours)


def test_a_temporary_file_name_is_short_even_for_a_long_pdf_name(tmp_path):
    from leaflet.core.outputs import temporary_file

    target = tmp_path / ("a" * 240 + ".pdf")  # a legal name, with no room for '.<name>-xxxxxxxx.pdf.tmp'
    handle, temporary = temporary_file(target)
    os.close(handle)
    assert len(Path(temporary).name) < 130
    Path(temporary).unlink()


def test_a_reader_that_stops_reading_ends_the_run_quietly(tmp_path):
    contents = []
    for index in range(30):
        contents.append(tmp_path / f"c{index}.yaml")
        contents[-1].write_text(GOOD.replace("id: demo", f"id: demo{index}"), "utf-8")
    running = leaflet("check", *map(str, contents), "--style", str(DEFAULT_STYLE), env=ENV)
    assert running.stdout is not None
    running.stdout.read(10)
    running.stdout.close()  # as `leaflet check | head -c 10` does
    err = running.stderr.read() if running.stderr else ""
    running.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert running.returncode in (0, 1, 128 + signal.SIGPIPE)


def test_a_terminal_that_cannot_show_greek_gets_escapes(tmp_path):
    content = tmp_path / "content.yaml"
    content.write_text(GOOD.replace("title: Demo", "title: Πόνος στη μέση"), "utf-8")
    out = tmp_path / "έξοδος"
    ascii_terminal = {**ENV, "PYTHONIOENCODING": "ascii"}
    running = leaflet("build", str(content), "--style", str(DEFAULT_STYLE), "--out", str(out), env=ascii_terminal)
    stdout, err = running.communicate(timeout=60)
    assert running.returncode == 0, err
    assert "Traceback" not in err
    assert "\\u03ad\\u03be\\u03bf\\u03b4\\u03bf\\u03c2" in stdout and len(list(out.glob("*.pdf"))) == 3


def test_a_deleted_current_folder_is_one_line(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    command = f'cd "{gone}" && rmdir "{gone}" && exec "{sys.executable}" -m leaflet build "{CONTENT}"'
    completed = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=ENV, timeout=60)
    assert completed.returncode == 2
    assert completed.stderr == "leaflet: error: the current folder has been deleted; change to another folder\n"


@pytest.mark.parametrize(
    "epoch", ["-1", "1e20", "99999999999999999999", "\u00b2", "\u0661\u0667\u0660\u0660\u0660", "253402300800", " "]
)
def test_an_odd_source_date_epoch_is_one_line(monkeypatch, capsys, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code = main(["check", str(CONTENT), "--style", str(DEFAULT_STYLE)])
    err = capsys.readouterr().err
    if not epoch.strip():
        assert code in (0, 1) and "SOURCE_DATE_EPOCH" not in err  # empty means unset
        return
    assert code == 2
    assert err.startswith("leaflet: error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, from 0 to")
    assert len(err.splitlines()) == 1


def test_the_last_day_a_date_can_hold_is_a_fine_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert build(tmp_path / "out") == 0


FULLWIDTH = "\uff12\uff10\uff12\uff14-\uff10\uff11-\uff10\uff11"  # 2024-01-01 in fullwidth digits


@pytest.mark.parametrize("odd", ["2024-W01-1", "20240101", FULLWIDTH, "2024-1-1", "0000-01-01", "2024-01-01 "])
def test_an_odd_today_is_a_usage_error(capsys, odd):
    assert main(["check", str(CONTENT), "--today", odd]) == 2
    assert "is not a date written year-month-day" in capsys.readouterr().err


def test_review_dates_near_the_end_of_the_calendar_build_and_check(tmp_path, capsys):
    content = tmp_path / "content.yaml"
    content.write_text(GOOD.replace("2024-01-10, next_review: 2026-01-10", "9999-12-30, next_review: 9999-12-31"))
    assert build(tmp_path / "out", "--today", "9999-12-31", content=content) == 0
    assert main(["check", str(content), "--today", "9999-12-31", "--style", str(DEFAULT_STYLE)]) == 0
    assert build(tmp_path / "now", content=content) == 0  # last review far in the future: a warning
    assert "Traceback" not in capsys.readouterr().err
