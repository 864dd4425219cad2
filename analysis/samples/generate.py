"""Build sample documents and write them as PDF, text or Markdown, plus files an ingester must reject.

Everything is a pure function of the seed: the same seed gives byte-identical text and PDF
files, so tests and benchmarks can rely on a corpus they regenerate instead of committing it.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import random
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from analysis.samples import clinical, legal

KINDS: tuple[str, ...] = (
    "services_agreement", "nda", "lease", "court_opinion",
    "discharge_summary", "progress_note", "radiology_report",
)
# A builder returns (title, text) or (title, text, truth): the facts it wrote, for exact tests.
_BUILDERS: dict[str, Callable[[random.Random], tuple]] = legal.BUILDERS | clinical.BUILDERS
_DOMAINS = {kind: "legal" for kind in legal.BUILDERS} | {kind: "medical" for kind in clinical.BUILDERS}
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # PDFs embed their creation date; fix it for byte-identity
USER_PASSWORD = "secret"


@dataclass(frozen=True)
class SampleDocument:
    """One generated document; ``text`` is the full body with blank lines between paragraphs."""

    kind: str
    domain: str
    title: str
    text: str
    seed: int
    truth: dict = field(default_factory=dict)  # the facts written into the text (extract job tests)


def make_document(kind: str, *, seed: int) -> SampleDocument:
    """Generate one document of ``kind``; the kind is mixed into the seed so kinds do not share facts."""
    if kind not in _BUILDERS:
        raise ValueError(f"unknown document kind {kind!r}; valid kinds: {', '.join(KINDS)}")
    title, text, *truth = _BUILDERS[kind](random.Random(f"{kind}:{seed}"))
    return SampleDocument(
        kind=kind, domain=_DOMAINS[kind], title=title, text=text, seed=seed, truth=truth[0] if truth else {}
    )


# --------------------------------------------------------------------------- writers


def write_text(doc: SampleDocument, path: Path) -> Path:
    """UTF-8 text with '\\n' line endings on every platform, so files hash the same everywhere."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.text + "\n", encoding="utf-8", newline="\n")
    return path


def write_markdown(doc: SampleDocument, path: Path) -> Path:
    """Markdown with the detected headings marked, for tools that split on '#'."""
    blocks = doc.text.split("\n\n")
    lines = [f"# {blocks[0]}"] + [f"## {b}" if _is_heading(b) else b for b in blocks[1:]]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return path


def write_pdf(doc: SampleDocument, path: Path) -> Path:
    """A text PDF in a core font; page breaks come from real pagination, not form feeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_pdf(doc))
    return path


WRITERS: dict[str, Callable[[SampleDocument, Path], Path]] = {"pdf": write_pdf, "txt": write_text, "md": write_markdown}

_WHOLE_LINE_HEADING = re.compile(r"^(ARTICLE \d+\.|[IVX]+\. [A-Z]|[A-D]\. [A-Z]|\d+\. [A-Z][A-Z ;,'-]+$)")
_LABEL = re.compile(
    r"^(Section \d+\.\d+ [^.]+\.|\d+\.\d+ [^.]+\.|[A-Z][A-Z0-9 ,/&()'-]*[A-Z)]:(?= |$)|[A-Z][a-z][A-Za-z ,-]*:(?= ))"
)


def _is_heading(block: str) -> bool:
    """A one-line block that is a heading: 'ARTICLE 2. TERM', 'III. DISCUSSION', 'RECITALS', 'FINDINGS:'."""
    if "\n" in block or len(block) > 90:
        return False
    return bool(_WHOLE_LINE_HEADING.match(block)) or block.isupper() or block.endswith(":")


class _SamplePDF(FPDF):
    """FPDF with a running footer, like the letterhead footers real documents carry."""

    def __init__(self, footer_text: str, font: str) -> None:
        super().__init__(format="Letter")
        self.footer_text = footer_text
        self.body_font = font

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.body_font, "I", 8)
        self.cell(0, 10, f"{self.footer_text}    Page {self.page_no()} of {{nb}}", align="C")


def render_pdf(doc: SampleDocument) -> bytes:
    """The PDF bytes for ``doc``: title centred, headings bold, clause and section labels bold inline."""
    font = "Times" if doc.domain == "legal" else "Helvetica"
    size = 10
    footer = "CONFIDENTIAL" if doc.domain == "legal" else "CONFIDENTIAL PATIENT INFORMATION"
    pdf = _SamplePDF(footer, font)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(doc.title)
    pdf.set_subject(doc.kind)
    pdf.set_author("analysis.samples (synthetic, fictional)")
    pdf.set_margins(20, 16, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    title, *blocks = doc.text.split("\n\n")
    pdf.set_font(font, "B", size + 3)
    pdf.multi_cell(0, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for block in blocks:
        _render_block(pdf, block, font, size)
    return bytes(pdf.output())


def _render_block(pdf: FPDF, block: str, font: str, size: int) -> None:
    """One paragraph: a bold heading line, or lines whose leading label is bold."""
    line_height = size * 0.46
    if _is_heading(block):
        pdf.set_font(font, "B", size + 1)
        pdf.multi_cell(0, line_height + 1, block, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
        return
    for line in block.split("\n"):
        match = _LABEL.match(line)
        if match:
            pdf.set_font(font, "B", size)
            pdf.write(line_height, match.group(0))
            line = line[match.end():]
        pdf.set_font(font, "", size)
        pdf.write(line_height, line)
        pdf.ln(line_height)
    pdf.ln(2)


# --------------------------------------------------------------------------- corpus


def _doc_seed(seed: int, index: int) -> int:
    """A per-file seed: stable across runs and Python versions, and unrelated for neighbouring indices."""
    digest = hashlib.sha256(f"analysis.samples:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def _plan(n: int | None, formats: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """(index, kind, format) per file: the demo set is every kind in every format."""
    if n is None:
        return [(k * len(formats) + f, kind, fmt) for k, kind in enumerate(KINDS) for f, fmt in enumerate(formats)]
    if n < 0:
        raise ValueError(f"n must be zero or positive, got {n}")
    return [(i, KINDS[i % len(KINDS)], formats[i % len(formats)]) for i in range(n)]


# --------------------------------------------------------------------------- files to quarantine


def write_bad_files(bad_dir: Path, *, seed: int = 0) -> list[Path]:
    """encrypted.pdf, corrupt.pdf, empty.txt and scanned.pdf: one of each failure an ingester meets."""
    bad_dir = Path(bad_dir)
    bad_dir.mkdir(parents=True, exist_ok=True)
    source = render_pdf(make_document("nda", seed=_doc_seed(seed, -1)))
    files = {
        "encrypted.pdf": encrypted_pdf(source, seed),
        "corrupt.pdf": corrupt_pdf(source, seed),
        "empty.txt": b"",
        "scanned.pdf": scanned_pdf(seed),
    }
    paths = []
    for name, data in files.items():
        path = bad_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths


class _SeededSecrets:
    """Stands in for the ``secrets`` module inside pypdf so encryption salts and IVs repeat."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"encrypted:{seed}")

    def token_bytes(self, nbytes: int | None = None) -> bytes:
        return self._rng.randbytes(32 if nbytes is None else nbytes)


_PYPDF_RANDOM_USERS = (
    "pypdf._writer", "pypdf._encryption", "pypdf._crypt_providers._cryptography",
    "pypdf._crypt_providers._pycryptodome",
)
_PATCH_LOCK = threading.Lock()


@contextmanager
def _deterministic_pypdf(seed: int) -> Iterator[None]:
    """Swap pypdf's module-level ``secrets`` for a seeded one while one fixture is written.

    The real ``secrets`` module is never touched, and only pypdf modules that imported it are
    patched, so nothing else in the process loses its randomness. If a pypdf release moves
    these modules the output is simply not reproducible; the determinism test will say so.
    """
    fake = _SeededSecrets(seed)
    with _PATCH_LOCK:
        saved = {}
        for name in _PYPDF_RANDOM_USERS:
            with suppress(ImportError):
                module = importlib.import_module(name)
                if hasattr(module, "secrets"):
                    saved[module] = module.secrets
                    module.secrets = fake
        try:
            yield
        finally:
            for module, original in saved.items():
                module.secrets = original


def encrypted_pdf(source: bytes, seed: int) -> bytes:
    """``source`` re-written with AES-128 and user password 'secret', reproducibly."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    buffer = io.BytesIO()
    with _deterministic_pypdf(seed):
        writer.encrypt(user_password=USER_PASSWORD, algorithm="AES-128")
        writer.write(buffer)
    return buffer.getvalue()


_PDF_TOKENS = (b"obj", b"xref", b"trailer", b"startxref", b"%%EOF", b"stream")


def corrupt_pdf(source: bytes, seed: int) -> bytes:
    """The real header line of ``source`` followed by noise with no object, xref or trailer.

    pypdf, even with strict=False, rebuilds a broken xref by scanning for 'N 0 obj'; leaving
    every PDF token out of the noise makes the file genuinely unrecoverable.
    """
    header = source.split(b"\n", 1)[0] + b"\n%\xe2\xe3\xcf\xd3\n"
    noise = bytearray(random.Random(f"corrupt:{seed}").randbytes(4096))
    for token in _PDF_TOKENS:
        start = noise.find(token)
        while start != -1:
            noise[start] ^= 0x20  # flip case of the first byte; still noise, no longer a token
            start = noise.find(token, start + 1)
    return header + bytes(noise)


def scanned_pdf(seed: int) -> bytes:
    """A page that looks like a scan to a person but carries no text layer at all."""
    rng = random.Random(f"scanned:{seed}")
    pdf = FPDF(format="Letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.set_fill_color(246, 244, 238)
    pdf.rect(0, 0, pdf.w, pdf.h, style="F")
    pdf.set_fill_color(70, 70, 70)
    y = 30.0
    while y < pdf.h - 30:
        width = rng.uniform(60, 165) if rng.random() < 0.85 else 0
        if width:
            pdf.rect(25, y, width, 2.2, style="F")  # a smudged line of "text"
        y += 6.5
    pdf.set_draw_color(40, 40, 40)
    pdf.ellipse(150, pdf.h - 45, 35, 18)  # a stamp
    return bytes(pdf.output())
