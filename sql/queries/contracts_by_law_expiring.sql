-- Contracts governed by the law parameter (e.g. 'Delaware') whose initial term expires on or after from_date
-- and before to_date (ISO dates: today and a year from today for "the next 12 months"), with
-- the pages where a person checks each value.
SELECT
    document_id,
    path,
    party_1,
    party_2,
    governing_law,
    governing_law_page,
    expiration_date,
    expiration_date_page
FROM contract_terms
WHERE governing_law = :law
  AND expiration_date >= :from_date
  AND expiration_date < :to_date
ORDER BY expiration_date, document_id
