"""The messages a new author meets (issue 14): each class of mistake, run through the real CLI, line by line.

Each test writes a small leaflet with one mistake, runs `leaflet build` or `leaflet check`, and compares the lines
printed, exactly: where the mistake is (file:line:column), what it is in the author's terms, and the corrected YAML.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import CONTENT, DEFAULT_STYLE, pdf_text
from leaflet.cli import main
from leaflet.reading.schema import load_schema

HEAD = """\
id: demo
title: Demo
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
history: [{version: 1, date: 2024-01-10, changes: First edition., approved_by: Patient information group}]
"""


def write(tmp_path: Path, body: str, name: str = "leaflet.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def build_lines(capsys, path: Path, *args: str) -> tuple[int, list[str]]:
    code = main(["build", str(path), "--style", str(DEFAULT_STYLE), "--out", str(path.parent / "out"), *args])
    return code, capsys.readouterr().err.splitlines()


def test_a_key_that_belongs_one_level_up_says_so_with_the_yaml(tmp_path, capsys):
    path = write(
        tmp_path,
        """\
        sections:
          - heading: Hello
            blocks:
              - callout:
                  title: Note
                  audience: patient
                  blocks:
                    - paragraph: Text.
        """,
    )
    code, lines = build_lines(capsys, path)
    assert code == 1
    assert lines == [
        f"{path}:11:11: error: sections[0].blocks[0].callout.audience: unknown key 'audience' here: it goes one level"
        " up, beside 'callout:'; write it like this:",
        "      - audience: patient",
        "        callout:",
        "          ...",
    ]


@pytest.mark.parametrize(
    ("written", "where", "key_path", "said", "yaml"),
    [
        # The reverse: a key of the box written on the block.
        (
            "  - heading: Hello\n    blocks:\n      - tone: warning\n"
            "        callout: {title: Note, blocks: [{paragraph: Hi.}]}",
            "9:9",
            "sections[0].blocks[0].tone",
            "it goes inside 'callout:'; write it like this:",
            ["      callout:", "        tone: warning"],
        ),
        # A key of another kind of block.
        (
            "  - heading: Hello\n    blocks:\n      - contact:\n        bullets: [One]\n      - callout:\n"
            "          title: Note\n          blocks: [{paragraph: Hi.}]\n          caption: A picture",
            "14:11",
            "sections[0].blocks[1].callout.caption",
            "'caption' is a key of image, not of callout; for example:",
            ["      image:", "        caption: A picture"],
        ),
        # Text written on the section, where a block goes.
        (
            "  - heading: Hello\n    paragraph: Rest.\n    blocks: [{paragraph: Hi.}]",
            "8:5",
            "sections[0].paragraph",
            "it goes in an entry of 'blocks:'; write it like this:",
            ["      blocks:", "        - paragraph: Rest."],
        ),
    ],
)
def test_a_key_that_belongs_nearby_says_where(tmp_path, capsys, written, where, key_path, said, yaml):
    path = write(tmp_path, "sections:\n" + written + "\n")
    code, lines = build_lines(capsys, path)
    key = key_path.rsplit(".", 1)[1]
    first = f"{path}:{where}: error: {key_path}: unknown key '{key}' here: {said}"
    assert code == 1 and first in lines
    at = lines.index(first)
    assert lines[at + 1 : at + 1 + len(yaml)] == yaml


def test_a_key_valid_nowhere_nearby_still_gets_did_you_mean(tmp_path, capsys):
    path = write(tmp_path, "sections:\n  - hedaing: Hello\n    blocks: [{paragraph: Hi.}]\n")
    code, lines = build_lines(capsys, path)
    assert f"{path}:7:5: error: sections[0].hedaing: unknown key 'hedaing'; did you mean 'heading'?" in lines


@pytest.mark.parametrize(
    ("value", "column", "sign", "rewritten"),
    [
        ("**Ice or heat.** Use a cold pack.", 13, "*", "- '**Ice or heat.** Use a cold pack.'"),
        ("*Rest* it's fine  # a comment", 13, "*", '- "*Rest* it\'s fine"  # a comment'),
        ("&B Partners can help.", 13, "&", "- '&B Partners can help.'"),
        ("!Important: call us first.", 13, "!", "- '!Important: call us first.'"),
        ("| pipes", 13, "|", "- '| pipes'"),
        ("> quoted", 13, ">", "- '> quoted'"),
        ("%50 get better", 13, "%", "- '%50 get better'"),
        ("@nhs on social media", 13, "@", "- '@nhs on social media'"),
        ("`code` here", 13, "`", "- '`code` here'"),
        ('"*Rest* first"', None, None, None),  # already in quotes: no message
    ],
)
def test_text_starting_with_a_yaml_sign_is_put_in_quotes(tmp_path, capsys, value, column, sign, rewritten):
    path = write(tmp_path, f"sections:\n  - heading: Hello\n    blocks:\n      - bullets:\n          - {value}\n")
    code, lines = build_lines(capsys, path)
    if sign is None:
        assert code == 0 and not [line for line in lines if "quotes" in line]
        return
    assert code == 1
    key_path = "sections[0].blocks[0].bullets[0]: " if sign in "&!" else ""
    assert [line for line in lines if ": error: " in line or line.startswith("      ")] == [
        f"{path}:10:{column}: error: {key_path}text that starts with '{sign}' must be put in quotes: YAML reads it as "
        + {
            "*": "a reference to an anchor (*name)",
            "&": "an anchor (&name)",
            "!": "a tag (!name)",
            "|": "'the text follows on the next lines'",
            ">": "'the text follows on the next lines'",
            "%": "a directive",
            "@": "a reserved sign",
            "`": "a reserved sign",
        }[sign]
        + "; write the line like this, indented as it is now:",
        "      " + rewritten,
    ]
    # The rewritten line is what the author meant: it reads back as the text.
    fixed = path.read_text("utf-8").replace(f"- {value}", rewritten)
    path.write_text(fixed, encoding="utf-8")
    assert build_lines(capsys, path)[0] == 0


def test_a_block_written_as_text_is_said_once_with_the_kinds_from_the_schema(tmp_path, capsys):
    path = write(tmp_path, "sections:\n  - heading: Hello\n    blocks:\n      - Rest your knee.\n")
    code, lines = build_lines(capsys, path)
    kinds = [branch["required"][0] for branch in load_schema("content.schema.json")["$defs"]["block"]["oneOf"]]
    listed = ", ".join(kinds[:-1]) + " or " + kinds[-1]
    assert lines == [
        f"{path}:9:9: error: sections[0].blocks[0]: expected a block, got the text 'Rest your knee.'; each block starts"
        f" with '- ' and its kind, one of {listed}, for example:",
        "      - paragraph: Rest your knee.",
    ]


def test_a_list_written_without_dashes_says_to_add_them(tmp_path, capsys):
    path = write(
        tmp_path,
        "sections:\n  - heading: Hello\n    blocks:\n      - callout:\n          title: Note\n"
        "          blocks:\n            paragraph: Text.\n",
    )
    code, lines = build_lines(capsys, path)
    assert lines == [
        f"{path}:12:13: error: sections[0].blocks[0].callout.blocks: expected a list (lines starting with '- '), got"
        " 'paragraph: ...'; put '- ' in front of each item, like this:",
        "      - paragraph: Text.",
    ]


def test_no_message_speaks_of_sets_of_key_value_lines(tmp_path, capsys):
    path = write(tmp_path, "sections:\n  - heading: [{patient: [One]}]\n    blocks: Text.\n")
    code, lines = build_lines(capsys, path)
    assert code == 1 and lines
    assert not [line for line in lines if "set of" in line or "key: value" in line]


def test_a_markdown_heading_in_text_is_a_warning_with_the_section_to_write(tmp_path, capsys):
    path = write(
        tmp_path,
        """\
        sections:
          - heading: Hello
            blocks:
              - paragraph: >-
                  Rest your knee for two days.
                  ### What to do next
                  Walk a little more each day. Room #3 is on the left.
        """,
    )
    code, lines = build_lines(capsys, path)
    assert code == 0
    assert lines == [
        f"{path}:11:11: warning: sections[0].blocks[0].paragraph: '### What to do next' is printed as written, '###'"
        " and all: a line starting with '#' is not a heading in leaflet; to start a section, end the text before it"
        " and begin a new section under 'sections:', like this:",
        "      - heading: What to do next",
        "        blocks:",
        "          - paragraph: ...",
    ]


def _low_contrast_style(tmp_path: Path) -> Path:
    style = tmp_path / "style.yaml"
    style.write_text('organisation: Riverside clinic\ncolours:\n  text: "#BBBBBB"\n', encoding="utf-8")
    return style


def test_the_summary_counts_the_style_findings(tmp_path, capsys):
    style = _low_contrast_style(tmp_path)
    assert main(["check", str(CONTENT), "--style", str(style), "--today", "2020-01-01"]) == 1
    out = capsys.readouterr().out.splitlines()
    errors = [line for line in out if ": error: colours.text: contrast" in line]
    assert len(errors) == 5
    assert (
        "Sacroiliac joint pain (sacroiliac-joint-pain): current, next review 9 December 2021; 5 errors, 1 warning"
        " (5 in its style or settings)" in out
    )  # the warning: the large-print version's last page is a third full, before its Notes page
    assert out[-1] == "1 leaflet checked: 5 errors, 1 warning"
    assert main(["check", str(CONTENT), "--style", str(style), "--today", "2020-01-01", "--output", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["errors"] == 5 and len(document["styles"][0]["findings"]) == 5


def test_check_output_and_the_old_format_spelling(tmp_path, capsys):
    args = ["check", str(CONTENT), "--today", "2020-01-01"]
    assert main([*args, "--output", "json"]) == 0
    captured = capsys.readouterr()
    new = json.loads(captured.out)
    assert captured.err == ""
    assert main([*args, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == new
    assert captured.err.splitlines() == [
        "leaflet check: --format is now --output (--format still works, but will be removed): use --output json"
    ]
    assert main([*args, "--output", "xml"]) == 2


def test_the_help_texts_name_output_for_check():
    from leaflet.cli import CHECK_EXAMPLES

    assert "--output json" in CHECK_EXAMPLES and "--format" not in CHECK_EXAMPLES


@pytest.mark.parametrize(
    ("style", "line"),
    [
        (
            "audiences:\n  patients:\n    label: Information for you\n",
            "3:3: error: audiences.patients: unknown audience 'patients'; did you mean 'patient'?",
        ),
        (
            "readability:\n  pateint:\n    max_grade: 6\n",
            "3:3: error: readability.pateint: unknown audience 'pateint'; did you mean 'patient'?",
        ),
        (
            "audiences:\n  carer: {label: For carers}\nreadability:\n  carers:\n    max_grade: 6\n",
            "5:3: error: readability.carers: unknown audience 'carers'; did you mean 'carer'?",
        ),
    ],
)
def test_a_misspelt_audience_in_a_style_is_an_error(tmp_path, capsys, style, line):
    path = tmp_path / "style.yaml"
    path.write_text("organisation: Riverside clinic\n" + style, encoding="utf-8")
    code = main(["build", str(CONTENT), "--style", str(path), "--out", str(tmp_path / "out")])
    lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert lines == [f"{path}:{line} As it is, its settings would apply to no version"]


def test_a_new_audience_of_its_own_in_a_style_is_not_an_error(tmp_path, capsys):
    path = tmp_path / "style.yaml"
    path.write_text("organisation: Riverside clinic\naudiences:\n  carer: {label: For carers}\n", encoding="utf-8")
    assert main(["check", str(CONTENT), "--style", str(path), "--today", "2020-01-01"]) == 0


CARER = """\
audiences: [patient, clinician, CARER]
subtitle:
  patient: What to expect
  clinician: Procedure and evidence
sections:
  - heading: {patient: About the injection, clinician: Indication}
    blocks:
      - paragraph:
          patient: An injection can ease pain and swelling in your knee for a few weeks or longer.
          clinician: Consider intra-articular corticosteroid injection when other treatments are ineffective.
      - audience: patient
        paragraph: It works best alongside your exercises, and it will not cure the problem on its own.
      - paragraph: Ask us if you have any questions.
"""


def test_an_audience_without_text_is_a_warning_that_says_how_much_and_why(tmp_path, capsys):
    path = write(tmp_path, CARER.replace("CARER", "carer"))
    code, lines = build_lines(capsys, path, "--format", "standard")
    assert code == 0
    assert lines == [
        f"{path}:6:33: warning: audiences: the carer version has 1 word, 2% of the patient version's 46: most of"
        " the text is written only for patient and clinician, and none of it for carer; write its text under"
        " 'carer:' beside the others' or, where patient's text will do, list it in 'audiences:' as"
        " '- carer: {falls_back_to: patient}'"
    ]


def test_an_audience_that_falls_back_gets_that_text_where_it_has_none(tmp_path, capsys):
    path = write(tmp_path, CARER.replace("CARER", "carer: {falls_back_to: patient}"))
    path.write_text(
        path.read_text("utf-8").replace(
            "          clinician: Consider",
            "          carer: Your injection can ease pain.\n          clinician: Consider",
        ),
        encoding="utf-8",
    )
    code, lines = build_lines(capsys, path, "--format", "standard")
    assert code == 0 and lines == []
    carer = pdf_text(tmp_path / "out" / "demo-carer.pdf")
    patient = pdf_text(tmp_path / "out" / "demo-patient.pdf")
    assert "What to expect" in carer and "About the injection" in carer  # the patient's subtitle and heading
    assert "It works best alongside your exercises" in carer  # a block marked for patients
    assert "Your injection can ease pain." in carer  # its own text, where it has some
    assert "An injection can ease pain" in patient and "An injection can ease pain" not in carer
    assert "Consider intra-articular" not in carer


def test_a_missing_file_names_the_one_probably_meant(tmp_path, capsys):
    """A leaflet given without '.yaml', a picture in other capitals, a font misspelt: 'did you mean ...?'."""
    from PIL import Image

    (tmp_path / "images").mkdir()
    Image.new("RGB", (60, 40), (0, 90, 180)).save(tmp_path / "images" / "knee-picture.png")
    path = write(
        tmp_path,
        """\
        sections:
          - heading: Hello
            blocks:
              - image: {file: images/Knee-Picture.png, alt: A knee}
        """,
        "knee.yaml",
    )
    assert main(["build", str(tmp_path / "knee"), "--style", str(DEFAULT_STYLE)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'knee'}: error: file not found; did you mean '{path}'?"
    ]
    code, lines = build_lines(capsys, path)
    assert code == 1
    assert lines == [
        f"{path}:9:23: error: sections[0].blocks[0].image.file: image file 'images/Knee-Picture.png' not found; "
        "did you mean 'images/knee-picture.png'?"
    ]
    (tmp_path / "Brand.ttf").write_bytes(b"")
    style = tmp_path / "style.yaml"
    style.write_text("organisation: Clinic\nfonts: {regular: brand.ttf}\n", "utf-8")
    assert main(["check", str(path), "--style", str(style)]) == 1
    assert f"{style}:2:18: error: fonts.regular: font file 'brand.ttf' not found; did you mean 'Brand.ttf'?" in (
        capsys.readouterr().out
    )
