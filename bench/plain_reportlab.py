"""Baseline for the benchmark: the clinician text of content.yaml drawn with plain ReportLab platypus."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import fontpkg_atkinson_hyperlegible
import yaml
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, ListFlowable, Paragraph, SimpleDocTemplate

# The same embedded fonts as the leaflet: every font in a leaflet must be embedded, so the fair baseline
# embeds them too (standard Helvetica is not embedded and costs nothing).
FONTS = fontpkg_atkinson_hyperlegible.ROOT / "files"
pdfmetrics.registerFont(TTFont("Atkinson", str(FONTS / "AtkinsonHyperlegible-Regular.ttf")))
pdfmetrics.registerFont(TTFont("Atkinson-Bold", str(FONTS / "AtkinsonHyperlegible-Bold.ttf")))

AUDIENCE = "clinician"
BODY = ParagraphStyle("body", fontName="Atkinson", fontSize=11, leading=15, spaceAfter=6)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Atkinson-Bold", fontSize=22, leading=27)
HEADINGS = [
    ParagraphStyle(f"h{level}", parent=BODY, fontName="Atkinson-Bold", fontSize=size, leading=size * 1.3)
    for level, size in enumerate((16, 13, 12))
]


def text(value: Any) -> str:
    """A string, an audience -> string mapping, or a list of either; no markdown is parsed."""
    pieces = value if isinstance(value, list) else [value]
    return " ".join(p if isinstance(p, str) else p.get(AUDIENCE, "") for p in pieces if p).strip()


def shown(data: dict[str, Any]) -> bool:
    audience = data.get("audience")
    return audience is None or AUDIENCE in ([audience] if isinstance(audience, str) else audience)


def para(value: Any, style: ParagraphStyle = BODY) -> list[Flowable]:
    plain = text(value)
    return [Paragraph(escape(plain), style)] if plain else []


def blocks(items: list[dict[str, Any]]) -> list[Flowable]:
    story: list[Flowable] = []
    for block in filter(shown, items):
        if "paragraph" in block or "contact" in block:
            story += para(block.get("paragraph", block.get("contact")))
        elif "bullets" in block or "numbered" in block:
            entries = [p for item in block.get("bullets", block.get("numbered")) for p in para(item)]
            story.append(ListFlowable(entries, bulletType="bullet" if "bullets" in block else "1", leftIndent=14))
        elif "callout" in block:
            story += para(block["callout"]["title"], HEADINGS[-1]) + blocks(block["callout"]["blocks"])
    return story


def sections(items: list[dict[str, Any]], depth: int = 0) -> list[Flowable]:
    story: list[Flowable] = []
    for section in filter(shown, items):
        story += para(section["heading"], HEADINGS[min(depth, len(HEADINGS) - 1)])
        story += blocks(section.get("blocks") or []) + sections(section.get("sections") or [], depth + 1)
    return story


def render(content_path: Path | str, out_path: Path | str) -> None:
    """Write the clinician text of content_path to out_path as an A4 PDF."""
    data = yaml.safe_load(Path(content_path).read_text(encoding="utf-8"))
    story = para(data["title"], TITLE) + para(data.get("subtitle"))
    if data.get("key_points"):
        story += para("Key points", HEADINGS[0])
        story.append(ListFlowable([p for point in data["key_points"] for p in para(point)], bulletType="bullet"))
    story += sections(data["sections"])
    SimpleDocTemplate(str(out_path), pagesize=A4, title=text(data["title"])).build(story)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/plain_reportlab.py CONTENT.yaml OUT.pdf")
    render(sys.argv[1], sys.argv[2])
