"""OCR: scanned PDF pages and image files are read, page by page, with real engines, under the
parse workers' limits; images too large, decompression bombs and endless TIFFs are refused or cut."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from analysis.errors import ExtractionError
from analysis.ingest.discover import fingerprint
from analysis.ingest.extract import extract_document
from analysis.ingest.ocr import OcrOptions, OcrUnavailableError, load_ocr_engine
from analysis.ingest.parse import ParsedSource, ParseFailure, ParsePool
from analysis.samples import make_document
from analysis.samples.generate import render_pdf


def _available(engine: str) -> bool:
    try:
        return load_ocr_engine(engine) is not None  # type: ignore[arg-type]
    except OcrUnavailableError:
        return False


ENGINES = [
    pytest.param(name, marks=pytest.mark.skipif(not _available(name), reason=f"OCR engine {name} not installed"))
    for name in ("tesseract", "rapidocr")
]
pytestmark = pytest.mark.slow  # each page takes seconds of OCR


def _page_images(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    finally:
        document.close()


def _image_pdf(images: list[Image.Image], dpi: int = 200) -> bytes:
    """A PDF of page images and nothing else: no text layer, as a scanner writes it."""
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def _words(text: str) -> set[str]:
    return {w.strip(".,:;()").lower() for w in text.split() if len(w) > 3}


def _share_read(ocr_text: str, truth: str) -> float:
    """Share of the page's words found in the OCR text, spaces ignored (RapidOCR often drops them)."""
    squeezed = "".join(ocr_text.lower().split())
    words = _words(truth)
    return sum(1 for w in words if w in squeezed) / len(words)


@pytest.fixture(scope="module")
def note_pdf() -> bytes:
    return render_pdf(make_document("discharge_summary", seed=1))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_scanned_pdf_page_is_read_by_ocr_with_its_engine_and_confidence(
    tmp_path: Path, note_pdf: bytes, engine: str
) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_image_pdf(_page_images(note_pdf)[:1]))
    assert not (PdfReader(path).pages[0].extract_text() or "").strip(), "the scan has no text layer"
    parsed = extract_document(fingerprint(path, "pdf"), ocr=OcrOptions(engine=engine))  # type: ignore[arg-type]
    (page,) = parsed.pages
    assert page.text_source.startswith(engine)
    assert page.ocr_confidence is not None and page.ocr_confidence > 0.8 and page.flag is None
    truth = pdfium.PdfDocument(note_pdf)[0].get_textpage().get_text_range()
    assert _share_read(page.text, truth) >= 0.9
    assert "discharge" in page.text.lower()


def test_a_mixed_pdf_keeps_its_text_pages_and_reads_its_scanned_one(tmp_path: Path) -> None:
    """Page numbers and offsets stay true: only the page without a text layer is OCR'd."""
    text_pdf = render_pdf(make_document("court_opinion", seed=3))
    scanned = PdfReader(io.BytesIO(_image_pdf(_page_images(text_pdf))))
    original = PdfReader(io.BytesIO(text_pdf))
    assert len(original.pages) >= 2
    writer = PdfWriter()
    writer.add_page(original.pages[0])
    writer.add_page(scanned.pages[1])
    for page in original.pages[2:]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(out.getvalue())

    parsed = extract_document(fingerprint(path, "pdf"), ocr=OcrOptions(engine="auto"))
    sources = [p.text_source for p in parsed.pages]
    assert sources[0] == "text_layer" and all(s == "text_layer" for s in sources[2:])
    assert sources[1] not in ("text_layer", "none")
    assert [p.number for p in parsed.pages] == list(range(1, len(original.pages) + 1))
    for page, (start, end) in zip(parsed.pages, parsed.page_spans):
        assert parsed.text[start:end] == page.text
    assert _share_read(parsed.pages[1].text, original.pages[1].extract_text()) >= 0.8


def test_image_files_png_jpeg_and_multipage_tiff_are_read_page_by_page(tmp_path: Path, note_pdf: bytes) -> None:
    first, *_ = _page_images(note_pdf)
    second = _page_images(render_pdf(make_document("lease", seed=2)))[0]
    first.save(tmp_path / "note.png")
    first.convert("RGB").save(tmp_path / "note.jpg", quality=70)
    first.save(tmp_path / "two.tiff", save_all=True, append_images=[second], compression="tiff_deflate")
    for name, pages in (("note.png", 1), ("note.jpg", 1), ("two.tiff", 2)):
        parsed = extract_document(fingerprint(tmp_path / name, "image"), ocr=OcrOptions())
        assert len(parsed.pages) == pages, name
        assert all(p.ocr_confidence and p.text.strip() for p in parsed.pages), name
        assert "discharge" in parsed.pages[0].text.lower(), name
    assert "lease" in parsed.text.lower()


def test_a_tiff_with_hundreds_of_pages_is_read_up_to_the_limit_and_says_so(tmp_path: Path, note_pdf: bytes) -> None:
    first = _page_images(note_pdf, dpi=100)[0]
    blank = Image.new("L", (64, 64), 255)
    first.save(tmp_path / "long.tif", save_all=True, append_images=[blank] * 299, compression="tiff_deflate")
    parsed = extract_document(fingerprint(tmp_path / "long.tif", "image"), ocr=OcrOptions(max_pages=3))
    assert len(parsed.pages) == 3
    assert parsed.pages[-1].flag and "pages 4-300 not read" in parsed.pages[-1].flag


def test_images_too_large_and_decompression_bombs_are_refused_before_decoding(tmp_path: Path) -> None:
    Image.new("1", (1500, 1000), 1).save(tmp_path / "large.png")
    Image.new("1", (20000, 20000), 1).save(tmp_path / "bomb.png")  # 400 million pixels in a few kilobytes
    assert (tmp_path / "bomb.png").stat().st_size < 200_000
    options = OcrOptions(max_pixels=1_000_000)
    with pytest.raises(ExtractionError, match=r"image too large \(1500 x 1000 pixels"):
        extract_document(fingerprint(tmp_path / "large.png", "image"), ocr=options)
    with pytest.raises(ExtractionError, match="image too large"):
        extract_document(fingerprint(tmp_path / "bomb.png", "image"), ocr=OcrOptions())


def test_without_ocr_images_and_scans_are_refused_with_the_reason(tmp_path: Path, note_pdf: bytes) -> None:
    (tmp_path / "scan.pdf").write_bytes(_image_pdf(_page_images(note_pdf, dpi=72)[:1]))
    Image.new("L", (50, 50), 255).save(tmp_path / "x.png")
    (tmp_path / "junk.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    off = OcrOptions(engine="none")
    with pytest.raises(ExtractionError, match="OCR is off"):
        extract_document(fingerprint(tmp_path / "scan.pdf", "pdf"), ocr=off)
    with pytest.raises(ExtractionError, match="OCR is off"):
        extract_document(fingerprint(tmp_path / "x.png", "image"), ocr=off)
    with pytest.raises(ExtractionError, match="no readable text in image"):
        extract_document(fingerprint(tmp_path / "x.png", "image"), ocr=OcrOptions())
    with pytest.raises(ExtractionError, match="unreadable image"):
        extract_document(fingerprint(tmp_path / "junk.png", "image"), ocr=OcrOptions())


def test_a_page_that_ocr_cannot_finish_in_time_is_stopped_by_the_pool(tmp_path: Path, note_pdf: bytes) -> None:
    """The per-page limit is the pool's: the worker is killed, the file quarantined with the reason."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(_image_pdf(_page_images(note_pdf)[:1]))
    options = OcrOptions(page_timeout_s=0.2)
    with ParsePool(workers=1, timeout_s=60, pdf_engine="pypdf", ocr=options) as pool:
        (result,) = pool.parse([fingerprint(path, "pdf")])
        assert isinstance(result, ParseFailure)
        assert "reading a page by OCR took longer than 0.2 s" in result.reason
        (again,) = pool.parse([fingerprint(path, "pdf")])  # a fresh worker takes the next file
        assert isinstance(again, ParseFailure)
    with ParsePool(workers=1, timeout_s=60, pdf_engine="pypdf", ocr=OcrOptions()) as pool:
        (read,) = pool.parse([fingerprint(path, "pdf")])
    assert isinstance(read, ParsedSource) and read.document.pages[0].ocr_confidence
    assert read.classification.language == "en"


JAPANESE = (
    "本契約は、甲と乙との間の業務委託に関する基本的な条件を定めるものである。"
    "乙は、善良なる管理者の注意をもって委託業務を遂行しなければならない。"
    "甲は、委託料を毎月末日までに乙の指定する銀行口座に振り込む方法により支払う。"
    "本契約に関する一切の紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とする。"
)


def test_scans_images_and_japanese_go_through_the_whole_pipeline(tmp_path: Path, note_pdf: bytes) -> None:
    """End to end with the default jobs: OCR'd pages and languages are in SQL, and `status` says so."""
    from click.testing import CliRunner
    from sqlalchemy import create_engine, text

    from analysis.cli import main
    from analysis.config import Config
    from analysis.samples import write_text

    src, home = tmp_path / "src", tmp_path / "home"
    src.mkdir()
    (src / "scan.pdf").write_bytes(_image_pdf(_page_images(note_pdf)[:1]))
    _page_images(render_pdf(make_document("nda", seed=4)))[0].save(src / "nda.png")
    (src / "keiyaku.txt").write_text(JAPANESE * 12, encoding="utf-8")  # about 1,700 characters, no spaces
    write_text(make_document("lease", seed=5), src / "lease.txt")

    result = CliRunner().invoke(main, ["--home", str(home), "run", "--no-progress", str(src)])
    assert result.exit_code == 0, result.output
    assert "4 new" in result.output and "0 quarantined" in result.output
    assert "2 pages read by OCR" in result.output

    engine = create_engine(Config(home=home).database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT path, kind, language, n_pages_ocr, summary FROM document_overview ORDER BY path")
        ).all()
        by_name = {Path(r.path).name: r for r in rows}
        assert by_name["scan.pdf"].n_pages_ocr == 1 and by_name["nda.png"].n_pages_ocr == 1
        assert by_name["nda.png"].kind == "image"
        assert {name: r.language for name, r in by_name.items()} == {
            "keiyaku.txt": "ja",
            "lease.txt": "en",
            "nda.png": "en",
            "scan.pdf": "en",
        }
        assert all(r.summary for r in rows)
        max_tokens = conn.execute(
            text(
                "SELECT MAX(c.n_tokens), MIN(c.n_tokens), COUNT(*) FROM chunks c JOIN document_sources s "
                "ON s.document_id = c.document_id WHERE s.path LIKE '%keiyaku.txt'"
            )
        ).one()
        assert max_tokens[1] > 0 and max_tokens[0] <= Config().chunk_tokens and max_tokens[2] >= 3
        sources = dict(conn.execute(text("SELECT text_source, COUNT(*) FROM pages GROUP BY text_source")).all())
        assert sources["text"] == 2 and sum(n for s, n in sources.items() if s not in ("text", "text_layer")) == 2
    engine.dispose()

    status = CliRunner().invoke(main, ["--home", str(home), "status"])
    assert status.exit_code == 0, status.output
    assert "OCR here:" in status.output and "languages: " in status.output and "1 ja" in status.output
