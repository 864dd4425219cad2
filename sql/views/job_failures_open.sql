-- Documents an analysis job could not process, with the one-line reason; a row disappears when a later run succeeds.
CREATE VIEW job_failures_open AS
SELECT
    f.id AS failure_id,
    f.document_id,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = f.document_id) AS path,
    d.domain,
    d.doc_type,
    f.job,
    f.model_id,
    f.prompt_hash,
    f.reason,
    f.attempts,
    f.first_seen_at,
    f.last_seen_at,
    f.last_run_id
FROM job_failures f
JOIN documents d ON d.id = f.document_id
