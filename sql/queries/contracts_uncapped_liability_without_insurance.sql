-- Contracts with uncapped liability and no insurance clause: the clause that leaves liability
-- uncapped, and its page.
SELECT
    u.document_id,
    u.path,
    u.page AS uncapped_liability_page,
    u.evidence AS uncapped_liability_clause
FROM clause_flags u
JOIN clause_flags i ON i.document_id = u.document_id AND i.category = 'insurance'
WHERE u.category = 'uncapped_liability'
  AND u.present = 'yes'
  AND i.present = 'no'
ORDER BY u.document_id
