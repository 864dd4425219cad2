-- What verify-and-repair changed: each drafted sentence that was not stored as the model wrote it,
-- the sentence stored in its place (none when dropped), and the chunk and pages that support it.
CREATE VIEW summary_repairs AS
SELECT
    ss.summary_id,
    sm.document_id,
    (SELECT MIN(ds.path) FROM document_sources ds WHERE ds.document_id = sm.document_id) AS path,
    sm.model_id,
    ss.sentence_index,
    ss.action,
    ss.draft_sentence,
    CASE WHEN ss.action = 'dropped' THEN NULL ELSE ss.sentence END AS stored_sentence,
    ss.chunk_id,
    ss.page_start,
    ss.page_end
FROM summary_support ss
JOIN summaries sm ON sm.id = ss.summary_id
WHERE ss.action IN ('repaired', 'replaced', 'dropped', 'added')
