"""The library's configuration, built from Airflow's connections and variable, then the environment.

Precedence: the ``docanalysis_db`` connection (the database, and settings in its extra) and the
``docanalysis_index`` connection (credentials for ``index_url``), then the
``docanalysis_settings`` variable (a JSON object of settings), then ``DOCANALYSIS_*``
environment variables and the TOML file, as for the CLI.
Deployment settings that Airflow needs when it parses the DAG files (schedule, queue)
come from the environment only, so parsing never queries the metadata database.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from analysis.config import ENV_PREFIX, MAX_MAP_LENGTH, Config, OneLineErrors

log = logging.getLogger(__name__)

CONNECTION_ID = "docanalysis_db"
INDEX_CONNECTION_ID = "docanalysis_index"
SETTINGS_VARIABLE = "docanalysis_settings"

# Pools: sized by the init step (dags/pools.json); faiss_index has one slot, so one index writer.
GPU_POOL = "gpu"
INDEX_POOL = "faiss_index"
LLM_POOL = "llm"


class DeploymentSettings(OneLineErrors):
    """What Airflow needs while it parses the DAG files: from the environment only, never the metastore."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, frozen=True, extra="forbid")

    nightly_schedule: str = Field("0 2 * * *", description="cron schedule of the nightly DAG")
    maintenance_schedule: str = Field("0 4 * * 0", description="cron schedule of the maintenance DAG")
    embed_queue: str = Field(
        "default", description="Celery queue of the embedding tasks (`gpu` in the compose cluster)"
    )
    task_retries: int = Field(2, ge=0, description="retries per task")
    # Embedding and jobs are mapped over this many shards (ids modulo shards): the most that run at once.
    shards: int = Field(4, ge=1, le=MAX_MAP_LENGTH, description="mapped embedding, summary and sentiment tasks per run")

    @classmethod
    def setting_name(cls, field: str) -> str:
        return f"{ENV_PREFIX}{field.upper()}"  # the environment is the only place these are set


DEPLOYMENT = DeploymentSettings()
NIGHTLY_SCHEDULE = DEPLOYMENT.nightly_schedule
MAINTENANCE_SCHEDULE = DEPLOYMENT.maintenance_schedule
EMBED_QUEUE = DEPLOYMENT.embed_queue
TASK_RETRIES = DEPLOYMENT.task_retries
SHARDS = DEPLOYMENT.shards

_SQLALCHEMY_DRIVERS = {"postgres": "postgresql+psycopg", "postgresql": "postgresql+psycopg"}


def docanalysis_config(*, metastore: bool = True) -> Config:
    """The configuration a task (or the listener) works with.

    ``metastore=False`` reads the connection and variable from the environment only
    (``AIRFLOW_CONN_DOCANALYSIS_DB``, ``AIRFLOW_VAR_DOCANALYSIS_SETTINGS``): the listener runs
    inside the scheduler, where a metastore lookup would close the scheduler's own session.
    """
    overrides: dict[str, Any] = {}
    overrides.update(_variable_settings(metastore))
    overrides.update(_connection_settings(metastore))
    overrides.update(_index_connection_settings(metastore))
    return Config.load(**overrides)


def database_url_from_connection(conn: Any) -> str:
    """A SQLAlchemy URL from an Airflow connection (postgres or sqlite, or ``sqlalchemy_url`` in extra)."""
    extra = conn.extra_dejson or {}
    if extra.get("sqlalchemy_url"):
        return str(extra["sqlalchemy_url"])
    if conn.conn_type == "sqlite":
        return f"sqlite:///{conn.host}"
    from sqlalchemy.engine import URL

    driver = _SQLALCHEMY_DRIVERS.get(conn.conn_type, conn.conn_type)
    return URL.create(
        driver,
        username=conn.login or None,
        password=conn.password or None,
        host=conn.host or None,
        port=conn.port or None,
        database=conn.schema or None,
    ).render_as_string(hide_password=False)


def storage_options_from_connection(conn: Any) -> dict[str, Any]:
    """fsspec (s3fs) storage options from an Airflow ``aws`` connection: login is the access key id,
    password the secret; extra may hold ``endpoint_url`` (or ``service_config.s3.endpoint_url``),
    ``region_name`` and ``aws_session_token``. Empty values are left out."""
    extra = conn.extra_dejson or {}
    s3_config = (extra.get("service_config") or {}).get("s3") or {}
    endpoint = extra.get("endpoint_url") or s3_config.get("endpoint_url")
    options: dict[str, Any] = {
        "key": conn.login or None,
        "secret": conn.password or None,
        "token": extra.get("aws_session_token") or None,
        "endpoint_url": endpoint or None,
    }
    if extra.get("region_name"):
        options["client_kwargs"] = {"region_name": extra["region_name"]}
    return {key: value for key, value in options.items() if value is not None}


def _get_connection(conn_id: str, metastore: bool) -> Any:
    """The connection, or None where there is none (or no lookup is possible here)."""
    from airflow.sdk import BaseHook, Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        if metastore:
            return BaseHook.get_connection(conn_id)
        raw = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
        if not raw:
            return None
        if raw.lstrip().startswith("{"):
            return Connection.from_json(raw, conn_id=conn_id)
        return Connection.from_uri(raw, conn_id=conn_id)
    except AirflowNotFoundException:
        return None
    except Exception as exc:  # outside a task (the listener) the lookup may be unavailable
        log.debug("connection %s unavailable here: %s", conn_id, type(exc).__name__)
        return None


def _connection_settings(metastore: bool) -> dict[str, Any]:
    conn = _get_connection(CONNECTION_ID, metastore)
    if conn is None:
        return {}
    settings = {k: v for k, v in (conn.extra_dejson or {}).items() if k != "sqlalchemy_url"}
    return {**settings, "db_url": database_url_from_connection(conn)}


def _index_connection_settings(metastore: bool) -> dict[str, Any]:
    """The object store's credentials for ``index_url``, as a secret setting (never logged)."""
    conn = _get_connection(INDEX_CONNECTION_ID, metastore)
    options = storage_options_from_connection(conn) if conn is not None else {}
    return {"index_storage_options": json.dumps(options)} if options else {}


def _variable_settings(metastore: bool) -> dict[str, Any]:
    from airflow.sdk import Variable

    try:
        if metastore:
            raw = Variable.get(SETTINGS_VARIABLE, default=None)
        else:
            raw = os.environ.get(f"AIRFLOW_VAR_{SETTINGS_VARIABLE.upper()}")
    except Exception as exc:
        log.debug("variable %s unavailable here: %s", SETTINGS_VARIABLE, exc)
        return {}
    if raw in (None, ""):
        return {}
    settings = raw if isinstance(raw, dict) else json.loads(raw)
    if not isinstance(settings, dict):
        raise ValueError(f"variable {SETTINGS_VARIABLE} must hold a JSON object of settings")
    return settings
