-- Files that could not be used, with the stage that refused them and why.
CREATE VIEW quarantined_files AS
SELECT
    q.id AS quarantine_id,
    q.path,
    q.sha256,
    q.size_bytes,
    q.stage,
    q.reason,
    q.run_id,
    q.created_at AS quarantined_at
FROM quarantine q
