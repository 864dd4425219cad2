"""Safe by default: secrets never reach logs or messages; no SQL is built from strings."""

from __future__ import annotations

import ast
import json
import logging
import threading
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import LargeBinary, Text, select
from sqlalchemy.engine import make_url

from analysis.cli import main
from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import IndexStorageRefusedError
from analysis.pipeline import run_pipeline
from analysis.samples import make_document, write_text
from analysis.store import Store
from analysis.store.engine import VACUUM_CONTENT_TABLES
from analysis.store.schema import Base, RunRow

REPO = Path(__file__).resolve().parents[1]
DB_PASSWORD = "pw-S3cret-91x"
API_KEY = "sk-SECRET-4d1e77"
S3_SECRET = "s3-SECRET-6b2f0c51"  # the object store's secret key, from the environment
S3_OPTION_SECRET = "s3-OPTION-SECRET-93aa1e"  # the same, as storage options (the Airflow connection's way)
SQL_CALLS = {"text", "exec_driver_sql", "execute"}


def _built_from_strings(node: ast.expr) -> bool:
    """An f-string, concatenation or format call, unless every piece is a quoted identifier."""
    if isinstance(node, ast.JoinedStr):
        return any(
            not (isinstance(v.value, ast.Call) and getattr(v.value.func, "attr", "") == "quote_identifier")
            for v in node.values
            if isinstance(v, ast.FormattedValue)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "format"


def _sql_built_from_strings() -> list[str]:
    offenders = []
    for folder in ("analysis", "plugins", "dags"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in SQL_CALLS and _built_from_strings(node.args[0]):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return offenders


def test_no_sql_is_built_from_strings() -> None:
    # in a fresh thread: CPython 3.11.7's ast.parse can fail on a deep caller stack (gh-106905)
    result: list[list[str]] = []
    scan = threading.Thread(target=lambda: result.append(_sql_built_from_strings()))
    scan.start()
    scan.join()
    assert result == [[]]


def test_erasure_vacuums_every_table_that_holds_content() -> None:
    keeps_no_document_content = {"runs", "audit", "erasures", "models", "searches"}
    holding = {
        table.name
        for table in Base.metadata.sorted_tables
        if any(isinstance(c.type, (Text, LargeBinary)) for c in table.columns) or "document_id" in table.columns
    }
    vacuumed = set(VACUUM_CONTENT_TABLES.removeprefix("VACUUM ").replace(" ", "").split(","))
    assert holding - keeps_no_document_content <= vacuumed


def test_the_configuration_never_shows_its_secrets() -> None:
    config = Config(db_url=f"postgresql+psycopg://u:{DB_PASSWORD}@db/x", llm_api_key=API_KEY)
    assert DB_PASSWORD not in repr(config) and API_KEY not in repr(config)


@pytest.mark.postgres
def test_secrets_stay_out_of_logs_messages_and_rows(
    postgres_url: str,
    llama_server: str,
    s3_environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    embedder: Embedder,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    import fsspec

    # the server trusts local connections, so any password is accepted: a real secret in a real URL
    url = make_url(postgres_url).set(password=DB_PASSWORD).render_as_string(hide_password=False)
    # the index on a real S3-compatible server (moto's, on loopback), signed with a secret key
    for name, value in {**s3_environment, "AWS_SECRET_ACCESS_KEY": S3_SECRET}.items():
        monkeypatch.setenv(name, value)
    fsspec.AbstractFileSystem.clear_instance_cache()
    bucket = f"secrets-{uuid.uuid4().hex[:8]}"
    fsspec.filesystem("s3", skip_instance_cache=True).mkdir(bucket)
    src = tmp_path / "src"
    src.mkdir()
    write_text(make_document("discharge_summary", seed=8), src / "note.txt")
    config = Config(
        home=tmp_path / "home",
        index_url=f"s3://{bucket}/index",
        db_url=url,
        jobs="summarize",
        summary_backend="llm",
        summary_input_tokens=300,
        llm_backend="openai",
        llm_base_url=llama_server,
        llm_model="local",
        llm_api_key=API_KEY,
        llm_max_tokens=24,
    )
    caplog.set_level(logging.DEBUG)
    report = run_pipeline([src], config=config, embedder=embedder)
    assert report.counts["summaries_written"] == 1

    # the endpoint down (nothing listens on port 9), then the database unreachable: messages name no secret
    down = Config(**{**config.__dict__, "llm_base_url": "http://127.0.0.1:9/v1", "llm_retries": 0})
    run_pipeline([src], config=down, embedder=embedder, force=True)
    unreachable = make_url(url).set(port=9).render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "h2"), "--db-url", unreachable, "status"])
    assert result.exit_code != 0 and "cannot reach the database" in result.output
    assert len(result.output.strip().splitlines()) == 1

    # the object store refusing (no such bucket), with the credentials as storage options: in a run, then the CLI
    options = json.dumps({"key": "docanalysis-test", "secret": S3_OPTION_SECRET})
    missing = f"s3://no-such-bucket-{uuid.uuid4().hex[:8]}/index"
    refused = config.replace(index_url=missing, index_storage_options=options)
    with pytest.raises(IndexStorageRefusedError):
        run_pipeline([src], config=refused, embedder=embedder, force=True)
    rebuild = CliRunner().invoke(
        main,
        ["--home", str(tmp_path / "h3"), "--db-url", url, "index", "rebuild"],
        env={"DOCANALYSIS_INDEX_URL": missing, "DOCANALYSIS_INDEX_STORAGE_OPTIONS": options},
    )
    assert rebuild.exit_code != 0 and "the bucket does not exist" in rebuild.output
    assert len(rebuild.output.strip().splitlines()) == 1

    with Store(postgres_url) as store, store.session() as s:
        rows = [repr((r.params, r.error, r.counts)) for r in s.scalars(select(RunRow))]
    captured = capfd.readouterr()
    logged = [r.getMessage() for r in caplog.records]
    everything = "\n".join([*logged, captured.out, captured.err, result.output, rebuild.output, *rows])
    assert "endpoint is unavailable" in everything  # the failure was logged ...
    assert "the bucket does not exist" in everything and "published index version 1" in everything
    for secret in (DB_PASSWORD, API_KEY, S3_SECRET, S3_OPTION_SECRET):
        assert secret not in everything  # ... without the secrets
