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

import codecs
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
    return _one_font_pdf(mapping, len(alphabet), bytes(code[char] for char in text))


def _one_font_pdf(mapping: bytes, entries: int, shown: bytes) -> bytes:
    """A one-page PDF showing the one-byte codes ``shown`` in a font whose ToUnicode map is ``mapping``."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custom def\n"
        b"1 begincodespacerange <01> <FF> endcodespacerange\n"
        b"%d beginbfchar\n%sendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"
        % (entries, mapping)
    )
    shown = shown.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        _stream(b"BT /F1 12 Tf 72 720 Td (" + shown + b") Tj ET"),
        _stream(cmap),
    ]
    return minimal_pdf(objects)


def lone_surrogate_pdf(text: str = "Lease agreement. The tenant pays rent") -> bytes:
    """A PDF whose ToUnicode map sends one code to a lone UTF-16 surrogate (U+D800), as a broken
    font subsetter writes it: pypdf extracts the text with a lone surrogate after every space,
    which no database can store and the tokenizer refuses (TypeError)."""
    alphabet = sorted(set(text))
    code = {char: index + 1 for index, char in enumerate(alphabet)}
    broken = len(alphabet) + 1
    mapping = b"".join(b"<%02X> <%04X>\n" % (code[char], ord(char)) for char in alphabet) + b"<%02X> <D800>\n" % broken
    shown = b"".join(bytes([code[char], broken]) if char == " " else bytes([code[char]]) for char in text)
    return _one_font_pdf(mapping, len(alphabet) + 1, shown)


# Text in many scripts, for the torture corpus: the same lease clauses, written by hand.
SCRIPTS = {
    "lao": "ສັນຍາເຊົ່າສະບັບນີ້ເຮັດຂຶ້ນລະຫວ່າງຜູ້ໃຫ້ເຊົ່າ ແລະ ຜູ້ເຊົ່າ. ຜູ້ເຊົ່າຕ້ອງຈ່າຍຄ່າເຊົ່າທຸກໆເດືອນ.",
    "thai": "สัญญาเช่าฉบับนี้ทำขึ้นระหว่างผู้ให้เช่าและผู้เช่า ผู้เช่าต้องชำระค่าเช่าภายในวันที่หนึ่งของทุกเดือน",
    "arabic": "هذا العقد مبرم بين المؤجر والمستأجر. يلتزم المستأجر بدفع الإيجار في بداية كل شهر. "
    "يخضع هذا العقد لقوانين الدولة.",
    "hebrew": "חוזה שכירות זה נחתם בין המשכיר לבין השוכר. השוכר ישלם את דמי השכירות בתחילת כל חודש.",
    "devanagari": "यह किरायानामा मकान मालिक और किरायेदार के बीच किया गया है। "
    "किरायेदार हर महीने की पहली तारीख को किराया देगा।",
    "chinese": "本租赁合同由出租人与承租人签订。承租人应于每月第一天支付租金。本合同受国家法律管辖。",
    "japanese": "本契約は賃貸人と賃借人との間で締結されるものであり、"
    "賃借人は毎月末日までに翌月分の賃料を支払うものとする。",
    "korean": "이 임대차 계약은 임대인과 임차인 사이에 체결되었습니다. "
    "임차인은 매월 첫째 날에 임대료를 지불해야 합니다.",
    "emoji": "Patient feedback 👩\u200d⚕️👨🏿\u200d⚕️ was positive 👍🏽👍🏻. "
    "The family 👨\u200d👩\u200d👧\u200d👦 attended. "
    "Flags 🏳️\u200d🌈 🇺🇸 🇯🇵 and ❤️\u200d🔥 too.",
    "zero-width": "The\u200b tenant\u200c pays\u200d the rent\ufeff monthly.\u200b\u200b The notice\u2060 period "
    "is thirty\u200b\u200b\u200b days.",
    "mixed-direction": "The lessee (المستأجر) shall pay \u202etnemyap\u202c "
    "and the lessor (המשכיר) \u202dagrees\u202c. "
    "Invoice \u202efdp.exe\u202c attached; \u2067عقد الإيجار\u2069 and \u2066English inside\u2069 end.",
}
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff\u2060"


def zalgo(text: str, marks_per_letter: int = 12, seed: int = 7) -> str:
    """``text`` with a stack of combining diacritics (U+0300..U+036F) on every letter."""
    import random

    rng = random.Random(seed)
    return "".join(
        char + "".join(chr(rng.randrange(0x300, 0x370)) for _ in range(marks_per_letter)) if char.isalpha() else char
        for char in text
    )


STORED = "stored"
"""What ``torture_corpus`` expects of a file that has readable text; anything else is the start of
its quarantine reason."""
UNREADABLE = "no text the embedding model can read"


def torture_corpus(folder: Path) -> dict[str, str]:
    """Documents in many scripts and encodings under ``folder``; path (relative to it) -> STORED or
    the start of its quarantine reason.

    Every file with readable text must be stored whatever its script, encoding or direction;
    only files with nothing a reader (or the embedding model) can read are quarantined.
    """
    folder.mkdir(parents=True, exist_ok=True)
    japanese_long = (SCRIPTS["japanese"] * 60)[:5000]  # several thousand characters, not one space
    long_word = "".join(chr(0x61 + (i * 7) % 26) for i in range(50_000))
    files: dict[str, tuple[bytes, str]] = {
        # UTF-8 text in each script (names in the script too)
        "ລາວ-lao.txt": (SCRIPTS["lao"].encode(), STORED),
        "ไทย-thai.txt": (SCRIPTS["thai"].encode(), STORED),
        "عربي-arabic.txt": (SCRIPTS["arabic"].encode(), STORED),
        "עברית-hebrew.txt": (SCRIPTS["hebrew"].encode(), STORED),
        "हिन्दी-devanagari.txt": (SCRIPTS["devanagari"].encode(), STORED),
        "中文-chinese.txt": (SCRIPTS["chinese"].encode(), STORED),
        "日本語-japanese-no-spaces.txt": (japanese_long.encode(), STORED),
        "한국어-korean.txt": (SCRIPTS["korean"].encode(), STORED),
        "emoji.txt": (SCRIPTS["emoji"].encode(), STORED),
        "emoji-only.txt": (("👨\u200d👩\u200d👧\u200d👦👍🏽🏳️\u200d🌈🇺🇸❤️\u200d🔥🧑🏾\u200d💻 " * 40).encode(), STORED),
        "zero-width.txt": (SCRIPTS["zero-width"].encode(), STORED),
        "zero-width-only.txt": ((ZERO_WIDTH * 200).encode(), UNREADABLE),
        "zalgo.txt": (zalgo("The tenant shall pay the rent on the first day of each month.").encode(), STORED),
        "combining-only.txt": (((LAO_MARKS + "\u0300\u0301\u0302\u0308\u0327") * 50).encode(), UNREADABLE),
        "mixed-direction.txt": (SCRIPTS["mixed-direction"].encode(), STORED),
        "invoice-\u202etxt.exe-rlo-in-name.txt": (b"A file whose name holds a right-to-left override.", STORED),
        "long-word.txt": (f"The clause begins here. {long_word} The clause ends here.".encode(), STORED),
        "long-word-only.txt": (long_word.encode(), STORED),
        "digits-only.txt": (
            "\n".join(" ".join(f"{(i * 7919 + j) % 100000:05d}" for j in range(12)) for i in range(60)).encode(),
            STORED,
        ),
        "digits-one-run.txt": ("".join(str(i % 10) for i in range(20_000)).encode(), STORED),
        "punctuation-only.txt": ((" .,;:!?-—–()[]{}\"'…§•*/\\|\n\t" * 80).encode(), STORED),
        "whitespace-only.txt": ((" \t\n\u00a0\u2003\u3000" * 100).encode(), "no extractable text"),
        # encodings
        "utf16-le-bom-russian.txt": (
            "Договор аренды заключён между арендодателем и арендатором.".encode("utf-16"),
            STORED,
        ),
        "utf16-be-bom-greek.txt": (
            codecs.BOM_UTF16_BE
            + "Η σύμβαση μίσθωσης υπογράφεται από τον εκμισθωτή και τον μισθωτή.".encode("utf-16-be"),
            STORED,
        ),
        "utf16-le-no-bom-latin.txt": (
            "Progress note: the patient is stable and was discharged home.".encode("utf-16-le"),
            STORED,
        ),
        "utf16-be-no-bom-latin.txt": (
            "Progress note: wound healing well; sutures out in ten days.".encode("utf-16-be"),
            STORED,
        ),
        # without a mark, UTF-16 is told by the zero bytes of its spaces (extract.py)
        "utf16-le-no-bom-russian.txt": (
            "Договор аренды заключён между сторонами.".encode("utf-16-le"),
            STORED,
        ),
        "utf16-be-no-bom-greek.txt": (
            "Η σύμβαση μίσθωσης υπογράφεται από τον εκμισθωτή.".encode("utf-16-be"),
            STORED,
        ),
        "utf8-bom-arabic.txt": (codecs.BOM_UTF8 + SCRIPTS["arabic"].encode(), STORED),
        "utf8-bom-chinese.txt": (codecs.BOM_UTF8 + SCRIPTS["chinese"].encode(), STORED),
        "utf32-bom-japanese.txt": (SCRIPTS["japanese"].encode("utf-32"), STORED),
        "windows-1252.txt": (
            "Café owner’s “deposit” of €500 – naïve clause § 4 • Señor Muñoz™.".encode("cp1252"),
            STORED,
        ),
        # PDFs whose text layer is in each script (one ToUnicode font each)
        "thai.pdf": (unicode_text_pdf(SCRIPTS["thai"]), STORED),
        "arabic.pdf": (unicode_text_pdf(SCRIPTS["arabic"]), STORED),
        "hebrew.pdf": (unicode_text_pdf(SCRIPTS["hebrew"]), STORED),
        "devanagari.pdf": (unicode_text_pdf(SCRIPTS["devanagari"]), STORED),
        "chinese.pdf": (unicode_text_pdf(SCRIPTS["chinese"]), STORED),
        "japanese.pdf": (unicode_text_pdf(SCRIPTS["japanese"] * 20), STORED),
        "korean.pdf": (unicode_text_pdf(SCRIPTS["korean"]), STORED),
        "lao.pdf": (unicode_text_pdf(SCRIPTS["lao"]), STORED),
        "emoji.pdf": (unicode_text_pdf(SCRIPTS["emoji"]), STORED),
        "zalgo.pdf": (unicode_text_pdf(zalgo("Zalgo text in a PDF is still text.", 6)), STORED),
        "mixed-direction.pdf": (unicode_text_pdf(SCRIPTS["mixed-direction"]), STORED),
        "lao-marks-only.pdf": (unicode_text_pdf(LAO_MARKS * 20), UNREADABLE),
        "lone-surrogate.pdf": (lone_surrogate_pdf(), STORED),
    }
    expected: dict[str, str] = {}
    for name, (data, outcome) in files.items():
        (folder / name).write_bytes(data)
        expected[name] = outcome
    # a name that is not UTF-8 (Latin-1 bytes from an old file share): Python reads it with lone surrogates
    latin1_name = os.fsdecode(b"caf\xe9-latin1-name.txt")
    (folder / latin1_name).write_bytes(b"A note about the lease; the tenant pays the rent monthly.")
    expected[latin1_name] = "name is not valid UTF-8"
    # a path longer than the store's path column (PostgreSQL refuses it; Linux allows 4096 bytes)
    deep = Path(*(f"{level}-" + "nested" * 40 for level in range(9)), "deep.txt")
    (folder / deep).parent.mkdir(parents=True)
    (folder / deep).write_text("A note filed nine folders deep.")
    expected[str(deep)] = "path too long to store"
    return expected
