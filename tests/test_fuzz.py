"""Property: for any input, a build either makes valid PDFs or reports located errors, and nothing else: no
traceback, no hang, no temporary file left.

Generated content mixes a leaflet's real shape with wrong types at random keys, unknown keys, text
full of markup characters, long and pathological text (runs of markup, long words, stacked accents,
line breaks at the ends) and any Unicode (no surrogates: a UTF-8 file cannot hold them), and, now
and then, bytes spliced into the YAML text itself. Styles are generated the same way, with odd
Unicode in every text they print. And every file a build reads (content, style, font, image, logo)
may be a named pipe, a folder, a loop of links, empty, a huge sparse file, or a real file damaged:
cut short, with bytes changed or zeroed.
"""

from __future__ import annotations

import io
import os
import signal
import tempfile
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from conftest import DEFAULT_STYLE
from leaflet.pipeline import BuildOptions, FileResult, build
from leaflet.reading.style import builtin_font_path

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


# Numbers that pass every 'at least' and 'at most' test (NaN), or break arithmetic.
odd_number = st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -0.0, 5e-324])
unicode_text = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=40)
# Characters that have tripped text handling: invisible, direction, non-characters, line and paragraph
# separators, combining marks, fillers, and letters whose case changes their length.
ODD = (
    "\u200b\u200d\u2060\ufeff\u202e\u2066\u2069\u200e\ufffe\uffff\ufdd0\U0010ffff"
    "\u2028\u2029\u0301\u0303\u3164\u2800\u0130\u00df\ufb03\u0345"
)
PATTERNS = ["*", "**", "_", "*a", "**a ", "[a](", "[", "`", "<", "[@a", "x", "\u4e2d", "\u0301", "a\u0301", ". ", "\n"]
# A long run of one pattern: long words, markup that never closes, accents stacked on one letter.
pathological = st.tuples(st.sampled_from(PATTERNS), st.integers(1, 3000)).map(lambda pair: pair[0] * pair[1])
piece = rarely(
    st.characters(categories=["Cc"]).map(str) | st.sampled_from([*MISTAKES, *ODD]) | pathological,
    st.sampled_from(FRAGMENTS) | unicode_text,
    one_in=150,
)
text = st.lists(piece, max_size=6).map("".join)


def edged(values: st.SearchStrategy) -> st.SearchStrategy:
    """values, now and then with a line break, spaces or an odd character at one end or in the middle."""
    edges = st.sampled_from(["\n", " ", "\t", "\u00a0", "\u2028", *ODD])
    return rarely(
        st.tuples(values, edges, st.integers(0, 2)).map(
            lambda t: [t[0] + t[1], t[1] + t[0], t[0][:2] + t[1] + t[0][2:]][t[2]]
        ),
        values,
        one_in=25,
    )


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
    {"file": mostly(picture), "alt": rich},
    optional={"caption": rich, "width_mm": rarely(odd_number, mostly(st.floats(1, 180)), one_in=20)},
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
dates = (
    st.tuples(st.dates(max_value=date(9990, 1, 1)), st.integers(1, 3000))
    .map(lambda pair: (str(pair[0]), str(min(pair[0] + timedelta(pair[1]), date.max))))
    .map(lambda pair: pair if pair[0] < pair[1] else (pair[0], "9999-12-31"))
)
review = st.tuples(
    rarely(
        st.sampled_from([("2021-02-30", "2022-01-01"), ("11-12-2019", "2021-12-09"), ("2020-01-02", "2019-1-5")]), dates
    ),
    mostly(edged(st.just("1"))),
).map(lambda pair: {"last_reviewed": pair[0][0], "next_review": pair[0][1], "version": pair[1]})


leaflet = st.fixed_dictionaries(
    {
        "id": mostly(edged(st.sampled_from(["demo", "PIL-042"]))),
        "title": rich,
        "language": mostly(edged(st.just("en-GB"))),
        "review": mostly(review),
        "sections": mostly(st.lists(section, min_size=1, max_size=3)),
        "references": references,
    },
    optional={
        "subtitle": rich,
        "key_points": items,
        "audiences": rarely(st.lists(audience, min_size=1, max_size=3, unique=True), st.just(["patient", "clinician"])),
        "url": mostly(edged(st.just("https://example.org/leaflet"))),
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


TODAY = date(2025, 6, 1)
PICTURE = io.BytesIO()
Image.new("RGB", (60, 40), (0, 94, 184)).save(PICTURE, "PNG")
PHOTO = io.BytesIO()
Image.new("RGB", (80, 60), (200, 40, 40)).save(PHOTO, "JPEG")
FONT = builtin_font_path("atkinson-hyperlegible").read_bytes()
GOOD_CONTENT = b"""id: demo
title: Demo
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
key_points: [Rest.]
sections:
  - heading: Hello
    blocks:
      - paragraph: The sacrum hurts [@a].
      - image: {file: p.png, alt: A picture}
      - contact:
glossary: [{term: sacrum, definition: A bone.}]
references: [{id: a, title: A study}]
"""
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def bounded(seconds: int = 60) -> Iterator[None]:
    """Fail, instead of waiting for ever, if a build hangs (on a named pipe, say)."""

    def stop(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"the build took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_built_or_refused(result: FileResult, out: Path) -> None:
    """Valid PDFs whose metadata is exactly what was meant, or located errors and no PDF; never a temporary file."""
    assert not (out.exists() and list(out.glob("*.tmp")))  # no half-written file left behind
    style = result.style
    diagnostics = (style.diagnostics if style else []) + result.diagnostics
    if result.failed or (style is not None and style.failed):
        event("refused with located errors")
        assert not result.written
        errors = [d for d in diagnostics if d.severity == "error"]
        assert errors and all(d.location is not None and d.location.file for d in errors), diagnostics
        assert all("\n" not in d.format() for d in diagnostics)  # one line each
        # Within the limits, everything lays out: "too large to fit on a page" is a last resort, not an answer.
        assert not [d for d in diagnostics if "too large to fit on a page" in d.message], diagnostics
        return
    event("built")
    assert result.written
    for written in result.written:
        if written.format == "html":
            assert written.path.read_text("utf-8").startswith("<!DOCTYPE html>")
            continue
        reader = PdfReader(written.path)
        assert len(reader.pages) >= 1
        language = str(reader.trailer["/Root"]["/Lang"])
        assert language == language.strip() and language
        raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        ElementTree.fromstring(raw[raw.index(b"<x:xmpmeta") : raw.index(b"</x:xmpmeta>") + 12])  # well-formed
    assert all(d.location is not None for d in result.diagnostics)  # the style's own may name no place


@FUZZ
@given(document=documents())
def test_any_content_builds_valid_pdfs_or_raises_located_errors(document):
    with tempfile.TemporaryDirectory() as folder, bounded():
        content = Path(folder) / "content.yaml"
        content.write_bytes(document)
        (Path(folder) / "p.png").write_bytes(PICTURE.getvalue())
        out = Path(folder) / "out"
        (result,) = build([content], BuildOptions(TODAY, style=DEFAULT_STYLE, out=out)).files
        assert_built_or_refused(result, out)


# Styles: every text the style prints with odd Unicode, wrong types now and then, and files of their own.
style_text = mostly(edged(text | st.sampled_from(["Riverside Clinic", "Physiotherapy", "Πηγές", "ŵ ŷ"])))
colour = mostly(st.sampled_from(["#005EB8", "#FFFFFF", "#000000", "#767676", "#FFEB3B"]))
size = rarely(odd_number, mostly(st.floats(6, 72) | st.integers(6, 72)), one_in=20)
style_audience = st.fixed_dictionaries(
    {},
    optional={
        "label": style_text,
        "references_heading": style_text,
        "glossary_heading": style_text,
        "key_points_heading": style_text,
        "body_size": size,
        "heading_size": size,
        "formats": mostly(st.lists(st.sampled_from(["standard", "large-print", "a5", "booklet", "print", "html"]))),
    },
)
targets = st.fixed_dictionaries({}, optional={"max_grade": size, "max_sentence_words": size})
styles = st.fixed_dictionaries(
    {"organisation": style_text},
    optional={
        "department": style_text,
        "logo": mostly(st.sampled_from(["logo.png", "photo.jpg"])),
        "contact": st.fixed_dictionaries(
            {},
            optional={
                "phone": mostly(edged(st.just("01632 960 123")) | style_text),
                "phone_hours": style_text,
                "email": mostly(edged(st.just("physio@example.org"))),
                "website": mostly(edged(st.just("https://example.org/physio"))),
                "address": mostly(st.lists(style_text, max_size=3)),
                "urgent": style_text,
            },
        ),
        "colours": st.fixed_dictionaries({}, optional={"brand": colour, "text": colour, "link": colour}),
        "fonts": st.fixed_dictionaries(
            {}, optional={"regular": mostly(st.sampled_from(["brand.ttf", "noto-sans"])), "bold": st.just("brand.ttf")}
        ),
        "margins_mm": st.fixed_dictionaries({}, optional={"left": mostly(st.floats(5, 60)), "top": size}),
        "readability": st.fixed_dictionaries({}, optional={"patient": targets}),
        "audiences": mostly(st.dictionaries(audience | st.just("carer"), style_audience, max_size=2)),
    },
)


@FUZZ
@given(style=styles)
def test_any_style_builds_valid_pdfs_or_reports_located_errors(style):
    with tempfile.TemporaryDirectory() as folder, bounded():
        base = Path(folder)
        (base / "style.yaml").write_text(yaml.safe_dump(style, allow_unicode=True, sort_keys=False), "utf-8")
        (base / "content.yaml").write_bytes(GOOD_CONTENT)
        (base / "p.png").write_bytes(PICTURE.getvalue())
        (base / "logo.png").write_bytes(PICTURE.getvalue())
        (base / "photo.jpg").write_bytes(PHOTO.getvalue())
        (base / "brand.ttf").write_bytes(FONT)
        out = base / "out"
        built = build([base / "content.yaml"], BuildOptions(TODAY, style=base / "style.yaml", out=out))
        (result,) = built.files
        assert_built_or_refused(result, out)


# Files: each input a build reads may be something else than the file it should be, or a damaged copy of one.
KINDS = ["good", "fifo", "folder", "loop", "dangling", "empty", "huge", "damaged"]


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """data cut short, with some bytes changed, or with a run of zeros."""
    how = draw(st.sampled_from(["cut", "flip", "zeros"]))
    at = draw(st.integers(0, len(data) - 1))
    if how == "cut":
        return data[:at]
    if how == "zeros":
        return data[:at] + bytes(draw(st.integers(1, 4096))) + data[at + 1 :]
    changes = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1, max_size=8))
    mutable = bytearray(data)
    for offset, value in changes:
        mutable[offset] = value
    return bytes(mutable)


def make(path: Path, kind: str, good: bytes, broken: bytes) -> None:
    """Put a file of this kind at path."""
    if kind in ("good", "damaged", "empty"):
        path.write_bytes({"good": good, "damaged": broken, "empty": b""}[kind])
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "dangling":
        path.symlink_to("nowhere")
    elif kind == "huge":
        with path.open("wb") as handle:
            handle.write(good[:64])
            handle.truncate(3_000_000_000)


def picture(mode: str, kind: str, size: tuple[int, int], turn: int) -> bytes:
    """An image in a given mode and format, with an EXIF orientation (1: upright) for a JPEG."""
    image = Image.new(mode, size)
    buffer = io.BytesIO()
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x0112] = turn
        image.save(buffer, kind, exif=exif)
    else:
        image.save(buffer, kind)
    return buffer.getvalue()


# Every mode Pillow writes as PNG or JPEG, in shapes from a dot to a long sliver, any way up.
SAVABLE = [("1", "PNG"), ("L", "PNG"), ("LA", "PNG"), ("P", "PNG"), ("RGB", "PNG"), ("RGBA", "PNG"), ("I;16", "PNG")]
SAVABLE += [("1", "JPEG"), ("L", "JPEG"), ("RGB", "JPEG"), ("CMYK", "JPEG"), ("YCbCr", "JPEG")]
pictures = st.tuples(
    st.sampled_from(SAVABLE),
    st.sampled_from([(1, 1), (60, 40), (40, 60), (3000, 2), (2, 3000), (1200, 900)]),
    st.integers(1, 8),
).map(lambda t: picture(t[0][0], t[0][1], t[1], t[2]))

ROLES = {  # file name, the good file, and what may be a damaged copy of it
    "content": ("content.yaml", GOOD_CONTENT),
    "style": ("style.yaml", b"organisation: Clinic\nlogo: logo.png\nfonts: {regular: brand.ttf}\n"),
    "font": ("brand.ttf", FONT),
    "image": ("p.png", PICTURE.getvalue()),
    "logo": ("logo.png", PHOTO.getvalue()),
}


@st.composite
def file_sets(draw) -> dict[str, tuple[str, bytes, bytes]]:
    """For each role, the kind of file there, a good file and a damaged one; mostly one odd file at a time.
    The image and the logo are pictures of any mode, shape and orientation."""
    odd = draw(st.lists(st.sampled_from(list(ROLES)), max_size=2, unique=True))
    files = {}
    for role, (_, good) in ROLES.items():
        if role in ("image", "logo"):
            good = draw(pictures)
        files[role] = (draw(st.sampled_from(KINDS[1:])) if role in odd else "good", good, draw(damaged(good)))
    return files


@FUZZ
@given(files=file_sets())
def test_any_file_a_build_reads_may_be_odd(files):
    with tempfile.TemporaryDirectory() as folder, bounded(), warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would print on the user's terminal
        base = Path(folder)
        for role, (kind, good, broken) in files.items():
            make(base / ROLES[role][0], kind, good, broken)
        event(", ".join(f"{role}: {kind}" for role, (kind, _, _) in files.items() if kind != "good") or "all good")
        out = base / "out"
        built = build([base / "content.yaml"], BuildOptions(TODAY, style=base / "style.yaml", out=out))
        if files["content"][0] == "folder":  # a folder is a library: this one has no leaflets
            assert not built.files and built.problems and not out.exists()
            return
        (result,) = built.files
        assert_built_or_refused(result, out)
