-- Saved semantic searches and their ranked hits, ready to join with document_overview.
CREATE VIEW search_results AS
SELECT
    s.id AS search_id,
    s.query,
    s.domain AS domain_filter,
    s.filters,
    s.model_id,
    s.index_version,
    s.created_at AS searched_at,
    h.rank,
    h.score,
    h.chunk_id,
    h.document_id,
    c.section,
    c.page_start,
    c.page_end
FROM searches s
JOIN search_hits h ON h.search_id = s.id
JOIN chunks c ON c.id = h.chunk_id
