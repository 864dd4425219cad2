-- One row per clinical fact from each note's latest extraction: problems, medications (dose,
-- route, frequency), allergies ('NKDA' for none known), procedures, follow-up and the note date,
-- with ConText assertion flags (negated, uncertain, historical, family) and the evidence's page.
CREATE VIEW clinical_facts AS
SELECT
    d.id AS document_id,
    d.title,
    d.doc_type,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    f.field AS fact_type,
    f.value,
    f.dose,
    f.route,
    f.frequency,
    f.negated,
    f.uncertain,
    f.historical,
    f.family,
    f.section,
    f.page,
    f.raw,
    f.evidence,
    f.char_start,
    f.char_end,
    f.chunk_id,
    f.confidence,
    x.id AS extraction_id,
    x.model_id AS extractor_id
FROM extractions x
JOIN documents d ON d.id = x.document_id
JOIN facts f ON f.extraction_id = x.id AND f.kind = 'clinical'
WHERE x.id = (
        SELECT x2.id FROM extractions x2
        WHERE x2.document_id = x.document_id
        ORDER BY x2.created_at DESC, x2.id DESC
        LIMIT 1
    )
