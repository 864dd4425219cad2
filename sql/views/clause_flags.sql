-- One row per contract and clause category (CUAD's names, snake_case), from the contract's latest
-- extraction: present 'yes' with the clause as evidence and its page, or 'no' (no evidence).
CREATE VIEW clause_flags AS
SELECT
    d.id AS document_id,
    d.title,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    f.field AS category,
    f.value AS present,
    f.page,
    f.evidence,
    f.char_start,
    f.char_end,
    f.chunk_id,
    f.confidence,
    x.id AS extraction_id,
    x.model_id AS extractor_id
FROM extractions x
JOIN documents d ON d.id = x.document_id
JOIN facts f ON f.extraction_id = x.id AND f.kind = 'clause'
WHERE x.id = (
        SELECT x2.id FROM extractions x2
        WHERE x2.document_id = x.document_id
        ORDER BY x2.created_at DESC, x2.id DESC
        LIMIT 1
    )
