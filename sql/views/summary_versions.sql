-- Every summary version beside the one before it, so a changed model or prompt can be compared.
CREATE VIEW summary_versions AS
SELECT
    v.id AS summary_id,
    v.document_id,
    v.document_sha256,
    v.backend,
    v.model_id,
    v.prompt_hash,
    v.strategy,
    v.groundedness,
    v.text AS summary,
    v.created_at,
    ROW_NUMBER() OVER (PARTITION BY v.document_id ORDER BY v.created_at, v.id) AS version,
    LAG(v.id) OVER (PARTITION BY v.document_id ORDER BY v.created_at, v.id) AS previous_summary_id,
    LAG(v.model_id) OVER (PARTITION BY v.document_id ORDER BY v.created_at, v.id) AS previous_model_id,
    LAG(v.prompt_hash) OVER (PARTITION BY v.document_id ORDER BY v.created_at, v.id) AS previous_prompt_hash,
    LAG(v.groundedness) OVER (PARTITION BY v.document_id ORDER BY v.created_at, v.id) AS previous_groundedness,
    LAG(v.text) OVER (PARTITION BY v.document_id ORDER BY v.created_at, v.id) AS previous_summary
FROM summaries v
