-- One row per contract (its latest extraction): one column per term, each with the page of its
-- evidence; dates are ISO (YYYY-MM-DD), periods ISO 8601 (P1Y, P30D), governing law a US state
-- or country by its full name. Parties beyond the second are in document_facts.
CREATE VIEW contract_terms AS
SELECT
    d.id AS document_id,
    d.title,
    d.doc_type,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    x.id AS extraction_id,
    x.model_id AS extractor_id,
    MAX(CASE WHEN f.field = 'document_name' AND f.ordinal = 1 THEN f.value END) AS document_name,
    MAX(CASE WHEN f.field = 'document_name' AND f.ordinal = 1 THEN f.page END) AS document_name_page,
    MAX(CASE WHEN f.field = 'party' AND f.ordinal = 1 THEN f.value END) AS party_1,
    MAX(CASE WHEN f.field = 'party' AND f.ordinal = 1 THEN f.role END) AS party_1_role,
    MAX(CASE WHEN f.field = 'party' AND f.ordinal = 2 THEN f.value END) AS party_2,
    MAX(CASE WHEN f.field = 'party' AND f.ordinal = 2 THEN f.role END) AS party_2_role,
    MIN(CASE WHEN f.field = 'party' THEN f.page END) AS parties_page,
    SUM(CASE WHEN f.field = 'party' THEN 1 ELSE 0 END) AS n_parties,
    MAX(CASE WHEN f.field = 'agreement_date' AND f.ordinal = 1 THEN f.value END) AS agreement_date,
    MAX(CASE WHEN f.field = 'agreement_date' AND f.ordinal = 1 THEN f.page END) AS agreement_date_page,
    MAX(CASE WHEN f.field = 'effective_date' AND f.ordinal = 1 THEN f.value END) AS effective_date,
    MAX(CASE WHEN f.field = 'effective_date' AND f.ordinal = 1 THEN f.page END) AS effective_date_page,
    MAX(CASE WHEN f.field = 'expiration_date' AND f.ordinal = 1 THEN f.value END) AS expiration_date,
    MAX(CASE WHEN f.field = 'expiration_date' AND f.ordinal = 1 THEN f.page END) AS expiration_date_page,
    MAX(CASE WHEN f.field = 'renewal_term' AND f.ordinal = 1 THEN f.value END) AS renewal_term,
    MAX(CASE WHEN f.field = 'renewal_term' AND f.ordinal = 1 THEN f.page END) AS renewal_term_page,
    MAX(CASE WHEN f.field = 'notice_period' AND f.ordinal = 1 THEN f.value END) AS notice_period_to_terminate_renewal,
    MAX(CASE WHEN f.field = 'notice_period' AND f.ordinal = 1 THEN f.page END) AS notice_period_to_terminate_renewal_page,
    MAX(CASE WHEN f.field = 'governing_law' AND f.ordinal = 1 THEN f.value END) AS governing_law,
    MAX(CASE WHEN f.field = 'governing_law' AND f.ordinal = 1 THEN f.page END) AS governing_law_page
FROM extractions x
JOIN documents d ON d.id = x.document_id
LEFT JOIN facts f ON f.extraction_id = x.id AND f.kind = 'contract'
WHERE x.extractor IN ('contract_rules', 'contract_llm')
  AND x.id = (
        SELECT x2.id FROM extractions x2
        WHERE x2.document_id = x.document_id
        ORDER BY x2.created_at DESC, x2.id DESC
        LIMIT 1
    )
GROUP BY d.id, d.title, d.doc_type, x.id, x.model_id
