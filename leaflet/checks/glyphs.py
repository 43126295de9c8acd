"""Characters no font of the style can draw: each would print as an empty box, so say where it is written."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import Diagnostic, Location
from ..core.model import Leaflet, RichText, plain_text, texts
from ..core.theme import Theme
from ..reading.fonts import FontSet

MAX_LISTED_CHARACTERS = 5


def check_glyphs(leaflet: Leaflet, theme: Theme, fonts: FontSet, content_text: str | None) -> list[Diagnostic]:
    """An error for each text holding characters that no configured font can draw: each would print as an empty
    box (or nothing at all), so nothing is built until it is written another way."""
    printed = list(_printed_texts(leaflet, theme))
    if not fonts.missing("".join({char for text, _, _ in printed for char in text})):
        return []  # the usual case, found with one look at each distinct character
    files: dict[str, list[str]] = {leaflet.source: (content_text or "").splitlines()}
    found: list[Diagnostic] = []
    for text, location, key_path in printed:
        missing = sorted(fonts.missing(text), key=text.index)  # in reading order
        if not missing:
            continue
        if location and location.line:  # the exact line and column, in the content or the style file
            if location.file not in files:
                files[location.file] = _read_lines(Path(location.file))
            location = _find(files[location.file], location, missing[0], text)
        shown = ", ".join(_describe(char) for char in missing[:MAX_LISTED_CHARACTERS])
        if len(missing) > MAX_LISTED_CHARACTERS:
            shown += f" and {len(missing) - MAX_LISTED_CHARACTERS} more"
        what = "this character" if len(missing) == 1 else f"these {len(missing)} characters"
        found.append(
            Diagnostic(
                "error",
                f"no configured font can draw {what}: {shown}",
                location,
                key_path,
                "it would print as an empty box: write it in words, or set a font that has it in the style",
            )
        )
    return found


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


def _read_lines(path: Path) -> list[str]:
    from ..reading.files import MAX_YAML_BYTES, InputError, read_input

    try:
        return read_input(path, MAX_YAML_BYTES).decode("utf-8-sig").splitlines()
    except (InputError, UnicodeDecodeError):
        return []


def _find(lines: list[str], start: Location, char: str, text: str) -> Location:
    """Where char first appears at or after start, within the lines the text can span."""
    last = min(len(lines), start.line + len(text))  # a text spans at most one line per character
    for index in range(start.line - 1, last):
        column = lines[index].find(char, start.column - 1 if index == start.line - 1 else 0)
        if column >= 0:
            return Location(start.file, index + 1, column + 1)
    return start


def _printed_texts(leaflet: Leaflet, theme: Theme) -> Iterator[tuple[str, Location | None, str]]:
    """Every piece of text that is printed: (text, where it was written, key path in the style)."""
    for text in texts(leaflet):
        yield from _rich(text)
    for reference in leaflet.references:
        fields = (reference.title, *reference.authors, reference.journal, reference.publisher)
        fields += (reference.volume, reference.issue, reference.pages, reference.doi, reference.url)
        yield " ".join(fields), reference.location, ""
    for entry in leaflet.glossary:  # the "Words explained" box
        yield entry.term, entry.location, ""
        yield from _rich(entry.definition)
    review = leaflet.review  # "About this leaflet"
    yield " ".join((review.owner, review.author, review.approved_by)), review.last_reviewed_at, ""
    for change in leaflet.history:
        yield " ".join((change.version, change.changes, change.approved_by)), change.location, ""
    # The footer and the address beside the QR code.
    yield leaflet.review.version, leaflet.review.next_review_at or Location(leaflet.source), "review.version"
    yield leaflet.url, Location(leaflet.source), "url"
    contact = theme.contact
    for key, value in (
        ("organisation", theme.organisation),
        ("department", theme.department),
        ("contact.phone", contact.phone),
        ("contact.phone_hours", contact.phone_hours),
        ("contact.email", contact.email),
        ("contact.website", contact.website),
        ("contact.address", " ".join(contact.address)),
        ("contact.urgent", contact.urgent),
        ("feedback", theme.feedback),
    ):
        yield value, theme.where(key), key
    for audience in leaflet.audiences:
        labels = theme.for_audience(audience)
        for name in ("label", "references_heading", "glossary_heading", "key_points_heading", "about_heading"):
            key = f"audiences.{audience}.{name}"
            yield getattr(labels, name), theme.where(key), key


def _rich(text: RichText) -> Iterator[tuple[str, Location | None, str]]:
    for part in text.parts:
        yield plain_text(part.inlines), part.location, ""
