"""The browser harness (browser.py) catches each defect of data/html/bad.html and passes data/html/good.html."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import browser
from browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    emulate_media,
    format_violations,
    horizontal_overflow,
    image_difference,
    images_similar,
    missing_fragment_targets,
    network_requests,
    open_page,
    overflow_message,
    rendered_text,
    screenshot,
    validate_html,
    wide_elements,
    zoom_400,
)
from conftest import ROOT

SAMPLES = Path(__file__).resolve().parent / "data" / "html"
GOOD = SAMPLES / "good.html"
BAD = SAMPLES / "bad.html"


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $LEAFLET_SCREENSHOTS to keep them (to look at), else a temporary folder."""
    kept = os.environ.get("LEAFLET_SCREENSHOTS")
    return Path(kept) if kept else tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_open_page_sets_the_layout_width(chromium: WebDriver, width: int) -> None:
    open_page(chromium, GOOD, width)
    assert chromium.execute_script("return document.documentElement.clientWidth") == width
    assert chromium.current_url == GOOD.as_uri()


def test_open_page_refuses_a_phone_page_without_viewport_meta(chromium: WebDriver, tmp_path: Path) -> None:
    page = tmp_path / "no-viewport.html"
    page.write_text(GOOD.read_text(encoding="utf-8").replace('<meta name="viewport"', '<meta name="x-viewport"'))
    with pytest.raises(AssertionError, match="layout viewport is 980 CSS px, not 320"):
        open_page(chromium, page, PHONE)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_good_page_does_not_scroll_sideways(chromium: WebDriver, width: int) -> None:
    open_page(chromium, GOOD, width)
    assert horizontal_overflow(chromium) == 0, overflow_message(chromium)
    assert wide_elements(chromium) == []


def test_wide_table_scrolls_sideways_at_320(chromium: WebDriver) -> None:
    open_page(chromium, BAD, PHONE)
    assert horizontal_overflow(chromium) > 250  # a 600 px table in a 320 px viewport, less the body's padding
    culprits = wide_elements(chromium)
    assert len(culprits) == 1 and culprits[0].startswith("table.doses (right edge at "), culprits
    assert "table.doses" in overflow_message(chromium)
    open_page(chromium, BAD, DESKTOP)
    assert horizontal_overflow(chromium) == 0  # the same page is fine on a desktop


def test_zoom_400_is_a_320_css_px_viewport_at_pixel_ratio_4(chromium: WebDriver) -> None:
    open_page(chromium, GOOD, DESKTOP)
    assert zoom_400(chromium) == 0
    assert chromium.execute_script("return [innerWidth, innerHeight, devicePixelRatio]") == [320, 256, 4]
    assert chromium.execute_script("return matchMedia('(max-width: 30rem)').matches")  # the phone CSS applies
    open_page(chromium, BAD, DESKTOP)
    assert zoom_400(chromium) > 250, overflow_message(chromium)


def test_fragment_links(chromium: WebDriver) -> None:
    open_page(chromium, GOOD)
    assert missing_fragment_targets(chromium) == []
    assert chromium.execute_script("return document.querySelectorAll('a[href^=\"#\"]').length") == 5
    open_page(chromium, BAD)
    assert missing_fragment_targets(chromium) == ["#dosage"]  # "#warnings" has its target


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_good_page_has_no_axe_violations(chromium: WebDriver, width: int, scheme: str) -> None:
    open_page(chromium, GOOD, width)
    emulate_media(chromium, color_scheme=scheme)
    expected_background = "rgb(18, 18, 18)" if scheme == "dark" else "rgb(255, 255, 255)"
    assert chromium.execute_script("return getComputedStyle(document.body).backgroundColor") == expected_background
    violations = axe_violations(chromium)
    assert violations == [], format_violations(violations)


def test_axe_finds_the_contrast_failure_and_the_missing_alt(chromium: WebDriver) -> None:
    open_page(chromium, BAD, PHONE)
    violations = axe_violations(chromium)
    by_rule = {rule["id"]: rule for rule in violations}
    assert set(by_rule) == {"color-contrast", "image-alt"}, format_violations(violations)
    assert [node["target"] for node in by_rule["color-contrast"]["nodes"]] == [[".faint"]]
    summary = format_violations(violations)
    assert "color-contrast (serious)" in summary and "2.32" in summary
    assert "image-alt (critical)" in summary


def test_axe_checks_dark_mode_colours_too(chromium: WebDriver, tmp_path: Path) -> None:
    # good.html with its dark link colour made too dark to read on the dark background
    page = tmp_path / "dark-contrast.html"
    page.write_text(GOOD.read_text(encoding="utf-8").replace("--link: #9cc9ff", "--link: #1d3f66"))
    open_page(chromium, page)
    assert axe_violations(chromium) == []
    emulate_media(chromium, color_scheme="dark")
    assert {rule["id"] for rule in axe_violations(chromium)} == {"color-contrast"}


def test_network_requests(chromium: WebDriver) -> None:
    open_page(chromium, GOOD, PHONE)
    assert network_requests(chromium) == []
    open_page(chromium, BAD, PHONE)
    assert network_requests(chromium) == ["https://images.example.invalid/logo.png"]
    # blocked by the browser: the image never loads, whatever the network
    assert chromium.execute_script("return document.images[0].naturalWidth") == 0


def test_network_requests_sees_local_files_and_ip_addresses(chromium: WebDriver, tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("body { color: #000; }")
    page = tmp_path / "fetches.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title><link rel="stylesheet" href="style.css"></head>'
        '<body><img alt="" src="http://192.0.2.1/pixel.gif"></body></html>'
    )
    open_page(chromium, page)
    assert network_requests(chromium) == [(tmp_path / "style.css").as_uri(), "http://192.0.2.1/pixel.gif"]


def test_validator(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><p id=a><p id=a></body></html>")
    errors = validate_html([GOOD, BAD, broken])  # one Java start for all three; good.html gives nothing
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"{BAD}:25:3: error: An “img” element must have an “alt” attribute")
    assert errors[1] == f"{broken}:1:65: error: Duplicate ID “a”."
    warnings = validate_html([broken], warnings=True)  # the missing lang is only a warning
    assert any(f"{broken}:1:16: warning: Consider adding a “lang” attribute" in w for w in warnings), warnings
    assert validate_html([]) == []


def test_rendered_text(chromium: WebDriver) -> None:
    open_page(chromium, GOOD)
    text = rendered_text(chromium)
    lines = text.splitlines()
    assert "Taking your blood pressure tablets" in lines
    assert "Feeling dizzy\tCommon\tSit or lie down until it passes." in lines  # a table row: cells split by tabs
    assert "Example Hospital logo" not in text  # an SVG title is not visible text
    assert "--text" not in text and "Leaflet reference PIL-0001. Review date: December 2027." in lines
    emulate_media(chromium, media="print")
    printed = rendered_text(chromium)
    assert "Skip to content" in text and "Skip to content" not in printed  # the print stylesheet hides it
    assert "How to take them\nSide effects" in text and "How to take them\nSide effects" not in printed  # nav


def test_print_stylesheet_prints_black_on_white(chromium: WebDriver) -> None:
    open_page(chromium, GOOD)
    emulate_media(chromium, media="print", color_scheme="dark")
    style = "const s = getComputedStyle(document.querySelector('h2')); return [s.color, s.backgroundColor]"
    assert chromium.execute_script(style) == ["rgb(0, 0, 0)", "rgba(0, 0, 0, 0)"]
    assert chromium.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    after = "return getComputedStyle(document.querySelector('a[href^=\"tel:\"]'), '::after').content"
    assert chromium.execute_script(after) == '" (tel:+441234567890)"'  # the number is printed after the link


def test_screenshots_of_the_good_page(chromium: WebDriver, shots: Path) -> None:
    sizes = {}
    for width in (PHONE, DESKTOP):
        open_page(chromium, GOOD, width)
        first = screenshot(chromium, shots / f"good-{width}.png")
        again = screenshot(chromium, shots / f"good-{width}-again.png")
        with Image.open(first) as image:
            sizes[width] = image.size
        assert images_similar(first, again, tolerance=0.001)
    assert sizes[PHONE][0] == PHONE and sizes[DESKTOP][0] == DESKTOP
    assert sizes[PHONE][1] > sizes[DESKTOP][1]  # the text wraps into more lines on the phone
    assert not images_similar(shots / "good-320.png", shots / "good-1280.png")
    open_page(chromium, GOOD, DESKTOP)
    zoom_400(chromium)
    with Image.open(screenshot(chromium, shots / "good-zoom400.png")) as image:
        assert image.width == DESKTOP  # 320 CSS px at devicePixelRatio 4


def test_dark_mode_screenshot_differs(chromium: WebDriver, shots: Path) -> None:
    open_page(chromium, GOOD, PHONE)
    light = screenshot(chromium, shots / "good-320-light.png", full_page=False)
    emulate_media(chromium, color_scheme="dark")
    dark = screenshot(chromium, shots / "good-320-dark.png", full_page=False)
    difference = image_difference(light, dark)
    assert difference is not None and difference > 0.5  # mostly white turned mostly near-black


def test_keyboard_focus_is_visible(chromium: WebDriver, shots: Path) -> None:
    open_page(chromium, GOOD, DESKTOP)
    before = screenshot(chromium, shots / "focus-none.png", full_page=False)
    chromium.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)  # first stop: the skip link
    assert chromium.execute_script("return document.activeElement.textContent") == "Skip to content"
    skip = screenshot(chromium, shots / "focus-skip-link.png", full_page=False)
    chromium.switch_to.active_element.send_keys(Keys.TAB)
    link = screenshot(chromium, shots / "focus-first-link.png", full_page=False)
    assert not images_similar(before, skip, tolerance=0.0005)  # the skip link slides into view
    assert not images_similar(skip, link, tolerance=0.0005)  # the focused link is highlighted


def test_images_similar_is_loose_but_not_blind(tmp_path: Path) -> None:
    base = Image.new("RGB", (200, 100), "white")
    ImageDraw.Draw(base).text((10, 40), "Take one tablet", fill="black")
    base.save(tmp_path / "a.png")
    shifted = base.copy()
    shifted.putpixel((0, 0), (250, 250, 250))  # one pixel a little off: anti-aliasing noise
    shifted.save(tmp_path / "b.png")
    Image.new("RGB", (200, 100), "black").save(tmp_path / "c.png")
    Image.new("RGB", (201, 100), "white").save(tmp_path / "d.png")
    assert images_similar(tmp_path / "a.png", tmp_path / "b.png")
    assert image_difference(tmp_path / "a.png", tmp_path / "a.png") == 0
    assert not images_similar(tmp_path / "a.png", tmp_path / "c.png")
    assert image_difference(tmp_path / "a.png", tmp_path / "d.png") is None  # sizes differ


def test_missing_browser_is_reported_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert browser.missing_browser() is None
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    problem = browser.missing_browser()
    assert problem is not None and "install Debian's chromium" in problem and "install-browser.sh" in problem
    monkeypatch.setattr(browser, "CHROMIUM", Path(shutil.which("chromium") or "/usr/bin/chromium"))
    monkeypatch.setattr(browser, "AXE_JS", None)
    assert "npm ci" in (browser.missing_browser() or "")


@pytest.mark.parametrize(("skip", "outcome"), [("", "1 error"), ("1", "1 skipped")])
def test_fixture_without_chromium_fails_or_skips(skip: str, outcome: str) -> None:
    env = {**os.environ, "LEAFLET_CHROMIUM": "/nonexistent/chromium", "LEAFLET_SKIP_BROWSER": skip}
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", __file__, "-k", "fragment_links"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    assert outcome in done.stdout, done.stdout
    assert "/nonexistent/chromium not found: install Debian's chromium" in done.stdout
