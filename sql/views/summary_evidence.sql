-- Each sentence of each summary with the chunk and pages that support it.
-- action: what verify-and-repair did to it (kept, repaired, replaced, dropped; null: not verified).
CREATE VIEW summary_evidence AS
SELECT
    ss.summary_id,
    sm.document_id,
    ss.sentence_index,
    ss.sentence,
    ss.supported,
    ss.similarity,
    ss.chunk_id,
    c.section,
    ss.page_start,
    ss.page_end,
    ss.action,
    ss.draft_sentence
FROM summary_support ss
JOIN summaries sm ON sm.id = ss.summary_id
LEFT JOIN chunks c ON c.id = ss.chunk_id
