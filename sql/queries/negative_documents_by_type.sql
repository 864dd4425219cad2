-- Documents whose overall sentiment is negative, scored since a given time (say, a week ago), by type.
-- Parameter since: a timestamp
SELECT
    domain,
    doc_type,
    COUNT(*) AS documents,
    MIN(title) AS example_title
FROM document_overview
WHERE sentiment = 'negative'
  AND sentiment_at >= :since
GROUP BY domain, doc_type
ORDER BY documents DESC, domain, doc_type
