"""Input files that are not what they seem: pipes, devices, huge sparse files, loops of links, damaged fonts,
files that change during the build. Each is one located line, at once, and never a hang or a traceback."""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from conftest import build
from leaflet.reading.files import MAX_FONT_BYTES, MAX_IMAGE_BYTES, MAX_YAML_BYTES
from leaflet.reading.style import builtin_font_path

GOOD = """id: demo
title: Demo
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
sections:
  - heading: Hello
    blocks:
      - paragraph: Text.
"""
WITH_IMAGE = GOOD + "      - image: {file: pic.png, alt: A picture}\n"
HUGE = 3_000_000_000  # a sparse file: no disk space, but far over every limit


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A test that would block for ever (a named pipe read with no writer) fails after 20 s instead."""

    def stop(_signal: int, _frame: object) -> None:
        raise TimeoutError("the build hung")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def make_fifo(path: Path) -> str:
    os.mkfifo(path)
    return "is a named pipe (FIFO), not a"


def make_device(path: Path) -> str:
    try:
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # the device /dev/zero is
    except PermissionError:
        pytest.skip("making a device node needs root")
    return "is a device, not a"


def make_huge(path: Path) -> str:
    with path.open("wb") as handle:
        handle.truncate(HUGE)
    return f"is {HUGE:,} bytes; the limit is"


def make_loop(path: Path) -> str:
    path.symlink_to(path.name)
    return "is a symbolic link that leads round in a loop"


def make_folder(path: Path) -> str:
    path.mkdir()
    return "is a folder, not a"


def make_dangling(path: Path) -> str:
    path.symlink_to("nowhere")
    return "is a symbolic link to a file that does not exist"


SPECIAL: dict[str, Callable[[Path], str]] = {
    "fifo": make_fifo,
    "device": make_device,
    "huge": make_huge,
    "loop": make_loop,
    "folder": make_folder,
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("special", SPECIAL)
def test_a_content_file_that_is_not_a_regular_file(tmp_path, capsys, special):
    content = tmp_path / "content.yaml"
    said = SPECIAL[special](content)
    if special == "folder":  # a folder given to build is a library, and this one holds no leaflets
        said = "no leaflets in this folder"
    assert build(tmp_path / "out", content=content) == 1
    err = capsys.readouterr().err
    assert f"{content}: error: {said}" in err
    if special == "huge":
        assert f"the limit is {MAX_YAML_BYTES:,}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("special", SPECIAL)
def test_a_style_file_that_is_not_a_regular_file(tmp_path, capsys, special):
    style = tmp_path / "style.yaml"
    said = SPECIAL[special](style)
    content = write(tmp_path / "content.yaml", GOOD)
    assert build(tmp_path / "out", content=content, style=style) == 1
    err = capsys.readouterr().err
    assert f"{style}: error: {said}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("special", [*SPECIAL, "dangling"])
def test_a_font_that_is_not_a_regular_file(tmp_path, capsys, special):
    font = tmp_path / "brand.ttf"
    said = {**SPECIAL, "dangling": make_dangling}[special](font)
    if special == "dangling":
        said = "not found"  # followed, the link leads to a file that is not there
    style = write(tmp_path / "style.yaml", "organisation: Clinic\nfonts:\n  regular: brand.ttf\n")
    content = write(tmp_path / "content.yaml", GOOD)
    assert build(tmp_path / "out", content=content, style=style) == 1
    err = capsys.readouterr().err
    assert f"{style}:3:12: error: fonts.regular: font" in err and "'brand.ttf'" in err and said in err
    if special == "huge":
        assert f"the limit is {MAX_FONT_BYTES:,}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("special", [*SPECIAL, "dangling"])
def test_an_image_that_is_not_a_regular_file(tmp_path, capsys, special):
    said = {**SPECIAL, "dangling": make_dangling}[special](tmp_path / "pic.png")
    if special == "dangling":
        said = "file 'pic.png' not found"  # followed, the link leads to a file that is not there
    content = write(tmp_path / "content.yaml", WITH_IMAGE)
    assert build(tmp_path / "out", content=content) == 1
    err = capsys.readouterr().err
    assert f"{content}:9:23: error: sections[0].blocks[1].image.file: image" in err
    assert said in err, err
    if special == "huge":
        assert f"the limit is {MAX_IMAGE_BYTES:,}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("special", SPECIAL)
def test_a_logo_that_is_not_a_regular_file(tmp_path, capsys, special):
    said = SPECIAL[special](tmp_path / "logo.png")
    style = write(tmp_path / "style.yaml", "organisation: Clinic\nlogo: logo.png\n")
    content = write(tmp_path / "content.yaml", GOOD)
    assert build(tmp_path / "out", content=content, style=style) == 1
    err = capsys.readouterr().err
    assert f"{style}:2:7: error: logo: logo 'logo.png' {said}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
@pytest.mark.parametrize("what", ["content", "font", "image"])
def test_a_file_that_cannot_be_read_says_so(tmp_path, capsys, what):
    content = write(tmp_path / "content.yaml", WITH_IMAGE)
    Image.new("RGB", (40, 30)).save(tmp_path / "pic.png")
    font = tmp_path / "brand.ttf"
    font.write_bytes(builtin_font_path("atkinson-hyperlegible").read_bytes())
    style = write(tmp_path / "style.yaml", "organisation: Clinic\nfonts:\n  regular: brand.ttf\n")
    locked = {"content": content, "font": font, "image": tmp_path / "pic.png"}[what]
    locked.chmod(0)
    assert build(tmp_path / "out", content=content, style=style) == 1
    err = capsys.readouterr().err
    assert "cannot be read (Permission denied)" in err and "damaged" not in err and "Traceback" not in err


def real_font() -> bytes:
    return builtin_font_path("atkinson-hyperlegible").read_bytes()


def damaged_fonts() -> dict[str, bytes]:
    data = real_font()
    middle = len(data) // 2
    return {
        "first 5,000 bytes": data[:5000],
        "first half": data[:middle],
        "all but the last 100 bytes": data[:-100],
        "a header and zeros": data[:4] + bytes(100_000),
        "zeros in the middle": data[:middle] + bytes(4000) + data[middle + 4000 :],
        "the table directory scrambled": data[:12] + bytes(reversed(data[12:400])) + data[400:],
        "nothing": b"",
    }


@pytest.mark.parametrize("damage", damaged_fonts())
def test_a_damaged_font_is_a_located_error_or_builds(tmp_path, capsys, damage):
    (tmp_path / "brand.ttf").write_bytes(damaged_fonts()[damage])
    style = write(tmp_path / "style.yaml", "organisation: Clinic\nfonts:\n  regular: brand.ttf\n")
    content = write(tmp_path / "content.yaml", GOOD)
    code = build(tmp_path / "out", content=content, style=style)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 1:
        assert f"{style}:3:12: error: fonts.regular: font 'brand.ttf' " in err
        assert not (tmp_path / "out").exists()
    else:  # damage in a table the PDF does not use
        assert code == 0 and len(list((tmp_path / "out").glob("*.pdf"))) == 3


def test_the_check_command_reports_a_font_loop_too(tmp_path, capsys):
    from leaflet.cli import main

    make_loop(tmp_path / "loop.ttf")
    style = write(tmp_path / "style.yaml", "organisation: Clinic\nfonts:\n  bold: loop.ttf\n")
    content = write(tmp_path / "content.yaml", GOOD)
    assert main(["check", str(content), "--style", str(style)]) == 1
    out = capsys.readouterr().out
    assert f"{style}:3:9: error: fonts.bold: font 'loop.ttf' is a symbolic link that leads round in a loop" in out


def delete_after_first_pdf(monkeypatch, victim: Path) -> None:
    """Delete victim as soon as the first PDF of the build is in place."""
    import leaflet.core.outputs as outputs

    real = os.replace

    class Os:
        def __getattr__(self, name: str):
            return getattr(os, name)

        @staticmethod
        def replace(source, target) -> None:
            real(source, target)
            victim.unlink(missing_ok=True)  # the worker processes of a build share the hook

    monkeypatch.setattr(outputs, "os", Os())


def test_an_image_deleted_during_the_build_is_named_and_located(tmp_path, capsys, monkeypatch):
    Image.new("RGB", (40, 30), (0, 90, 180)).save(tmp_path / "pic.png")
    content = write(tmp_path / "content.yaml", WITH_IMAGE)
    delete_after_first_pdf(monkeypatch, tmp_path / "pic.png")
    assert build(tmp_path / "out", content=content) == 1
    err = capsys.readouterr().err
    assert f"{content}:9:9: error: image 'pic.png' cannot be used any more" in err
    assert "changed or deleted during the build" in err
    assert "--out" not in err and "Traceback" not in err
    # The versions finished before the picture went are complete; the one that needed it is not written.
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "demo-patient.pdf" in names and not [name for name in names if name.endswith(".tmp")]
    assert len(names) < 3 and not [name for name in names if name.endswith(".html")]


def test_a_logo_deleted_during_the_build_is_named_and_located(tmp_path, capsys, monkeypatch):
    Image.new("RGB", (60, 30), (250, 250, 250)).save(tmp_path / "logo.png")
    style = write(tmp_path / "style.yaml", "organisation: Clinic\nlogo: logo.png\n")
    content = write(tmp_path / "content.yaml", GOOD)
    delete_after_first_pdf(monkeypatch, tmp_path / "logo.png")
    assert build(tmp_path / "out", content=content, style=style) == 1
    err = capsys.readouterr().err
    assert f"{style}:2:7: error: logo: image 'logo.png' cannot be used any more" in err
    assert "--out" not in err and "Traceback" not in err
