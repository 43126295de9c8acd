"""Does the work grow in proportion to the input? Build inputs of size n and 2n and compare the times.

Each case makes one content file of a given size (a paragraph as long as allowed, a box of many key points,
a glossary of many terms, many sections, many references) and builds its clinician variant in this process.
A doubling that costs more than MAX_RATIO times as much is reported, and the script exits with 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.pipeline import BuildOptions, build  # noqa: E402
from leaflet.reading.loader import MAX_TEXT_CHARACTERS  # noqa: E402

MAX_RATIO = 2.6  # linear work doubles; measuring noise on a shared machine is about 20%
HEAD = """id: demo
title: Scaling
language: en-GB
review: {last_reviewed: 2024-01-10, next_review: 2026-01-10, version: 1}
"""
SENTENCE = "Rest for a day or two, then walk a little more each day. "


def paragraph(n: int) -> str:
    text = (SENTENCE * (n // len(SENTENCE) + 1))[:n]
    return HEAD + f"sections:\n  - heading: Long\n    blocks:\n      - paragraph: '{text}'\n"


def longest_paragraphs(n: int) -> str:
    """n paragraphs as long as allowed (one paragraph's own time grows faster, up to the limit)."""
    text = (SENTENCE * (MAX_TEXT_CHARACTERS // len(SENTENCE) + 1))[:MAX_TEXT_CHARACTERS].strip()
    return HEAD + "sections:\n  - heading: Long\n    blocks:\n" + f"      - paragraph: '{text}'\n" * n


def emphasis(n: int) -> str:
    text = ("**a " * (n // 4 + 1))[:n]
    return HEAD + f"sections:\n  - heading: Long\n    blocks:\n      - paragraph: '{text}'\n"


def key_points(n: int) -> str:
    points = "".join(f"  - Point {i} to remember.\n" for i in range(n))
    return HEAD + "key_points:\n" + points + "sections:\n  - heading: H\n    blocks: [{paragraph: Text.}]\n"


def glossary(n: int) -> str:
    words = [f"termword{i}" for i in range(n)]
    paragraphs = "".join(
        "      - paragraph: '" + " ".join(f"The {w} is sore." for w in words[k : k + 100]) + "'\n"
        for k in range(0, n, 100)
    )
    terms = "".join(f"  - {{term: {w}, definition: Thing {i}.}}\n" for i, w in enumerate(words))
    return HEAD + "sections:\n  - heading: H\n    blocks:\n" + paragraphs + "glossary:\n" + terms


def sections(n: int) -> str:
    parts = "".join(f"  - heading: Part {i}\n    blocks: [{{paragraph: Rest.}}]\n" for i in range(n))
    return HEAD + "sections:\n" + parts


def references(n: int) -> str:
    cited = "".join(f"      - paragraph: 'Point {i} [@r{i}].'\n" for i in range(n))
    listed = "".join(f"  - {{id: r{i}, title: Study {i}, year: 2020, doi: 10.1234/t.{i}}}\n" for i in range(n))
    return HEAD + "sections:\n  - heading: H\n    blocks:\n" + cited + "references:\n" + listed


CASES: dict[str, tuple[Callable[[int], str], int]] = {  # how to make an input of size n, and the smaller n
    "paragraphs of 10,000 characters": (longest_paragraphs, 5),
    "emphasis markers that never close (characters)": (emphasis, MAX_TEXT_CHARACTERS // 2),
    "key points in one box": (key_points, 1000),
    "glossary terms, all used": (glossary, 500),
    "sections": (sections, 1000),
    "references, each cited once": (references, 500),
}


def seconds(text: str, runs: int) -> float:
    """Median wall time of building the clinician variant of text."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content.yaml"
        content.write_text(text, "utf-8")
        options = BuildOptions(date(2025, 6, 1), audiences=("clinician",), out=Path(folder) / "out")
        for _ in range(runs):
            start = time.perf_counter()
            (result,) = build([content], options).files
            times.append(time.perf_counter() - start)
            if not result.written:
                sys.exit(f"the input did not build: {[d.format() for d in result.diagnostics]}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    seconds(paragraph(100), 1)  # imports and fonts, once
    failed = False
    for name, (make, n) in CASES.items():
        small, large = seconds(make(n), runs), seconds(make(2 * n), runs)
        ratio = large / small
        verdict = "ok" if ratio <= MAX_RATIO else f"grows faster than the input (over {MAX_RATIO}x)"
        print(f"{name:48} {n:>6,}: {small:6.2f} s   {2 * n:>6,}: {large:6.2f} s   x{ratio:.2f}  {verdict}")
        failed |= ratio > MAX_RATIO
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
