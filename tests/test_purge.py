"""`docanalysis purge`: no trace of an erased document in the database, the index or the home folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from analysis.cli import main
from analysis.config import Config
from analysis.index import IndexStore
from analysis.samples import make_document, write_text
from analysis.store import Store
from analysis.store.schema import Base, ChunkRow, DocumentRow, EmbeddingRow, ErasureRow

pytestmark = pytest.mark.slow  # every test here runs the pipeline

MARKER = "Quillon Vasterbrook-Ambry"


def _cli(config: Config, *args: str) -> str:
    result = CliRunner().invoke(main, ["--home", str(config.home), "--db-url", config.database_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _rows_mentioning(store: Store, needle: str) -> list[str]:
    found = []
    with store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                for value in row:
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    if needle in text:
                        found.append(table.name)
    return found


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_purge_leaves_no_trace(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    db_url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    config = Config(home=tmp_path / "home", db_url=db_url)
    src = tmp_path / "src"
    src.mkdir()
    note = make_document("discharge_summary", seed=3).text
    secret = src / "secret.txt"
    secret.write_text(f"Discharge summary for {MARKER}.\n\n{note}\n\n{MARKER} was discharged home.\n")
    write_text(make_document("nda", seed=4), src / "nda.txt")
    _cli(config, "run", "--no-progress", "--jobs", "summarize,sentiment", str(src))
    _cli(config, "search", "--save", "patient discharged home", "-k", "3")  # hits on the document
    assert f"{MARKER} was discharged home." in _cli(config, "ask", f"Was {MARKER} discharged home?")  # quoted

    with Store(config.database_url) as store, store.session() as s:
        document_id, sha256 = s.execute(
            select(DocumentRow.id, DocumentRow.sha256).where(DocumentRow.text.contains(MARKER))
        ).one()
        chunk_ids = select(ChunkRow.id).where(ChunkRow.document_id == document_id)
        vectors = list(s.scalars(select(EmbeddingRow.vector).where(EmbeddingRow.chunk_id.in_(chunk_ids))))
        assert vectors and {"documents", "questions", "answers", "answer_sentences"} <= set(
            _rows_mentioning(store, MARKER)
        )

    out = _cli(config, "purge", "--document", str(document_id), "--reason", "patient request (GDPR art. 17)")
    assert "erased 1 document(s)" in out

    with Store(config.database_url) as store:
        assert _rows_mentioning(store, MARKER) == []
        with store.session() as s:
            erasure = s.scalars(select(ErasureRow)).one()
            assert (erasure.document_id, erasure.sha256) == (document_id, sha256)
            assert erasure.reason == "patient request (GDPR art. 17)"
            assert s.scalar(select(DocumentRow.id).where(DocumentRow.id == document_id)) is None
    versions = sorted((config.index_dir / "versions").iterdir())
    assert len(versions) == 1, "older index versions still hold the erased vectors"
    index = IndexStore(config.index_dir).load()
    assert index is not None and index.count > 0
    for path in config.home.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert MARKER.encode() not in content, f"{path} still holds the erased text"
            assert not any(v in content for v in vectors), f"{path} still holds an erased vector"

    out = _cli(config, "run", "--no-progress", "--jobs", "none", str(src))  # the file is still in the inbox
    with Store(config.database_url) as store:
        assert "documents" not in _rows_mentioning(store, MARKER), "an erased document came back"
