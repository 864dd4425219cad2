"""Read the text of page images (OCR): scanned PDF pages and image files.

Two engines, behind one small interface (``OcrEngine.read``), chosen by ``ocr_engine``:

- ``tesseract``: Tesseract through ``pytesseract`` when the ``tesseract`` program is installed
  (Debian's ``tesseract-ocr``, with ``tesseract-ocr-jpn`` for Japanese). Each page runs in its
  own ``tesseract`` process, so the per-page time limit really stops it.
- ``rapidocr``: RapidOCR (PaddleOCR's models on ONNX Runtime), installed from PyPI with its
  models inside the wheel, so a fresh ``make demo`` can read scans with no system package.
- ``auto`` (the default): Tesseract where it is installed, else RapidOCR, else no OCR.

benchmarks/README.md gives the measurements behind that order (character error rate and pages
per second on rendered and degraded pages).

Engines are built once per process (loading models takes a second) and run inside the parse
workers, under the same time and memory limits as the text parsers.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Protocol

from analysis.config import Config, OcrEngineChoice
from analysis.errors import ExtractionError
from analysis.records import NO_TEXT, PLAIN_TEXT, TEXT_LAYER

__all__ = ["NO_TEXT", "PLAIN_TEXT", "TEXT_LAYER", "OcrEngine", "OcrOptions", "OcrText", "load_ocr_engine"]

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrText:
    """What OCR read on one page; ``confidence`` is the engine's mean (0 to 1), 0 when it read nothing."""

    text: str
    confidence: float
    engine: str


@dataclass(frozen=True)
class OcrOptions:
    """The OCR settings a parse worker needs (from ``Config``; see its field docs)."""

    engine: OcrEngineChoice = "auto"
    languages: str = "eng"
    dpi: int = 300
    min_confidence: float = 0.6
    page_timeout_s: float = 60.0
    max_pages: int = 200
    max_pixels: int = 100_000_000
    min_chars: int = 16
    threads: int = 1

    @property
    def enabled(self) -> bool:
        return self.engine != "none"

    @classmethod
    def from_config(cls, config: Config, *, workers: int = 1) -> OcrOptions:
        """The settings of ``config``; each of ``workers`` processes gets its share of the cores."""
        return cls(
            engine=config.ocr_engine,
            languages=config.ocr_languages,
            dpi=config.ocr_dpi,
            min_confidence=config.ocr_min_confidence,
            page_timeout_s=config.ocr_page_timeout_s,
            max_pages=config.ocr_max_pages,
            max_pixels=config.ocr_max_pixels,
            min_chars=config.ocr_min_chars,
            threads=max(1, (os.cpu_count() or 1) // max(1, workers)),
        )


class OcrEngine(Protocol):
    name: str  # engine and version, as stored in pages.text_source

    def read(self, image: Image, *, timeout_s: float) -> OcrText: ...


class OcrUnavailableError(RuntimeError):
    """The chosen OCR engine is not installed here."""


class TesseractEngine:
    """Tesseract, one process per page (``pytesseract``); confidence is the mean word confidence."""

    def __init__(self, languages: str) -> None:
        try:
            import pytesseract
        except ImportError:
            raise OcrUnavailableError("pytesseract is not installed") from None
        if shutil.which("tesseract") is None:
            raise OcrUnavailableError("the tesseract program is not installed (Debian: apt install tesseract-ocr)")
        self._tesseract = pytesseract
        # Tesseract's OpenMP threads cost more than they give (a page: 2.2 s on one thread, 9.8 s on
        # two cores); the parse workers are the parallelism. pytesseract passes os.environ on.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        installed = set(pytesseract.get_languages(config=""))
        wanted = [lang for lang in languages.split("+") if lang]
        missing = [lang for lang in wanted if lang not in installed]
        if missing:
            log.warning("Tesseract has no language data for %s; reading with the rest", ", ".join(missing))
        self.languages = "+".join(lang for lang in wanted if lang in installed) or "eng"
        self.name = f"tesseract {pytesseract.get_tesseract_version()}"

    def read(self, image: Image, *, timeout_s: float) -> OcrText:
        data = self._tesseract.image_to_data(
            level_page(image), lang=self.languages, output_type=self._tesseract.Output.DICT, timeout=timeout_s
        )
        lines: dict[tuple[int, int, int], list[str]] = {}
        paragraphs: list[tuple[int, int]] = []
        confidences = []
        for i, word in enumerate(data["text"]):
            confidence = float(data["conf"][i])
            if confidence < 0 or not word.strip():
                continue
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            if key[:2] not in paragraphs:
                paragraphs.append(key[:2])
            lines.setdefault(key, []).append(word)
            confidences.append(confidence / 100)
        text = "\n\n".join(
            "\n".join(_join_words(words) for key, words in lines.items() if key[:2] == paragraph)
            for paragraph in paragraphs
        )
        return OcrText(text, statistics.fmean(confidences) if confidences else 0.0, self.name)


class RapidOcrEngine:
    """RapidOCR on ONNX Runtime; lines in reading order, a blank line where the gap is wide."""

    def __init__(self, threads: int) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise OcrUnavailableError("rapidocr-onnxruntime is not installed") from None
        # Its text-angle classifier turns some level lines of print upside down, losing them (13.6 % CER
        # with it, 1.1 % without: benchmarks/README.md); scanned pages are rarely upside down.
        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, use_cls=False)
        self.name = f"rapidocr {metadata.version('rapidocr-onnxruntime')}"

    def read(self, image: Image, *, timeout_s: float) -> OcrText:  # the parse pool enforces the time limit
        import numpy as np

        binarised = level_page(image).point(lambda v: 255 if v >= 170 else 0)  # keeps the spaces between words
        result, _ = self._ocr(np.asarray(binarised.convert("RGB")))
        if not result:
            return OcrText("", 0.0, self.name)
        boxes = [
            (min(p[1] for p in box), max(p[1] for p in box), min(p[0] for p in box), text, float(score))
            for box, text, score in result
        ]
        return OcrText(_layout(boxes), statistics.fmean(b[4] for b in boxes), self.name)


def skew_angle(image: Image, *, max_angle: float = 3.0, step: float = 0.1) -> float:
    """The turn (degrees, anticlockwise) that makes the page's text lines level: the one, from
    -``max_angle`` to ``max_angle``, at which the rows' ink totals change most sharply from row to
    row (lines and the gaps between them), on a copy about 1000 pixels high; 0.1 s a page."""
    import numpy as np
    from PIL import Image as PILImage

    small = image.convert("L")
    scale = 1000 / max(small.size)
    if scale < 1:
        small = small.resize((round(small.width * scale), round(small.height * scale)), PILImage.Resampling.BILINEAR)
    ink = small.point(lambda v: 255 if v < 160 else 0)  # ink bright on black: turning adds none

    def sharpness(angle: float) -> float:
        turned = ink.rotate(angle, resample=PILImage.Resampling.NEAREST, fillcolor=0)
        rows = np.asarray(turned, dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = max(np.arange(-max_angle, max_angle + 1e-9, 0.5), key=sharpness)
    return float(max(np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, step), key=sharpness))


def level_page(image: Image) -> Image:
    """The page in greyscale, turned level when it is skewed (a scan fed in at an angle): Tesseract
    dropped a whole paragraph of a page turned 1.4 degrees (benchmarks/README.md)."""
    from PIL import Image as PILImage

    grey = image.convert("L")
    angle = skew_angle(grey)
    if abs(angle) < 0.1:
        return grey
    return grey.rotate(angle, resample=PILImage.Resampling.BICUBIC, fillcolor=255)


def _join_words(words: list[str]) -> str:
    """Words of one line; CJK characters read one by one are joined without spaces."""
    out = words[0]
    for word in words[1:]:
        out += word if _is_cjk(out[-1]) and _is_cjk(word[0]) else " " + word
    return out


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"


def _layout(boxes: list[tuple[float, float, float, str, float]]) -> str:
    """Text boxes (top, bottom, left, text, score) as lines: boxes whose vertical extents overlap
    by half share a line (left to right); a gap of more than a line's height starts a paragraph."""
    lines: list[list[tuple[float, float, float, str, float]]] = []
    for box in sorted(boxes, key=lambda b: (b[0] + b[1]) / 2):
        if lines:
            last = lines[-1]
            top, bottom = min(b[0] for b in last), max(b[1] for b in last)
            overlap = min(bottom, box[1]) - max(top, box[0])
            if overlap > 0.5 * min(bottom - top, box[1] - box[0]):
                last.append(box)
                continue
        lines.append([box])
    out: list[str] = []
    previous_bottom = None
    for line in lines:
        top, bottom = min(b[0] for b in line), max(b[1] for b in line)
        if previous_bottom is not None:
            out.append("\n\n" if top - previous_bottom > (bottom - top) else "\n")
        out.append(_join_words([b[3] for b in sorted(line, key=lambda b: b[2])]))
        previous_bottom = bottom
    return "".join(out)


@cache
def load_ocr_engine(choice: OcrEngineChoice, languages: str = "eng", threads: int = 1) -> OcrEngine | None:
    """The engine for ``choice`` (built once per process); None when OCR is off or, for
    ``auto``, when neither engine is installed. An engine named explicitly must be installed."""
    if choice == "none":
        return None
    if choice == "tesseract":
        return TesseractEngine(languages)
    if choice == "rapidocr":
        return RapidOcrEngine(threads)
    for build in (lambda: TesseractEngine(languages), lambda: RapidOcrEngine(threads)):
        try:
            return build()
        except OcrUnavailableError as exc:
            log.debug("OCR engine unavailable: %s", exc)
    log.warning("no OCR engine is installed: scanned pages and images cannot be read")
    return None


def ocr_engine_name(options: OcrOptions) -> str | None:
    """The engine this machine would use, for status and docs; None when there is none.

    Without loading RapidOCR's models (a second and a half): ``status`` only needs its name.
    """
    if options.engine in ("auto", "tesseract"):
        try:
            return TesseractEngine(options.languages).name
        except OcrUnavailableError:
            if options.engine == "tesseract":
                return None
    if options.engine == "none" or importlib.util.find_spec("rapidocr_onnxruntime") is None:
        return None
    return f"rapidocr {metadata.version('rapidocr-onnxruntime')}"


def iter_image_pages(data: bytes, options: OcrOptions) -> Iterator[Image]:
    """The frames of an image file (one, or each page of a multi-page TIFF), refusing images over
    ``max_pixels`` before they are decoded (a decompression bomb is a few kilobytes on disk)."""
    import io

    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = options.max_pixels  # Pillow refuses twice this itself, before decoding
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ExtractionError(f"image too large (over twice the limit of {options.max_pixels} pixels)") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError(f"unreadable image: {' '.join(str(exc).split())[:200]}") from None
    for frame in ImageSequence.Iterator(image):
        width, height = frame.size
        if width * height > options.max_pixels:
            raise ExtractionError(
                f"image too large ({width} x {height} pixels; the limit is {options.max_pixels}, ocr_max_pixels)"
            )
        yield frame
