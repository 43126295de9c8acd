"""Layout extremes build, and nothing they hold is drawn outside the margins."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader
from test_layout import DEFAULT_MARGINS_MM, char_boxes, ink_bounds, margin_box

from conftest import DEFAULT_STYLE, build, normalise
from leaflet.reading.loader import MAX_TEXT_CHARACTERS

LONG_WORD = "Pneumonoultramicroscopic" * 8 + "x" * 8  # 200 characters, no break
LONG_URL = "https://example.org/" + "a1b2c3d4e5" * 18  # 200 characters
HEADING = " ".join(f"heading{i}" for i in range(60))
LONGEST_PARAGRAPH = " ".join(f"word{i}" for i in range(5000))[:MAX_TEXT_CHARACTERS]  # the longest text allowed


def nested(depth: int) -> dict:
    item: dict = {"text": f"deepest item {'word ' * 20}"}
    for level in range(depth, 0, -1):
        item = {"text": f"level {level} item " + "word " * 15, "items": [item]}
    return item


def extreme_content(folder: Path) -> Path:
    Image.new("RGB", (100, 4000), (200, 30, 30)).save(folder / "tall.png")  # 40 to 1: as thin as a picture may be
    Image.new("RGB", (3000, 1000), (30, 30, 200)).save(folder / "wide.png")
    data = {
        "id": "extreme",
        "title": HEADING,
        "language": "en-GB",
        "url": LONG_URL,
        "review": {"last_reviewed": "2024-01-10", "next_review": "2026-01-10", "version": "1"},
        "key_points": [LONG_WORD, f"See [{LONG_URL}]({LONG_URL})"],
        "sections": [
            {
                "heading": HEADING,
                "blocks": [{"paragraph": f"A {LONG_WORD} and {LONG_URL} and [{LONG_URL}]({LONG_URL})."}],
            },
            {"heading": LONG_WORD, "blocks": [{"paragraph": LONGEST_PARAGRAPH}]},
            {"heading": "A hundred items", "blocks": [{"bullets": [f"item {i}" for i in range(100)]}]},
            {"heading": "A hundred steps", "blocks": [{"numbered": [f"step {i}" for i in range(100)]}]},
            {
                "heading": "Deep lists",
                "blocks": [
                    {"bullets": [nested(8)]},
                    {"callout": {"title": "In a box", "blocks": [{"numbered": [nested(8)]}]}},
                    {"bullets": ["one long item " + "word " * 700]},
                ],
            },
            {
                "heading": "Pictures",
                "blocks": [
                    {"image": {"file": "tall.png", "alt": "tall", "caption": "A very tall picture"}},
                    {
                        "callout": {
                            "title": "A picture in a box",
                            "blocks": [{"image": {"file": "wide.png", "alt": "w"}}],
                        }
                    },
                ],
            },
            {"heading": "Sources", "blocks": [{"paragraph": " ".join(f"Claim {i} [@r{i}]." for i in range(300))}]},
        ],
        "references": [
            {
                "id": f"r{i}",
                "title": f"Reference {i} {LONG_WORD}",
                "authors": ["Smith A"],
                "year": 2000,
                "url": LONG_URL,
            }
            for i in range(300)
        ],
    }
    path = folder / "content.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def extreme(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("extreme")
    assert build(folder / "out", content=extreme_content(folder), style=DEFAULT_STYLE) == 0
    return {a: folder / "out" / f"extreme-{a}.pdf" for a in ("patient", "clinician")}


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_extremes_build_and_every_character_stays_inside_the_margins(extreme, audience):
    left, bottom, right, top = margin_box(DEFAULT_MARGINS_MM)
    boxes = list(char_boxes(extreme[audience]))
    assert len(boxes) > 50_000
    slack = 1.0
    outside = [
        b for b in boxes if b[2] < left - slack or b[4] > right + slack or b[3] < bottom - slack or b[5] > top + slack
    ]
    assert outside == []


def test_extremes_lose_no_text(extreme):
    reader = PdfReader(extreme["clinician"])
    text = normalise(" ".join(page.extract_text() for page in reader.pages))
    squeezed = text.replace(" ", "")
    assert LONG_WORD in squeezed and LONG_URL in squeezed
    assert LONGEST_PARAGRAPH.rsplit(" ", 2)[-2] in text and "item 99" in text and "step 99" in text
    assert "deepest item" in text and "level 8 item" in text
    assert "300. Smith A" in text  # all 300 references, numbered
    assert HEADING.replace(" ", "") in squeezed
    title, sections = reader.outline[0], reader.outline[1]  # the title, then the sections under it
    assert title.title == sections[0].title == HEADING  # whole (the footer shortens the title)
    assert len(reader.pages) > 20


def test_pictures_stay_inside_the_margins(extreme):
    left, bottom, right, top = margin_box(DEFAULT_MARGINS_MM)
    reader = PdfReader(extreme["patient"])
    pages = [i for i, page in enumerate(reader.pages) if "picture" in page.extract_text()]
    assert pages
    tolerance = 72 / 50 * 1.5
    for page in pages:
        x0, y0, x1, y1 = ink_bounds(extreme["patient"], page)
        assert x0 >= left - tolerance and x1 <= right + tolerance, (page, x0, x1)
        assert y0 >= bottom - tolerance and y1 <= top + tolerance, (page, y0, y1)


def test_large_type_with_a_long_heading_and_deep_lists(tmp_path):
    style = tmp_path / "large.yaml"
    style.write_text(
        "organisation: A clinic with a name far too long to fit in the header band at this size of type\n"
        "audiences:\n  patient: {body_size: 24, heading_size: 36, title_size: 48, footer_size: 16}\n"
    )
    data = {
        "id": "large",
        "title": HEADING,
        "language": "en-GB",
        "audiences": ["patient"],
        "review": {"last_reviewed": "2024-01-10", "next_review": "2026-01-10", "version": "1"},
        "sections": [
            {"heading": HEADING, "blocks": [{"bullets": [nested(8)]}, {"paragraph": LONG_WORD}]},
            {"heading": "Long item", "blocks": [{"callout": {"title": "Box", "blocks": [{"bullets": ["w " * 400]}]}}]},
        ],
    }
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", content=content, style=style) == 0
    left, bottom, right, top = margin_box({"top": 15, "bottom": 15, "left": 18, "right": 18})
    slack = 24 * 0.1  # large glyphs overhang their box a little more
    boxes = list(char_boxes(tmp_path / "out" / "large-patient.pdf"))
    outside = [
        b for b in boxes if b[2] < left - slack or b[4] > right + slack or b[3] < bottom - slack or b[5] > top + slack
    ]
    assert boxes and outside == []


def test_a_callout_holding_a_contact_box_builds(tmp_path):
    # A contact box inside a callout that meets the foot of a page (Panel.split once lost its canvas there).
    def blocks() -> list[dict]:  # fresh objects each time: yaml.safe_dump would write repeats as aliases
        callout = {"title": "Contact", "blocks": [{"contact": None}, {"bullets": [f"point {i}" for i in range(30)]}]}
        return [{"paragraph": "Filler. " * 40} for _ in range(4)] + [{"callout": callout}]

    data = {
        "id": "boxes",
        "title": "Boxes",
        "language": "en-GB",
        "review": {"last_reviewed": "2024-01-10", "next_review": "2026-01-10", "version": "1"},
        "sections": [{"heading": f"Part {n}", "blocks": blocks()} for n in range(3)],
    }
    content = tmp_path / "content.yaml"
    content.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    assert build(tmp_path / "out", "--today", "2025-01-01", content=content, style=DEFAULT_STYLE) == 0
    assert len(PdfReader(tmp_path / "out" / "boxes-clinician.pdf").pages) > 2


def test_blank_paragraphs_and_items_take_no_room_and_build(tmp_path):
    """A paragraph or list item of spaces only has no lines: it is placed as nothing (found by the fuzz test)."""
    content = tmp_path / "content.yaml"
    content.write_text(
        "id: blank\ntitle: Blank\nlanguage: en-GB\n"
        "review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}\n"
        "sections:\n  - heading: H\n    blocks:\n"
        "      - paragraph: ' '\n      - bullets: [' ', 'an item']\n      - paragraph: Text after.\n",
        "utf-8",
    )
    assert build(tmp_path / "out", "--today", "2025-01-01", content=content) == 0
    text = normalise(" ".join(p.extract_text() for p in PdfReader(tmp_path / "out" / "blank-clinician.pdf").pages))
    assert "an item" in text and "Text after." in text
