"""Scanned copies of the sample PDFs: image only, reproducible to the byte, and readable back by OCR."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader

from analysis.samples import generate_corpus, make_document
from analysis.samples.generate import render_pdf
from analysis.samples.scan import (
    Degradation,
    character_error_rate,
    levenshtein,
    mixed_pdf,
    page_images,
    page_texts,
    scanned_pdf_from,
    scanned_png,
    scanned_samples,
    scanned_tiff,
)


@pytest.fixture(scope="module")
def lease() -> bytes:
    """A three-page text PDF."""
    return render_pdf(make_document("lease", seed=5))


def test_scanned_pdf_is_the_same_bytes_for_a_seed_and_differs_across_seeds(lease: bytes) -> None:
    first = scanned_pdf_from(lease, 11, pages=[0])
    assert scanned_pdf_from(lease, 11, pages=[0]) == first
    assert scanned_pdf_from(lease, 12, pages=[0]) != first
    # Pillow would write the current time; the generator's fixed date is written instead.
    assert set(re.findall(rb"D:\d{14}", first)) == {b"D:20260101000000"}


def test_scanned_pdf_has_no_text_layer(lease: bytes) -> None:
    data = scanned_pdf_from(lease, 3)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert not (page.extract_text() or "").strip()
        assert "/Font" not in page["/Resources"]
        assert list(page["/Resources"]["/XObject"].values())  # one image per page
    pdf = pdfium.PdfDocument(data)
    try:
        assert all(not pdf[i].get_textpage().get_text_range().strip() for i in range(len(pdf)))
        width, height = pdf[0].get_size()
        assert abs(width - 612) < 1 and abs(height - 792) < 1  # still US Letter at the scan's dpi
    finally:
        pdf.close()


def test_degraded_pages_differ_from_clean_ones_but_repeat_for_a_seed(lease: bytes) -> None:
    (clean,) = page_images(lease, dpi=100, degrade=False, pages=[0])
    (spoiled,) = page_images(lease, dpi=100, degrade=True, seed=4, pages=[0])
    (again,) = page_images(lease, dpi=100, degrade=True, seed=4, pages=[0])
    assert clean.mode == spoiled.mode == "L" and clean.size == spoiled.size == (850, 1100)
    assert np.array_equal(np.asarray(spoiled), np.asarray(again))
    difference = np.abs(np.asarray(clean, dtype=np.int16) - np.asarray(spoiled, dtype=np.int16))
    assert difference.mean() > 2  # noise, blur, turn and JPEG all leave their mark
    for seed in range(200):
        how = Degradation.draw(seed, 0)
        assert -2 <= how.angle <= 2 and 40 <= how.quality <= 60 and 0 < how.specks < 0.01


def test_png_and_multipage_tiff(lease: bytes) -> None:
    png = Image.open(io.BytesIO(scanned_png(lease, 1, page=2, dpi=100)))
    assert png.format == "PNG" and png.mode == "L" and png.size == (850, 1100)
    assert scanned_png(lease, 1, page=2, dpi=100) == scanned_png(lease, 1, page=2, dpi=100)
    data = scanned_tiff(lease, 1, dpi=100)
    assert data == scanned_tiff(lease, 1, dpi=100)
    tiff = Image.open(io.BytesIO(data))
    assert tiff.format == "TIFF" and tiff.n_frames == 3
    assert tiff.mode == "1" and tiff.info["compression"] == "group4"
    grey = Image.open(io.BytesIO(scanned_tiff(lease, 1, dpi=100, pages=[0, 1], binarise=False)))
    assert grey.n_frames == 2 and grey.mode == "L" and grey.info["compression"] == "tiff_adobe_deflate"


def test_mixed_pdf_keeps_text_on_all_pages_but_the_scanned_one(lease: bytes) -> None:
    data = mixed_pdf(lease, 2, scanned_page=1)
    assert data == mixed_pdf(lease, 2, scanned_page=1)
    reader = PdfReader(io.BytesIO(data))
    texts = [(page.extract_text() or "").strip() for page in reader.pages]
    assert len(texts) == 3 and texts[0] and texts[2] and not texts[1]
    assert reader.metadata.title == PdfReader(io.BytesIO(lease)).metadata.title
    with pytest.raises(ValueError, match="out of range"):
        mixed_pdf(lease, 2, scanned_page=3)


def test_corpus_scans_are_named_and_come_with_their_known_text(tmp_path: Path) -> None:
    paths = generate_corpus(tmp_path / "c", n=3, seed=9, scanned=2)
    names = [p.name for p in paths]
    assert names[3:] == [
        "medical-discharge_summary-0003-scan.pdf",
        "legal-nda-0004-scan.pdf",
        "medical-radiology_report-0005-scan.png",
        "medical-progress_note-0006-scan.tif",
        "legal-lease-0007-mixed.pdf",
    ]
    samples = scanned_samples(n=3, seed=9, scanned=2)
    assert [s.name for s in samples] == names[3:]
    assert [(s.pages, s.scanned) for s in samples] == [
        ((1,), (1,)),
        ((1,), (1,)),
        ((1,), (1,)),
        ((1, 2), (1, 2)),
        ((1, 2, 3), (2,)),
    ]
    assert paths[6].read_bytes() == samples[3].render()
    for sample in samples:
        assert sample.known_text == tuple(page_texts(render_pdf(sample.document))[p - 1] for p in sample.pages)
    mixed = samples[-1]
    assert mixed.scanned_text == mixed.known_text[1] and "Page 2 of 3" in mixed.scanned_text
    assert generate_corpus(tmp_path / "none", n=3, seed=9) == [tmp_path / "none" / n for n in names[:3]]
    with pytest.raises(ValueError, match="scanned must be zero or positive"):
        generate_corpus(tmp_path / "bad", n=1, scanned=-1)


def test_character_error_rate() -> None:
    assert levenshtein("kitten", "sitting") == 3 and levenshtein("", "abc") == 3 and levenshtein("日本", "日本語") == 1
    assert character_error_rate("a  b\n\nc", "a b c") == 0.0
    assert character_error_rate("the cat", "thecat") == pytest.approx(1 / 7)
    assert character_error_rate("the cat", "thecat", whitespace="ignore") == 0.0
    assert character_error_rate("ＡＢ ﬁ", "AB fi") == 0.0  # NFKC folds full-width letters and ligatures
    assert character_error_rate("By: ________ Name", "By: Name") == 0.0  # a fill-in line is not text
    assert character_error_rate("", "") == 0.0 and character_error_rate("", "x") == 1.0


@pytest.mark.slow
def test_ocr_reads_the_scanned_page_of_a_mixed_pdf_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline's extractor: text layer where there is one, OCR on the scanned page, close to its known text."""
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")  # tesseract's OpenMP threads wait on each other on a busy machine
    from analysis.ingest.discover import fingerprint
    from analysis.ingest.extract import extract_document
    from analysis.ingest.ocr import TEXT_LAYER, OcrOptions, ocr_engine_name

    options = OcrOptions(engine="auto", threads=2)
    engine = ocr_engine_name(options)
    if engine is None:
        pytest.skip("no OCR engine installed")
    (sample,) = [s for s in scanned_samples(n=0, seed=1, scanned=1) if s.form == "mixed.pdf"]
    path = tmp_path / sample.name
    path.write_bytes(sample.render())
    parsed = extract_document(fingerprint(path, "pdf"), ocr=options, timeout_s=None)
    assert [p.text_source for p in parsed.pages] == [TEXT_LAYER, engine, TEXT_LAYER]
    assert parsed.pages[1].ocr_confidence and parsed.pages[1].ocr_confidence > 0.8
    assert character_error_rate(sample.scanned_text, parsed.pages[1].text, whitespace="ignore") < 0.05
