"""Properties of the PDF files themselves: page size, fonts, metadata, links, outline, determinism."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from conftest import CONTENT, DEFAULT_STYLE, ROOT

A4 = (595.2756, 841.8898)


def test_every_page_is_a4(built):
    for path in built.values():
        for page in PdfReader(path).pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert abs(width - A4[0]) < 0.5 and abs(height - A4[1]) < 0.5


def _fonts(resources, seen=None):
    """Every font dictionary reachable from a resources dictionary, including inside form XObjects."""
    seen = seen if seen is not None else set()
    resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
    if not resources:
        return
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _fonts(xobject["/Resources"], seen)


def test_every_font_is_embedded(built):
    for path in built.values():
        names = set()
        for page in PdfReader(path).pages:
            for font in _fonts(page.get("/Resources")):
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
                assert descriptor is not None, f"{font.get('/BaseFont')} has no descriptor (not embedded)"
                descriptor = descriptor.get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
                names.add(str(font["/BaseFont"]))
        assert names, "no fonts found"
        assert not any("Helvetica" in name or "Times" in name for name in names)


def test_body_text_uses_atkinson_hyperlegible(built):
    reader = PdfReader(built["patient"])
    names = {str(f["/BaseFont"]) for page in reader.pages for f in _fonts(page.get("/Resources"))}
    assert any("AtkinsonHyperlegible-Regular" in n for n in names), names
    assert any("AtkinsonHyperlegible-Bold" in n for n in names), names


def test_metadata(built):
    for audience, path in built.items():
        reader = PdfReader(path)
        info = reader.metadata
        assert info.title == "Sacroiliac joint pain"
        assert info.author == "Riverside Community Health"
        assert f"Information for {audience}s" in info.subject
        assert "sacroiliac joint" in info["/Keywords"]
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en-GB"
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] is True or root["/ViewerPreferences"]["/DisplayDocTitle"]


def _link_targets(path: Path) -> set[str]:
    targets = set()
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                targets.add(str(action["/URI"]))
    return targets


def test_links_for_web_email_phone_doi(built):
    for path in built.values():
        targets = _link_targets(path)
        assert "tel:01632960123" in targets
        assert "mailto:physio@example.org" in targets
        assert "https://www.example.org/physio" in targets
        assert "https://doi.org/10.1586/ern.12.148" in targets
        assert "https://pubmed.ncbi.nlm.nih.gov/23253394/" in targets
        assert "https://www.example.org/leaflets/sacroiliac-joint-pain" in targets


def test_outline_lists_the_headings(built):
    reader = PdfReader(built["clinician"])
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert titles[0] == "Sacroiliac joint pain"
    for heading in ("Anatomy of the sacroiliac joint", "Symptoms of sacroiliac joint pain", "References"):
        assert heading in titles


def _build_in_subprocess(out: Path, epoch: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    command = [sys.executable, "-m", "leaflet", "build", str(CONTENT), "--style", str(DEFAULT_STYLE), "--out", str(out)]
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True)


@pytest.mark.parametrize("epoch", ["1700000000"])
def test_rebuilds_are_byte_identical(tmp_path, epoch):
    _build_in_subprocess(tmp_path / "a", epoch)
    _build_in_subprocess(tmp_path / "b", epoch)
    for first in (tmp_path / "a").glob("*.pdf"):
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes(), first.name


def test_creation_date_follows_source_date_epoch(tmp_path):
    _build_in_subprocess(tmp_path / "fixed", "1700000000")  # 2023-11-14 22:13:20 UTC
    reader = PdfReader(next((tmp_path / "fixed").glob("*.pdf")))
    assert reader.metadata["/CreationDate"].startswith("D:20231114")
    _build_in_subprocess(tmp_path / "now", None)
    reader = PdfReader(next((tmp_path / "now").glob("*.pdf")))
    from datetime import UTC, datetime

    assert reader.metadata["/CreationDate"].startswith("D:" + datetime.now(UTC).strftime("%Y"))


def test_characters_the_main_font_lacks_use_the_embedded_fallback(tmp_path):
    from conftest import build, pdf_text

    content = tmp_path / "welsh.yaml"
    content.write_text(
        "id: welsh\ntitle: Gwybodaeth\nlanguage: cy-GB\n"
        "review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}\n"
        "sections:\n  - heading: Dŵr a mŷg\n    blocks:\n      - paragraph: 'Yfwch ddŵr; β-blocker dose ≥ 5 mg.'\n",
        encoding="utf-8",
    )
    assert (
        build(
            tmp_path / "out",
            content=content,
        )
        == 0
    )
    path = tmp_path / "out" / "welsh-patient.pdf"
    text = pdf_text(path)
    assert "Yfwch ddŵr; β-blocker dose ≥ 5 mg." in text and "Dŵr a mŷg" in text
    names = {str(f["/BaseFont"]) for page in PdfReader(path).pages for f in _fonts(page.get("/Resources"))}
    assert any("NotoSans" in name for name in names), names
