"""Command line: parse arguments, run the pipeline, print results and diagnostics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLES = """examples:
  leaflet build                                build content.yaml for every audience into output/
  leaflet build content.yaml --audience patient
  leaflet build --audience patient --format large-print
  leaflet build content.yaml --style styles/teal.yaml --out dist/
  python -m leaflet build leaflets/*.yaml
  leaflet check                                check content.yaml before handing it out
  leaflet check leaflets/*.yaml --format json  for CI
"""

CHECK_EXAMPLES = """examples:
  leaflet check                                check content.yaml with styles/default.yaml
  leaflet check leaflets/*.yaml                one line per finding, then a summary table
  leaflet check --today 2025-06-01             as of another date (default: SOURCE_DATE_EPOCH, else today)
  leaflet check --format json > check.json     for CI

exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage errors.
Every check, threshold and heuristic is described in docs/checks.md.
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
        description="Build tagged, accessible PDFs for each content file: one per audience, and a large-print "
        "version for patients.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _content_and_style(build, "brand style file (default: styles/default.yaml)")
    build.add_argument("--audience", default="all", metavar="NAME", help="patient, clinician or all (default: all)")
    build.add_argument(
        "--format",
        choices=["standard", "large-print", "all"],
        default=None,
        help="standard print, large print (18 pt) or all; default: standard, plus large print for patients",
    )
    build.add_argument(
        "--out", type=Path, default=Path("output"), metavar="DIR", help="folder for the PDFs (default: output/)"
    )
    build.add_argument(
        "--strict", action="store_true", help="treat warnings as errors: write nothing and exit 1 if there are any"
    )
    _today_option(build)

    check = commands.add_parser(
        "check",
        help="check leaflets are current, readable and sourced",
        description="Check leaflets before they are handed out: review dates, readability, glossary, "
        "evidence and accessibility. Writes no files.",
        epilog=CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _content_and_style(check, "brand style file, with the targets (default: styles/default.yaml)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    _today_option(check)
    return parser


def _content_and_style(parser: argparse.ArgumentParser, style_help: str) -> None:
    parser.add_argument(
        "content",
        nargs="*",
        type=Path,
        default=[Path("content.yaml")],
        metavar="CONTENT",
        help="content YAML files (default: content.yaml)",
    )
    parser.add_argument("--style", type=Path, default=Path("styles/default.yaml"), metavar="FILE", help=style_help)


def _today_option(parser: argparse.ArgumentParser) -> None:
    from datetime import date

    def iso_date(text: str) -> date:
        from .core.dates import parse_iso

        try:
            return parse_iso(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parser.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the date to check review dates against (default: SOURCE_DATE_EPOCH if set, else today)",
    )


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
    from .core.dates import today

    try:
        args.today = today(args.today)
    except ValueError as error:  # a malformed SOURCE_DATE_EPOCH
        print(f"leaflet: error: {error}", file=sys.stderr)
        return 2
    return _check(args) if args.command == "check" else _build(args)


def _print_diagnostics(diagnostics) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from .core.errors import LeafletError, Report
    from .pipeline import build_file, check_theme
    from .reading.content import load_leaflet
    from .reading.style import load_theme

    audiences = None if args.audience == "all" else [args.audience]
    formats = {None: None, "all": ["standard", "large-print"]}.get(args.format, [args.format])
    style_report = Report()
    theme = None
    try:
        theme = load_theme(args.style, style_report)
    except LeafletError as error:
        style_report.diagnostics = list(error.diagnostics)  # the report's own, or the one that stopped the reading
    if theme is not None:
        try:
            findings = check_theme(theme, audiences or _style_audiences(theme), gate=False)
            style_report.diagnostics += [finding.diagnostic for finding in findings]
        except LeafletError as error:  # a font file that cannot be used
            style_report.diagnostics += error.diagnostics
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
                build = build_file(content, theme, audiences, args.out, report, args.today, args.strict, formats)
                for written in build:
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


def _style_audiences(theme, leaflets=()) -> list[str]:
    """The audiences whose type sizes the style's checks cover."""
    names = {"patient", "clinician", *theme.audiences}
    for leaflet in leaflets:
        names.update(leaflet.audiences)
    return sorted(names)


def _check(args: argparse.Namespace) -> int:
    from .checks.report import json_report, text_report
    from .checks.suite import INVALID, Finding, LeafletCheck, check_leaflet
    from .core.errors import LeafletError
    from .pipeline import check_theme, read_text
    from .reading.content import load_leaflet
    from .reading.style import load_theme

    try:
        theme = load_theme(args.style)
    except LeafletError as error:
        if args.format == "json":
            style_findings = [Finding("style", d) for d in error.diagnostics]
            print(json_report([], style_findings, str(args.style), args.today))
        else:
            _print_diagnostics(error.diagnostics)
        return 1
    results: list[LeafletCheck] = []
    for content in args.content:
        try:
            leaflet, loaded = load_leaflet(content)
        except LeafletError as error:
            findings = [Finding("content", d) for d in error.diagnostics]
            results.append(LeafletCheck(str(content), None, INVALID, findings, {}))
            continue
        result = check_leaflet(leaflet, theme, args.today, gate=True, source_text=read_text(content))
        result.findings[:0] = [Finding("content", d) for d in loaded.diagnostics]
        results.append(result)
    leaflets = [r.leaflet for r in results if r.leaflet is not None]
    try:
        style_findings = check_theme(theme, _style_audiences(theme, leaflets), gate=True)
    except LeafletError as error:  # a font file that cannot be used
        style_findings = [Finding("accessibility", d) for d in error.diagnostics]
    if args.format == "json":
        print(json_report(results, style_findings, str(args.style), args.today))
    else:
        print(text_report(results, style_findings))
    findings = style_findings + [f for r in results for f in r.findings]
    errors = any(f.diagnostic.severity == "error" for f in findings)
    return 1 if errors or (args.strict and findings) else 0
