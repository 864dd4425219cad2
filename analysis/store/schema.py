"""The relational store's tables: the system of record for every result.

One schema for SQLite (embedded) and PostgreSQL (production).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids (FAISS ids are int64).
Id = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    """One document per distinct content (sha256); its full text is kept for provenance."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    parser: Mapped[str] = mapped_column(String(32))
    domain: Mapped[str] = mapped_column(String(16), index=True)
    doc_type: Mapped[str] = mapped_column(String(48), index=True)
    title: Mapped[str | None] = mapped_column(String(512))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    n_pages: Mapped[int] = mapped_column(Integer)
    n_chars: Mapped[int] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(16))  # ISO 639-1; NULL when too short to tell
    text: Mapped[str] = mapped_column(Text)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SourceRow(Base):
    """Where a document was found; a document may live at several paths."""

    __tablename__ = "document_sources"

    path: Mapped[str] = mapped_column(String(2048), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PageRow(Base):
    """Where each page sits in the document text, so offsets map back to pages."""

    __tablename__ = "pages"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    # "text_layer", "text" (a text file), an OCR engine and version ("tesseract 5.3.0"), or "none"
    text_source: Mapped[str] = mapped_column(String(64), server_default="text_layer")
    ocr_confidence: Mapped[float | None] = mapped_column(Float)  # mean, 0 to 1; NULL unless OCR'd
    flag: Mapped[str | None] = mapped_column(String(512))  # why a person should check it (low OCR confidence…)


class ChunkRow(Base):
    """A chunk's id is its FAISS vector id."""

    __tablename__ = "chunks"
    __table_args__ = (UniqueConstraint("document_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    page_start: Mapped[int] = mapped_column(Integer)
    page_end: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(512))
    n_tokens: Mapped[int] = mapped_column(Integer)


class EmbeddingRow(Base):
    """The vector of a chunk under one model, so the index can be rebuilt without re-embedding."""

    __tablename__ = "embeddings"

    chunk_id: Mapped[int] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    index_version: Mapped[int | None] = mapped_column(Integer)  # the first index version that held it

    __table_args__ = (Index("ix_embeddings_model_chunk", "model_id", "chunk_id"),)


class RunRow(Base):
    """One row per pipeline run: when, what, the outcome and its counts."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16))
    trigger: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON)
    counts: Mapped[dict] = mapped_column(JSON)
    index_version: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    dag_id: Mapped[str | None] = mapped_column(String(250))
    dag_run_id: Mapped[str | None] = mapped_column(String(250), index=True)


class AuditRow(Base):
    """One row per Airflow DAG run: who asked, why, with what, and how it ended.

    Written by the plugin's listener; compliance reads it with SQL.
    """

    __tablename__ = "audit"
    __table_args__ = (UniqueConstraint("dag_id", "dag_run_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    dag_id: Mapped[str] = mapped_column(String(250))
    dag_run_id: Mapped[str] = mapped_column(String(250))
    run_type: Mapped[str] = mapped_column(String(32))
    requested_by: Mapped[str | None] = mapped_column(String(256))
    reason: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict] = mapped_column(JSON)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)


class ErasureRow(Base):
    """A document erased on request: its id, hash and the reason, never its content."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(Id)
    sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(256))
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))


class QuarantineRow(Base):
    """A file that could not be used, with the reason, so nothing is lost silently."""

    __tablename__ = "quarantine"
    __table_args__ = (UniqueConstraint("path", "sha256"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(String(2048), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(512))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ModelRow(Base):
    """Every model that produced a stored result: what it is, where it came from, its license."""

    __tablename__ = "models"

    model_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(256))
    path: Mapped[str | None] = mapped_column(String(2048))
    sha256: Mapped[str | None] = mapped_column(String(64))
    license: Mapped[str | None] = mapped_column(String(128))
    package: Mapped[str | None] = mapped_column(String(128))
    package_version: Mapped[str | None] = mapped_column(String(64))
    first_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SummaryRow(Base):
    """A document summary; one version per (content, model, prompt), older versions are kept."""

    __tablename__ = "summaries"
    __table_args__ = (UniqueConstraint("document_sha256", "model_id", "prompt_hash"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    backend: Mapped[str] = mapped_column(String(32))
    model_id: Mapped[str] = mapped_column(ForeignKey("models.model_id"))
    prompt_hash: Mapped[str] = mapped_column(String(64))
    strategy: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    # The model's draft before verify-and-repair changed it (null when not verified).
    draft_text: Mapped[str | None] = mapped_column(Text)
    sentences: Mapped[list] = mapped_column(JSON)
    supporting_chunk_ids: Mapped[list] = mapped_column(JSON)
    groundedness: Mapped[float] = mapped_column(Float)
    n_unsupported: Mapped[int] = mapped_column(Integer)
    tokens_in: Mapped[int] = mapped_column(Integer)
    tokens_out: Mapped[int] = mapped_column(Integer)
    latency_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SummarySupportRow(Base):
    """Which chunk (and so which pages) supports each sentence of a summary: lineage for SQL."""

    __tablename__ = "summary_support"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summaries.id", ondelete="CASCADE"), index=True)
    sentence_index: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    supported: Mapped[bool] = mapped_column(Boolean)
    similarity: Mapped[float] = mapped_column(Float)
    chunk_id: Mapped[int | None] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), index=True)
    page_start: Mapped[int | None] = mapped_column(Integer)
    page_end: Mapped[int | None] = mapped_column(Integer)
    # Verify-and-repair: kept, repaired, replaced or dropped, and the sentence as drafted (null: not verified).
    action: Mapped[str | None] = mapped_column(String(16))
    draft_sentence: Mapped[str | None] = mapped_column(Text)


class SearchRow(Base):
    """A semantic search whose hits were saved for analysts to join in SQL."""

    __tablename__ = "searches"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    query: Mapped[str] = mapped_column(Text)
    k: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str | None] = mapped_column(String(16))
    model_id: Mapped[str] = mapped_column(String(256))
    index_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    filters: Mapped[dict | None] = mapped_column(JSON)  # document, doc_type, section, since, per_document


class SearchHitRow(Base):
    __tablename__ = "search_hits"

    search_id: Mapped[int] = mapped_column(ForeignKey("searches.id", ondelete="CASCADE"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    chunk_id: Mapped[int] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)


class QuestionRow(Base):
    """A question put to ``docanalysis ask``: who asked, with which filters, over which index version."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    filters: Mapped[dict] = mapped_column(JSON)  # domain, document, doc_type, section, since, per_document
    k: Mapped[int] = mapped_column(Integer)
    requested_by: Mapped[str | None] = mapped_column(String(256))
    embedding_model_id: Mapped[str] = mapped_column(String(256))
    index_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnswerRow(Base):
    """An answer to a question; it quotes or paraphrases the documents its sentences cite, so it is
    erased with any of them, and so is its question (which may name the patient or party)."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    backend: Mapped[str] = mapped_column(String(32))  # extractive, llama_cpp, openai
    model_id: Mapped[str] = mapped_column(ForeignKey("models.model_id"))
    prompt_hash: Mapped[str] = mapped_column(String(64))  # empty for the extractive path
    text: Mapped[str] = mapped_column(Text)
    groundedness: Mapped[float] = mapped_column(Float)
    n_unsupported: Mapped[int] = mapped_column(Integer)
    latency_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnswerSentenceRow(Base):
    """One sentence of an answer and the source span that backs it: chunk, document, page, offsets."""

    __tablename__ = "answer_sentences"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    sentence_index: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    supported: Mapped[bool] = mapped_column(Boolean)
    similarity: Mapped[float] = mapped_column(Float)
    chunk_id: Mapped[int | None] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    page: Mapped[int | None] = mapped_column(Integer)
    char_start: Mapped[int | None] = mapped_column(Integer)  # the best-matching span in documents.text
    char_end: Mapped[int | None] = mapped_column(Integer)


class SentimentRow(Base):
    """Sentiment of one chunk, or of the whole document when ``chunk_id`` is null."""

    __tablename__ = "sentiments"
    __table_args__ = (UniqueConstraint("document_sha256", "chunk_ordinal", "model_id", "prompt_hash"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    chunk_id: Mapped[int | None] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), index=True)
    chunk_ordinal: Mapped[int] = mapped_column(Integer)  # -1 for the document as a whole
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    backend: Mapped[str] = mapped_column(String(32))
    model_id: Mapped[str] = mapped_column(ForeignKey("models.model_id"))
    prompt_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    latency_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobFailureRow(Base):
    """A document an analysis job could not process, with the one-line reason; cleared on success.

    One row per (content, job, model, prompt): ``attempts`` counts the runs that tried, and a
    document is not tried again once it reaches ``job_max_attempts`` (``--force`` tries anyway).
    """

    __tablename__ = "job_failures"
    __table_args__ = (UniqueConstraint("document_sha256", "job", "model_id", "prompt_hash"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    job: Mapped[str] = mapped_column(String(32))
    model_id: Mapped[str] = mapped_column(String(256))
    prompt_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(512))
    attempts: Mapped[int] = mapped_column(Integer)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))


class ExtractionRow(Base):
    """One extract-job result per (content, extractor, field catalogue): its facts hang off it,
    so a document that yields no fact still counts as done."""

    __tablename__ = "extractions"
    __table_args__ = (UniqueConstraint("document_sha256", "model_id", "prompt_hash"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    document_sha256: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    backend: Mapped[str] = mapped_column(String(32))  # "rules" or "llm"
    model_id: Mapped[str] = mapped_column(ForeignKey("models.model_id"))  # the extractor (and LLM) id
    prompt_hash: Mapped[str] = mapped_column(String(64))  # field catalogue (and prompt) hash
    extractor: Mapped[str] = mapped_column(String(64))  # contract_rules, judgment_rules, clinical_rules, none
    extractor_version: Mapped[str] = mapped_column(String(32))
    n_facts: Mapped[int] = mapped_column(Integer)
    n_rejected: Mapped[int] = mapped_column(Integer)
    n_failed: Mapped[int] = mapped_column(Integer)
    latency_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # written with the extraction in one transaction; removed with it by the database's cascade
    facts: Mapped[list[FactRow]] = relationship(cascade="all", passive_deletes=True, lazy="raise")
    problems: Mapped[list[ExtractionProblemRow]] = relationship(cascade="all", passive_deletes=True, lazy="raise")


class FactRow(Base):
    """One extracted value with its evidence: ``documents.text[char_start:char_end]``."""

    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # contract, clause, judgment, clinical
    field: Mapped[str] = mapped_column(String(64), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)  # 1, 2, ... among the document's facts of this field
    value: Mapped[str] = mapped_column(Text)  # normalised: ISO date, ISO 8601 period, jurisdiction, yes/no
    raw: Mapped[str | None] = mapped_column(Text)  # the value as written, inside the evidence
    evidence: Mapped[str | None] = mapped_column(Text)  # NULL only for a clause's "no"
    char_start: Mapped[int | None] = mapped_column(Integer)
    char_end: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    chunk_id: Mapped[int | None] = mapped_column(ForeignKey("chunks.id", ondelete="SET NULL"), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    historical: Mapped[bool] = mapped_column(Boolean, default=False)
    family: Mapped[bool] = mapped_column(Boolean, default=False)
    # the attributes analysts filter on, as columns (the same SQL on SQLite and PostgreSQL)
    role: Mapped[str | None] = mapped_column(String(128))  # a party's role: Licensor, Tenant...
    dose: Mapped[str | None] = mapped_column(String(64))
    route: Mapped[str | None] = mapped_column(String(64))
    frequency: Mapped[str | None] = mapped_column(String(64))
    section: Mapped[str | None] = mapped_column(String(512))  # the heading the evidence sits under
    attributes: Mapped[dict] = mapped_column(JSON)  # every attribute the extractor gave, as it gave them


class ExtractionProblemRow(Base):
    """A field the extractor attempted but stored no value for, and why (failed or rejected)."""

    __tablename__ = "extraction_problems"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    problem: Mapped[str] = mapped_column(String(16))  # "failed" or "rejected"
    reason: Mapped[str] = mapped_column(String(512))
    value: Mapped[str | None] = mapped_column(Text)  # the refused value, for a person to judge


ResultRow = SummaryRow | SentimentRow | ExtractionRow
"""A row of a job's result table: keyed by (document_sha256, model_id, prompt_hash)."""


def schema_ddl(dialect: str = "postgresql") -> str:
    """The schema as DDL, for readers of ``sql/schema.sql`` (a test keeps that file current)."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    engine_dialect = {"postgresql": postgresql.dialect(), "sqlite": sqlite.dialect()}[dialect]
    parts = ["-- Generated from analysis/store/schema.py: python -m analysis.store.schema > sql/schema.sql"]
    for table in Base.metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=engine_dialect)).strip() + ";")
        indexes = sorted(table.indexes, key=lambda ix: ix.name or "")
        parts.extend(str(CreateIndex(ix).compile(dialect=engine_dialect)).strip() + ";" for ix in indexes)
    return "\n".join(line.rstrip() for line in "\n\n".join(parts).splitlines()) + "\n"


if __name__ == "__main__":
    print(schema_ddl(), end="")
