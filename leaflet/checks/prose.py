"""A variant's printed text in reading order, split into sentences and words, each with where it is written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ..core.errors import Location
from ..core.model import HEADING_KINDS, GlossaryEntry, Leaflet, Part, plain_text, walk

# Abbreviations whose full stop does not end a sentence even before a capital ("e.g. Paracetamol").
ABBREVIATIONS = frozenset((
    "e.g.", "i.e.", "eg.", "ie.", "cf.", "vs.", "approx.", "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "no.",
    "nos.", "fig.", "al.", "incl.", "esp.", "ref.", "tel.", "ext.",
))  # fmt: skip
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


class Piece(NamedTuple):
    """One run of printed text: a paragraph, a list item, a box title, a caption or a heading."""

    kind: str  # "prose" (read as sentences) or "heading" (title, subtitle, headings: read, but not sentences)
    parts: tuple[Part, ...]
    section: str  # the top-level section it belongs to, for per-section figures
    section_location: Location | None


class Sentence(NamedTuple):
    text: str
    words: int
    location: Location | None
    section: str
    section_location: Location | None


def pieces(
    content: Leaflet, key_points: str, glossary: tuple[GlossaryEntry, ...] = (), glossary_heading: str = ""
) -> Iterator[Piece]:
    """Every piece of a selected variant's text that its PDF prints, in reading order.

    Left out: the reference list, the style's contact details, the footer and image alt text
    (not printed). key_points is the title of the key points box, which counts as their section;
    glossary holds the entries its "Words explained" box shows, if it has one.
    """
    first_point = content.key_points[0].location if content.key_points else None
    for visit in walk(content):
        text = visit.text
        if not text:
            continue  # nothing printed here
        where: Location | None
        if visit.section is not None:
            name, where = visit.section.heading.plain(), visit.section.location
        elif visit.kind == "key point":
            name, where = key_points, first_point
        else:
            name, where = "", text.parts[0].location
        yield Piece("heading" if visit.kind in HEADING_KINDS else "prose", text.parts, name, where)
    for entry in glossary:
        yield Piece("prose", entry.definition.parts, glossary_heading, glossary[0].location)


def count_words(text: str) -> int:
    """Words are runs of non-space characters holding a letter or digit ("A&E" is one, "–" none)."""
    return sum(1 for token in text.split() if _HAS_LETTER_OR_DIGIT.search(token))


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of text.

    A sentence ends at . ! or ? (and any closing quote or bracket) followed by a space, unless the
    word is a known abbreviation ("e.g."), a single initial ("J."), or the next word starts with a
    small letter ("approx. five"). The end of the text always ends a sentence.
    """
    spans: list[tuple[int, str]] = []
    start = 0
    for match in _END.finditer(text):
        token = text[: match.end()].rsplit(None, 1)[-1].lower()
        following = text[match.end() :].lstrip()
        if token in ABBREVIATIONS or re.fullmatch(r"[a-z]\.", token) or (following[:1].islower()):
            continue
        spans.append((start, text[start : match.end()]))
        start = match.end()
    spans.append((start, text[start:]))
    result = []
    for offset, sentence in spans:
        stripped = sentence.strip()
        if count_words(stripped):
            result.append((offset + len(sentence) - len(sentence.lstrip()), stripped))
    return result


def sentences(piece: Piece, locator: Locator) -> Iterator[Sentence]:
    """The sentences of a prose piece; a sentence may run across parts and is placed where it starts."""
    joined = ""
    starts: list[tuple[int, int, Part]] = []
    for part in piece.parts:
        text = plain_text(part.inlines)
        starts.append((len(joined), len(text), part))
        joined += text + " "
    for offset, text in split_sentences(joined):
        _, length, part = next(item for item in reversed(starts) if item[0] <= offset)
        where = locator.sentence(text, part.location, length)
        yield Sentence(text, count_words(text), where, piece.section, piece.section_location)


class Locator:
    """Finds the line and column where a sentence or word is written, searching forward from its part.

    Markdown marks and folded lines mean the printed text is not a copy of the file's text, so it
    looks for the first few words, then fewer; when nothing is found, the part's own start is used.
    """

    def __init__(self, text: str | None) -> None:
        self.lines = text.splitlines() if text else []
        self._folded: list[str] | None = None  # lower-case lines, made when a word is first looked for
        self._cursor: dict[Location, tuple[int, int]] = {}  # per part: just after the last sentence found

    def restart(self) -> None:
        """Forget where each part's last sentence was found: the next variant reads the parts afresh."""
        self._cursor.clear()

    @staticmethod
    def _extent(start: Location, length: int) -> int:
        """The last line (0-based) a part of length characters starting at start can reach."""
        return start.line - 1 + length // 20 + 2  # YAML lines of text are seldom shorter than 20 characters

    def sentence(self, text: str, start: Location | None, part_length: int = 2000) -> Location | None:
        """Where a sentence of the part that starts at start is written; sentences are asked for in order."""
        if start is None or not self.lines or not start.line:
            return start
        line, column = self._cursor.get(start, (start.line - 1, start.column - 1))
        last = self._extent(start, part_length)
        tokens = text.split()[:4]
        for count in range(len(tokens), 0, -1):
            found = self._search(self.lines, " ".join(tokens[:count]), line, column, last, whole_word=False)
            if found:
                self._cursor[start] = (found[0], found[1] + 1)
                return Location(start.file, found[0] + 1, found[1] + 1)
        return start

    def word(self, word: str, start: Location | None, part_length: int = 2000) -> Location | None:
        """The first place in the part that starts at start where word is written as a whole word, any case."""
        if start is None or not self.lines or not start.line:
            return start
        if self._folded is None:
            self._folded = [line.lower() for line in self.lines]
        last = self._extent(start, part_length)
        found = self._search(self._folded, word.lower(), start.line - 1, start.column - 1, last, whole_word=True)
        return Location(start.file, found[0] + 1, found[1] + 1) if found else start

    @staticmethod
    def _search(
        lines: list[str], needle: str, line: int, column: int, last: int, whole_word: bool
    ) -> tuple[int, int] | None:
        """The first place from (line, column) to line last where needle starts a word (and ends one, if whole_word)."""
        for number in range(line, min(last + 1, len(lines))):
            text = lines[number]
            at = text.find(needle, column if number == line else 0)
            while at >= 0:
                end = at + len(needle)
                starts_word = at == 0 or not _is_word_char(text[at - 1])
                if starts_word and not (whole_word and end < len(text) and _is_word_char(text[end])):
                    return number, at
                at = text.find(needle, at + 1)
        return None


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
