"""Check parsed YAML against a JSON Schema and turn every failure into a plain-English diagnostic."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..core.dates import suggest as suggest_date
from ..core.errors import Report
from .loader import KeyPath, Source, format_path

# What each JSON type is called in messages: in the author's terms, as the YAML looks.
TYPE_NAMES = {
    "string": "text",
    "array": "a list (lines starting with '- ')",
    "object": "'name: value' lines",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "yes or no",
    "null": "nothing",
}


SCHEMA_DIR = Path(__file__).parent.parent / "schemas"


@cache
def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text("utf-8"))


def describe(value: Any) -> str:
    """How a found value is named in messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (read as yes/no)"
    if isinstance(value, str):
        if len(value) <= 40:
            return f"the text '{value}'"
        return f"the text '{value[:37]}...' ({len(value):,} characters)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list (lines starting with '- ')"
    if isinstance(value, dict):
        return f"'{next(iter(value), '')}: ...'" if len(value) == 1 else "'name: value' lines"
    return type(value).__name__


def check(source: Source, schema_name: str, report: Report) -> bool:
    """Report every schema violation in source; True when there were none."""
    return not invalid_paths(source, schema_name, report)


def invalid_paths(source: Source, schema_name: str, report: Report) -> set[KeyPath]:
    """Report every schema violation in source; return the key paths of the values that are wrong.

    A missing key counts as a wrong value at its own path, an unknown key likewise, so that the later
    stages can still check every part of the file that is not among (or inside) these paths.
    """
    schema = load_schema(schema_name)
    if conforms(source.data, schema, schema):
        return set()
    # jsonschema is the reference implementation; it costs ~40 ms to import, so only a file with
    # mistakes pays for it, to have every violation found and explained.
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(source.data), key=lambda e: source.where(tuple(e.absolute_path)).line)
    paths: set[KeyPath] = set()
    # A value of the wrong type also fails the alternatives and required keys around it: say it once.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    said = Report()
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and tuple(error.absolute_path) in mistyped:
            paths.add(tuple(error.absolute_path))
            continue
        _explain(error, source, said, schema)
        path = tuple(error.absolute_path)
        if error.validator == "required":
            paths.add((*path, _quoted(error.message)))
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            paths.update((*path, key) for key in error.instance if key not in allowed)
        else:
            paths.add(path)
    for diagnostic in said.diagnostics:
        if diagnostic not in report.diagnostics:
            report.diagnostics.append(diagnostic)
    return paths


def broken(invalid: set[KeyPath], path: KeyPath) -> bool:
    """Whether the schema found the value at path, or a value it lies inside, wrong."""
    return any(path[: len(bad)] == bad for bad in invalid)


def clean(invalid: set[KeyPath], path: KeyPath) -> bool:
    """Whether the value at path and everything inside it passed the schema."""
    return not any(path[: len(bad)] == bad or bad[: len(path)] == path for bad in invalid)


def _quoted(message: str) -> str:
    """The first 'quoted' word of a jsonschema message."""
    return message.split("'")[1] if "'" in message else message


_JSON_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    # JSON has one number type: 1.0 is an integer, as jsonschema agrees.
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
_KNOWN_KEYWORDS = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties", "additionalProperties",
    "required", "items", "anyOf", "oneOf", "not", "enum", "pattern", "minItems", "minProperties", "minLength",
    "uniqueItems", "minimum", "maximum", "exclusiveMinimum", "propertyNames", "x-expected", "x-hint", "x-format",
}  # fmt: skip


def conforms(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool:
    """A fast yes/no check of value against the subset of JSON Schema our schemas use.

    A keyword outside that subset raises, so a schema change cannot silently weaken the check;
    tests compare its verdicts with jsonschema's on generated documents.
    """
    unknown = schema.keys() - _KNOWN_KEYWORDS
    if unknown:
        raise NotImplementedError(f"schema keyword(s) {sorted(unknown)} not supported by the fast check")
    if "$ref" in schema and not conforms(value, _resolve(schema["$ref"], root), root):
        return False
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_JSON_TYPES[k](value) for k in kinds):
            return False
    if "enum" in schema and not any(value == v and type(value) is type(v) for v in schema["enum"]):
        return False
    if "not" in schema and conforms(value, schema["not"], root):
        return False
    if "anyOf" in schema and not any(conforms(value, s, root) for s in schema["anyOf"]):
        return False
    if "oneOf" in schema and sum(conforms(value, s, root) for s in schema["oneOf"]) != 1:
        return False
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return False
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return False
        if schema.get("uniqueItems") and len({json.dumps(v, sort_keys=True, default=str) for v in value}) < len(value):
            return False
        if "items" in schema and not all(conforms(v, schema["items"], root) for v in value):
            return False
    elif isinstance(value, dict):
        return _object_conforms(value, schema, root)
    return True


def _object_conforms(value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any]) -> bool:
    if len(value) < schema.get("minProperties", 0):
        return False
    if any(key not in value for key in schema.get("required", ())):
        return False
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if "propertyNames" in schema and not conforms(key, schema["propertyNames"], root):
            return False
        if key in properties:
            if not conforms(item, properties[key], root):
                return False
        elif extra is False or (isinstance(extra, dict) and not conforms(item, extra, root)):
            return False
    return True


def _expected(schema: dict[str, Any], root: dict[str, Any]) -> str:
    """A short description of what a schema accepts."""
    if "$ref" in schema:
        schema = _resolve(schema["$ref"], root)
    if "x-expected" in schema:
        return schema["x-expected"]
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kinds = schema.get("type")
    if kinds == "object" and schema.get("properties"):
        names = [*schema.get("required", ()), *(k for k in schema["properties"] if k not in schema.get("required", ()))]
        return f"'name: value' lines ({', '.join(names[:4])}{', ...' if len(names) > 4 else ''})"
    if isinstance(kinds, str):
        return TYPE_NAMES.get(kinds, kinds)
    if isinstance(kinds, list):
        return " or ".join(TYPE_NAMES.get(str(k), str(k)) for k in kinds)
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return " or ".join(_expected(branch, root) for branch in schema[combinator])
    return "something else"


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _explain(error: Any, source: Source, report: Report, root: dict[str, Any]) -> None:
    path = tuple(error.absolute_path)
    key_path = format_path(path)
    where = source.where(path)
    kind = error.validator
    value = error.instance
    if kind == "additionalProperties":
        import difflib

        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed), key=str):
            where_key, key_path = source.where_key((*path, key)), format_path((*path, key))
            moved = _elsewhere(source, root, path, str(key))
            if moved:
                report.error(f"unknown key '{key}' here: {moved[0]}", where_key, key_path, moved[1], moved[2])
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed here: " + ", ".join(allowed)
            report.error(f"unknown key '{key}'", where_key, key_path, hint)
    elif kind == "required":
        missing = _quoted(error.message)
        report.error(f"missing required key '{missing}'", where, key_path, f"add '{missing}:' here")
    elif kind == "type":
        kinds = _block_kinds(error.schema, root)
        if kinds and not isinstance(value, dict):
            hint, example = _block_hint(kinds, value)
            report.error(f"expected a block, got {describe(value)}", where, key_path, hint, example)
        else:
            expected = _expected(error.schema, root)
            hint, example = _type_hint(value), ()
            if not hint:
                hint, example = _shape_hint(error.schema, value, source, path)
            report.error(f"expected {expected}, got {describe(value)}", where, key_path, hint, example)
    elif kind == "pattern":
        expected = error.schema.get("x-expected", f"text matching {error.schema['pattern']}")
        hint = error.schema.get("x-hint", "")
        if error.schema.get("x-format") == "date" and isinstance(value, str):
            hint = suggest_date(value)
        report.error(f"expected {expected}, got {describe(value)}", where, key_path, hint)
    elif kind == "enum":
        import difflib

        options = [str(v) for v in error.validator_value]
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
        report.error(f"expected one of {', '.join(options)}, got {describe(value)}", where, key_path, hint)
    elif kind in ("minItems", "minProperties"):
        report.error("must not be empty", where, key_path, "add at least one entry, or remove the key")
    elif kind == "minLength":
        report.error("must not be empty", where, key_path)
    elif kind == "uniqueItems":
        report.error("lists the same entry twice", where, key_path)
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        expected = error.schema.get("x-expected", f"a value {kind} {error.validator_value}")
        report.error(f"expected {expected}, got {describe(value)}", where, key_path)
    elif kind == "not":
        report.error(f"{describe(value)} is a reserved word here", where, key_path, "choose another name")
    elif kind == "oneOf" and isinstance(value, dict) and all("required" in b for b in error.validator_value):
        kinds = [b["required"][0] for b in error.validator_value]
        present = [k for k in kinds if k in value]
        if present:
            report.error(
                f"holds {' and '.join(present)}; a block holds exactly one",
                where,
                key_path,
                "split it into separate blocks, each starting with '- '",
            )
        else:
            report.error(f"a block needs one of: {_either(kinds)}", where, key_path)
    elif kind in ("anyOf", "oneOf"):
        _explain_alternatives(error, source, report, root)
    else:
        report.error(error.message, where, key_path)


def _explain_alternatives(error: Any, source: Source, report: Report, root: dict[str, Any]) -> None:
    """For 'one of several shapes', explain the closest shape's failure, or list the shapes."""
    value = error.instance
    json_type = _json_type(value)
    same_type = [
        sub
        for sub in error.context
        if sub.validator != "type"
        and len(sub.relative_schema_path) > 0
        and _branch_accepts(sub, json_type, error, root)
    ]
    if same_type:
        deepest = max(len(sub.absolute_path) for sub in same_type)
        for sub in same_type:
            if len(sub.absolute_path) == deepest:
                _explain(sub, source, report, root)
        return
    path = tuple(error.absolute_path)
    expected = _expected(error.schema, root)
    report.error(
        f"expected {expected}, got {describe(value)}", source.where(path), format_path(path), _type_hint(value)
    )


def _branch_accepts(sub: Any, json_type: str, parent: Any, root: dict[str, Any]) -> bool:
    """Whether the alternative that sub failed in accepts values of json_type at all."""
    index = sub.relative_schema_path[0]
    branch = parent.validator_value[index] if isinstance(index, int) else {}
    if "$ref" in branch:
        branch = _resolve(branch["$ref"], root)
    declared = branch.get("type")
    if declared is None:
        return True
    declared = [declared] if isinstance(declared, str) else declared
    return json_type in declared or (json_type == "integer" and "number" in declared)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_hint(value: Any) -> str:
    if value is None:
        return "if you meant a value that starts with '#', put it in quotes: YAML reads '#' as the start of a comment"
    if isinstance(value, bool):
        return "words like yes, no, on and off are read as yes/no: put the text in quotes"
    if isinstance(value, dict) and len(value) == 1 and next(iter(value.values())) is None:
        return "a ':' inside text makes YAML read it as a key: put the whole text in quotes"
    if isinstance(value, (int, float)):
        return "put it in quotes if you meant text"
    return ""


def _either(names: list[str]) -> str:
    """'a, b or c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _branch(schema: dict[str, Any] | None, root: dict[str, Any], value: Any) -> dict[str, Any] | None:
    """The schema that applies to value: references followed, and of several alternatives the one for its type."""
    seen = 0
    while schema is not None and seen < 20:
        seen += 1
        if "$ref" in schema:
            schema = _resolve(schema["$ref"], root)
            continue
        choices = schema.get("anyOf") or schema.get("oneOf")
        if choices and "type" not in schema and "properties" not in schema:
            typed = [_resolve(c["$ref"], root) if "$ref" in c else c for c in choices]
            fitting = [c for c in typed if _accepts(c, root, value)]
            schema = fitting[0] if fitting else None
            continue
        return schema
    return None


def _accepts(schema: dict[str, Any], root: dict[str, Any], value: Any) -> bool:
    """Whether schema (or one of its alternatives) is declared for values of value's type."""
    if "$ref" in schema:
        return _accepts(_resolve(schema["$ref"], root), root, value)
    declared = schema.get("type")
    if declared is None:
        return any(_accepts(c, root, value) for c in schema.get("anyOf") or schema.get("oneOf") or [{"type": []}])
    declared = [declared] if isinstance(declared, str) else declared
    kind = _json_type(value)
    return kind in declared or (kind == "integer" and "number" in declared)


def _schema_at(root: dict[str, Any], data: Any, path: KeyPath) -> dict[str, Any] | None:
    """The schema of the value at path in data."""
    schema: dict[str, Any] | None = root
    value = data
    for part in path:
        schema = _branch(schema, root, value)
        if schema is None:
            return None
        if isinstance(part, int):
            schema = schema.get("items")
        else:
            extra = schema.get("additionalProperties")
            schema = schema.get("properties", {}).get(part, extra if isinstance(extra, dict) else None)
        value = value[part]
    return _branch(schema, root, value)


def _keys(schema: dict[str, Any] | None, root: dict[str, Any], value: Any = None) -> dict[str, Any]:
    """The keys an object schema allows, with their schemas ({} for a schema of something else)."""
    schema = _branch(schema, root, {} if value is None else value)
    return schema.get("properties", {}) if schema and schema.get("type") == "object" else {}


def _elsewhere(
    source: Source, root: dict[str, Any], path: KeyPath, key: str
) -> tuple[str, str, tuple[str, ...]] | None:
    """Where an unknown key goes when it is a key of a neighbour (the value around, one inside, one beside), as a
    sentence and the corrected YAML."""
    data = source.data
    value = _value_at(data, path)
    line = _key_line(source, (*path, key), value[key])
    # One level up: the key belongs to the nearest set of 'name: value' lines around this one.
    name = next((p for p in reversed(path) if isinstance(p, str)), None)
    if name is not None:
        at = len(path) - 1 - list(reversed(path)).index(name)
        outer = path[:at]
        around = _value_at(data, outer)
        if key in _keys(_schema_at(root, data, outer), root, around) and key not in around:
            inside = [f"{name}:", "  ..."] if path[-1] == name else [f"{name}:", "  - ..."]
            moved = [*line, *inside]
            if outer and isinstance(outer[-1], int):
                lines = [f"- {moved[0]}", *("  " + x for x in moved[1:])]
            elif outer:
                lines = [f"{outer[-1]}:", *("  " + x for x in moved)]
            else:
                lines = moved
            return f"it goes one level up, beside '{name}:'", "write it like this:", tuple(lines)
    # One level down, or in a list one level down.
    for child, child_schema in _keys(_schema_at(root, data, path), root, value).items():
        inner = _branch(child_schema, root, {})
        if inner is not None and inner.get("type") == "array":
            items = _branch(inner.get("items"), root, {})
            if items is not None and key in (items.get("properties") or {}):
                lines = [f"{child}:", f"  - {line[0]}", *("    " + x for x in line[1:])]
                return f"it goes in an entry of '{child}:'", "write it like this:", tuple(lines)
        elif key in _keys(child_schema, root):
            lines = [f"{child}:", f"  {line[0]}", *("  " + x for x in line[1:])]
            return f"it goes inside '{child}:'", "write it like this:", tuple(lines)
    # Beside: a key of another kind of value in the same place, such as 'tone' of a callout given to an image.
    if name is not None and path[-1] == name:
        outer = path[:-1]
        for other, other_schema in _keys(_schema_at(root, data, outer), root, _value_at(data, outer)).items():
            if other != name and key in _keys(other_schema, root):
                lines = [f"{other}:", f"  {line[0]}", *("  " + x for x in line[1:])]
                return f"'{key}' is a key of {other}, not of {name}", "for example:", tuple(lines)
    return None


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _key_line(source: Source, path: KeyPath, value: Any) -> list[str]:
    """The 'key: value' line as written (with '...' under it for a value of several lines)."""
    key = str(path[-1])
    if isinstance(value, (dict, list)) or source.where_key(path).line == 0:
        return [f"{key}:", "  ..."] if isinstance(value, (dict, list)) else [f"{key}: {value}"]
    where = source.where_key(path)
    line = source.text.splitlines()[where.line - 1]
    written = line[where.column - 1 :].rstrip()
    in_brackets = line[: where.column - 1].rstrip().endswith(("{", ","))  # {title: Note, tone: info}
    return [written if written.startswith(key) and not in_brackets else f"{key}: {value}"]


def _block_kinds(schema: dict[str, Any], root: dict[str, Any]) -> list[str]:
    """The kinds of block, when schema is the block's: read from its 'exactly one of these keys' alternatives."""
    if "$ref" in schema:
        schema = _resolve(schema["$ref"], root)
    choices = schema.get("oneOf") or []
    if choices and all(list(c) == ["required"] and len(c["required"]) == 1 for c in choices):
        return [c["required"][0] for c in choices]
    return []


def _block_hint(kinds: list[str], value: Any) -> tuple[str, tuple[str, ...]]:
    example = value if isinstance(value, str) and value.strip() else "..."
    return f"each block starts with '- ' and its kind, one of {_either(kinds)}, for example:", (
        f"- {kinds[0]}: {example}",
    )


def _shape_hint(schema: dict[str, Any], value: Any, source: Source, path: KeyPath) -> tuple[str, tuple[str, ...]]:
    """How to turn 'name: value' lines into a list, and back."""
    wanted = schema.get("type")
    if wanted == "array" and isinstance(value, dict) and value:
        lines = []
        for key in list(value)[:3]:
            first, *rest = _key_line(source, (*path, key), value[key])
            lines += [f"- {first}", *("  " + x for x in rest)]
        return "put '- ' in front of each item, like this:", tuple(lines)
    if wanted == "object" and isinstance(value, list):
        return "remove the '- ' in front of the 'name: value' lines", ()
    return "", ()
