"""The extract job through the real pipeline: verified facts with evidence, cached like summaries,
an LLM's unsupported answers refused, and no document able to fail the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chat_endpoint import chat_endpoint, prompt_of
from click.testing import CliRunner
from hostile_files import LAO_MARKS
from sqlalchemy import text

from analysis.cli import main
from analysis.config import Config
from analysis.embed import Embedder
from analysis.pipeline import run_pipeline
from analysis.samples import make_document, write_text
from analysis.store import Store

KINDS = ("services_agreement", "lease", "court_opinion", "discharge_summary")


def _corpus(src: Path) -> dict[str, object]:
    src.mkdir()
    docs = {}
    for kind in KINDS:
        doc = make_document(kind, seed=11)
        write_text(doc, src / f"{kind}.txt")
        docs[kind] = doc
    return docs


def _facts(store: Store, sql: str, **params: object) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


@pytest.mark.slow
def test_facts_are_stored_with_evidence_cached_and_forced(
    any_config: Config, tmp_path: Path, embedder: Embedder
) -> None:
    src = tmp_path / "src"
    docs = _corpus(src)
    (src / "marks.txt").write_text("Agreement. " + LAO_MARKS * 50 + "\n", encoding="utf-8")  # nothing to read

    first = run_pipeline([src], config=any_config, embedder=embedder, jobs=["extract"])
    assert first.status == "succeeded"
    assert first.counts["extractions_written"] == 5 and not first.counts["extractions_failed"]
    assert first.counts["facts_written"] > 20

    store = Store(any_config.database_url)
    try:
        terms = _facts(store, "SELECT * FROM contract_terms ORDER BY path")
        assert [Path(t["path"]).name for t in terms] == ["lease.txt", "services_agreement.txt"]
        for row in terms:
            truth = docs[Path(row["path"]).stem].truth
            assert row["governing_law"] == truth["governing_law"]
            assert row["governing_law_page"] == 1
        judgment = _facts(store, "SELECT * FROM judgment_facts")
        assert [j["outcome"] for j in judgment] == [docs["court_opinion"].truth["outcome"]]
        meds = _facts(store, "SELECT value FROM clinical_facts WHERE fact_type = 'medication'")
        assert meds
        with store.engine.connect() as conn:
            extractions = conn.execute(text("SELECT id, extractor FROM extractions ORDER BY id")).all()
        assert len(extractions) == 5
        assert {"clinical_rules", "contract_rules", "judgment_rules"} <= {e for _, e in extractions}

        again = run_pipeline([src], config=any_config, embedder=embedder, jobs=["extract"])
        assert again.counts["extractions_written"] == 0, "a document already extracted is not read again"

        forced = run_pipeline([src], config=any_config, embedder=embedder, jobs=["extract"], force=True)
        assert forced.counts["extractions_written"] == 5
        with store.engine.connect() as conn:
            after = conn.execute(text("SELECT id FROM extractions")).all()
            orphans = conn.execute(
                text("SELECT COUNT(*) FROM facts WHERE extraction_id NOT IN (SELECT id FROM extractions)")
            ).scalar()
        assert len(after) == 5 and {i for (i,) in after}.isdisjoint({i for i, _ in extractions})
        assert orphans == 0, "--force replaces an extraction with its facts"
    finally:
        store.close()


def _contract_answers(body: dict) -> tuple[int, str]:
    """An endpoint that states the governing law (supported), invents a party (quoting a sentence
    that is not in the document), answers one group of clauses in prose and finds no other clause."""
    prompt = prompt_of(body)
    if "- anti_assignment:" in prompt:
        return 200, "Sure! Here are the clauses: anti-assignment yes"  # not the JSON asked for
    facts = []
    if "governing_law" in prompt:
        law = next((line for line in prompt.splitlines() if "governed by" in line), None)
        if law:
            facts.append({"field": "governing_law", "value": law, "quote": law})
        facts.append({"field": "party", "value": "Globex Corporation", "quote": "Globex Corporation signs."})
    return 200, json.dumps({"facts": facts})


@pytest.mark.slow
def test_llm_answers_go_through_the_same_verification(tmp_path: Path, embedder: Embedder) -> None:
    src = tmp_path / "src"
    src.mkdir()
    doc = make_document("services_agreement", seed=5)
    write_text(doc, src / "msa.txt")
    with chat_endpoint(_contract_answers) as (base_url, bodies):
        config = Config(
            home=tmp_path / "home",
            batch_size=32,
            extract_backend="llm",
            llm_backend="openai",
            llm_base_url=base_url,
            llm_model="fake",
            llm_retries=0,
            redact_outbound="never",
        )
        report = run_pipeline([src], config=config, embedder=embedder, jobs=["extract"])
    assert report.status == "succeeded", report
    assert bodies and all(b["response_format"]["type"] == "json_schema" for b in bodies)
    assert report.counts["facts_rejected"] >= 1
    store = Store(config.database_url)
    try:
        facts = _facts(store, "SELECT field, value FROM document_facts WHERE kind = 'contract'")
        problems = _facts(store, "SELECT field, problem, reason FROM extraction_problems_open")
    finally:
        store.close()
    assert {"field": "party", "value": "Globex Corporation"} not in facts
    assert any(p["field"] == "party" and "not in the document" in p["reason"] for p in problems)
    (failed,) = [p for p in problems if p["problem"] == "failed"]
    assert failed["field"].startswith("termination_for_convenience..") and "not the JSON asked for" in failed["reason"]
    assert report.counts["fact_fields_failed"] == 1
    store = Store(config.database_url)
    try:
        flags = {r["category"]: r["present"] for r in _facts(store, "SELECT category, present FROM clause_flags")}
    finally:
        store.close()
    assert "anti_assignment" not in flags, "a clause group the model did not answer is unknown, not 'no'"
    assert flags["insurance"] == "no"
    if doc.truth.get("governing_law"):
        assert {"field": "governing_law", "value": doc.truth["governing_law"]} in facts


@pytest.mark.slow
def test_the_local_model_extracts_through_a_json_grammar(tmp_path: Path, embedder: Embedder) -> None:
    """The packaged SmolLM2 answers under a llama.cpp grammar: whatever it says, only verified
    values are stored and the run succeeds."""
    src = tmp_path / "src"
    src.mkdir()
    write_text(make_document("nda", seed=2), src / "nda.txt")
    config = Config(home=tmp_path / "home", batch_size=32, extract_backend="llm", llm_max_tokens=200)
    report = run_pipeline([src], config=config, embedder=embedder, jobs=["extract"])
    assert report.status == "succeeded" and report.counts["extractions_written"] == 1
    store = Store(config.database_url)
    try:
        rows = _facts(
            store,
            "SELECT f.char_start, f.char_end, f.evidence, d.text FROM facts f JOIN documents d ON d.id = f.document_id"
            " WHERE f.evidence IS NOT NULL",
        )
        (extraction,) = _facts(store, "SELECT backend, extractor, model_id FROM extractions")
    finally:
        store.close()
    assert extraction["backend"] == "llm" and extraction["extractor"] == "contract_llm"
    assert extraction["model_id"].startswith("llama_cpp:")
    assert all(r["text"][r["char_start"] : r["char_end"]] == r["evidence"] for r in rows)


@pytest.mark.slow
def test_cli_facts_prints_values_with_pages(tmp_path: Path) -> None:
    src, home = tmp_path / "src", tmp_path / "home"
    docs = _corpus(src)
    runner = CliRunner()
    ran = runner.invoke(main, ["--home", str(home), "run", "--no-progress", "--jobs", "extract", str(src)])
    assert ran.exit_code == 0, ran.output
    assert "facts from 4 documents" in ran.output

    shown = runner.invoke(main, ["--home", str(home), "facts", "--evidence", str(src / "lease.txt")])
    assert shown.exit_code == 0, shown.output
    law = docs["lease"].truth["governing_law"]
    assert f"governing_law: {law} [p. 1]" in shown.output
    assert "clause:" in shown.output and '"' in shown.output

    status = runner.invoke(main, ["--home", str(home), "status"])
    assert "facts (" in status.output and "clinical:" in status.output

    for bad in ("999", str(src / "nowhere.txt")):
        missing = runner.invoke(main, ["--home", str(home), "facts", bad])
        assert missing.exit_code != 0 and "Traceback" not in missing.output
        assert len(missing.output.strip().splitlines()) == 1, missing.output
