"""Which language a document is written in, stored as an ISO 639-1 code (``documents.language``).

py3langid (langid.py's model, maintained; 97 languages, the model inside the wheel, no
download) classifies a sample of the text. Short or letterless text says too little to tell:
it gets None rather than a guess.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

SAMPLE_CHARS = 5000  # enough for a confident answer, cheap on a long document
MIN_LETTERS = 20  # fewer letters than this: no answer
MIN_PROBABILITY = 0.5


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def preload_language_model() -> None:
    """Load the model now (half a second), e.g. before forking workers that will all need it."""
    try:
        _identifier()
    except Exception as exc:  # detection then says None; a broken model must not stop ingest
        log.warning("language model unavailable: %s", exc)


def detect_language(text: str) -> str | None:
    """The most likely language of ``text`` (e.g. ``en``, ``ja``), or None when unsure."""
    sample = _sample(text)
    if sum(1 for char in sample if char.isalpha()) < MIN_LETTERS:
        return None
    try:
        language, probability = _identifier().classify(sample)
    except Exception as exc:  # a classifier bug on odd text must never lose the document
        log.warning("language detection failed: %s", exc)
        return None
    return str(language) if probability >= MIN_PROBABILITY else None


def _sample(text: str) -> str:
    """The start, middle and end of a long text (a cover page alone can mislead)."""
    if len(text) <= SAMPLE_CHARS:
        return text
    third = SAMPLE_CHARS // 3
    middle = len(text) // 2
    return " ".join((text[:third], text[middle - third // 2 : middle + third // 2], text[-third:]))
