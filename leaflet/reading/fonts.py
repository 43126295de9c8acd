"""The theme's TrueType fonts: registered once, with the characters each covers and a fallback for the rest."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..core.errors import LeafletError, Location
from ..core.theme import Theme


def _register(path: str) -> str:
    """Register a TTF once per process under a name derived from its path; return that name."""
    name = f"F{zlib.crc32(path.encode()):08x}"  # zlib is loaded already; hashlib costs start-up time
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, path))
        except TTFError as exc:
            raise LeafletError.single(
                f"cannot use font file: {exc}", Location(path), hint="use a TrueType (.ttf) font"
            ) from None
    return name


@dataclass
class FontSet:
    """The body fonts of one theme; the fallback is loaded only when some text needs it."""

    regular_path: str
    bold_path: str
    fallback_path: str
    regular: str = ""
    bold: str = ""
    _fallback: str = ""
    _covered: frozenset[int] = field(default_factory=frozenset)
    _fallback_covered: frozenset[int] | None = None

    def __post_init__(self) -> None:
        self.regular = _register(self.regular_path)
        self.bold = _register(self.bold_path)
        pdfmetrics.registerFontFamily(
            self.regular, normal=self.regular, bold=self.bold, italic=self.regular, boldItalic=self.bold
        )
        regular_map = pdfmetrics.getFont(self.regular).face.charToGlyph
        bold_map = pdfmetrics.getFont(self.bold).face.charToGlyph
        self._covered = frozenset(regular_map) & frozenset(bold_map)

    @property
    def fallback(self) -> str:
        if not self._fallback:
            self._fallback = _register(self.fallback_path)
            self._fallback_covered = frozenset(pdfmetrics.getFont(self._fallback).face.charToGlyph)
        return self._fallback

    def covers(self, char: str) -> bool:
        return ord(char) in self._covered

    def missing(self, text: str) -> list[str]:
        """Characters that neither the main nor the fallback font can draw."""
        needs_fallback = [c for c in text if not c.isspace() and not self.covers(c)]
        if not needs_fallback:
            return []
        self.fallback  # noqa: B018 - loads the fallback and its coverage
        assert self._fallback_covered is not None
        return sorted({c for c in needs_fallback if ord(c) not in self._fallback_covered})

    def runs(self, text: str, font: str) -> list[tuple[str, str]]:
        """(font name, text) runs for drawing on the canvas: font, or the fallback where font lacks a glyph."""
        out: list[tuple[str, str]] = []
        for char in text:
            name = font if self.covers(char) or char.isspace() else self.fallback
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + char)
            else:
                out.append((name, char))
        return out

    def width(self, text: str, font: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in self.runs(text, font))

    def fit(self, text: str, font: str, size: float, width: float) -> str:
        """text, shortened with an ellipsis if it is wider than width."""
        if self.width(text, font, size) <= width:
            return text
        low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(text[:middle].rstrip() + "\u2026", font, size) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "\u2026"


def load_fonts(theme: Theme) -> FontSet:
    """The theme's fonts, registered with ReportLab; LeafletError if a font file cannot be used."""
    return FontSet(theme.fonts["regular"], theme.fonts["bold"], theme.fonts["fallback"])
