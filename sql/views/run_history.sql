-- Pipeline runs, with the Airflow DAG run (and who asked, and why) behind each when there is one.
CREATE VIEW run_history AS
SELECT
    r.id AS run_id,
    r.trigger,
    r.status,
    r.started_at,
    r.finished_at,
    r.index_version,
    r.error,
    r.dag_id,
    r.dag_run_id,
    a.run_type,
    a.requested_by,
    a.reason
FROM runs r
LEFT JOIN audit a ON a.dag_id = r.dag_id AND a.dag_run_id = r.dag_run_id
