-- Every fact of each document's latest extraction, one row each, with its evidence: the text at
-- documents.text[char_start:char_end], its page and chunk, and the extractor that read it.
-- Fields the extractor attempted but left empty, and why, are in extraction_problems_open.
CREATE VIEW document_facts AS
SELECT
    d.id AS document_id,
    d.domain,
    d.doc_type,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    f.id AS fact_id,
    f.kind,
    f.field,
    f.ordinal,
    f.value,
    f.raw,
    f.role,
    f.dose,
    f.route,
    f.frequency,
    f.negated,
    f.uncertain,
    f.historical,
    f.family,
    f.section,
    f.page,
    f.chunk_id,
    f.char_start,
    f.char_end,
    f.evidence,
    f.confidence,
    x.id AS extraction_id,
    x.backend,
    x.extractor,
    x.extractor_version,
    x.model_id AS extractor_id,
    x.run_id
FROM extractions x
JOIN documents d ON d.id = x.document_id
JOIN facts f ON f.extraction_id = x.id
WHERE x.id = (
        SELECT x2.id FROM extractions x2
        WHERE x2.document_id = x.document_id
        ORDER BY x2.created_at DESC, x2.id DESC
        LIMIT 1
    )
