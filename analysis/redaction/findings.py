"""What one finding must look like to be kept: numbers with enough digits and no date inside, names
without the job title, credentials or institution a pattern took in with them, no abbreviation, no
eponym. Pure functions over the text and a finding's offsets; ``redactor.py`` applies them.
"""

from __future__ import annotations

import re
from typing import Any

from analysis.redaction.lexicons import given_names, is_common_surname, world_given_names
from analysis.redaction.placeholders import TITLES
from analysis.redaction.recognizers import DATE
from analysis.redaction.spans import CREDENTIALS
from analysis.redaction.vocabulary import (
    EPONYM_HEADS,
    ORG_WORDS,
    after_vehicle_make,
    is_drug_in_context,
    is_protected_word,
    is_region,
    is_role_or_heading,
)

_LONGEST_NAME_WORD = 40


def is_model_guess(result: Any) -> bool:
    """Found by the spaCy NER model rather than by one of the pattern recognizers."""
    name = (result.recognition_metadata or {}).get("recognizer_name", "")
    return not name.startswith("docanalysis_")


def mixed_abbreviation(word: str) -> bool:
    """'HFpEF', 'sAg', 'IgG': capitals after a small letter, three or more capitals in all (not 'McDonald')."""
    if "-" in word.strip("-"):
        return any(mixed_abbreviation(part) for part in word.split("-") if part)  # 'Fuentes-McAllister'
    word = re.sub(r"^(?:Mc|Mac|O'|D'|De|Di|La|Le|Van)(?=[A-Z])", "", word)  # 'MacALLISTER', 'DeSHAWN'
    return (
        bool(re.search(r"[a-z][A-Z]", word))
        and sum(c.isupper() for c in word) >= 3
        or bool(re.match(r"[a-z]+[A-Z]", word))
    )


def inside_long_run(text: str, start: int, end: int) -> bool:
    """Whether the span lies in (or is) a run of more than ``_LONGEST_NAME_WORD`` characters without a space."""
    left = start
    while left > 0 and start - left <= _LONGEST_NAME_WORD and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and right - end <= _LONGEST_NAME_WORD and not text[right].isspace():
        right += 1
    return any(len(w) > _LONGEST_NAME_WORD for w in text[left:right].split())


def enough_digits(kind: str, surface: str, found_as: float) -> bool:
    """A number is an identifier only with enough digits: after a label 2 ('Plate: KX19 ABC'), after 'No.' 4,
    alone 5; never a date or a date range ('Visit: 12/02/2024 10:30')."""
    digits = sum(c.isdigit() for c in surface)
    if kind == "PHONE":
        return digits >= (3 if found_as >= 0.9 else 4 if found_as >= 0.85 else 7)  # 'bleep 417', 'Tel 4417
    if kind != "ID":
        return digits >= 7
    needed = 1 if found_as >= 0.95 else 2 if found_as >= 0.9 else 4 if found_as >= 0.85 else 5
    if _VITAL_OR_TIME.match(surface):
        return False  # 'BP 162/88' after 'VITALS:', 'TIME: 04:15'
    if found_as < 0.85 and re.fullmatch(r"[\d/ -]+", surface):
        needed = 9  # bare digit groups: a BP of 148/82, a range 135-145 or a citation is no identifier
    month_year = len(surface) <= 16 and _MONTH_YEAR.search(surface) is not None
    return digits >= needed and _DATE_INSIDE.search(surface) is None and not month_year


_VITAL_OR_TIME = re.compile(
    r"(?:BP|HR|RR|T|SpO2|SPO2|Temp|Wt|Ht|GCS|NEWS|ACT|Act|RULES|Rules)\b|\d{1,2}:\d{2}(?::\d{2})?$|\d{1,2}/\d{1,2}$"
)
_MONTH_YEAR = re.compile(r"(?<!\d)\d{1,2}/(?:19|20)\d{2}(?!\d)|(?<!\d)(?:19|20)\d{2}-(?:19|20)\d{2}(?!\d)")


_DATE_INSIDE = re.compile(rf"(?<![\d/.-]){DATE}(?![\d/.-]\d)|\d{{1,2}}/\d{{1,2}}/\d{{2}}-")


SUFFIXES = frozenset("JR SR II III IV".split())
# Address patterns that find a bare place or street name, which an organisation's name may hold.
PLACE_NAME_PATTERNS = frozenset(
    {
        "street alone",
        "city and state",
        "county",
        "place of a signature or an institution",
        "resident of",
        "residence clause",
    }
)
# Patterns whose context says 'a person' (a party in a caption, a role before a name): their capitals
# may be ordinary words ('DOLORES MARK', 'ISAAC MOSES').
CONTEXT_PATTERNS = frozenset({"role and name", "caption name", "case caption", "name and relation"})
COMMON_NOUN_ENDINGS = (
    "tion",
    "sion",
    "ment",
    "ness",
    "ology",
    "therapy",
    "itis",
    "osis",
    "emia",
    "aemia",
    "ectomy",
    "otomy",
    "scopy",
    "graphy",
    "pathy",
    "algia",
    "phagia",
    "uria",
    "plasty",
    "ance",
    "ence",
    "ility",
    "ical",
    "meter",
)
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion".split()
)


def not_a_given_name(after_comma: str, rest_of_line: str, before_comma: str | None = None) -> bool:
    """What follows a name's comma is a role, a credential or an organisation, not a given name."""
    words = after_comma.split()
    return bool(words) and (
        any(w.lower().strip(".,") in ORG_WORDS for w in rest_of_line.split()[:5])
        or all(is_role_or_heading(w) or w.strip(".").upper() in CREDENTIALS for w in words)
        or (before_comma is not None and not before_comma.isupper() and all(_is_credential_like(w) for w in words))
    )


_CELL_GAP = re.compile(r"[ \t]{2,}|\t|\|")


def rest_of_cell(text: str, start: int) -> str:
    """The text from ``start`` to the end of its line or table cell: 'MAHLANGU, Nokuthula  Lab No.' ends
    the name's cell before 'Lab'."""
    end = text.find("\n", start) % (len(text) + 1)
    gap = _CELL_GAP.search(text, start, end)
    return text[start : gap.start() if gap else end]


def _is_credential_like(word: str) -> bool:
    """'RHIT', 'CPhT', 'FRCPC': a short run of capitals after a mixed-case name is a credential, not a given name."""
    letters = word.strip(".,;")
    return 2 <= len(letters) <= 5 and letters[:1].isupper() and sum(c.isupper() for c in letters) >= 2


_CREDENTIALS_UPPER = frozenset(c.upper() for c in CREDENTIALS)


SENTENCE_ENDS_AFTER_TITLE = re.compile(
    r"\b(?:Officer|Judge|Justice|Sister|Master|Chief|Lady|Lord|Professor|Deputy|Dame|Sir|Counsel)\.\s+$"
)
AFTER_TITLE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?[ \t]+$")


_PHONE_LIKE = re.compile(r"\+?[\d()][\d ().-]{6,}\d")
# Organisation words, less those that name a building too ('Carrowmore House', 'Seaview Court').
_INSTITUTION_WORDS = ORG_WORDS - frozenset({"house", "court", "wing", "block"})


def residence_address(text: str, start: int, end: int) -> tuple[int, int]:
    """A residence clause's address without the institution it names first and the state or phone after it
    ('resides at Magnolia Terrace Memory Care, Room 208, ...', '..., Seguin, Texas, 830-555-0118')."""
    while (comma := text.find(",", start, end)) != -1 and any(
        w.lower().strip(".") in _INSTITUTION_WORDS for w in text[start:comma].split()
    ):
        start = comma + 1
        while start < end and text[start].isspace():
            start += 1
    while (comma := text.rfind(",", start, end)) != -1 and (
        is_region(part := text[comma + 1 : end].strip()) or _PHONE_LIKE.fullmatch(part)
    ):
        end = comma
    return start, end


def before_org_word(text: str, start: int, end: int) -> int:
    words = list(re.finditer(r"\S+", text[start:end]))
    for i, w in enumerate(words[2:], 2):
        if w.group().lower().strip(".,") in ORG_WORDS:
            return start + words[i - 1].end()
    return end


def ends_in_surname_org_word(text: str, start: int, end: int) -> bool:
    """'Dr Olivia Chambers', 'Dr Mark Hall' at the end of their cell: a titled name's last word that is
    also an organisation's word is its surname when a common surname and nothing follows it."""
    words = text[start:end].split()
    last = words[-1].strip(".,") if len(words) >= 2 else ""
    return last.lower() in ORG_WORDS and is_common_surname(last) and bool(_NAME_ENDS.match(text, end))


def with_bracketed_nickname(text: str, end: int) -> int:
    """A name's end past the nickname bracketed after it ('CHEUNG, WAI MAN (RAYMOND)', 'Smith, Robert (Bob)')."""
    m = _BRACKETED_WORD.match(text, end)
    word = m.group(1).lower() if m else ""
    if (
        word
        and (word in given_names() or word in world_given_names())
        and not (is_role_or_heading(word) or word in _RELATIONS)
    ):
        return m.end()
    return end


_BRACKETED_WORD = re.compile(r"[ \t]\(([A-Z][A-Za-z'’-]{1,20})\)")
_RELATIONS = frozenset(
    "neighbor neighbour friend son daughter wife husband mother father sister brother carer caregiver guardian"
    " partner spouse niece nephew aunt uncle cousin patient self mum mom dad".split()
)
_NAME_ENDS = re.compile(r"[ \t]*(?:$|\n|[ \t]{2,}|[,;)|])|[.][ \t]*(?:$|\n)")


def has_org_word(surface: str) -> bool:
    return any(w.lower().strip(".,") in ORG_WORDS for w in surface.split())


def without_trailing_credentials(text: str, start: int, end: int) -> int:
    words = list(re.finditer(r"\S+", text[start:end]))
    keep = len(words)
    while keep > 1 and (
        (w := words[keep - 1].group().strip(".,;()")).replace(".", "").upper() in _CREDENTIALS_UPPER
        or mixed_abbreviation(w)
    ):
        keep -= 1
    return start + words[keep - 1].end() if keep < len(words) else end


def without_leading_role(text: str, start: int, end: int) -> int:
    """The start of a name without the job title a label's span took in before it ('Booked by: Midwife
    Adunni Bakare'); two words always stay, so 'Porter Mason' is not cut."""
    words = list(re.finditer(r"\S+", text[start:end]))
    first = 0
    while (
        len(words) - first > 2
        and (word := words[first].group())[:1].isupper()
        and word[-1].isalpha()  # 'MD, Staff Pathologist' is a credential's list, not a role before a name
        and is_role_or_heading(word)
    ):
        first += 1
    rest = [w.group() for w in words[first:]]
    if not first or any(is_role_or_heading(w) or not re.search(r"[a-z]", w) for w in rest):
        return start  # 'Staff Pathologist', 'Envelope ID': nothing left that reads as a name
    return start + words[first].start()


def without_trailing_role(text: str, start: int, end: int) -> int:
    """The end of a labelled name without the job title that follows it on the line ('... Legal Secretary')."""
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) < 2 or not is_role_or_heading(words[-1].group()) or words[-1].group().lower() in ORG_WORDS:
        return end
    keep = len(words)
    while keep > 1 and (
        is_role_or_heading(w := words[keep - 1].group().strip(".,"))
        or w.lower() in ORG_WORDS
        or w.replace(".", "").upper() in _CREDENTIALS_UPPER
        or w.lower() in ("of", "at", "and", "&", "to", "the")
    ):
        keep -= 1
    return start + words[keep - 1].end() if keep < len(words) else end


_ABBREVIATIONS = frozenset("US USA UK DC ID MI USC MGL CFR NY NYC LLP PLLC RN MD DO NA PC LLC IRS EU UN".split())


def is_abbreviation(surface: str) -> bool:
    """'U.S.', 'I.D.', 'M.G.L.': dotted capitals that are no one's initials."""
    return surface.replace(".", "").replace(" ", "").upper() in _ABBREVIATIONS


STATUTE_AFTER = re.compile(r"\.?,?[ \t]*(?:\d|§|c\.[ \t]*\d)")


def plausible_url(surface: str) -> bool:
    """A dotted quad is an IP address, not a version or a clause number ('CAP 4.2.0.0', '§ 2.4.3.1')."""
    parts = surface.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts):
        return int(parts[0]) >= 10
    return True


_LEGAL_DATE = re.compile(
    r"(?i:dated|effective|as of|entered into|executed|commencing|term|on or before|expires?)\W+(?:\w+\W+){0,3}$"
)


def is_legal_date(text: str, start: int) -> bool:
    """An agreement's or a court's date ('dated as of 3 March 1931') rather than a person's."""
    return _LEGAL_DATE.search(text, max(0, start - 40), start) is not None


def name_words(surface: str) -> list[str]:
    words = [w.strip(".,;:()'’\"") for w in surface.split()]
    return [w for w in words if w and w.lower() not in TITLES and len(w) > 1]


def protected_here(text: str, start: int, end: int, word: str) -> bool:
    return (
        is_protected_word(word)
        or word.lower().strip(".,") in EPONYM_HEADS
        or before_eponym_head(text, end)
        or is_drug_in_context(text, start, end)
        or after_vehicle_make(text, start)
    )


def before_eponym_head(text: str, end: int) -> bool:
    """'Murphy's sign', 'Foley catheter', 'Morse fall scale': a name used for a sign, a device or a scale."""
    m = re.match(r"(?:['’]s)?[ \t]{1,2}([A-Za-z][A-Za-z-]*)(?:[ \t]{1,2}([A-Za-z][A-Za-z-]*))?", text[end : end + 40])
    return bool(m) and any(
        (w or "").lower().rstrip("s") in EPONYM_HEADS or (w or "").lower() in EPONYM_HEADS for w in m.groups()
    )


LABEL_COLON = re.compile(r"[ \t]*:")


def in_table_header(text: str, start: int) -> bool:
    """Whether the position lies in a row of a pipe table with three or more cells and no digit."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    return line.count("|") >= 3 and not any(c.isdigit() for c in line)


# A reported case cited by its year or its law report: 'Hadley v. Baxendale (1854), 156 E.R. 145',
# 'Donoghue v Stevenson [1932] AC 562', 'Roe v. Wade, 410 U.S. 113'. Its parties are public record and
# the citation is what a lawyer searches for; the caption of the case at hand carries no such citation.
_CASE_WORD = r"(?:[A-Z][\w.'’&-]*|of|the|and|de|van|von|la|le|del|du)"
_CITED_CASE = re.compile(
    rf"\b[A-Z][\w.'’&-]*(?:[ \t]+{_CASE_WORD}){{0,6}}[ \t]+v\.?[ \t]+[A-Z][\w.'’&-]*(?:[ \t]+{_CASE_WORD}){{0,8}}?"
    r"(?=,?\s*(?:\(\d{4}\)|\[\d{4}\]|\d{1,4}[ \t]+[A-Z][\w.]*(?:[ \t]+\(\d?[a-z]{1,2}\))?[ \t]+\d{1,5}\b))"
)


# An enactment by its name and year: 'Powers of Attorney Act, 1882', 'Workers Compensation Act 1987'.
_STATUTE = re.compile(
    r"\b(?:[A-Z][\w'’-]*[ \t]+(?:(?:of|and|the|for|to)[ \t]+)*){1,8}(?:Act|Code|Regulations|Rules),?[ \t]+\d{4}\b"
)


def cited_cases(text: str) -> list[tuple[int, int]]:
    """The spans of reported cases and enactments cited in the text, whose names stay."""
    spans = [m.span() for m in _STATUTE.finditer(text)] if "Act" in text or "Code" in text or "Rules" in text else []
    for m in _CITED_CASE.finditer(text) if " v" in text else ():
        end = m.end()
        while trail := _CITATION.match(text, end):  # '(1995), 26 O.R. (3d) 481 (C.A.)'
            end = trail.end()
        spans.append((m.start(), end))
    return spans


_CITATION = re.compile(
    r",?\s*(?:\(\d{4}\)|\[\d{4}\]|\d{1,4}[ \t]+[A-Z][\w.]*(?:[ \t]+\(\d?[a-z]{1,2}\))?[ \t]+\d{1,5}\b"
    r"|\((?:[A-Z][\w.]*[ \t]?){1,3}\))"
)


def without_cited_names(text: str, found: list[Any]) -> list[Any]:
    """The findings less the names and places inside a cited precedent or enactment."""
    cited = cited_cases(text)
    if not cited:
        return found
    return [f for f in found if f[0] not in _PLACE_OR_PERSON or not any(s < f[2] and f[1] < e for s, e in cited)]


_PLACE_OR_PERSON = frozenset({"PERSON", "LOCATION", "ADDRESS"})
_HOUSE_NUMBER = re.compile(r"\b(?:House|Flat|Plot|Door|Unit)[ \t]+(?:No\.?[ \t]*)?\d")
_FIRM_AFTER_COMMA = re.compile(r"[ \t]*[A-Z][\w'’-]+(?:,[ \t]*[A-Z][\w'’-]+)*,?[ \t]*(?:&|and)[ \t]+[A-Z]")


def is_numbered_home(text: str, start: int, end: int) -> bool:
    """'House No. 42, Street 7, ...': a home's number, not an institution's house."""
    return bool(_HOUSE_NUMBER.search(text, start, end))


def is_firm_after_comma(text: str, after_comma: int) -> bool:
    """'Whyte, Grant & Associates': the surnames after a comma run into a firm's '& Associates'."""
    return bool(_FIRM_AFTER_COMMA.match(text, after_comma)) and has_org_word(rest_of_cell(text, after_comma))
