"""Token-bounded chunks that respect section boundaries and keep exact provenance.

Chunks are measured with the embedding model's own tokenizer, so no chunk is ever
silently truncated by the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from analysis.records import Chunk, ParsedDocument, Section
from analysis.sentences import sentence_spans, strip_span

_SPECIAL_TOKENS = 2  # [CLS] and [SEP]


class Tokenizer(Protocol):
    def __call__(self, text: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    n_tokens: int


def chunk_document(
    document: ParsedDocument,
    sections: Sequence[Section],
    tokenizer: Tokenizer,
    *,
    max_tokens: int = 200,
    overlap: int = 32,
    model_max_length: int = 256,
) -> list[Chunk]:
    """Split a document into chunks of at most ``max_tokens`` tokens within each section.

    ``overlap`` tokens' worth of whole sentences are repeated at the start of the next chunk
    of the same section. ``model_max_length`` (special tokens included) is a hard ceiling.
    A span the tokenizer reads as no tokens at all (only combining marks, say) is left out:
    its vector would say nothing, and a zero weight breaks every token-weighted average.
    """
    limit = model_max_length - _SPECIAL_TOKENS
    if max_tokens < 1 or overlap < 0 or overlap >= max_tokens:
        raise ValueError(f"need 1 <= max_tokens and 0 <= overlap < max_tokens, got {max_tokens=} {overlap=}")
    budget = min(max_tokens, limit)
    text = document.text
    spans = [(s.start, s.end, s.title) for s in sections] or [(0, len(text), None)]
    units_per_section = _measure_units(text, spans, tokenizer, budget)
    packed = [
        (title, (start, end))
        for (_, _, title), units in zip(spans, units_per_section)
        for start, end, _ in _pack(units, budget, overlap)
    ]
    measured = _enforce_limit(text, [span for _, span in packed], [title for title, _ in packed], tokenizer, limit)
    measured = [(title, span) for title, span in measured if span[2] > 0]
    return [
        Chunk(
            ordinal=ordinal,
            text=text[start:end],
            char_start=start,
            char_end=end,
            page_start=document.page_at(start),
            page_end=document.page_at(end - 1),
            section=title,
            n_tokens=n_tokens,
        )
        for ordinal, (title, (start, end, n_tokens)) in enumerate(measured)
    ]


def _measure_units(
    text: str, spans: list[tuple[int, int, str | None]], tokenizer: Tokenizer, budget: int
) -> list[list[_Unit]]:
    """Split each section into sentence-like units and count their tokens in one batch."""
    raw: list[list[tuple[int, int]]] = [list(sentence_spans(text, start, end)) for start, end, _ in spans]
    flat = [text[a:b] for units in raw for a, b in units]
    encoded = _encode(tokenizer, flat)
    counts = iter(zip(encoded["input_ids"], encoded.get("offset_mapping", [[]] * len(flat))))
    result: list[list[_Unit]] = []
    for units in raw:
        measured: list[_Unit] = []
        for a, b in units:
            ids, offsets = next(counts)
            if len(ids) <= budget:
                measured.append(_Unit(a, b, len(ids)))
            else:
                measured.extend(_split_long_unit(a, offsets, budget))
        result.append(measured)
    return result


def _encode(tokenizer: Tokenizer, texts: list[str]) -> Any:
    if not texts:
        return {"input_ids": [], "offset_mapping": []}
    return tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False)


def _enforce_limit(
    text: str, spans: list[tuple[int, int]], titles: list[str | None], tokenizer: Tokenizer, limit: int
) -> list[tuple[str | None, tuple[int, int, int]]]:
    """Re-count each chunk as the model will see it; split the rare one that grew past the limit.

    Sums of per-sentence counts can differ by a token from the count of the joined text
    (a word cut at a token boundary re-tokenises differently).
    """
    encoded = _encode(tokenizer, [text[a:b] for a, b in spans])
    out: list[tuple[str | None, tuple[int, int, int]]] = []
    for title, (a, b), ids, offsets in zip(titles, spans, encoded["input_ids"], encoded["offset_mapping"]):
        if len(ids) <= limit:
            out.append((title, (a, b, len(ids))))
            continue
        cut = a + offsets[len(offsets) // 2][0]
        left, right = strip_span(text, a, cut), strip_span(text, cut, b)
        out.extend(_enforce_limit(text, [left, right], [title, title], tokenizer, limit))
    return out


def _split_long_unit(base: int, offsets: list[tuple[int, int]], budget: int) -> list[_Unit]:
    """Cut a sentence longer than the budget at token boundaries, preferring word starts."""
    pieces: list[_Unit] = []
    i = 0
    while i < len(offsets):
        j = min(i + budget, len(offsets))
        if j < len(offsets):
            word_starts = [k for k in range(j, i + budget // 2, -1) if offsets[k][0] > offsets[k - 1][1]]
            j = word_starts[0] if word_starts else j
        pieces.append(_Unit(base + offsets[i][0], base + offsets[j - 1][1], j - i))
        i = j
    return pieces


def _pack(units: list[_Unit], budget: int, overlap: int) -> list[tuple[int, int, int]]:
    """Greedily fill chunks with whole units; carry trailing units forward as overlap."""
    chunks: list[tuple[int, int, int]] = []
    current: list[_Unit] = []
    tokens = 0
    fresh = 0  # units in ``current`` that are not overlap from the previous chunk
    for unit in units:
        if current and tokens + unit.n_tokens > budget:
            chunks.append((current[0].start, current[-1].end, tokens))
            current, tokens = _overlap_tail(current, overlap, budget - unit.n_tokens)
            fresh = 0
        current.append(unit)
        tokens += unit.n_tokens
        fresh += 1
    if current and fresh:
        chunks.append((current[0].start, current[-1].end, tokens))
    return chunks


def _overlap_tail(units: list[_Unit], overlap: int, room: int) -> tuple[list[_Unit], int]:
    tail: list[_Unit] = []
    tokens = 0
    for unit in reversed(units):
        if tokens + unit.n_tokens > min(overlap, room):
            break
        tail.insert(0, unit)
        tokens += unit.n_tokens
    return tail, tokens
