-- Judgments disposed of as outcome ('dismissed', 'allowed', 'affirmed', 'reversed', 'remanded'
-- or 'partly allowed'): which court, when, between whom, and the page of the disposition.
SELECT
    document_id,
    path,
    court,
    decision_date,
    appellant,
    respondent,
    outcome,
    outcome_page
FROM judgment_facts
WHERE outcome = :outcome
ORDER BY decision_date, document_id
