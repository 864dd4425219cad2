"""Section detection for legal and medical documents.

Headings are found line by line with compiled regular expressions, so that a
200-page document is handled in a fraction of a second and the result is a pure
function of the text. ``detect_headings`` returns the headings it trusts;
``split_into_sections`` turns them into a contiguous partition of the text that
the chunker can attach to every chunk as its section path.

Levels
------
legal
    1: ``ARTICLE``/``PART``/``CHAPTER`` headings, standalone upper-case title lines
    (``BACKGROUND``, ``EXHIBIT A``), known court-report labels (``judgment:``), and
    ``1. DEFINITIONS`` (a single-number clause whose title is upper case, which is
    how many contracts mark their top level);
    2: ``Section 2.1 ...``, ``§ 3 ...`` and numbered clauses ``1.``, ``1.1``, ``12.3.4``;
    3: sub-clauses ``(a)``, ``(i)``, ``(A)``.
medical
    1: clinical headings (``HISTORY OF PRESENT ILLNESS:``), any upper-case label of
    one to six words followed by a colon, and standalone upper-case title lines;
    2: exam and review-of-systems labels (``HEENT:``, ``Lungs:``) inside an
    examination section.
other
    Both rule sets, conservatively: no sub-clauses, numbered clauses only with a
    short title, and only known clinical labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from analysis.records import Section

__all__ = ["Heading", "detect_headings", "split_into_sections"]

MAX_TITLE_CHARS = 120
SENTENCE_TITLE_CHARS = 80
PATH_SEPARATOR = " > "


@dataclass(frozen=True)
class Heading:
    """A heading found in a text; ``text[start:end]`` is the raw heading label."""

    title: str
    level: int
    start: int
    end: int


# --------------------------------------------------------------------------- #
# Shared patterns
# --------------------------------------------------------------------------- #

_WS_RE = re.compile(r"\s+")
_LEADING_WS_RE = re.compile(r"[^\S\n]*")
# Underlines and rules that some filings put after a heading ("ARTICLE I ------").
_TRAILING_RULE_RE = re.compile(r"[\s_=*-]{3,}$")
# A table-of-contents line: dot leaders, or spaced dots before a page number.
_TOC_LEADER_RE = re.compile(r"\.{4,}|(?:\.\s){4,}|(?:\s\.){2,}\s*\S{0,4}$|_{4,}\s*\d+\s*$")
# "Term of Agreement 4" at the end of a title or before the next TOC entry.
_TOC_PAGE_RE = re.compile(r"^(?P<title>[^.\n]{1,80}?[A-Za-z)])\s+\d{1,3}(?:\s*$|\s{2,}\S)")
# A sentence/label terminator: '.' or ':' after a word, followed by space or end.
_TERMINATOR_RE = re.compile(r"(?<=[A-Za-z0-9)\]\"'”’])\s*[.:](?=\s|$)")
# What starts a new item after a column gap: "7.1 ", "(a) ", "- ", "• ".
_NEXT_ITEM_RE = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})+\.?\s|\(\w{1,4}\)|[-•*·]\s)")
# A flattened next clause inside a title line: "GENERAL PROVISIONS 12.1 Notices".
_EMBEDDED_CLAUSE_RE = re.compile(r"\s(?=\d{1,3}\.\d{1,3}\.?\s+[A-Z\"“])")
# A column gap ("3.1   Term   Either party...") that ends a title-like label.
_GAP_RE = re.compile(r"[ \t]{3,}")
_ABBREVIATIONS = frozenset(
    ["inc", "co", "corp", "ltd", "llc", "lp", "no", "nos", "mr", "mrs", "ms", "dr", "st"]
    + ["jr", "sr", "vs", "v", "u.s", "e.g", "i.e", "etc", "art", "sec", "para", "cl", "p"]
    + ["pp", "approx", "fig"]
)
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to"]
    + ["with", "under", "upon", "into", "its", "per", "vs", "v"]
)
# Lines that are only connectors in a cover page ("AND", "BETWEEN") are not titles.
_CONNECTOR_WORDS = _SMALL_WORDS | {"between", "among", "dated", "amongst", "&"}


def _term_set(terms: str) -> frozenset[str]:
    """Parse a ``|``/newline separated list of lower-case terms."""
    return frozenset(t.strip() for t in terms.replace("\n", "|").split("|") if t.strip())


# --------------------------------------------------------------------------- #
# Legal patterns
# --------------------------------------------------------------------------- #

_ROMAN = r"(?:[IVXLC]{1,7}|[ivxlc]{1,7})"
# ARTICLE I / Article 5. / PART II / CHAPTER 3: / CHAPTER I: ORGANIZATION OF THE COURT
_DIVISION_RE = re.compile(
    rf"(?P<kw>ARTICLE|Article|PART|Part|CHAPTER|Chapter|TITLE|SCHEDULE|EXHIBIT|APPENDIX|ANNEX)"
    rf"[ \t]+(?P<num>\d{{1,3}}[A-Z]?|{_ROMAN}|[A-Z])(?![\w(])\.?"
    r"(?P<rest>[^\n]*)$"
)
# Section 2.1 / SECTION 4. / Sec. 3
_SECTION_RE = re.compile(
    r"(?P<kw>SECTION|Section|Sec\.)[ \t]+(?P<num>\d{1,3}(?:\.\d{1,3}){0,4}[A-Za-z]?)(?![\w(])\.?"
    r"(?P<rest>[^\n]*)$"
)
# § 3 Payment / §§ 3-5
_PARAGRAPH_RE = re.compile(r"§{1,2}[ \t]*(?P<num>\d{1,4}[a-z]?(?:\.\d{1,3})*)(?![\w(])\.?(?P<rest>[^\n]*)$")
# 1.  /  1.1  /  12.3.4  /  10.A.  /  11.0
_NUMBERED_RE = re.compile(
    r"(?P<num>\d{1,3}(?:\.\d{1,3}){0,4}(?:\.[A-Z](?=[.\s]))?)(?P<dot>\.?)(?P<gap>[ \t]+)(?P<rest>\S[^\n]*)$"
)
# (a) / (iv) / (A) / (1)
_SUBCLAUSE_RE = re.compile(
    r"(?P<num>\((?:[a-z]{1,2}|[ivxl]{1,6}|[IVXL]{1,6}|[A-Z]{1,2}|\d{1,2})\))\.?(?P<gap>[ \t]*)(?P<rest>\S[^\n]*)$"
)
# Whole-line labels of court reports and opinions ("judgment:", "BACKGROUND").
_LEGAL_LABEL_SET = _term_set(
    """
    opinion|judgment|judgement|headnote|held|order|background|facts|discussion|analysis
    conclusion|conclusions|introduction|recitals|witnesseth|definitions|preamble|petitioner
    petitioners|respondent|respondents|appellant|appellants|citation|citations|bench|act
    date of judgment|citator info|issues|questions presented|summary of argument
    statement of facts|statement of the case|procedural history|standard of review|dissent
    concurrence|per curiam|reasons for judgment|table of contents
    """
)
_LEGAL_LABEL_RE = re.compile(r"(?P<label>[A-Za-z][A-Za-z ]{1,30}?)[ \t]*:?[ \t]*$")

# --------------------------------------------------------------------------- #
# Medical patterns
# --------------------------------------------------------------------------- #

# An upper-case label at line start followed by a colon: "HISTORY OF PRESENT ILLNESS:"
_CAPS_LABEL_RE = re.compile(r"(?P<label>[A-Z][A-Z0-9/&,()'.+ -]{0,60}?)[ \t]*:(?!\d)")
# Any-case label followed by a colon, checked against the known lists.
_ANY_LABEL_RE = re.compile(r"(?P<label>[A-Za-z][A-Za-z/&,()' -]{0,50}?)[ \t]*:(?!\d)")

_MEDICAL_HEADING_SET = _term_set(
    """
    hpi|history of present illness|history of the present illness|history of present complaint
    chief complaint|cc|reason for visit|reason for consultation|reason for consult|reason for admission
    reason for referral|past medical history|pmh|past surgical history|psh|surgical history
    past history|medical history|medications|current medications|medication|home medications
    medications at home|present medications|allergies|drug allergies|social history|family history
    personal history|review of systems|ros|physical examination|physical exam|exam|examination
    vital signs|vitals|laboratory data|laboratory|labs|laboratory studies|laboratory tests
    diagnostic studies|diagnostic data|studies|radiology|assessment|plan|assessment and plan
    assessment/plan|impression and plan|impression/plan|subjective|objective|discharge diagnoses
    discharge diagnosis|admitting diagnoses|admitting diagnosis|admission diagnoses|admission diagnosis
    diagnoses|diagnosis|final diagnoses|final diagnosis|hospital course|emergency department course
    disposition|condition at discharge|condition on discharge|condition upon discharge
    discharge condition|discharge medications|discharge instructions|follow-up|follow up|followup
    impression|findings|technique|comparison|indication|indications|clinical history|clinical indication
    procedure|procedures|procedure performed|procedures performed|preoperative diagnosis
    postoperative diagnosis|pre-operative diagnosis|post-operative diagnosis|anesthesia
    estimated blood loss|complications|specimens|drains|operation|operative procedure
    description of procedure|description of operation|operative findings|recommendations
    problem list|interval history|immunizations|history|medical decision making|treatment
    discharge summary|history and physical|consultation|progress note|operative report
    conclusion|summary|diet|activity|code status|date of admission|date of discharge
    admission date|discharge date|addendum|findings and impression
    """
)

_EXAM_SYSTEM_SET = _term_set(
    """
    general|gen|general appearance|appearance|constitutional|vital signs|vitals|vs|heent|head
    eyes|eye|ears|ear|nose|throat|mouth|ent|ears, nose, mouth and throat|nose and throat
    oropharynx|neck|lungs|lung|chest|respiratory|pulmonary|resp|heart|cardiac|cardiovascular|cv
    cvs|breasts|breast|abdomen|abd|gi|gastrointestinal|gu|genitourinary|genitalia|pelvic|rectal
    back|spine|extremities|ext|musculoskeletal|msk|skin|integumentary|neurologic|neurological
    neuro|cns|psychiatric|psych|psychological|lymph|lymphatic|lymphatics|lymph nodes|lymph system
    endocrine|hematologic|heme|hematologic/lymphatic|allergic/immunologic|immunologic|vascular
    peripheral vascular|urological|mental status|pulses|head and neck
    """
)
# Words that mark a top-level clinical heading even inside an exam section.
_TOP_LEVEL_WORDS_RE = re.compile(
    r"HISTORY|DIAGNOS|PLAN|ASSESSMENT|IMPRESSION|MEDICATION|ALLERG|LAB|COURSE|PROCEDURE|"
    r"DISPOSITION|FOLLOW|RECOMMEND|DATA|STUDIES|INSTRUCTION|DATE|REASON|COMPLAINT|CONDITION|"
    r"RESULT|FINDINGS|TECHNIQUE|DISCHARGE|ADMISSION|SUMMARY|SUBJECTIVE|IMPRESSION|RADIOLOGY|"
    r"TREATMENT|DECISION|PROBLEM|CONSULT",
)
_EXAM_CONTEXT_RE = re.compile(r"EXAM|REVIEW OF SYSTEMS|\bROS\b|OBJECTIVE|PHYSICAL", re.IGNORECASE)


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def _clean(raw: str) -> str:
    """Collapse whitespace and drop a trailing colon/period so titles compare cleanly."""
    title = _TRAILING_RULE_RE.sub("", _WS_RE.sub(" ", raw).strip())
    while title and title[-1] in ":;,." and not _ends_with_abbreviation(title):
        title = title[:-1].rstrip()
    return title


def _ends_with_abbreviation(title: str) -> bool:
    """True when the trailing period belongs to an abbreviation such as ``Inc.``."""
    if not title.endswith("."):
        return False
    word = title[:-1].rsplit(" ", 1)[-1].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _is_upper_text(s: str) -> bool:
    """At least three letters and none of them lower case."""
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and not any(c.islower() for c in letters)


def _is_title_like(s: str, max_words: int = 12) -> bool:
    """A short phrase whose significant words are capitalised: a heading, not prose."""
    words = s.split()
    if not words or len(words) > max_words:
        return False
    significant = [w for w in words if w.lower().strip("(),;\"'") not in _SMALL_WORDS]
    if not significant or words[-1].lower() in _SMALL_WORDS:
        return False
    capital = sum(1 for w in significant if w.lstrip("(\"'“").rstrip()[:1].isupper() or w[:1].isdigit())
    return capital / len(significant) >= 0.75


def _label_end(rest: str) -> tuple[int, bool]:
    """Where a clause's label ends inside ``rest`` (the text after its number).

    Returns ``(end, short)``: ``short`` is True when the label is a short phrase closed by
    a terminator (``Termination for Cause.``) or the whole short line; otherwise the
    label is a cut of the running sentence (first sentence or ~80 characters).
    """
    stripped = rest.rstrip()
    inner = _EMBEDDED_CLAUSE_RE.search(stripped)
    if inner and _is_title_like(stripped[: inner.start()], max_words=10):
        return len(stripped[: inner.start()].rstrip()), True
    gap = _GAP_RE.search(stripped)
    if gap and _gap_ends_label(stripped[: gap.start()], stripped[gap.end() :]):
        stripped = stripped[: gap.start()]
        term = _TERMINATOR_RE.search(stripped)
        return (term.end() if term else len(stripped)), True
    for m in _TERMINATOR_RE.finditer(stripped):
        before = stripped[: m.start()]
        last_word = before.rsplit(None, 1)[-1].lower() if before.split() else ""
        if stripped[m.end() - 1] == "." and (
            last_word.rstrip(".") in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
        ):
            continue
        words = before.split()
        if len(words) <= 14 and len(before) <= 110:
            return m.end(), True
        break
    if len(stripped) <= MAX_TITLE_CHARS - 10:
        return len(stripped), len(stripped.split()) <= 14
    return _cut_sentence(stripped), False


def _gap_ends_label(before: str, after: str) -> bool:
    """Whether a column gap separates a title from what follows (not a wrap artefact).

    ``7.0 STAFF AND MANAGEMENT   7.1 You are...`` and ``EXHIBIT A PRICES   Product ...``
    end their label at the gap; ``OBLIGATIONS AFTER      TERMINATION`` does not.
    """
    if not _is_title_like(before, max_words=10):
        return False
    if _NEXT_ITEM_RE.match(after):
        return True
    first = after.split(None, 1)[0] if after.strip() else ""
    return _is_upper_text(before) and not first.isupper()


def _cut_sentence(s: str) -> int:
    """End of the first sentence, or of the last whole word within ~80 characters."""
    m = re.search(r"[.;:](?=\s)", s[: SENTENCE_TITLE_CHARS + 1])
    if m and m.start() >= 15:
        return m.start() + 1
    if len(s) <= SENTENCE_TITLE_CHARS:
        return len(s)
    cut = s.rfind(" ", 0, SENTENCE_TITLE_CHARS)
    return cut if cut > 20 else SENTENCE_TITLE_CHARS


def _truncate_title(title: str) -> str:
    """Keep titles at most ``MAX_TITLE_CHARS`` long, cutting at a word boundary."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title.rfind(" ", 0, MAX_TITLE_CHARS)
    return title[: cut if cut > 40 else MAX_TITLE_CHARS].rstrip(" ,;:")


def _is_toc_line(line: str) -> bool:
    """Table-of-contents entries (dot leaders or trailing page numbers) are not headings."""
    if _TOC_LEADER_RE.search(line):
        return True
    m = _TOC_PAGE_RE.match(line.strip())
    return bool(m) and _is_title_like(m.group("title"), max_words=10)


@dataclass
class _Line:
    """One line of the text with its offsets and blank-line neighbourhood."""

    start: int  # offset of the first non-blank char
    end: int  # offset just after the last non-blank char
    text: str  # text[start:end]
    prev_blank: bool
    prev_text: str
    next_blank: bool
    next_text: str
    follow_start: int  # the next non-blank line, and how many blank lines come before it
    follow_text: str
    follow_gap: int


def _iter_lines(text: str) -> Iterator[_Line]:
    """Yield the non-blank lines of ``text`` with their neighbours (one pass, no copies)."""
    raw: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        lead = _LEADING_WS_RE.match(text, pos, nl)
        s = lead.end() if lead else pos
        e = nl
        while e > s and text[e - 1].isspace():
            e -= 1
        raw.append((s, e))
        pos = nl + 1
    # Index of the next non-blank line after each line, filled from the end.
    follow = [len(raw)] * len(raw)
    nxt = len(raw)
    for i in range(len(raw) - 1, -1, -1):
        follow[i] = nxt
        if raw[i][0] < raw[i][1]:
            nxt = i
    for i, (s, e) in enumerate(raw):
        if s >= e:
            continue
        ps, pe = raw[i - 1] if i > 0 else (0, 0)
        ns, ne = raw[i + 1] if i + 1 < len(raw) else (0, 0)
        f = follow[i]
        fs, fe = raw[f] if f < len(raw) else (0, 0)
        yield _Line(
            start=s,
            end=e,
            text=text[s:e],
            prev_blank=ps >= pe,
            prev_text=text[ps:pe],
            next_blank=ns >= ne,
            next_text=text[ns:ne],
            follow_start=fs,
            follow_text=text[fs:fe],
            follow_gap=f - i - 1,
        )


def _continues_prose(line: _Line) -> bool:
    """A line that continues a wrapped sentence (long previous line without a full stop)."""
    prev = line.prev_text
    return not line.prev_blank and len(prev) >= 50 and prev[-1] in "abcdefghijklmnopqrstuvwxyz,-("


# --------------------------------------------------------------------------- #
# Legal rules
# --------------------------------------------------------------------------- #


def _legal_line(line: _Line, *, conservative: bool) -> tuple[int, int, bool] | None:
    """Classify one line under the legal rules: ``(level, label_end, extend)`` or None.

    ``label_end`` is relative to the line; ``extend`` asks to absorb the next line as the
    title of a bare ``ARTICLE 5`` line.
    """
    s = line.text
    if len(s) < 2:
        return None
    first = s[0]
    if first in "APCTSEapcts" and (m := _DIVISION_RE.match(s)):
        return _division(m, s)
    if first in "Ss" and (m := _SECTION_RE.match(s)) and not _continues_prose(line):
        return _titled_number(m.group("rest"), m.start("rest"), s, level=2, conservative=conservative)
    if first == "§" and (m := _PARAGRAPH_RE.match(s)) and not _continues_prose(line):
        return _titled_number(m.group("rest"), m.start("rest"), s, level=2, conservative=conservative)
    if first.isdigit() and (m := _NUMBERED_RE.match(s)):
        return _numbered(m, line, conservative=conservative)
    if first == "(" and not conservative and (m := _SUBCLAUSE_RE.match(s)):
        lead = m.group("rest")[0]
        if not (lead.isalpha() or lead in "\"“'") or _continues_prose(line) or _is_toc_line(s):
            return None
        end, _short = _label_end(m.group("rest"))
        return 3, m.start("rest") + end, False
    if _is_caps_title_line(line, max_words=10):
        return 1, len(s), False
    lm = _LEGAL_LABEL_RE.match(s)
    if lm and lm.group("label").strip().lower() in _LEGAL_LABEL_SET and (line.prev_blank or ":" in s or s.isupper()):
        return 1, len(s), False
    return None


def _division(m: re.Match[str], s: str) -> tuple[int, int, bool] | None:
    """``ARTICLE 5 ...`` / ``Chapter I: ...``: accept when what follows is a title."""
    kw = m.group("kw")
    rest = m.group("rest")
    body = rest.strip(" \t.:-–—")
    if not body:
        # "Article 1" on its own line; the title may sit on the next line.
        return 1, len(s), True
    if _is_toc_line(s):
        return None
    upper_kw = kw.isupper()
    if not upper_kw and not (body[0].isupper() or body[0] in '"“('):
        return None  # "Article 44 of the Convention" wrapped onto a new line
    weak_kw = kw.lower() in {"schedule", "exhibit", "appendix", "annex", "title", "part"}
    if weak_kw and not upper_kw and not _is_title_like(body, max_words=10):
        return None
    end, _short = _label_end(rest)
    return 1, m.start("rest") + end, False


def _is_division_title(nxt: str) -> bool:
    """The line after a bare ``ARTICLE 5``: a short title, not a clause or paragraph."""
    if not nxt or len(nxt) > 80 or nxt[-1] in ".,;" or nxt[0] in "(§[" or nxt[0].isdigit():
        return False
    if _DIVISION_RE.match(nxt) or _SECTION_RE.match(nxt):
        return False
    return _is_upper_text(nxt) or _is_title_like(nxt, max_words=10)


def _titled_number(rest: str, rest_at: int, s: str, *, level: int, conservative: bool) -> tuple[int, int, bool] | None:
    """``Section 2.1 Fees.`` / ``§ 3 Payment``: the label runs to the end of its title."""
    body = rest.strip(" \t.:-–—")
    if not body:
        return level, len(s), False
    if not (body[0].isupper() or body[0] in '"“(['):
        return None  # a cross-reference that happens to start a line
    if _is_toc_line(s):
        return None
    end, short = _label_end(rest)
    if conservative and not short:
        return None
    return level, rest_at + end, False


def _numbered(m: re.Match[str], line: _Line, *, conservative: bool) -> tuple[int, int, bool] | None:
    """``1.``, ``1.1``, ``12.3.4`` clauses; ``1. DEFINITIONS`` is promoted to level 1."""
    num = m.group("num")
    rest = m.group("rest")
    single = "." not in num
    if single and not m.group("dot"):
        return None  # "2000  $850,000", page numbers, table cells
    head = rest.lstrip("\"“'(")
    if not head or not (head[0].isupper() or head[0].isdigit() and not single):
        return None  # "12.3 hereof", "1.5 million"
    if head[0].isdigit():
        return None
    if _continues_prose(line) or _is_toc_line(line.text):
        return None
    end, short = _label_end(rest)
    label = rest[:end]
    if conservative:
        closed = end < len(rest.rstrip())
        if not (short and (closed or (not label.rstrip().endswith(".") and _is_title_like(label, 8)))):
            return None
    level = 2
    if single and short and _starts_upper(label):
        level = 1
    return level, m.start("rest") + end, False


def _starts_upper(label: str) -> bool:
    """``DEFINITIONS`` or ``PRICING AND PAYMENT; Fixtures``: the title opens in capitals."""
    words = [w for w in label.split() if any(c.isalpha() for c in w)][:2]
    return bool(words) and all(_is_upper_text(w) or (len(words) > 1 and w.isupper()) for w in words)


def _is_caps_title_line(line: _Line, *, max_words: int) -> bool:
    """A standalone upper-case line such as ``BACKGROUND`` or ``PRELIMINARY STATEMENT``."""
    s = line.text
    if len(s) > 80 or not _is_upper_text(s) or "__" in s:
        return False
    if s[-1] in ".,;" or "$" in s or _is_toc_line(s):
        return False
    words = s.split()
    if len(words) > max_words or all(w.lower().strip(",") in _CONNECTOR_WORDS for w in words):
        return False
    if not line.prev_blank and _is_upper_text(line.prev_text) and len(line.prev_text) > 50:
        return False  # a wrapped all-caps paragraph (disclaimers)
    if not line.next_blank and _is_upper_text(line.next_text) and len(line.next_text) > 50:
        return False
    # A line after one ending in a comma continues a list or an address block.
    return not (line.prev_text and line.prev_text[-1] == "," and not line.prev_blank)


# --------------------------------------------------------------------------- #
# Medical rules
# --------------------------------------------------------------------------- #


def _medical_line(line: _Line, *, in_exam: bool, conservative: bool) -> tuple[int, int] | None:
    """Classify one line under the clinical rules: ``(level, label_end)`` or None."""
    s = line.text
    if not s[0].isalpha():
        return None
    m = _CAPS_LABEL_RE.match(s)
    if m and not conservative:
        label = m.group("label").strip()
        if _valid_caps_label(label):
            return _medical_level(label, in_exam=in_exam), m.end()
    m = _ANY_LABEL_RE.match(s)
    if m:
        key = _WS_RE.sub(" ", m.group("label").strip().lower())
        if key in _MEDICAL_HEADING_SET:
            if key in _EXAM_SYSTEM_SET and in_exam:
                return 2, m.end()
            return 1, m.end()
        if key in _EXAM_SYSTEM_SET and not conservative:
            return 2, m.end()
    # Whole-line headings without a colon: "PHYSICAL EXAMINATION", "CHRONIC SNORING".
    key = _WS_RE.sub(" ", s.lower()).rstrip(" :")
    if key in _MEDICAL_HEADING_SET and (s.isupper() or line.prev_blank or line.next_blank):
        if key in _EXAM_SYSTEM_SET and in_exam:
            return 2, len(s)
        return 1, len(s)
    if not conservative and _is_caps_title_line(line, max_words=6) and line.prev_blank:
        return 1, len(s)
    return None


def _valid_caps_label(label: str) -> bool:
    """One to six words, mostly letters: ``REVIEW OF SYSTEMS`` yes, ``BP 120/80`` no."""
    words = label.replace("/", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    letters = sum(c.isalpha() for c in label)
    return letters >= 2 and letters >= 0.6 * len(label.replace(" ", ""))


def _medical_level(label: str, *, in_exam: bool) -> int:
    """Exam-system labels are level 2 inside an examination; everything else is level 1."""
    key = _WS_RE.sub(" ", label.lower())
    if not in_exam:
        return 1
    if key in _EXAM_SYSTEM_SET:
        return 2
    if _TOP_LEVEL_WORDS_RE.search(label.upper()) or _EXAM_CONTEXT_RE.search(label):
        return 1
    return 2 if len(label.split()) <= 3 else 1


# --------------------------------------------------------------------------- #
# Public API
# --------------------------------------------------------------------------- #


def detect_headings(text: str, *, domain: str) -> list[Heading]:
    """Find headings in ``text`` for ``domain`` ("legal", "medical" or "other").

    Headings are returned in ascending ``start`` order and never overlap; ``title`` is
    the cleaned label (whitespace collapsed, trailing colon removed, at most 120 chars).
    """
    if domain not in ("legal", "medical", "other"):
        raise ValueError(f"unknown domain {domain!r}")
    use_legal = domain in ("legal", "other")
    use_medical = domain in ("medical", "other")
    conservative = domain == "other"
    headings: list[Heading] = []
    in_exam = False
    skip_until = -1
    for line in _iter_lines(text):
        if line.start < skip_until:
            continue
        found: tuple[int, int] | None = None
        if use_medical:
            med = _medical_line(line, in_exam=in_exam, conservative=conservative)
            if med is not None:
                found = med
                if med[0] == 1:
                    in_exam = bool(_EXAM_CONTEXT_RE.search(line.text[: med[1]]))
        if found is None and use_legal:
            leg = _legal_line(line, conservative=conservative)
            if leg is not None:
                level, end, extend = leg
                abs_end = line.start + end
                if extend and _is_division_title(line.follow_text) and line.follow_gap <= 1:
                    abs_end = line.follow_start + len(line.follow_text)
                    skip_until = abs_end
                found = (level, abs_end - line.start)
        if found is None:
            continue
        level, end = found
        raw = text[line.start : line.start + end]
        title = _truncate_title(_clean(raw))
        if not title:
            continue
        headings.append(Heading(title=title, level=level, start=line.start, end=line.start + len(raw.rstrip())))
    return headings


def split_into_sections(text: str, *, domain: str, max_level: int = 2) -> list[Section]:
    """Partition all of ``text`` into contiguous sections at headings of level <= max_level.

    Each section's title is the heading path (``"ARTICLE 5 > 5.2 Termination"``); text
    before the first heading forms an untitled section unless it is only whitespace, in
    which case it is merged into the first section so that coverage starts at 0.
    """
    if not text:
        return []
    headings = [h for h in detect_headings(text, domain=domain) if h.level <= max_level]
    if not headings:
        return [Section(start=0, end=len(text), title=None, level=0)]
    sections: list[Section] = []
    first = headings[0].start
    if first > 0 and text[:first].strip():
        sections.append(Section(start=0, end=first, title=None, level=0))
    path: dict[int, str] = {}
    for i, h in enumerate(headings):
        for lvl in [lvl for lvl in path if lvl >= h.level]:
            del path[lvl]
        path[h.level] = h.title
        start = 0 if not sections and i == 0 else h.start
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        title = PATH_SEPARATOR.join(path[lvl] for lvl in sorted(path))
        sections.append(Section(start=start, end=end, title=title, level=h.level))
    return sections
