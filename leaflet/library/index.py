"""The status index of a built library: OUT/index.json (documented in docs/library.md) and OUT/index.html.

One row per leaflet: title, id, owner, version, approval, review dates, status today, reading grade per audience,
and every file built from it (format, audience, path, pages, size), so that other formats can join the PDFs.
The page works offline (no scripts, styles or fonts from elsewhere), has headings, table headers and a language,
and lists leaflets that failed to build first, then those past their review date, then those due for review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from .. import __version__
from ..checks.report import STATUS_ORDER
from ..checks.review import INVALID, review_status
from ..core.dates import long_date
from ..core.theme import ReviewRules
from .manifest import file_key, write_atomically

if TYPE_CHECKING:
    from ..core.errors import Diagnostic
    from ..reading.library import Library
    from .manifest import Manifest


class Built(Protocol):
    """What the index needs of a file's build result (pipeline.FileResult)."""

    content: Path
    unchanged: bool
    diagnostics: list[Diagnostic]
    summary: dict[str, Any] | None

    @property
    def failed(self) -> bool: ...


INDEX_FORMAT = 1
FAILED = "failed"
GROUPS = (
    (FAILED, "Failed to build", "Fix the errors the build printed; the files listed are from the last good build."),
    ("overdue", "Past their review date", "Do not hand these out until they have been reviewed."),
    ("due soon", "Due for review soon", "Plan their review now."),
    ("current", "Current", ""),
)


Member = tuple[Path, "Library | None", Built]  # a content file of the run, its library and its result


def rows(out: Path, manifest: Manifest, run: Sequence[Member], today: date) -> list[dict[str, Any]]:
    """Every leaflet built into out (and still there), with this run's results, in the index's order."""
    results = {file_key(content, out): (source_name(content, library), result) for content, library, result in run}
    found: list[dict[str, Any]] = []
    for name, entry in manifest.entries.items():
        if not (out / name).is_file():
            continue  # the content file has gone: its leaflet is no longer in the library
        _, result = results.pop(name, (None, None))
        row = _row(entry["summary"], entry.get("source") or name, entry["outputs"])
        recorded = entry["review"]
        rules = ReviewRules(*recorded["rules"])
        row["status"] = review_status(date.fromisoformat(recorded["next_review"]), today, rules)
        row["build"] = "built" if result and not result.unchanged else "unchanged"
        if result is not None and result.failed:
            row.update(build=FAILED, errors=sum(d.severity == "error" for d in result.diagnostics))
        found.append(row)
    for source, result in results.values():  # failed, and never built before
        summary = result.summary or {"file": str(result.content), "status": INVALID, "warnings": 0}
        row = _row(summary, source, [])
        row.update(build=FAILED, errors=sum(d.severity == "error" for d in result.diagnostics))
        found.append(row)
    return sorted(found, key=_order)


ROW_KEYS = (
    "id", "title", "source", "owner", "author", "version", "approved_by", "approved_on", "last_reviewed",
    "next_review", "status", "build", "errors", "warnings", "readability", "outputs",
)  # fmt: skip


def _row(summary: dict[str, Any], source: str, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ROW_KEYS)
    row.update({key: value for key, value in summary.items() if key in ROW_KEYS})
    row["source"] = source
    row["outputs"] = [{k: v for k, v in output.items() if k != "mtime_ns"} for output in outputs]
    row["readability"] = row["readability"] or {}
    return row


def _order(row: dict[str, Any]) -> tuple[int, str, str]:
    group = _group(row)
    return [g[0] for g in GROUPS].index(group), row.get("next_review") or "", row.get("id") or row["source"]


def _group(row: dict[str, Any]) -> str:
    return FAILED if row.get("build") == FAILED or row["status"] not in STATUS_ORDER else row["status"]


def write_index(out: Path, manifest: Manifest, run: Sequence[Member], library: Library, today: date) -> list[Path]:
    """Write out/index.json and out/index.html; return their paths."""
    listed = rows(out, manifest, run, today)
    name = library.root.resolve().name or str(library.root)
    counts = {group: sum(_group(row) == group for row in listed) for group, _, _ in GROUPS}
    document = {
        "format": INDEX_FORMAT,
        "tool": f"leaflet {__version__}",
        "library": name,
        "today": today.isoformat(),
        "counts": {"leaflets": len(listed), **counts},
        "leaflets": listed,
    }
    json_path, html_path = out / "index.json", out / "index.html"
    write_atomically(json_path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    write_atomically(html_path, html_page(document))
    return [json_path, html_path]


# The page.

STYLE = """
body { font-family: "Atkinson Hyperlegible", Arial, sans-serif; font-size: 1.0625rem; line-height: 1.5;
  color: #212b32; background: #fff; margin: 0 auto; padding: 1rem 1.25rem 3rem; max-width: 90rem; }
h1 { font-size: 1.75rem; margin: 0.5rem 0; color: #005eb8; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.25rem; }
a { color: #004a94; } a:focus { outline: 3px solid #ffb81c; background: #ffeb3b; color: #212b32; }
.scroll { overflow-x: auto; } .scroll:focus { outline: 3px solid #ffb81c; }
table { border-collapse: collapse; width: 100%; margin-top: 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.6rem; border-bottom: 1px solid #aeb7bd; }
thead th { background: #e8edee; border-bottom: 2px solid #425563; }
tbody th { font-weight: normal; min-width: 12rem; } strong { display: block; }
.muted { display: block; color: #4c6272; font-size: 0.95rem; }
.details { color: #4c6272; font-size: 0.95rem; white-space: nowrap; }
ul.plain { margin: 0; padding: 0; list-style: none; } ul.plain li + li { margin-top: 0.25rem; }
time { white-space: nowrap; }
.status { font-weight: bold; white-space: nowrap; }
.failed .status, .overdue .status { color: #b00020; } .due-soon .status { color: #8a5a00; }
tr.failed, tr.overdue { box-shadow: inset 4px 0 #b00020; } tr.due-soon { box-shadow: inset 4px 0 #8a5a00; }
"""


def html_page(document: dict[str, Any]) -> str:
    """The index as one self-contained, accessible HTML page."""
    today = date.fromisoformat(document["today"])
    counts = document["counts"]
    said = [f"{counts['leaflets']} leaflet{'' if counts['leaflets'] == 1 else 's'}"]
    said += [f"{counts[group]} {title.lower()}" for group, title, _ in GROUPS if counts[group]]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Leaflet library {escape(document['library'])}: status on {long_date(today)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Leaflet library: {escape(document['library'])}</h1>",
        f'<p>Status on <time datetime="{today.isoformat()}">{long_date(today)}</time>: {escape("; ".join(said))}.</p>',
        "</header>",
        "<main>",
    ]
    for group, title, advice in GROUPS:
        members = [row for row in document["leaflets"] if _group(row) == group]
        if not members:
            continue
        anchor = group.replace(" ", "-")
        parts += [
            f'<section aria-labelledby="{anchor}">',
            f'<h2 id="{anchor}">{escape(title)} ({len(members)})</h2>',
            f"<p>{escape(advice)}</p>" if advice else "",
            f'<div class="scroll" role="region" aria-labelledby="{anchor}" tabindex="0">',
            f'<table aria-labelledby="{anchor}">',
            "<thead><tr>",
            *(f'<th scope="col">{escape(h)}</th>' for h in HEADERS),
            "</tr></thead>",
            "<tbody>",
            *(_table_row(row, group) for row in members),
            "</tbody>",
            "</table>",
            "</div>",
            "</section>",
        ]
    parts += [
        "</main>",
        "<footer>",
        f'<p class="muted">Made by {escape(document["tool"])}. The same list as data: '
        '<a href="index.json">index.json</a>.</p>',
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


HEADERS = ("Leaflet", "Owner", "Version", "Review", "Status", "Reading grade", "Files")


def _table_row(row: dict[str, Any], group: str) -> str:
    title = row.get("title") or row["source"]
    leaflet = f"<strong>{escape(title)}</strong>"
    if row.get("title"):
        leaflet += f'<span class="muted">{escape(row.get("id") or "")} &middot; {escape(row["source"])}</span>'
    status = {"overdue": "Past review", "due soon": "Due soon", "current": "Current"}.get(row["status"], "Not read")
    if row.get("build") == FAILED:
        errors = row.get("errors") or 0
        status = f"Build failed ({errors} error{'' if errors == 1 else 's'})"
    version = escape(str(row.get("version") or "-"))
    if row.get("approved_by"):
        version += f'<span class="muted">approved by {escape(row["approved_by"])}</span>'
    review = "-"
    if row.get("next_review"):
        review = f"Next: {_date(row['next_review'])}"
        review += f'<span class="muted">Last: {_date(row.get("last_reviewed"))}</span>'
    grades = []
    for audience, scores in (row.get("readability") or {}).items():
        grade = (scores or {}).get("flesch_kincaid_grade")
        if grade is None:
            continue
        target = scores.get("max_grade")
        aim = f' <span class="muted">(target {target:g})</span>' if target is not None else ""
        grades.append(f"<li>{escape(audience.capitalize())}: {grade:.1f}{aim}</li>")
    files = "".join(f"<li>{_output_link(output)}</li>" for output in row["outputs"])
    cells = [
        f'<th scope="row">{leaflet}</th>',
        f"<td>{escape(row.get('owner') or '-')}</td>",
        f"<td>{version}</td>",
        f"<td>{review}</td>",
        f'<td class="status">{escape(status)}</td>',
        f'<td><ul class="plain">{"".join(grades)}</ul></td>' if grades else "<td>-</td>",
        f'<td><ul class="plain">{files}</ul></td>' if files else "<td>-</td>",
    ]
    return f'<tr class="{group.replace(" ", "-")}">{"".join(cells)}</tr>'


def _date(text: str | None) -> str:
    if not text:
        return "-"
    return f'<time datetime="{escape(text)}">{long_date(date.fromisoformat(text))}</time>'


def _output_link(output: dict[str, Any]) -> str:
    """'Patient, large print (PDF, 6 pages, 130 KB)' or 'Patient, web page (40 KB)', linking to the file."""
    label = output["audience"].replace("-", " ").replace("_", " ").capitalize()
    label += {"large-print": ", large print", "html": ", web page"}.get(output["format"], "")
    details = ["HTML" if output["format"] == "html" else "PDF"]
    if output.get("pages"):
        details.append(f"{output['pages']} page{'' if output['pages'] == 1 else 's'}")
    if output.get("bytes") is not None:
        details.append(f"{output['bytes'] / 1024:.0f} KB")
    href = "/".join(quote(part) for part in Path(output["path"]).parts)
    return f'<a href="{escape(href)}">{escape(label)}</a> <span class="details">{", ".join(details)}</span>'


def source_name(content: Path, library: Library | None) -> str:
    """How the index names a content file: its path within its library."""
    return content.name if library is None else file_key(content, library.root)
