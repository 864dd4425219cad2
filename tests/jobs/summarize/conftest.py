from __future__ import annotations

import pytest

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs.summarize.summarizers import DocumentForSummary
from analysis.pipeline import run_pipeline
from analysis.samples import make_document, write_text
from analysis.store import Store


@pytest.fixture(scope="module")
def lease(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> DocumentForSummary:
    """A generated lease, ingested and embedded by the real pipeline."""
    root = tmp_path_factory.mktemp("summarize")
    (root / "src").mkdir()
    write_text(make_document("lease", seed=21), root / "src" / "lease.txt")
    config = Config(home=root / "home")
    run_pipeline([root / "src"], config=config, embedder=embedder, jobs=())
    store = Store(config.database_url)
    document, chunks = store.document_for_jobs(1, embedder.model_id)
    store.close()
    return DocumentForSummary(document.id, document.sha256, document.domain, document.doc_type, document.text, chunks)
