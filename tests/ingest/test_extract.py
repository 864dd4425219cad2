from __future__ import annotations

import codecs
import dataclasses
import random
from pathlib import Path

import pytest

from analysis.errors import ExtractionError
from analysis.ingest.discover import fingerprint
from analysis.ingest.extract import extract_document
from analysis.samples import make_document, write_pdf


def _extract(path: Path, kind: str):
    return extract_document(fingerprint(path, kind))


def test_pdf_pages_keep_their_numbers(tmp_path: Path) -> None:
    doc = make_document("court_opinion", seed=3)
    path = write_pdf(doc, tmp_path / "opinion.pdf")
    parsed = _extract(path, "pdf")
    assert len(parsed.pages) >= 2
    assert [p.number for p in parsed.pages] == list(range(1, len(parsed.pages) + 1))
    for page, (start, end) in zip(parsed.pages, parsed.page_spans):
        assert parsed.text[start:end] == page.text
        assert parsed.page_at(start) == page.number
    assert parsed.parser == "pypdf"


def test_text_files_decode_utf8_and_windows_1252(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Patient reports café visits.\r\nPLAN: rest", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("Tenant’s obligations – see § 4".encode("cp1252"))
    a = _extract(tmp_path / "a.txt", "text")
    assert a.text == "Patient reports café visits.\nPLAN: rest"
    b = _extract(tmp_path / "b.txt", "text")
    assert b.text == "Tenant’s obligations – see § 4"


@pytest.mark.parametrize(
    ("encoded", "codec"),
    [
        ("Ärztlicher Befund: keine akute Pathologie.".encode("utf-16"), "UTF-16 with its byte order mark"),
        (codecs.BOM_UTF16_BE + "Ärztlicher Befund.".encode("utf-16-be"), "UTF-16 big-endian with its mark"),
        ("Ärztlicher Befund.".encode("utf-32"), "UTF-32 with its mark"),
        (codecs.BOM_UTF8 + "Ärztlicher Befund.".encode(), "UTF-8 with a mark"),
        ("Ärztlicher Befund.".encode("latin-1"), "Latin-1 (read as Windows-1252)"),
        ("Ärztlicher Befund.".encode("utf-16-le"), "UTF-16 without a mark"),
    ],
)
def test_text_encodings_are_decoded_by_their_mark_or_their_bytes(tmp_path: Path, encoded: bytes, codec: str) -> None:
    (tmp_path / "note.txt").write_bytes(encoded)
    assert _extract(tmp_path / "note.txt", "text").text.startswith("Ärztlicher Befund"), codec


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n  ", "no extractable text"),
        ("garbage.txt", bytes(range(256)) * 4, "binary content"),
        ("corrupt.pdf", b"%PDF-1.7\n" + bytes(range(7, 250)) * 20, "PDF"),
        ("notapdf.pdf", b"hello, I am not a PDF at all", "not a PDF (no %PDF- header"),
        ("random.pdf", random.Random(1).randbytes(5000), "not a PDF"),
        ("random.txt", random.Random(2).randbytes(5000).replace(b"\0", b"\1"), "binary content"),
        ("cjk-utf16-no-mark.txt", "診療記録：異常なし。".encode("utf-16-le") * 8, "binary content"),
        ("controls.txt", b"ok\x01\x02\x03\x1b" * 100, "binary content"),
    ],
)
def test_unusable_files_give_a_one_line_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as info:
        _extract(path, "pdf" if name.endswith(".pdf") else "text")
    assert reason in info.value.reason
    assert "\n" not in info.value.reason


def test_encrypted_and_textless_pdfs_are_refused(sample_corpus: Path) -> None:
    with pytest.raises(ExtractionError, match="encrypted"):
        _extract(sample_corpus / "bad" / "encrypted.pdf", "pdf")
    with pytest.raises(ExtractionError, match="no extractable text"):
        _extract(sample_corpus / "bad" / "scanned.pdf", "pdf")
    with pytest.raises(ExtractionError, match="PDF"):
        _extract(sample_corpus / "bad" / "corrupt.pdf", "pdf")


def test_extraction_runs_under_a_time_limit(tmp_path: Path) -> None:
    """pypdf can spin on hostile files: a document that takes too long is refused, not waited for."""
    doc = make_document("services_agreement", seed=4)
    long_doc = dataclasses.replace(doc, text="\n\n".join([doc.text] * 8))  # parsing outlasts a busy CI's timer
    path = write_pdf(long_doc, tmp_path / "msa.pdf")
    with pytest.raises(ExtractionError, match="took longer than 0.001 s to parse"):
        extract_document(fingerprint(path, "pdf"), timeout_s=0.001)
    assert len(extract_document(fingerprint(path, "pdf"), timeout_s=30).pages) >= 3


@pytest.mark.parametrize("engine", ["pypdf", "pypdfium2"])
def test_both_pdf_engines_give_the_same_words(tmp_path: Path, engine: str) -> None:
    doc = make_document("lease", seed=8)
    path = write_pdf(doc, tmp_path / "lease.pdf")
    parsed = extract_document(fingerprint(path, "pdf"), pdf_engine=engine)
    assert parsed.parser == engine
    reference = extract_document(fingerprint(path, "pdf"), pdf_engine="pypdf")
    words, expected = parsed.text.split(), reference.text.split()
    assert len(parsed.pages) == len(reference.pages)
    shared = len(set(words) & set(expected)) / len(set(expected))
    assert shared > 0.97, shared


def test_pdfium_refuses_what_pypdf_refuses(sample_corpus: Path) -> None:
    with pytest.raises(ExtractionError, match="encrypted"):
        extract_document(fingerprint(sample_corpus / "bad" / "encrypted.pdf", "pdf"), pdf_engine="pypdfium2")
    with pytest.raises(ExtractionError, match="no extractable text"):
        extract_document(fingerprint(sample_corpus / "bad" / "scanned.pdf", "pdf"), pdf_engine="pypdfium2")
    with pytest.raises(ExtractionError, match="PDF"):  # PDFium cannot open it; pypdf says why
        extract_document(fingerprint(sample_corpus / "bad" / "corrupt.pdf", "pdf"), pdf_engine="pypdfium2")


def test_a_file_that_vanishes_or_changes_after_fingerprinting_is_refused(tmp_path: Path) -> None:
    """The stored text must be the text of the content hashed: a file written to meanwhile waits a run."""
    path = tmp_path / "note.txt"
    path.write_text("The first version of the note.")
    source = fingerprint(path, "text")
    path.write_text("A second version, written while the run was going.")
    with pytest.raises(ExtractionError, match="file changed while it was being ingested"):
        extract_document(source)
    path.unlink()
    with pytest.raises(ExtractionError, match="file disappeared before it could be parsed"):
        extract_document(source)
