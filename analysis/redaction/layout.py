"""Names that only a document's layout marks: the speakers of a transcript ('HALVORSEN: He come up
to the door'), the initials a signer writes in a form's boxes ('BRF  Create, amend or revoke a
trust') and the initials in a table's column headed for them ('| UF vol | Initials |' ... '| 0.65 | KD |').
None has a title, a label or a sentence around it; the repetition or the column's header is the evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import regex as re

from analysis.redaction.lexicons import common_given_names, given_names, is_common_surname
from analysis.redaction.spans import CREDENTIALS, Span
from analysis.redaction.vocabulary import is_vocabulary_word

# A line that starts with a speaker: 'HALVORSEN:', 'MONTGOMERY-DALE:', 'Mrs Okafor:' then what was said.
_SPEAKER = re.compile(
    r"(?m)^[ \t]*(?:[A-Z]{1,4}\.[ \t]+)?((?:[A-Z][A-Za-z'’\-]+)(?:[ \t][A-Z][A-Za-z'’\-]+)?)[ \t]*:[ \t]+(?=\S)"
)
# Initials in a form's box: at a line's start before a column gap, between underscores, or in brackets.
_BOXED_INITIALS = re.compile(r"(?m)(?:^[ \t]*\[?|_{2,}|\[[ \t]?)([A-Z]{2,3})(?=\]?[ \t]{2,}|_{2,}|[ \t]?\][ \t]+\S)")
# What a speaker says: words in lower case soon after the colon ('He come up to the door').
_SPEECH = re.compile(r"[ \t]*(?:\S+[ \t]+){0,3}?[a-z]{2,}\b")
_INITIALLING = re.compile(r"(?i)\binitial(?:s|led|ed|ing)?\b")
_MIN_REPEATS = 2
_INITIALS_HEADERS = frozenset(
    "initials init initial inits sign signed sig signature by nurse rn staff checked given by checked by"
    " given by witness done by".split(" ")
) | {"given by", "checked by", "done by", "signed by", "staff initials", "nurse initials"}
_CELL_INITIALS = re.compile(r"[ \t]*((?:[A-Z]\.?){2,3})[ \t]*\n?")
_NAME_IN_LEGEND = r"\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}[\p{L}'’\-]+){1,2}"
_LEGEND = re.compile(
    rf"(?<![\w])(?P<initials>[A-Z]{{2,3}})[ \t]*[=:][ \t]*(?P<name>{_NAME_IN_LEGEND})"
    rf"|(?P<before>{_NAME_IN_LEGEND})[ \t]+\((?P<after>[A-Z]{{2,3}})\)"
)
# Initials where a log's writer signs a row: at a line's end after a column gap, at its start (after a
# date or time) before one, alone in brackets, in a table cell or in a column of their own ('...anterolateral
# thigh.   MCG', '05/01/2023 RH  Pre-vaccination check', '[JT]', '| SK |', 'callus R 1st    LW    4 wk'),
# two signers joined by a slash ('NU/TB').
_SIGNED_INITIALS = re.compile(
    r"(?m)(?:(?<=\S(?:[ ]{2,}|\t)[\[(]?)([A-Z]{2,3}(?:/[A-Z]{2,3})?)(?=[\])]?[ \t]*$)"
    r"|(?<=^[ \t]*(?:\d{1,4}[/.:-]\d{1,2}(?:[/.:-]\d{2,4})?[ \t]+)?[\[(]?)([A-Z]{2,3}(?:/[A-Z]{2,3})?)"
    r"(?=[\])]?(?:[ ]{2,}|\t))"
    r"|(?<=[\[(])([A-Z]{2,3})(?=[\])])|(?<=\|[ \t]*)([A-Z]{2,3})(?=[ \t]*\|)"
    r"|(?<=\S(?:[ ]{2,}|\t))([A-Z]{2,3}(?:/[A-Z]{2,3})?)(?=(?:[ ]{2,}|\t)\S))"  # a column of its own mid-row
)
# Row-end and table words that are no one's initials: vital signs, routes, frequencies, roles.
_NOT_INITIALS = frozenset(
    "BP HR RR PO IV IM SC SL PR NG ED GP RN MD DO PA OT PT CT MR US UK NA NAD PRN BD BID TDS TID QID OD ON AM PM "
    "OK NO YES LT RT NKA NKDA DNR ICU ER OR".split()
)
_COLUMN_SCORE = 0.9  # the header says so: spread to the same initials elsewhere ('given (MJ)')
_SCORE = 0.7  # below spreading: one guess is never copied through the document


def speaker_labels(text: str, is_ordinary_word: Callable[[str], bool]) -> list[Span]:
    """Speakers named two or more times at the start of a line, that are no heading or role word."""
    found = [(m.group(1), m.start(1), m.end(1)) for m in _SPEAKER.finditer(text)]
    counts = Counter(label for label, _, _ in found)
    speaking = {label for label, _, end in found if _SPEECH.match(text, text.index(":", end) + 1)}
    out: list[Span] = []
    for label, start, end in found:
        words = re.split(r"[ \t\-]+", label)
        if counts[label] < _MIN_REPEATS or label not in speaking or len(label.replace(" ", "")) < 4:
            continue  # 'Addr: 5902 Libby Rd' twice is a field, not a speaker
        if any(is_ordinary_word(w) or is_vocabulary_word(w) for w in words):
            continue  # 'PLAN:', 'Nurse:', 'Q:', 'PATIENT:', 'Impression:'
        if not re.search(r"[AEIOUYaeiouy]", label):
            continue  # 'HPI:', 'MSK:'
        out.append(("PERSON", start, end, _SCORE))
    return out


def initials_in_columns(text: str) -> list[Span]:
    """Initials in the cells of a pipe table's column whose header asks for them ('Initials', 'Sign', 'By')."""
    out: list[Span] = []
    column: int | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        cells = line.split("|")
        if len(cells) < 4:
            column = None  # the table ended
        elif column is None:
            headers = [c.strip().lower() for c in cells]
            column = next((i for i, h in enumerate(headers) if h in _INITIALS_HEADERS), None)
        elif column < len(cells) and (m := _CELL_INITIALS.fullmatch(cells[column])):
            start = offset + sum(len(c) + 1 for c in cells[:column]) + m.start(1)
            out.append(("PERSON", start, start + len(m.group(1)), _COLUMN_SCORE))
        offset += len(line)
    return out


def initials_legend(text: str, is_ordinary_word: Callable[[str], bool]) -> list[Span]:
    """Initials a document defines for a person ('Key: JH = Jodie Holt', 'Rhys Pritchard (RP)'), where
    they are the initials of a name (a given name first, no ordinary word last: not 'BP = Blood
    Pressure'); found there, they spread to every row that uses them."""
    given = given_names() | common_given_names()
    out: list[Span] = []
    for m in _LEGEND.finditer(text):
        initials = m.group("initials") or m.group("after")
        words = re.split(r"[ \t]+", m.group("name") or m.group("before"))
        start = m.start("initials") if m.group("initials") else m.start("after")
        if initials != "".join(w[0] for w in words).upper() or words[0].lower() not in given:
            continue
        if is_vocabulary_word(words[-1]) or is_ordinary_word(words[-1]) and not is_common_surname(words[-1]):
            continue
        out.append(("PERSON", start, start + len(initials), _COLUMN_SCORE))
    return out


def boxed_initials(text: str, is_ordinary_word: Callable[[str], bool]) -> list[Span]:
    """Initials written two or more times in a form's boxes, where the form asks for initials."""
    if not _INITIALLING.search(text):
        return []
    found = [(m.group(1), m.start(1), m.end(1)) for m in _BOXED_INITIALS.finditer(text)]
    counts = Counter(initials for initials, _, _ in found)
    return [
        ("PERSON", start, end, _SCORE)
        for initials, start, end in found
        if counts[initials] >= _MIN_REPEATS
        and initials not in CREDENTIALS
        and not is_ordinary_word(initials)
        and not is_vocabulary_word(initials)
    ]


def initials_of_named_people(text: str, people: list[Span]) -> list[Span]:
    """The initials of people the document names, where a log's writer signs a row with them ('Sarah
    Kim' in the header, '[SK]' at the end of each treatment row; 'Mary-Claire Gagnon', then
    '05/01/2023 MCG  Pre-vaccination check'). Both must hold: a named person's initials, in a
    signing position; so 'BP' at a row's end stays unless someone called B. P. is named, and even
    then vital signs and routes stay."""
    wanted: set[str] = set()
    for kind, start, end, _ in people:
        if kind != "PERSON":
            continue
        words = [w for w in re.split(r"[\s\-]+", text[start:end]) if w[:1].isupper() and w.rstrip(".").isalpha()]
        if len(words) >= 2:
            wanted.add("".join(w[0] for w in words).upper())
            wanted.add((words[0][0] + words[-1][0]).upper())
    wanted -= _NOT_INITIALS | CREDENTIALS
    if not wanted:
        return []
    out: list[Span] = []
    for m in _SIGNED_INITIALS.finditer(text):
        group = next(g for g in range(1, 6) if m.group(g))
        start = m.start(group)
        for part in m.group(group).split("/"):  # 'NU/TB': checked and co-signed
            if part in wanted:
                out.append(("PERSON", start, start + len(part), _SCORE))
            start += len(part) + 1
    return out
