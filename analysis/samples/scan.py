"""Scanned-looking copies of the sample PDFs, for OCR tests, the OCR benchmark and the demo.

A text PDF's pages are rendered with PDFium and, with ``degrade``, made to look like an office
scan or a fax: turned up to 2 degrees (white corners), blurred a little, given grey noise and
black and white specks, and put through JPEG at quality 40 to 60. From those images come:

- ``scanned_pdf_from``: an image-only PDF, with no text layer at all;
- ``scanned_png``: one page as a PNG;
- ``scanned_tiff``: a multi-page TIFF, binarised and CCITT Group 4 compressed like a fax;
- ``mixed_pdf``: the whole document with one page swapped for its scan, the rest keeping text.

``write_scans`` writes a corpus's worth of them (``generate_corpus(scanned=N)``) and returns each
file's *known text*: the source PDF's own text layer for the pages the file holds, which is what
OCR should read back (``page_texts``).

Every output is a pure function of its input and seed: the same bytes each time, with the same
Pillow, numpy and PDFium (``pypdfium2``) versions. Pillow would stamp the PDF with the time it
was written; the fixed date of the text PDFs is stamped instead.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from pypdf import PdfReader, PdfWriter

from analysis.samples.generate import FIXED_DATE, SampleDocument, _doc_seed, _plan, make_document, render_pdf

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

SCAN_DPI = 200  # what office scanners default to, and fax "fine" mode (204 x 196)
_PDF_JPEG_QUALITY = 75  # the pages' JPEG quality inside a scanned PDF (the degraded ones went through 40-60 already)
_WHITE_LEVEL = 230  # grey levels from this up become white in a PNG
_BINARY_THRESHOLD = 170  # grey levels below this become black in a binarised (fax) TIFF


@dataclass(frozen=True)
class Degradation:
    """How one page is spoiled; drawn from the seed and the page index, so each page differs."""

    angle: float  # degrees, anticlockwise, within +-2
    blur: float  # Gaussian blur radius in pixels at 300 dpi (scaled to the rendering's dpi)
    noise: float  # standard deviation of the grey noise, in grey levels
    specks: float  # fraction of pixels turned black or white (salt and pepper)
    quality: int  # JPEG quality of the re-encoding

    @classmethod
    def draw(cls, seed: int, page: int) -> Degradation:
        rng = np.random.default_rng(_entropy("degrade", seed, page))
        return cls(
            angle=round(float(rng.uniform(-2.0, 2.0)), 3),
            blur=round(float(rng.uniform(0.4, 1.0)), 3),
            noise=round(float(rng.uniform(4.0, 10.0)), 3),
            specks=round(float(rng.uniform(0.0005, 0.002)), 5),
            quality=int(rng.integers(40, 61)),
        )


def _entropy(*parts: object) -> int:
    """A 128-bit seed for numpy from ``parts``: stable across runs, Python and numpy versions."""
    return int.from_bytes(hashlib.sha256(":".join(map(str, ("analysis.samples.scan", *parts))).encode()).digest()[:16])


def page_images(
    pdf_bytes: bytes, *, dpi: int = SCAN_DPI, degrade: bool = True, seed: int = 0, pages: Sequence[int] | None = None
) -> list[PILImage]:
    """Greyscale ("L") images of the PDF's pages (0-based ``pages``, default all) at ``dpi``;
    with ``degrade``, each spoiled as a scan would be (see ``Degradation``), deterministically."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        indices = range(len(pdf)) if pages is None else pages
        images = []
        for index in indices:
            if not 0 <= index < len(pdf):
                raise ValueError(f"page {index} out of range: the PDF has {len(pdf)} page(s)")
            page = pdf[index]
            try:
                image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
            if degrade:
                image = degrade_image(image, Degradation.draw(seed, index), dpi=dpi, seed=seed, page=index)
            images.append(image)
        return images
    finally:
        pdf.close()


def degrade_image(image: PILImage, how: Degradation, *, dpi: int, seed: int = 0, page: int = 0) -> PILImage:
    """``image`` (greyscale) turned, blurred, noised, specked and JPEG re-encoded as ``how`` says."""
    rng = np.random.default_rng(_entropy("noise", seed, page))
    out = image.convert("L").rotate(how.angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(how.blur * dpi / 300))
    pixels = np.asarray(out, dtype=np.float32) + rng.normal(0.0, how.noise, (out.height, out.width)).astype(np.float32)
    specks = rng.random((out.height, out.width), dtype=np.float32)
    pixels[specks < how.specks / 2] = 0.0
    pixels[specks > 1.0 - how.specks / 2] = 255.0
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=how.quality)
    with Image.open(io.BytesIO(buffer.getvalue())) as decoded:
        return decoded.convert("L")  # a plain image, no longer tied to the JPEG buffer


def page_texts(pdf_bytes: bytes) -> list[str]:
    """The text layer of each page as PDFium reads it (``\\n`` line ends): what OCR of the page's
    image should read back, running footer included."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            finally:
                textpage.close()
                page.close()
        return texts
    finally:
        pdf.close()


def images_to_pdf(images: Sequence[PILImage], *, dpi: int) -> bytes:
    """An image-only PDF, one page per image at ``dpi``, with a fixed creation date."""
    if not images:
        raise ValueError("no pages to write")
    stamp = FIXED_DATE.utctimetuple()
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=list(images[1:]),
        resolution=float(dpi),
        quality=_PDF_JPEG_QUALITY,
        creationDate=stamp,
        modDate=stamp,
    )
    return buffer.getvalue()


def scanned_pdf_from(
    pdf_bytes: bytes, seed: int, *, dpi: int = SCAN_DPI, degrade: bool = True, pages: Sequence[int] | None = None
) -> bytes:
    """An image-only PDF of ``pdf_bytes``'s pages (0-based ``pages``, default all): no text layer."""
    return images_to_pdf(page_images(pdf_bytes, dpi=dpi, degrade=degrade, seed=seed, pages=pages), dpi=dpi)


def scanned_png(pdf_bytes: bytes, seed: int, *, page: int = 0, dpi: int = SCAN_DPI, degrade: bool = True) -> bytes:
    """One page (0-based) as a greyscale PNG, as a scanner's "save as image" writes it: its driver
    levels the light background to white (which also keeps the file a few hundred kilobytes)."""
    (image,) = page_images(pdf_bytes, dpi=dpi, degrade=degrade, seed=seed, pages=[page])
    image = image.point(lambda v: 255 if v >= _WHITE_LEVEL else v)  # the driver's background removal
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi), optimize=False, compress_level=9)
    return buffer.getvalue()


def scanned_tiff(
    pdf_bytes: bytes,
    seed: int,
    *,
    dpi: int = SCAN_DPI,
    degrade: bool = True,
    pages: Sequence[int] | None = None,
    binarise: bool = True,
) -> bytes:
    """A multi-page TIFF of the pages: binarised and Group 4 compressed (a fax), or with
    ``binarise=False`` greyscale and Deflate compressed."""
    images = page_images(pdf_bytes, dpi=dpi, degrade=degrade, seed=seed, pages=pages)
    if not images:
        raise ValueError("no pages to write")
    if binarise:
        images = [image.point(lambda v: 255 if v >= _BINARY_THRESHOLD else 0, mode="1") for image in images]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        "TIFF",
        save_all=True,
        append_images=images[1:],
        compression="group4" if binarise else "tiff_deflate",
        dpi=(dpi, dpi),
    )
    return buffer.getvalue()


def mixed_pdf(
    pdf_bytes: bytes, seed: int, *, scanned_page: int = 1, dpi: int = SCAN_DPI, degrade: bool = True
) -> bytes:
    """The whole document with page ``scanned_page`` (0-based) an image only and the other pages
    keeping their text layer, as when one page of a signed contract was scanned back in."""
    text = PdfReader(io.BytesIO(pdf_bytes))
    if not 0 <= scanned_page < len(text.pages):
        raise ValueError(f"page {scanned_page} out of range: the PDF has {len(text.pages)} page(s)")
    scan = PdfReader(io.BytesIO(scanned_pdf_from(pdf_bytes, seed, dpi=dpi, degrade=degrade, pages=[scanned_page])))
    writer = PdfWriter()
    for index, page in enumerate(text.pages):
        writer.add_page(scan.pages[0] if index == scanned_page else page)
    writer.add_metadata({**(text.metadata or {}), "/Producer": "analysis.samples"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- comparing OCR with the known text


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions of one character each), one numpy
    row at a time: a page against a page takes a fraction of a second."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    columns = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(b) + 1, dtype=np.int64)
    row = steps.copy()
    for i, char in enumerate(np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32), start=1):
        # substitution or deletion first; then insertions, which run left to right: a running minimum
        best = np.empty_like(row)
        best[0] = i
        np.minimum(row[1:] + 1, row[:-1] + (columns != char), out=best[1:])
        row = np.minimum.accumulate(best - steps) + steps
    return int(row[-1])


_FILL_IN_LINE = re.compile(r"_{3,}")


def normalise_for_cer(text: str, *, whitespace: str = "collapse") -> str:
    """``text`` in NFKC form (ligatures and full-width forms folded), without fill-in lines (runs of
    three or more underscores, as in "By: ______", which OCR rightly reads as a rule, not text),
    and with its whitespace either collapsed (every run of spaces, tabs and line breaks, blank
    lines included, becomes one space; none at either end) or, with ``whitespace="ignore"``,
    removed altogether."""
    text = _FILL_IN_LINE.sub(" ", unicodedata.normalize("NFKC", text))
    if whitespace == "ignore":
        return "".join(text.split())
    if whitespace == "collapse":
        return " ".join(text.split())
    raise ValueError(f"whitespace must be 'collapse' or 'ignore', got {whitespace!r}")


def character_error_rate(reference: str, hypothesis: str, *, whitespace: str = "collapse") -> float:
    """Edit distance over the reference's length, both normalised by ``normalise_for_cer``; can
    pass 1 when OCR invents text. 0 for two empty texts."""
    ref = normalise_for_cer(reference, whitespace=whitespace)
    hyp = normalise_for_cer(hypothesis, whitespace=whitespace)
    if not ref:
        return 0.0 if not hyp else 1.0
    return levenshtein(ref, hyp) / len(ref)


# --------------------------------------------------------------------------- a corpus's scans


@dataclass(frozen=True)
class ScannedSample:
    """One scanned file of a generated corpus and the text OCR should read back from it.

    ``form`` is ``scan.pdf``, ``scan.png``, ``scan.tif`` or ``mixed.pdf``; ``pages`` are the
    source PDF's page numbers (1-based) the file holds, in order; ``scanned`` those of them that
    are images only (all, but in the mixed PDF); ``known_text`` each held page's text layer in
    the source PDF; ``seed`` the seed of the document and of its degradation; ``source`` the
    text PDF it is made from.
    """

    name: str
    form: str
    document: SampleDocument
    seed: int
    pages: tuple[int, ...]
    scanned: tuple[int, ...]
    known_text: tuple[str, ...]
    source: bytes = field(repr=False, compare=False)  # the text PDF it was made from

    @property
    def scanned_text(self) -> str:
        """The known text of the image-only pages, a blank line between pages."""
        return "\n\n".join(t for number, t in zip(self.pages, self.known_text, strict=True) if number in self.scanned)

    def render(self) -> bytes:
        """The file's bytes."""
        source = self.source
        held = [p - 1 for p in self.pages]
        if self.form == "scan.pdf":
            return scanned_pdf_from(source, self.seed, pages=held)
        if self.form == "scan.png":
            return scanned_png(source, self.seed, page=held[0])
        if self.form == "scan.tif":
            return scanned_tiff(source, self.seed, pages=held)
        return mixed_pdf(source, self.seed, scanned_page=self.scanned[0] - 1)


# Kinds of the scans: the PDFs cycle through every kind; the PNG is a one-page report, the TIFF
# a two-page clinic note (a fax), the mixed PDF a three-page lease with its second page scanned.
_SCAN_PDF_KINDS = (
    "discharge_summary", "nda", "court_opinion", "radiology_report", "services_agreement", "progress_note", "lease",
)
_OTHER_FORMS = (("radiology_report", "scan.png"), ("progress_note", "scan.tif"), ("lease", "mixed.pdf"))


def scanned_samples(
    *, n: int | None = None, seed: int = 0, formats: tuple[str, ...] = ("pdf", "txt"), scanned: int
) -> list[ScannedSample]:
    """The scanned files ``generate_corpus`` writes with the same arguments, and their known text.

    ``scanned`` one-page image-only PDFs (``*-scan.pdf``), then one PNG page, one two-page TIFF
    and one mixed PDF; none when ``scanned`` is 0. Each is a new document, numbered on from the
    corpus's other files; all are degraded. Only the text PDFs are made here (fast): ``render``
    makes a file's bytes.
    """
    if scanned < 0:
        raise ValueError(f"scanned must be zero or positive, got {scanned}")
    if scanned == 0:
        return []
    first_index = len(_plan(n, tuple(formats)))
    plan = [(_SCAN_PDF_KINDS[i % len(_SCAN_PDF_KINDS)], "scan.pdf") for i in range(scanned)] + list(_OTHER_FORMS)
    samples = []
    for offset, (kind, form) in enumerate(plan):
        index = first_index + offset
        document = make_document(kind, seed=_doc_seed(seed, index))
        source = render_pdf(document)
        texts = page_texts(source)
        if form == "mixed.pdf":
            held, image_only = tuple(range(len(texts))), (min(1, len(texts) - 1),)
        elif form == "scan.tif":
            held = image_only = tuple(range(min(2, len(texts))))
        else:
            held = image_only = (0,)
        samples.append(
            ScannedSample(
                name=f"{document.domain}-{kind}-{index:04d}-{form}",
                form=form,
                document=document,
                seed=document.seed,
                pages=tuple(p + 1 for p in held),
                scanned=tuple(p + 1 for p in image_only),
                known_text=tuple(texts[p] for p in held),
                source=source,
            )
        )
    return samples


def write_scans(out_dir: Path, samples: Sequence[ScannedSample]) -> list[Path]:
    """Each sample's file in ``out_dir``, in order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for sample in samples:
        path = out_dir / sample.name
        path.write_bytes(sample.render())
        paths.append(path)
    return paths
