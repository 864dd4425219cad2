"""Verify-and-repair on a real embedded lease: what the source does not say is never stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs import build_summarizer
from analysis.jobs.summarize.llm import LLMSummarizer
from analysis.jobs.summarize.repair import first_sentence, is_about_the_text, quotable, verify_and_repair
from analysis.jobs.summarize.summarizers import DocumentForSummary
from analysis.pipeline import run_pipeline
from analysis.samples import make_document, write_text
from analysis.store import Store

SUPPORTED = "The tenant accepts the premises in their as-is condition on the commencement date."
INVENTED = "The monthly base rent is $12,345.67, increasing 9% annually."
OFF_TOPIC = "Penguins are flightless birds that live in Antarctica and eat fish."


def _verify(lease: DocumentForSummary, embedder: Embedder, sentences: list[str], rewriter: object = None):
    return verify_and_repair(
        sentences,
        lease.chunks,
        encode=embedder.encode,
        source_text=lease.text,
        rewriter=rewriter,  # type: ignore[arg-type]
    )


def test_only_supported_sentences_are_stored(lease: DocumentForSummary, embedder: Embedder) -> None:
    outcome = _verify(lease, embedder, [SUPPORTED, INVENTED, OFF_TOPIC, SUPPORTED])
    actions = [s.action for s in outcome.sentences]
    assert actions[0] == "kept"
    assert actions[1] in ("replaced", "dropped") and actions[2] == "dropped"
    assert actions[3] == "dropped" and "repeats" in outcome.sentences[3].note
    stored = outcome.text()
    assert "12,345.67" not in stored and "Penguins" not in stored
    source = " ".join(lease.text.split())
    for sentence in outcome.stored:
        assert sentence.grounded.supported and sentence.grounded.chunk_ids and sentence.grounded.pages
        if sentence.action == "replaced":  # quoted as written in the source
            quoted = sentence.grounded.text
            assert quoted.startswith("\u201c") and quoted.strip("\u201c\u201d") in source
    assert outcome.sentences[1].draft == INVENTED, "the draft stays inspectable"
    counts = outcome.counts()
    assert counts["drafted"] == 4 and counts["kept"] == 1 and counts["dropped"] >= 2


def test_an_endpoint_that_is_down_falls_back_and_is_counted(lease: DocumentForSummary, embedder: Embedder) -> None:
    down = Config(summary_backend="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m", llm_retries=0)
    rewriter = build_summarizer(down, lambda: embedder)
    assert isinstance(rewriter, LLMSummarizer)
    outcome = _verify(lease, embedder, [INVENTED], rewriter)
    assert outcome.repair_errors == 1 and "repair failed" in outcome.sentences[0].note
    assert outcome.sentences[0].action in ("replaced", "dropped") and "12,345.67" not in outcome.text()


def test_the_local_model_repairs_or_falls_back(lease: DocumentForSummary, embedder: Embedder) -> None:
    local = Config(summary_backend="llm", llm_backend="llama_cpp", llm_max_tokens=48)
    outcome = _verify(lease, embedder, [INVENTED], build_summarizer(local, lambda: embedder))
    assert outcome.tokens_out > 0, "the model was asked"
    assert outcome.sentences[0].action in ("repaired", "replaced", "dropped")
    assert "12,345.67" not in outcome.text() and all(s.grounded.supported for s in outcome.stored)
    # one token is no sentence: malformed output is a counted fallback, not a failure
    clipped = Config(summary_backend="llm", llm_backend="llama_cpp", llm_max_tokens=1)
    outcome = _verify(lease, embedder, [INVENTED], build_summarizer(clipped, lambda: embedder))
    assert outcome.repair_errors == 1 and "no usable sentence" in outcome.sentences[0].note


@pytest.mark.parametrize("reply", ["", "   ", "\u0301\u0301\u0301", "12 34 56", "ok", None, "9" * 50_000])
def test_a_reply_with_no_sentence_is_refused(reply: object) -> None:
    assert first_sentence(reply) is None


def test_reply_labels_and_quotes_are_stripped() -> None:
    assert first_sentence('Rewritten sentence: "The rent is due monthly." Extra.') == "The rent is due monthly."
    assert first_sentence("Excerpt: VITAL SIGNS: Temperature 98.0 F, pulse 93.") == "Temperature 98.0 F, pulse 93."
    assert first_sentence("HIV: The test was negative.") == "The test was negative."
    assert first_sentence("The U.S. Court held: the appeal fails.") == "The U.S. Court held: the appeal fails."
    assert not quotable("Initial Monthly Base Rent: $94,703.12, increasing 3.5% annually.")
    assert not quotable("BASIC LEASE INFORMATION AND OTHER TERMS OF THIS LEASE.")
    assert quotable("Tenant accepts the Premises in their condition on the Commencement Date.")


def test_the_job_stores_a_verified_summary_with_its_draft(tmp_path: Path, embedder: Embedder) -> None:
    (tmp_path / "src").mkdir()
    write_text(make_document("discharge_summary", seed=5), tmp_path / "src" / "note.txt")
    config = Config(
        home=tmp_path / "home", jobs="summarize", llm_backend="llama_cpp", llm_max_tokens=96, summary_input_tokens=400
    )
    report = run_pipeline([tmp_path / "src"], config=config, embedder=embedder)
    assert report.counts["summaries_written"] == 1
    drafted = report.counts["summary_sentences_drafted"]
    assert drafted >= 1
    assert drafted == sum(report.counts[f"summary_sentences_{a}"] for a in ("kept", "repaired", "replaced", "dropped"))
    store = Store(config.database_url)
    try:
        with store.engine.connect() as conn:
            columns = "strategy, text, draft_text, groundedness, n_unsupported"
            row = conn.execute(text(f"SELECT {columns} FROM summaries")).one()
            actions = conn.execute(text("SELECT action FROM summary_evidence")).scalars().all()
            repairs = conn.execute(text("SELECT COUNT(DISTINCT sentence_index) FROM summary_repairs")).scalar_one()
    finally:
        store.close()
    assert row.strategy == "salient_sentences+verified" and row.draft_text
    assert row.text and row.n_unsupported == 0 and row.groundedness == 1.0
    assert set(actions) <= {"kept", "repaired", "replaced", "dropped", "added"} and actions
    assert repairs == drafted - report.counts["summary_sentences_kept"] + report.counts["summary_sentences_added"]
    stored = drafted - report.counts["summary_sentences_dropped"] + report.counts["summary_sentences_added"]
    assert stored == config.summary_sentences, "every slot is filled, from the source where no draft held"


def test_a_sentence_about_the_text_is_never_kept(lease: DocumentForSummary, embedder: Embedder) -> None:
    """A small model talks about its prompt: close to the chunk in meaning, yet no fact of the document."""
    about = "The excerpt says that the tenant accepts the premises in their as-is condition."
    outcome = _verify(lease, embedder, [about])
    assert outcome.sentences[0].action != "kept"
    assert "excerpt" not in outcome.text()
    assert is_about_the_text("The text includes the following facts: 1.")
    assert not is_about_the_text("The sentences imposed were concurrent.")
    assert not is_about_the_text("The summary of the judgment was read out in court.")


def test_a_sentence_that_describes_the_document_is_dropped_not_repaired(
    lease: DocumentForSummary, embedder: Embedder
) -> None:
    """ "The document provides an overview of X" is near X in meaning but claims nothing: no repair call is spent."""

    class Refuses:
        calls = 0

        def rewrite_sentence(self, sentence: str, excerpt: str) -> tuple[str, int, int]:
            Refuses.calls += 1
            return SUPPORTED, 1, 1

    described = "The document provides a comprehensive overview of the tenant's acceptance of the premises."
    outcome = _verify(lease, embedder, [described, SUPPORTED], rewriter=Refuses())
    assert [s.action for s in outcome.sentences] == ["dropped", "kept"]
    assert "about the text" in outcome.sentences[0].note and Refuses.calls == 0
    for meta in (
        "Additionally, it discusses the tenant's obligations under the lease.",
        "The research paper highlights the need for multiple probes.",
        "The patient's discharge summary is a concise and informative document.",
        "The report describes a 3 cm nodule in the right lobe.",
    ):
        assert is_about_the_text(meta), meta
    for fact in (
        "The court granted summary judgment for the defendant.",
        "It is a summary trial under section 260.",
        "This Agreement provides that the tenant pays rent monthly.",
        "It provides for arbitration in London under the LCIA rules.",
        "The study found that vieb inhibits phosphotransfer.",
        "The tenant shall pay the document preparation fee.",
        "The patient is a 45-year-old man with a history of asthma.",
    ):
        assert not is_about_the_text(fact), fact
