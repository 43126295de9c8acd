"""Helpers for testing leaflet's HTML pages in a real browser: headless Debian Chromium driven by Selenium.

Use from pytest: re-export the `chromium` fixture in conftest.py (`from browser import chromium as chromium`), then

    def test_page(chromium):
        open_page(chromium, "output/leaflet.html", PHONE)
        assert horizontal_overflow(chromium) == 0, overflow_message(chromium)
        assert not axe_violations(chromium), format_violations(axe_violations(chromium))

Nothing is downloaded at run time: Chromium and ChromeDriver are Debian's (`install-browser.sh`), axe-core and the
Nu HTML checker (vnu.jar) come from the project's node_modules (`npm ci`). Chromium resolves no host name and
blocks every http(s) and ws(s) request, so neither it nor a page under test reaches the network (a page's attempts
are still seen by `network_requests`).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageStat
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = Path(os.environ.get("LEAFLET_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("LEAFLET_CHROMEDRIVER", "/usr/bin/chromedriver"))
SKIP_ENV = "LEAFLET_SKIP_BROWSER"  # "1": skip the browser tests instead of failing when Chromium is missing

PHONE = 320  # narrowest width WCAG 1.4.10 asks for; headless Chrome windows cannot be this narrow: CDP emulation
DESKTOP = 1280
HEIGHT = 800
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

FLAGS = (
    "--headless=new",
    "--no-sandbox",  # root has no user namespace sandbox
    "--disable-gpu",
    "--disable-background-networking",  # no calls home: the network here is closed
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",  # no DNS look-ups at all (start page, updaters)
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",  # same layout width and screenshots whatever the page's height
    "--force-color-profile=srgb",
    "--lang=en-GB",
    "--window-size=1280,800",
)
BLOCKED_URLS = ("http://*", "https://*", "ws://*", "wss://*", "ftp://*")


def _find_up(relative: str) -> Path | None:
    """`relative` in this file's folder or the nearest folder above it (node_modules sits at the project root)."""
    for folder in Path(__file__).resolve().parents:
        if (folder / relative).is_file():
            return folder / relative
    return None


AXE_JS = _find_up("node_modules/axe-core/axe.min.js")
VNU_JAR = _find_up("node_modules/vnu-jar/build/dist/vnu.jar")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"{path} not found: install Debian's {package} (`make browser` or `sh install-browser.sh`)"
    if AXE_JS is None:
        return "node_modules/axe-core/axe.min.js not found: run `npm ci` at the project root"
    return None


def start_chromium() -> tuple[WebDriver, Path]:
    """A headless Chromium with a fresh profile; returns the driver and the profile folder to delete after quit()."""
    profile = Path(tempfile.mkdtemp(prefix="leaflet-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)  # with the driver path below, Selenium Manager is never run
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # Network.* events for network_requests()
    service = Service(executable_path=str(CHROMEDRIVER), log_output=subprocess.DEVNULL)
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except Exception:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": list(BLOCKED_URLS)})
    return driver, profile


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    """One headless Chromium for the whole session. Fails when Chromium is missing (CI must not go green without
    running these tests); LEAFLET_SKIP_BROWSER=1 turns that into a skip for a machine that cannot install it."""
    problem = missing_browser()
    if problem:
        if os.environ.get(SKIP_ENV) == "1":
            pytest.skip(problem)
        pytest.fail(f"{problem} (or set {SKIP_ENV}=1 to skip the browser tests)", pytrace=False)
    driver, profile = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _metrics(driver: WebDriver, width: int, height: int, scale: float, mobile: bool) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile},
    )


def emulate_media(driver: WebDriver, media: str = "", color_scheme: str = "") -> None:
    """Emulate CSS media: media "print" or "screen", color_scheme "dark" or "light"; "" restores the default."""
    features = [{"name": "prefers-color-scheme", "value": color_scheme}] if color_scheme else []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media, "features": features})


def open_page(driver: WebDriver, path: str | os.PathLike[str], width: int = DESKTOP) -> None:
    """Open a local file at `width` CSS px: below 800 as a phone (mobile viewport rules), else as a desktop.

    Resets emulated media and the network log. Raises AssertionError when the layout viewport is not `width` wide,
    which on a phone means the page lacks <meta name="viewport" content="width=device-width, initial-scale=1">.
    """
    _metrics(driver, width, HEIGHT, 1, mobile=width < 800)
    emulate_media(driver)
    driver.get_log("performance")  # type: ignore[no-untyped-call]  # drop earlier pages' events
    driver.get(Path(path).resolve().as_uri())
    driver.execute_async_script("document.fonts.ready.then(() => arguments[0]())")
    actual = driver.execute_script("return document.documentElement.clientWidth")
    if actual != width:
        raise AssertionError(f"{path}: layout viewport is {actual} CSS px, not {width}: is the viewport meta missing?")


def horizontal_overflow(driver: WebDriver) -> int:
    """How many CSS px the page scrolls sideways (scrollWidth - clientWidth); 0 means no sideways scrolling."""
    width: int = driver.execute_script(
        "const e = document.documentElement; return Math.max(0, e.scrollWidth - e.clientWidth);"
    )
    return width


_WIDE_ELEMENTS_JS = """
const limit = document.documentElement.clientWidth + 0.5;
const clipped = (el) => {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') return true;
  }
  return false;
};
const wide = [...document.body.querySelectorAll('*')].filter(
  (el) => el.getBoundingClientRect().right > limit && !clipped(el));
const describe = (el) => el.localName + (el.id ? '#' + el.id : '')
  + [...el.classList].map((c) => '.' + c).join('')
  + ' (right edge at ' + Math.round(el.getBoundingClientRect().right) + ' px)';
return wide.filter((el) => !wide.includes(el.parentElement)).map(describe);
"""


def wide_elements(driver: WebDriver) -> list[str]:
    """The outermost elements reaching past the right edge of the viewport (not inside a scrolling box)."""
    found: list[str] = driver.execute_script(_WIDE_ELEMENTS_JS)
    return found


def overflow_message(driver: WebDriver) -> str:
    width = driver.execute_script("return document.documentElement.clientWidth")
    culprits = wide_elements(driver)
    shown = "; ".join(culprits[:10]) + (f"; and {len(culprits) - 10} more" if len(culprits) > 10 else "")
    return f"{driver.current_url} scrolls {horizontal_overflow(driver)} px sideways at {width} px: {shown or '?'}"


def zoom_400(driver: WebDriver) -> int:
    """Show the open page as a 1280 x 1024 desktop window zoomed to 400 % and return its sideways overflow.

    Browser zoom divides the CSS viewport by the zoom factor and multiplies devicePixelRatio by it, so 400 % of
    1280 x 1024 device px is a 320 x 256 CSS px viewport at devicePixelRatio 4, with desktop rules (the viewport
    meta is ignored, as on a desktop). This is the equivalence WCAG 1.4.10 Reflow states (1280 px at 400 % = 320 CSS
    px); media queries see 320 px, and a screenshot is 1280 x 1024 device px, as the user sees it.
    """
    _metrics(driver, DESKTOP // 4, 1024 // 4, 4, mobile=False)
    return horizontal_overflow(driver)


_FRAGMENTS_JS = """
const missing = [];
for (const a of document.querySelectorAll('a[href^="#"], area[href^="#"]')) {
  const href = a.getAttribute('href');
  let id = href.slice(1);
  try { id = decodeURIComponent(id); } catch (e) { /* keep it as written */ }
  if (id === '' || id.toLowerCase() === 'top') continue;  /* both mean the top of the page (HTML spec) */
  const named = [...document.getElementsByName(id)].some((el) => el.localName === 'a');
  if (!document.getElementById(id) && !named && !missing.includes(href)) missing.push(href);
}
return missing;
"""


def missing_fragment_targets(driver: WebDriver) -> list[str]:
    """Every href="#x" on the page whose target (an element with id x, or <a name=x>) does not exist."""
    missing: list[str] = driver.execute_script(_FRAGMENTS_JS)
    return missing


def axe_violations(driver: WebDriver, tags: Sequence[str] = WCAG_TAGS) -> list[dict[str, Any]]:
    """axe-core's violations for the open page, limited to rules with these tags (axe's result objects)."""
    if AXE_JS is None:
        raise RuntimeError("node_modules/axe-core/axe.min.js not found: run `npm ci` at the project root")
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        """
        const [tags, done] = arguments;
        axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
          .then((r) => done(r.violations), (e) => done({error: String(e)}));
        """,
        list(tags),
    )
    if isinstance(result, dict):
        raise RuntimeError(f"axe.run failed: {result['error']}")
    violations: list[dict[str, Any]] = result
    return violations


def format_violations(violations: Iterable[dict[str, Any]]) -> str:
    """One paragraph per rule: id, impact, what it asks, then each failing element and why."""
    parts = []
    for rule in violations:
        lines = [f"{rule['id']} ({rule.get('impact') or 'no impact'}): {rule['help']}"]
        for node in rule["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            why = " ".join(node.get("failureSummary", "").split())
            lines.append(f"  {target}: {why}")
        parts.append("\n".join(lines))
    return "\n".join(parts) or "no violations"


def network_requests(driver: WebDriver) -> list[str]:
    """URLs the page asked for since open_page() (or the last call), except the page itself and data: URLs.

    Read from Chrome's performance log (Network.requestWillBeSent). Requests are blocked by the browser but still
    listed, so a self-contained page must give []. Each call drains the log.
    """
    page = driver.current_url
    urls: list[str] = []
    entries: list[dict[str, Any]] = driver.get_log("performance")  # type: ignore[no-untyped-call]
    for entry in entries:
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        url = message["params"]["request"]["url"]
        if url != page and not url.startswith("data:") and url not in urls:
            urls.append(url)
    return urls


def rendered_text(driver: WebDriver) -> str:
    """The page's visible text as the browser lays it out (innerText: no hidden elements, CSS text-transform
    applied), one non-empty line per line, for comparing with the text of the PDF."""
    text: str = driver.execute_script("return document.body.innerText")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def screenshot(driver: WebDriver, path: str | os.PathLike[str], full_page: bool = True) -> Path:
    """Save a PNG of the page, the whole length of it by default, at the emulated width and pixel ratio."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    params: dict[str, Any] = {"format": "png"}
    if full_page:
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        params |= {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        }
    out.write_bytes(base64.b64decode(driver.execute_cdp_cmd("Page.captureScreenshot", params)["data"]))
    return out


def image_difference(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> float | None:
    """Mean absolute difference of two images' RGB pixels, from 0 (same) to 1; None when their sizes differ."""
    with Image.open(a) as first, Image.open(b) as second:
        if first.size != second.size:
            return None
        diff = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
        return sum(ImageStat.Stat(diff).mean) / (3 * 255)


def images_similar(a: str | os.PathLike[str], b: str | os.PathLike[str], tolerance: float = 0.01) -> bool:
    """Loose screenshot comparison: same size and mean absolute pixel difference at most `tolerance` (0 to 1)."""
    difference = image_difference(a, b)
    return difference is not None and difference <= tolerance


def validate_html(paths: Iterable[str | os.PathLike[str]], warnings: bool = False) -> list[str]:
    """Nu HTML checker (vnu.jar from node_modules, run with java) on the files: 'file:line:col: error: message'.

    One Java start for all the files (1 to 3 s): pass every page at once. C1-only JIT starts about twice as fast;
    it needs a bigger thread stack than the default, or vnu fails with StackOverflowError (so does -Xss512k).
    """
    files = [str(p) for p in paths]
    if not files:
        return []
    java = shutil.which("java")
    if java is None or VNU_JAR is None:
        raise RuntimeError("validate_html needs java (11 or newer) and node_modules/vnu-jar: run `npm ci`")
    command = [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR)]
    command += ["--format", "json", "--exit-zero-always"]
    if not warnings:
        command.append("--errors-only")
    done = subprocess.run([*command, *files], capture_output=True, text=True, check=False)
    try:
        messages = json.loads(done.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise RuntimeError(f"vnu.jar failed (exit {done.returncode}): {done.stderr.strip()[:2000]}") from None
    found = []
    for message in messages:
        kind = message.get("subType") or message["type"]  # error, fatal, warning (info/warning), non-document-error
        if message["type"] == "info" and kind != "warning":
            continue
        url = message.get("url", "")
        where = urllib.parse.unquote(url.removeprefix("file:")) if url.startswith("file:") else url
        line = message.get("lastLine", message.get("firstLine", 0))
        column = message.get("firstColumn", message.get("lastColumn", 0))
        found.append(f"{where}:{line}:{column}: {kind}: {message['message']}")
    return found


# Previews for the README (`make previews`): the first screen of each web page at phone and desktop widths.
PREVIEW_COLOURS = 128


def preview(driver: WebDriver, page: str | os.PathLike[str], width: int, target: str | os.PathLike[str]) -> Path:
    """The first screen (width x HEIGHT CSS px) of a page, saved as a small palette PNG."""
    open_page(driver, page, width)
    shot = screenshot(driver, target, full_page=False)
    with Image.open(shot) as image:
        small = image.convert("RGB").quantize(PREVIEW_COLOURS)
    small.save(shot, optimize=True)
    return shot


def preview_name(page: Path, width: int) -> str:
    return f"{page.stem}-web-{width}.png"


def main(argv: list[str]) -> int:
    """python tests/browser.py previews PAGES_DIR OUT_DIR: previews of every page in PAGES_DIR."""
    if len(argv) != 3 or argv[0] != "previews":
        print("usage: python tests/browser.py previews PAGES_DIR OUT_DIR", file=sys.stderr)
        return 2
    problem = missing_browser()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    driver, profile = start_chromium()
    try:
        for page in sorted(Path(argv[1]).glob("*.html")):
            for width in (PHONE, DESKTOP):
                print(preview(driver, page, width, Path(argv[2]) / preview_name(page, width)))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
