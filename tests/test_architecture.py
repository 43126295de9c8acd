"""The packages keep their layers: core imports no outer package, checks no writer, and writers not each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "leaflet"
# What each package may not import, directly or lazily inside a function.
OUTER = ("leaflet.pipeline", "leaflet.cli")
RUNNERS = ("leaflet.library", *OUTER)
WRITERS = ("leaflet.pdf", "leaflet.html")
FORBIDDEN = {
    "core": ("leaflet.reading", "leaflet.checks", *WRITERS, *RUNNERS, "reportlab", "yaml", "mistune", "jinja2"),
    "reading": ("leaflet.checks", *WRITERS, *RUNNERS),
    "checks": (*WRITERS, *RUNNERS),
    "pdf": ("leaflet.checks", "leaflet.html", *RUNNERS),
    "html": ("leaflet.checks", "leaflet.pdf", *RUNNERS),  # a writer beside the PDF one, reading the same Variant
    "library": (*WRITERS, *OUTER),  # runs many files: never draws
    "authoring": ("leaflet.cli", *WRITERS, "leaflet.checks"),  # new and watch: runs builds through the pipeline
}


def imported(path: Path) -> set[str]:
    """Every module path imports, relative imports resolved, anywhere in the file."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.add(target)
            names |= {f"{target}.{alias.name}" for alias in node.names}
    return names


def test_imports_are_resolved():
    assert "leaflet.core.model" in imported(PACKAGE / "core" / "select.py")
    assert "leaflet.reading.fonts" in imported(PACKAGE / "checks" / "glyphs.py")


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layers(package):
    broken = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((PACKAGE / package).rglob("*.py"))
        for name in sorted(imported(path))
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package])
    ]
    assert not broken, "\n".join(broken)


def test_every_module_opens_with_a_one_line_docstring():
    for path in PACKAGE.rglob("*.py"):
        docstring = ast.get_docstring(ast.parse(path.read_text("utf-8")), clean=False)
        assert docstring, f"{path.relative_to(ROOT)} has no docstring"
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith('"""') and (first.endswith('"""') or first.endswith(".")), first
