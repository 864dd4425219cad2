-- Fields each document's latest extraction attempted but stored no value for: 'failed' (the
-- extractor raised; the one-line reason) or 'rejected' (the value was not supported by its
-- evidence, and the refused value), so nothing is lost silently.
CREATE VIEW extraction_problems_open AS
SELECT
    d.id AS document_id,
    d.doc_type,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    p.field,
    p.problem,
    p.reason,
    p.value,
    x.id AS extraction_id,
    x.model_id AS extractor_id,
    x.run_id
FROM extractions x
JOIN documents d ON d.id = x.document_id
JOIN extraction_problems p ON p.extraction_id = x.id
WHERE x.id = (
        SELECT x2.id FROM extractions x2
        WHERE x2.document_id = x.document_id
        ORDER BY x2.created_at DESC, x2.id DESC
        LIMIT 1
    )
