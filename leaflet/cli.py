"""Command line: parse arguments, run the pipeline, print results and diagnostics."""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .core.variant import FORMATS

if TYPE_CHECKING:
    from .core.errors import Diagnostic
    from .pipeline import BuildResult, FileResult

EXAMPLES = """examples:
  leaflet build                                build content.yaml for every audience into output/
  leaflet build content.yaml --audience patient
  leaflet build --audience patient --format large-print
  leaflet build content.yaml --style styles/teal.yaml --out dist/
  leaflet build library/ --out site/           every leaflet under library/, with its status index
  leaflet build library/ --jobs 1 --force      one at a time, and rebuild what has not changed
  leaflet check                                check content.yaml before handing it out
  leaflet check library/ --sort review         a summary table, past review first
  leaflet new knee-injection --from procedure  start a leaflet from a template (leaflet new --list)
  leaflet watch knee-injection.yaml            rebuild on each save; the web page reloads in the browser
"""

CHECK_EXAMPLES = """examples:
  leaflet check                                check content.yaml with its style
  leaflet check leaflets/*.yaml                one line per finding, then a summary table
  leaflet check library/ --sort review         every leaflet under library/, past review first
  leaflet check --today 2025-06-01             as of another date (default: SOURCE_DATE_EPOCH, else today)
  leaflet check --output json > check.json     for CI

exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage errors.
Every check, threshold and heuristic is described in docs/checks.md.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2, with a pointer to --help
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\nrun '{self.prog} --help' for examples", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leaflet",
        description="Turn a leaflet's YAML content into branded, printable A4 PDFs and web pages, one per audience.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    build = commands.add_parser(
        "build",
        help="build PDFs and web pages",
        description="Build tagged, accessible PDFs for each content file: one per audience, a large-print "
        "version for patients, and a web page per audience.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _content_and_style(build)
    build.add_argument("--audience", default="all", metavar="NAME", help="patient, clinician or all (default: all)")
    build.add_argument(
        "--format",
        choices=[*FORMATS, "all"],
        action="append",
        default=None,
        help="standard (A4 PDF), large-print (18 pt A4 PDF), a5 (A5 PDF), booklet (A5 pages imposed on A4 to fold), "
        "print (for a print shop: bleed and crop marks), html (a web page) or all; repeat for several; "
        "default: the style's choice for each audience (standard and html, plus large print for patients)",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder for the files (default: the library's output folder, else output/)",
    )
    build.add_argument(
        "--strict", action="store_true", help="treat warnings as errors: write nothing and exit 1 if there are any"
    )
    build.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="build N leaflets at a time, in separate processes (default: one per processor that other work leaves "
        "free; 1 for one at a time)",
    )
    build.add_argument("--force", action="store_true", help="rebuild every file, even if its inputs have not changed")
    _today_option(build)

    check = commands.add_parser(
        "check",
        help="check leaflets are current, readable and sourced",
        description="Check leaflets before they are handed out: review dates, readability, glossary, "
        "evidence and accessibility. Writes no files.",
        epilog=CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _content_and_style(check)
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument(
        "--output", choices=("text", "json"), default=None, help="report format: text or json (default: text)"
    )
    # The old name of --output: in build, --format is the format of the leaflet itself.
    check.add_argument("--format", choices=("text", "json"), default=None, dest="old_format", help=argparse.SUPPRESS)
    check.add_argument(
        "--sort",
        choices=("file", "review"),
        default="file",
        help="order of the summary table: as found (default), or by next review date, past review first",
    )
    _today_option(check)
    _authoring_commands(commands)
    return parser


NEW_EXAMPLES = """examples:
  leaflet new                                  my-leaflet.yaml: every kind of block, each explained
  leaflet new knee-injection --from procedure  knee-injection.yaml from the procedure and consent template
  leaflet new physio/tennis-elbow --from exercises --style physio/style.yaml
  leaflet new --list                           the templates

exit status: 0 written, 1 a file is in the way (nothing is written), 2 usage errors.
"""

WATCH_EXAMPLES = """examples:
  leaflet watch                                rebuild content.yaml each time it, its style or pictures change
  leaflet watch knee.yaml --format html        the web page only, served with automatic reload
  leaflet watch knee.yaml --no-serve           rebuild, but serve nothing

Stop with Ctrl-C. A save with a mistake prints the mistake and keeps the last good files.
"""


def _authoring_commands(commands: Any) -> None:
    from .authoring.new import DEFAULT_ID, template_list

    new = commands.add_parser(
        "new",
        help="start a new leaflet from a template",
        description="Write a new content file, ID.yaml, with comments on how to change it. It builds at once "
        "(leaflet build ID.yaml) and passes leaflet check. Templates:\n" + template_list(),
        epilog=NEW_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument(
        "id",
        nargs="?",
        default=None,
        metavar="ID",
        help=f"the leaflet's id, and its file name (default: {DEFAULT_ID}); may start with a folder: physio/knee",
    )
    new.add_argument(
        "--from", dest="template", default=None, metavar="TEMPLATE", help="the template (default: starter)"
    )
    new.add_argument(
        "--style",
        nargs="?",
        type=Path,
        const=Path("style.yaml"),
        default=None,
        metavar="FILE",
        help="name this style in the leaflet; if FILE does not exist, write a commented starter style there "
        "(default FILE: style.yaml)",
    )
    new.add_argument("--list", action="store_true", help="list the templates and stop")
    _today_option(new)

    watch = commands.add_parser(
        "watch",
        help="rebuild as you edit, and show the web page",
        description="Build, then rebuild each time a content file, its style or its pictures or fonts change, "
        "printing the findings each time. If the web page is built, serve it on this computer with automatic "
        "reload.",
        epilog=WATCH_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _content_and_style(watch)
    watch.add_argument("--audience", default="all", metavar="NAME", help="patient, clinician or all (default: all)")
    watch.add_argument(
        "--format",
        choices=[*FORMATS, "all"],
        action="append",
        default=None,
        help="as for build; repeat for several (default: the style's choice for each audience)",
    )
    watch.add_argument("--out", type=Path, default=None, metavar="DIR", help="folder for the files (as for build)")
    watch.add_argument(
        "--port", type=_port, default=8000, metavar="N", help="serve the web pages on port N (default: 8000; 0: any)"
    )
    watch.add_argument("--no-serve", action="store_true", help="do not serve the web pages")
    _today_option(watch)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got '{text}'")
    return int(text)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got '{text}'")
    return number


def _content_and_style(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "content",
        nargs="*",
        type=Path,
        default=[Path("content.yaml")],
        metavar="CONTENT",
        help="content YAML files, or folders of them: a library (default: content.yaml)",
    )
    parser.add_argument(
        "--style",
        type=Path,
        default=None,
        metavar="FILE",
        help="brand style file (default: the content file's style:, else the library's, else styles/default.yaml "
        "in the content file's folder if there is one, else leaflet's built-in style)",
    )


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
    """Run the CLI; returns 0 on success, 1 on content errors, 2 on usage errors, 130 when interrupted (Ctrl-C)
    and 143 when terminated (SIGTERM): the PDFs written by then are complete, and no other file was changed."""
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets an escape, not a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        os.getcwd()  # ReportLab asks for it as it loads
    except FileNotFoundError:
        print("leaflet: error: the current folder has been deleted; change to another folder", file=sys.stderr)
        return 2
    previous = _on_sigterm(_terminate)
    try:
        code = _run(argv)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        signal_number = _terminated[-1] if _terminated else signal.SIGINT
        _terminated.clear()
        stopped = "terminated" if signal_number == signal.SIGTERM else "interrupted"
        message = f"leaflet: {stopped}; the PDFs written so far are complete, and no other file was changed"
        print(message, file=sys.stderr)
        return 128 + signal_number
    except BrokenPipeError:
        # Whoever reads the output stopped reading (`leaflet check | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else 1
    finally:
        if previous is not None:
            _on_sigterm(previous)


_terminated: list[int] = []  # the signal that stopped the run (ReportLab re-raises some exceptions anew)


def _terminate(signal_number: int, _frame: object) -> None:
    """SIGTERM (sent by CI, systemd and `timeout`) stops a build as Ctrl-C does, so temporary files go too."""
    _terminated.append(signal_number)
    raise KeyboardInterrupt


def _on_sigterm(handler: Any) -> Any:
    """Set the SIGTERM handler, where that is possible (the main thread); return the one it replaces."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError, TypeError):
        return None


def _run(argv: list[str] | None) -> int:
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
    if args.command == "new":
        return _new(args)
    if args.command == "watch":
        return _watch(args)
    return _check(args) if args.command == "check" else _build(args)


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        for line in diagnostic.lines():
            print(line, file=sys.stderr)


def _audiences(args: argparse.Namespace) -> tuple[str, ...] | None:
    """--audience: one audience, or None for every audience of each leaflet."""
    return None if args.audience == "all" else (args.audience,)


def _formats(args: argparse.Namespace) -> tuple[str, ...] | None:
    """--format, repeated: the formats asked for (all of them for 'all'), or None for the style's choice."""
    if not args.format:
        return None
    return FORMATS if "all" in args.format else tuple(args.format)


def _build(args: argparse.Namespace) -> int:
    from .core.errors import printable
    from .pipeline import BuildOptions, build

    options = BuildOptions(
        today=args.today,
        audiences=_audiences(args),
        formats=_formats(args),
        style=args.style,
        out=args.out,
        strict=args.strict,
        jobs=args.jobs or default_jobs(),
        force=args.force,
    )
    progress = _Progress()
    shown: set[int] = set()  # styles whose findings have been printed

    def show(result: FileResult) -> None:
        progress.write(*_file_lines(result, shown))

    try:
        built = build(args.content, options, on_file=show, on_progress=progress.update)
    finally:
        progress.close()
    _print_diagnostics(built.problems + [d for settings in built.settings for d in settings.diagnostics])
    for style in built.styles:
        if style.refused:
            print(printable(f"{style.name}: error: {style.refused}"), file=sys.stderr)
    if len(built.files) > 1 or built.indexes:
        print(_summary(built))
    return 1 if built.failed else 0


def _file_lines(result: FileResult, shown: set[int]) -> tuple[list[str], list[str]]:
    """What a build says of one file: the files written (lines), then its style's findings, if not said yet
    (shown: the ids of styles said), its own findings and why nothing was written (errors)."""
    from .core.errors import printable

    lines: list[str] = []
    errors: list[str] = []
    if result.style is not None and id(result.style) not in shown:
        shown.add(id(result.style))
        errors += [line for d in result.style.diagnostics for line in d.lines()]
    for written in result.written:
        pages = f"{written.pages} page{'s' if written.pages != 1 else ''}  " if written.pages is not None else ""
        unchanged = "  unchanged" if result.unchanged else ""
        lines.append(printable(f"{written.path}  {pages}{written.size / 1024:.1f} KB{unchanged}"))
    errors += [line for d in result.diagnostics for line in d.lines()]
    if result.refused:
        errors.append(printable(f"{result.content}: error: {result.refused}"))
    return lines, errors


def default_jobs() -> int:
    """One process per processor, less those that other work keeps busy: on a machine already loaded, more
    processes only compete with each other (and with that work). The load average counts one process more,
    this build's own in the minute before, when builds follow each other."""
    try:
        processors = len(os.sched_getaffinity(0))  # the processors this process may use
    except AttributeError:  # not on every platform
        processors = os.cpu_count() or 1
    try:
        busy = max(0.0, os.getloadavg()[0] - 1)
    except (AttributeError, OSError):
        return processors
    return max(1, min(processors, round(processors - busy)))


def _summary(built: BuildResult) -> str:
    """'40 leaflets: 38 built, 1 unchanged, 1 failed (physio/x.yaml); index: out/index.html'."""
    failed = [f for f in built.files if f.failed]
    unchanged = sum(f.unchanged and not f.failed for f in built.files)
    count = len(built.files)
    said = [f"{count - unchanged - len(failed)} built"]
    if unchanged:
        said.append(f"{unchanged} unchanged")
    if failed:
        said.append(f"{len(failed)} failed ({', '.join(str(f.content) for f in failed)})")
    line = f"{count} leaflet{'s' if count != 1 else ''}: {', '.join(said)}"
    indexes = [str(path) for path in built.indexes if path.suffix == ".html"]
    return line + (f"; status index: {', '.join(indexes)}" if indexes else "")


class _Progress:
    """A progress bar on a terminal (tqdm), with each file's lines printed above it; plain lines otherwise."""

    def __init__(self) -> None:
        self.bar: Any = None

    def update(self, done: int, total: int) -> None:
        if total < 2 or not sys.stderr.isatty():
            return
        if self.bar is None:
            import tqdm

            tqdm.tqdm.monitor_interval = 0  # no monitor thread: the build forks worker processes
            self.bar = tqdm.tqdm(total=total, unit="leaflet", file=sys.stderr, leave=False, dynamic_ncols=True)
        self.bar.update(done - self.bar.n)

    def write(self, lines: list[str], errors: list[str]) -> None:
        if self.bar is None:
            for line in lines:
                print(line)
            for line in errors:
                print(line, file=sys.stderr)
            return
        for line in lines:
            self.bar.write(line, file=sys.stdout)
        for line in errors:
            self.bar.write(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _check(args: argparse.Namespace) -> int:
    from .checks.report import json_report, text_report
    from .pipeline import BuildOptions, check

    if args.old_format is not None:
        print(
            "leaflet check: --format is now --output (--format still works, but will be removed): "
            f"use --output {args.old_format}",
            file=sys.stderr,
        )
    output = args.output or args.old_format or "text"
    result = check(args.content, BuildOptions(today=args.today, style=args.style, strict=args.strict))
    if output == "json":
        print(json_report(result, args.today, args.sort))
    else:
        print(text_report(result, args.sort))
    return 1 if result.failed(args.strict) else 0


def _new(args: argparse.Namespace) -> int:
    from .authoring.new import NewError, create, template_list

    if args.list:
        print(f"templates (leaflet new ID --from TEMPLATE):\n{template_list()}")
        return 0
    try:
        made = create(args.id, args.template, args.style, args.today)
    except NewError as error:
        print(f"leaflet new: error: {error}", file=sys.stderr)
        return 2 if error.usage else 1
    print(f"wrote {made.content} (template: {made.template})")
    for picture in made.pictures:
        print(f"wrote {picture} (a placeholder picture: replace it with your own)")
    if made.style is not None:
        said = "wrote" if made.style_written else "uses the existing style"
        print(f"{said} {made.style}" + (" (change its organisation and contact details)" if made.style_written else ""))
    run = _invoked_as()
    print(f"next: edit {made.content}, then run: {run} watch {made.content}   (or: {run} build {made.content})")
    return 0


def _invoked_as() -> str:
    """How to run leaflet again as it was run now: 'leaflet' when that is on the PATH, else the path typed
    (.venv/bin/leaflet in a checkout), else 'python -m leaflet'."""
    import shutil

    typed = sys.argv[0] if sys.argv else ""
    if shutil.which("leaflet") or not typed:
        return "leaflet"
    if Path(typed).name == "leaflet":
        return typed
    return "python -m leaflet"


def _watch(args: argparse.Namespace) -> int:
    import time

    from .authoring.watch import Round, Server, Watch, relative
    from .pipeline import BuildOptions

    options = BuildOptions(
        today=args.today,
        audiences=_audiences(args),
        formats=_formats(args),
        style=args.style,
        out=args.out,
        jobs=1,  # one process: the build shares it with the watcher's and the server's threads
    )
    server = None
    if not args.no_serve and (options.formats is None or "html" in options.formats):
        try:
            server = Server(args.port)
        except OSError as error:
            print(
                f"leaflet watch: error: cannot serve the web pages on port {args.port} ({error.strerror}); "
                "choose another with --port N (0 for any free port), or use --no-serve",
                file=sys.stderr,
            )
            return 2
    shown: set[int] = set()

    def show(result: FileResult) -> None:
        lines, errors = _file_lines(result, shown)
        for line in lines:
            print(line, flush=True)
        for line in errors:
            print(line, file=sys.stderr, flush=True)

    def changed(paths: list[Path]) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] changed: {', '.join(relative(p) for p in paths)}", flush=True)

    watch = Watch(args.content, options, on_file=show, server=server, on_change=changed)
    names = ", ".join(map(str, args.content))
    print(f"leaflet watch: building {names}", flush=True)
    said_where = False

    def said(round_: Round) -> None:
        nonlocal said_where
        clock = time.strftime("%H:%M:%S")
        problems = round_.result.problems + [d for s in round_.result.settings for d in s.diagnostics]
        _print_diagnostics(problems)
        for style in round_.result.styles:
            if style.refused:
                print(f"{style.name}: error: {style.refused}", file=sys.stderr)
        if round_.result.failed:
            kept = ", ".join(relative(p) for p in round_.kept)
            what = f"the last good files are kept: {kept}" if kept else "nothing has been built yet"
            print(f"[{clock}] not rebuilt: fix the mistake above and save again; {what}", file=sys.stderr, flush=True)
        elif round_.changed and all(f.unchanged for f in round_.result.files):
            print(f"[{clock}] up to date: the files above were built from this same content", flush=True)
        elif round_.changed:
            print(f"[{clock}] rebuilt in {round_.seconds:.1f} s", flush=True)
        if server is not None and server.folder is not None and not said_where:
            said_where = True
            for page in watch.pages:
                print(f"web page: {server.url(page)}  (reloads itself after each rebuild)", flush=True)
        if not round_.changed:
            print(f"watching {names}, its style and pictures; press Ctrl-C to stop", flush=True)

    try:
        for round_ in watch.rounds():
            said(round_)
            shown.clear()  # each round says its style's findings again
            print("", flush=True)
    except KeyboardInterrupt:
        print("leaflet watch: stopped", flush=True)
    finally:
        if server is not None:
            server.close()
    return 0
