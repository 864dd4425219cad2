"""Sentence-like spans of text, shared by chunking, extractive summaries and grounding."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Literal

# A span ends after sentence punctuation followed by space, after a full stop of a script written
# without spaces (Chinese and Japanese 。！？, the Devanagari danda), at a blank line, or before a
# line that starts a list item or clause marker.
_BREAK = re.compile(
    r"(?<=[.!?;\u061f\u0964\u0965])\s+(?=\S)"
    r"|(?<=[\u3002\uff01\uff1f\uff61])[\s\u3000]*(?=[^\s\u3000\u3002\uff01\uff1f\uff61\u300d\u300f\uff09])"
    r"|\n[ \t]*\n\s*|\n(?=[ \t]*(?:\(?[0-9a-zA-Z]{1,4}[.)]|[-*\u2022])\s)"
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the non-blank sentence-like spans of ``text[start:end]``."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in (strip_span(text, a, b) for a, b in spans) if b > a]


def split_sentences(text: str) -> list[str]:
    return [" ".join(text[a:b].split()) for a, b in sentence_spans(text)]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- segment_sentences: sentences, headings and page furniture, for summaries and grounding -------

SpanKind = Literal["sentence", "heading", "label", "field", "furniture", "fragment"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One unit of text by offsets into it: a sentence, a heading line, a run-in label ("CARDIAC:"),
    the short value after a label on its line ("field"), page furniture (page numbers, running heads), or
    a "fragment": the two halves of a sentence that a page break's furniture cut in two."""

    start: int
    end: int
    kind: SpanKind = "sentence"


# Tokens that end in a full stop without ending a sentence (compared lower case, without the stop).
_ABBREVIATIONS = frozenset(
    "inc corp co ltd llc lp llp plc pty no nos sec secs art arts para paras cl ch pt vol pp p fig figs eq eqs "
    "mr mrs ms dr prof st jr sr hon messrs ld ry rs re vs v viz cf al approx est dept govt ors anr etc "
    "e.g i.e u.s u.s.a u.k n.a s.a b.v n.v a.g gmbh m.d ph.d d.o r.n b.s m.s ave blvd rd ste ex exh "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun spp sp ssp ca c.f "
    "s ss sub-s subs r rr o ord reg regs sch sched cap max min mg mcg ml bid tid qid prn".split()
)
_CLOSERS = "\"'”’)]»"
# A sentence ends at . ! ? (then closing quotes or brackets) before white space; at a full stop of a
# script written without spaces; or at the Devanagari danda before white space.
_SENTENCE_END = re.compile(
    r"[.!?][\"'”’)\]»]*(?=\s)|[\u0964\u0965](?=\s)|[\u3002\uff01\uff1f\uff61][\u300d\u300f\uff09]*"
)
_NEXT_START = re.compile(r"\s*[\"'“‘(\[«]?[\w<]")
_INLINE_CLAUSE = re.compile(r"[ \t\xa0]{3,}(?=\(?\d{1,3}(?:\.\d{1,3})+\.?\)?\s+[A-Z])")  # "Milestones   2.1 Bioamber"
_MARKER = re.compile(
    r"(?:[-*\u2022\u25cf\u25aa\u2013\u00b7]|\(\s*(?:\d{1,3}|[a-zA-Z]{1,4})\s*\)"
    r"|(?:\d{1,3}(?:\.\d{1,3}){0,4}|[A-Z]|[ivxlcIVXLC]{1,5}|[a-z])[.)]|\d{1,3}(?:\.\d{1,3}){1,4})(?=\s)"
)
_LABEL = re.compile(  # "CARDIAC:  ", "Sample Name: ", "2.   Terms of Payment: "
    rf"(?:{_MARKER.pattern}[ \t\xa0]+)?"
    r"(?P<label>[A-Z][\w'’/&(),\-]*(?:[ \t\xa0]+[\w'’/&(),\-]+){0,5})[ \t\xa0]*:[ \t\xa0]+(?=\S)"
)
_CLAUSE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3}){1,4}\.?")
_CONNECTORS = frozenset("a an and or of the to in for with by as at on from that which nor but".split())
_FIELD_WORDS = 20  # the value after a label, alone on its line, up to this many words: a field, not prose


def segment_sentences(text: str) -> list[Sentence]:
    """The units of ``text`` in order, as offsets: sentences, heading lines, run-in labels and
    their short values, page furniture. Knows abbreviations ("U.S.", "Inc.", "Dr."), initials,
    clause numbers ("2.4.3 Provided ..."), wrapped PDF lines and headings; never raises on text."""
    try:
        return _segment(text)
    except RecursionError:  # pragma: no cover - nothing here recurses; a last guard for a nightly run
        return [Sentence(a, b) for a, b in sentence_spans(text)]


def _segment(text: str) -> list[Sentence]:
    lines = _lines(text)
    repeated = _repeated_lines(text, lines)
    out: list[Sentence] = []
    block_start: int | None = None
    previous: tuple[int, int] | None = None  # the last line of the open block
    for start, end in lines:
        line = text[start:end]
        kind = _line_kind(line, repeated)
        if kind is not None:
            if block_start is not None and previous is not None:
                out.extend(_split_block(text, block_start, previous[1]))
            out.append(Sentence(start, end, kind))
            block_start, previous = None, None
            continue
        if block_start is not None and previous is not None and _starts_unit(text, previous, (start, end)):
            out.extend(_split_block(text, block_start, previous[1]))
            block_start = None
        if block_start is None:
            block_start = start
        previous = (start, end)
    if block_start is not None and previous is not None:
        out.extend(_split_block(text, block_start, previous[1]))
    return _mark_cut_sentences(text, [s for s in out if s.end > s.start])


def _mark_cut_sentences(text: str, units: list[Sentence]) -> list[Sentence]:
    """A sentence left open before page furniture and one that goes on in lower case after it are
    halves of one sentence ("MRI of the brain / Page 1 of 2 / showed a 1.8 cm infarct"): fragments."""
    out = list(units)
    for i, unit in enumerate(units):
        if unit.kind != "sentence" or not text[unit.start : unit.start + 1].islower():
            continue
        j = i - 1
        while j >= 0 and units[j].kind in ("furniture", "heading"):  # a running head reads as a heading
            j -= 1
        if j == i - 1 or j < 0 or units[j].kind != "sentence":
            continue  # no furniture between them: an ordinary lower-case start
        last = text[units[j].start : units[j].end].rstrip(_CLOSERS)[-1:]
        if last not in (".", "!", "?", ";", ":", "\u3002", "\u0964"):
            out[i] = Sentence(unit.start, unit.end, "fragment")
            out[j] = Sentence(units[j].start, units[j].end, "fragment")
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as stripped offsets; a blank line between two lines is kept as (-1, -1)."""
    out: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n\r\f\v\u2028\u2029]+", text):
        a, b = strip_span(text, match.start(), match.end())
        if b > a:
            if out and out[-1] != (-1, -1) and re.search(r"\n[ \t\xa0]*[\r\n]", text[out[-1][1] : a]):
                out.append((-1, -1))
            out.append((a, b))
    return out


def _repeated_lines(text: str, lines: list[tuple[int, int]]) -> frozenset[str]:
    """Running heads and feet: short lines that recur three or more times, numbers aside."""
    counts = Counter(_shape(text[a:b]) for a, b in lines if a >= 0 and b - a <= 150)
    return frozenset(k for k, n in counts.items() if n >= 3 and k and len(k.split()) <= 15)


def _shape(line: str) -> str:
    return " ".join(re.sub(r"\d+", "#", line.lower()).split())


def _line_kind(line: str, repeated: frozenset[str]) -> SpanKind | None:
    """ "heading" or "furniture" for a line that stands alone; None for a line of running text."""
    if not line:
        return "furniture"  # the blank-line mark
    if _is_furniture(line) or (len(line) <= 150 and _shape(line) in repeated):
        return "furniture"
    return "heading" if is_heading_line(line) else None


def _is_furniture(line: str) -> bool:
    """A page number ("12", "- 3 -", "Page 2 of 9"), a rule of dashes, a line with a web address."""
    if not any(c.isalpha() for c in line):
        return len(line) <= 40  # "12", "- 3 -", "-----", "1162967.3"; a long line of digits is text
    words = line.split()
    if re.fullmatch(r"(?i)[\W_]*page\s+\d+(?:\s+of\s+\d+)?[\W_]*", line):
        return True
    return len(words) <= 14 and re.search(r"https?://|www\.", line) is not None


def is_heading_line(line: str) -> bool:
    """A line that names what follows rather than says something: short, without a sentence's end,
    in capitals or title case ("AFFILIATE OFFICE AGREEMENT", "12.2  Maintenance of Base
    Components", "HEADNOTE:"), or one to three words ("discussion")."""
    line = " ".join(line.split())
    body = _MARKER.sub("", line, count=1).strip() if _MARKER.match(line) else line
    words = body.split()
    if not words or len(words) > 20 or not any(c.isalpha() for c in body):
        return False
    if body[-1] in ".,;" or (body[-1] in _CLOSERS and len(body) > 1 and body[-2] in ".,;"):
        return False
    if any(c in body for c in "\u3002\uff01\uff1f\uff61\u0964"):
        return False  # sentences of a script written without spaces
    if words[-1].lower() in _CONNECTORS:
        return False
    letters = [c for c in body if c.isalpha()]
    if sum(c.isupper() for c in letters) >= 0.6 * len(letters):
        return True
    alphabetic = [w for w in words if w[0].isalpha()]
    title = [w for w in alphabetic if w[0].isupper()]
    if alphabetic and len(title) >= 0.75 * len(alphabetic) and (len(alphabetic) >= 2 or len(words) <= 3):
        return True
    return len(words) <= 3 and (body[-1] == ":" or len(words) <= 2)


def _starts_unit(text: str, previous: tuple[int, int], current: tuple[int, int]) -> bool:
    """Whether ``current`` begins a new unit rather than continuing the wrapped line before it."""
    if previous == (-1, -1) or current == (-1, -1):
        return True
    before = text[previous[0] : previous[1]]
    line = text[current[0] : current[1]]
    if before.endswith(":"):
        return True
    last = unicodedata.normalize("NFKC", before.rstrip(_CLOSERS)[-1:] or " ")  # U+037E is a ";"
    ended = last[-1:] in (".", "!", "?", ";", "\u3002", "\u0964")
    marker = _MARKER.match(line)
    if marker and (ended or line[0] in "(-*\u2022\u25cf\u25aa\u00b7"):
        return True
    if marker and _CLAUSE_NUMBER.fullmatch(marker.group()) and line[marker.end() :].lstrip()[:1].isupper():
        return True  # "8.2.3 Party B ...": a numbered clause, whatever the line before ended with
    return bool(_LABEL.match(line)) and ended


def _split_block(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of one block of running text (wrapped lines joined): a run-in label first."""
    out: list[Sentence] = []
    label = _LABEL.match(text, start, end)
    if label and _is_label(label.group("label")):
        out.append(Sentence(start, label.start() + len(label.group(0).rstrip()), "label"))
        start = label.end()
        value = text[start:end]  # alone on its line, short, one sentence at most: the label's value
        if "\n" not in value and len(value.split()) <= _FIELD_WORDS and not _sentence_cuts(text, start, end):
            return [*out, Sentence(*strip_span(text, start, end), "field")]
    cursor = start
    for cut in _sentence_cuts(text, start, end):
        out.append(Sentence(*strip_span(text, cursor, cut)))
        cursor = cut
    out.append(Sentence(*strip_span(text, cursor, end)))
    return out


def _is_label(label: str) -> bool:
    """A run-in heading: in capitals, or every longer word capitalised ("Past Medical History")."""
    words = label.split()
    if label.upper() == label:
        return True
    return all(w[0].isupper() for w in words if len(w) > 3 and w[0].isalpha())


def _sentence_cuts(text: str, start: int, end: int) -> list[int]:
    """Offsets in ``text[start:end]`` where a new sentence starts."""
    cuts: list[int] = []
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        after = _NEXT_START.match(text, stop, end)
        spaced = after is not None and after.end() - 1 > stop
        if after is None or not (spaced or text[match.start()] in "\u3002\uff01\uff1f\uff61"):
            continue
        if text[match.start()] == "." and _not_an_end(text, start, match.start(), after.end() - 1):
            continue
        cuts.append(stop + len(text[stop:end]) - len(text[stop:end].lstrip()))
    cuts.extend(m.end() for m in _INLINE_CLAUSE.finditer(text, start, end))
    return sorted(set(cuts))


def _not_an_end(text: str, block_start: int, dot: int, next_char: int) -> bool:
    """Whether the full stop at ``dot`` belongs to an abbreviation, an initial or a list number."""
    word_start = dot
    while word_start > block_start and not text[word_start - 1].isspace() and dot - word_start < 40:
        word_start -= 1
    word = text[word_start:dot].lstrip("\"'“‘([«")
    lowered = word.lower()
    if lowered in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return True  # "Inc.", "U.S.", "e.g.", "S.C.R."
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "R. Rajappa", "C. J.", "b. mallei"
    if re.fullmatch(r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[ivxlcIVXLC]{1,5})\)?", word):
        line_start = text.rfind("\n", block_start, word_start) + 1 or block_start
        return not text[max(line_start, block_start) : word_start].strip()  # "7. Neither" opens its line
    return False


_ATTACHMENT_LABEL = re.compile(r"(?i)(?:exhibit|schedule|annex|appendix|attachment|addendum)\s+[\w.\-]{1,12}\b")
_INNER_LABEL = re.compile(r"(?:^|\s)[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,3}\s?:\s")


def looks_like_header(text: str) -> bool:
    """Whether ``text`` is a header rather than a statement: a heading or page furniture line, a
    field line ("Sample Name: ...", "Description: ..."), an exhibit or schedule label ("EXHIBIT
    10.11"), mostly capitals, or two labelled fields run together. Judged by shape, not by a list."""
    line = " ".join(text.split())
    if not line:
        return True
    if is_heading_line(line) or _is_furniture(line) or _ATTACHMENT_LABEL.match(line):
        return True
    label = _LABEL.match(line)
    if label and _is_label(label.group("label")):
        return True
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.6 * len(letters):
        return True
    return len(_INNER_LABEL.findall(line)) >= 2


def strip_marker(text: str) -> str:
    """``text`` without a leading list or clause marker ("2.4.3 ", "(a) ", "1. ", "• ")."""
    marker = _MARKER.match(text)
    return text[marker.end() :].lstrip() if marker else text
