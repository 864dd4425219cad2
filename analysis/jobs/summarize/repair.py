"""Verify-and-repair: a stored LLM summary holds only sentences its source supports.

Grounding (grounding.py) detects a sentence that is far from every chunk or states a number,
date, name or dose the source does not contain. Detection alone leaves a reader with a summary
that is half wrong, so each failing sentence is, in turn:

1. **repaired**: the model rewrites it from its best supporting chunk alone, and the rewrite is
   grounded again;
2. **replaced** by the sentence of that chunk closest in meaning, quoted as written;
3. **dropped**, when no source sentence is close enough (the draft was about nothing the
   document says) or the result repeats a sentence already kept.

A sentence that describes the text instead of stating what it says ("The document provides a
comprehensive overview of ...", "The excerpt says ...") is dropped at once: it sits close to its
chunk in meaning, so grounding alone would keep it, yet it holds no claim to repair or quote.

The summarize job then fills each slot left empty with one of the document's most central
sentences, quoted (``added``), so a weak model still yields a summary of the length asked for.

An endpoint that times out, fails or answers with no usable sentence during a repair does not
fail the document: the sentence goes on to step 2 and the failure is counted.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from analysis.jobs.summarize.extractive import chunk_statements
from analysis.jobs.summarize.grounding import GroundedSentence, ground_sentences
from analysis.records import SourceChunk
from analysis.sentences import segment_sentences

ACTIONS = ("kept", "repaired", "replaced", "dropped", "added")
QUOTE_OPEN, QUOTE_CLOSE = "\u201c", "\u201d"


class SentenceRewriter(Protocol):
    """What repair needs of a chat model: one sentence rewritten from one excerpt."""

    def rewrite_sentence(self, sentence: str, excerpt: str) -> tuple[str, int, int]:
        """The reply's text, tokens in, tokens out."""
        ...


@dataclass(frozen=True)
class CheckedSentence:
    """One drafted sentence after verification: what is stored (``grounded``) and what happened."""

    draft: str
    action: str
    grounded: GroundedSentence
    note: str = ""

    @property
    def stored(self) -> bool:
        return self.action != "dropped"

    def as_dict(self) -> dict[str, object]:
        return {**self.grounded.as_dict(), "action": self.action, "draft": self.draft, "note": self.note}


@dataclass(frozen=True)
class RepairOutcome:
    sentences: list[CheckedSentence]
    repair_errors: int
    tokens_in: int = 0
    tokens_out: int = 0

    @property
    def stored(self) -> list[CheckedSentence]:
        return [s for s in self.sentences if s.stored]

    def text(self) -> str:
        return " ".join(s.grounded.text for s in self.stored)

    def counts(self) -> Counter[str]:
        """Sentences drafted and what became of them, plus repair calls that failed."""
        counts: Counter[str] = Counter({"drafted": sum(s.action != "added" for s in self.sentences)})
        counts.update(s.action for s in self.sentences)
        counts["repair_errors"] = self.repair_errors
        return counts


def verify_and_repair(
    sentences: Sequence[str],
    chunks: Sequence[SourceChunk],
    *,
    encode: Callable[[list[str]], np.ndarray],
    source_text: str,
    rewriter: SentenceRewriter | None,
    threshold: float = 0.55,
    min_quote_similarity: float = 0.4,
) -> RepairOutcome:
    """Check every drafted sentence; repair, replace or drop the ones the source does not support.

    ``encode`` embeds sentences with the model the chunks were embedded with;
    ``min_quote_similarity`` is how close a source sentence must be to the draft to stand in for it.
    """
    if not sentences:
        return RepairOutcome([], 0)
    by_id = {c.id: c for c in chunks}

    def ground(texts: list[str], vectors: np.ndarray | None = None) -> list[GroundedSentence]:
        vectors = encode(texts) if vectors is None else vectors
        return ground_sentences(texts, chunks, vectors, source_text=source_text, threshold=threshold).sentences

    draft_vectors = encode(list(sentences))  # once: for grounding and for choosing a quote
    first = ground(list(sentences), draft_vectors)
    checked: list[CheckedSentence] = []
    errors = tokens_in = tokens_out = 0
    for draft, vector, grounded in zip(sentences, draft_vectors, first):
        if is_about_the_text(draft):  # close to its chunk in meaning, yet no claim to repair or quote
            grounded = dataclasses.replace(grounded, supported=False)
            result = CheckedSentence(draft, "dropped", grounded, "about the text, not what the document says")
        elif grounded.supported:
            result = CheckedSentence(draft, "kept", grounded)
        else:
            best = [by_id[i] for i in grounded.chunk_ids if i in by_id]
            result = None
            if rewriter is not None and best:
                rewritten, failure, used_in, used_out = _rewrite(rewriter, draft, best[0].text)
                tokens_in, tokens_out = tokens_in + used_in, tokens_out + used_out
                if failure:
                    errors += 1
                    why = f"repair failed ({failure})"
                else:
                    again = ground([rewritten])[0]
                    if again.supported and not is_about_the_text(rewritten):
                        result = CheckedSentence(draft, "repaired", again, _why_unsupported(grounded))
                    why = f"rewrite unsupported: {_why_unsupported(again)}"
            else:
                why = "no rewriter" if rewriter is None else "no supporting chunk"
            if result is None:
                result = _quote_or_drop(draft, vector, grounded, best, encode, min_quote_similarity, why)
        if result.stored and any(
            same_sentence(result.grounded.text, kept.grounded.text) for kept in checked if kept.stored
        ):
            result = CheckedSentence(draft, "dropped", result.grounded, "repeats a sentence already in the summary")
        checked.append(result)
    return RepairOutcome(checked, errors, tokens_in, tokens_out)


def _rewrite(rewriter: SentenceRewriter, draft: str, excerpt: str) -> tuple[str, str, int, int]:
    """(rewritten sentence, failure or "", tokens in, tokens out); never raises."""
    try:
        reply, used_in, used_out = rewriter.rewrite_sentence(draft, excerpt)
    except Exception as error:  # a timeout, an endpoint down, a model that crashed: fall back, counted
        return "", f"{type(error).__name__}: {str(error)[:120]}", 0, 0
    sentence = first_sentence(reply)
    if sentence is None:
        return "", "no usable sentence in the reply", used_in, used_out
    return sentence, "", used_in, used_out


_LEAD = re.compile(r"^\s*(?:rewritten sentence|sentence|answer|excerpt)\s*:\s*", re.IGNORECASE)


def first_sentence(reply: object) -> str | None:
    """The first sentence of a model's reply, or None when it holds none worth grounding.

    The segmenter knows abbreviations ("U.S.") and run-in labels, so a field label the model
    copied from the excerpt ("VITAL SIGNS: Temperature 98.0 F ...") is left out.
    """
    text = _LEAD.sub("", reply if isinstance(reply, str) else str(reply or "")).strip()
    for span in segment_sentences(text):
        if span.kind in ("label", "heading", "furniture"):
            continue
        sentence = " ".join(text[span.start : span.end].split()).strip('"\u201c\u201d').strip()
        if len(sentence.split()) >= 3 and any(ch.isalpha() for ch in sentence):
            return sentence[:1000]
    return None


def _quote_or_drop(
    draft: str,
    vector: np.ndarray,
    grounded: GroundedSentence,
    best: list[SourceChunk],
    encode: Callable[[list[str]], np.ndarray],
    min_similarity: float,
    why: str,
) -> CheckedSentence:
    """The supporting chunks' sentence closest to the draft, quoted; else the draft is dropped."""
    candidates = [(chunk, s) for chunk in best for s in chunk_statements(chunk.text) if quotable(s)]
    if candidates:
        similarities = encode([s for _, s in candidates]) @ vector
        pick = int(np.argmax(similarities))
        if float(similarities[pick]) >= min_similarity:
            chunk, sentence = candidates[pick]
            quoted = GroundedSentence(
                text=f"{QUOTE_OPEN}{sentence}{QUOTE_CLOSE}",
                supported=True,
                similarity=1.0,  # quoted verbatim from the chunk
                chunk_ids=[chunk.id],
                pages=list(range(chunk.page_start, chunk.page_end + 1)),
                missing_facts=[],
            )
            return CheckedSentence(draft, "replaced", quoted, f"{why}; quoted from the source")
        why = f"{why}; no source sentence close enough ({float(similarities[pick]):.2f})"
    else:
        why = f"{why}; no source sentence to quote"
    return CheckedSentence(draft, "dropped", grounded, why)


_LABEL_LINE = re.compile(r"^[A-Z][\w /&().-]{0,40}:\s")


def quotable(sentence: str) -> bool:
    """A source sentence a reader can take as a summary sentence: whole, not a heading or field line."""
    words = sentence.split()
    if not 6 <= len(words) <= 80 or sentence.isupper() or _LABEL_LINE.match(sentence):
        return False
    letters = sum(ch.isalpha() for ch in sentence)
    return letters >= 0.5 * len(sentence) and sentence.rstrip()[-1] in ".!?;:)\"'\u201d"


# "The excerpt supports the fact that ...", "The text includes the following facts": a small model
# talking about its prompt rather than the document.
_ABOUT_THE_TEXT = re.compile(
    r"(?i)\b(?:the|this|these|following)\s+(?:excerpts?|text|passages?|summary)\b(?!\s+(?:of|judgment))"
)


# "The document provides a comprehensive overview of ...", "Additionally, it discusses ...": a small
# model's habit of describing the document instead of saying what it says. Such a sentence sits close
# to its chunk in meaning, so grounding alone would keep it, yet it states nothing a reader can check.
_DESCRIBES_THE_DOCUMENT = re.compile(
    r"(?i)^\W*(?:(?:additionally|also|furthermore|moreover|overall|finally|in (?:summary|conclusion)),?\s+)?"
    r"(?:(?:the|this)\s+(?:(?:\w+[- ])?(?:document|article|paper|report|record|file|piece|work)s?|excerpts?|texts?)"
    r"|it)\s+(?:also\s+|further\s+|then\s+|briefly\s+)?"
    r"(?:provides?(?!\s+(?:that|for)\b)|summari[sz]es|discuss(?:es)?|highlights|describes|presents|outlines|concludes|covers|explores"
    r"|focuses|emphasi[sz]es|mentions|offers|explains|addresses|touches|underscores|sheds|serves|delves|aims"
    r"|is about|gives an?|deals with)\b"
)
# "... is a concise and informative document", "... provides an overview of ...".
_CALLS_ITSELF_A_DOCUMENT = re.compile(
    r"(?i)\b(?:is|serves as|provides|gives|offers) an? (?:[\w-]+,? (?:and )?){0,4}(?:document|overview|summary)\b"
    r"(?!\s+(?:judge?ments?|proceedings?|trials?|dismissals?|offen[cs]es?|convictions?|jurisdiction))"
)


def is_about_the_text(sentence: str) -> bool:
    """A sentence about the excerpt, the text or the summary, or one that describes the document
    ("The document highlights ...") rather than stating what it says: never a fact of the document."""
    return any(p.search(sentence) for p in (_ABOUT_THE_TEXT, _DESCRIBES_THE_DOCUMENT, _CALLS_ITSELF_A_DOCUMENT))


def _why_unsupported(grounded: GroundedSentence) -> str:
    if is_about_the_text(grounded.text):
        return "about the text, not the document"
    if grounded.missing_facts:
        return "not in the source: " + ", ".join(grounded.missing_facts[:5])
    return f"low support ({grounded.similarity:.2f})"


def same_sentence(a: str, b: str) -> bool:
    """The same words in the same order, whatever the case, punctuation and quotation marks."""

    def norm(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())

    return norm(a) == norm(b)
