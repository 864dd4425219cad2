-- The documents behind a saved semantic search (`docanalysis search --save`), best hit first,
-- with each document's summary and sentiment.
-- Parameter query: the search text as it was saved
SELECT
    r.rank,
    r.score,
    o.title,
    o.doc_type,
    r.page_start,
    r.page_end,
    o.sentiment,
    o.summary
FROM search_results r
JOIN document_overview o ON o.document_id = r.document_id
WHERE r.search_id = (SELECT MAX(search_id) FROM search_results WHERE query = :query)
ORDER BY r.rank
