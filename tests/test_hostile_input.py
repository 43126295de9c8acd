"""Input that tries to do harm or to be read as something else: YAML bombs and objects, escaping images, markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, build, pdf_text
from leaflet.core.errors import LeafletError
from leaflet.reading.content import load_leaflet
from leaflet.reading.loader import parse_yaml

HEAD = """id: demo
title: Demo
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
"""


def billion_laughs(levels: int = 10) -> str:
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_it_is_expanded():
    # Ten levels of ten: expanded, this would be 10**9 strings; refused, it is one message.
    with pytest.raises(LeafletError) as caught:
        parse_yaml(billion_laughs().encode(), "bomb.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert "aliases" in diagnostic.message and "used again at l1[0]" in diagnostic.message
    assert (diagnostic.location.line, diagnostic.location.column, diagnostic.key_path) == (1, 5, "l0")


def test_yaml_that_would_run_code_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "owned"
    text = f'id: !!python/object/apply:os.mkdir ["{marker}"]\n'
    with pytest.raises(LeafletError) as caught:
        parse_yaml(text.encode(), "evil.yaml")
    assert "the YAML tag '!!python/object/apply:os.mkdir' is not allowed" in caught.value.diagnostics[0].message
    assert not marker.exists()


def content_with_image(folder: Path, file: str) -> Path:
    path = folder / "content.yaml"
    path.write_text(HEAD + f"sections:\n  - heading: H\n    blocks:\n      - image: {{file: '{file}', alt: A}}\n")
    return path


def png(path: Path, size: tuple[int, int] = (40, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (10, 120, 200)).save(path)
    return path


def test_a_symlink_that_leads_outside_is_refused(tmp_path):
    outside = png(tmp_path / "elsewhere" / "secret.png")
    folder = tmp_path / "leaflet"
    folder.mkdir()
    (folder / "picture.png").symlink_to(outside)
    with pytest.raises(LeafletError) as caught:
        load_leaflet(content_with_image(folder, "picture.png"))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message == "image 'picture.png' is a link to a file outside the content's folder"
    assert diagnostic.key_path == "sections[0].blocks[0].image.file"


def test_a_symlinked_folder_that_leads_outside_is_refused(tmp_path):
    png(tmp_path / "elsewhere" / "secret.png")
    folder = tmp_path / "leaflet"
    folder.mkdir()
    (folder / "pictures").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(LeafletError) as caught:
        load_leaflet(content_with_image(folder, "pictures/secret.png"))
    assert "is a link to a file outside" in caught.value.diagnostics[0].message


def test_images_inside_the_content_folder_are_allowed_however_named(tmp_path):
    folder = tmp_path / "leaflet"
    png(folder / "pictures" / "a.png")
    (folder / "link.png").symlink_to(folder / "pictures" / "a.png")
    for name in ("pictures/a.png", "./pictures/../pictures/a.png", "link.png", str(folder / "pictures" / "a.png")):
        leaflet, _ = load_leaflet(content_with_image(folder, name))
        assert leaflet.sections[0].blocks[0].path == str((folder / "pictures" / "a.png").resolve())


def test_images_may_come_from_the_style_folder(tmp_path):
    logo = png(tmp_path / "brand" / "logo.png")
    folder = tmp_path / "leaflet"
    folder.mkdir()
    content = content_with_image(folder, "../brand/logo.png")
    with pytest.raises(LeafletError):
        load_leaflet(content)  # not without the style folder
    leaflet, _ = load_leaflet(content, image_folders=(logo.parent,))
    assert leaflet.sections[0].blocks[0].path == str(logo.resolve())


MARKUP = ["AT&T", "x < 5 & y > 3", "<b>unclosed", "&copy; 2024", '<font name="x">big</font>', "a</para>b", "&#169;"]


def test_text_that_looks_like_markup_is_printed_exactly_as_written(tmp_path):
    quoted = [text.replace("'", "''") for text in MARKUP]
    style = tmp_path / "style.yaml"
    style.write_text("organisation: 'R&D <i>Clinic</i>'\ndepartment: '&amp; physio'\n")
    content = tmp_path / "content.yaml"
    content.write_text(
        HEAD.replace("title: Demo", f"title: '{quoted[0]} leaflet'")
        + f"""sections:
  - heading: '{quoted[1]}'
    blocks:
      - paragraph: '{quoted[2]} [@a]'
      - bullets: ['{quoted[3]}', '{quoted[4]}']
      - callout: {{title: '{quoted[5]}', blocks: [{{paragraph: '{quoted[6]}'}}]}}
references:
  - {{id: a, title: '{quoted[2]} & <i>journal</i>'}}
"""
    )
    assert build(tmp_path / "out", content=content, style=style) == 0
    text = pdf_text(tmp_path / "out" / "demo-clinician.pdf")
    for written in [*MARKUP, "R&D <i>Clinic</i>", "&amp; physio", "<b>unclosed & <i>journal</i>"]:
        assert written in text, written


def test_characters_no_font_has_in_the_style_are_reported_too(tmp_path, capsys):
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic \U0001f3e5\n")
    content = tmp_path / "content.yaml"
    content.write_text(HEAD + "sections:\n  - heading: H\n    blocks: [{paragraph: Text.}]\n")
    assert build(tmp_path / "out", content=content, style=style) == 1
    err = capsys.readouterr().err
    where = f"{style}:1:22: error: organisation"  # the line and column of the character itself
    assert f"{where}: no configured font can draw this character: '\U0001f3e5' (U+1F3E5" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))  # never an empty box


def test_characters_no_font_has_in_the_glossary_are_reported(tmp_path, capsys):
    content = tmp_path / "content.yaml"
    content.write_text(
        HEAD
        + "sections:\n  - heading: H\n    blocks: [{paragraph: The sacrum hurts.}]\n"
        + "glossary:\n  - term: sacrum\n    definition: The bone at the base of the spine \u2620\n"
    )
    assert build(tmp_path / "out", "--today", "2025-01-01", content=content) == 1
    err = capsys.readouterr().err
    assert f"{content}:10:51: error: no configured font can draw this character: '\u2620' (U+2620" in err
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_welsh_characters_use_the_fallback_font_without_a_warning(tmp_path, capsys):
    content = tmp_path / "content.yaml"
    content.write_text(
        HEAD.replace("Demo", "Gwybodaeth i\u2019r claf am d\u0175r")
        + "sections:\n  - heading: Y t\u0177\n    blocks: [{paragraph: Text.}]\n"
        + "history: [{version: 1, date: 2024-01-10, changes: New., approved_by: Grŵp gwybodaeth}]\n"
    )
    assert build(tmp_path / "out", content=content, style=ROOT / "styles" / "default.yaml") == 0
    assert "warning" not in capsys.readouterr().err
    assert "d\u0175r" in pdf_text(tmp_path / "out" / "demo-patient.pdf")
