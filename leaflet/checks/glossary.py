"""Medical-looking words and abbreviations in a variant that its glossary does not explain."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from ..core.errors import Location
from ..core.model import Leaflet, plain_text
from ..core.terms import forms, uses
from .prose import Locator, Piece, pieces

# A word looks medical when it starts or ends like one of these (a short, documented list: see
# docs/checks.md) and is not in EVERYDAY. Hyphenated words are judged part by part.
MEDICAL_BEGINNINGS = (
    "analges", "arthr", "cardio", "cervic", "cortico", "dermat", "diagnos", "epidur", "fasci", "gastr",
    "haemat", "haemo", "hemat", "hepat", "iliac", "inflamm", "intra", "ligament", "lumbar", "musculo", "myel",
    "myo", "nephr", "neur", "oste", "orthop", "patholog", "pelv", "physiother", "prognos", "prolo", "radiolog",
    "rehabilit", "rheumat", "sacro", "sacrum", "sacral", "sciatic", "scolio", "spondyl", "steroid", "syndrom",
    "tendin", "tendon", "thorac", "vertebr",
)  # fmt: skip
MEDICAL_ENDINGS = (
    "itis", "ectomy", "otomy", "ostomy", "plasty", "oscopy", "algia", "osis", "aemia", "emia", "pathy", "plegia",
    "paresis", "trophy", "ology", "ologist", "otherapy", "iatric", "iatry", "rrhoea", "rrhea", "uria", "penia",
    "genic", "ectasis", "carcinoma", "oma", "lysis",
)  # fmt: skip
# Words those rules would catch that most readers know.
EVERYDAY = frozenset((
    "academia", "anaemia", "apathy", "apology", "aroma", "biology", "coma", "diploma", "ecology", "empathy",
    "hypothesis", "myopic", "nostalgia", "osteopath", "photogenic", "physio", "psychology", "sympathy",
    "technology", "telepathy", "trophy",
))  # fmt: skip
# Short forms every reader in the UK knows from everyday life, not from a clinic; any other word in capitals is
# reported as an abbreviation. docs/checks.md lists them (a test keeps the two the same).
KNOWN_ABBREVIATIONS = frozenset((
    "A&E", "AM", "ASAP", "BBC", "BMI", "CCTV", "CD", "DIY", "DVD", "DVLA", "EU", "FAQ", "GP", "GPS", "ID", "MOT",
    "NHS", "OK", "PDF", "PE", "PIN", "PM", "TV", "UK", "USB", "VAT",
))  # fmt: skip

_WORD = re.compile(r"[A-Za-z][A-Za-z&'\u2019-]*[A-Za-z]")


class Unexplained(NamedTuple):
    word: str
    reason: str  # "medical word" or "abbreviation"
    location: Location | None


def _texts(content: Leaflet) -> Iterable[tuple[Piece, str]]:
    for piece in pieces(content, key_points=""):  # which section a word is in does not matter here
        yield piece, " ".join(plain_text(part.inlines) for part in piece.parts)


def looks_medical(word: str) -> bool:
    """Whether a word starts or ends like medical vocabulary (see MEDICAL_BEGINNINGS, MEDICAL_ENDINGS)."""
    for piece in word.lower().replace("\u2019", "'").split("-"):
        piece = re.sub(r"'s$", "", piece)
        if len(piece) < 5 or piece in EVERYDAY or piece.rstrip("s") in EVERYDAY:
            continue
        stem = piece[:-1] if piece.endswith("s") and not piece.endswith(("ss", "osis")) else piece
        if piece.startswith(MEDICAL_BEGINNINGS):
            return True
        if any(stem.endswith(end) and len(stem) > len(end) + 2 for end in MEDICAL_ENDINGS):
            return True
    return False


def unexplained(leaflet: Leaflet, locator: Locator) -> list[Unexplained]:
    """Medical-looking words and unknown abbreviations in a variant that no glossary form covers.

    Each word is reported once, where it is first written.
    """
    every_form = [f for entry in leaflet.glossary for f in forms(entry)]
    found: dict[str, Unexplained] = {}
    for piece, text in _texts(leaflet):
        lowered = text.lower()
        covered = bytearray(len(text) + 1)  # 1 where a glossary form is used
        for form in every_form:
            for use in uses(form, text, lowered):
                covered[use.start() : use.end()] = b"\x01" * (use.end() - use.start())
        for match in _WORD.finditer(text):
            word = match.group()
            key = re.sub(r"(?:'s|’s|s)$", "", word.lower())  # "ligament" and "ligaments" are one finding
            if key in found or covered[match.start()]:
                continue
            if looks_medical(word):
                reason = "medical word"
            elif re.fullmatch(r"[A-Z][A-Z&]{1,5}s?", word) and word.rstrip("s") not in KNOWN_ABBREVIATIONS:
                reason = "abbreviation"
            else:
                continue
            start, length = _part_of(piece, match.start())
            found[key] = Unexplained(word, reason, locator.word(word, start, length))
    return list(found.values())


def _part_of(piece: Piece, offset: int) -> tuple[Location | None, int]:
    """Where the part of piece that holds character offset of its joined text starts, and its length."""
    position = 0
    for part in piece.parts:
        length = len(plain_text(part.inlines))
        position += length + 1
        if offset < position:
            return part.location, length
    return (piece.parts[-1].location, 0) if piece.parts else (None, 0)
