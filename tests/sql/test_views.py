"""The analysts' views: each one documented column by column, each with full lineage."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from analysis import ask
from analysis.config import Config
from analysis.embed import Embedder
from analysis.store import open_store
from analysis.store.views import view_names

README = (Path(__file__).resolve().parents[2] / "sql" / "README.md").read_text()


def _rows(config: Config, sql: str) -> list[dict[str, object]]:
    engine = create_engine(config.database_url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_every_view_column_is_documented(analysed_config: Config) -> None:
    engine = create_engine(analysed_config.database_url)
    try:
        inspector = inspect(engine)
        for view in view_names():
            section = README.split(f"### `{view}`", 1)
            assert len(section) == 2, f"sql/README.md has no section for {view}"
            documented = set(re.findall(r"^\| `(\w+)` \|", section[1].split("\n### ", 1)[0], flags=re.M))
            columns = {c["name"] for c in inspector.get_columns(view)}
            assert columns == documented, (view, columns ^ documented)
    finally:
        engine.dispose()


def test_document_overview_has_one_row_per_document_with_its_latest_results(analysed_config: Config) -> None:
    rows = _rows(analysed_config, "SELECT * FROM document_overview")
    store = open_store(analysed_config)
    try:
        assert len(rows) == store.counts()["documents"] == 14
    finally:
        store.close()
    for row in rows:
        assert row["summary"] and row["sentiment"] in ("negative", "neutral", "positive")
        assert 0.0 <= row["groundedness"] <= 1.0
        assert str(row["path"]).endswith((".pdf", ".txt"))


def test_every_result_has_its_lineage(analysed_config: Config) -> None:
    lineage = _rows(analysed_config, "SELECT * FROM result_lineage")
    kinds = {(r["result_kind"], r["result_id"]) for r in lineage}
    summaries = _rows(analysed_config, "SELECT id FROM summaries")
    sentiments = _rows(analysed_config, "SELECT id FROM sentiments")
    assert {("summary", r["id"]) for r in summaries} <= kinds
    assert {("sentiment", r["id"]) for r in sentiments} <= kinds
    for row in lineage:
        assert len(str(row["document_sha256"])) == 64 and row["path"], row
        assert row["run_id"] or row["result_kind"] == "answer", row  # `ask` is not part of a run
        assert row["prompt_hash"] is not None and row["result_model_id"], row  # empty: a backend without a prompt
        if row["chunk_id"] is not None:  # a supported sentence, or a chunk's sentiment
            assert row["faiss_id"] == row["chunk_id"]
            assert row["index_version"] >= 1 and row["embedding_model_id"]
            assert 1 <= row["page_start"] <= row["page_end"]
            assert 0 <= row["char_start"] < row["char_end"]
    supported = [r for r in lineage if r["result_kind"] == "summary" and r["chunk_id"] is not None]
    assert supported
    facts = _rows(analysed_config, "SELECT id FROM facts WHERE evidence IS NOT NULL")
    assert facts and {r["id"] for r in facts} <= {r["result_part"] for r in lineage if r["result_kind"] == "fact"}


def test_every_fact_is_its_evidence_in_the_document_text(analysed_config: Config) -> None:
    """documents.text[char_start:char_end] is the evidence of every stored value; its page and chunk hold it."""
    facts = _rows(
        analysed_config,
        "SELECT f.*, d.text AS document_text, c.char_start AS chunk_start, c.char_end AS chunk_end"
        " FROM facts f JOIN documents d ON d.id = f.document_id LEFT JOIN chunks c ON c.id = f.chunk_id",
    )
    pages = {
        (r["document_id"], r["number"]): (r["char_start"], r["char_end"])
        for r in _rows(analysed_config, "SELECT document_id, number, char_start, char_end FROM pages")
    }
    kinds = {r["kind"] for r in facts}
    assert {"contract", "clause", "judgment", "clinical"} <= kinds
    for fact in facts:
        if fact["evidence"] is None:  # a clause found absent: nothing to point at
            assert fact["kind"] == "clause" and fact["value"] == "no" and fact["char_start"] is None, fact["id"]
            continue
        text_of_document = fact["document_text"]
        assert text_of_document[fact["char_start"] : fact["char_end"]] == fact["evidence"], fact["id"]
        if fact["raw"] is not None:
            assert " ".join(fact["raw"].split()).lower() in " ".join(fact["evidence"].split()).lower(), fact["id"]
        page_start, page_end = pages[(fact["document_id"], fact["page"])]
        assert page_start <= fact["char_start"] < page_end, fact["id"]
        assert fact["chunk_id"] is not None and fact["chunk_start"] < fact["char_end"], fact["id"]
        assert fact["char_start"] < fact["chunk_end"], fact["id"]


def test_summary_versions_sit_side_by_side(analysed_config: Config) -> None:
    rows = _rows(analysed_config, "SELECT * FROM summary_versions ORDER BY document_id, version")
    assert rows and all(r["version"] == 1 and r["previous_summary_id"] is None for r in rows)


def test_chunk_sentiment_carries_section_and_page(analysed_config: Config) -> None:
    rows = _rows(analysed_config, "SELECT * FROM chunk_sentiment")
    assert rows and all(r["page_start"] >= 1 and r["chunk_ordinal"] >= 0 for r in rows)
    assert any(r["section"] for r in rows)


def test_answer_citations_show_each_sentence_with_its_page_and_lineage(
    analysed_config: Config, embedder: Embedder
) -> None:
    answer = ask(
        "Which state's law governs the agreement?", config=analysed_config, embedder=embedder, requested_by="c.lee"
    )
    rows = _rows(
        analysed_config,
        f"SELECT * FROM answer_citations WHERE question_id = {answer.question_id} ORDER BY sentence_index",
    )
    assert answer.sentences and [(r["sentence"], r["page"], r["path"], r["answer_id"]) for r in rows] == [
        (s.text, s.page, s.source_path, answer.answer_id) for s in answer.sentences
    ]
    assert all(r["supported"] and r["requested_by"] == "c.lee" and r["backend"] == "extractive" for r in rows)
    lineage = _rows(
        analysed_config,
        f"SELECT * FROM result_lineage WHERE result_kind = 'answer' AND result_id = {answer.answer_id}",
    )
    assert {r["result_part"] for r in lineage} == set(range(len(answer.sentences)))
    for row in lineage:
        assert row["faiss_id"] == row["chunk_id"] and row["page_start"] == row["page_end"] and row["run_id"] is None
        assert row["result_model_id"] == answer.model_id and len(str(row["document_sha256"])) == 64
