"""Check every summary sentence against the source chunks.

Small models invent numbers, dates and names. A sentence counts as supported only when it
is close in meaning to some chunk of the source *and* every number, date and proper name
in it occurs in the source text. The stored summary lists, per sentence, the chunks and
pages that support it, and the share of supported sentences (groundedness).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from analysis.records import SourceChunk
from analysis.sentences import segment_sentences, strip_marker

_NUMBER = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?")
_PROPER = re.compile(r"\b([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)*)")
_COMMON_CAPITALISED = frozenset(
    """The This That These Those A An In On At Of For And But Or If When Where Which Who What
    He She They It We You His Her Their Its Our Your Patient Tenant Landlord Agreement Company
    Court Party Parties Section Article Plan Assessment History Findings Impression Summary
    Discharge Lease Premises Client Provider Contractor Customer Disclosing Receiving Recipient
    Plaintiff Defendant Appellant Appellee State County District Effective Date Term Rent
    Dr Mr Mrs Ms Overall Both Each All Any No Not Also""".split()
)


@dataclass(frozen=True)
class GroundedSentence:
    text: str
    supported: bool
    similarity: float
    chunk_ids: list[int]
    pages: list[int]
    missing_facts: list[str]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class GroundingResult:
    sentences: list[GroundedSentence]
    groundedness: float

    @property
    def supporting_chunk_ids(self) -> list[int]:
        return sorted({i for s in self.sentences for i in s.chunk_ids})

    @property
    def n_unsupported(self) -> int:
        return sum(not s.supported for s in self.sentences)

    def text(self, *, drop_unsupported: bool = False) -> str:
        return " ".join(s.text for s in self.sentences if s.supported or not drop_unsupported)


def ground_summary(
    summary: str,
    chunks: Sequence[SourceChunk],
    sentence_vectors: np.ndarray,
    *,
    source_text: str,
    threshold: float = 0.55,
    top_k: int = 2,
) -> GroundingResult:
    """Ground each sentence of ``summary``; ``sentence_vectors`` are its sentences' embeddings.

    Use ``summary_sentences(summary)`` to get the sentences to embed, in the same order.
    """
    return ground_sentences(
        summary_sentences(summary), chunks, sentence_vectors, source_text=source_text, threshold=threshold, top_k=top_k
    )


def ground_sentences(
    sentences: Sequence[str],
    chunks: Sequence[SourceChunk],
    sentence_vectors: np.ndarray,
    *,
    source_text: str,
    threshold: float = 0.55,
    top_k: int = 2,
) -> GroundingResult:
    """Ground sentences already split (an answer's, one to one with what the caller shows)."""
    if not sentences:
        return GroundingResult([], 0.0)
    if len(sentence_vectors) != len(sentences):
        raise ValueError(f"got {len(sentence_vectors)} vectors for {len(sentences)} sentences")
    matrix = np.vstack([c.vector for c in chunks]) if chunks else np.zeros((0, sentence_vectors.shape[1]))
    similarities = sentence_vectors @ matrix.T if len(chunks) else np.zeros((len(sentences), 0))
    haystack = _normalise(source_text)
    grounded: list[GroundedSentence] = []
    for sentence, row in zip(sentences, similarities):
        order = np.argsort(-row)[:top_k] if len(row) else []
        best = float(row[order[0]]) if len(order) else 0.0
        if _normalise(sentence.strip('"\u201c\u201d')) in haystack:
            best = 1.0  # quoted verbatim from the source
        support = [chunks[i] for i in order if row[i] >= threshold] or ([chunks[order[0]]] if len(order) else [])
        missing = [fact for fact in facts_in(sentence) if _normalise(fact) not in haystack]
        grounded.append(
            GroundedSentence(
                text=sentence,
                supported=best >= threshold and not missing,
                similarity=round(best, 4),
                chunk_ids=[c.id for c in support],
                pages=sorted({p for c in support for p in range(c.page_start, c.page_end + 1)}),
                missing_facts=missing,
            )
        )
    return GroundingResult(grounded, sum(s.supported for s in grounded) / len(grounded))


def summary_sentences(summary: str) -> list[str]:
    """The sentences of a summary (``segment_sentences``: abbreviations and clause numbers do not
    split one), with list bullets and clause numbers cut and run-in labels and page furniture left out."""
    out: list[str] = []
    for span in segment_sentences(summary):
        cleaned = strip_marker(" ".join(summary[span.start : span.end].split()))
        if span.kind not in ("label", "furniture") and len(cleaned.split()) >= 3:
            out.append(cleaned)
    whole = " ".join(summary.split())
    return out or ([whole] if whole else [])  # a very short summary is checked as one sentence


def facts_in(sentence: str) -> list[str]:
    """Numbers, amounts, dates, proper names and drug names: what a model must not invent."""
    facts = [m.group(0).rstrip(".,") for m in _NUMBER.finditer(sentence)]
    for match in _PROPER.finditer(sentence):
        words = match.group(1).split()
        if match.start() == 0 and len(words) == 1:
            continue  # a lone capitalised first word is usually just the start of the sentence
        while words and words[0] in _COMMON_CAPITALISED:
            words.pop(0)
        while words and words[-1] in _COMMON_CAPITALISED:
            words.pop()
        if words:
            facts.append(" ".join(words))  # contiguous, so a name copied from the source is found there
    facts.extend(w for w in _WORD.findall(sentence) if w.lower() in _drug_names())  # a drug, in any case
    return [f for f in dict.fromkeys(facts) if f]


_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")


def _drug_names() -> frozenset[str]:
    from analysis.redaction.vocabulary import drug_names  # the drug lexicon and a public drug dictionary

    return drug_names()


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("$", "").split())
