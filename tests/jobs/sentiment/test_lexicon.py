"""The lexicon backend: clinical pertinent negatives are not negative; plain opinions still are."""

from __future__ import annotations

import pytest

from analysis.jobs.sentiment import SentimentResult
from analysis.jobs.sentiment.lexicon import LexiconScorer, rewrite_clinical_negation


@pytest.fixture(scope="module")
def lexicon() -> LexiconScorer:
    return LexiconScorer()


@pytest.mark.parametrize(
    "text",
    [
        "No evidence of malignancy.",
        "Patient denies chest pain.",
        "Negative for fever, chills, or night sweats.",
        "No acute distress.",
        "Abdomen unremarkable.",
        "The pain has resolved.",
        "Recovered without complications.",
        "Blood cultures were negative.",
        "Denies fever, chills, nausea, vomiting, shortness of breath, or chest pain.",
    ],
)
def test_clinical_negatives_are_not_negative(lexicon: LexiconScorer, text: str) -> None:
    result = lexicon.score([text])[0]
    assert result.label in ("neutral", "positive"), (text, result)


def test_malignancy_line_is_neutral_where_plain_vader_says_negative(lexicon: LexiconScorer) -> None:
    assert LexiconScorer(clinical_negation=False).score(["No evidence of malignancy."])[0].label == "negative"
    assert lexicon.score(["No evidence of malignancy."])[0].label == "neutral"


def test_negation_scope_stops_at_a_contrast(lexicon: LexiconScorer) -> None:
    result = lexicon.score(["Patient denies chest pain but reports severe nausea and a terrible headache."])[0]
    assert result.label == "negative"


def test_negated_positive_stays_negative(lexicon: LexiconScorer) -> None:
    assert lexicon.score(["No improvement at all after two months."])[0].label == "negative"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("This medication is wonderful, I love how great I feel.", "positive"),
        ("It relieved my pain and I am so happy with it.", "positive"),
        ("This drug was terrible and made me sick and miserable.", "negative"),
        ("Awful side effects, the worst experience of my life.", "negative"),
        ("The tablet is taken once daily.", "neutral"),
    ],
)
def test_clear_sentences(lexicon: LexiconScorer, text: str, label: str) -> None:
    result = lexicon.score([text])[0]
    assert isinstance(result, SentimentResult)
    assert result.label == label, (text, result)
    assert -1.0 <= result.score <= 1.0 and 0.0 <= result.confidence <= 1.0


def test_rewrite_keeps_the_rest_of_the_text(lexicon: LexiconScorer) -> None:
    text = "Denies chest pain. Feels GREAT today!"
    rewritten = rewrite_clinical_negation(text, lexicon._analyzer.lexicon)
    assert "pain" not in rewritten and "GREAT today!" in rewritten
    assert rewrite_clinical_negation("Nothing to change here.", lexicon._analyzer.lexicon) == "Nothing to change here."


def test_identity_and_threshold_validation(lexicon: LexiconScorer) -> None:
    assert lexicon.backend == "lexicon" and lexicon.prompt_hash == ""
    assert lexicon.model_id.startswith("vader-3.3.2+clinical-negation-v1")
    assert LexiconScorer(clinical_negation=False).model_id == "vader-3.3.2"
    with pytest.raises(ValueError, match="negative_below"):
        LexiconScorer(negative_below=0.5, positive_above=0.1)
