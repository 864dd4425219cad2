from __future__ import annotations

from pathlib import Path

import pytest

from analysis.embed import Embedder
from analysis.ingest.chunking import chunk_document
from analysis.ingest.structure import split_into_sections
from analysis.records import Page, ParsedDocument, Section, SourceFile

LEASE = """COMMERCIAL LEASE AGREEMENT

ARTICLE 1. PREMISES
1.1 Premises. Landlord leases to Tenant the premises at 400 Harbor Way, Suite 210, Portland, Oregon.
1.2 Common Areas. Tenant may use the lobby, elevators and parking areas in common with other tenants.

ARTICLE 2. RENT
2.1 Base Rent. Tenant shall pay base rent of $12,500 per month, due on the first day of each month.
2.2 Late Charge. Any installment not paid within five days after its due date bears a late charge of five percent.
"""


def _document(pages: list[str]) -> ParsedDocument:
    source = SourceFile(path=Path("x.txt"), sha256="0" * 64, size=1, mtime_ns=0, kind="text")
    return ParsedDocument(source=source, pages=[Page(i + 1, t) for i, t in enumerate(pages)], parser="text")


def _tokens_with_specials(embedder: Embedder, text: str) -> int:
    return len(embedder.tokenizer(text)["input_ids"])


def test_chunks_keep_exact_provenance_and_sections(embedder: Embedder) -> None:
    doc = _document([LEASE])
    sections = split_into_sections(doc.text, domain="legal")
    chunks = chunk_document(doc, sections, embedder.tokenizer, max_tokens=40, overlap=0)
    assert chunks, "a non-empty document yields chunks"
    for chunk in chunks:
        assert doc.text[chunk.char_start : chunk.char_end] == chunk.text
        inside = [s for s in sections if s.start <= chunk.char_start and chunk.char_end <= s.end]
        assert inside and inside[0].title == chunk.section, "a chunk never crosses a section boundary"
    rent = [c for c in chunks if "12,500" in c.text]
    assert rent and "RENT" in (rent[0].section or "")
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_no_chunk_exceeds_the_model_limit(embedder: Embedder) -> None:
    run_on = " ".join(f"clause{i} obliges party{i} to indemnify" for i in range(400))  # no sentence ends
    doc = _document([LEASE + "\n\n" + run_on])
    chunks = chunk_document(doc, [], embedder.tokenizer, max_tokens=500, overlap=20, model_max_length=256)
    assert len(chunks) > 5
    assert max(_tokens_with_specials(embedder, c.text) for c in chunks) <= 256
    assert all(doc.text[c.char_start : c.char_end] == c.text for c in chunks)


def test_overlap_repeats_whole_sentences(embedder: Embedder) -> None:
    sentences = [f"Sentence number {i} states a distinct obligation of the tenant." for i in range(30)]
    doc = _document([" ".join(sentences)])
    chunks = chunk_document(doc, [], embedder.tokenizer, max_tokens=60, overlap=20)
    assert len(chunks) >= 3
    for before, after in zip(chunks, chunks[1:]):
        assert after.char_start < before.char_end, "consecutive chunks share an overlap"
        assert after.char_end > before.char_end
    none = chunk_document(doc, [], embedder.tokenizer, max_tokens=60, overlap=0)
    assert all(b.char_start >= a.char_end for a, b in zip(none, none[1:]))


def test_pages_are_tracked_across_page_breaks(embedder: Embedder) -> None:
    doc = _document(["First page talks about the premises. " * 10, "Second page talks about rent. " * 10])
    chunks = chunk_document(doc, [Section(0, len(doc.text), None)], embedder.tokenizer, max_tokens=50, overlap=0)
    assert chunks[0].page_start == 1
    assert chunks[-1].page_end == 2
    assert any(c.page_start == 1 and c.page_end == 2 for c in chunks) or all(c.page_start == c.page_end for c in chunks)
    second = [c for c in chunks if c.page_start == 2]
    assert second and all("rent" in c.text for c in second)


@pytest.mark.parametrize(("max_tokens", "overlap"), [(0, 0), (10, 10), (10, -1)])
def test_invalid_options_are_rejected(embedder: Embedder, max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        chunk_document(_document(["text"]), [], embedder.tokenizer, max_tokens=max_tokens, overlap=overlap)
