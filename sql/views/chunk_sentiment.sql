-- Sentiment of each chunk, with the section and pages it came from (no chunk text).
CREATE VIEW chunk_sentiment AS
SELECT
    se.id AS sentiment_id,
    se.document_id,
    d.domain,
    d.doc_type,
    c.id AS chunk_id,
    c.ordinal AS chunk_ordinal,
    c.section,
    c.page_start,
    c.page_end,
    se.label,
    se.score,
    se.confidence,
    se.backend,
    se.model_id,
    se.prompt_hash,
    se.run_id,
    se.created_at
FROM sentiments se
JOIN chunks c ON c.id = se.chunk_id
JOIN documents d ON d.id = se.document_id
