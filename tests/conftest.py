"""Shared fixtures: the seed leaflet built once per test session, helpers to read PDFs back, and a browser."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from pypdf import PdfReader

from browser import chromium as chromium  # the session's headless Chromium, for the tests of the web pages

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content.yaml"
DEFAULT_STYLE = ROOT / "styles" / "default.yaml"
FIXED_EPOCH = "1700000000"
STANDARD = ("patient", "clinician")
VARIANTS = (*STANDARD, "patient-large-print")  # what `leaflet build` makes from the seed by default

# The smallest leaflet that builds: for tests about files and runs rather than content.
GOOD = """id: demo
title: Demo
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
sections:
  - heading: Hello
    blocks: [{paragraph: Text.}]
"""


def takes_ctrl_c() -> None:
    """preexec_fn for a child process that a test stops with Ctrl-C (SIGINT): the child takes it as a program run
    from a terminal does, even when the tests run in the background, where the shell ignores SIGINT for its
    children (and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def normalise(text: str) -> str:
    return " ".join(text.split())


def outputs(folder: Path) -> list[str]:
    """The names of the files a build wrote into folder, in order: not its hidden build manifest."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".leaflet-manifest.json")


def pdf_text(path: Path) -> str:
    return normalise(" ".join(page.extract_text() for page in PdfReader(path).pages))


def build(tmp: Path, *args: str, content: Path = CONTENT, style: Path = DEFAULT_STYLE) -> int:
    from leaflet.cli import main

    return main(["build", str(content), "--style", str(style), "--out", str(tmp), *args])


TEST_TODAY_EPOCH = "1748736000"  # 2025-06-01: review dates in test content are checked against a fixed day


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory):
    """The session keeps what leaflet caches between runs (fonts cut for web pages) in a folder of its own, empty
    at the start: nothing is read from or left in the user's cache."""
    previous = os.environ.get("LEAFLET_CACHE")
    os.environ["LEAFLET_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield Path(os.environ["LEAFLET_CACHE"])
    if previous is None:
        del os.environ["LEAFLET_CACHE"]
    else:
        os.environ["LEAFLET_CACHE"] = previous


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """The syllable table is built into a cache folder of the test session's own, never the user's; subprocesses
    the tests start inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Tests do not depend on the clock: 'today' (and the PDFs' dates) come from SOURCE_DATE_EPOCH."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TEST_TODAY_EPOCH)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every variant of the seed (both audiences, large print for patients), with a fixed SOURCE_DATE_EPOCH."""
    out = tmp_path_factory.mktemp("built")
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        assert build(out) == 0
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return {variant: out / f"sacroiliac-joint-pain-{variant}.pdf" for variant in VARIANTS}


@pytest.fixture(scope="session")
def texts(built) -> dict[str, str]:
    return {variant: pdf_text(path) for variant, path in built.items()}


def seed_sentences() -> list[str]:
    """Every prose sentence and list item of the seed text (not its reference list or dates)."""
    seed = (Path(__file__).parent / "data" / "seed.txt").read_text("utf-8")
    body = seed.split("  1. Greis")[0]
    sentences = []
    for line in body.splitlines():
        line = normalise(line.replace("\u2022", ""))
        if not line:
            continue
        sentences += [s for s in re.split(r"(?<=[.?])\s+", line) if s]
    return sentences
