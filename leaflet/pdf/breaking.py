"""Where a word too long for a whole line breaks: a web address after "/", "." or "-", never inside "https://".

Anything else breaks where the line is full. ReportLab splits such a word itself, character by character from
wherever the line had got to ("Available from: h" / "ttps://..."); reportlab_internals.install_word_breaking
makes it ask cuts() instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
BREAK_AFTER = "/.-"
FUZZ = 1e-6


def cuts(text: str, widths: Sequence[float], room: float, later: Callable[[int], float], has_words: bool) -> list[int]:
    """Where text (character i is widths[i] wide) starts a new line, as indexes into it. room is what is left
    of the current line, later(n) the width of the n-th line after it; has_words: the current line holds other
    words, so the word may start on the next line (a first index of 0) rather than leave a scrap at its end."""
    scheme = SCHEME.match(text)
    earliest = scheme.end() + 1 if scheme else 1  # no cut inside the scheme, nor right after it
    out: list[int] = []
    start = 0
    while sum(widths[start:]) > room + FUZZ:
        best = 0
        filled = 0.0
        for index in range(start, len(text) - 1):
            filled += widths[index]
            if filled > room + FUZZ:
                break
            if text[index] in BREAK_AFTER and index + 1 >= earliest:
                best = index + 1
        if not best and (out or not has_words):
            best = _full(widths, start, room)  # no break point fits: break where the line is full
        out.append(best)
        start = best
        room = later(len(out))
    return out


def _full(widths: Sequence[float], start: int, room: float) -> int:
    """The end of the longest run from start that fits room; at least one character."""
    filled = 0.0
    for index in range(start, len(widths)):
        filled += widths[index]
        if filled > room + FUZZ:
            return max(index, start + 1)
    return len(widths)
