"""Open every input file the same way: a regular file, within a size limit checked before anything is read."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePath

# The limits, and why (docs/errors.md lists them): a content or style file is text typed by people; fonts
# with every script of a language family are tens of MB; a photo from a phone camera is a few MB.
MAX_YAML_BYTES = 5_000_000
MAX_FONT_BYTES = 50_000_000
MAX_IMAGE_BYTES = 50_000_000

# O_NONBLOCK: opening a named pipe nobody writes to returns at once instead of waiting for a writer;
# it changes nothing for a regular file. O_NOCTTY: a terminal device never becomes ours.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0)


LOOP_HINT = "replace the link with the file itself"


class InputError(Exception):
    """Why a file cannot be read as input; message follows the file's name ('is a folder, not a file')."""

    def __init__(self, message: str, hint: str = "", reason: str = "unreadable", near: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.reason = reason  # "missing", "too large", "not a file" or "unreadable"
        self.near = near  # for a missing file: the name of one beside it that was probably meant

    def meant(self, written: str) -> str:
        return did_you_mean(written, self.near)

    @property
    def missing(self) -> bool:
        return self.reason == "missing"


def did_you_mean(written: str, near: str) -> str:
    """For a missing file written as written: 'did you mean ...?' with near, the name probably meant, or ''."""
    return f"did you mean '{PurePath(written).with_name(near)}'?" if near else ""


def read_input(path: str | os.PathLike[str], limit: int, what: str = "file") -> bytes:
    """The whole content of the regular file at path, if it is at most limit bytes; InputError otherwise.

    what names the file expected in messages ('is a folder, not a font file').
    The kind and size of the file are taken from the opened descriptor, so nothing is read from a folder,
    a named pipe, a device (/dev/zero never ends) or a file too large, and a file swapped for another
    between a check and the read is still checked.
    """
    try:
        descriptor = os.open(path, _FLAGS)
    except OSError as error:
        raise _open_error(Path(path), error, what) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = describe_kind(info.st_mode)
            raise InputError(f"is {kind}, not a {what}", f"give the path of a {what}", "not a file")
        if info.st_size > limit:
            raise InputError(f"is {info.st_size:,} bytes; the limit is {limit:,}", reason="too large")
        chunks: list[bytes] = []
        size = 0
        while True:  # read to the end, but never more than the limit: the file may grow while it is read
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputError(f"is more than {limit:,} bytes, the limit", reason="too large")
        return b"".join(chunks)
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(descriptor)


def resolved(path: Path) -> Path:
    """path with every symbolic link followed; InputError for a loop of links (or a name too long)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as error:  # Python 3.11 and 3.12 raise RuntimeError for a loop
        if isinstance(error, OSError) and error.errno != errno.ELOOP:
            raise _open_error(path, error, "file") from None
        raise InputError("is a symbolic link that leads round in a loop", LOOP_HINT) from None


def best_path(path: Path) -> Path:
    """path with its links followed, or as it is (made absolute) if they cannot be: a key or a folder for a file
    that is itself reported as unreadable elsewhere."""
    try:
        return resolved(path)
    except InputError:
        return Path(os.path.abspath(path))


def describe_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def nearest_name(path: Path) -> str:
    """The name of a file beside the missing path that was probably meant: the same name in other capitals, with
    '.yaml' added, or a close spelling; '' if there is none."""
    import difflib

    try:
        names = [entry.name for entry in os.scandir(path.parent or ".") if not entry.name.startswith(".")]
    except OSError:
        return ""
    wanted = path.name
    for name in names:
        if name.casefold() in (wanted.casefold(), f"{wanted}.yaml".casefold(), f"{wanted}.yml".casefold()):
            return name
    folded = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(wanted.casefold(), list(folded), n=1, cutoff=0.8)
    return folded[close[0]] if close else ""


def _open_error(path: Path, error: OSError, what: str) -> InputError:
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        if path.is_symlink():
            return InputError("is a symbolic link to a file that does not exist", "check where the link leads")
        near = nearest_name(path)
        hint = did_you_mean(str(path), near) or "check the path and spelling"
        return InputError("not found", hint, "missing", near)
    if error.errno == errno.ELOOP:
        return InputError("is a symbolic link that leads round in a loop", LOOP_HINT)
    if error.errno == errno.EISDIR:  # some systems refuse to open a folder at all
        return InputError(f"is a folder, not a {what}", f"give the path of a {what}", "not a file")
    if error.errno == errno.ENAMETOOLONG:
        return InputError("has a name too long for this system", "use a shorter name or path")
    if error.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"cannot be read ({error.strerror})", "check the file's permissions")
    return InputError(f"cannot be read ({error.strerror or error})")
