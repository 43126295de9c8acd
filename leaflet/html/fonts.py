"""The theme's fonts for the web page: cut down to the characters the page uses and embedded as WOFF2."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..core.errors import LeafletError
from ..core.theme import Theme
from ..reading.cache import cache_folder, keep
from ..reading.files import MAX_FONT_BYTES, read_input
from ..reading.fonts import FontSet

# Always kept, whatever the page says: printable ASCII, the list markers the browser draws, typographic
# punctuation and a few common signs. English pages then all need the same cut of each font (about 6 KB of WOFF2
# each: cutting to the exact characters of a page would save only a few hundred bytes), made once and kept.
ALWAYS = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset(
    "\u00a0\u2022\u2013\u2014\u2026\u2018\u2019\u201c\u201d\u00b7\u00b0\u00b2\u00b3\u00a3\u20ac\u00d7\u00b1\u00bd\u00bc\u00be"
    "\u00b5\u2192"
)
MAIN_FAMILY = "leaflet"  # the names the page's stylesheet uses; the fonts keep their own names inside
FALLBACK_FAMILY = "leaflet fallback"
CUT = "2"  # the subsetting options below; a change makes new cache entries
WOFF2_MAGIC = b"wOF2"


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: str  # a CSS font-weight: "400", "700", or "100 900" for a variable font
    src: str  # a data: URL


def font_faces(fonts: FontSet, text: str, theme: Theme) -> list[FontFace]:
    """@font-face rules for the theme's regular and bold fonts, cut down to the characters of text, and for its
    fallback font with only the characters the main fonts lack (none, usually)."""
    used = frozenset(text)
    main = frozenset(c for c in used | ALWAYS if fonts.covers(c))
    faces = [
        _face(MAIN_FAMILY, "400", _cut(fonts.regular_path, main, theme, "regular")),
        _face(MAIN_FAMILY, "700", _cut(fonts.bold_path, main, theme, "bold")),
    ]
    lacking = "".join(sorted(c for c in used - main if not c.isspace()))  # the fallback is loaded only for these
    drawable = frozenset(lacking) - set(fonts.missing(lacking)) if lacking else frozenset()
    if drawable:
        faces.append(_face(FALLBACK_FAMILY, "100 900", _cut(fonts.fallback_path, drawable, theme, "fallback")))
    return faces


def _cut(path: str, characters: frozenset[str], theme: Theme, role: str) -> bytes:
    """woff2(), with a font that fontTools cannot read (damaged in a table the PDF does not use) reported at
    the style's key."""
    try:
        return woff2(path, characters)
    except Exception as error:  # noqa: BLE001 - a damaged file fails in struct, index or key lookups too
        raise LeafletError.single(
            f"font '{Path(path).name}' is damaged ({error}): the web page cannot use it",
            theme.where(f"fonts.{role}"),
            f"fonts.{role}",
            "use an undamaged copy of the font, or leave the web page out (formats: in the style)",
        ) from None


def _face(family: str, weight: str, data: bytes) -> FontFace:
    return FontFace(family, weight, f"data:font/woff2;base64,{base64.b64encode(data).decode('ascii')}")


@cache
def woff2(path: str, characters: frozenset[str]) -> bytes:
    """The font at path cut down to characters, as WOFF2: from the cache folder when this cut was made before
    (subsetting takes about a quarter of a second per run: fontTools' start-up, then two fonts), else made and kept
    there. The cut is the same bytes either way."""
    folder = cache_folder("fonts")
    font = read_input(path, MAX_FONT_BYTES, "font file")
    key = hashlib.sha256(b"\0".join([CUT.encode(), font, "".join(sorted(characters)).encode("utf-8")])).hexdigest()
    entry = folder / f"{key}.woff2" if folder else None
    if entry is not None:
        try:
            data = entry.read_bytes()
            if data.startswith(WOFF2_MAGIC):
                return data
        except OSError:
            pass
    data = subset(font, characters)
    if entry is not None:
        keep(entry, data)
    return data


def subset(font: bytes, characters: frozenset[str]) -> bytes:
    """fontTools' subsetter: the glyphs for characters and what they need (accents, ligatures, kerning), no
    hinting instructions (screens today render well without; it halves the file), as WOFF2."""
    from fontTools import subset as subsetting
    from fontTools.ttLib import TTFont

    options = subsetting.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True  # compresses better
    options.name_IDs = [1, 2]  # family and style names only
    with TTFont(io.BytesIO(font), recalcTimestamp=False) as parsed:  # the same bytes on every run
        subsetter = subsetting.Subsetter(options)
        subsetter.populate(text="".join(sorted(characters)))
        subsetter.subset(parsed)
        parsed.flavor = "woff2"
        buffer = io.BytesIO()
        parsed.save(buffer)
    return buffer.getvalue()
