"""`leaflet watch`: rebuild when a leaflet's content, style, pictures or fonts change; serve its web pages, reloading.

Each round is an ordinary build (pipeline.build), so a save with a mistake writes nothing and the last good
files stay as they were. What is watched is the folders of the files each leaflet was built from (its
FileResult.inputs), not the files themselves, so that an editor that saves by writing a new file and renaming it
over the old one is seen too; a burst of changes within a tenth of a second is one rebuild. The web pages are
served from the output folder on this computer only, each with a small script, added as it is served and never
to the file on disk, that reloads the page when a rebuild writes a new version.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..pipeline import DEFAULT_OUT, BuildOptions, BuildResult, FileResult, build

# Files that can change a build: content and styles, pictures, fonts.
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".png", ".jpg", ".jpeg", ".ttf"})
QUIET_MS = 100  # a rebuild starts once no file has changed for this long
CHECK_MS = 500  # with no events, the inputs' sizes and times are compared this often: nothing slips through
VERSION_PATH = "/__leaflet__/version"
POLL_MS = 400
RELOAD_SCRIPT = (
    "(function(){var m=document.querySelector('meta[name=leaflet-watch-version]');var v=m?m.content:'';"
    "function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'}).then(function(r){return r.text()})"
    ".then(function(t){if(t!==v){location.reload()}else{setTimeout(poll," + str(POLL_MS) + ")}})"
    ".catch(function(){setTimeout(poll," + str(POLL_MS * 5) + ")})}setTimeout(poll," + str(POLL_MS) + ")})();"
)
SCRIPT_HASH = base64.b64encode(hashlib.sha256(RELOAD_SCRIPT.encode()).digest()).decode()


@dataclass
class Round:
    """One build of the watch: what set it off, what it did, how long it took, and what was kept."""

    result: BuildResult
    changed: list[Path]  # empty for the first build
    seconds: float
    kept: list[Path] = field(default_factory=list)  # last good files left in place because their leaflet failed


class Watch:
    """Build, then rebuild on each change, until stopped (KeyboardInterrupt, or stop_event)."""

    def __init__(
        self,
        paths: list[Path],
        options: BuildOptions,
        on_file: Callable[[FileResult], None] | None = None,
        server: Server | None = None,
        on_change: Callable[[list[Path]], None] | None = None,
        stop_event: threading.Event | None = None,
    ) -> None:
        self.paths = paths
        self.options = options
        self.on_file = on_file
        self.server = server
        self.on_change = on_change
        self.stop_event = stop_event
        self.failing = False  # the last build had a mistake: any new file of a kind a build reads may fix it
        self.inputs: dict[Path, set[Path]] = {}  # each content file's inputs, as far as known
        self.good: dict[Path, list[Path]] = {}  # each content file's last good outputs
        self.outs: set[Path] = {(options.out or DEFAULT_OUT).absolute()}  # never watched: the build writes there
        self.pages: list[Path] = []  # the web pages written so far
        self.stamps: dict[Path, tuple[int, int] | None] = {}  # each input's size and time when last read

    def rounds(self) -> Iterator[Round]:
        """The first build (of everything: what is on disk may be from other options), then one per change."""
        yield self.build([], force=True)
        for changed in self.changes():
            if self.on_change is not None:
                self.on_change(changed)
            yield self.build(changed)

    def build(self, changed: list[Path], force: bool = False) -> Round:
        started = time.perf_counter()
        given = {p.absolute() for p in self.paths if not p.is_dir()}
        self.stamps = {path: _stamp(path) for path in self.relevant() | given}  # before the build reads them
        result = build(self.paths, replace(self.options, force=force), on_file=self.on_file)
        kept: list[Path] = []
        new_pages = False
        for file in result.files:
            key = file.content.absolute()
            self.inputs.setdefault(key, set()).update(p.absolute() for p in [file.content, *file.inputs])
            written = [w.path for w in file.written]
            if file.failed:
                kept += [path for path in self.good.get(key, []) if path.exists()]
            elif written:
                self.good[key] = written
                new_pages = new_pages or (not file.unchanged and any(p.suffix == ".html" for p in written))
            for path in written:
                self.outs.add(path.parent.absolute())
                if path.suffix == ".html" and path not in self.pages:
                    self.pages.append(path)
        if self.options.style is not None:
            self.inputs.setdefault(Path("--style"), set()).add(self.options.style.absolute())
        self.failing = result.failed
        for path in self.relevant() - set(self.stamps):
            self.stamps[path] = _stamp(path)
        if self.server is not None and new_pages:
            self.server.folder = served_folder(self.pages)
            self.server.version += 1  # each page open in a browser reloads itself
        return Round(result, changed, time.perf_counter() - started, kept)

    def folders(self) -> list[Path]:
        """The folders to watch: the arguments' (new leaflets, editors' renames) and those of every input."""
        folders: set[Path] = set()
        for path in self.paths:
            path = path.absolute()
            folders.add(path if path.is_dir() else path.parent)
        for path in self.relevant():
            folders.add(path.parent)
        for folder in list(folders):
            if (folder / "images").is_dir():  # where a picture the content is about to name will be
                folders.add(folder / "images")
        installed = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
        return sorted(f for f in folders if f.is_dir() and not any(f.resolve().is_relative_to(i) for i in installed))

    def relevant(self) -> set[Path]:
        return set().union(*self.inputs.values()) if self.inputs else set()

    def matters(self, path: Path) -> bool:
        """Whether a change to path can change a build: one of the inputs, a content file or folder given,
        or (while a leaflet fails, perhaps for a missing file) any file of a kind a build reads."""
        path = path.absolute()
        if any(path.is_relative_to(out) for out in self.outs) or path.name.startswith((".", "~", "#")):
            return False
        if path.suffix.lower() not in WATCHED_SUFFIXES:
            return False
        if path in self.relevant():
            return True
        given = [p.absolute() for p in self.paths]
        return self.failing or any(path == p or (p.is_dir() and path.parent == p) for p in given)

    def changes(self) -> Iterator[list[Path]]:
        """Each burst of relevant changes, as a list of paths; the folders watched follow the inputs. An input
        changed since the last build read it (while it ran, or before the watcher started) counts too."""
        import watchfiles

        while not (self.stop_event and self.stop_event.is_set()):
            folders = self.folders()
            for batch in watchfiles.watch(
                *folders,
                watch_filter=None,
                step=QUIET_MS,
                recursive=False,
                stop_event=self.stop_event,
                yield_on_timeout=True,
                rust_timeout=CHECK_MS,
            ):
                paths = {Path(p) for _, p in batch}
                paths |= {path for path, stamp in self.stamps.items() if _stamp(path) != stamp}
                mattering = sorted(p for p in paths if self.matters(p))
                if mattering:
                    yield mattering
                    if self.folders() != folders:
                        break  # a new input in another folder: watch that one too


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def relative(path: Path) -> str:
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Server:
    """The output folder on http://127.0.0.1:PORT/, each web page with the reload script added as it is sent."""

    def __init__(self, port: int) -> None:
        self.folder: Path | None = None
        self.version = 0
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(server.folder or DEFAULT_OUT), **kwargs)

            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                if self.path.split("?")[0] == VERSION_PATH:
                    self._send(str(server.version).encode(), "text/plain; charset=utf-8")
                    return
                local = Path(self.translate_path(self.path))
                if local.suffix == ".html" and local.is_file():
                    self._send(served_page(local.read_bytes(), server.version), "text/html; charset=utf-8")
                    return
                super().do_GET()

            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def end_headers(self) -> None:
                self.send_header("Cache-Control", "no-store")  # a reload always fetches the new files
                super().end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
                pass  # the screen is for the build's findings

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="leaflet-watch-server", daemon=True)
        self.thread.start()

    def url(self, page: Path) -> str:
        assert self.folder is not None
        return f"http://127.0.0.1:{self.port}/{page.absolute().relative_to(self.folder).as_posix()}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def served_page(html: bytes, version: int) -> bytes:
    """The page as served: the reload script and its version added, and allowed by the page's own policy."""
    text = html.decode("utf-8")
    text = text.replace(
        "default-src 'none';",
        f"default-src 'none'; script-src 'sha256-{SCRIPT_HASH}'; connect-src 'self';",
        1,
    )
    added = f'<meta name="leaflet-watch-version" content="{version}"><script>{RELOAD_SCRIPT}</script>'
    at = text.rfind("</body>")
    text = text[:at] + added + text[at:] if at >= 0 else text + added
    return text.encode("utf-8")


def served_folder(pages: list[Path]) -> Path | None:
    """The one folder that holds every web page written (the output folder)."""
    if not pages:
        return None
    return Path(os.path.commonpath([p.absolute().parent for p in pages]))
