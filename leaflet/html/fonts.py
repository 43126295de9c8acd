"""The theme's fonts for the web page: cut down to the characters the page uses and embedded as WOFF2."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from functools import cache

# Always kept, whatever the page says: printable ASCII (so no letter ever falls back), and the list markers and
# punctuation the browser draws itself.
ALWAYS = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset(
    "\u2022\u2013\u2014\u2026\u00a0\u2018\u2019\u201c\u201d"
)


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: str  # a CSS font-weight: "400", "700", or "100 900" for a variable font
    src: str  # a data: URL
    size: int  # bytes of the WOFF2 file


def family_name(path: str) -> str:
    """The font's family name, reduced to characters that are safe in CSS."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        name = font["name"].getBestFamilyName() or "leaflet"
    return re.sub(r"[^A-Za-z0-9 -]", "", name).strip() or "leaflet"


@cache
def _covered(path: str) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(chr(code) for code in font.getBestCmap())


@cache
def subset_woff2(path: str, characters: frozenset[str]) -> bytes:
    """The font at path with only the glyphs for characters (and what they need: accents, ligatures, kerning),
    without hinting instructions, as WOFF2. About 5 KB for a leaflet's Latin text."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # screens today render well without; halves the file
    options.desubroutinize = True  # compresses better
    options.name_IDs = [1, 2]  # family and style names only
    with TTFont(path) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(characters)))
        subsetter.subset(font)
        font.flavor = "woff2"
        buffer = io.BytesIO()
        font.save(buffer)
    return buffer.getvalue()


def _face(family: str, weight: str, data: bytes) -> FontFace:
    return FontFace(family, weight, f"data:font/woff2;base64,{base64.b64encode(data).decode('ascii')}", len(data))


def font_faces(fonts: dict[str, str], text: str) -> list[FontFace]:
    """@font-face rules for the theme's regular and bold fonts, cut down to the characters of text, and for its
    fallback font with only the characters the main fonts lack (none, usually)."""
    characters = frozenset(text) | ALWAYS
    regular, bold = fonts["regular"], fonts["bold"]
    family = family_name(regular)
    faces = [
        _face(family, "400", subset_woff2(regular, characters & _covered(regular))),
        _face(family, "700", subset_woff2(bold, characters & _covered(bold))),
    ]
    main = _covered(regular) & _covered(bold)
    missing = frozenset(c for c in characters if c not in main and not c.isspace()) & _covered(fonts["fallback"])
    if missing:
        faces.append(_face(FALLBACK_FAMILY, "100 900", subset_woff2(fonts["fallback"], missing)))
    return faces


FALLBACK_FAMILY = "leaflet fallback"
