"""`leaflet watch` as an author meets it: a real watch process rebuilds after each save, says what is wrong with a
broken save and keeps the last good files byte for byte, recovers, stops cleanly on Ctrl-C, and serves the web
page with a reload script that is never written to disk."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from browser import BLOCKED_URLS
from conftest import ROOT, pdf_text, takes_ctrl_c
from leaflet.authoring.watch import RELOAD_SCRIPT, VERSION_PATH, Watch
from leaflet.cli import main
from leaflet.pipeline import BuildOptions

TIMEOUT = 60  # seconds for one build to be seen: generous, for a loaded machine


class Watching:
    """`leaflet watch ARGS` in cwd, its screen read line by line as it comes."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leaflet", "watch", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            preexec_fn=takes_ctrl_c,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern: str) -> tuple[str, list[str]]:
        """The first new line matching pattern, and the lines before it since the last wait."""
        before: list[str] = []
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line, before
            before.append(line)
        self.stop()
        pytest.fail(f"no line matching {pattern!r}; the screen said:\n" + "\n".join(self.seen))

    def stop(self) -> tuple[int, list[str]]:
        """Ctrl-C, as a person would press it; the exit code and what was said after."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        rest: list[str] = []
        while (line := self.lines.get(timeout=5)) is not None:
            rest.append(line)
        self.seen += rest
        return code, rest


def save(path: Path, text: str) -> None:
    """Save as many editors do: write a new file beside it, then rename it over the old one."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


@pytest.fixture
def leaflet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "knee"]) == 0
    return tmp_path / "knee.yaml"


def test_rebuilds_keeps_the_last_good_files_after_a_mistake_and_recovers(leaflet, tmp_path):
    folder = tmp_path
    pdf = folder / "output" / "knee-patient.pdf"
    watching = Watching(folder, "knee.yaml", "--audience", "patient", "--format", "standard", "--no-serve")
    try:
        watching.wait_for(r"^watching knee\.yaml")
        assert "My" not in pdf_text(pdf) and "Knee" in pdf_text(pdf)
        original = leaflet.read_text("utf-8")

        save(leaflet, original.replace("title: Knee\n", "title: Knee pain\n"))
        line, _ = watching.wait_for(r"changed: knee\.yaml")
        assert re.fullmatch(r"\[\d\d:\d\d:\d\d\] changed: knee\.yaml", line)
        _, said = watching.wait_for(r"rebuilt in \d+\.\d s$")
        assert "output/knee-patient.pdf  2 pages" in " ".join(said)
        assert "Knee pain" in pdf_text(pdf)
        good = pdf.read_bytes()
        good_time = pdf.stat().st_mtime_ns

        save(leaflet, original.replace("title: Knee\n", "title: [Knee pain\n"))
        line, said = watching.wait_for(r"not rebuilt")
        assert "knee.yaml:17:8: error: YAML syntax error: this '[' is never closed" in "\n".join(said)
        assert line.endswith(
            "not rebuilt: fix the mistake above and save again; the last good files are kept: output/knee-patient.pdf"
        )
        assert pdf.read_bytes() == good and pdf.stat().st_mtime_ns == good_time
        assert [p.name for p in pdf.parent.iterdir() if not p.name.startswith(".")] == ["knee-patient.pdf"]

        save(leaflet, original.replace("title: Knee\n", "title: Knee pain and stiffness\n"))
        watching.wait_for(r"rebuilt in")
        assert "Knee pain and stiffness" in pdf_text(pdf)

        # A picture the leaflet shows, replaced: the leaflet is rebuilt with it.
        picture = folder / "images" / "knee-picture.png"
        before = pdf.read_bytes()
        red = Image.new("RGB", (900, 600), (200, 30, 30))
        buffer = io.BytesIO()
        red.save(buffer, "PNG")
        picture.write_bytes(buffer.getvalue())
        watching.wait_for(r"changed: images/knee-picture\.png")
        watching.wait_for(r"rebuilt in")
        assert pdf.read_bytes() != before
    finally:
        code, rest = watching.stop()
    assert code == 0
    assert [line for line in rest if line] == ["leaflet watch: stopped"]  # one line, no traceback
    assert "Traceback" not in "\n".join(watching.seen)


def test_a_broken_first_build_says_nothing_is_kept_then_builds_once_fixed(leaflet, tmp_path):
    original = leaflet.read_text("utf-8")
    leaflet.write_text(original.replace("  - heading: When to get help\n", "  - heading When to get help\n"), "utf-8")
    watching = Watching(tmp_path, "knee.yaml", "--audience", "clinician", "--format", "standard", "--no-serve")
    try:
        line, said = watching.wait_for(r"not rebuilt")
        assert "nothing has been built yet" in line
        assert any(": error: " in s for s in said)
        watching.wait_for(r"^watching knee\.yaml")
        save(leaflet, original)
        watching.wait_for(r"rebuilt in")
        assert (tmp_path / "output" / "knee-clinician.pdf").is_file()
    finally:
        code, _ = watching.stop()
    assert code == 0


def test_editor_files_and_the_output_folder_do_not_set_off_a_build(leaflet, tmp_path):
    watch = Watch([Path("knee.yaml")], BuildOptions(today=date(2025, 6, 1)))
    watch.inputs[leaflet.absolute()] = {leaflet.absolute(), (tmp_path / "images" / "knee-picture.png").absolute()}
    assert watch.matters(leaflet)
    assert watch.matters(tmp_path / "images" / "knee-picture.png")
    for other in (".knee.yaml.swp", "knee.yaml~", "#knee.yaml#", "4913", "knee.yaml.tmp", "output/x.yaml", "notes.txt"):
        assert not watch.matters(tmp_path / other), other
    assert not watch.matters(tmp_path / "images" / "new.png")  # not an input while the leaflet builds
    watch.failing = True  # ... but it may be the missing picture that stops it
    assert watch.matters(tmp_path / "images" / "new.png")
    assert tmp_path / "images" in watch.folders() and tmp_path in watch.folders()


def test_the_served_page_has_the_reload_script_and_the_file_does_not(leaflet, tmp_path):
    watching = Watching(tmp_path, "knee.yaml", "--audience", "patient", "--format", "html", "--port", "0")
    try:
        line, _ = watching.wait_for(r"^web page: ")
        url = re.match(r"web page: (http://127\.0\.0\.1:\d+/knee-patient\.html)  \(reloads itself", line)
        assert url, line
        watching.wait_for(r"^watching")
        base = url[1].rsplit("/", 1)[0]
        page = urllib.request.urlopen(url[1], timeout=10).read().decode()
        on_disk = (tmp_path / "output" / "knee-patient.html").read_text("utf-8")
        assert "leaflet-watch" not in on_disk and "<script" not in on_disk
        assert f"<script>{RELOAD_SCRIPT}</script>" in page
        assert '<meta name="leaflet-watch-version" content="1">' in page
        digest = base64.b64encode(hashlib.sha256(RELOAD_SCRIPT.encode()).digest()).decode()
        assert f"script-src 'sha256-{digest}'; connect-src 'self'" in page  # the page's own policy allows it
        assert urllib.request.urlopen(base + VERSION_PATH, timeout=10).read() == b"1"

        save(leaflet, leaflet.read_text("utf-8").replace("title: Knee\n", "title: Knee pain\n"))
        watching.wait_for(r"rebuilt in")
        assert urllib.request.urlopen(base + VERSION_PATH, timeout=10).read() == b"2"
        assert "Knee pain" in urllib.request.urlopen(url[1], timeout=10).read().decode()

        save(leaflet, leaflet.read_text("utf-8").replace("title: Knee pain\n", "title: [\n"))
        watching.wait_for(r"not rebuilt")
        assert urllib.request.urlopen(base + VERSION_PATH, timeout=10).read() == b"2"  # no reload to nothing
        assert "Knee pain" in urllib.request.urlopen(url[1], timeout=10).read().decode()
    finally:
        code, _ = watching.stop()
    assert code == 0


def test_the_page_in_a_browser_reloads_after_a_rebuild(leaflet, tmp_path, chromium):
    watching = Watching(tmp_path, "knee.yaml", "--audience", "patient", "--format", "html", "--port", "0")
    chromium.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})  # this page is on this computer
    try:
        line, _ = watching.wait_for(r"^web page: ")
        watching.wait_for(r"^watching")
        chromium.get(line.split()[2].replace("127.0.0.1", "localhost"))  # the only name the browser resolves
        assert chromium.find_element("css selector", "h1").text == "Knee"
        chromium.execute_script("window.notReloaded = true")
        save(leaflet, leaflet.read_text("utf-8").replace("title: Knee\n", "title: Knee pain\n"))
        watching.wait_for(r"rebuilt in")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if chromium.find_element("css selector", "h1").text == "Knee pain":
                    break
            except Exception:  # the page is between documents
                pass
            time.sleep(0.1)
        assert chromium.find_element("css selector", "h1").text == "Knee pain"
        assert chromium.execute_script("return window.notReloaded") is None
        errors = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []  # no script or connection refused by the page's policy
    finally:
        chromium.execute_cdp_cmd("Network.setBlockedURLs", {"urls": list(BLOCKED_URLS)})
        code, _ = watching.stop()
    assert code == 0


def test_a_port_in_use_is_a_usage_error(leaflet, tmp_path, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["watch", "knee.yaml", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot serve the web pages on port {port}" in err and "--port N" in err
    assert not (tmp_path / "output").exists()  # nothing built either
