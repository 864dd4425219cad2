"""A document's title, from its own title block: what ``documents.title`` holds.

The first line of a filed contract is often its exhibit label ("EXHIBIT 10.11"), of a court
report the court ("Supreme Court of India"), of a transcribed note a field line ("Sample Type /
Medical Specialty: General Medicine"). The title is what the document calls itself, in this order:
a title field's value ("Sample Name: Discharge Summary - 4" gives "Discharge Summary"), a cause
title ("A. K. Kraipak & Ors. vs Union Of India & Ors"), a line naming the kind of document in
capitals or title case ("AFFILIATE OFFICE AGREEMENT"), the first heading-like line; and the first
line that is none of the things skipped (labels, legends, field lines, page furniture) only when
there is nothing better.
"""

from __future__ import annotations

import re

from analysis.sentences import is_heading_line, looks_like_header

TITLE_CHARS = 200
_BLOCK_LINES = 40  # the title block: the first lines that are not blank
_BLOCK_CHARS = 6_000

_COLUMNS = re.compile(r"\s{3,}|\t+")  # "EXHIBIT 4       AFFILIATE AGREEMENT      ------"
_TITLE_FIELD = re.compile(
    r"(?i)^\s*(?:(?:sample|document|report|form|study|case)\s+)?(?:title|name)(?<!^name)\s*:\s*(?P<value>\S.*)$"
)
_NUMBERED = re.compile(r"\s*(?:[-–—#]\s*\d{1,4}|\(\d{1,4}\))\s*$")  # "Discharge Summary - 4": the sample's number
_ATTACHMENT = re.compile(r"(?i)^(?:exhibit|schedule|annex|appendix|attachment|ex\.?)\s*[\w.\-()]{0,12}\s*[.:\-–—]?\s*$")
_LEGEND = re.compile(
    r"(?i)confidential treatment|omitted|redacted|securities and exchange|\[\s*\*+\s*\]|\bexecution (?:copy|version)\b"
    r"|^\s*(?:source|page|draft|copy)\b|table of contents|transcription sample"
)
_CAUSE = re.compile(
    r"^(?P<title>.{3,150}?\S\s+(?:vs\.?|v\.|versus)\s+\S.{2,150}?)"
    r"(?:\s+on\s+\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+,?\s+\d{4})?\s*$"
)
_KIND = re.compile(
    r"\b(?:agreement|contract|lease|licen[cs]e|amendment|addendum|memorandum|indenture|deed|charter|guarant(?:y|ee)"
    r"|terms and conditions|statement of work|order form|bylaws|plan|policy|warrant|understanding|covenant"
    r"|judg(?:e)?ment|order|act|statute|rules|regulations|opinion"
    r"|summary|report|note|consultation|history and physical|letter|record|assessment|evaluation)\b",
    re.IGNORECASE,
)
_LEADING_LABEL = re.compile(
    r"(?i)^(?:(?:exhibit|schedule|annex|appendix|attachment)\s+[\w.\-()]{1,12}|execution\s+(?:copy|version))\s+(?=\S)"
)
_CAPITALS_TITLE = re.compile(  # "WALABOT-HOME RESELLER AGREEMENT This Walabot-HOME Reseller Agreement ..."
    r"^(?:[A-Z0-9][A-Z0-9&/'’().,\-]*\s+){0,12}?[A-Z\-]*(?:AGREEMENT|CONTRACT|LEASE|LICEN[CS]E|AMENDMENT(?: NO\. \d+)?"
    r"|ADDENDUM|MEMORANDUM|INDENTURE|DEED|GUARANT(?:Y|EE)|PLAN|POLICY|SUMMARY|REPORT|JUDGMENT|ORDER)\b"
)
_PROSE_START = re.compile(r"(?i)^(?:this|these|the|that|whereas|in|by|now|witnesseth|it is|we|i)\b")


def document_title(text: str) -> str | None:
    """The document's own title from the head of ``text`` (see the module's docstring); None for
    a text with no line at all. Never raises on any text."""
    lines = _title_block(text)
    if not lines:
        return None
    for line in lines:
        field = _TITLE_FIELD.match(line)
        if field and (value := _clean(_NUMBERED.sub("", field.group("value")))):
            return value
    for line in lines:
        cause = _CAUSE.match(line)
        if cause and not _LEGEND.search(line) and not line.rstrip().endswith((".", ",", ";")):
            return _clean(cause.group("title"))
    for line in lines:
        line = _without_leading_label(line)
        capitals = _CAPITALS_TITLE.match(line)
        if not _skipped(line) and _names_a_kind(line):
            return _clean(line)
        if capitals and len(capitals.group().split()) >= 2 and not _skipped(capitals.group()):
            return _clean(capitals.group())  # the title run into a legend or the preamble on one line
    candidates = [line for line in map(_without_leading_label, lines) if not _skipped(line)]
    for line in candidates:
        if is_heading_line(line):
            return _clean(line)
    return _clean(candidates[0] if candidates else lines[0])


def _title_block(text: str) -> list[str]:
    """The first lines of ``text``, white space collapsed; a line laid out in columns becomes one
    line a column, so "EXHIBIT 4   AFFILIATE AGREEMENT" yields both."""
    out: list[str] = []
    for raw in text[:_BLOCK_CHARS].splitlines():
        for part in _COLUMNS.split(raw):
            line = " ".join(part.split())
            if line:
                out.append(line)
        if len(out) >= _BLOCK_LINES:
            break
    return out


def _without_leading_label(line: str) -> str:
    """ "Exhibit 4.17 EXECUTION COPY SUPPLY AGREEMENT" reads "SUPPLY AGREEMENT"."""
    while (label := _LEADING_LABEL.match(line)) is not None:
        line = line[label.end() :]
    return line


def _skipped(line: str) -> bool:
    """Exhibit and schedule labels, legends, field lines and page furniture: never the title."""
    if _ATTACHMENT.match(line) or not any(c.isalpha() for c in line) or re.fullmatch(r"(?:\[[^\]]*\]\s*)+", line):
        return True
    if _LEGEND.search(_without_leading_label(line)):
        return True
    return ":" in line and looks_like_header(line) and not is_heading_line(line)


def _names_a_kind(line: str) -> bool:
    """A short line in capitals or title case that names what the document is ("DISTRIBUTOR
    AGREEMENT", "e-business Hosting Agreement", "DISCHARGE SUMMARY"), not a sentence about it."""
    words = line.split()
    kind = _KIND.search(line)
    if not kind or not (1 <= len(words) <= 14) or _PROSE_START.match(line) or line[-1] in ".,;:":
        return False
    return kind.group()[0].isupper()


def _clean(line: str) -> str:
    return " ".join(line.split()).strip(" .:;,-–—_*\"'")[:TITLE_CHARS]
