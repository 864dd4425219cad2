"""Small hostile files, generated: PDFs that make pypdf spin or allocate, bad text, odd links.

Each PDF is real and tiny; what it costs pypdf 7 was measured (on one core of a laptop-class CPU):

- ``spinning_pdf``: one page drawing one letter two million times. 14 KB on disk; pypdf needs
  about 30 s for the first million and far longer for the second (its text extraction is
  super-linear), so it runs well past any test's time limit while using little memory at first.
- ``bomb_pdf``: pages whose content is Flate inside Flate: 1 KB each on disk, 70 MB of spaces
  each when decoded (just under pypdf's 75 MB per-stream cap). pypdf keeps every decoded page,
  so 40 pages need about 3 GB; PDFium aborts the process when an allocation fails.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path


def minimal_pdf(objects: list[bytes]) -> bytes:
    """A PDF whose object 1 is the catalog, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def _pages(contents: list[bytes]) -> bytes:
    """Catalog (1), pages (2), font (3), then a page and its content stream per entry."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        objects.append(content)
    return minimal_pdf(objects)


def text_pdf(text: str) -> bytes:
    """A one-page PDF with one line of text (for files that must be stored)."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
    return _pages([_stream(b"BT /F1 12 Tf 72 720 Td (" + escaped + b") Tj ET")])


def spinning_pdf(draws: int = 2_000_000) -> bytes:
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td\n" + b"(A) Tj\n" * draws + b"ET\n", 9)
    return _pages([_stream(content, b"/Filter /FlateDecode")])


def bomb_pdf(pages: int = 40, megabytes_per_page: int = 70) -> bytes:
    inner = zlib.compress(b" " * (megabytes_per_page << 20), 9)
    content = _stream(zlib.compress(inner, 9), b"/Filter [/FlateDecode /FlateDecode]")
    return _pages([content] * pages)


def write_hostile_tree(root: Path, outside: Path) -> dict[str, str | None]:
    """Every class of hostile input under ``root`` (and link targets in ``outside``).

    Returns name -> the words its quarantine reason must contain, or None when it must be stored.
    Needs a run with ``max_file_mb = 1``.
    """
    root.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    note = "Discharge summary. The patient was admitted with chest pain and discharged on aspirin."
    files: dict[str, tuple[bytes, str | None]] = {
        "good.pdf": (text_pdf("Lease agreement between the landlord and the tenant for the premises."), None),
        "good.txt": (note.encode(), None),
        "latin1.txt": ("Café résumé: the tenant’s deposit is €500 – see § 4.".encode("cp1252"), None),
        "latin1-only.txt": ("Señor Muñoz paid the déposit in full.".encode("latin-1"), None),
        "utf16-bom.txt": ("Ärztlicher Befund: no acute findings.".encode("utf-16"), None),
        "utf8-bom.txt": (b"\xef\xbb\xbf" + "Naïve plaintiff’s claim.".encode(), None),
        "empty.txt": (b"", "empty file"),
        "empty.pdf": (b"", "empty file"),
        "garbage.txt": (os.urandom(4096), "binary content"),
        "garbage.pdf": (os.urandom(4096), "not a PDF"),
        "utf16-no-bom.txt": ("Progress note without a byte order mark.".encode("utf-16-le"), None),
        "utf16-cjk-no-bom.txt": ("診療記録：異常なし。".encode("utf-16-le") * 4, "binary content"),
        "truncated.pdf": (text_pdf("cut short")[:200], "PDF"),
        "huge.txt": (b"the same line again\n" * 60_000, "file too large"),
        "spinning.pdf": (spinning_pdf(), "took longer than"),
        "bomb.pdf": (bomb_pdf(), "needed more than"),
    }
    expected: dict[str, str | None] = {}
    for name, (data, reason) in files.items():
        (root / name).write_bytes(data)
        expected[name] = reason
    (outside / "secret.txt").write_text("A file outside the source folder that must never be read.")
    (outside / "folder").mkdir(exist_ok=True)
    (outside / "folder" / "inner.txt").write_text("Inside a folder outside the source folder.")
    links = {
        "link-out.txt": (outside / "secret.txt", "outside the source folder"),
        "link-out-folder": (outside / "folder", "outside the source folder"),
        "link-in.txt": (root / "good.txt", None),
        "broken.txt": (root / "missing.txt", "broken symbolic link"),
        "loop-a.txt": (root / "loop-b.txt", "loop"),
        "loop-b.txt": (root / "loop-a.txt", "loop"),
    }
    for name, (target, reason) in links.items():
        (root / name).symlink_to(target)
        expected[name] = reason
    os.mkfifo(root / "pipe.txt")
    expected["pipe.txt"] = "not a regular file (named pipe)"
    return expected


LAO_MARKS = "\u0eb1\u0eb4\u0eb5\u0eb6\u0eb7\u0eb8\u0eb9\u0ebb\u0ebc\u0ec8\u0ec9\u0eca\u0ecb\u0ecc\u0ecd"
"""Lao vowel signs and tone marks: combining characters with no base letter to sit on."""


def unicode_text_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer reads as ``text`` (any Unicode, through a ToUnicode map).

    Each distinct character gets a one-byte code in a simple font, as a PDF producer subsetting
    a font would write it; the page shows nothing legible, but every extractor reads ``text``.
    """
    alphabet = sorted(set(text))
    if len(alphabet) > 250:
        raise ValueError("at most 250 distinct characters")
    code = {char: index + 1 for index, char in enumerate(alphabet)}
    mapping = b"".join(
        b"<%02X> <%s>\n" % (code[char], char.encode("utf-16-be").hex().upper().encode()) for char in alphabet
    )
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custom def\n"
        b"1 begincodespacerange <01> <FF> endcodespacerange\n"
        b"%d beginbfchar\n%sendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"
        % (len(alphabet), mapping)
    )
    shown = bytes(code[char] for char in text).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    content = _stream(b"BT /F1 12 Tf 72 720 Td (" + shown + b") Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        content,
        _stream(cmap),
    ]
    return minimal_pdf(objects)
