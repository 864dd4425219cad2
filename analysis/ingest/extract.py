"""Turn a file into page texts, or into a one-line reason why it cannot be used.

The bytes are read once, checked against the fingerprint (so the text stored is the text of
the content hashed) and handed to the parser from memory. Two PDF engines: pypdf (pure Python,
the reference) and pypdfium2 (PDFium, about 5x faster); with pypdfium2, a file PDFium cannot
read, or yields no text from, is tried again with pypdf. pypdf can spin for minutes and
allocate gigabytes on hostile files: the pipeline parses in worker processes that it kills
past ``parse_timeout_s`` and caps at ``parse_memory_mb`` (see ``parse.py``); called directly,
``extract_document`` only has an in-process time limit.

Text files: a byte order mark (UTF-8, UTF-16, UTF-32) decides the encoding; without one, UTF-8,
else Windows-1252 (a superset of Latin-1's printable characters); mostly-Latin UTF-16 without a
mark is recognised by its zero bytes. Other text with NUL bytes, or with more than 1 % control
characters or undecodable bytes, is binary and refused.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import hashlib
import io
import logging
import re
import threading
from collections.abc import Iterator

from analysis.config import PdfEngine
from analysis.errors import ExtractionError, ParseTimeLimitError
from analysis.ingest.discover import VANISHED, open_regular
from analysis.records import Page, ParsedDocument, SourceFile

log = logging.getLogger(__name__)

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")  # control characters but tab, line ends, form feed
_PDF_HEADER_WINDOW = 1024  # readers accept junk before %PDF- in the first kilobyte


def extract_document(
    source: SourceFile, *, timeout_s: float | None = 60.0, pdf_engine: PdfEngine = "pypdf"
) -> ParsedDocument:
    """Extract a document's pages; raises ExtractionError with the quarantine reason.

    ``timeout_s`` None means no limit here (the caller enforces one, as the parse workers do).
    """
    if source.size == 0:
        raise ExtractionError("empty file (0 bytes)")
    data = _read(source)
    with _time_limit(timeout_s):
        if source.kind == "pdf":
            if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
                raise ExtractionError("not a PDF (no %PDF- header in its first kilobyte)")
            if pdf_engine == "pypdfium2":
                pages, parser = _extract_pdf_pdfium(data)
            else:
                pages, parser = _extract_pdf(data), "pypdf"
        else:
            pages, parser = [Page(number=1, text=clean_text(decode_text(data)))], "text"
    if not any(page.text.strip() for page in pages):
        what = "PDF" if source.kind == "pdf" else "file"
        raise ExtractionError(f"no extractable text in {what} (image-only, blank or whitespace)")
    return ParsedDocument(source=source, pages=pages, parser=parser)


def _read(source: SourceFile) -> bytes:
    """The file's bytes, provided they are still the bytes that were fingerprinted."""
    try:
        with open_regular(source.path) as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ExtractionError(VANISHED) from None
    except OSError as exc:
        raise ExtractionError(f"cannot read file: {exc.strerror or exc}") from None
    if hashlib.sha256(data).hexdigest() != source.sha256:
        raise ExtractionError("file changed while it was being ingested (it is read again on the next run)")
    return data


def _extract_pdf(data: bytes) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _try_empty_password(reader):
            raise ExtractionError("encrypted PDF: a password is required to read it")
        n_pages = len(reader.pages)
    except (ExtractionError, MemoryError):
        raise
    except FileNotDecryptedError:
        raise ExtractionError("encrypted PDF: a password is required to read it") from None
    except RecursionError:
        raise ExtractionError("corrupt PDF: its objects nest too deeply") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ExtractionError(f"corrupt PDF: {_one_line(exc)}") from None
    except Exception as exc:  # pypdf raises many types on malformed input
        raise ExtractionError(f"unreadable PDF: {type(exc).__name__}: {_one_line(exc)}") from None
    if n_pages == 0:
        raise ExtractionError("PDF has no pages")
    return list(_pdf_pages(reader, n_pages))


def _extract_pdf_pdfium(data: bytes) -> tuple[list[Page], str]:
    """PDFium's text, page by page; pypdf's when PDFium fails or finds no text at all."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:  # pypdf also tries the empty password as the owner's, which PDFium does not
        log.info("PDFium cannot open it (%s); trying pypdf", _one_line(exc))
        return _extract_pdf(data), "pypdf"
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
    except (ExtractionError, MemoryError, _Timeout):
        raise
    except Exception as exc:  # a page PDFium chokes on: the reference engine decides
        log.info("PDFium failed (%s); trying pypdf", _one_line(exc))
        return _extract_pdf(data), "pypdf"
    finally:
        pdf.close()
    if not any(p.text.strip() for p in pages):
        return _extract_pdf(data), "pypdf"
    return pages, "pypdfium2"


def _try_empty_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except MemoryError:
        raise
    except Exception:  # missing crypto backend or broken encryption dictionary
        return False


def _pdf_pages(reader: object, n_pages: int) -> Iterator[Page]:
    failures = 0
    for number in range(1, n_pages + 1):
        try:
            text = reader.pages[number - 1].extract_text() or ""  # type: ignore[attr-defined]
        except (_Timeout, MemoryError):
            raise
        except Exception as exc:  # one bad page must not lose the rest of the document
            failures += 1
            log.warning("page %d: text extraction failed: %s", number, _one_line(exc))
            text = ""
        yield Page(number=number, text=clean_text(text))
    if failures == n_pages:
        raise ExtractionError(f"text extraction failed on all {n_pages} pages")


def decode_text(data: bytes) -> str:
    """A text file's characters (see the module docstring for the rules); ExtractionError if binary."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(data[len(bom) :].decode(codec, errors="replace"), codec)
    if b"\x00" in data[:8192]:
        codec = _bomless_utf16(data[:8192])
        if codec is None:
            raise ExtractionError("binary content in a text file (NUL bytes)")
        return _checked(data.decode(codec, errors="replace"), codec)
    try:
        return _checked(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        return _checked(data.decode("cp1252", errors="replace"), "Windows-1252")


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without a byte order mark, told by its zero high bytes: mostly-Latin text only."""
    if len(sample) < 16 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.9 * len(high) and low.count(0) <= 0.01 * len(low):
            return codec
    return None


def _checked(text: str, codec: str) -> str:
    """Refuse text in which more than 1 % of the characters are undecodable or control characters."""
    bad = sum(1 for _ in _NOT_TEXT.finditer(text))
    if bad > len(text) // 100:
        raise ExtractionError(f"binary content in a text file ({bad} of {len(text)} characters not text as {codec})")
    return text


def clean_text(text: str) -> str:
    """Normalise line ends and drop NULs (PostgreSQL rejects them) and PDFium's soft-hyphen marks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\x02", "")


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:200]


class _Timeout(BaseException):
    """BaseException so that pypdf's broad ``except Exception`` blocks cannot swallow it."""


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``ParseTimeLimitError`` in this thread once ``seconds`` have passed.

    A timer thread raises the exception asynchronously in this one (at its next Python
    instruction; time spent inside one C call is not cut short: the parse workers rely on being
    killed instead). No signal is used: SIGALRM crashed processes that had loaded OpenVINO.
    """
    if seconds is None:
        yield
        return
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()  # the timer fires only while the body runs, never after it left
    state = {"running": True, "fired": False}

    def _expire() -> None:
        with lock:
            if state["running"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_Timeout))

    timer = threading.Timer(seconds, _expire)
    timer.daemon = True
    timer.start()
    try:
        try:
            yield
        finally:
            with lock:
                state["running"] = False
            timer.cancel()
            if state["fired"]:  # fired as the body ended: the exception may still be pending
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
    except _Timeout:
        raise ParseTimeLimitError(seconds) from None
