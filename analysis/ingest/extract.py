"""Turn a file into page texts, or into a one-line reason why it cannot be used.

pypdf can spin for minutes on hostile files, so extraction runs under a time limit.
Two PDF engines: pypdf (pure Python, the reference) and pypdfium2 (PDFium, about 5x faster);
with pypdfium2, a file PDFium cannot read, or yields no text from, is tried again with pypdf.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import ExtractionError
from analysis.records import Page, ParsedDocument, SourceFile

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 200 * 1024 * 1024
PDF_ENGINES = ("pypdf", "pypdfium2")


def extract_document(source: SourceFile, *, timeout_s: float = 60.0, pdf_engine: str = "pypdf") -> ParsedDocument:
    """Extract a document's pages; raises ExtractionError with the quarantine reason."""
    if source.size == 0:
        raise ExtractionError("empty file (0 bytes)")
    with _time_limit(timeout_s):
        if source.kind == "pdf" and pdf_engine == "pypdfium2":
            pages, parser = _extract_pdf_pdfium(source.path)
        elif source.kind == "pdf":
            pages, parser = _extract_pdf(source.path), "pypdf"
        else:
            pages, parser = _extract_text(source.path, source.size), "text"
    if not any(page.text.strip() for page in pages):
        what = "PDF" if source.kind == "pdf" else "file"
        raise ExtractionError(f"no extractable text in {what} (image-only, blank or whitespace)")
    return ParsedDocument(source=source, pages=pages, parser=parser)


def _extract_pdf(path: Path) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not _try_empty_password(reader):
            raise ExtractionError("encrypted PDF: a password is required to read it")
        n_pages = len(reader.pages)
    except ExtractionError:
        raise
    except FileNotDecryptedError:
        raise ExtractionError("encrypted PDF: a password is required to read it") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ExtractionError(f"corrupt PDF: {_one_line(exc)}") from None
    except Exception as exc:  # pypdf raises many types on malformed input
        raise ExtractionError(f"unreadable PDF: {type(exc).__name__}: {_one_line(exc)}") from None
    if n_pages == 0:
        raise ExtractionError("PDF has no pages")
    return list(_pdf_pages(reader, n_pages))


def _extract_pdf_pdfium(path: Path) -> tuple[list[Page], str]:
    """PDFium's text, page by page; pypdf's when PDFium fails or finds no text at all."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError("encrypted PDF: a password is required to read it") from None
        log.info("%s: PDFium cannot open it (%s); trying pypdf", path, _one_line(exc))
        return _extract_pdf(path), "pypdf"
    try:
        if len(pdf) == 0:
            raise ExtractionError("PDF has no pages")
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                pages.append(Page(number=index + 1, text=clean_text(textpage.get_text_range())))
            finally:
                textpage.close()
                page.close()
    except (ExtractionError, _Timeout):
        raise
    except Exception as exc:  # a page PDFium chokes on: the reference engine decides
        log.info("%s: PDFium failed (%s); trying pypdf", path, _one_line(exc))
        return _extract_pdf(path), "pypdf"
    finally:
        pdf.close()
    if not any(p.text.strip() for p in pages):
        return _extract_pdf(path), "pypdf"
    return pages, "pypdfium2"


def _try_empty_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # missing crypto backend or broken encryption dictionary
        return False


def _pdf_pages(reader: object, n_pages: int) -> Iterator[Page]:
    failures = 0
    for number in range(1, n_pages + 1):
        try:
            text = reader.pages[number - 1].extract_text() or ""  # type: ignore[attr-defined]
        except _Timeout:
            raise
        except Exception as exc:  # one bad page must not lose the rest of the document
            failures += 1
            log.warning("page %d: text extraction failed: %s", number, _one_line(exc))
            text = ""
        yield Page(number=number, text=clean_text(text))
    if failures == n_pages:
        raise ExtractionError(f"text extraction failed on all {n_pages} pages")


def _extract_text(path: Path, size: int) -> list[Page]:
    if size > MAX_TEXT_BYTES:
        raise ExtractionError(f"text file too large ({size / 1e6:.0f} MB > {MAX_TEXT_BYTES / 1e6:.0f} MB)")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ExtractionError("binary content in a text file (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > len(text) // 100:
            raise ExtractionError("not a text file: undecodable bytes (neither UTF-8 nor Windows-1252)") from None
    return [Page(number=1, text=clean_text(text))]


def clean_text(text: str) -> str:
    """Normalise line ends and drop NULs (PostgreSQL rejects them) and PDFium's soft-hyphen marks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\x02", "")


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:200]


class _Timeout(BaseException):
    """BaseException so that pypdf's broad ``except Exception`` blocks cannot swallow it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Timeout:
        raise ExtractionError(f"text extraction timed out after {seconds:g}s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
