"""The library's configuration, built from Airflow's connection and variable, then the environment.

Precedence: the ``docanalysis_db`` connection (the database, and settings in its extra),
then the ``docanalysis_settings`` variable (a JSON object of settings), then
``DOCANALYSIS_*`` environment variables and the TOML file, as for the CLI.
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


def _connection_settings(metastore: bool) -> dict[str, Any]:
    from airflow.sdk import BaseHook, Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        if metastore:
            conn = BaseHook.get_connection(CONNECTION_ID)
        else:
            raw = os.environ.get(f"AIRFLOW_CONN_{CONNECTION_ID.upper()}")
            if not raw:
                return {}
            conn = (
                Connection.from_json(raw, conn_id=CONNECTION_ID)
                if raw.lstrip().startswith("{")
                else Connection.from_uri(raw, conn_id=CONNECTION_ID)
            )
    except AirflowNotFoundException:
        return {}
    except Exception as exc:  # outside a task (the listener) the lookup may be unavailable
        log.debug("connection %s unavailable here: %s", CONNECTION_ID, exc)
        return {}
    settings = {k: v for k, v in (conn.extra_dejson or {}).items() if k != "sqlalchemy_url"}
    return {**settings, "db_url": database_url_from_connection(conn)}


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
