"""Turn checked YAML data into the typed content model, reporting every content mistake at once."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from .errors import LeafletError, Location, Report
from .inline import parse_inline
from .loader import KeyPath, Source, format_path, load_yaml
from .model import (
    Block,
    Callout,
    Citation,
    Contact,
    GlossaryEntry,
    Image,
    Inline,
    Leaflet,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Part,
    Reference,
    Review,
    RichText,
    Section,
    Strong,
)
from .schema import check

DEFAULT_AUDIENCES = ("patient", "clinician")
BLOCK_KINDS = ("paragraph", "bullets", "numbered", "callout", "image", "contact")
DATE_HINT = "write dates as year-month-day, for example 2019-12-11 for 11 December 2019"


def load_leaflet(path: Path, display_name: str | None = None) -> tuple[Leaflet, Report]:
    """Load, check and convert a content file; raise LeafletError listing every error found."""
    source = load_yaml(path, display_name)
    report = Report()
    if not isinstance(source.data, dict):
        raise LeafletError.single(
            "expected a set of 'key: value' lines (id, title, sections, ...) at the top of the file",
            source.where(()),
            hint="see docs/content-reference.md for a complete example",
        )
    check(source, "content.schema.json", report)
    report.raise_if_errors()
    leaflet = _Builder(source, report, path.resolve().parent).leaflet()
    report.raise_if_errors()
    return leaflet, report


class _Builder:
    def __init__(self, source: Source, report: Report, base_dir: Path) -> None:
        self.source = source
        self.report = report
        self.base_dir = base_dir
        self.lines: list[str] | None = None  # read lazily to place citations exactly
        data = source.data
        self.audiences: tuple[str, ...] = tuple(data.get("audiences") or DEFAULT_AUDIENCES)
        self.citations: list[Citation] = []

    def where(self, path: KeyPath) -> Location:
        return self.source.where(path)

    def error(self, message: str, path: KeyPath, hint: str = "") -> None:
        self.report.error(message, self.where(path), format_path(path), hint)

    def leaflet(self) -> Leaflet:
        data = self.source.data
        review = self.review(data["review"])
        references = self.references(data.get("references") or [])
        sections = tuple(self.section(s, ("sections", i)) for i, s in enumerate(data["sections"]))
        key_points = self.items(data.get("key_points") or [], ("key_points",))
        title = self.text(data["title"], ("title",))
        subtitle = self.text(data.get("subtitle"), ("subtitle",))
        self.check_citations(references)
        glossary = self.glossary(data.get("glossary") or [])
        return Leaflet(
            id=data["id"],
            title=title,
            subtitle=subtitle,
            language=data["language"],
            url=data.get("url", ""),
            keywords=tuple(data.get("keywords") or ()),
            audiences=self.audiences,
            review=review,
            key_points=key_points,
            sections=sections,
            references=references,
            source=self.source.file,
            base_dir=str(self.base_dir),
            glossary=glossary,
        )

    # Review dates.
    def review(self, data: dict[str, Any]) -> Review:
        last = self.date(data["last_reviewed"], ("review", "last_reviewed"))
        upcoming = self.date(data["next_review"], ("review", "next_review"))
        if last and upcoming and upcoming <= last:
            self.error(
                f"next review ({upcoming.isoformat()}) must come after the last review ({last.isoformat()})",
                ("review", "next_review"),
                "check that the two dates are not swapped",
            )
        return Review(
            last_reviewed=last or date.min,
            next_review=upcoming or date.min,
            version=str(data["version"]),
            owner=data.get("owner", ""),
            author=data.get("author", ""),
            approved_by=data.get("approved_by", ""),
            last_reviewed_at=self.where(("review", "last_reviewed")),
            next_review_at=self.where(("review", "next_review")),
        )

    def date(self, text: str, path: KeyPath) -> date | None:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.error(f"'{text}' is not a real date", path, DATE_HINT)
            return None

    # Audiences.
    def audience(self, value: Any, path: KeyPath) -> frozenset[str] | None:
        if value is None:
            return None
        names = [value] if isinstance(value, str) else list(value)
        for name in names:
            self.check_audience(name, path)
        return frozenset(names)

    def check_audience(self, name: str, path: KeyPath) -> None:
        if name not in self.audiences:
            import difflib

            close = difflib.get_close_matches(name, self.audiences, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known audiences: " + ", ".join(self.audiences)
            self.error(f"unknown audience '{name}'", path, hint)

    # Text.
    def text(self, value: Any, path: KeyPath) -> RichText:
        if value is None:
            return RichText(())
        pieces = value if isinstance(value, list) else [value]
        parts: list[Part] = []
        for index, piece in enumerate(pieces):
            piece_path = (*path, index) if isinstance(value, list) else path
            if isinstance(piece, str):
                parts.append(self.part(piece, None, piece_path))
            else:
                for name, text in piece.items():
                    self.check_audience(name, (*piece_path, name))
                    parts.append(self.part(text, frozenset([name]), (*piece_path, name)))
        return RichText(tuple(parts))

    def part(self, text: str, audiences: frozenset[str] | None, path: KeyPath) -> Part:
        location = self.where(path)
        inlines, problems = parse_inline(text, lambda offset: self.locate(text, offset, location))
        for problem in problems:
            self.error(problem, path)
        self._collect_citations(inlines)
        return Part(audiences, inlines, location)

    def locate(self, text: str, offset: int, start: Location) -> Location:
        """The exact line and column of text[offset:] in the file, searched from where the text starts."""
        if self.lines is None:
            self.lines = self.source.text.splitlines()
        needle = text[offset:].split("]", 1)[0] + "]"
        for number in range(max(start.line - 1, 0), len(self.lines)):
            column = self.lines[number].find(needle, start.column - 1 if number == start.line - 1 else 0)
            if column >= 0:
                return Location(start.file, number + 1, column + 1)
        return start

    def _collect_citations(self, inlines: tuple[Inline, ...]) -> None:
        for item in inlines:
            if isinstance(item, Citation):
                self.citations.append(item)
            elif isinstance(item, (Strong, Link)):
                self._collect_citations(item.children)

    # Structure.
    def section(self, data: dict[str, Any], path: KeyPath) -> Section:
        heading = self.text(data["heading"], (*path, "heading"))
        blocks = self.blocks(data.get("blocks") or [], (*path, "blocks"))
        sections = tuple(self.section(s, (*path, "sections", i)) for i, s in enumerate(data.get("sections") or []))
        if not blocks and not sections:
            self.error(
                "this section is empty", path, "add 'blocks:' with at least one paragraph, or remove the section"
            )
        return Section(
            heading, blocks, sections, self.audience(data.get("audience"), (*path, "audience")), self.where(path)
        )

    def blocks(self, items: list[dict[str, Any]], path: KeyPath) -> tuple[Block, ...]:
        return tuple(self.block(item, (*path, i)) for i, item in enumerate(items))

    def block(self, data: dict[str, Any], path: KeyPath) -> Block:
        kind = next(k for k in BLOCK_KINDS if k in data)
        audiences = self.audience(data.get("audience"), (*path, "audience"))
        location = self.where(path)
        value = data[kind]
        inner = (*path, kind)
        if kind == "paragraph":
            return Paragraph(self.text(value, inner), audiences, location)
        if kind in ("bullets", "numbered"):
            return ListBlock(kind == "numbered", self.items(value, inner), audiences, location)
        if kind == "callout":
            return Callout(
                self.text(value["title"], (*inner, "title")),
                value.get("tone", "info"),
                self.blocks(value["blocks"], (*inner, "blocks")),
                audiences,
                location,
            )
        if kind == "image":
            return Image(
                self.image_path(value["file"], (*inner, "file")),
                self.text(value["alt"], (*inner, "alt")),
                self.text(value.get("caption"), (*inner, "caption")),
                value.get("width_mm"),
                audiences,
                location,
            )
        return Contact(self.text(value, inner), audiences, location)

    def items(self, items: list[Any], path: KeyPath) -> tuple[ListItem, ...]:
        result = []
        for index, item in enumerate(items):
            item_path = (*path, index)
            if isinstance(item, dict) and "text" in item:
                result.append(
                    ListItem(
                        self.text(item["text"], (*item_path, "text")),
                        self.items(item.get("items") or [], (*item_path, "items")),
                        self.audience(item.get("audience"), (*item_path, "audience")),
                        self.where(item_path),
                    )
                )
            else:
                result.append(ListItem(self.text(item, item_path), (), None, self.where(item_path)))
        return tuple(result)

    def image_path(self, name: str, path: KeyPath) -> str:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", name):
            self.error(
                "images must be files, not web addresses", path, "download the image and put it beside content.yaml"
            )
            return ""
        candidate = (self.base_dir / name).resolve()
        if not candidate.is_relative_to(self.base_dir):
            self.error(
                f"image '{name}' is outside the content's folder",
                path,
                "copy the image into the folder that holds the content file",
            )
            return ""
        if not candidate.is_file():
            self.error(
                f"image file '{name}' not found", path, "check the file name; paths are relative to the content file"
            )
            return ""
        return str(candidate)

    # Glossary.
    def glossary(self, items: list[dict[str, Any]]) -> tuple[GlossaryEntry, ...]:
        seen: dict[str, str] = {}  # every form, lower-case -> the term it belongs to
        entries = []
        for index, data in enumerate(items):
            path = ("glossary", index)
            definition = self.text(data["definition"], (*path, "definition"))
            if any(isinstance(item, Citation) for part in definition.parts for item in _walk(part.inlines)):
                self.error(
                    "a glossary definition cannot cite a reference",
                    (*path, "definition"),
                    "explain the word in plain terms; put the citation in the main text",
                )
            term = data["term"].strip()
            aliases = tuple(a.strip() for a in data.get("aliases") or ())
            for form, form_path in [(term, (*path, "term"))] + [
                (alias, (*path, "aliases", i)) for i, alias in enumerate(aliases)
            ]:
                key = " ".join(form.lower().split())
                if key in seen:
                    self.error(
                        f"'{form}' is already in the glossary (under '{seen[key]}')",
                        form_path,
                        "list each word once",
                    )
                seen[key] = term
            entries.append(GlossaryEntry(term, definition, aliases, self.where(path)))
        return tuple(entries)

    # References and citations.
    def references(self, items: list[dict[str, Any]]) -> tuple[Reference, ...]:
        seen: dict[str, int] = {}
        result = []
        for index, data in enumerate(items):
            path = ("references", index)
            ref_id = data["id"]
            if ref_id in seen:
                self.error(
                    f"duplicate reference id '{ref_id}' (also references[{seen[ref_id]}])",
                    (*path, "id"),
                    "give each reference its own id",
                )
                continue
            seen[ref_id] = index
            doi = str(data.get("doi", "")).strip()
            if doi:
                doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
                if not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
                    self.error(f"'{data['doi']}' is not a DOI", (*path, "doi"), "a DOI looks like 10.1586/ern.12.148")
            pmid = str(data.get("pmid", "")).strip()
            if pmid and not re.fullmatch(r"\d{1,9}", pmid):
                self.error(f"'{pmid}' is not a PubMed id", (*path, "pmid"), "a PMID is a number such as 23253394")
            result.append(
                Reference(
                    id=ref_id,
                    title=data["title"],
                    authors=tuple(data.get("authors") or ()),
                    journal=data.get("journal", ""),
                    year=_whole(data.get("year")),
                    month=_whole(data.get("month")),
                    day=_whole(data.get("day")),
                    volume=str(data.get("volume", "")),
                    issue=str(data.get("issue", "")),
                    pages=str(data.get("pages", "")),
                    doi=doi,
                    pmid=pmid,
                    url=data.get("url", ""),
                    publisher=data.get("publisher", ""),
                    location=self.where(path),
                )
            )
        return tuple(result)

    def check_citations(self, references: tuple[Reference, ...]) -> None:
        known = {r.id for r in references}
        cited: set[str] = set()
        for citation in self.citations:
            for key in citation.keys:
                cited.add(key)
                if key not in known:
                    import difflib

                    close = difflib.get_close_matches(key, sorted(known), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else "add it under 'references:' with this id"
                    self.report.error(f"citation [@{key}] has no matching reference", citation.location, "", hint)
        for reference in references:
            if reference.id not in cited:
                self.report.warning(
                    f"reference '{reference.id}' is never cited",
                    reference.location,
                    "",
                    f"cite it in the text as [@{reference.id}], or remove it",
                )


def _walk(inlines: tuple[Inline, ...]):
    """Every inline, including those nested in emphasis and links."""
    for item in inlines:
        yield item
        if isinstance(item, (Strong, Link)):
            yield from _walk(item.children)


def _whole(number: int | float | None) -> int | None:
    """YAML reads 5.0 as a float; the schema accepts it as the whole number it is."""
    return None if number is None else int(number)
