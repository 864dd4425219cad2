-- Files that could not be used, grouped by why, with one example path each.
SELECT
    stage,
    reason,
    COUNT(*) AS files,
    MIN(path) AS example_path
FROM quarantined_files
GROUP BY stage, reason
ORDER BY files DESC, stage, reason
