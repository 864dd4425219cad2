"""Shared fixtures: the model loads once per session; each test gets its own home folder."""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from analysis.config import Config  # noqa: E402
from analysis.embed import Embedder, load_embedder  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EVAL_DIR = REPO.parent / "shared" / "eval"
POSTGRES_ENV = "DOCANALYSIS_TEST_POSTGRES_URL"

# Airflow, for the DAG, plugin and live tests: a private AIRFLOW_HOME with a SQLite metadata
# database and the project's dags/ and plugins/ folders. Set before anything imports airflow,
# which reads its configuration once, on import.
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


# The fast lane (`pytest -m "not slow"`) leaves out what loads a model, runs the pipeline, starts
# Airflow or a server: every test using one of these fixtures, or under one of these folders, is
# marked slow here; tests that do such work without a fixture carry @pytest.mark.slow themselves.
SLOW_FIXTURES = frozenset(
    {
        "embedder",
        "sample_corpus",
        "analysed_config",
        "llama_server",
        "gguf_path",
        "airflow_db",
        "airflow_postgres_url",
        "s3_server",
    }
)
SLOW_FOLDERS = frozenset({"dags", "live"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        folders = set(item.path.relative_to(REPO / "tests").parts[:-1])
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or SLOW_FOLDERS & folders:
            item.add_marker(pytest.mark.slow)


def eval_text_files(sub: str) -> list[Path]:
    """The .txt files of one ../shared/eval folder; skips with the reason when it is absent."""
    folder = EVAL_DIR / sub
    if not folder.is_dir():
        pytest.skip(f"evaluation data not present at {folder} (../shared/eval relative to the repo)")
    files = sorted(folder.glob("*.txt"))
    if not files:
        pytest.skip(f"no .txt files in {folder}")
    return files


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder(batch_size=32)


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus (every kind as PDF and text) plus files that must be quarantined."""
    from analysis.samples import generate_corpus

    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(out, include_bad=True)
    return out


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set; .ci/run sets it so PostgreSQL tests never skip in CI")
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return url


@contextlib.contextmanager
def _fresh_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the real server, dropped (connections and all) afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def fresh_postgres_database(postgres_server_url: str) -> Callable[[str], contextlib.AbstractContextManager[str]]:
    """For fixtures of a wider scope: ``with fresh_postgres_database(prefix) as url`` (test modules
    must not import this file: a second copy would point Airflow at a second, empty home)."""
    return functools.partial(_fresh_database, postgres_server_url)


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the real server for one test's results store."""
    with _fresh_database(postgres_server_url, "docanalysis_test") as url:
        yield url


@pytest.fixture
def airflow_postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A second fresh database, for Airflow's metadata in the live tests."""
    with _fresh_database(postgres_server_url, "airflow_live") as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def analysed_config(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path, embedder: Embedder
) -> Iterator[Config]:
    """The sample corpus through the whole pipeline (jobs included), on SQLite and on PostgreSQL,
    plus what the SQL layer reports on: two on-demand requests (one refused) and a saved search.
    Built once per session for each database: the tests that use it only read it."""
    from analysis.pipeline import run_pipeline
    from analysis.search import search_chunks
    from analysis.store import open_store

    home = tmp_path_factory.mktemp("analysed")
    with contextlib.ExitStack() as stack:
        db_url = None
        if request.param == "postgres":
            server = request.getfixturevalue("postgres_server_url")
            db_url = stack.enter_context(_fresh_database(server, "docanalysis_sql"))
        config = Config(home=home, db_url=db_url, batch_size=32)
        run_pipeline([sample_corpus], config=config, embedder=embedder)
        store = open_store(config)
        try:
            for run_id, who, reason, outcome in (
                ("manual__1", "c.lee", "TICKET-2041", "success"),
                ("manual__2", "r.patel", "TICKET-2077", "failed"),
            ):
                store.open_audit(
                    dag_id="document_analysis_on_demand",
                    dag_run_id=run_id,
                    run_type="manual",
                    requested_by=who,
                    reason=reason,
                    params={"requested_by": who, "reason": reason},
                    started_at=None,
                )
                store.close_audit(
                    dag_id="document_analysis_on_demand", dag_run_id=run_id, outcome=outcome, finished_at=None
                )
        finally:
            store.close()
        search_chunks("termination for convenience", k=5, config=config, embedder=embedder, save=True)
        yield config


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Embedded defaults (SQLite in a fresh home folder), small batches."""
    return Config(home=tmp_path / "home", batch_size=32)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_config(request: pytest.FixtureRequest, tmp_path: Path) -> Config:
    """The same test against SQLite and against the real PostgreSQL server."""
    if request.param == "sqlite":
        return Config(home=tmp_path / "home", batch_size=32)
    url = request.getfixturevalue("postgres_url")
    return Config(home=tmp_path / "home", db_url=url, batch_size=32)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3-compatible server (moto's, in its own process) on 127.0.0.1; yields its endpoint URL.

    Tests point botocore at it with ``AWS_ENDPOINT_URL`` and any key pair (it checks none unless
    told to, see ``/moto-api/reset-auth``); each test makes its own bucket.
    """
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path_factory.mktemp("moto") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto server did not start (see {log.name})")
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
def s3_environment(s3_server: str) -> dict[str, str]:
    """The standard AWS variables that point botocore at ``s3_server`` (set them with monkeypatch);
    no profile file and no instance metadata are read, so nothing leaves the machine."""
    return {
        "AWS_ENDPOINT_URL": s3_server,
        "AWS_ACCESS_KEY_ID": "docanalysis-test",
        "AWS_SECRET_ACCESS_KEY": "docanalysis-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@pytest.fixture(scope="session")
def gguf_path() -> Path:
    from analysis.jobs.llm import packaged_gguf_path

    return packaged_gguf_path()


@pytest.fixture(scope="session")
def llama_server(gguf_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real OpenAI-compatible server (llama_cpp.server with SmolLM2) on 127.0.0.1."""
    from analysis.jobs.llm.local_server import serve_gguf

    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with serve_gguf(gguf_path, log_path=log) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Airflow's metadata database (SQLite), migrated once per session."""
    subprocess.run(
        [str(Path(sys.executable).parent / "airflow"), "db", "migrate"],
        check=True,
        capture_output=True,
        env={**os.environ, **AIRFLOW_ENV},
        timeout=600,
    )
    return AIRFLOW_HOME
