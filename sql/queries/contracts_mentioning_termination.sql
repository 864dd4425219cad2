-- Contracts whose latest summary mentions termination, with the pages that support each such sentence.
SELECT
    o.document_id,
    o.title,
    o.doc_type,
    o.path,
    e.sentence_index,
    e.sentence,
    e.supported,
    e.page_start,
    e.page_end
FROM document_overview o
JOIN summary_evidence e ON e.summary_id = o.summary_id
WHERE o.domain = 'legal'
  AND o.doc_type <> 'court_opinion'
  AND LOWER(e.sentence) LIKE '%terminat%'
ORDER BY o.document_id, e.sentence_index, e.page_start
