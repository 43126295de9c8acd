"""Property: for any content, loading and building either makes valid PDFs or raises LeafletError with locations.

Generated content mixes a leaflet's real shape with wrong types at random keys, unknown keys, text
full of markup characters and any Unicode (no surrogates: a UTF-8 file cannot hold them), and,
now and then, bytes spliced into the YAML text itself.
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from conftest import DEFAULT_STYLE
from leaflet.pipeline import BuildOptions, build
from leaflet.reading.style import load_theme

FRAGMENTS = [
    "<", ">", "&", ";", "AT&T", "<b>unclosed", "&copy;", "&#169;", '<font name="x">', "</para>", "<br/>",
    "**bold**", "*", "_", "`code`", "[link](https://example.org)", "<https://x.org>", "[@a]", "[@b; @a]",
    "\\", "\n", "\t", "  ", "\u00a0", "\u00ad", "\u200b", "\U0001f600", "\u4e2d", "\u0175", "\u202e", "x" * 120,
    "2019-12-11", "yes", "null", "~", ": ", "# ", "- ", "{", "}", "[", "]", "'", '"',
]  # fmt: skip
MISTAKES = ["[bad](javascript:alert(1))", "[@missing]", "[x](file:///etc)"]
KEYS = [
    "id", "title", "subtitle", "language", "url", "keywords", "audiences", "review", "last_reviewed", "next_review",
    "version", "key_points", "sections", "heading", "blocks", "paragraph", "bullets", "numbered", "callout", "tone",
    "image", "file", "alt", "caption", "width_mm", "contact", "audience", "items", "text", "references", "doi",
    "patient", "clinician", "carer", "hedaing",
]  # fmt: skip


def rarely(odd: st.SearchStrategy, usual: st.SearchStrategy, one_in: int = 40) -> st.SearchStrategy:
    """usual, and odd about once in one_in draws."""
    # Hypothesis favours the ends of a range, so the odd case is a number in the middle.
    return st.integers(0, one_in - 1).flatmap(lambda roll: odd if roll == one_in // 2 else usual)


unicode_text = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=40)
piece = rarely(
    st.characters(categories=["Cc"]).map(str) | st.sampled_from(MISTAKES),
    st.sampled_from(FRAGMENTS) | unicode_text,
    one_in=300,
)
text = st.lists(piece, max_size=6).map("".join)
scalar = st.one_of(text, st.integers(), st.floats(), st.booleans(), st.none())
anything = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | text, inner, max_size=3),
    max_leaves=8,
)


def mostly(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Usually a value of the right shape, now and then anything at all."""
    return rarely(anything, valid, one_in=60)


audience = rarely(st.sampled_from(["carer", "Patient"]), st.sampled_from(["patient", "clinician"]))
rich = mostly(text | st.dictionaries(audience, text, min_size=1, max_size=2) | st.lists(text, min_size=1, max_size=3))
list_item = st.recursive(
    rich, lambda inner: st.fixed_dictionaries({"text": rich, "items": st.lists(inner, max_size=3)}), max_leaves=6
)
items = mostly(st.lists(list_item, min_size=1, max_size=4))
picture = rarely(st.sampled_from(["missing.png", "../x.png", "/etc/hostname", "https://x.org/a.png"]), st.just("p.png"))
image = st.fixed_dictionaries(
    {"file": mostly(picture), "alt": rich}, optional={"caption": rich, "width_mm": mostly(st.floats(1, 180))}
)
simple_block = st.one_of(
    st.fixed_dictionaries({"paragraph": rich}),
    st.fixed_dictionaries({"bullets": items}),
    st.fixed_dictionaries({"numbered": items}),
    st.fixed_dictionaries({"image": mostly(image)}),
    st.fixed_dictionaries({"contact": mostly(st.none() | rich)}),
)
block = mostly(
    simple_block
    | st.fixed_dictionaries(
        {"callout": st.fixed_dictionaries({"title": rich, "blocks": st.lists(simple_block, min_size=1, max_size=2)})},
        optional={"audience": audience},
    )
)
section = st.recursive(
    st.fixed_dictionaries(
        {"heading": rich, "blocks": mostly(st.lists(block, min_size=1, max_size=3))}, optional={"audience": audience}
    ),
    lambda inner: st.fixed_dictionaries({"heading": rich, "sections": st.lists(inner, min_size=1, max_size=2)}),
    max_leaves=4,
)
reference = st.fixed_dictionaries(
    {"title": mostly(text)},
    optional={"authors": mostly(st.lists(text, max_size=8)), "year": mostly(st.integers(1500, 2200)), "doi": text},
)
# References a, b and c, as the text cites; now and then a duplicate or a missing one.
references = mostly(
    st.tuples(
        rarely(st.just(["a", "a", "c"]), st.just(["a", "b", "c"])), st.lists(reference, min_size=3, max_size=3)
    ).map(lambda pair: [{"id": key, **fields} for key, fields in zip(*pair, strict=True)])
)
dates = st.tuples(st.dates(max_value=date(9000, 1, 1)), st.integers(1, 3000)).map(
    lambda pair: (str(pair[0]), str(pair[0] + timedelta(pair[1])))
)
review = st.tuples(
    rarely(
        st.sampled_from([("2021-02-30", "2022-01-01"), ("11-12-2019", "2021-12-09"), ("2020-01-02", "2019-1-5")]), dates
    ),
    mostly(st.just("1")),
).map(lambda pair: {"last_reviewed": pair[0][0], "next_review": pair[0][1], "version": pair[1]})
leaflet = st.fixed_dictionaries(
    {
        "id": mostly(st.sampled_from(["demo", "PIL-042"])),
        "title": rich,
        "language": mostly(st.just("en-GB")),
        "review": mostly(review),
        "sections": mostly(st.lists(section, min_size=1, max_size=3)),
        "references": references,
    },
    optional={
        "subtitle": rich,
        "key_points": items,
        "audiences": rarely(st.lists(audience, min_size=1, max_size=3, unique=True), st.just(["patient", "clinician"])),
        "url": mostly(st.just("https://example.org/leaflet")),
    },
)


@st.composite
def documents(draw) -> bytes:
    """A content file's bytes: the dumped YAML, sometimes with random text spliced in."""
    raw = yaml.safe_dump(draw(leaflet), allow_unicode=True, sort_keys=False).encode("utf-8")
    if draw(st.integers(0, 19)) == 10:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=8) | text.map(lambda t: t.encode("utf-8"))) + raw[at:]
    return raw


@pytest.fixture(scope="module")
def theme():
    return load_theme(DEFAULT_STYLE)


TODAY = date(2025, 6, 1)
PICTURE = io.BytesIO()
Image.new("RGB", (60, 40), (0, 94, 184)).save(PICTURE, "PNG")


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document=documents())
def test_any_content_builds_valid_pdfs_or_raises_located_errors(theme, document):
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content.yaml"
        content.write_bytes(document)
        (Path(folder) / "p.png").write_bytes(PICTURE.getvalue())
        (result,) = build([content], BuildOptions(TODAY, style=DEFAULT_STYLE, out=Path(folder) / "out")).files
        if result.failed:
            event("refused with located errors")
            assert not result.written
            assert all(d.location is not None and d.location.file for d in result.diagnostics), result.diagnostics
            assert any(d.severity == "error" for d in result.diagnostics)
            assert not list((Path(folder) / "out").glob("*.tmp"))  # no half-written file left behind
            return
        event("built")
        assert result.written
        for written in result.written:
            if written.format == "html":
                assert written.path.read_text("utf-8").startswith("<!DOCTYPE html>")
            else:
                assert len(PdfReader(written.path).pages) >= 1
        assert all(d.location is not None for d in result.diagnostics)
