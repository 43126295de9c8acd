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

TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a set of 'key: value' lines",
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
        return "a list"
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
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
    for error in errors:
        _explain(error, source, report, schema)
        path = tuple(error.absolute_path)
        if error.validator == "required":
            paths.add((*path, _quoted(error.message)))
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            paths.update((*path, key) for key in error.instance if key not in allowed)
        else:
            paths.add(path)
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
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed here: " + ", ".join(allowed)
            report.error(f"unknown key '{key}'", source.where_key((*path, key)), format_path((*path, key)), hint)
    elif kind == "required":
        missing = _quoted(error.message)
        report.error(f"missing required key '{missing}'", where, key_path, f"add '{missing}:' here")
    elif kind == "type":
        report.error(
            f"expected {_expected(error.schema, root)}, got {describe(value)}", where, key_path, _type_hint(value)
        )
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
                "split it into separate blocks",
            )
        else:
            report.error(f"a block needs one of: {', '.join(kinds)}", where, key_path)
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
