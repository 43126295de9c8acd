"""Load a YAML file safely into plain data plus a map from key paths to source positions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import LeafletError, Location

KeyPath = tuple[str | int, ...]
MAX_FILE_BYTES = 5_000_000


# libyaml's parser when the PyYAML wheel has it (it is several times faster), the Python one otherwise.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that keeps dates as text, so the model can check them and explain mistakes."""


_Loader.yaml_implicit_resolvers = {
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
    if not path.exists():
        raise LeafletError.single("file not found", Location(name), hint="check the path and spelling")
    if path.is_dir():
        raise LeafletError.single("is a folder, not a YAML file", Location(name), hint="give the path of a .yaml file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LeafletError.single(f"cannot read the file ({exc.strerror})", Location(name)) from None
    if len(raw) > MAX_FILE_BYTES:
        raise LeafletError.single(f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}", Location(name))
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
        raise LeafletError.single(
            "the file is empty", Location(name), hint="see docs/content-reference.md for a complete example"
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LeafletError.single("the file holds no YAML content", Location(name))
        positions: dict[KeyPath, tuple[int, int]] = {}
        key_positions: dict[KeyPath, tuple[int, int]] = {}
        _record_positions(node, (), positions, key_positions, set(), name)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        problem = exc.problem or exc.context or "invalid YAML"
        raise LeafletError.single(f"YAML syntax error: {problem}", location, hint=_yaml_hint(problem)) from None
    except yaml.YAMLError as exc:
        raise LeafletError.single(f"YAML error: {exc}", Location(name)) from None
    finally:
        loader.dispose()
    return Source(data, name, positions, key_positions, text)


def _yaml_hint(problem: str) -> str:
    if "\t" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "could not determine a constructor" in problem:
        return "only plain text, numbers, lists and key: value pairs are allowed; remove the '!' tag"
    if "mapping values are not allowed" in problem:
        return "a ':' followed by a space inside text needs the whole text in quotes"
    if "found unexpected end of stream" in problem or "quoted scalar" in problem:
        return "check for a missing closing quote"
    if "expected <block end>" in problem or "indentation" in problem:
        return "check the indentation: items at the same level must line up"
    return ""


def _record_positions(
    node: yaml.Node,
    path: KeyPath,
    positions: dict[KeyPath, tuple[int, int]],
    key_positions: dict[KeyPath, tuple[int, int]],
    seen: set[int],
    name: str,
) -> None:
    """Walk the node graph once; a node met twice is an alias, which we refuse (no alias bombs)."""
    if id(node) in seen:
        mark = node.start_mark
        raise LeafletError.single(
            "YAML anchors and aliases (&name / *name) are not supported",
            Location(name, mark.line + 1, mark.column + 1),
            format_path(path),
            hint="write the text out in full",
        )
    seen.add(id(node))
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            child = (*path, key)
            key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _record_positions(value_node, child, positions, key_positions, seen, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, (*path, index), positions, key_positions, seen, name)
