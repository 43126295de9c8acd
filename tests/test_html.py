"""The web page read back as HTML: semantic structure, links to the other files, everything inside it, escaping,
the same review notice and dates as the PDF, safe writes and byte-identical rebuilds."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
import yaml
from fontTools.ttLib import TTFont
from PIL import Image

from conftest import CONTENT, DEFAULT_STYLE, build, outputs

PAGES = ("patient", "clinician")


@pytest.fixture(scope="module")
def pages(built) -> dict[str, Path]:
    """The seed's web pages, built beside its PDFs by the default build (conftest.built)."""
    folder = built["patient"].parent
    return {audience: folder / f"sacroiliac-joint-pain-{audience}.html" for audience in PAGES}


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def text(element) -> str:
    return " ".join(element.text_content().split())


# What a build writes.
def test_default_build_writes_a_page_per_audience_after_the_pdfs(tmp_path, capsys):
    assert build(tmp_path) == 0
    printed = [line.split("  ")[0] for line in capsys.readouterr().out.splitlines()]
    names = [Path(line).name for line in printed]
    assert names == [
        "sacroiliac-joint-pain-patient.pdf",
        "sacroiliac-joint-pain-patient-large-print.pdf",
        "sacroiliac-joint-pain-clinician.pdf",
        "sacroiliac-joint-pain-patient.html",
        "sacroiliac-joint-pain-clinician.html",
    ]
    assert outputs(tmp_path) == sorted(names)


def test_build_results_list_format_audience_and_path(tmp_path):
    from datetime import date

    from leaflet.pipeline import BuildOptions
    from leaflet.pipeline import build as run

    result = run([CONTENT], BuildOptions(today=date(2025, 6, 1), style=DEFAULT_STYLE, out=tmp_path))
    listed = [(w.format, w.audience, w.path.name, w.pages is None) for w in result.files[0].written]
    assert listed == [
        ("standard", "patient", "sacroiliac-joint-pain-patient.pdf", False),
        ("large-print", "patient", "sacroiliac-joint-pain-patient-large-print.pdf", False),
        ("standard", "clinician", "sacroiliac-joint-pain-clinician.pdf", False),
        ("html", "patient", "sacroiliac-joint-pain-patient.html", True),
        ("html", "clinician", "sacroiliac-joint-pain-clinician.html", True),
    ]
    assert all(w.size == w.path.stat().st_size for w in result.files[0].written)


def test_format_html_alone_writes_only_pages_but_links_to_the_pdfs(tmp_path):
    assert build(tmp_path, "--format", "html") == 0
    assert outputs(tmp_path) == [
        "sacroiliac-joint-pain-clinician.html",
        "sacroiliac-joint-pain-patient.html",
    ]
    links = [a.get("href") for a in parse(tmp_path / "sacroiliac-joint-pain-patient.html").cssselect(".versions a")]
    assert links == [
        "sacroiliac-joint-pain-patient.pdf",
        "sacroiliac-joint-pain-patient-large-print.pdf",
        "sacroiliac-joint-pain-clinician.html",
    ]


def test_formats_can_be_combined(tmp_path):
    assert build(tmp_path, "--audience", "clinician", "--format", "standard", "--format", "html") == 0
    assert outputs(tmp_path) == [
        "sacroiliac-joint-pain-clinician.html",
        "sacroiliac-joint-pain-clinician.pdf",
    ]


def test_every_link_to_a_file_lands_on_one_the_build_wrote(pages):
    for audience, path in pages.items():
        page = parse(path)
        files = [a.get("href") for a in page.iter("a") if not re.match(r"#|https?:|mailto:|tel:", a.get("href"))]
        assert files, audience
        for href in files:
            assert (path.parent / href).is_file(), href
        other = "clinician" if audience == "patient" else "patient"
        assert f"sacroiliac-joint-pain-{other}.html" in files
        assert f"sacroiliac-joint-pain-{audience}.pdf" in files


def test_links_name_what_they_open(pages):
    labels = [text(a) for a in parse(pages["patient"]).cssselect(".versions a")]
    assert labels == ["Print version (PDF)", "Large print version (PDF)", "Information for clinicians"]
    assert [a.get("type") for a in parse(pages["patient"]).cssselect(".versions a")][:2] == ["application/pdf"] * 2
    assert [text(a) for a in parse(pages["clinician"]).cssselect(".versions a")] == [
        "Print version (PDF)",
        "Information for patients",
    ]


# Semantic structure.
@pytest.mark.parametrize("audience", PAGES)
def test_semantic_structure(pages, audience):
    page = parse(pages[audience])
    assert page.get("lang") == "en-GB"
    assert len(page.cssselect("h1")) == 1 and text(page.cssselect("h1")[0]) == "Sacroiliac joint pain"
    assert len(page.cssselect("main")) == 1 and len(page.cssselect("header")) == 1 and page.cssselect("footer")
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert page.cssselect('meta[name="viewport"]') and page.find(".//title").text.startswith("Sacroiliac joint pain")
    contents = [a.get("href")[1:] for a in page.cssselect("nav.contents a")]
    assert contents == [h.get("id") for h in page.cssselect("main > section > h2") if h.get("id") != "key-points"]
    assert len(contents) == {"patient": 9, "clinician": 8}[audience]  # sections, "Words explained", references, About
    for box in page.cssselect("section.box"):  # key points, callouts, "Words explained": named by their heading
        assert box.get("aria-labelledby") == box.cssselect(".box-title")[0].get("id")
    assert page.cssselect("ul li") and page.cssselect("address")


def test_patient_page_explains_words_and_shows_its_boxes(pages):
    page = parse(pages["patient"])
    terms = [text(dt) for dt in page.cssselect(".glossary dt")]
    assert terms[:2] == ["Arthritis:", "Ligament:"] and len(terms) == len(page.cssselect(".glossary dd"))
    assert not parse(pages["clinician"]).cssselect(".glossary")
    tones = [box.get("class") for box in page.cssselect(".callout")]
    assert "box callout urgent" in tones and "box callout warning" in tones
    assert [h.tag for h in page.cssselect(".callout .box-title")] == ["h3"] * len(tones)


def test_review_notice_and_dates_as_in_the_pdf(pages, texts):
    page = parse(pages["patient"])
    notice = page.cssselect("main > .notice")[0]
    assert text(notice) == "Past its review date (9 December 2021): ask for the latest version"
    assert text(notice) in texts["patient"]
    assert notice.getparent().index(notice) == 0  # the first thing in the main content, before the title
    times = {time.get("datetime"): text(time) for time in page.iter("time")}
    assert times == {"2021-12-09": "9 December 2021", "2019-12-11": "11 December 2019", "2021-12": "December 2021"}
    footer = [text(p) for p in page.cssselect("footer p")]
    assert footer == [
        "Sacroiliac joint pain · Ref sacroiliac-joint-pain · Version 2",
        "Last reviewed 11 December 2019 · Next review December 2021",
    ]
    for line in footer:
        assert line in texts["patient"]


def test_a_current_leaflet_has_no_notice(tmp_path):
    assert build(tmp_path, "--format", "html", "--audience", "patient", "--today", "2021-01-01") == 0
    page = parse(tmp_path / "sacroiliac-joint-pain-patient.html")
    assert not page.cssselect(".notice") and "Past its review date" not in text(page)


def test_citations_are_numbered_as_in_the_pdf_and_link_both_ways(pages, texts):
    page = parse(pages["clinician"])
    citations = page.cssselect("a.cite")
    assert [text(a) for a in citations] == re.findall(r"\[\d[\d,\u2013]*\]", texts["clinician"])[: len(citations)]
    references = page.cssselect(".references li")
    assert [li.get("id") for li in references] == [f"ref-{n}" for n in range(1, len(references) + 1)]
    for cite in citations:
        target = cite.get("href")[1:]
        assert target.startswith("ref-") and page.get_element_by_id(target) is not None
        assert cite.get("title").startswith("Go to reference")
        back = page.get_element_by_id(target).cssselect(f'.backlinks a[href="#{cite.get("id")}"]')
        assert back, f"{target} does not link back to {cite.get('id')}"
    doi = [a.get("href") for a in page.cssselect(".references a") if "doi.org" in a.get("href")]
    assert doi == ["https://doi.org/10.1586/ern.12.148"]


def test_qr_code_and_its_address(pages):
    page = parse(pages["patient"])
    svg = page.cssselect(".online svg")[0]
    assert svg.get("role") == "img" and "https://www.example.org/leaflets/sacroiliac-joint-pain" in text(svg)
    link = page.cssselect(".online a")[0]
    assert link.get("href") == "https://www.example.org/leaflets/sacroiliac-joint-pain"
    assert text(link) == "www.example.org/leaflets/sacroiliac-joint-pain"


def test_qr_code_decodes_to_the_address(pages, tmp_path):
    import zxingcpp

    from leaflet.reading.qr import qr_matrix

    modules = qr_matrix("https://www.example.org/leaflets/sacroiliac-joint-pain")
    size = len(modules) + 8
    image = Image.new("L", (size, size), 255)
    for row, cells in enumerate(modules):
        for col, dark in enumerate(cells):
            if dark:
                image.putpixel((col + 4, row + 4), 0)
    found = zxingcpp.read_barcodes(image.resize((size * 8, size * 8), Image.Resampling.NEAREST))
    assert [f.text for f in found] == ["https://www.example.org/leaflets/sacroiliac-joint-pain"]
    path = parse(pages["patient"]).cssselect(".online svg path")[0].get("d")
    assert path.count("M") == sum(  # one run per stretch of dark modules in a row
        1 for cells in modules for i, dark in enumerate(cells) if dark and (i == 0 or not cells[i - 1])
    )


# Self-contained.
@pytest.mark.parametrize("audience", PAGES)
def test_nothing_is_fetched_from_anywhere(pages, audience):
    source = pages[audience].read_text("utf-8")
    page = parse(pages[audience])
    assert not page.cssselect("script, link, iframe, object, embed, video, audio, source")
    assert all(img.get("src").startswith("data:image/") for img in page.iter("img"))
    assert re.findall(r"url\(([^)]{0,30})", source) and all(
        u.startswith("data:font/woff2;base64,") for u in re.findall(r"url\(([^)]{0,30})", source)
    )
    policy = page.cssselect('meta[http-equiv="Content-Security-Policy"]')[0].get("content")
    assert policy.startswith("default-src 'none';")


def test_fonts_are_embedded_and_cut_down_to_the_page(pages):
    source = pages["patient"].read_text("utf-8")
    fonts = re.findall(r"font-weight: (\d+);[^}]*url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", source)
    assert [weight for weight, _ in fonts] == ["400", "700"]
    page_text = text(parse(pages["patient"]))
    for _, data in fonts:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2"
        assert font["name"].getBestFamilyName() == "Atkinson Hyperlegible"
        covered = {chr(c) for c in font.getBestCmap()}
        assert set(page_text) - {" "} <= covered
        assert len(covered) < 160  # a subset, not the whole font (which has about 280 characters)
        assert len(base64.b64decode(data)) < 12_000


def test_characters_the_main_font_lacks_come_from_the_fallback(tmp_path):
    data = yaml.safe_load(CONTENT.read_text("utf-8"))
    data["sections"][0]["blocks"].insert(0, {"paragraph": "Ŵ ŷ: Croeso. Αλφα βήτα."})
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", "--format", "html", "--audience", "patient", content=content) == 0
    source = (tmp_path / "out" / "sacroiliac-joint-pain-patient.html").read_text("utf-8")
    fallback = re.search(r'font-family: "leaflet fallback"[^}]*base64,([A-Za-z0-9+/=]+)', source)
    assert fallback, "no fallback font"
    covered = {chr(c) for c in TTFont(io.BytesIO(base64.b64decode(fallback.group(1)))).getBestCmap()}
    assert set("Αλφαβήτα") <= covered and "e" not in covered  # only what the main font lacks
    assert "Ŵ ŷ: Croeso. Αλφα βήτα." in text(parse(tmp_path / "out" / "sacroiliac-joint-pain-patient.html"))


def test_cut_fonts_are_kept_between_runs(tmp_path, monkeypatch, pages):
    from leaflet.html import fonts

    cache = tmp_path / "cache"
    monkeypatch.setenv("LEAFLET_CACHE", str(cache))
    fonts.woff2.cache_clear()  # as in a new process
    assert build(tmp_path / "first", "--format", "html") == 0
    kept = sorted((cache / "fonts").iterdir())
    assert len(kept) == 2 and all(p.read_bytes().startswith(b"wOF2") for p in kept)  # regular and bold

    def refuse(*_):
        raise AssertionError("the font was cut again")

    monkeypatch.setattr(fonts, "subset", refuse)
    fonts.woff2.cache_clear()
    assert build(tmp_path / "second", "--format", "html") == 0
    for name in ("sacroiliac-joint-pain-patient.html", "sacroiliac-joint-pain-clinician.html"):
        assert (tmp_path / "second" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()
        assert (tmp_path / "second" / name).read_bytes() == (pages["patient"].parent / name).read_bytes()


def test_fonts_are_cut_the_same_on_every_run(monkeypatch):
    """fontTools stamps a font it saves with the time (or SOURCE_DATE_EPOCH), unless asked not to: a page
    rebuilt on another day, or with a cut made on another day, would differ."""
    from leaflet.html.fonts import ALWAYS, subset
    from leaflet.reading.style import load_theme

    regular = Path(load_theme(DEFAULT_STYLE).fonts["regular"]).read_bytes()
    first = subset(regular, ALWAYS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert subset(regular, ALWAYS) == first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert subset(regular, ALWAYS) == first


def test_a_damaged_or_unwritable_cache_only_costs_time(tmp_path, monkeypatch, pages):
    from leaflet.html import fonts
    from leaflet.reading.cache import cache_folder

    cache = tmp_path / "cache"
    monkeypatch.setenv("LEAFLET_CACHE", str(cache))
    fonts.woff2.cache_clear()
    assert build(tmp_path / "first", "--format", "html", "--audience", "patient") == 0
    for entry in (cache / "fonts").iterdir():
        entry.write_bytes(b"not a font")
    fonts.woff2.cache_clear()
    assert build(tmp_path / "second", "--format", "html", "--audience", "patient") == 0
    name = "sacroiliac-joint-pain-patient.html"
    assert (tmp_path / "second" / name).read_bytes() == pages["patient"].read_bytes()
    assert all(p.read_bytes().startswith(b"wOF2") for p in (cache / "fonts").iterdir())  # made again
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("LEAFLET_CACHE", str(blocked))
    fonts.woff2.cache_clear()
    assert build(tmp_path / "third", "--format", "html", "--audience", "patient") == 0
    assert (tmp_path / "third" / name).read_bytes() == pages["patient"].read_bytes()
    monkeypatch.setenv("LEAFLET_CACHE", "")  # keep nothing
    assert cache_folder("fonts") is None


def test_pictures_are_embedded_and_scaled_for_screens(tmp_path):
    from test_formats import content_with_images

    images = {"photo.jpg": (60, 3000, "JPEG"), "small.png": (40, 200, "PNG")}
    content = content_with_images(tmp_path, images)
    assert build(tmp_path / "out", "--format", "html", "--audience", "patient", content=content) == 0
    page = parse(tmp_path / "out" / "sacroiliac-joint-pain-patient.html")
    shown = {}
    for img in page.iter("img"):
        kind, data = re.match(r"data:image/(\w+);base64,(.*)", img.get("src")).groups()
        raw = base64.b64decode(data)
        with Image.open(io.BytesIO(raw)) as image:
            shown[img.get("alt")] = (kind, image.size[0], int(img.get("width")), raw)
    kind, pixels, width, _ = shown["Test picture photo.jpg"]
    assert kind == "jpeg" and width == round(60 * 96 / 25.4) and pixels == 2 * width  # 3000 px cut to twice
    kind, pixels, width, raw = shown["Test picture small.png"]
    assert kind == "png" and pixels == 200 and raw == (tmp_path / "small.png").read_bytes()  # kept as it is


# Escaping and safety.
def test_text_from_yaml_is_escaped(tmp_path):
    data = yaml.safe_load(CONTENT.read_text("utf-8"))
    hostile = "</style><script>alert(1)</script> & <b>bold</b> \"quoted\" 'single' {{ 7*7 }} {% raw %}"
    data["title"] = hostile
    data["sections"][0]["blocks"].insert(0, {"paragraph": f"Text {hostile}"})
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", "--format", "html", "--audience", "patient", content=content) == 0
    source = (tmp_path / "out" / "sacroiliac-joint-pain-patient.html").read_text("utf-8")
    page = lxml.html.fromstring(source)
    assert not page.cssselect("script, b") and len(page.cssselect("style")) == 1
    assert text(page.cssselect("h1")[0]) == " ".join(hostile.split())
    assert f"Text {' '.join(hostile.split())}" in text(page)
    assert "49" not in text(page.cssselect("h1")[0])  # template syntax in the text is not run


def test_a_failed_build_writes_no_page_and_keeps_the_last_good_one(tmp_path):
    content = tmp_path / "content.yaml"
    shutil.copy(CONTENT, content)
    out = tmp_path / "out"
    assert build(out, content=content) == 0
    good = {name: (out / name).read_bytes() for name in outputs(out)}
    content.write_text(CONTENT.read_text("utf-8").replace("title: Sacroiliac joint pain", "title: [broken"), "utf-8")
    assert build(out, content=content) == 1
    assert {name: (out / name).read_bytes() for name in outputs(out)} == good  # nothing replaced, nothing half-written


def test_a_page_that_cannot_be_written_fails_alone(tmp_path, capsys):
    (tmp_path / "sacroiliac-joint-pain-patient.html").mkdir()  # a folder where the page should go
    assert build(tmp_path) == 1
    err = capsys.readouterr().err
    assert "cannot write sacroiliac-joint-pain-patient.html" in err and "Traceback" not in err
    assert (tmp_path / "sacroiliac-joint-pain-clinician.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [
        "sacroiliac-joint-pain-clinician.pdf",
        "sacroiliac-joint-pain-patient-large-print.pdf",
        "sacroiliac-joint-pain-patient.pdf",
    ]
    assert not list(tmp_path.glob(".*.tmp"))


def test_rebuilds_are_byte_identical(tmp_path, pages):
    assert build(tmp_path, "--format", "html") == 0
    for audience, path in pages.items():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), audience


# Dark mode.
@pytest.mark.parametrize("style", ["default.yaml", "northgate.yaml"])
def test_dark_colours_meet_wcag_aa(style):
    from leaflet.core.theme import contrast_ratio, hex_rgb
    from leaflet.html.palette import dark
    from leaflet.reading.style import load_theme

    theme = load_theme(DEFAULT_STYLE.parent / style)
    colours = dark(theme.colours)
    backgrounds = ["background", "panel", "info-tint", "warning-tint", "urgent-tint"]
    for foreground in ("text", "heading", "link", "muted", "brand"):
        for background in backgrounds:
            ratio = contrast_ratio(hex_rgb(colours[foreground]), hex_rgb(colours[background]))
            assert ratio >= 4.5, (foreground, background, ratio)
    assert colours["band"] == theme.colours["brand"] and colours["notice"] == theme.colours["urgent"]


def test_dark_colours_are_lightened_only_as_much_as_needed():
    from leaflet.core.theme import contrast_ratio, hex_rgb
    from leaflet.html.palette import DARK_PAGE, dark

    colours = dict.fromkeys(("info", "warning", "urgent", "brand", "heading", "link", "muted"), "#000000")
    colours |= {"text": "#000000", "on_brand": "#FFFFFF", "panel": "#EEEEEE", "background": "#FFFFFF"}
    result = dark(colours)
    ratio = contrast_ratio(hex_rgb(result["link"]), hex_rgb(DARK_PAGE))
    assert result["link"] != "#FFFFFF" and 4.5 <= ratio < 7  # black becomes a mid grey, not white
