"""The corpus of bad inputs: each case is a file and the messages it must produce, side by side.

tests/bad_inputs/content/NAME.yaml is built as content (with the default style) and
tests/bad_inputs/style/NAME.yaml as the style (with content.yaml). NAME.expected lists, one a line,
text that must appear in a line of the error output; {file} stands for the input's path. Every
error line printed must be expected, the exit code must be 1 and no PDF may be written. A line
'args: --strict' adds arguments. A new case costs one .yaml and one .expected file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CONTENT, DEFAULT_STYLE, outputs
from leaflet.cli import main

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(CORPUS.glob("*/*.expected"))


def read_case(expected_file: Path) -> tuple[Path, list[str], list[str]]:
    """The input path, the extra arguments and the expected lines of one case."""
    source = expected_file.with_suffix(".yaml")
    args: list[str] = []
    expected: list[str] = []
    for line in expected_file.read_text("utf-8").splitlines():
        if line.startswith("args:"):
            args += line.removeprefix("args:").split()
        elif line.strip() and not line.startswith("#"):
            expected.append(line.replace("{file}", str(source)))
    return source, args, expected


def test_the_corpus_is_there():
    assert len(CASES) >= 60
    for kind in ("content", "style"):
        assert any(case.parent.name == kind for case in CASES)


@pytest.mark.parametrize("expected_file", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_bad_input_gives_a_clear_error(expected_file, tmp_path, capsys):
    source, args, expected = read_case(expected_file)
    assert expected, f"{expected_file} lists no expected message"
    if expected_file.parent.name == "content":
        argv = ["build", str(source), "--style", str(DEFAULT_STYLE)]
    else:
        argv = ["build", str(CONTENT), "--style", str(source)]
    out = tmp_path / "out"
    code = main([*argv, "--out", str(out), *args])
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 1, captured.err
    assert "Traceback" not in captured.err
    for wanted in expected:
        assert any(wanted in line for line in lines), f"missing: {wanted}\ngot:\n{captured.err}"
    unexpected = [line for line in lines if ": error: " in line and not any(w in line for w in expected)]
    assert unexpected == [], "errors the case does not list"
    assert len(lines) == len(set(lines)), "a message printed twice"
    assert not out.exists() or not outputs(out), "a PDF was written"
