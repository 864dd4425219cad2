from __future__ import annotations

import numpy as np

from analysis.embed import Embedder
from analysis.jobs.summarize.grounding import SourceChunk, facts_in, ground_summary, summary_sentences

SOURCE = [
    "The Tenant shall pay base rent of $12,500 per month on the first day of each month.",
    "This Lease is governed by the laws of the State of Oregon.",
    "Redstone Analytics LLC is the Landlord and Ashgrove Media Inc. is the Tenant.",
]


def _chunks(embedder: Embedder) -> list[SourceChunk]:
    vectors = embedder.encode(SOURCE)
    return [
        SourceChunk(id=10 + i, ordinal=i, text=t, page_start=i + 1, page_end=i + 1, section=None, n_tokens=20, vector=v)
        for i, (t, v) in enumerate(zip(SOURCE, vectors))
    ]


def _ground(embedder: Embedder, summary: str, **kwargs: object):
    sentences = summary_sentences(summary)
    return ground_summary(
        summary, _chunks(embedder), embedder.encode(sentences), source_text=" ".join(SOURCE), **kwargs
    )


def test_supported_sentences_cite_their_chunks_and_pages(embedder: Embedder) -> None:
    result = _ground(embedder, "The tenant pays monthly rent of $12,500. Oregon law governs the lease.")
    assert result.groundedness == 1.0
    assert result.sentences[0].chunk_ids[0] == 10 and 1 in result.sentences[0].pages
    assert result.sentences[1].chunk_ids[0] == 11 and result.sentences[1].pages[0] == 2
    assert result.supporting_chunk_ids == sorted({10, 11} | set(result.supporting_chunk_ids))


def test_invented_numbers_and_names_are_flagged(embedder: Embedder) -> None:
    result = _ground(embedder, "The tenant pays monthly rent of $15,000. Bluewater Holdings is the landlord.")
    assert [s.supported for s in result.sentences] == [False, False]
    assert result.sentences[0].missing_facts == ["$15,000"]
    assert "Bluewater Holdings" in result.sentences[1].missing_facts
    assert result.groundedness == 0.0 and result.n_unsupported == 2


def test_unrelated_sentences_are_unsupported_and_can_be_dropped(embedder: Embedder) -> None:
    summary = "Oregon law governs the lease. The weather forecast predicts heavy snow in the mountains."
    result = _ground(embedder, summary)
    assert [s.supported for s in result.sentences] == [True, False]
    assert result.groundedness == 0.5
    assert result.text(drop_unsupported=True) == "Oregon law governs the lease."
    assert "snow" in result.text()


def test_verbatim_quotes_are_supported(embedder: Embedder) -> None:
    result = _ground(embedder, SOURCE[1])
    assert result.sentences[0].supported and result.sentences[0].similarity == 1.0


def test_facts_and_sentences() -> None:
    assert facts_in("Rent is $12,500 from January 5, 2024 payable to Redstone Analytics.") == [
        "$12,500",
        "5",
        "2024",
        "January",
        "Redstone Analytics",
    ]
    assert summary_sentences("- First point here.\n- Second point here.\nok") == [
        "First point here.",
        "Second point here.",
    ]
    assert ground_summary("", [], np.zeros((0, 384)), source_text="x").groundedness == 0.0


def test_a_very_short_summary_is_checked_whole(embedder: Embedder) -> None:
    result = _ground(embedder, "Oregon law")
    assert len(result.sentences) == 1 and result.sentences[0].supported and result.groundedness == 1.0
