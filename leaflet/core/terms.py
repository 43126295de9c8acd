"""Which glossary terms a text uses: whole words in any case, words split by spaces or hyphens, simple plurals."""

from __future__ import annotations

import re
from collections.abc import Iterator
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


def _key(form: str) -> str:
    """Lower-case text that every use of form starts with: its first word (a single word that ends in a
    consonant and y without the y, which 'ies' replaces)."""
    words = form.split()
    first = words[0]
    if len(words) == 1 and re.search(r"[^aeiou]y$", first, re.IGNORECASE):
        first = first[:-1]
    return first.lower()


def uses(form: str, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
    """Each use of form in text, in order. lowered is text.lower(), if the caller has it already.

    The pattern is tried only where the form's first word is, found by a plain search: a glossary of
    thousands of words is then searched in time that grows with the text, not with the text times the
    glossary."""
    pattern = form_pattern(form)
    lowered = text.lower() if lowered is None else lowered
    if len(lowered) != len(text):  # a letter whose lower case is longer ('İ'): positions differ, search it all
        yield from pattern.finditer(text)
        return
    key = _key(form)
    at = lowered.find(key)
    while at >= 0:
        match = pattern.match(text, at)
        if match:
            yield match
        at = lowered.find(key, match.end() if match else at + 1)


def used_entries(leaflet: Leaflet) -> tuple[GlossaryEntry, ...]:
    """The glossary entries a selected variant's printed text uses, in alphabetical order."""
    text = "\n".join(printed.plain() for printed in texts(leaflet) if printed)
    lowered = text.lower()
    used = [e for e in leaflet.glossary if any(next(uses(f, text, lowered), None) for f in forms(e))]
    return tuple(sorted(used, key=lambda e: e.term.casefold()))
