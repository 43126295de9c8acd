"""A library is a folder: which files are leaflets, per-leaflet and library settings, mirrored output, output
collisions, parallel builds, incremental rebuilds and the status index."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, pdf_text, takes_ctrl_c
from leaflet.cli import main
from leaflet.library.manifest import MANIFEST_NAME
from leaflet.reading.library import find_leaflets


def leaflet(leaflet_id: str, *, title: str = "Knee pain", extra: str = "", next_review: str = "2027-01-10") -> str:
    """A small content file that builds without warnings (as of 2025-06-01, the tests' today)."""
    return f"""id: {leaflet_id}
title: {title}
language: en-GB
{extra}review: {{last_reviewed: 2024-01-10, next_review: {next_review}, version: 1, owner: Knee clinic}}
sections:
  - heading: About
    blocks:
      - paragraph: Rest your knee. Walk a little each day.
history: [{{version: 1, date: 2024-01-10, changes: First edition., approved_by: Leaflet group}}]
"""


def style(organisation: str) -> str:
    return f"organisation: {organisation}\ncontact: {{email: team@example.org}}\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def run(*args: str | Path) -> int:
    return main(["build", *map(str, args)])


def pdfs(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))


def organisation(pdf: Path) -> str:
    return PdfReader(pdf).metadata["/Author"]


# Which files are leaflets.
def test_a_folder_holds_every_leaflet_below_it_and_nothing_else(tmp_path):
    library = write(
        tmp_path / "lib",
        {
            "leaflets.yaml": "style: styles/brand.yaml\n",
            "styles/brand.yaml": style("Brand"),
            "physio/styles/extra.yaml": style("Physio"),
            "physio/knee.yaml": leaflet("knee"),
            "physio/hip.yml": leaflet("hip"),
            "physio/.draft.yaml": leaflet("draft"),
            ".archive/old.yaml": leaflet("old"),
            "cardio/deep/heart.yaml": leaflet("heart"),
            "cardio/notes.txt": "not YAML",
        },
    )
    found, problems = find_leaflets([library, library / "physio" / "knee.yaml", tmp_path / "lone.yaml"])
    assert problems == []
    assert [c.path.relative_to(tmp_path).as_posix() for c in found] == [
        "lib/cardio/deep/heart.yaml",
        "lib/physio/hip.yml",
        "lib/physio/knee.yaml",
        "lone.yaml",  # a missing file is kept, so that reading it says so
    ]
    assert [c.folder.as_posix() for c in found] == ["cardio/deep", "physio", "physio", "."]
    assert found[0].library is not None and found[0].library.root == library
    assert found[3].library is None


def test_a_file_given_alone_belongs_to_the_library_above_it(tmp_path):
    library = write(tmp_path / "lib", {"leaflets.yaml": "output: {layout: mirror}\n", "a/b/knee.yaml": leaflet("knee")})
    (found,), _ = find_leaflets([library / "a" / "b" / "knee.yaml"])
    assert found.library is not None and found.library.root == library and found.folder == Path("a/b")
    out = tmp_path / "out"
    assert run(library / "a" / "b" / "knee.yaml", "--out", out, "--format", "standard") == 0
    assert pdfs(out) == ["a/b/knee-clinician.pdf", "a/b/knee-patient.pdf"]  # as when the whole library is built


def test_a_yaml_file_that_is_no_leaflet_says_what_it_is(tmp_path, capsys):
    library = write(
        tmp_path / "lib",
        {
            "knee.yaml": leaflet("knee"),
            "brand.yaml": style("Brand"),
            "physio/settings.yaml": "output: {layout: flat}\n",
            "notes.yaml": "shopping: [milk, eggs]\n",
        },
    )
    assert run(library, "--out", tmp_path / "out", "--audience", "patient", "--format", "standard") == 1
    err = capsys.readouterr().err
    assert f"{library / 'brand.yaml'}:1:1: error: this is a style file, not a leaflet; put style files in a " in err
    assert f"{library / 'physio' / 'settings.yaml'}:1:1: error: this looks like library settings, not a leaflet" in err
    assert f"{library / 'notes.yaml'}:1:1: error: this is not a leaflet: it has none of id, title" in err
    assert pdfs(tmp_path / "out") == ["knee-patient.pdf"]  # the leaflet is still built


def test_a_folder_with_no_leaflets_and_a_second_settings_file_are_errors(tmp_path, capsys):
    library = write(
        tmp_path / "lib",
        {"leaflets.yaml": "", "a/knee.yaml": leaflet("knee"), "b/leaflets.yaml": "", "b/hip.yaml": leaflet("hip")},
    )
    (tmp_path / "empty").mkdir()
    assert run(tmp_path / "empty", library, "--out", tmp_path / "out", "--audience", "patient") == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'empty'}: error: no leaflets in this folder" in err
    assert f"{library / 'b' / 'leaflets.yaml'}: error: a second settings file inside the library" in err
    assert pdfs(tmp_path / "out") == ["a/knee-patient-large-print.pdf", "a/knee-patient.pdf"]


# Settings and styles.
def test_style_precedence_command_line_content_library_beside_built_in(tmp_path):
    library = write(
        tmp_path / "lib",
        {
            "leaflets.yaml": "style: styles/library.yaml\n",
            "styles/library.yaml": style("From the library"),
            "styles/own.yaml": style("Named by the leaflet"),
            "a/named.yaml": leaflet("named", extra="style: ../styles/own.yaml\n"),
            "a/plain.yaml": leaflet("plain"),
        },
    )
    write(tmp_path, {"lone/styles/default.yaml": style("Beside the content"), "lone/beside.yaml": leaflet("beside")})
    write(tmp_path, {"alone/builtin.yaml": leaflet("builtin")})
    out = tmp_path / "out"
    args = ("--audience", "patient", "--format", "standard")
    assert (
        run(library, tmp_path / "lone" / "beside.yaml", tmp_path / "alone" / "builtin.yaml", "--out", out, *args) == 0
    )
    assert organisation(out / "a" / "named-patient.pdf") == "Named by the leaflet"
    assert organisation(out / "a" / "plain-patient.pdf") == "From the library"
    assert organisation(out / "beside-patient.pdf") == "Beside the content"
    assert organisation(out / "builtin-patient.pdf") == "Riverside Community Health"  # the built-in style
    forced = tmp_path / "forced"
    write(tmp_path, {"cli.yaml": style("From the command line")})
    assert run(library, "--out", forced, "--style", tmp_path / "cli.yaml", *args) == 0
    assert {organisation(forced / name) for name in pdfs(forced)} == {"From the command line"}


def test_library_settings_choose_audiences_formats_layout_folder_and_review(tmp_path, capsys):
    library = write(
        tmp_path / "lib",
        {
            "leaflets.yaml": "audiences: [patient]\nformats: [large-print]\noutput: {folder: ../site, layout: flat}\n"
            "review: {due_soon_days: 600}\n",
            "a/knee.yaml": leaflet("knee"),
            "b/carer.yaml": leaflet("carer", extra="audiences: [carer]\n"),
        },
    )
    assert run(library) == 0
    assert pdfs(tmp_path / "site") == ["knee-patient-large-print.pdf"]
    err = capsys.readouterr().err
    assert "carer.yaml: warning: nothing built: the library builds patient, and this leaflet has only carer" in err
    assert "review due in 588 days" in err  # the library's review rules replace the style's (90 days)
    # The command line comes first.
    assert run(library, "--out", tmp_path / "cli", "--audience", "clinician", "--format", "standard") == 1  # carer
    assert pdfs(tmp_path / "cli") == ["knee-clinician.pdf"]


def test_mistakes_in_settings_and_styles_are_located_and_the_rest_is_built(tmp_path, capsys):
    library = write(
        tmp_path / "lib",
        {
            "leaflets.yaml": "style: styles/brand.yaml\ncolour: red\n",
            "styles/brand.yaml": style("Brand"),
            "good.yaml": leaflet("good"),
            "missing.yaml": leaflet("missing", extra="style: styles/nope.yaml\n"),
            "escapes.yaml": leaflet("escapes", extra="style: ../outside.yaml\n"),
            "broken.yaml": leaflet("broken").replace("title: Knee pain", 'title: "Knee pain'),
        },
    )
    write(tmp_path, {"outside.yaml": style("Outside")})
    out = tmp_path / "out"
    assert run(library, "--out", out, "--audience", "patient", "--format", "standard") == 1
    err = capsys.readouterr().err
    assert f"{library / 'leaflets.yaml'}:2:1: error: colour: unknown key 'colour'" in err
    assert f"{library / 'missing.yaml'}:4:8: error: style: style file 'styles/nope.yaml' not found" in err
    assert f"{library / 'escapes.yaml'}:4:8: error: style: style '../outside.yaml' is outside the library" in err
    assert f"{library / 'broken.yaml'}:2:8: error: YAML syntax error: this quote is never closed" in err
    assert "Traceback" not in err
    assert pdfs(out) == ["good-patient.pdf"]
    assert organisation(out / "good-patient.pdf") == "Brand"


def test_a_wrong_setting_stops_the_leaflets_it_applies_to(tmp_path, capsys):
    library = write(tmp_path / "lib", {"leaflets.yaml": "formats: [huge]\n", "knee.yaml": leaflet("knee")})
    assert run(library, "--out", tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert f"{library / 'leaflets.yaml'}:1:11: error: formats[0]: expected one of standard, large-print" in err
    assert "knee.yaml: error: not built or checked: a setting in" in err
    assert pdfs(tmp_path / "out") == []


# Output collisions: refused before anything is written.
@pytest.mark.parametrize(
    ("first", "second", "said"),
    [
        ("knee", "knee", "is also the id of"),
        ("Knee.Pain", "knee_pain", "makes the same file names as id"),
    ],
)
def test_two_leaflets_that_would_write_the_same_file_are_both_refused(tmp_path, capsys, first, second, said):
    library = write(
        tmp_path / "lib",
        {"a.yaml": leaflet(first), "b.yaml": leaflet(second), "other.yaml": leaflet("other")},
    )
    out = tmp_path / "out"
    assert run(library, "--out", out, "--audience", "patient", "--format", "standard") == 1
    err = capsys.readouterr().err
    name = re.sub(r"[^a-z0-9]+", "-", first.lower())
    for this, that in (("a", "b"), ("b", "a")):
        line = next(line for line in err.splitlines() if line.startswith(f"{library / this}.yaml:1:5: error: id: "))
        assert said in line and f"{library / that}.yaml:1:5" in line and f"{out / name}-patient.pdf" in line
    assert pdfs(out) == ["other-patient.pdf"]


def test_an_audience_named_like_another_large_print_version_is_refused(tmp_path, capsys):
    content = write(tmp_path, {"k.yaml": leaflet("knee", extra="audiences: [patient, patient-large-print]\n")})
    assert run(content / "k.yaml", "--out", tmp_path / "out") == 1
    err = capsys.readouterr().err
    said = "would write its patient version in large print and its patient-large-print version to one file"
    assert f"{content / 'k.yaml'}:1:5: error: id: id 'knee' {said}" in err
    assert pdfs(tmp_path / "out") == []


def test_a_leaflet_built_earlier_into_the_folder_is_not_overwritten(tmp_path, capsys):
    write(tmp_path, {"a/knee.yaml": leaflet("knee"), "b/knee.yaml": leaflet("knee", title="Other knee")})
    out = tmp_path / "out"
    assert run(tmp_path / "a" / "knee.yaml", "--out", out, "--audience", "patient", "--format", "standard") == 0
    before = (out / "knee-patient.pdf").read_bytes()
    assert run(tmp_path / "b" / "knee.yaml", "--out", out, "--audience", "patient", "--format", "standard") == 1
    assert "(built earlier): both would write" in capsys.readouterr().err
    assert (out / "knee-patient.pdf").read_bytes() == before


# Parallel builds.
def test_parallel_and_serial_builds_write_the_same_bytes_in_the_same_order(tmp_path, capsys):
    files = {f"d{n % 3}/leaflet-{n}.yaml": leaflet(f"leaflet-{n}", title=f"Leaflet {n}") for n in range(6)}
    files["d1/broken.yaml"] = "id: broken\ntitle: [\n"
    library = write(tmp_path / "lib", {"leaflets.yaml": "", **files})
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        assert run(library, "--out", out, "--jobs", jobs, "--format", "standard") == 1  # one broken leaflet
        captured = capsys.readouterr()
        outputs[jobs] = captured.out.replace(str(out), "OUT"), {p: (out / p).read_bytes() for p in pdfs(out)}
        assert "7 leaflets: 6 built, 1 failed (" in captured.out and "broken.yaml" in captured.out
        assert len(outputs[jobs][1]) == 12
    assert outputs["1"] == outputs["2"]
    lines = outputs["1"][0].splitlines()
    assert lines[0].startswith("OUT/d0/leaflet-0-patient.pdf") and lines[-2].startswith("OUT/d2/leaflet-5-clinician")


def test_jobs_must_be_a_positive_number(capsys):
    assert main(["build", "--jobs", "0"]) == 2
    assert "expected a whole number of 1 or more, got '0'" in capsys.readouterr().err


def test_ctrl_c_stops_the_workers_and_leaves_no_temporary_file(tmp_path):
    files = {f"leaflet-{n}.yaml": leaflet(f"leaflet-{n}") for n in range(30)}
    library = write(tmp_path / "lib", files)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "leaflet", "build", str(library), "--out", str(out), "--jobs", "2"]
    build = subprocess.Popen(
        command,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=takes_ctrl_c,
    )
    assert build.stdout is not None
    build.stdout.readline()  # a first file is written: the workers are busy
    os.killpg(build.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to every process of the group
    _, err = build.communicate(timeout=60)
    assert build.returncode != 0, err  # (the message and exit code are the command line's)
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-g", str(build.pid)], capture_output=True, text=True).stdout.split()
    assert left == [], "worker processes left running"
    assert [
        p.name for p in out.rglob("*") if p.suffix == ".tmp" or p.name.startswith(".") and p.name != MANIFEST_NAME
    ] == []
    built = json.loads((out / MANIFEST_NAME).read_text("utf-8"))["entries"]  # what was finished is recorded
    assert 0 < len(built) < 30
    for entry in built.values():
        assert all((out / output["path"]).is_file() for output in entry["outputs"])


# Incremental rebuilds.
def stamps(out: Path) -> dict[str, tuple[int, bytes]]:
    return {name: ((out / name).stat().st_mtime_ns, (out / name).read_bytes()) for name in pdfs(out)}


def test_a_rebuild_skips_what_has_not_changed_and_keeps_its_bytes_and_times(tmp_path, capsys):
    library = write(
        tmp_path / "lib",
        {
            "leaflets.yaml": "style: styles/brand.yaml\n",
            "styles/brand.yaml": style("Brand"),
            "a/knee.yaml": leaflet("knee"),
            "b/hip.yaml": leaflet("hip", next_review="2025-07-01"),  # due soon: a warning, said every time
        },
    )
    out = tmp_path / "out"
    assert run(library, "--out", out) == 0
    first = stamps(out)
    capsys.readouterr()
    time.sleep(0.01)
    assert run(library, "--out", out) == 0
    captured = capsys.readouterr()
    assert stamps(out) == first
    assert "2 leaflets: 0 built, 2 unchanged" in captured.out
    assert all(line.endswith("  unchanged") for line in captured.out.splitlines()[:-1])
    assert "review.next_review: review due in 30 days" in captured.err  # said again, as of today

    # One leaflet changes: only its files are written again.
    knee = library / "a" / "knee.yaml"
    knee.write_text(knee.read_text("utf-8").replace("Walk a little", "Walk a bit"), "utf-8")
    assert run(library, "--out", out) == 0
    now = stamps(out)
    assert {name for name in first if now[name] != first[name]} == {
        "a/knee-clinician.pdf", "a/knee-patient-large-print.pdf", "a/knee-patient.pdf",
    }  # fmt: skip
    assert "2 leaflets: 1 built, 1 unchanged" in capsys.readouterr().out

    # The style changes: every leaflet that uses it is built again; --force builds everything.
    (library / "styles" / "brand.yaml").write_text(style("Brand two"), "utf-8")
    assert run(library, "--out", out) == 0
    assert organisation(out / "b" / "hip-patient.pdf") == "Brand two"
    assert "2 leaflets: 2 built" in capsys.readouterr().out
    assert run(library, "--out", out, "--force") == 0
    assert "2 leaflets: 2 built" in capsys.readouterr().out


def test_a_rebuild_follows_images_outputs_options_and_the_review_status(tmp_path, capsys):
    picture = ROOT / "tests" / "fixtures" / "leaflets" / "knee-injection" / "images" / "knee-injection.png"
    image = "      - image: {file: knee.png, alt: A knee}\n"
    text = leaflet("knee", next_review="2025-09-01").replace(
        "      - paragraph: Rest", image + "      - paragraph: Rest"
    )
    library = write(tmp_path / "lib", {"knee.yaml": text})
    (library / "knee.png").write_bytes(picture.read_bytes())
    out = tmp_path / "out"

    def built(*args: str) -> str:
        assert run(library, "--out", out, "--today", "2025-05-01", *args) == 0
        return capsys.readouterr().out.splitlines()[-1]

    assert built().startswith("1 leaflet: 1 built")
    assert built().startswith("1 leaflet: 0 built, 1 unchanged")
    (library / "knee.png").write_bytes(picture.read_bytes() + b"\0")  # the same picture, other bytes
    assert built().startswith("1 leaflet: 1 built")
    (out / "knee-clinician.pdf").unlink()
    assert built().startswith("1 leaflet: 1 built")
    assert built("--format", "standard").startswith("1 leaflet: 1 built")  # other options
    assert built("--format", "standard").startswith("1 leaflet: 0 built")
    # Current on 1 May, due soon on 1 June, past its review date in October: the PDFs then carry a notice.
    assert run(library, "--out", out, "--today", "2025-10-01", "--format", "standard") == 0
    assert "1 leaflet: 1 built" in capsys.readouterr().out
    assert "Past its review date" in pdf_text(out / "knee-patient.pdf")


# The status index.
class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_the_status_index_lists_every_leaflet_with_its_files(tmp_path):
    library = write(
        tmp_path / "lib",
        {
            "leaflets.yaml": "",
            "a/current.yaml": leaflet("current", title="Current <leaflet> & co"),
            "a/soon.yaml": leaflet("soon", next_review="2025-07-01"),
            "b/past.yaml": leaflet("past", next_review="2025-01-01"),
            "b/broken.yaml": leaflet("broken").replace("2024-01-10, next", "2024-02-30, next"),
        },
    )
    out = tmp_path / "out"
    assert run(library, "--out", out, "--format", "standard") == 1
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert index["format"] == 1 and index["today"] == "2025-06-01" and index["library"] == "lib"
    assert index["counts"] == {"leaflets": 4, "failed": 1, "overdue": 1, "due soon": 1, "current": 1}
    rows = index["leaflets"]
    assert [row["source"] for row in rows] == ["b/broken.yaml", "b/past.yaml", "a/soon.yaml", "a/current.yaml"]
    current = rows[3]
    assert current["title"] == "Current <leaflet> & co" and current["owner"] == "Knee clinic"
    assert (current["version"], current["approved_by"], current["approved_on"]) == ("1", "Leaflet group", "2024-01-10")
    assert (current["last_reviewed"], current["next_review"], current["status"]) == (
        "2024-01-10",
        "2027-01-10",
        "current",
    )
    assert current["readability"]["patient"]["max_grade"] == 7
    assert [(o["format"], o["audience"], o["path"]) for o in current["outputs"]] == [
        ("standard", "patient", "a/current-patient.pdf"),
        ("standard", "clinician", "a/current-clinician.pdf"),
    ]
    for output in current["outputs"]:
        assert output["bytes"] == (out / output["path"]).stat().st_size
        assert output["pages"] == len(PdfReader(out / output["path"]).pages)
    assert rows[0]["build"] == "failed" and rows[0]["errors"] == 1 and rows[0]["outputs"] == []

    page = _Page()
    html = (out / "index.html").read_text("utf-8")
    page.feed(html)
    tags = [tag for tag, _ in page.tags]
    assert ("html", {"lang": "en"}) in page.tags and tags.count("h1") == 1 and tags.count("h2") == 4
    assert "Current &lt;leaflet&gt; &amp; co" in html
    headers = [attrs for tag, attrs in page.tags if tag == "th"]
    assert all(attrs.get("scope") in ("col", "row") for attrs in headers)
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert all((out / href).is_file() for href in links), links
    assert {f"a/current-{a}.pdf" for a in ("patient", "clinician")} <= set(links)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing from elsewhere: it works offline
    text = " ".join(page.text)
    assert text.index("Failed to build") < text.index("Past their review date") < text.index("Due for review soon")


def test_a_single_content_file_gets_no_index(tmp_path):
    write(tmp_path, {"knee.yaml": leaflet("knee")})
    assert run(tmp_path / "knee.yaml", "--out", tmp_path / "out", "--format", "standard") == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        MANIFEST_NAME,
        "knee-clinician.pdf",
        "knee-patient.pdf",
    ]


# leaflet check on a library.
def test_check_a_library_prints_the_table_and_json(tmp_path, capsys):
    library = write(
        tmp_path / "lib",
        {
            "leaflets.yaml": "review: {due_soon_days: 60}\n",
            "a/later.yaml": leaflet("later"),
            "b/soon.yaml": leaflet("soon", next_review="2025-07-01"),
        },
    )
    assert main(["check", str(library), "--sort", "review"]) == 0
    out = capsys.readouterr().out.splitlines()
    table = out[out.index(next(line for line in out if line.startswith("id "))) :]
    assert [line.split()[0] for line in table[1:-1]] == ["soon", "later"]
    assert "Knee clinic" in table[1] and "due soon" in table[1]
    assert main(["check", str(library), "--output", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(row["id"], row["owner"], row["version"]) for row in document["leaflets"]] == [
        ("later", "Knee clinic", "1"),
        ("soon", "Knee clinic", "1"),
    ]


def test_the_example_library_builds_and_checks(tmp_path, capsys):
    example = ROOT / "docs" / "example-library"
    out = tmp_path / "out"
    assert main(["build", str(example), "--out", str(out), "--today", "2026-12-04"]) == 0
    assert pdfs(out) == [
        f"{department}/{name}-{variant}.pdf"
        for department, names in (
            ("orthopaedics", ("knee-injection", "low-back-pain")),
            ("physiotherapy", ("plantar-fasciitis", "tennis-elbow")),
        )  # fmt: skip
        for name in names
        for variant in ("clinician", "patient-large-print", "patient")
    ]
    assert organisation(out / "orthopaedics" / "knee-injection-patient.pdf") == "Riverside Community Health"
    assert "Orthopaedic Outpatients" in pdf_text(out / "orthopaedics" / "knee-injection-patient.pdf")
    assert "Physiotherapy Department" in pdf_text(out / "physiotherapy" / "tennis-elbow-patient.pdf")
    assert "patient.experience@example.org" in pdf_text(out / "physiotherapy" / "tennis-elbow-patient.pdf")
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert index["counts"]["leaflets"] == 4 and index["counts"]["due soon"] == 1  # 120 days ahead
    assert main(["check", str(example), "--today", "2026-12-04"]) == 0


def test_one_leaflet_is_built_alike_in_one_process_or_several(tmp_path, capsys):
    """With processors to spare, one leaflet's variants are shared between forked processes: the same files."""
    content = write(tmp_path, {"knee.yaml": leaflet("knee")}) / "knee.yaml"
    built = {}
    for jobs in ("1", "3"):
        out = tmp_path / f"out{jobs}"
        assert run(content, "--out", out, "--jobs", jobs, "--format", "all") == 0
        built[jobs] = capsys.readouterr().out.replace(str(out), "OUT"), {p: (out / p).read_bytes() for p in pdfs(out)}
    assert built["1"] == built["3"] and len(built["1"][1]) == 10  # 5 PDF formats for each audience


def test_fork_map_keeps_the_order_and_reports_a_worker_that_fails():
    from leaflet.library.pool import fork_map

    assert fork_map(str.upper, list("abcdefg"), 3) == list("ABCDEFG")
    assert fork_map(str.upper, ["x"], 4) == ["X"]
    with pytest.raises(ChildProcessError):
        fork_map(lambda n: 1 // n, [1, 0], 2)  # the child's job divides by zero (its traceback is printed)


def test_a_rebuild_follows_a_style_that_appears_and_the_library_settings(tmp_path, capsys):
    library = write(tmp_path / "lib", {"leaflets.yaml": "", "a/knee.yaml": leaflet("knee")})
    out = tmp_path / "out"

    def built() -> str:
        assert run(library, "--out", out, "--audience", "patient", "--format", "standard") == 0
        return capsys.readouterr().out.splitlines()[-1]

    assert built().startswith("1 leaflet: 1 built")
    assert organisation(out / "a" / "knee-patient.pdf") == "Riverside Community Health"  # the built-in style
    write(library, {"a/styles/default.yaml": style("Beside it")})  # its appearing changes the style
    assert built().startswith("1 leaflet: 1 built")
    assert organisation(out / "a" / "knee-patient.pdf") == "Beside it"
    assert built().startswith("1 leaflet: 0 built, 1 unchanged")
    write(library, {"leaflets.yaml": "review: {due_soon_days: 30}\n"})
    assert built().startswith("1 leaflet: 1 built")
