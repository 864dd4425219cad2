-- Discharge summaries that list the drug drug (e.g. 'warfarin') together with a diagnosis like
-- diagnosis (a LIKE pattern, e.g. '%bleed%'), neither negated nor about a relative, with the
-- page of each.
SELECT
    m.document_id,
    m.path,
    m.value AS medication,
    m.dose,
    m.frequency,
    m.page AS medication_page,
    p.value AS diagnosis,
    p.page AS diagnosis_page
FROM clinical_facts m
JOIN clinical_facts p ON p.document_id = m.document_id
WHERE m.doc_type = 'discharge_summary'
  AND m.fact_type = 'medication'
  AND LOWER(m.value) = LOWER(:drug)
  AND NOT m.negated
  AND p.fact_type = 'problem'
  AND LOWER(p.value) LIKE LOWER(:diagnosis)
  AND NOT p.negated
  AND NOT p.family
ORDER BY m.document_id, p.value, m.page, p.page
