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
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from analysis.config import PdfEngine
from analysis.errors import ExtractionError, ParseTimeLimitError
from analysis.ingest.discover import VANISHED, open_regular
from analysis.ingest.ocr import (
    NO_TEXT,
    PLAIN_TEXT,
    TEXT_LAYER,
    OcrEngine,
    OcrOptions,
    OcrUnavailableError,
    iter_image_pages,
    load_ocr_engine,
)
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
    source: SourceFile,
    *,
    timeout_s: float | None = 60.0,
    pdf_engine: PdfEngine = "pypdf",
    ocr: OcrOptions | None = None,
    on_ocr_page: Callable[[], None] | None = None,
) -> ParsedDocument:
    """Extract a document's pages; raises ExtractionError with the quarantine reason.

    ``timeout_s`` None means no limit here (the caller enforces one, as the parse workers do).
    With ``ocr``, PDF pages without a usable text layer and image files are read by OCR;
    ``on_ocr_page`` is called before each page is (the parse pool's per-page time limit).
    """
    if source.size == 0:
        raise ExtractionError("empty file (0 bytes)")
    ocr = ocr or OcrOptions(engine="none")
    data = _read(source)
    with _time_limit(timeout_s):
        if source.kind == "pdf":
            if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
                raise ExtractionError("not a PDF (no %PDF- header in its first kilobyte)")
            if pdf_engine == "pypdfium2":
                pages, parser = _extract_pdf_pdfium(data)
            else:
                pages, parser = _extract_pdf(data), "pypdf"
            pages = ocr_scanned_pages(data, pages, ocr, on_ocr_page)
        elif source.kind == "image":
            pages, parser = ocr_image_file(data, ocr, on_ocr_page)
        else:
            pages, parser = [Page(number=1, text=clean_text(decode_text(data)), text_source=PLAIN_TEXT)], "text"
    if not any(page.text.strip() for page in pages):
        raise ExtractionError(_no_text_reason(source.kind, pages, ocr))
    return ParsedDocument(source=source, pages=pages, parser=parser)


def _no_text_reason(kind: str, pages: list[Page], ocr: OcrOptions) -> str:
    if kind == "image":
        return f"no readable text in image: OCR read nothing on its {_pages(len(pages))}"
    what = "PDF" if kind == "pdf" else "file"
    if kind != "pdf":
        return f"no extractable text in {what} (blank or whitespace)"
    if not ocr.enabled:
        return "no extractable text in PDF (image-only, blank or whitespace; OCR is off)"
    read = [p for p in pages if p.text_source not in (TEXT_LAYER, NO_TEXT)]
    flag = next((p.flag for p in pages if p.flag), None)
    if not read and flag:
        return f"no extractable text in PDF (image-only, blank or whitespace; {flag})"
    return "no extractable text in PDF (image-only, blank or whitespace; OCR read nothing either)"


def _pages(n: int) -> str:
    return f"{n} page" + ("" if n == 1 else "s")


def readable_chars(text: str) -> int:
    """Letters and digits: what makes a page's text usable (combining marks alone do not)."""
    return sum(1 for char in text if unicodedata.category(char)[0] in "LN")


def ocr_scanned_pages(
    data: bytes, pages: list[Page], ocr: OcrOptions, on_page: Callable[[], None] | None = None
) -> list[Page]:
    """``pages`` with each page whose text layer has too few letters and digits read by OCR
    instead, where OCR reads more; page numbers stay those of the PDF."""
    needing = [i for i, page in enumerate(pages) if readable_chars(page.text) < ocr.min_chars]
    if not needing or not ocr.enabled:
        return pages
    engine = _engine(ocr)
    if engine is None:
        return [
            replace(p, flag="no text layer and no OCR engine installed") if i in needing and not p.text.strip() else p
            for i, p in enumerate(pages)
        ]
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        log.info("PDFium cannot render it for OCR (%s)", _one_line(exc))
        return pages
    out = list(pages)
    try:
        for count, i in enumerate(needing):
            if count >= ocr.max_pages:
                out[i] = replace(out[i], flag=f"not read by OCR: past {ocr.max_pages} pages (ocr_max_pages)")
                continue
            if on_page is not None:
                on_page()
            out[i] = _ocr_page(engine, lambda i=i: _render(pdf, i, ocr), out[i], ocr)
    finally:
        pdf.close()
    return out


def ocr_image_file(data: bytes, ocr: OcrOptions, on_page: Callable[[], None] | None = None) -> tuple[list[Page], str]:
    """The pages of an image file (each frame of a TIFF), read by OCR, at most ``max_pages``."""
    if not ocr.enabled:
        raise ExtractionError('image file, and OCR is off (ocr_engine = "none")')
    engine = _engine(ocr)
    if engine is None:
        raise ExtractionError("image file, and no OCR engine is installed (see ocr_engine)")
    pages: list[Page] = []
    total = 0
    for number, frame in enumerate(iter_image_pages(data, ocr), start=1):
        total = number
        if number > ocr.max_pages:
            continue
        if on_page is not None:
            on_page()
        pages.append(_ocr_page(engine, lambda frame=frame: frame.copy(), Page(number, ""), ocr))
    if total > ocr.max_pages:
        skipped = f"pages {ocr.max_pages + 1}-{total} not read: past {ocr.max_pages} pages (ocr_max_pages)"
        pages[-1] = replace(pages[-1], flag="; ".join(f for f in (pages[-1].flag, skipped) if f))
    return pages, engine.name


def _engine(ocr: OcrOptions) -> OcrEngine | None:
    try:
        return load_ocr_engine(ocr.engine, ocr.languages, ocr.threads)
    except OcrUnavailableError as exc:
        raise ExtractionError(f"OCR engine {ocr.engine!r} unavailable: {exc}") from None


def _ocr_page(engine: OcrEngine, image: Callable[[], Any], page: Page, ocr: OcrOptions) -> Page:
    """One page read by OCR; the text layer's page when OCR reads less; flagged when unsure."""
    try:
        result = engine.read(image(), timeout_s=ocr.page_timeout_s)
    except (_Timeout, MemoryError, ExtractionError):
        raise
    except Exception as exc:  # one page OCR cannot read must not lose the document
        log.warning("page %d: OCR failed: %s", page.number, _one_line(exc))
        return replace(
            page, text_source=page.text_source if page.text.strip() else NO_TEXT, flag=f"OCR failed: {_one_line(exc)}"
        )
    text = clean_text(result.text)
    if readable_chars(text) <= readable_chars(page.text):
        return page if page.text.strip() else replace(page, text_source=NO_TEXT)
    flag = None
    if result.confidence < ocr.min_confidence:
        flag = f"low OCR confidence ({result.confidence:.2f} < {ocr.min_confidence:g})"
    return Page(page.number, text, text_source=result.engine, ocr_confidence=round(result.confidence, 4), flag=flag)


def _render(pdf: Any, index: int, ocr: OcrOptions) -> Any:
    """A PDF page as a greyscale image at ``dpi``, or lower when that would pass ``max_pixels``."""
    page = pdf[index]
    try:
        width, height = page.get_size()  # points
        scale = ocr.dpi / 72
        pixels = width * height * scale * scale
        if pixels > ocr.max_pixels:
            scale *= (ocr.max_pixels / pixels) ** 0.5
        return page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()


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
    """UTF-16 without a byte order mark, told by its zero bytes: the high bytes of mostly-Latin text,
    or, in other scripts (Cyrillic, Greek...), of the spaces and punctuation between the words."""
    if len(sample) < 16:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.9 * len(high) and low.count(0) <= 0.01 * len(low):
            return codec
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if low.count(0) == 0 and high.count(0) >= 0.05 * len(high):
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:  # a lone surrogate: not UTF-16 text
                continue
            if sum(1 for char in text if char.isspace()) >= 0.05 * len(text):  # words with spaces between
                return codec
    return None


def _checked(text: str, codec: str) -> str:
    """Refuse text in which more than 1 % of the characters are undecodable or control characters."""
    bad = sum(1 for _ in _NOT_TEXT.finditer(text))
    if bad > len(text) // 100:
        raise ExtractionError(f"binary content in a text file ({bad} of {len(text)} characters not text as {codec})")
    return text


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Normalise line ends, drop NULs (PostgreSQL rejects them) and PDFium's soft-hyphen marks, and
    replace lone surrogates (a broken ToUnicode map yields them; no database stores them) by U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\x02", "")
    return _LONE_SURROGATE.sub("\ufffd", text)


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
