-- One row per court judgment (its latest extraction): court, decision date (ISO), the first
-- appellant and respondent, the outcome (allowed, dismissed, affirmed, reversed, remanded,
-- partly allowed) with its page, and how many statutes it cites (each is in document_facts).
CREATE VIEW judgment_facts AS
SELECT
    d.id AS document_id,
    d.title,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    x.id AS extraction_id,
    x.model_id AS extractor_id,
    MAX(CASE WHEN f.field = 'court' AND f.ordinal = 1 THEN f.value END) AS court,
    MAX(CASE WHEN f.field = 'court' AND f.ordinal = 1 THEN f.page END) AS court_page,
    MAX(CASE WHEN f.field = 'decision_date' AND f.ordinal = 1 THEN f.value END) AS decision_date,
    MAX(CASE WHEN f.field = 'decision_date' AND f.ordinal = 1 THEN f.page END) AS decision_date_page,
    MAX(CASE WHEN f.field = 'appellant' AND f.ordinal = 1 THEN f.value END) AS appellant,
    MAX(CASE WHEN f.field = 'appellant' AND f.ordinal = 1 THEN f.page END) AS appellant_page,
    MAX(CASE WHEN f.field = 'respondent' AND f.ordinal = 1 THEN f.value END) AS respondent,
    MAX(CASE WHEN f.field = 'respondent' AND f.ordinal = 1 THEN f.page END) AS respondent_page,
    MAX(CASE WHEN f.field = 'outcome' AND f.ordinal = 1 THEN f.value END) AS outcome,
    MAX(CASE WHEN f.field = 'outcome' AND f.ordinal = 1 THEN f.page END) AS outcome_page,
    SUM(CASE WHEN f.field = 'statute' THEN 1 ELSE 0 END) AS n_statutes_cited
FROM extractions x
JOIN documents d ON d.id = x.document_id
LEFT JOIN facts f ON f.extraction_id = x.id AND f.kind = 'judgment'
WHERE x.extractor IN ('judgment_rules', 'judgment_llm')
  AND x.id = (
        SELECT x2.id FROM extractions x2
        WHERE x2.document_id = x.document_id
        ORDER BY x2.created_at DESC, x2.id DESC
        LIMIT 1
    )
GROUP BY d.id, d.title, x.id, x.model_id
