"""The DAG tests: the project's DAGs, and a store and source folder per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def dagbag(airflow_db: Path) -> Any:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(str(REPO / "dags"))


@pytest.fixture
def docanalysis_env(
    any_config: Any, sample_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Tasks build their configuration from the environment: point it at this test's store.

    The sample corpus is copied, so a test may change its files.
    """
    import shutil

    inbox = tmp_path / "inbox"
    shutil.copytree(sample_corpus, inbox)
    monkeypatch.setenv("DOCANALYSIS_HOME", str(any_config.home))
    monkeypatch.setenv("DOCANALYSIS_SOURCES", str(inbox))
    monkeypatch.setenv("DOCANALYSIS_BATCH_SIZE", "32")
    if any_config.db_url:
        monkeypatch.setenv("DOCANALYSIS_DB_URL", any_config.db_url.get_secret_value())
    else:
        monkeypatch.delenv("DOCANALYSIS_DB_URL", raising=False)
    from analysis.config import Config

    yield Config.load()
