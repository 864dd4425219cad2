-- One row per Airflow DAG run, refused ones included: who, why, with what, and the outcome.
CREATE VIEW audit_trail AS
SELECT
    a.id AS audit_id,
    a.dag_id,
    a.dag_run_id,
    a.run_type,
    a.requested_by,
    a.reason,
    a.started_at,
    a.finished_at,
    a.outcome,
    a.error,
    a.run_id,
    r.status AS run_status
FROM audit a
LEFT JOIN runs r ON r.id = a.run_id
