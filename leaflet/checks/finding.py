"""A finding: a diagnostic and the name of the check that found it."""

from __future__ import annotations

from typing import NamedTuple

from ..core.errors import Diagnostic


class Finding(NamedTuple):
    """A diagnostic and the check that found it: review, readability, glossary, evidence, accessibility,
    content (found while reading the content file) or style (the style file could not be read)."""

    check: str
    diagnostic: Diagnostic
