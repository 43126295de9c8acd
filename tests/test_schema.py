"""The fast schema check agrees with jsonschema, the reference implementation, on every document."""

from __future__ import annotations

import copy

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import CONTENT, ROOT
from leaflet.reading.loader import _Loader
from leaflet.reading.schema import conforms, load_schema

KEYS = ["id", "title", "text", "patient", "clinician", "paragraph", "bullets", "items", "heading", "blocks", "x", ""]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["2019-12-11", "11-12-2019", "patient", "text", "#005EB8", "https://example.org", "info"]),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS), children, max_size=3),
    max_leaves=12,
)


def seed_data(name: str):
    return yaml.load((ROOT / name).read_text("utf-8"), Loader=_Loader)


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(data, path, new):
    data = copy.deepcopy(data)
    if not path:
        return new
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return data


CONTENT_DATA = seed_data("content.yaml")
CONTENT_PATHS = list(paths(CONTENT_DATA))
STYLE_DATA = seed_data("styles/default.yaml")
STYLE_PATHS = list(paths(STYLE_DATA))


def test_the_shipped_files_conform():
    assert conforms(CONTENT_DATA, load_schema("content.schema.json"), load_schema("content.schema.json"))
    assert conforms(STYLE_DATA, load_schema("style.schema.json"), load_schema("style.schema.json"))
    assert CONTENT.exists()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CONTENT_PATHS), values)
def test_agrees_with_jsonschema_on_mutated_content(path, new):
    schema = load_schema("content.schema.json")
    document = replaced(CONTENT_DATA, path, new)
    assert conforms(document, schema, schema) == Draft202012Validator(schema).is_valid(document)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(STYLE_PATHS), values)
def test_agrees_with_jsonschema_on_mutated_styles(path, new):
    schema = load_schema("style.schema.json")
    document = replaced(STYLE_DATA, path, new)
    assert conforms(document, schema, schema) == Draft202012Validator(schema).is_valid(document)
