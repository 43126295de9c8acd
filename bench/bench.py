"""Time single leaflet builds against a plain-ReportLab baseline doing the same drawing, and report the PDF sizes."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = Path("content.yaml")
STYLE = Path("styles/default.yaml")
AUDIENCE = "clinician"  # the per-document measurement
TARGET_RATIO = 1.3  # leaflet build content.yaml --audience patient, against plain ReportLab drawing the same
# Fixed PDF timestamps, so every run writes identical bytes and the sizes are reproducible.
# Bytecode caches on, as every installed copy has them: without them each run recompiles leaflet's own
# modules (but not the pre-compiled site-packages), which would weigh on one side only.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"SOURCE_DATE_EPOCH": "1700000000"}


def run(command: list[str]) -> None:
    completed = subprocess.run(command, env=ENV, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"command failed ({completed.returncode}): {' '.join(command)}\n{completed.stderr}")


def timed(action: Callable[[], object]) -> float:
    """Wall time of one call, in milliseconds."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


Timing = tuple[float, float, float]  # median ms of each side, and the median of their ratios run by run


def interleaved_medians(first: Callable[[], object], second: Callable[[], object], runs: int) -> Timing:
    """Median ms of each action, and the median ratio of each pair of runs; one warm-up each, then the two
    alternate, so that drift (other work on the machine, clocks, caches) hits both alike."""
    first()
    second()
    first_times: list[float] = []
    second_times: list[float] = []
    for _ in range(runs):
        first_times.append(timed(first))
        second_times.append(timed(second))
    ratios = [a / b for a, b in zip(first_times, second_times, strict=True)]
    return statistics.median(first_times), statistics.median(second_times), statistics.median(ratios)


def whole_process(runs: int, out_dir: Path, audience: str, jobs: int | None = None) -> Timing:
    """leaflet build CONTENT --audience AUDIENCE (patient: the standard and the large-print PDF) against plain
    ReportLab drawing that audience's text into as many PDFs, at the same sizes. --force: a real build each time,
    not a rebuild that finds nothing changed."""
    leaflet_command = [sys.executable, "-m", "leaflet", "build", str(CONTENT), "--audience", audience, "--force"]
    leaflet_command += ["--format", "standard"]  # the PDFs only, as many as the baseline makes
    leaflet_command += ["--format", "large-print"] if audience == "patient" else []
    leaflet_command += ["--out", str(out_dir)] + (["--jobs", str(jobs)] if jobs else [])
    plain_command = [sys.executable, "bench/plain_reportlab.py", str(CONTENT), str(out_dir / "plain.pdf")]
    plain_command += ["--audience", audience] + (["--large-print"] if audience == "patient" else [])
    return interleaved_medians(lambda: run(leaflet_command), lambda: run(plain_command), runs)


def per_document(runs: int, out_dir: Path) -> Timing:
    # Imported here so the whole-process runs above are not slowed by this process's own imports.
    import plain_reportlab

    from leaflet.core.variant import prepare
    from leaflet.pdf.writer import render
    from leaflet.reading.content import load_leaflet
    from leaflet.reading.fonts import load_fonts
    from leaflet.reading.style import load_theme

    def build_leaflet() -> None:
        leaflet, _ = load_leaflet(CONTENT)
        theme = load_theme(STYLE)
        render(prepare(leaflet, AUDIENCE, theme), theme, load_fonts(theme), out_dir / "x.pdf")

    return interleaved_medians(build_leaflet, lambda: plain_reportlab.render(CONTENT, out_dir / "plain.pdf"), runs)


def web_page(runs: int, out_dir: Path) -> tuple[float, float]:
    """ms for the web page of the same variant in one process: the first of a run (importing Jinja2, loading
    the template and the cut fonts), and the median of later ones."""
    from leaflet.core.variant import prepare
    from leaflet.reading.content import load_leaflet
    from leaflet.reading.fonts import load_fonts
    from leaflet.reading.style import load_theme

    leaflet, _ = load_leaflet(CONTENT)
    theme = load_theme(STYLE)
    fonts = load_fonts(theme)
    variant = prepare(leaflet, AUDIENCE, theme)

    def page() -> None:
        from leaflet.html.writer import render

        render(variant, theme, fonts, out_dir / "x.html")

    first = timed(page)
    return first, statistics.median(timed(page) for _ in range(runs))


def output_sizes(out_dir: Path) -> list[tuple[str, float]]:
    """KB of every variant the CLI builds, plus the baseline's PDF for comparison."""
    run([sys.executable, "-m", "leaflet", "build", str(CONTENT), "--out", str(out_dir), "--force"])
    run([sys.executable, "bench/plain_reportlab.py", str(CONTENT), str(out_dir / "plain-reportlab.pdf")])
    files = [*sorted(out_dir.glob("*.pdf")), *sorted(out_dir.glob("*.html"))]
    return [(path.name, path.stat().st_size / 1024) for path in files]


def row(label: str, leaflet_ms: float, plain_ms: float, ratio: float) -> str:
    return f"{label:<52}{leaflet_ms:>9.1f} ms{plain_ms:>9.1f} ms{ratio:>8.2f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="timed repetitions of each measurement (default: 15)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    os.chdir(ROOT)  # the commands and content paths are relative to the repository root
    os.environ["SOURCE_DATE_EPOCH"] = ENV["SOURCE_DATE_EPOCH"]  # the in-process builds read it too

    with tempfile.TemporaryDirectory(prefix="leaflet-bench-") as temporary:
        tmp = Path(temporary)
        for name in ("patient", "patient1", "patientn", "clinician", "document", "page", "sizes"):
            (tmp / name).mkdir()
        processors = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        patient = whole_process(args.runs, tmp / "patient", "patient")
        patient_one = whole_process(args.runs, tmp / "patient1", "patient", jobs=1)
        patient_all = whole_process(args.runs, tmp / "patientn", "patient", jobs=processors)
        clinician = whole_process(args.runs, tmp / "clinician", "clinician")
        document = per_document(args.runs, tmp / "document")
        page_first, page_later = web_page(args.runs, tmp / "page")
        sizes = output_sizes(tmp / "sizes")

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    print(f"{CONTENT}: median wall time of {args.runs} runs after one warm-up (the two sides alternate)")
    print(f"(load average at the end: {load}; leaflet's default --jobs leaves out processors other work keeps busy)")
    print()
    print(f"{'':<52}{'leaflet':>12}{'plain':>12}{'ratio':>9}  (ratio: the median of the runs' ratios)")
    print(row("whole process, --audience patient (2 PDFs)", *patient))
    print(row("  the same, --jobs 1", *patient_one))
    print(row(f"  the same, --jobs {processors}", *patient_all))
    print(row("whole process, --audience clinician (1 PDF)", *clinician))
    print(row(f"per document ({AUDIENCE}), in one process", *document))
    print(f"web page of the same variant: {page_first:.1f} ms the first of a run, {page_later:.1f} ms after")
    print()
    ratio = patient[2]
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(
        f"target: whole-process 'leaflet build {CONTENT} --audience patient' within {TARGET_RATIO}x of plain "
        f"ReportLab drawing the same two PDFs: {verdict} ({ratio:.2f}x)"
    )
    print()
    print("output size")
    for name, kb in sizes:
        print(f"  {name:<40}{kb:>7.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
