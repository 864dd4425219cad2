-- Every question put to `docanalysis ask`, each answer and each of its sentences with the document,
-- page and character offsets that back it, and whether the grounding check found it supported.
-- A question with nothing retrieved appears once, with NULL answer columns.
CREATE VIEW answer_citations AS
SELECT
    q.id AS question_id,
    q.text AS question,
    q.filters,
    q.k,
    q.requested_by,
    q.created_at AS asked_at,
    q.index_version,
    a.id AS answer_id,
    a.backend,
    a.model_id,
    a.prompt_hash,
    a.groundedness,
    s.sentence_index,
    s.sentence,
    s.supported,
    s.similarity,
    s.document_id,
    (SELECT MIN(ds.path) FROM document_sources ds WHERE ds.document_id = s.document_id) AS path,
    s.page,
    s.char_start,
    s.char_end,
    s.chunk_id,
    c.section
FROM questions q
LEFT JOIN answers a ON a.question_id = q.id
LEFT JOIN answer_sentences s ON s.answer_id = a.id
LEFT JOIN chunks c ON c.id = s.chunk_id
