-- PostgreSQL: a read-only role for analysts. It can read the views (sql/views/) and nothing
-- else: not the raw tables, which hold document and chunk text that may contain personal data,
-- and it can write nothing. Run after `docanalysis db upgrade`, as the owner of the tables:
--   psql "$DATABASE_URL" -f sql/roles.sql
--   CREATE ROLE jane LOGIN PASSWORD '...' IN ROLE docanalysis_analyst;
-- Views run with their owner's rights, so reading a view needs no right on the tables behind it.
-- Idempotent: run it again after each upgrade (an upgrade recreates the views).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'docanalysis_analyst') THEN
        CREATE ROLE docanalysis_analyst NOLOGIN;
    END IF;
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM docanalysis_analyst;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM docanalysis_analyst;
REVOKE CREATE ON SCHEMA public FROM docanalysis_analyst;
GRANT USAGE ON SCHEMA public TO docanalysis_analyst;

GRANT SELECT ON
    document_overview,
    chunk_sentiment,
    summary_evidence,
    summary_repairs,
    summary_versions,
    run_history,
    audit_trail,
    quarantined_files,
    job_failures_open,
    result_lineage,
    contract_terms,
    clause_flags,
    clinical_facts,
    judgment_facts,
    document_facts,
    extraction_problems_open,
    search_results,
    answer_citations
TO docanalysis_analyst;

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO docanalysis_analyst', current_database());
END
$$;
