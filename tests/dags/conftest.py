"""Airflow for the DAG tests: a private AIRFLOW_HOME with a SQLite metadata database,
the project's dags/ and plugins/ folders. Set before anything imports airflow, which
reads its configuration once, on import.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="docanalysis-airflow-"))
AIRFLOW_ENV = {
    "AIRFLOW_HOME": str(AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
    "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME / 'airflow.db'}",
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
}
os.environ.update(AIRFLOW_ENV)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The metadata database, migrated once per session."""
    subprocess.run(
        [str(Path(sys.executable).parent / "airflow"), "db", "migrate"],
        check=True,
        capture_output=True,
        env={**os.environ, **AIRFLOW_ENV},
        timeout=600,
    )
    return AIRFLOW_HOME


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
        monkeypatch.setenv("DOCANALYSIS_DB_URL", any_config.db_url)
    else:
        monkeypatch.delenv("DOCANALYSIS_DB_URL", raising=False)
    from analysis.config import Config

    yield Config.load()
