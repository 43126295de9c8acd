"""Which glossary terms a text uses: whole words in any case, words split by spaces or hyphens, simple plurals."""

from __future__ import annotations

import re
from functools import cache

from .model import GlossaryEntry, Leaflet, texts


def forms(entry: GlossaryEntry) -> tuple[str, ...]:
    return (entry.term, *entry.aliases)


@cache
def form_pattern(form: str) -> re.Pattern[str]:
    """A form matched as whole words, any case, spaces or hyphens between words, with a simple plural."""
    words = form.split()
    last = words[-1]
    if re.search(r"[^aeiou]y$", last, re.IGNORECASE):
        ending = re.escape(last[:-1]) + "(?:y|ies)"
    elif re.search(r"(?:s|x|z|ch|sh)$", last, re.IGNORECASE):
        ending = re.escape(last) + "(?:es)?"
    else:
        ending = re.escape(last) + "s?"
    body = r"[\s-]+".join([*(re.escape(w) for w in words[:-1]), ending])
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def used_entries(leaflet: Leaflet) -> tuple[GlossaryEntry, ...]:
    """The glossary entries a selected variant's printed text uses, in alphabetical order."""
    text = "\n".join(printed.plain() for printed in texts(leaflet) if printed)
    used = [e for e in leaflet.glossary if any(form_pattern(f).search(text) for f in forms(e))]
    return tuple(sorted(used, key=lambda e: e.term.casefold()))
