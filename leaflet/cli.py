"""Command line: parse arguments, run the pipeline, print results and diagnostics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLES = """examples:
  leaflet build                                build content.yaml for every audience into output/
  leaflet build content.yaml --audience patient
  leaflet build content.yaml --style styles/teal.yaml --out dist/
  python -m leaflet build leaflets/*.yaml
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, with a pointer to --help
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\nrun '{self.prog} --help' for examples", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leaflet",
        description="Turn a leaflet's YAML content into branded, printable A4 PDFs, one per audience.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    build = commands.add_parser(
        "build",
        help="build PDFs",
        description="Build one PDF per audience for each content file.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument(
        "content",
        nargs="*",
        type=Path,
        default=[Path("content.yaml")],
        metavar="CONTENT",
        help="content YAML files (default: content.yaml)",
    )
    build.add_argument("--audience", default="all", metavar="NAME", help="patient, clinician or all (default: all)")
    build.add_argument(
        "--style",
        type=Path,
        default=Path("styles/default.yaml"),
        metavar="FILE",
        help="brand style file (default: styles/default.yaml)",
    )
    build.add_argument(
        "--out", type=Path, default=Path("output"), metavar="DIR", help="folder for the PDFs (default: output/)"
    )
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns 0 on success, 1 on content errors, 2 on usage errors."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    return _build(args)


def _print_diagnostics(diagnostics) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from .build import build_file
    from .errors import LeafletError, Report
    from .style import load_theme
    from .validate import load_leaflet

    audiences = None if args.audience == "all" else [args.audience]
    style_report = Report()
    theme = None
    try:
        theme = load_theme(args.style, style_report)
    except LeafletError as error:
        style_report.diagnostics = error.diagnostics
    _print_diagnostics(style_report.diagnostics)
    style_failed = bool(style_report.errors) or (args.strict and bool(style_report.warnings))
    failed = style_failed
    for content in args.content:
        report = Report()
        try:
            if theme is None or style_failed:
                # Nothing is written, but every content file is still checked and its mistakes reported.
                report.diagnostics += load_leaflet(content, image_folders=(args.style.parent,))[1].diagnostics
            else:
                for written in build_file(content, theme, audiences, args.out, report, strict=args.strict):
                    pages = f"{written.pages} page{'s' if written.pages != 1 else ''}"
                    print(f"{written.path}  {pages}  {written.size / 1024:.1f} KB")
        except LeafletError as error:
            report.diagnostics += error.diagnostics
        except OSError as error:  # a last resort: render reports the output folder problems it can foresee
            print(f"{content}: error: cannot write output ({error.strerror}: {error.filename})", file=sys.stderr)
            failed = True
        _print_diagnostics(report.diagnostics)
        if args.strict and report.warnings and not report.errors and not style_failed:
            print(f"{content}: error: not built: --strict treats the warnings above as errors", file=sys.stderr)
        if report.errors or (args.strict and report.warnings):
            failed = True
    if style_failed and not style_report.errors:
        print(f"{args.style}: error: nothing built: --strict treats the warnings above as errors", file=sys.stderr)
    return 1 if failed else 0
