"""Turn checked YAML data into the typed content model, reporting every content mistake at once."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from ..core.dates import why_not_real
from ..core.errors import LeafletError, Location, Report, in_file_order
from ..core.model import (
    ANYWHERE,
    MAX_BOX_DEPTH,
    MAX_LIST_DEPTH,
    Block,
    Callout,
    Citation,
    ContactBlock,
    GlossaryEntry,
    HistoryEntry,
    Image,
    Inline,
    Leaflet,
    ListBlock,
    ListItem,
    Paragraph,
    Part,
    Placement,
    Reference,
    Review,
    RichText,
    Section,
    walk_inlines,
)
from .inline import parse_inline
from .loader import KeyPath, Source, format_path, load_yaml
from .schema import broken, clean, invalid_paths

DEFAULT_AUDIENCES = ("patient", "clinician")
_MARKDOWN_HEADING = re.compile(r"(?:^|(?<=\s))(#{1,6})[ \t]+([^\s#][^\n]*)")
BLOCK_KINDS = ("paragraph", "bullets", "numbered", "callout", "image", "contact")
LINK_HINT = "links may start https://, http://, mailto: or tel:"


def load_leaflet(
    path: Path, display_name: str | None = None, image_folders: tuple[Path, ...] = (), source: Source | None = None
) -> tuple[Leaflet, Report]:
    """Load, check and convert a content file; raise LeafletError listing every error found.

    Images may come from the content's folder or from image_folders (the style's folder). source: the file
    already parsed, if it has been.
    """
    source = source or load_yaml(path, display_name)
    report = Report()
    if not isinstance(source.data, dict):
        raise LeafletError.single(
            "expected 'name: value' lines (id, title, sections, ...) at the top of the file",
            source.where(()),
            hint="start from a copy of a leaflet that builds, such as content.yaml",
        )
    not_a_leaflet(source)
    invalid = invalid_paths(source, "content.schema.json", report)
    folders = [path.resolve().parent, *image_folders]
    leaflet = _Builder(source, report, folders, invalid).leaflet()
    report.diagnostics.sort(key=in_file_order)
    report.raise_if_errors()
    assert leaflet is not None  # only None when the schema found errors
    return leaflet, report


LEAFLET_KEYS = frozenset(("id", "title", "review", "sections"))
STYLE_KEYS = frozenset(("organisation", "colours", "fonts", "margins_mm", "contact", "other_audiences", "logo"))
SETTINGS_KEYS = frozenset(("output", "formats"))
WHERE_LEAFLETS_ARE = "a library reads every YAML file as a leaflet except leaflets.yaml and files in styles/ folders"


def not_a_leaflet(source: Source) -> None:
    """A YAML file with none of a leaflet's main keys is some other kind of file: say which, and where it goes."""
    keys = set(source.data)
    if keys & LEAFLET_KEYS:
        return
    if keys & STYLE_KEYS:
        message, hint = "this is a style file, not a leaflet", "put style files in a folder named styles/ (or name it "
        hint += "with --style or a leaflet's style:); " + WHERE_LEAFLETS_ARE
    elif keys & SETTINGS_KEYS or (keys and keys <= {"style", "audiences", "review"}):
        message = "this looks like library settings, not a leaflet"
        hint = "name the file leaflets.yaml, at the library's root; " + WHERE_LEAFLETS_ARE
    else:
        message = "this is not a leaflet: it has none of id, title, review and sections"
        hint = "start from a copy of a leaflet that builds, such as content.yaml; " + WHERE_LEAFLETS_ARE
    raise LeafletError.single(message, source.where(()), hint=hint)


class _Builder:
    """Builds the model and checks what the schema cannot: dates, audiences, citations, images, links.

    It also runs when the schema found errors, skipping the values those errors are in (or under), so
    that one run reports every mistake in the file.
    """

    def __init__(self, source: Source, report: Report, folders: list[Path], invalid: set[KeyPath]) -> None:
        self.source = source
        self.report = report
        self.base_dir = folders[0]
        self.folders = folders
        self.invalid = invalid
        self.lines: list[str] | None = None  # read lazily to place citations exactly
        data = source.data
        self.audiences_known = self.clean(("audiences",))
        listed = data.get("audiences") if self.audiences_known else None
        self.audiences: tuple[str, ...] = audience_names(listed) or DEFAULT_AUDIENCES
        self.falls_back_to = self.fallbacks(listed or [])
        self.citations: list[tuple[Citation, KeyPath]] = []
        self.unchecked_ids: set[str] | None = set()  # ids of references skipped for schema errors
        self.reference_index: dict[str, int] = {}

    def broken(self, path: KeyPath) -> bool:
        return broken(self.invalid, path)

    def clean(self, path: KeyPath) -> bool:
        return clean(self.invalid, path)

    def where(self, path: KeyPath) -> Location:
        return self.source.where(path)

    def error(self, message: str, path: KeyPath, hint: str = "") -> None:
        self.report.error(message, self.where(path), format_path(path), hint)

    def leaflet(self) -> Leaflet | None:
        data = self.source.data
        review = self.review(data.get("review"))
        references = self.references(data.get("references") or [])
        sections = self.sections(data.get("sections") or [], ("sections",))
        key_points = self.items(data.get("key_points") or [], ("key_points",))
        title = self.text(data.get("title"), ("title",))
        self.check_words(title, ("title",), "the title", "write the leaflet's title")
        subtitle = self.text(data.get("subtitle"), ("subtitle",))
        self.check_citations(references)
        glossary = self.glossary(data.get("glossary") or []) if self.clean(("glossary",)) else ()
        history = self.history(data.get("history") or [])
        if self.invalid or review is None:
            return None
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
            history=history,
            falls_back_to=self.falls_back_to,
        )

    # Review dates.
    def review(self, data: Any) -> Review | None:
        path = ("review",)
        if self.broken(path) or not isinstance(data, dict):
            return None
        last = self.date(data.get("last_reviewed"), (*path, "last_reviewed"))
        upcoming = self.date(data.get("next_review"), (*path, "next_review"))
        if last and upcoming and upcoming <= last:
            self.error(
                f"next review ({upcoming.isoformat()}) must come after the last review ({last.isoformat()})",
                (*path, "next_review"),
                "check that the two dates are not swapped",
            )
        if not (last and upcoming and self.clean(path)):
            return None
        return Review(
            last_reviewed=last,
            next_review=upcoming,
            version=str(data["version"]),
            owner=data.get("owner", ""),
            author=data.get("author", ""),
            approved_by=data.get("approved_by", ""),
            last_reviewed_at=self.where(("review", "last_reviewed")),
            next_review_at=self.where(("review", "next_review")),
        )

    def history(self, items: Any) -> tuple[HistoryEntry, ...]:
        if self.broken(("history",)):
            return ()
        entries = []
        for index, data in enumerate(items):
            path: KeyPath = ("history", index)
            if not self.clean(path):
                continue
            when = self.date(data["date"], (*path, "date"))
            if when is None:
                continue
            entries.append(
                HistoryEntry(
                    str(data["version"]), when, data["changes"].strip(), data.get("approved_by", ""), self.where(path)
                )
            )
        return tuple(entries)

    def date(self, text: Any, path: KeyPath) -> date | None:
        if not self.clean(path):
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.error(f"'{text}' is not a real date", path, why_not_real(text))
            return None

    # Audiences.
    def fallbacks(self, listed: list[Any]) -> tuple[tuple[str, str], ...]:
        """(audience, the audience it falls back to) for each audience written 'name: {falls_back_to: other}'."""
        ways: dict[str, str] = {}
        for index, item in enumerate(listed):
            for name, settings in item.items() if isinstance(item, dict) else ():
                path = ("audiences", index, name, "falls_back_to")
                other = settings["falls_back_to"]
                if other == name or other not in self.audiences:
                    import difflib

                    close = difflib.get_close_matches(other, [a for a in self.audiences if a != name], n=1)
                    hint = f"did you mean '{close[0]}'?" if close else "name another audience listed here"
                    what = "itself" if other == name else f"'{other}', which is not one of this leaflet's audiences"
                    self.error(f"'{name}' cannot fall back to {what}", path, hint)
                    continue
                ways[name] = other
        for name in ways:  # carer -> family -> carer would never find text
            seen, at = [name], ways[name]
            while at in ways and at not in seen:
                seen.append(at)
                at = ways[at]
            if at == name:
                index = next(i for i, item in enumerate(listed) if isinstance(item, dict) and name in item)
                self.error(
                    "these audiences fall back to each other in a circle: " + " -> ".join([*seen, name]),
                    ("audiences", index, name, "falls_back_to"),
                    "let one of them fall back to an audience that has text of its own, such as patient",
                )
                return ()
        return tuple(ways.items())

    def audience(self, value: Any, path: KeyPath) -> frozenset[str] | None:
        if value is None or not self.clean(path):
            return None
        names = [value] if isinstance(value, str) else list(value)
        for name in names:
            self.check_audience(name, path)
        return frozenset(names)

    def check_audience(self, name: str, path: KeyPath) -> None:
        if self.audiences_known and name not in self.audiences:
            import difflib

            close = difflib.get_close_matches(name, self.audiences, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known audiences: " + ", ".join(self.audiences)
            self.error(f"unknown audience '{name}'", path, hint)

    # Text.
    def check_words(self, text: RichText, path: KeyPath, what: str, hint: str) -> None:
        """A title or heading must say something: an empty one reads as nothing to a screen reader."""
        if text.parts and not any(visible(char) for char in text.plain()):
            self.error(f"{what} has no words", path, hint)

    def text(self, value: Any, path: KeyPath) -> RichText:
        if value is None or not self.clean(path):
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
        for problem, offset in problems:
            self.report.error(problem, self.locate(text, offset, location, None), format_path(path), LINK_HINT)
        self._collect_citations(inlines, path)
        if "#" in text:
            self.check_markdown_headings(text, location, path)
        return Part(audiences, inlines, location)

    def check_markdown_headings(self, text: str, start: Location, path: KeyPath) -> None:
        """'## Heading' at the start of a line of text is printed as written: say how a section starts."""
        if self.lines is None:
            self.lines = self.source.text.splitlines()
        for found in _MARKDOWN_HEADING.finditer(text):
            where = self.locate(text, found.start(), start, None)
            line = self.lines[where.line - 1] if 0 < where.line <= len(self.lines) else ""
            if found.start() > 0 and line[: where.column - 1].strip():
                continue  # '#' inside a line of text, such as 'room #3'
            heading = _MARKDOWN_HEADING.match(line[where.column - 1 :].rstrip().rstrip("'\""))
            title = heading.group(2).strip() if heading else found.group(2).strip()
            self.report.warning(
                f"'{found.group(1)} {title}' is printed as written, '{found.group(1)}' and all: a line starting with "
                "'#' is not a heading in leaflet",
                where,
                format_path(path),
                "to start a section, end the text before it and begin a new section under 'sections:', like this:",
                ("- heading: " + title, "  blocks:", "    - paragraph: ..."),
            )

    def locate(self, text: str, offset: int, start: Location, end: str | None = "]") -> Location:
        """The exact line and column of text[offset:] in the file, searched from where the text starts.

        The needle runs up to the first `end` (citations end with ']'), or, with end None, to the first space.
        """
        if self.lines is None:
            self.lines = self.source.text.splitlines()
        rest = text[offset:]
        needle = (rest.split() or [""])[0] if end is None else rest.split(end, 1)[0] + end
        if not needle:
            return start
        for number in range(max(start.line - 1, 0), len(self.lines)):
            column = self.lines[number].find(needle, start.column - 1 if number == start.line - 1 else 0)
            if column >= 0:
                return Location(start.file, number + 1, column + 1)
        return start

    def _collect_citations(self, inlines: tuple[Inline, ...], path: KeyPath) -> None:
        self.citations += [(item, path) for item in walk_inlines(inlines) if isinstance(item, Citation)]

    # Structure.
    def sections(self, items: Any, path: KeyPath) -> tuple[Section, ...]:
        if self.broken(path):
            return ()
        return tuple(
            section for section in (self.section(s, (*path, i)) for i, s in enumerate(items)) if section is not None
        )

    def section(self, data: Any, path: KeyPath) -> Section | None:
        if self.broken(path):
            return None
        heading = self.text(data.get("heading"), (*path, "heading"))
        self.check_words(heading, (*path, "heading"), "this heading", "write the heading")
        blocks = self.blocks(data.get("blocks") or [], (*path, "blocks"))
        sections = self.sections(data.get("sections") or [], (*path, "sections"))
        if not data.get("blocks") and not data.get("sections"):
            self.error(
                "this section is empty", path, "add 'blocks:' with at least one paragraph, or remove the section"
            )
        audiences = self.audience(data.get("audience"), (*path, "audience"))
        return Section(heading, blocks, sections, audiences, self.where(path), _placement(data))

    def blocks(self, items: Any, path: KeyPath, boxes: int = 0) -> tuple[Block, ...]:
        """The blocks at path, inside boxes callouts."""
        if self.broken(path):
            return ()
        built = (self.block(item, (*path, i), boxes) for i, item in enumerate(items))
        return tuple(block for block in built if block is not None)

    def block(self, data: Any, path: KeyPath, boxes: int = 0) -> Block | None:
        if self.broken(path):
            return None
        kind = next(k for k in BLOCK_KINDS if k in data)
        audiences = self.audience(data.get("audience"), (*path, "audience"))
        location = self.where(path)
        placement = _placement(data)
        value = data[kind]
        inner = (*path, kind)
        if kind == "paragraph":
            return Paragraph(self.text(value, inner), audiences, location, placement)
        if kind in ("bullets", "numbered"):
            return ListBlock(kind == "numbered", self.items(value, inner), audiences, location, placement)
        if kind == "callout":
            if self.broken(inner):
                return None
            if boxes == MAX_BOX_DEPTH:
                self.error(
                    f"a box inside {MAX_BOX_DEPTH} other boxes: boxes may be nested at most {MAX_BOX_DEPTH} deep",
                    inner,
                    "take this box out of the one around it; each box makes the text narrower",
                )
            return Callout(
                self.text(value.get("title"), (*inner, "title")),
                value.get("tone", "info"),
                self.blocks(value.get("blocks") or [], (*inner, "blocks"), boxes + 1),
                audiences,
                location,
                placement,
            )
        if kind == "image":
            if self.broken(inner):
                return None
            return Image(
                self.image_path(value.get("file"), (*inner, "file")),
                self.text(value.get("alt"), (*inner, "alt")),
                self.text(value.get("caption"), (*inner, "caption")),
                value.get("width_mm"),
                audiences,
                location,
                placement,
            )
        return ContactBlock(self.text(value, inner), audiences, location, placement)

    def items(self, items: Any, path: KeyPath, depth: int = 1) -> tuple[ListItem, ...]:
        if self.broken(path):
            return ()
        result = []
        for index, item in enumerate(items):
            item_path = (*path, index)
            if not self.clean(item_path):
                continue
            if isinstance(item, dict) and "text" in item:
                children = item.get("items") or []
                if children and depth == MAX_LIST_DEPTH:
                    self.report.warning(
                        f"lists nested more than {MAX_LIST_DEPTH} levels deep are printed {MAX_LIST_DEPTH} levels deep",
                        self.where((*item_path, "items")),
                        format_path((*item_path, "items")),
                        "fewer levels are easier to follow",
                    )
                result.append(
                    ListItem(
                        self.text(item["text"], (*item_path, "text")),
                        self.items(children, (*item_path, "items"), depth + 1),
                        self.audience(item.get("audience"), (*item_path, "audience")),
                        self.where(item_path),
                    )
                )
            else:
                result.append(ListItem(self.text(item, item_path), (), None, self.where(item_path)))
        return tuple(result)

    def image_path(self, name: Any, path: KeyPath) -> str:
        if not self.clean(path):
            return ""
        from .images import Problem, find_image  # only for leaflets with images

        found = find_image(name, self.folders)
        if isinstance(found, Problem):
            self.error(found.message, path, found.hint)
            return ""
        return str(found)

    # Glossary.
    def glossary(self, items: list[dict[str, Any]]) -> tuple[GlossaryEntry, ...]:
        seen: dict[str, str] = {}  # every form, lower-case -> the term it belongs to
        entries = []
        for index, data in enumerate(items):
            path = ("glossary", index)
            definition = self.text(data["definition"], (*path, "definition"))
            if any(isinstance(item, Citation) for item in walk_inlines(definition.inlines)):
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
                if not any(visible(char) for char in form):
                    self.error("has no words", form_path, "write the word as the text uses it")
                    continue
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
    def references(self, items: Any) -> tuple[Reference, ...]:
        if self.broken(("references",)):
            self.unchecked_ids = None
            return ()
        seen: dict[str, int] = {}
        result = []
        for index, data in enumerate(items):
            path = ("references", index)
            if not self.clean(path):
                if isinstance(data, dict) and isinstance(data.get("id"), str) and self.unchecked_ids is not None:
                    self.unchecked_ids.add(data["id"])
                continue
            ref_id = data["id"]
            if ref_id in seen:
                self.error(
                    f"duplicate reference id '{ref_id}' (also references[{seen[ref_id]}])",
                    (*path, "id"),
                    "give each reference its own id",
                )
                continue
            seen[ref_id] = index
            self.reference_index[ref_id] = index
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
        if self.unchecked_ids is None:
            return  # the reference list itself is wrong: nothing to check the citations against
        known = {r.id for r in references} | self.unchecked_ids
        cited: set[str] = set()
        for citation, path in self.citations:
            for key in citation.keys:
                cited.add(key)
                if key not in known:
                    import difflib

                    close = difflib.get_close_matches(key, sorted(known), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else "add it under 'references:' with this id"
                    message = f"citation [@{key}] has no matching reference"
                    self.report.error(message, citation.location, format_path(path), hint)
        if self.invalid:
            return  # some text was skipped, so a reference may be cited where we did not look
        for reference in references:
            if reference.id not in cited:
                self.report.warning(
                    f"reference '{reference.id}' is never cited",
                    reference.location,
                    f"references[{self.reference_index[reference.id]}]",
                    f"cite it in the text as [@{reference.id}], or remove it",
                )


def audience_names(listed: Any) -> tuple[str, ...] | None:
    """The audience names of a content file's 'audiences:' list as written (a name, or 'name: {falls_back_to:
    ...}'), or None when it is missing or not such a list."""
    if not isinstance(listed, list):
        return None
    names: list[str] = []
    for item in listed:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and all(isinstance(k, str) for k in item):
            names += item
        else:
            return None
    return tuple(names) or None


def _placement(data: dict[str, Any]) -> Placement:
    """The author's page-layout requests for a block or section (checked by the schema)."""
    if "keep_together" not in data and "page_break" not in data:
        return ANYWHERE
    return Placement(bool(data.get("keep_together")), data.get("page_break") == "before")


# Letters that print as nothing: the Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(char: str) -> bool:
    """Whether a character prints as something: not a space, an invisible format character (such as a
    zero-width space), a lone combining mark or a blank letter."""
    return unicodedata.category(char)[0] not in "ZCM" and char not in _BLANK_LETTERS


def _whole(number: int | float | None) -> int | None:
    """YAML reads 5.0 as a float; the schema accepts it as the whole number it is."""
    return None if number is None else int(number)
