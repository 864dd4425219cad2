"""Which sentences answer a question: names pick the document, the rest of the question the sentence."""

from __future__ import annotations

import numpy as np

from analysis.answer_ranking import name_match, question_terms, rank_sentences
from analysis.answering import page_at


def test_names_and_numbers_are_told_apart_from_what_is_asked() -> None:
    terms = question_terms("What dose of clopidogrel was Vernon Rasmussen discharged on?")
    assert terms.names == {"verno", "rasmu"}
    assert terms.topic == {"dose", "clopi", "disch"}
    assert terms.topic_text == "What dose of clopidogrel was discharged on?"
    lease = question_terms("Which state's law applies to the lease of 4608 Maple Avenue in Provo?")
    assert {"4608", "maple", "avenu", "provo"} == lease.names and "Which" not in lease.topic_text.split()[1:]


def test_a_question_without_names_is_asked_whole() -> None:
    terms = question_terms("what law governs this agreement?")
    assert not terms.names and terms.topic_text == "what law governs this agreement?"
    assert name_match(terms, "anything") == 1.0


def test_the_sentence_with_the_asked_words_in_the_named_document_wins() -> None:
    terms = question_terms("What is Rhonda Szabo allergic to?")
    texts = [
        "PATIENT: Rhonda Szabo",
        "Allergies reviewed: Penicillin (rash).",
        "Allergies reviewed: Penicillin (rash).",
    ]
    flat = np.zeros((3, 4))  # equal closeness in meaning: the words and the document decide
    scores = rank_sentences(terms, texts, flat, np.zeros(4), [1.0, 1.0, 0.0], [1, 2, 1])
    assert int(np.argmax(scores)) == 1
    assert name_match(terms, "Progress note. PATIENT: Rhonda Szabo") == 1.0
    assert name_match(terms, "PATIENT: Rhonda Tremblay") == 0.5


def test_an_offset_belongs_to_the_page_that_starts_before_it() -> None:
    spans = [(1, 0, 100), (2, 102, 250), (3, 252, 300)]
    assert [page_at(spans, o) for o in (0, 99, 101, 102, 251, 299)] == [1, 1, 1, 2, 2, 3]
    assert page_at([], 5) is None
