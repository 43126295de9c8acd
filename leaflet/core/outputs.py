"""Output files written safely: a locked temporary file beside each, moved into place only when complete."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import cannot_write

# Temporary files: '.<name>-<8 random characters>.<pdf|html>.tmp' beside the file. A build holds a lock on its
# own for as long as it writes it, so a later build can tell the file of a killed build (no lock) from one
# being written now, and remove only the first. A name is cut short so the temporary one is never too long.
_TEMPORARY = re.compile(r"\.[a-z0-9-]{1,100}-[a-z0-9_]{8}\.(?:pdf|html)\.tmp")
_STARTED = time.time()
_cleaned: set[str] = set()


@contextmanager
def replacing(target: Path) -> Iterator[str]:
    """The path of a new, locked temporary file beside target, for the caller to write. When the block ends
    without an error, the file is moved over target in one step (or dropped if target already holds the same
    bytes, so target keeps its modification time); when it fails, Ctrl-C included, it is removed and target
    stays as it was. An OSError becomes the error that names the output folder."""
    temporary = ""
    handle = -1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target.parent)
        handle, temporary = temporary_file(target)
        yield temporary
        if not same_bytes(temporary, target):
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
    except OSError as exc:
        raise cannot_write(target, exc) from None
    finally:
        if handle >= 0:
            os.close(handle)  # releases the lock that tells other builds this file is in use
        if temporary:
            Path(temporary).unlink(missing_ok=True)  # gone already when it was moved into place


def temporary_file(target: Path) -> tuple[int, str]:
    """A new temporary file beside target, locked; (open descriptor, path)."""
    suffix = f"{target.suffix}.tmp"
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem[:100]}-", suffix=suffix, dir=target.parent)
    try:
        _lock(handle, wait=True)
    except BaseException:
        os.close(handle)
        Path(temporary).unlink(missing_ok=True)
        raise
    return handle, temporary


def same_bytes(new: str, old: Path) -> bool:
    """Whether the file at old holds exactly the bytes of the file at new."""
    try:
        return (
            old.is_file() and old.stat().st_size == os.stat(new).st_size and old.read_bytes() == Path(new).read_bytes()
        )
    except OSError:
        return False


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Remove the temporary files that builds killed before they could clean up left in folder (once per
    process and folder); return their names. A file is stale when no build holds its lock and it is older
    than this process, so the file of a build running now is never touched."""
    key = os.path.abspath(folder)
    if key in _cleaned:
        return []
    _cleaned.add(key)
    removed = []
    try:
        names = [entry.name for entry in os.scandir(folder) if _TEMPORARY.fullmatch(entry.name)]
    except OSError:
        return []
    for name in names:
        path = os.path.join(folder, name)
        try:
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            info = os.fstat(handle)
            stale = stat.S_ISREG(info.st_mode) and info.st_mtime < _STARTED
            if stale and _lock(handle, wait=False) and os.path.samestat(info, os.lstat(path)):
                os.unlink(path)
                removed.append(name)
        except OSError:
            pass
        finally:
            os.close(handle)
    return removed


def _lock(handle: int, wait: bool) -> bool:
    """Lock the open file exclusively; False if another process holds it (and wait is False)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, so a stale file is never taken for a free one
        return wait
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True
