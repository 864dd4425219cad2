"""Which source sentences answer a question: the words that name the document apart from the words
that say what is asked, and a score per sentence from both.

A question such as "What dose of clopidogrel was Vernon Rasmussen discharged on?" names its
document ("Vernon Rasmussen") and asks about something in it ("dose", "clopidogrel", "discharged").
Ranking sentences by the whole question favours the header line that repeats the name
("PATIENT NAME: Vernon Rasmussen"); so names choose the document and the rest chooses the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# words that carry no meaning of their own in a question: left out of the lexical overlap
_STOPWORDS = frozenset(
    """a an the of for and or but in on at to by with from as is are was were be been being do does did
    what which who whom whose when where why how whether this that these those it its there their they them
    he she his her him i we you your our my me any all some each per than then so if not no into onto under
    about over after before between during within without upon shall will would should can could may might
    must have has had get gets got tell please document documents say says said s""".split()
)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'.][A-Za-z0-9]+)*")
_KEY_LENGTH = 5  # words sharing their first five letters match: allergic/allergies, governs/governed

# weights of the parts of a sentence's score (fitted on benchmarks/eval_ask.py, see benchmarks/README.md)
TOPIC_OVERLAP_WEIGHT = 0.5
DOCUMENT_MATCH_WEIGHT = 0.3
CHUNK_RANK_WEIGHT = 0.1


@dataclass(frozen=True)
class QuestionTerms:
    """A question split into the words that name its document and the words that say what it asks."""

    names: frozenset[str]  # keys of capitalised words (not the first) and of words with digits
    topic: frozenset[str]  # keys of the other content words
    topic_text: str  # the question without its names: what to look for inside the document


def question_terms(question: str) -> QuestionTerms:
    names: set[str] = set()
    kept: list[str] = []
    for position, match in enumerate(_TOKEN.finditer(question)):
        word = match.group(0)
        naming = (position > 0 and word[0].isupper()) or any(ch.isdigit() for ch in word)
        if naming and word.lower() not in _STOPWORDS:
            names.add(_key(word))
        else:
            kept.append(word)
    topic = frozenset(_keys(" ".join(kept)))
    topic_text = " ".join(kept) + "?" if topic else question
    return QuestionTerms(frozenset(names), topic, topic_text)


def rank_sentences(
    terms: QuestionTerms,
    texts: Sequence[str],
    vectors: np.ndarray,
    topic_vector: np.ndarray,
    document_match: Sequence[float],
    chunk_ranks: Sequence[int],
) -> np.ndarray:
    """How well each sentence answers: closeness in meaning to what is asked, the share of the asked
    words it contains, how well its document matches the names, and a little for a higher-ranked chunk."""
    overlap = np.array([len(terms.topic & _keys(t)) / len(terms.topic) if terms.topic else 0.0 for t in texts])
    prior = np.array([1.0 / (1 + rank) for rank in chunk_ranks])
    return (
        vectors @ topic_vector
        + TOPIC_OVERLAP_WEIGHT * overlap
        + DOCUMENT_MATCH_WEIGHT * np.asarray(document_match, dtype=float)
        + CHUNK_RANK_WEIGHT * prior
    )


def name_match(terms: QuestionTerms, text: str) -> float:
    """The share of the question's names that ``text`` (a document's retrieved chunks) contains; 1 with none."""
    if not terms.names:
        return 1.0
    return len(terms.names & _keys(text, keep_stopwords=True)) / len(terms.names)


def _keys(text: str, *, keep_stopwords: bool = False) -> set[str]:
    return {_key(w) for w in _TOKEN.findall(text) if (keep_stopwords or w.lower() not in _STOPWORDS) and len(w) > 1}


def _key(word: str) -> str:
    word = word.lower().removesuffix("'s")
    return word[:_KEY_LENGTH] if word.isalpha() else word
