"""Library throughput: build 40 leaflets cold, with every core and with one, then rebuild with nothing changed and
with one leaflet changed; report pages per second beside plain ReportLab's, measured in the same run."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "leaflets"
SHAPES = [ROOT / "content.yaml", *sorted(FIXTURES.glob("*/*.yaml"))]  # the seed and the four fixtures
LEAFLETS = 40
TODAY = "2026-12-04"  # review dates as of a fixed day, so every run builds the same pages
# Fixed PDF timestamps; bytecode caches on, as every installed copy has them.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"SOURCE_DATE_EPOCH": "1700000000"}
LEAFLET = [sys.executable, "-m", "leaflet"]


def make_library(folder: Path) -> list[Path]:
    """40 leaflets of five shapes, each copy with an id of its own, in four department folders, with one style."""
    (folder / "styles").mkdir(parents=True)
    shutil.copy(ROOT / "styles" / "default.yaml", folder / "styles" / "default.yaml")
    (folder / "leaflets.yaml").write_text("style: styles/default.yaml\n", "utf-8")
    made = []
    for number in range(LEAFLETS):
        shape = SHAPES[number % len(SHAPES)]
        department = folder / f"department-{number % 4 + 1}" / f"{shape.stem}-{number + 1}"
        department.mkdir(parents=True)
        if (shape.parent / "images").is_dir():
            shutil.copytree(shape.parent / "images", department / "images")
        text = shape.read_text("utf-8")
        leaflet_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
        target = department / f"{shape.stem}.yaml"
        target.write_text(text.replace(f"id: {leaflet_id}\n", f"id: {leaflet_id}-{number + 1}\n", 1), "utf-8")
        made.append(target)
    return made


CPU: dict[str, list[float]] = {}  # processor seconds of each measurement, worker processes included


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], name: str = "") -> float:
    """Seconds of wall time of one run of command, which must succeed; its processor time is kept under name."""
    start, cpu = time.perf_counter(), children_cpu()
    completed = subprocess.run(command, env=ENV, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    CPU.setdefault(name, []).append(children_cpu() - cpu)
    if completed.returncode != 0:
        sys.exit(f"command failed ({completed.returncode}): {' '.join(command)}\n{completed.stderr[-3000:]}")
    return seconds


def built_pages(out: Path) -> tuple[int, int]:
    """(files, pages of the PDFs) the status index lists: a web page has no pages."""
    index = json.loads((out / "index.json").read_text("utf-8"))
    outputs = [output for row in index["leaflets"] for output in row["outputs"]]
    return len(outputs), sum(output["pages"] or 0 for output in outputs)


def baseline(contents: list[Path], out: Path) -> tuple[float, int]:
    """Plain ReportLab, one process: seconds to draw the 40 leaflets' clinician text, and the pages drawn."""
    code = (
        "import sys, time; sys.path.insert(0, 'bench'); import plain_reportlab as p; from pypdf import PdfReader; "
        f"files = {[str(c) for c in contents]!r}; start = time.perf_counter(); "
        f"[p.render(f, '{out}/%d.pdf' % i) for i, f in enumerate(files)]; took = time.perf_counter() - start; "
        f"print(took, sum(len(PdfReader('{out}/%d.pdf' % i).pages) for i in range(len(files))))"
    )
    start, cpu = time.perf_counter(), children_cpu()
    completed = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start  # the whole process, as for leaflet: start-up and imports included
    CPU.setdefault("baseline", []).append(children_cpu() - cpu)
    if completed.returncode != 0:
        sys.exit(f"baseline failed:\n{completed.stderr}")
    return seconds, int(completed.stdout.split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed repetitions of each measurement (default: 3)")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="leaflet-library-bench-") as temporary:
        tmp = Path(temporary)
        library = tmp / "library"
        contents = make_library(library)
        (tmp / "plain").mkdir()
        results: dict[str, list[float]] = {"baseline": [], "cold": [], "cold1": [], "noop": [], "changed": []}
        baseline_pages = files = pages = 0
        for run in range(args.runs):
            seconds, baseline_pages = baseline(contents, tmp / "plain")
            results["baseline"].append(seconds)
            for jobs, name in ((cores, "cold"), (1, "cold1")):
                out = tmp / f"out-{name}-{run}"
                results[name].append(timed([*LEAFLET, "build", str(library), "--out", str(out), "--today", TODAY,
                                            "--jobs", str(jobs)], name))  # fmt: skip
            files, pages = built_pages(out)
            out = tmp / f"out-cold-{run}"
            results["noop"].append(
                timed([*LEAFLET, "build", str(library), "--out", str(out), "--today", TODAY], "noop")
            )
            changed = contents[run % len(contents)]
            changed.write_text(changed.read_text("utf-8") + f"# edited, run {run}\n", "utf-8")
            results["changed"].append(
                timed([*LEAFLET, "build", str(library), "--out", str(out), "--today", TODAY], "changed")
            )
    median = {name: statistics.median(times) for name, times in results.items()}
    cpu = {name: statistics.median(times) for name, times in CPU.items()}
    base_rate = baseline_pages / median["baseline"]
    print(f"{LEAFLETS} leaflets ({len(SHAPES)} shapes), {files} files (PDFs and web pages), {pages} PDF pages;", end="")
    print(f" median of {args.runs} runs")
    print()
    print(f"{'':<44}{'seconds':>9}{'pages/s':>10}{'vs plain':>10}{'CPU s':>8}{'pages/CPU s':>13}")
    print(f"{'plain ReportLab, 1 process (clinician text)':<44}{median['baseline']:>9.2f}{base_rate:>10.1f}"
          f"{'1.00x':>10}{cpu['baseline']:>8.2f}{baseline_pages / cpu['baseline']:>13.1f}"
          f"  ({baseline_pages} pages)")  # fmt: skip
    for name, label in (("cold", f"leaflet cold build, --jobs {cores}"), ("cold1", "leaflet cold build, --jobs 1")):
        rate = pages / median[name]
        print(f"{label:<44}{median[name]:>9.2f}{rate:>10.1f}{rate / base_rate:>9.2f}x{cpu[name]:>8.2f}"
              f"{pages / cpu[name]:>13.1f}")  # fmt: skip
    print(f"{'rebuild, nothing changed':<44}{median['noop']:>9.2f}{'':>10}"
          f"{'':>10}  ({median['noop'] / median['cold']:.1%} of the cold build)")  # fmt: skip
    print(f"{'rebuild, one leaflet changed':<44}{median['changed']:>9.2f}")
    print()
    print(f"parallel speed-up on {cores} cores: {median['cold1'] / median['cold']:.2f}x")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    print(f"(load average at the end: {load}; other work on the machine slows the parallel build most)")
    verdict = "met" if pages / median["cold"] >= base_rate else "NOT met"
    print(f"target: at least plain ReportLab's pages per second with all cores: {verdict}")
    verdict = "met" if median["noop"] < 0.1 * median["cold"] else "NOT met"
    print(f"target: a rebuild with nothing changed under 10% of the cold build: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
