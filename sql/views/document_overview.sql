-- One row per document: where it came from, what it is, how its pages were read (how many by OCR,
-- how many flagged for a person to check), its latest summary and overall sentiment.
CREATE VIEW document_overview AS
SELECT
    d.id AS document_id,
    d.sha256,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    d.title,
    d.domain,
    d.doc_type,
    d.kind,
    d.language,
    d.n_pages,
    (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id AND p.text_source NOT IN ('text_layer', 'text', 'none'))
        AS n_pages_ocr,
    (SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id AND p.flag IS NOT NULL) AS n_pages_flagged,
    d.created_at AS stored_at,
    sm.id AS summary_id,
    sm.text AS summary,
    sm.backend AS summary_backend,
    sm.model_id AS summary_model_id,
    sm.prompt_hash AS summary_prompt_hash,
    sm.groundedness,
    sm.created_at AS summarized_at,
    se.label AS sentiment,
    se.score AS sentiment_score,
    se.model_id AS sentiment_model_id,
    se.created_at AS sentiment_at
FROM documents d
LEFT JOIN (
    SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.document_id ORDER BY x.created_at DESC, x.id DESC) AS pick
    FROM summaries x
) sm ON sm.document_id = d.id AND sm.pick = 1
LEFT JOIN (
    SELECT y.*, ROW_NUMBER() OVER (PARTITION BY y.document_id ORDER BY y.created_at DESC, y.id DESC) AS pick
    FROM sentiments y
    WHERE y.chunk_id IS NULL
) se ON se.document_id = d.id AND se.pick = 1
