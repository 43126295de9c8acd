"""The theme's TrueType fonts: registered once, with the characters each covers and a fallback for the rest."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..core.errors import LeafletError, Location
from ..core.theme import Theme
from .files import MAX_FONT_BYTES, InputError, read_input

TTF_HINT = "use a TrueType (.ttf) font file"


class FontFileError(Exception):
    """Why a font file cannot be used; message follows the font's name."""

    def __init__(self, message: str, hint: str = TTF_HINT, missing: bool = False, near: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.missing = missing
        self.near = near  # for a missing file: the name of one beside it that was probably meant


def register_font(path: str, check_subset: bool = False) -> str:
    """Register the TrueType font file at path, once per process, under a name derived from its bytes (so a PDF
    does not depend on where the font is); return that name. FontFileError if the file cannot be used.

    check_subset also makes a subset of every glyph the font maps, as the PDF writer will: a damaged font
    then fails here, where the style names it, and never in the middle of drawing.
    """
    try:
        data = read_input(path, MAX_FONT_BYTES, "font file")
    except InputError as error:
        raise FontFileError(error.message, error.hint, error.missing, error.near) from None
    if data[:4] == b"OTTO":
        raise FontFileError("has PostScript (CFF) outlines, which cannot be embedded")
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise FontFileError("is not a TrueType font file")
    name = f"F{zlib.crc32(data):08x}{len(data):x}"  # zlib is loaded already; hashlib costs start-up time
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            font = TTFont(name, io.BytesIO(data))
            if check_subset:
                font.face.makeSubset(sorted(font.face.charToGlyph))
                _check_table_directory(data)
        except Exception as error:  # noqa: BLE001 - a damaged file fails in struct, index or key lookups too
            raise FontFileError(f"is damaged or not a usable TrueType font ({_reason(error)})") from None
        pdfmetrics.registerFont(font)
    return name


def _check_table_directory(data: bytes) -> None:
    """Every table the font lists lies within the file: ReportLab reads only the tables a PDF needs, but the web
    page's font (fontTools) reads them all, so a file cut short fails there otherwise."""
    import struct

    (count,) = struct.unpack(">H", data[4:6])
    for index in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * index : 28 + 16 * index])
        if offset + length > len(data):
            raise struct.error(f"table '{tag.decode('latin-1')}' ends past the end of the file")


def _reason(error: Exception) -> str:
    """What ReportLab's parser found wrong, in words."""
    import struct

    if isinstance(error, KeyError):
        return f"it has no '{error.args[0] if error.args else '?'}' table"
    if isinstance(error, (struct.error, IndexError, EOFError)):
        return "it ends before the data it says it holds"
    text = re.sub(r'^TTF file "[^"]*": ', "", str(error).strip().split("\n")[0]) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."


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
        self.regular = _register(self.regular_path, "regular")
        self.bold = _register(self.bold_path, "bold")
        pdfmetrics.registerFontFamily(
            self.regular, normal=self.regular, bold=self.bold, italic=self.regular, boldItalic=self.bold
        )
        regular_map = pdfmetrics.getFont(self.regular).face.charToGlyph
        bold_map = pdfmetrics.getFont(self.bold).face.charToGlyph
        self._covered = frozenset(regular_map) & frozenset(bold_map)

    @property
    def fallback(self) -> str:
        if not self._fallback:
            self._fallback = _register(self.fallback_path, "fallback")
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


def _register(path: str, role: str) -> str:
    try:
        return register_font(path)
    except FontFileError as problem:
        raise LeafletError.single(
            f"font '{path}' {problem.message}", Location(path), f"fonts.{role}", problem.hint
        ) from None


def load_fonts(theme: Theme) -> FontSet:
    """The theme's fonts, registered with ReportLab; LeafletError if a font file cannot be used.

    (The style's own font files were checked when it was read; this fails only if one changed since.)"""
    return FontSet(theme.fonts["regular"], theme.fonts["bold"], theme.fonts["fallback"])
