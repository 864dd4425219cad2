"""What Airflow loads from plugins/: the listener that writes the audit trail to the store."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from docanalysis_airflow import audit_listener


class DocAnalysisPlugin(AirflowPlugin):
    """Every run of a docanalysis DAG gets an audit row: who, why, with what, and the outcome."""

    name = "docanalysis"
    listeners = [audit_listener]
