"""Baseline for the benchmark: one audience's text of a content file drawn with plain ReportLab platypus."""

from __future__ import annotations

import argparse
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
BODY_SIZE = 11  # points; the styles below scale with it
SIZES = {"patient": 14}  # body size per audience, as leaflet's built-in style has it (Clear Print); others 11
LARGE_PRINT = 18  # the large-print version's body size


class Styles:
    """Body, title and heading styles at a scale (1 for standard print)."""

    def __init__(self, scale: float = 1.0) -> None:
        size = 11 * scale
        self.body = ParagraphStyle("body", fontName="Atkinson", fontSize=size, leading=15 * scale, spaceAfter=6)
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName="Atkinson-Bold", fontSize=22 * scale, leading=27 * scale
        )
        self.headings = [
            ParagraphStyle(
                f"h{n}", parent=self.body, fontName="Atkinson-Bold", fontSize=s * scale, leading=s * scale * 1.3
            )
            for n, s in enumerate((16, 13, 12))
        ]


class Story:
    """The flowables of one audience's text: title, subtitle, key points, sections, lists and callouts."""

    def __init__(self, audience: str, styles: Styles) -> None:
        self.audience = audience
        self.styles = styles

    def text(self, value: Any) -> str:
        """A string, an audience -> string mapping, or a list of either; no markdown is parsed."""
        pieces = value if isinstance(value, list) else [value]
        return " ".join(p if isinstance(p, str) else p.get(self.audience, "") for p in pieces if p).strip()

    def shown(self, data: dict[str, Any]) -> bool:
        audience = data.get("audience")
        return audience is None or self.audience in ([audience] if isinstance(audience, str) else audience)

    def para(self, value: Any, style: ParagraphStyle | None = None) -> list[Flowable]:
        plain = self.text(value)
        return [Paragraph(escape(plain), style or self.styles.body)] if plain else []

    def blocks(self, items: list[dict[str, Any]]) -> list[Flowable]:
        story: list[Flowable] = []
        for block in filter(self.shown, items):
            if "paragraph" in block or "contact" in block:
                story += self.para(block.get("paragraph", block.get("contact")))
            elif "bullets" in block or "numbered" in block:
                entries = [p for item in block.get("bullets", block.get("numbered")) for p in self.para(item)]
                kind = "bullet" if "bullets" in block else "1"
                story.append(ListFlowable(entries, bulletType=kind, leftIndent=14 * self.styles.body.fontSize / 11))
            elif "callout" in block:
                story += self.para(block["callout"]["title"], self.styles.headings[-1])
                story += self.blocks(block["callout"]["blocks"])
        return story

    def sections(self, items: list[dict[str, Any]], depth: int = 0) -> list[Flowable]:
        story: list[Flowable] = []
        for section in filter(self.shown, items):
            story += self.para(section["heading"], self.styles.headings[min(depth, 2)])
            story += self.blocks(section.get("blocks") or []) + self.sections(section.get("sections") or [], depth + 1)
        return story

    def of(self, data: dict[str, Any]) -> list[Flowable]:
        story = self.para(data["title"], self.styles.title) + self.para(data.get("subtitle"))
        if data.get("key_points"):
            story += self.para("Key points", self.styles.headings[0])
            points = [p for point in data["key_points"] for p in self.para(point)]
            story.append(ListFlowable(points, bulletType="bullet"))
        return story + self.sections(data["sections"])


def render(
    content_path: Path | str, out_path: Path | str, audience: str = "clinician", body_size: float | None = None
) -> None:
    """Write one audience's text of content_path to out_path as an A4 PDF, in the audience's body size or
    body_size."""
    data = yaml.safe_load(Path(content_path).read_text(encoding="utf-8"))
    story = Story(audience, Styles((body_size or SIZES.get(audience, BODY_SIZE)) / BODY_SIZE))
    SimpleDocTemplate(str(out_path), pagesize=A4, title=story.text(data["title"])).build(story.of(data))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("content", type=Path)
    parser.add_argument("out", type=Path, help="the PDF to write")
    parser.add_argument("--audience", default="clinician", help="whose text to draw (default: clinician)")
    parser.add_argument(
        "--large-print", action="store_true", help="also draw it at 18 pt, into OUT with -large-print in its name"
    )
    args = parser.parse_args()
    render(args.content, args.out, args.audience)
    if args.large_print:
        render(args.content, args.out.with_name(f"{args.out.stem}-large-print.pdf"), args.audience, LARGE_PRINT)
