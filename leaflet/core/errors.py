"""Diagnostics: the project's error and warning types, carrying where in which file a problem is."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column are 1-based (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    """One finding: an error stops the build, a warning does not (unless --strict)."""

    severity: str  # "error" or "warning"
    message: str
    location: Location | None = None
    key_path: str = ""
    hint: str = ""
    example: tuple[str, ...] = ()  # the YAML to write, when the fix is a change to it: one entry a line

    def format(self) -> str:
        """One line: invisible characters in it (a value's line break, a file name's undecodable byte) are
        shown as escapes such as '\\n' or '\\u200b'."""
        where = f"{self.location}: " if self.location else ""
        path = f"{self.key_path}: " if self.key_path else ""
        hint = f"; {self.hint}" if self.hint else ""
        return printable(f"{where}{self.severity}: {path}{self.message}{hint}")

    def lines(self) -> list[str]:
        """The message's line, then the example's, each indented by six spaces (and escaped like the message)."""
        return [self.format(), *(EXAMPLE_INDENT + printable(line) for line in self.example)]


EXAMPLE_INDENT = " " * 6


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def in_file_order(diagnostic: Diagnostic) -> tuple[int, int]:
    """A sort key: where in its file a diagnostic is (line, column); one with no place comes first."""
    where = diagnostic.location
    return (where.line, where.column) if where else (0, 0)


def printable(text: str) -> str:
    """text with every invisible character but spaces written as an escape: a line break as '\\n', a control
    or format character as '\\x00' or '\\u200b', a byte of a file name that is not UTF-8 as '\\udcff'."""
    if text.isprintable():
        return text
    return "".join(_ESCAPES.get(char, repr(char)[1:-1]) if _invisible(char) else char for char in text)


def _invisible(char: str) -> bool:
    import unicodedata  # only for text that is not plainly printable

    return unicodedata.category(char)[0] in "CZ" and unicodedata.category(char) != "Zs"


@dataclass
class Report:
    """Collects every diagnostic of a run so they can be shown together."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(
        self,
        message: str,
        location: Location | None = None,
        key_path: str = "",
        hint: str = "",
        example: tuple[str, ...] = (),
    ) -> None:
        self.diagnostics.append(Diagnostic("error", message, location, key_path, hint, example))

    def warning(
        self,
        message: str,
        location: Location | None = None,
        key_path: str = "",
        hint: str = "",
        example: tuple[str, ...] = (),
    ) -> None:
        self.diagnostics.append(Diagnostic("warning", message, location, key_path, hint, example))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise LeafletError(self.diagnostics)


class LeafletError(Exception):
    """A user mistake in content or style; carries every diagnostic found, errors and warnings."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(line for d in self.diagnostics for line in d.lines()))

    @classmethod
    def single(
        cls,
        message: str,
        location: Location | None = None,
        key_path: str = "",
        hint: str = "",
        example: tuple[str, ...] = (),
    ) -> LeafletError:
        return cls([Diagnostic("error", message, location, key_path, hint, example)])


def cannot_write(target: Path, exc: OSError) -> LeafletError:
    """The error for an output file that cannot be written, pointing at its folder."""
    reason = exc.strerror or str(exc)
    hint = "check that the output folder can be written to, or choose another with --out"
    if exc.errno == errno.ENAMETOOLONG:
        hint = "the path is too long for this system: choose a shorter --out"
    elif exc.errno == errno.ENOSPC:
        hint = "free some space on the disk, or choose another with --out"
    return LeafletError.single(f"cannot write {target.name} ({reason})", Location(str(target.parent)), hint=hint)
