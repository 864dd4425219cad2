"""`docanalysis ask` and ``analysis.ask``: answers from the sample corpus, each sentence cited with the
page that holds it, stored with its lineage; bad input is one line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text

from analysis import Answer, ask
from analysis.cli import main
from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import ConfigError, IndexStateError
from analysis.jobs.prompts import load_prompt
from analysis.samples import corpus_documents
from analysis.store import open_store
from analysis.store.schema import AnswerRow, AnswerSentenceRow, DocumentRow, QuestionRow

# --------------------------------------------------------------------------- bad input (no model, no index)


@pytest.mark.parametrize(
    ("question", "kwargs", "message"),
    [
        ("   ", {}, "the question is empty"),
        ("why? " * 500, {}, "at most 2,000 are allowed"),
        ("What law governs?", {"k": 0}, "k must be between 1 and 50"),
        ("What law governs?", {"backend": "gpt"}, "backend must be one of auto, extractive, llm"),
        ("What law governs?", {"sentences": 0}, "sentences must be at least 1"),
    ],
)
def test_bad_arguments_are_refused_before_anything_loads(
    config: Config, question: str, kwargs: dict, message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        ask(question, config=config, **kwargs)


def test_no_index_yet_says_what_to_run(config: Config) -> None:
    with pytest.raises(IndexStateError, match="run `docanalysis run PATH` first"):
        ask("What law governs the lease?", config=config)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "the question is empty"),
        (["ask", "x" * 2001], "2,001 characters long"),
        (["ask", "What law governs the lease?"], "no index under"),
        (["ask", "--extractive", "--llm", "What law governs?"], "exclude each other"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), *args])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert message in lines[0] and "Traceback" not in result.output


# --------------------------------------------------------------------------- the real pipeline


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path, embedder: Embedder) -> Iterator[Config]:
    """The sample corpus ingested and indexed (no jobs: answers need only the index and the store)."""
    from analysis.pipeline import run_pipeline

    config = Config(home=tmp_path_factory.mktemp("ask"), batch_size=32, jobs="")
    run_pipeline([sample_corpus], config=config, embedder=embedder)
    yield config


def _lease(corpus: Path) -> tuple[str, dict]:
    """The path and truth of the generated lease written as a PDF."""
    name, doc = next((n, d) for n, d in corpus_documents() if d.kind == "lease" and n.endswith(".pdf"))
    return str((corpus / name).resolve()), doc.truth


def _pages_holding(config: Config, path: str, needle: str) -> tuple[int, set[int]]:
    """The stored document at ``path`` and the pages whose text holds ``needle``."""
    store = open_store(config)
    try:
        (document_id,) = store.document_ids_at([path])
        spans = store.page_spans(document_id)
        with store.session() as s:
            document_text = s.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id))
    finally:
        store.close()
    flat = " ".join(document_text.split())
    assert needle in flat, needle
    pages = {n for n, a, b in spans if needle in " ".join(document_text[a:b].split())}
    return document_id, pages


def test_the_extractive_answer_cites_the_page_that_holds_it(
    indexed: Config, sample_corpus: Path, embedder: Embedder
) -> None:
    path, truth = _lease(sample_corpus)
    tenant, landlord = (p["name"] for p in truth["parties"][:2])
    needle = f"laws of the State of {truth['governing_law']}"
    document_id, pages = _pages_holding(indexed, path, needle)
    answer = ask(
        f"Which state's law governs the lease between {tenant} and {landlord}?", config=indexed, embedder=embedder
    )
    assert answer.backend == "extractive" and answer.reason is None and 1 <= len(answer.sentences) <= 3
    citing = [s for s in answer.sentences if s.document_id == document_id and needle in s.text]
    assert citing, answer.sentences
    assert citing[0].page in pages and citing[0].supported and citing[0].citation == f"[p. {citing[0].page}]"
    assert answer.question_id is not None and answer.answer_id is not None


def test_stored_rows_and_the_view_agree_with_the_answer(indexed: Config, embedder: Embedder) -> None:
    answer = ask(
        "What medications was the patient discharged on?",
        config=indexed,
        embedder=embedder,
        domain="medical",
        requested_by="c.lee",
    )
    engine = create_engine(indexed.database_url)
    try:
        with engine.connect() as conn:
            rows = [
                dict(r._mapping)
                for r in conn.execute(
                    text("SELECT * FROM answer_citations WHERE question_id = :q ORDER BY sentence_index"),
                    {"q": answer.question_id},
                )
            ]
            lineage = conn.execute(
                text("SELECT * FROM result_lineage WHERE result_kind = 'answer' AND result_id = :a"),
                {"a": answer.answer_id},
            ).all()
    finally:
        engine.dispose()
    assert [(r["sentence"], r["page"], bool(r["supported"]), r["path"]) for r in rows] == [
        (s.text, s.page, s.supported, s.source_path) for s in answer.sentences
    ]
    assert {r["requested_by"] for r in rows} == {"c.lee"} and {r["backend"] for r in rows} == {"extractive"}
    assert all(r["filters"] in ({"domain": "medical"}, '{"domain": "medical"}') for r in rows)
    assert len(lineage) >= len(answer.sentences)
    for sentence in answer.sentences:  # the cited page holds the span the row points at
        store = open_store(indexed)
        try:
            spans = {n: (a, b) for n, a, b in store.page_spans(sentence.document_id)}
        finally:
            store.close()
        start, end = spans[sentence.page]
        assert start <= sentence.char_start < end + 2


def test_nothing_retrieved_says_why_and_stores_the_question(indexed: Config, embedder: Embedder) -> None:
    answer = ask("What was decided?", domain="other", config=indexed, embedder=embedder)
    assert answer.sentences == [] and answer.reason and "domain other" in answer.reason
    store = open_store(indexed)
    try:
        with store.session() as s:
            question = s.get(QuestionRow, answer.question_id)
            assert question is not None and question.filters == {"domain": "other"}
            assert not s.scalars(select(AnswerRow).where(AnswerRow.question_id == answer.question_id)).all()
    finally:
        store.close()


def test_without_save_nothing_is_stored(indexed: Config, embedder: Embedder) -> None:
    store = open_store(indexed)
    try:
        before = store.counts()
        answer = ask("Who are the parties to the agreement?", save=False, config=indexed, embedder=embedder)
        with store.session() as s:
            assert s.scalar(select(QuestionRow.id).where(QuestionRow.text == answer.question)) is None
    finally:
        store.close()
    assert answer.sentences and answer.question_id is None and before


def test_an_unknown_document_is_one_line(indexed: Config) -> None:
    result = CliRunner().invoke(
        main, ["--home", str(indexed.home), "ask", "--document", "/no/such/file.pdf", "What law governs?"]
    )
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), result.output


def test_the_cli_prints_cited_sentences_and_sources(indexed: Config, sample_corpus: Path) -> None:
    path, truth = _lease(sample_corpus)
    result = CliRunner().invoke(
        main,
        [
            "--home",
            str(indexed.home),
            "ask",
            "--no-save",
            f"What law governs the lease with {truth['parties'][0]['name']}?",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("answer (extractive, groundedness 1.00):")
    assert re.search(r"\[p\. \d+\]$", result.output.splitlines()[1])
    assert "sources:" in result.output and path in result.output and "saved as" not in result.output


def test_the_local_llm_answers_end_to_end(indexed: Config, sample_corpus: Path, embedder: Embedder) -> None:
    """SmolLM2-135M through llama.cpp: its sentences are grounded, flagged and stored with the prompt's hash."""
    path, truth = _lease(sample_corpus)
    answer = ask(
        f"What law governs the lease between {truth['parties'][0]['name']} and {truth['parties'][1]['name']}?",
        backend="llm",
        k=3,
        config=indexed,
        embedder=embedder,
    )
    assert answer.backend == "llama_cpp" and answer.model_id.startswith("llama_cpp:")
    assert answer.sentences or answer.reason
    store = open_store(indexed)
    try:
        with store.session() as s:
            row = s.scalars(select(AnswerRow).where(AnswerRow.question_id == answer.question_id)).one_or_none()
            if answer.sentences:
                assert row is not None and row.prompt_hash == load_prompt("ask_v1").sha256
                stored = s.scalars(select(AnswerSentenceRow).where(AnswerSentenceRow.answer_id == row.id)).all()
                assert [(r.sentence, r.supported) for r in stored] == [(x.text, x.supported) for x in answer.sentences]
                assert row.n_unsupported == sum(not x.supported for x in answer.sentences)
    finally:
        store.close()
    for sentence in answer.sentences:
        assert sentence.citation == (f"[p. {sentence.page}]" if sentence.supported else "[unsupported]")


def test_erasing_a_document_removes_the_answers_and_questions_that_cite_it(
    indexed: Config, sample_corpus: Path, embedder: Embedder
) -> None:
    """Last in this module: it erases the lease."""
    from analysis.maintenance import erase_documents

    path, truth = _lease(sample_corpus)
    answer = ask(f"What law governs the lease with {truth['parties'][0]['name']}?", config=indexed, embedder=embedder)
    (document_id,) = {s.document_id for s in answer.sentences if s.source_path == path}
    erase_documents(indexed, [document_id], reason="test", requested_by="test")
    store = open_store(indexed)
    try:
        with store.session() as s:
            assert not s.scalars(select(AnswerSentenceRow).where(AnswerSentenceRow.document_id == document_id)).all()
            assert s.get(AnswerRow, answer.answer_id) is None
            assert s.get(QuestionRow, answer.question_id) is None  # it was asked about the document
    finally:
        store.close()
    again = ask(f"What law governs the lease with {truth['parties'][0]['name']}?", config=indexed, embedder=embedder)
    assert all(s.document_id != document_id for s in again.sentences)
    assert isinstance(again, Answer)
