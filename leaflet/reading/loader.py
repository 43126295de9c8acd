"""Load a YAML file safely into plain data plus a map from key paths to source positions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import Diagnostic, LeafletError, Location
from .files import MAX_YAML_BYTES, InputError, read_input

KeyPath = tuple[str | int, ...]
MAX_DEPTH = 60  # key-path length; deeper data is refused, so no later stage can run out of stack
# One value (a paragraph, a list item, a title) holds at most this many characters: about three pages of
# text, far more than a leaflet's paragraph needs, and little enough that laying it out (which ReportLab
# redoes for the rest of a paragraph on every page) and parsing its markup stay fast.
MAX_TEXT_CHARACTERS = 10_000
_YAML_TAG = "tag:yaml.org,2002:"
_STR = _YAML_TAG + "str"
_FLOAT = _YAML_TAG + "float"
# Text, numbers, yes/no, nothing, lists and mappings: every tag a leaflet needs, and none that builds objects.
_ALLOWED_TAGS = {_YAML_TAG + kind for kind in ("str", "int", "float", "bool", "null", "seq", "map")}


class _TextKeys:
    """Keeps every mapping key as the text written: '1:' or 'yes:' is the key '1' or 'yes'."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        return {key.value: self.construct_object(value, deep=deep) for key, value in node.value}  # type: ignore[attr-defined]


class _PyLoader(_TextKeys, yaml.SafeLoader):
    """The safe Python loader, with dates kept as text and keys as text."""


# libyaml's parser, when the PyYAML wheel has it, is several times faster; a file it refuses is parsed again
# with the Python one, whose messages say more about the mistake.
_Loader: type = _PyLoader
if hasattr(yaml, "CSafeLoader"):

    class _Loader(_TextKeys, yaml.CSafeLoader):  # type: ignore[no-redef]
        """The safe libyaml loader, with dates kept as text and keys as text."""


_PyLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    """Parsed YAML: the data, where each value and key starts, and the file it came from."""

    data: Any
    file: str
    positions: dict[KeyPath, tuple[int, int]]
    key_positions: dict[KeyPath, tuple[int, int]]
    text: str = ""

    def where(self, path: KeyPath) -> Location:
        """The position of the value at path, or of its closest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found:
                return Location(self.file, *found)
        return Location(self.file)

    def where_key(self, path: KeyPath) -> Location:
        found = self.key_positions.get(path)
        return Location(self.file, *found) if found else self.where(path)


def format_path(path: KeyPath) -> str:
    """('sections', 2, 'heading') -> 'sections[2].heading'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_yaml(path: Path, display_name: str | None = None) -> Source:
    """Read and parse path; raise LeafletError with a located message on any problem."""
    name = display_name or str(path)
    try:
        raw = read_input(path, MAX_YAML_BYTES, "YAML file")
    except InputError as problem:
        message = "file not found" if problem.missing else problem.message
        raise LeafletError.single(message, Location(name), hint=problem.hint) from None
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> Source:
    """Parse YAML bytes (UTF-8) into a Source."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LeafletError.single(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            Location(name, line, column),
            hint="save the file as UTF-8 in your editor",
        ) from None
    if "\x00" in text:
        raise LeafletError.single("contains NUL bytes; this is not a text file", Location(name))
    if not text.strip():
        raise LeafletError.single("the file is empty", Location(name), hint="check that you gave the right file")
    try:
        return _parse(text, name, _Loader)
    except LeafletError:
        if _Loader is _PyLoader:
            raise
        return _parse(text, name, _PyLoader)


def _parse(text: str, name: str, loader_class: type) -> Source:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:
        raise _unprintable(text, exc.position, name) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise LeafletError.single("the file holds no YAML content", Location(name))
        positions: dict[KeyPath, tuple[int, int]] = {}
        key_positions: dict[KeyPath, tuple[int, int]] = {}
        problems: list[Diagnostic] = []
        walk = _Walk(name, positions, key_positions, problems, loader.resolve, text)
        walk.node(node, ())
        if problems:
            raise LeafletError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, name, text) from None
    except yaml.YAMLError as exc:
        raise LeafletError.single(f"YAML error: {exc}", Location(name)) from None
    except RecursionError:
        raise LeafletError.single(
            "the file is nested too deeply", Location(name), hint="flatten the structure"
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. '!!int x': the tag's constructor refuses the text
        raise LeafletError.single(f"YAML value cannot be read: {exc}", Location(name)) from None
    finally:
        loader.dispose()
    return Source(data, name, positions, key_positions, text)


def _syntax_error(exc: yaml.MarkedYAMLError, name: str, text: str) -> LeafletError:
    """A located syntax error; an unclosed quote or bracket is reported where it was opened, text that starts with
    one of YAML's signs where it starts."""
    context, opened = exc.context or "", exc.context_mark
    for mark in (exc.problem_mark, opened):
        quoted = mark and needs_quotes(text, mark.line)
        if mark and quoted:
            where = Location(name, mark.line + 1, quoted[1])
            return LeafletError.single(quoted[0], where, hint=AS_INDENTED, example=quoted[2])
    if "mapping values are not allowed" in (exc.problem or "") and exc.problem_mark:
        colon = colon_in_text(text, exc.problem_mark.line)
        if colon:
            where = Location(name, exc.problem_mark.line + 1, colon[1])
            return LeafletError.single(colon[0], where, hint=AS_INDENTED, example=colon[2])
    if opened and "quoted scalar" in context:
        where = Location(name, opened.line + 1, opened.column + 1)
        return LeafletError.single("YAML syntax error: this quote is never closed", where, hint="add the closing quote")
    if opened and context.startswith("while parsing a flow ") and (exc.problem or "").startswith("expected ','"):
        bracket = "[" if "sequence" in context else "{"
        where = Location(name, opened.line + 1, opened.column + 1)
        closing = "]" if bracket == "[" else "}"
        return LeafletError.single(
            f"YAML syntax error: this '{bracket}' is never closed",
            where,
            hint=f"add '{closing}' at the end of the list",
        )
    mark = exc.problem_mark or opened
    location = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    message, hint = _yaml_problem(exc.problem or context or "invalid YAML")
    return LeafletError.single(message, location, hint=hint)


def _unprintable(text: str, position: int, name: str) -> LeafletError:
    """A located error for a character YAML refuses (control characters and the like)."""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = text[position] if position < len(text) else "\x00"
    return LeafletError.single(_why_refused(char), Location(name, line, column), hint=DELETE_HINT)


def _yaml_problem(problem: str) -> tuple[str, str]:
    """The message and hint for a YAML syntax error."""
    if "'\\t'" in problem or "\t" in problem:
        return "YAML syntax error: a tab character where YAML expects spaces", "indent with spaces, not tabs"
    if "could not determine a constructor" in problem:
        return f"YAML syntax error: {problem}", "only plain text, numbers, lists and 'name: value' lines are allowed"
    if "found unhashable key" in problem:
        return "YAML syntax error: a key must be plain text", "remove the '?' or the brackets before the ':'"
    if "mapping values are not allowed" in problem:
        return (
            f"YAML syntax error: {problem}",
            "check the indentation of this line; text that holds ': ' must be put in quotes",
        )
    if "found unexpected end of stream" in problem or "quoted scalar" in problem:
        return f"YAML syntax error: {problem}", "check for a missing closing quote"
    if "expected ',' or ']'" in problem:
        return f"YAML syntax error: {problem}", "check for a missing closing ']'"
    if "expected ',' or '}'" in problem:
        return f"YAML syntax error: {problem}", "check for a missing closing '}'"
    if "expected <block end>" in problem or "indentation" in problem:
        return f"YAML syntax error: {problem}", "check the indentation: items at the same level must line up"
    if "found character '@' that cannot start any token" in problem or "'`'" in problem:
        return f"YAML syntax error: {problem}", "text that starts with @ or ` must be put in quotes"
    return f"YAML syntax error: {problem}", ""


AS_INDENTED = "write the line like this, indented as it is now:"

# What YAML reads a sign at the start of a value as; text starting with one must be in quotes.
_SIGNS = {
    "*": "a reference to an anchor (*name)",
    "&": "an anchor (&name)",
    "!": "a tag (!name)",
    "|": "'the text follows on the next lines'",
    ">": "'the text follows on the next lines'",
    "%": "a directive",
    "@": "a reserved sign",
    "`": "a reserved sign",
}
# A line whose value (after the indentation, any '- ' and any 'name: ') starts with one of the signs.
_SIGNED_VALUE = re.compile(
    r"^(?P<lead>[ \t]*(?:-[ \t]+)*(?:[^\s#'\"?:,\[\]{}|>*&!%@`-][^#\n]*?:[ \t]+)?)(?P<value>[*&!|>%@`].*?)[ \t]*$"
)
_BLOCK_TEXT = re.compile(r"[|>][-+0-9]*[ \t]*(#.*)?")  # '|' or '>' alone: the text is on the next lines


def needs_quotes(text: str, line: int) -> tuple[str, int, tuple[str]] | None:
    """For a line (0-based) whose value starts with one of YAML's signs: the message, the value's column (1-based)
    and the line rewritten in quotes; None for any other line."""
    lines = text.splitlines()
    found = _SIGNED_VALUE.match(lines[line]) if 0 <= line < len(lines) else None
    if not found or _BLOCK_TEXT.fullmatch(found["value"]):
        return None
    value, comment = found["value"], ""
    if " #" in value:  # a comment after the text stays a comment
        value, comment = value.split(" #", 1)
        value, comment = value.rstrip(), "  #" + comment
    sign = value[0]
    lead = found["lead"].lstrip(" \t")
    message = f"text that starts with '{sign}' must be put in quotes: YAML reads it as {_SIGNS[sign]}"
    return message, len(found["lead"]) + 1, (lead + _quoted(value) + comment,)


def _quoted(value: str) -> str:
    """value in YAML quotes: double quotes if it holds a ' (and nothing double quotes would change), else single."""
    if "'" in value and '"' not in value and "\\" not in value:
        return '"' + value + '"'
    return "'" + value.replace("'", "''") + "'"  # in single quotes, '' stands for one '


# A line whose text (after the indentation, any '- ' and any 'name: ') holds ': ', unquoted or in curly quotes.
_COLON_TEXT = re.compile(
    r"^(?P<lead>[ \t]*(?:-[ \t]+)*(?:[a-z_]+:[ \t]+)?)(?P<value>[^'\"\s#\[\]{}|>*&!%@`-][^#\n]*?:[ \t][^#\n]*?)[ \t]*$"
)
_CURLY_QUOTES = {"\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c"}  # “…”, ‘…’ and „…“ from word processors


def colon_in_text(text: str, line: int) -> tuple[str, int, tuple[str]] | None:
    """For a line (0-based) of text that holds ': ', which YAML takes for a 'name: value' line: the message, the
    text's column (1-based) and the line rewritten in quotes; None for any other line."""
    lines = text.splitlines()
    found = _COLON_TEXT.match(lines[line]) if 0 <= line < len(lines) else None
    if not found:
        return None
    value = found["value"]
    lead = found["lead"].lstrip(" \t")
    column = len(found["lead"]) + 1
    if value[0] in _CURLY_QUOTES and value.endswith(_CURLY_QUOTES[value[0]]):
        message = (
            f"text that holds ': ' must be put in quotes, and {value[0]}{_CURLY_QUOTES[value[0]]} (curly quotes, as a "
            "word processor types them) are not quotes to YAML: use straight quotes"
        )
        return message, column, (lead + _quoted(value[1:-1]),)
    message = "text that holds ': ' must be put in quotes: YAML reads what comes before ': ' as the name of a setting"
    return message, column, (lead + _quoted(value),)


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides and isolates: not the LRM and RLM marks
# Cc but tab and line ends; Cs; the non-characters (XML cannot hold U+FFFE or U+FFFF); direction controls.
_REFUSED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}{_BIDI_CONTROLS}]")
DELETE_HINT = "delete it; it often comes from copying text out of another program"


def _bad_character(text: str) -> str:
    """The first character that must not appear in leaflet text, or ''."""
    match = _REFUSED.search(text)
    return match.group() if match else ""


def _why_refused(char: str) -> str:
    code = f"U+{ord(char):04X}"
    category = unicodedata.category(char)
    if category == "Cs":
        return f"contains an invalid character ({code})"
    if category == "Cc" or not _REFUSED.match(char):  # also a character only YAML refuses, such as U+FEFF inside
        return f"contains an invisible control character ({code})"
    if category == "Cn":
        return f"contains {code}, which is not a character"
    name = unicodedata.name(char, "")
    return f"contains an invisible direction control ({code} {name}), which can make text read backwards"


def _finite(value: str) -> bool:
    """Whether a YAML float is a finite number (not .nan, .inf, or too large for a float)."""
    import math

    if re.fullmatch(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)", value):
        return False
    try:
        return math.isfinite(float(value.replace("_", "")))
    except ValueError:  # a form YAML 1.1 reads and Python does not, such as 1:30.5 (sexagesimal): finite
        return True


def clean_text(value: str) -> str:
    """Text as leaflet keeps it: composed (NFC, so an accent stays on its letter in any font) and without
    spaces or line breaks at either end (a YAML '|' block ends with one; no value needs them)."""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value.strip()


class _Walk:
    """Walk the node graph once, noting positions and collecting problems.

    A node met twice is an alias, which we refuse (no alias bombs); so are tags that construct anything
    but text, numbers, yes/no, lists and mappings, invisible control characters and duplicate keys.
    """

    def __init__(self, name, positions, key_positions, problems, resolve, text: str = "") -> None:
        self.name = name
        self.text = text
        self.positions: dict[KeyPath, tuple[int, int]] = positions
        self.key_positions: dict[KeyPath, tuple[int, int]] = key_positions
        self.problems: list[Diagnostic] = problems
        self.resolve = resolve
        self.seen: dict[int, KeyPath] = {}  # node id -> where it was first met
        self.aliases = 0

    def problem(self, message: str, node: yaml.Node, path: KeyPath, hint: str, example: tuple[str, ...] = ()) -> None:
        mark = node.start_mark
        where = Location(self.name, mark.line + 1, mark.column + 1)
        self.problems.append(Diagnostic("error", message, where, format_path(path), hint, example))

    def node(self, node: yaml.Node, path: KeyPath) -> None:
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases == 1:  # one message is enough, however many there are (an alias bomb has thousands)
                self.problem(
                    "YAML anchors and aliases (&name / *name) are not supported; "
                    f"this is used again at {format_path(path)}",
                    node,
                    self.seen[id(node)],
                    "write the text out in full",
                )
            return
        self.seen[id(node)] = path
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        # An anchor (&name) or a tag of one's own (!name) is almost always text that starts with '&' or '!'.
        sign = self.text[node.start_mark.index : node.start_mark.index + 1]
        plain = isinstance(node, yaml.ScalarNode) and not node.style
        if plain and (sign == "&" or (sign == "!" and not node.tag.startswith(_YAML_TAG))):
            quoted = needs_quotes(self.text, node.start_mark.line)
            if quoted:
                self.problem(quoted[0], node, path, AS_INDENTED, quoted[2])
                return
        if len(path) > MAX_DEPTH:
            self.problem(f"nested more than {MAX_DEPTH} levels deep", node, path[:4], "flatten it")
            return
        if node.tag not in _ALLOWED_TAGS:
            self.problem(
                f"the YAML tag '{_tag_name(node.tag)}' is not allowed",
                node,
                path,
                "remove the tag: write plain text, numbers, lists and 'name: value' lines only",
            )
        elif isinstance(node, yaml.ScalarNode):
            self.scalar(node, path)
        elif isinstance(node, yaml.MappingNode):
            self.mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                colon = self.text_with_colon(item)
                if colon:
                    self.problem(colon[0], item, (*path, index), AS_INDENTED, colon[2])
                    continue
                self.node(item, (*path, index))

    def text_with_colon(self, item: yaml.Node) -> tuple[str, int, tuple[str]] | None:
        """For a list item such as '- Tip: rest first', which YAML reads as a setting called 'Tip': the message and
        the line in quotes. No setting's name starts with a capital or holds a space, so such an item is text."""
        if not (isinstance(item, yaml.MappingNode) and item.flow_style is not True and len(item.value) == 1):
            return None
        key, value = item.value[0]
        if not (isinstance(key, yaml.ScalarNode) and not key.style and isinstance(value, yaml.ScalarNode)):
            return None
        if not (key.value[:1].isupper() or " " in key.value) or key.start_mark.line != value.start_mark.line:
            return None
        return colon_in_text(self.text, key.start_mark.line)

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> None:
        # Text needs no look; a number, yes/no or nothing must be what its tag says.
        if node.tag != _STR and node.tag != self.resolve(yaml.ScalarNode, node.value, (True, False)):
            self.problem(f"'{node.value}' cannot be read as {_tag_name(node.tag)}", node, path, "remove the tag")
        elif node.tag == _FLOAT and not _finite(node.value):
            # .nan passes every 'at least' and 'at most' check (each comparison is false), and .inf or 1e999
            # breaks arithmetic: no setting needs them.
            self.problem(f"'{node.value}' is not a number that can be used", node, path, "write a number such as 12")
        bad = _bad_character(node.value)
        if bad:
            self.problem(_why_refused(bad), node, path, DELETE_HINT)
        elif len(node.value) > MAX_TEXT_CHARACTERS:
            self.problem(
                f"this text is {len(node.value):,} characters long; the limit is {MAX_TEXT_CHARACTERS:,}",
                node,
                path,
                "split it into several paragraphs or list items (a page holds about 3,000 characters)",
            )
        elif node.tag == _STR:
            node.value = clean_text(node.value)  # what the document is built from

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> None:
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    "a key must be plain text", key_node, path, "remove the '?' or the brackets before the ':'"
                )
                continue
            key = key_node.value = clean_text(key_node.value)
            child = (*path, key)
            key_line = key_node.start_mark.line + 1
            if key in first_line:
                self.problem(
                    f"the key '{key}' appears twice (first on line {first_line[key]})",
                    key_node,
                    child,
                    "remove one of them; YAML would silently keep only the last",
                )
                continue
            first_line[key] = key_line
            self.key_positions[child] = (key_line, key_node.start_mark.column + 1)
            self.node(value_node, child)
