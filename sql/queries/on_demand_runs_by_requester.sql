-- On-demand runs: who asked, why, when, and how each ended (refused requests included).
SELECT
    requested_by,
    reason,
    started_at,
    outcome,
    run_status,
    error
FROM audit_trail
WHERE dag_id = 'document_analysis_on_demand'
ORDER BY requested_by, started_at
