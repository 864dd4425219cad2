"""The sample generator must give realistic, varied, reproducible documents and honest bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from analysis.samples import KINDS, SampleDocument, generate_corpus, make_document, write_pdf, write_text

EXPECTED_HEADINGS = {
    "services_agreement": (
        "MASTER SERVICES AGREEMENT",
        "RECITALS",
        "ARTICLE 1. DEFINITIONS",
        "ARTICLE 2. SERVICES",
        "Section 2.1 Statements of Work.",
        "IN WITNESS WHEREOF",
    ),
    "nda": ("MUTUAL NON-DISCLOSURE AGREEMENT", "1. DEFINITIONS", "1.1 Confidential Information.", "(a) ", "(b) "),
    "lease": (
        "COMMERCIAL LEASE AGREEMENT",
        "BASIC LEASE INFORMATION",
        "ARTICLE 1. PREMISES",
        "ARTICLE 3. RENT",
        "3.1 Base Rent.",
    ),
    "court_opinion": (
        "IN THE COURT OF APPEALS OF THE STATE OF",
        "OPINION",
        "I. ",
        "II. STANDARD OF REVIEW",
        "III. DISCUSSION",
        "A. ",
        "IV. CONCLUSION",
    ),
    "discharge_summary": (
        "DISCHARGE SUMMARY",
        "ADMISSION DIAGNOSIS:",
        "DISCHARGE DIAGNOSES:",
        "CHIEF COMPLAINT:",
        "HISTORY OF PRESENT ILLNESS:",
        "PAST MEDICAL HISTORY:",
        "MEDICATIONS ON ADMISSION:",
        "ALLERGIES:",
        "PHYSICAL EXAMINATION ON ADMISSION:",
        "HOSPITAL COURSE:",
        "DISCHARGE MEDICATIONS:",
        "FOLLOW-UP:",
    ),
    "progress_note": ("PROGRESS NOTE", "SUBJECTIVE:", "OBJECTIVE:", "ASSESSMENT:", "PLAN:"),
    "radiology_report": ("EXAM:", "TECHNIQUE:", "COMPARISON:", "FINDINGS:", "IMPRESSION:"),
}
LONG_KINDS = ("services_agreement", "court_opinion")


def _normalize(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _distinctive_sentence(doc: SampleDocument) -> str:
    """Twelve words from the document's longest line, skipping a possible bold label at its start."""
    longest = max(doc.text.split("\n"), key=len)
    return " ".join(longest.split()[4:16])


def test_kinds_are_the_seven_legal_then_medical() -> None:
    assert KINDS[:4] == ("services_agreement", "nda", "lease", "court_opinion")
    assert set(KINDS[4:]) == {"discharge_summary", "progress_note", "radiology_report"}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_headings_at_line_start(kind: str, seed: int) -> None:
    doc = make_document(kind, seed=seed)
    assert doc.kind == kind and doc.seed == seed
    assert doc.domain == ("legal" if KINDS.index(kind) < 4 else "medical")
    for heading in EXPECTED_HEADINGS[kind]:
        assert re.search(rf"^{re.escape(heading)}", doc.text, re.MULTILINE), heading
    if kind == "radiology_report":
        assert re.search(r"^(CLINICAL HISTORY|INDICATION):", doc.text, re.MULTILINE)
    if kind == "court_opinion":
        assert re.search(r"^(I\. BACKGROUND|I\. FACTUAL AND PROCEDURAL BACKGROUND)$", doc.text, re.MULTILINE)


@pytest.mark.parametrize("kind", KINDS)
def test_text_is_latin1_paragraphed_and_sized_like_real_documents(kind: str) -> None:
    for seed in range(10):
        doc = make_document(kind, seed=seed)
        doc.text.encode("latin-1")  # fpdf2 core fonts cannot draw anything else
        assert "\n\n" in doc.text and "\n\n\n" not in doc.text
        assert "{" not in doc.text and "}" not in doc.text, "unfilled template placeholder"
        words = len(doc.text.split())
        assert 120 <= words <= 2600, (seed, words)
        if kind in LONG_KINDS:
            assert words >= 900, (seed, words)


def test_legal_documents_cite_sections_with_the_section_sign() -> None:
    texts = [make_document(kind, seed=seed).text for kind in KINDS[:4] for seed in range(6)]
    assert sum("§" in text for text in texts) >= 6


def test_same_seed_same_text_and_different_seeds_differ() -> None:
    for kind in KINDS:
        assert make_document(kind, seed=7) == make_document(kind, seed=7)
        assert make_document(kind, seed=7).text != make_document(kind, seed=8).text


@pytest.mark.parametrize("kind", KINDS)
def test_many_seeds_give_distinct_documents(kind: str) -> None:
    docs = [make_document(kind, seed=seed) for seed in range(60)]
    assert len({doc.title for doc in docs}) >= 50
    assert len({doc.text for doc in docs}) == 60


def test_kinds_do_not_share_facts_for_one_seed() -> None:
    first_party = make_document("services_agreement", seed=3).title.split(": ")[1].split(" and ")[0]
    assert first_party not in make_document("nda", seed=3).text


def test_pdf_is_byte_identical_for_the_same_document(tmp_path: Path) -> None:
    doc = make_document("lease", seed=11)
    assert write_pdf(doc, tmp_path / "a.pdf").read_bytes() == write_pdf(doc, tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_round_trips_through_pypdf(kind: str, tmp_path: Path) -> None:
    doc = make_document(kind, seed=5)
    path = write_pdf(doc, tmp_path / f"{kind}.pdf")
    assert path.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) <= 5
    assert _normalize(_distinctive_sentence(doc)) in _normalize(_pdf_text(path))


def test_long_documents_span_several_pages(tmp_path: Path) -> None:
    path = write_pdf(make_document("services_agreement", seed=1), tmp_path / "msa.pdf")
    assert len(PdfReader(path).pages) >= 3


def test_write_text_is_utf8_with_trailing_newline(tmp_path: Path) -> None:
    doc = make_document("court_opinion", seed=2)
    path = write_text(doc, tmp_path / "nested" / "opinion.txt")
    assert path.read_bytes() == (doc.text + "\n").encode("utf-8")


def test_demo_corpus_with_bad_files(tmp_path: Path) -> None:
    paths = generate_corpus(tmp_path / "corpus", include_bad=True)
    assert len(paths) == 14 + 4
    assert all(path.exists() for path in paths)
    good, bad = paths[:14], paths[14:]
    assert [p.name for p in bad] == ["encrypted.pdf", "corrupt.pdf", "empty.txt", "scanned.pdf"]
    assert all(p.parent == tmp_path / "corpus" / "bad" for p in bad)
    assert {p.suffix for p in good} == {".pdf", ".txt"}
    for path in good:
        assert re.fullmatch(r"(legal|medical)-[a-z_]+-\d{4}\.(pdf|txt)", path.name), path.name
    assert sorted({p.name.split("-")[1] for p in good}) == sorted(KINDS)
    # The pdf and txt of one kind are different documents.
    nda_txt = next(p for p in good if "-nda-" in p.name and p.suffix == ".txt").read_text(encoding="utf-8")
    nda_pdf = next(p for p in good if "-nda-" in p.name and p.suffix == ".pdf")
    preamble = nda_txt.split("\n\n")[1]
    assert _normalize(preamble)[:120] not in _normalize(_pdf_text(nda_pdf))


def test_bad_files_fail_the_way_an_ingester_must_detect(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    generate_corpus(tmp_path, n=0, include_bad=True)
    encrypted = PdfReader(bad / "encrypted.pdf")
    assert encrypted.is_encrypted
    assert encrypted.decrypt("secret")  # a real document behind the password
    assert "NON-DISCLOSURE" in encrypted.pages[0].extract_text()
    corrupt = bad / "corrupt.pdf"
    assert corrupt.read_bytes().startswith(b"%PDF-")  # looks like a PDF until parsed
    for strict in (False, True):
        with pytest.raises(PdfReadError):
            PdfReader(corrupt, strict=strict)
    assert (bad / "empty.txt").stat().st_size == 0
    scanned = PdfReader(bad / "scanned.pdf")
    assert len(scanned.pages) >= 1
    assert not (scanned.pages[0].extract_text() or "").strip()


def test_sized_corpus_cycles_kinds_and_formats_and_is_reproducible(tmp_path: Path) -> None:
    first = generate_corpus(tmp_path / "one", n=9, seed=42, include_bad=True)
    second = generate_corpus(tmp_path / "two", n=9, seed=42, include_bad=True)
    names = [p.name for p in first[:9]]
    assert names[0] == "legal-services_agreement-0000.pdf"
    assert names[1] == "legal-nda-0001.txt"
    assert names[7] == "legal-services_agreement-0007.txt"
    assert names == [p.name for p in second[:9]]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate_corpus(tmp_path / "three", n=2, seed=43)
    assert other[1].read_bytes() != first[1].read_bytes()


def test_unknown_kind_and_format_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="valid kinds: services_agreement, nda"):
        make_document("invoice", seed=0)
    with pytest.raises(ValueError, match="valid formats"):
        generate_corpus(tmp_path, n=1, formats=("docx",))
    with pytest.raises(ValueError):
        generate_corpus(tmp_path, n=-1)
