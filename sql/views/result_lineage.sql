-- Every summary sentence, sentiment row, extracted fact and answer sentence back to its source: file and hash, pages and character
-- offsets, the embedding model, the FAISS id and the index version that first held it, the model
-- and prompt that made the result, and the run (and Airflow DAG run) it came from.
CREATE VIEW result_lineage AS
SELECT
    'summary' AS result_kind,
    sm.id AS result_id,
    ss.sentence_index AS result_part,
    d.id AS document_id,
    d.sha256 AS document_sha256,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    c.id AS chunk_id,
    c.page_start,
    c.page_end,
    c.char_start,
    c.char_end,
    e.model_id AS embedding_model_id,
    e.chunk_id AS faiss_id,
    e.index_version,
    sm.model_id AS result_model_id,
    sm.prompt_hash,
    sm.run_id,
    r.dag_id,
    r.dag_run_id
FROM summaries sm
JOIN summary_support ss ON ss.summary_id = sm.id
JOIN documents d ON d.id = sm.document_id
LEFT JOIN chunks c ON c.id = ss.chunk_id
LEFT JOIN embeddings e ON e.chunk_id = c.id
LEFT JOIN runs r ON r.id = sm.run_id
UNION ALL
SELECT
    'sentiment' AS result_kind,
    se.id AS result_id,
    se.chunk_ordinal AS result_part,
    d.id AS document_id,
    d.sha256 AS document_sha256,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    c.id AS chunk_id,
    c.page_start,
    c.page_end,
    c.char_start,
    c.char_end,
    e.model_id AS embedding_model_id,
    e.chunk_id AS faiss_id,
    e.index_version,
    se.model_id AS result_model_id,
    se.prompt_hash,
    se.run_id,
    r.dag_id,
    r.dag_run_id
FROM sentiments se
JOIN documents d ON d.id = se.document_id
LEFT JOIN chunks c ON c.id = se.chunk_id
LEFT JOIN embeddings e ON e.chunk_id = c.id
LEFT JOIN runs r ON r.id = se.run_id
UNION ALL
SELECT
    'fact' AS result_kind,
    x.id AS result_id,
    f.id AS result_part,
    d.id AS document_id,
    d.sha256 AS document_sha256,
    (SELECT MIN(s.path) FROM document_sources s WHERE s.document_id = d.id) AS path,
    c.id AS chunk_id,
    COALESCE(f.page, c.page_start) AS page_start,
    COALESCE(f.page, c.page_end) AS page_end,
    f.char_start,
    f.char_end,
    e.model_id AS embedding_model_id,
    e.chunk_id AS faiss_id,
    e.index_version,
    x.model_id AS result_model_id,
    x.prompt_hash,
    x.run_id,
    r.dag_id,
    r.dag_run_id
FROM extractions x
JOIN facts f ON f.extraction_id = x.id
JOIN documents d ON d.id = x.document_id
LEFT JOIN chunks c ON c.id = f.chunk_id
LEFT JOIN embeddings e ON e.chunk_id = c.id
LEFT JOIN runs r ON r.id = x.run_id
UNION ALL
SELECT
    'answer' AS result_kind,
    a.id AS result_id,
    s.sentence_index AS result_part,
    d.id AS document_id,
    d.sha256 AS document_sha256,
    (SELECT MIN(ds.path) FROM document_sources ds WHERE ds.document_id = d.id) AS path,
    c.id AS chunk_id,
    s.page AS page_start,
    s.page AS page_end,
    s.char_start,
    s.char_end,
    e.model_id AS embedding_model_id,
    e.chunk_id AS faiss_id,
    e.index_version,
    a.model_id AS result_model_id,
    a.prompt_hash,
    NULL AS run_id,
    NULL AS dag_id,
    NULL AS dag_run_id
FROM answers a
JOIN answer_sentences s ON s.answer_id = a.id
JOIN documents d ON d.id = s.document_id
LEFT JOIN chunks c ON c.id = s.chunk_id
LEFT JOIN embeddings e ON e.chunk_id = c.id
