"""Tidying what was found: spans trimmed to the identifier, merged, spread through a document's other
occurrences, widened to a whole address block, and replaced by placeholders.
"""

from __future__ import annotations

import re

from analysis.redaction.placeholders import COMMON_WORDS, PLACEHOLDER, TITLES, Entity, Placeholders, Redaction
from analysis.redaction.vocabulary import ORG_WORDS, is_organisation, is_protected_word, is_role_or_heading

Span = tuple[str, int, int, float]

# Job titles that follow a name in a signature block ('Aoife Brennan Consultant Cardiologist').
_TRAILING_TITLES = frozenset(
    """
    consultant cardiologist registrar physician surgeon nurse director manager partner solicitor attorney
    counsel paralegal clerk secretary specialist practitioner resident fellow intern officer coordinator
    administrator assistant associate president chairman chair ceo cfo coo vice senior junior head chief
    date time signature title position department tel phone fax email
    """.split()
)


def occurs_in_lower_case(text: str, word: str) -> bool:
    """Whether ``word`` is also written in lower case as a word of its own (not inside an email)."""
    word = word.strip(".,;:()'’").lower()
    return bool(word) and re.search(rf"(?<![\w.@'-]){re.escape(word)}(?![\w@'-]|\.\w)", text) is not None


_EDGE = " \t\r\n.,;:()[]{}\"'"
CREDENTIALS = frozenset(
    "MD DO RN NP PA PA-C PhD DNP FNP APRN MS LPN CNA Esq ESQ MRCGP MRCP FRCS FRCP MBBS CNM CNM2 JD DDS DMD "
    "PharmD FRANZCR FRACP FRCPath MRCPsych FRCPC RGN RMN OT PT SLP STNA JP RHIT RHIA CPhT CMA LCSW LMFT LPC CRNA "
    "MBChB BDS MRCS FACS FACP FACC FCPS DNB DCH MPH MSN BSN CCRN RPh RD LD MSW LICSW RRT EMT EMT-P MBA LLB LLM "
    "QC KC CPA CFP DPPS FAAP FRCSEd MRCOG FRCOG DRCOG DFSRH MRCPCH FRCPCH MCh DM BSc MSc".split()
)
LEADING_TITLE = re.compile(r"(?:['’]s\s+)?(?:(?:Name|NAME|Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?:?(?:\s+|$))+")
_LOWER_PARTICLES = frozenset("van von de la del della dela da di du le al el bin binti binte ibn ter".split())
_COLUMN_GAP = re.compile(r"[ ]{3,}|\t")
_LABEL_INSIDE = re.compile(r"\s+[A-Za-z][A-Za-z ]{0,20}:")


def trim(text: str, spans: list[Span], *, known_names: bool = False) -> list[Span]:
    """Spans without surrounding punctuation, names cut at a line break or a field label that follows,
    and nothing inside an existing placeholder or that is only a clinician's credentials.

    ``known_names``: the spans recur names already found, so one before a colon is a speaker, not a label.
    """
    taken = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    out = []
    for entity_type, start, end, score in spans:
        if entity_type in ("PERSON", "LOCATION"):
            stripped = start + len(text[start:end]) - len(text[start:end].lstrip())
            cut = text.find("\n", stripped, end)
            end = cut if cut > stripped else end
            if column := _COLUMN_GAP.search(text, stripped, end):
                end = column.start()  # 'Nakashima          CONTINUE': the next column of a table
            if label := _LABEL_INSIDE.search(text, stripped, end):
                end = label.start()  # 'Aoife Brennan Date: 3/4/2024' on one extracted line
            if text[start:end].strip().rstrip(".").lower() in TITLES:
                continue
        if entity_type == "PERSON":
            end = _without_trailing_titles(text, start, end)
        while start < end and text[start] in _EDGE and not (text[start] == "(" and ")" in text[start:end]):
            start += 1
        while end > start and text[end - 1] in _EDGE and not _keeps_last(text, start, end):
            end -= 1
        if entity_type == "PERSON" and (title := LEADING_TITLE.match(text, start, end)):
            start = title.end()  # 'Dr. <PERSON_1>': the title (or "'s Name") is no identifier
        surface = text[start:end]
        if entity_type in ("PERSON", "LOCATION") and (
            not (surface[:1].isupper() or surface.split(None, 1)[0] in _LOWER_PARTICLES)
            or surface.replace(".", "") in CREDENTIALS
            or surface.lower() in TITLES
        ):
            continue  # a drug name, a date or 'M.D.' that the NER model took for a name or a place
        if not surface or any(a < end and start < b for a, b in taken):
            continue
        if entity_type in ("PERSON", "LOCATION") and not known_names and _is_field_label(text, start, end):
            continue  # 'Tel:' at the start of a header line
        out.append((entity_type, start, end, score))
    return out


def address_blocks(text: str, spans: list[Span]) -> list[Span]:
    """An address that starts a line and ends in a postcode takes the address lines just above it
    ('Flat 12, Kirkstall Mill Court / Bridge Road / Leeds / LS5 3BN'), never a name or an organisation."""
    out = []
    for entity_type, start, end, score in spans:
        if entity_type == "ADDRESS" and _POSTCODE_END.search(text, start, end):
            if words := _WORDS_BEFORE.search(text, max(0, start - 60), start):
                start = words.start(1)  # 'Jayanagar 4th Block, Bengaluru 560011', '7-1-44 Ameerpet, Hyderabad 500016'
            while part := _PLACE_BEFORE.search(text, max(0, start - 80), start):
                if _is_institution(part.group(1)) or any(is_role_or_heading(w) for w in part.group(1).split()):
                    break  # 'Ravi Nambiar, Pharmacist, Main Street, ...': the address starts after the role
                start = part.start(1)  # 'Carrowmore House, Ballyshannon Road, Donegal Town, Co. Donegal, F94 K2T6'
            for _ in range(4):
                line_start = text.rfind("\n", 0, start) + 1
                if text[line_start:start].strip() or line_start == 0:
                    break
                previous = text.rfind("\n", 0, line_start - 1) + 1
                line = text[previous : line_start - 1]
                if not _ADDRESS_LINE.fullmatch(line) or _is_institution(line):
                    break
                start = previous + len(line) - len(line.lstrip())
        if entity_type == "ADDRESS" and (code := _POSTCODE_AFTER.match(text, end)):
            end = code.end()  # 'Sandton, 2196', 'Bellville' over a line of its own '7530'
        out.append((entity_type, start, end, score))
    return out


# A postcode after an address, after its comma or alone on the next line.
_POSTCODE_AFTER = re.compile(
    r"(?:,[ \t]*|[ \t]*\n[ \t]*)(?:\d{4,6}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2})"
    r"(?=[ \t]*(?:\n|$|[ \t]{2,}|,))"
)
# One comma-separated part of an address before what was found: 'No. 14', '3rd Cross', '7-1-44 Ameerpet',
# 'Brgy. San Isidro', 'Sunrise of Park Ridge'; every word starts with a capital or a digit.
_PLACE_BEFORE = re.compile(
    r"(?<![^\s(])([\"“]?(?:[A-Z0-9#][\w.'’/#\"”-]*)"
    r"(?:[ \t](?:[A-Z0-9][\w.'’/#\"”-]*|of|de|la|del|van|der|the|na|ni|an|le|du|di|da)){0,4})"
    r",[ \t]*\n?[ \t]*$"
)
_WORDS_BEFORE = re.compile(r"(?<![^\s(])((?:[A-Z0-9][\w.'’/#-]*[ \t]+){1,3})$")
# Words that end an address block upwards: the organisation whose address it is stays.
_INSTITUTION_WORDS = ORG_WORDS - frozenset("house church care home homes court chambers centre center bank".split())


def _is_institution(line: str) -> bool:
    return any(w.lower().strip(".,") in _INSTITUTION_WORDS for w in line.split())


# An address that ends in a postcode, a PIN, a county or a town after its postal number.
_POSTCODE_END = re.compile(
    r"(?:\b[A-Z]{2}[ \t]{1,2}\d{5}(?:-\d{4})?|\b[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|\b[A-Z]\d[A-Z][ \t]?\d[A-Z]\d"
    r"|\b[A-Z]\d{2}[ \t]?[0-9A-Z]{4}|\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)[ \t]\d{4}|[A-Za-z][ \t\-–]{1,3}\d{3}[ ]?\d{3}"
    r"|\b[A-Z][a-z]+[ \t]+\d{4}|\b\d{4}[ ]?[A-Z]{2}[ \t]+[A-Z][a-z]+|\b\d{5}[ \t]+[A-Z][a-z]+"
    r"|\bCo\.[ \t][A-Z][a-z]+|,[ \t]\d{4})\b[ \t.,]*$"
)
# A short line of an address: a number and a street, a unit, a building or a town; no label, no title.
_ADDRESS_LINE = re.compile(
    r"[ \t]*(?!(?:Dr|Mr|Mrs|Ms|Miss|Prof|Dear|Re|RE|To|From|Attn|Date)\b)(?:#|[^\W_])[^\n:@]{1,48}[ \t,]*"
)


def _without_trailing_titles(text: str, start: int, end: int) -> int:
    """'Aoife Brennan Consultant' ends before 'Consultant'; one word is always kept."""
    while True:
        words = text[start:end].rstrip().rsplit(None, 1)
        if len(words) < 2 or words[1].strip(".,").lower() not in _TRAILING_TITLES:
            return end
        end = start + len(words[0])


def _is_field_label(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and text[end : end + 1] == ":"


def _keeps_last(text: str, start: int, end: int) -> bool:
    """A closing bracket that has its opening one, or the full stop of an initial ('J.', 'Jr.')."""
    if text[end - 1] == ")":
        return "(" in text[start:end]
    return text[end - 1] == "." and _is_initial(text, end)


def _is_initial(text: str, end: int) -> bool:
    """'J.' or 'Jr.' at the end of a name keeps its full stop."""
    word = text[:end].rsplit(None, 1)[-1]
    return len(word) <= 3 and word[0].isupper()


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one (their union), typed by the longest, then strongest, of them
    (a street address that spaCy calls a place or a person stays an address)."""
    merged: list[Span] = []
    best: list[tuple[int, float, str]] = []
    for entity_type, start, end, score in sorted(spans, key=lambda s: (s[1], -s[2])):
        if merged and start < merged[-1][2]:
            _t, m_start, m_end, m_score = merged[-1]
            best[-1] = max(best[-1], (end - start, score, entity_type))
            merged[-1] = (best[-1][2], m_start, max(m_end, end), max(m_score, score))
        else:
            merged.append((entity_type, start, end, score))
            best.append((end - start, score, entity_type))
    return merged


def recurrences(text: str, surfaces: dict[str, str]) -> list[Span]:
    """Every other occurrence in ``text`` of an identifier already found (surely) in the document."""
    if not surfaces:
        return []
    out = []
    for surface, entity_type in surfaces.items():
        words = surface.split()
        if not words or (len(words) == 1 and occurs_in_lower_case(text, surface)):
            continue  # a one-word name that is also an ordinary word here ('Discharge' and 'discharge')
        pattern = r"\s+".join(re.escape(w) for w in words)
        flags = re.IGNORECASE if len(words) > 1 or entity_type not in ("PERSON", "LOCATION") else 0
        for m in re.finditer(rf"(?<![\w@]){pattern}(?![\w@])", text, flags):
            if entity_type == "PERSON" and is_organisation(text, m.start(), m.end()):
                continue  # 'Arroyave' of 'ARROYAVE & TRAN LLP': a firm named after a person stays
            out.append((entity_type, m.start(), m.end(), 1.0))
        if len(words) == 1 and entity_type in ("PERSON", "LOCATION"):
            other = surface.title() if surface.isupper() else surface.upper()  # 'KOVAC' and 'Kovac'
            for m in re.finditer(rf"(?<![\w@]){re.escape(other)}(?![\w@])", text):
                if not (entity_type == "PERSON" and is_organisation(text, m.start(), m.end())):
                    out.append((entity_type, m.start(), m.end(), 1.0))
    return trim(text, out, known_names=True)


_WORD_BEFORE = re.compile(r"(?<![\w'-])((?:[A-Z][A-Za-z'\-]+|(?<![.,;:] )[A-HJ-Z]\.?) (?:[A-Z][A-Za-z'\-]+ )?)$")


def with_first_names(text: str, spans: list[Span]) -> list[Span]:
    """A one-word name takes the capitalised word or initial just before it ('WALTER' of 'WALTER ULRICH',
    'A' of 'A Crabtree', when only the surname was known), unless that word is a title, a common word or
    vocabulary."""
    out: list[Span] = []
    for entity_type, start, end, score in spans:
        if entity_type == "PERSON" and " " not in text[start:end].strip():
            m = _WORD_BEFORE.search(text, max(0, start - 40), start)
            previous_end = out[-1][2] if out else 0
            if (
                m
                and m.start() >= previous_end
                and not any(w.lower() in TITLES | COMMON_WORDS or is_protected_word(w) for w in m.group(1).split())
            ):
                start = m.start()
        out.append((entity_type, start, end, score))
    return out


def apply_placeholders(text: str, spans: list[Span], placeholders: Placeholders) -> Redaction:
    parts: list[str] = []
    entities: list[Entity] = []
    last = 0
    for entity_type, start, end, score in spans:
        surface = text[start:end]
        placeholder = placeholders.placeholder(entity_type, surface, score)
        parts += [text[last:start], placeholder]
        entities.append(Entity(entity_type, start, end, surface, placeholder, score))
        last = end
    parts.append(text[last:])
    return Redaction("".join(parts), tuple(entities))
