"""The build manifest in the output folder: what each content file was built from, so unchanged ones are skipped.

An entry records, for one content file, the hash of every input its files were made from (the content file,
its style, the library settings, images, fonts and logo, and the absence of files whose appearance would change
the style chosen), a key of the build options and leaflet's version, the review status on the day it was built,
and its outputs with their sizes and modification times. A rebuild skips the file when all of these still hold;
anything else, or --force, builds it again. The entry also keeps what the build said about the file (its
warnings) and its row of the status index, so a skipped file still reports and is still listed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__

MANIFEST_NAME = ".leaflet-manifest.json"
FORMAT = 1


def file_key(path: Path, out: Path) -> str:
    """How a file is named in the manifest: relative to the output folder, so the two can move together and
    nothing about this machine is written (absolute only where there is no relative path: another drive)."""
    try:
        return Path(os.path.relpath(path.absolute(), out.absolute())).as_posix()
    except ValueError:
        return path.absolute().as_posix()


class Hashes:
    """SHA-256 of files, each read once per run; a file whose size and modification time are as recorded is
    taken to be unchanged without reading it."""

    def __init__(self) -> None:
        self.known: dict[Path, tuple[int, int, str] | None] = {}

    def state(self, path: Path) -> tuple[int, int, str] | None:
        """(size, modification time in ns, SHA-256) of path, or None if it is not a file."""
        key = path.absolute()
        if key not in self.known:
            try:
                info = key.stat()
                with key.open("rb") as handle:
                    digest = hashlib.file_digest(handle, "sha256").hexdigest()
                self.known[key] = (info.st_size, info.st_mtime_ns, digest)
            except OSError:
                self.known[key] = None
        return self.known[key]

    def unchanged(self, path: Path, recorded: list[Any] | None) -> bool:
        if recorded is None:
            return not path.is_file()
        try:
            info = path.stat()
        except OSError:
            return False
        if [info.st_size, info.st_mtime_ns] == recorded[:2]:
            return True
        now = self.state(path)
        return now is not None and now[2] == recorded[2]


@dataclass
class Manifest:
    """The manifest of one output folder."""

    out: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False

    @property
    def path(self) -> Path:
        return self.out / MANIFEST_NAME

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The folder's manifest; empty if it has none, or one this version cannot read."""
        manifest = cls(out)
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(manifest.path.read_text("utf-8"))
            if data.get("format") == FORMAT and data.get("leaflet") == __version__:
                manifest.entries = dict(data["entries"])
        return manifest

    def entry(self, content: Path) -> dict[str, Any] | None:
        return self.entries.get(file_key(content, self.out))

    def current(self, content: Path, key: str, status: str, hashes: Hashes) -> dict[str, Any] | None:
        """The entry of content if its outputs are up to date: same options, same inputs, same review status
        today, every output still there as written; else None."""
        entry = self.entry(content)
        if entry is None or entry.get("key") != key or entry.get("status") != status:
            return None
        for name, recorded in entry["inputs"].items():
            if not hashes.unchanged(self.out / name, recorded):
                return None
        for output in entry["outputs"]:
            try:
                info = (self.out / output["path"]).stat()
            except OSError:
                return None
            if [info.st_size, info.st_mtime_ns] != [output["bytes"], output["mtime_ns"]]:
                return None
        return entry

    def record(self, content: Path, entry: dict[str, Any]) -> None:
        self.entries[file_key(content, self.out)] = entry
        self.changed = True

    def invalidate(self, content: Path) -> None:
        """Build content again next time (its last good outputs, and its row in the index, stay)."""
        entry = self.entry(content)
        if entry is not None and entry.get("key"):
            entry["key"] = ""
            self.changed = True

    def inputs(self, paths: list[Path], hashes: Hashes) -> dict[str, list[Any] | None]:
        """The recorded state of each input (None: it must stay absent)."""
        recorded: dict[str, list[Any] | None] = {}
        for path in paths:
            state = hashes.state(path)
            recorded[file_key(path, self.out)] = list(state) if state else None
        return recorded

    def save(self) -> None:
        """Write the manifest atomically: a temporary file beside it, moved into place."""
        if not self.changed:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        document = {"format": FORMAT, "leaflet": __version__, "entries": dict(sorted(self.entries.items()))}
        write_atomically(self.path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        self.changed = False


def write_atomically(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder; never a half-written file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
