"""Clinical facts by rules: the note date, problems, medications, allergies, procedures and
follow-up instructions, each tied to the sentence or list line it was read from.

A note is read as sections (MTSamples-style upper-case headings ending in a colon) made of
units: list lines ("1. Metoprolol 25 mg p.o. b.i.d.") and sentences. Concepts are found two
ways: by section structure (every item under DISCHARGE DIAGNOSES is a problem, every item under
a MEDICATIONS heading that carries a dose is a medication) and by lexicons of drugs, conditions
and procedures (``clinical_lexicon``) anywhere in the narrative. Each mention then gets the
ConText assertions (``context``): negated, uncertain, historical, family; the section adds its
own (PAST MEDICAL HISTORY is historical, FAMILY HISTORY is family). A hypothetical mention
("return if she develops a fever", "risk of bleeding") is not a problem the patient has: it is
flagged uncertain and carries the attribute ``hypothetical: "yes"``. A drug name read as a lab
value ("Calcium was low at 8.8 mg/dL", "Digoxin level 2.1") is no medication, and one after an
allergy cue ("hypersensitivity to Coumadin", "intolerant of codeine") is an allergy.

No model and no network: fast (hundreds of notes a second) and the same on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from analysis.jobs.extract import clinical_lexicon as lex
from analysis.jobs.extract.context import Assertion, assert_targets
from analysis.jobs.extract.facts import CLINICAL, DocumentForExtraction, Extraction, Fact
from analysis.jobs.extract.normalize import parse_date

CLINICAL_EXTRACTOR: tuple[str, str] = ("clinical_rules", "2")  # 2: ConText round two, labs, allergy cues
MAX_CHARS = 1_000_000  # a note longer than this is read up to here; no real note comes near it
_MAX_UNIT = 600  # characters; longer runs are cut at a space so assertion scopes stay local

# --------------------------------------------------------------------------- lexicon lookup

DRUG, CONDITION, PROCEDURE = "drug", "condition", "procedure"
_TOKEN = re.compile(r"[^\W_]+(?:[-'/][^\W_]+)*", re.UNICODE)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN.findall(text))


def _build_lexicon() -> dict[tuple[str, ...], tuple[str, str, str]]:
    """Token tuple -> (category, canonical value, generic name for brands)."""
    table: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for term in lex.PROCEDURES:
        table[_tokens(term)] = (PROCEDURE, term, "")
    for term, canonical in lex.CONDITIONS.items():
        if term not in lex.CONDITION_STOPWORDS:
            table[_tokens(term)] = (CONDITION, canonical, "")
    for term in lex.GENERIC_DRUGS:
        table[_tokens(term)] = (DRUG, term, "")
        if "-" in term and term.count("-") == 1 and not term.startswith(("omega", "vitamin")):
            table[_tokens(term.replace("-", " "))] = (DRUG, term.replace("-", " "), "")
    for brand, generic in lex.BRAND_DRUGS.items():
        table[_tokens(brand)] = (DRUG, brand, generic if generic != brand else "")
    return table


_LEXICON = _build_lexicon()
_MAX_TERM = max(len(k) for k in _LEXICON)


@dataclass(frozen=True)
class _Mention:
    category: str
    value: str  # canonical, lower case
    generic: str
    start: int  # offsets in the document
    end: int


def _lexicon_mentions(text: str, base: int) -> list[_Mention]:
    """Longest lexicon matches over whole tokens of ``text``; offsets shifted by ``base``."""
    toks = list(_TOKEN.finditer(text))
    words = [t.group(0).lower() for t in toks]
    found: list[_Mention] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_TERM, len(words) - i), 0, -1):
            entry = _LEXICON.get(tuple(words[i : i + n]))
            if entry is None:
                continue
            raw = text[toks[i].start() : toks[i + n - 1].end()]
            if n == 1 and len(raw) <= 3 and not raw.isupper() and entry[0] == CONDITION:
                continue  # "pe", "af", "ra" in lower case are words or units, not abbreviations
            found.append(_Mention(entry[0], entry[1], entry[2], base + toks[i].start(), base + toks[i + n - 1].end()))
            i += n
            break
        else:
            i += 1
    return found


# --------------------------------------------------------------------------- note structure

_HEADING = re.compile(r"^[ \t]*(?P<name>[A-Z][A-Z0-9 ,/&()'\-]{1,70}?)[ \t]*:(?=[ \t]|$)", re.MULTILINE)
_LIST_MARK = re.compile(r"^[ \t]*(?:\d{1,2}[.)]|[-*\u2022])[ \t]+")
_SENT_END = re.compile(r"[.!?](?=\s+[\"'(]?[A-Z0-9])")
_ABBREV_DOT = re.compile(r"(?:^|\s)(?:[A-Za-z]\.)+[A-Za-z]?\.?$|(?:^|\s)(?:Dr|Mr|Mrs|Ms|vs|St|No|approx|Drs|Jr|Sr)\.$")


@dataclass(frozen=True)
class _Unit:
    """A sentence or a list line: the evidence a fact points at."""

    start: int
    end: int
    section: str  # the heading it sits under, upper case; "" before the first heading
    item: bool  # a numbered or bulleted line, or a section body that is one short line


@dataclass
class _Note:
    text: str
    units: list[_Unit] = field(default_factory=list)
    bodies: list[tuple[str, int, int]] = field(default_factory=list)  # (section, body start, body end)


_PAGE_FURNITURE = re.compile(r"^\W*(?:(?-i:[A-Z][A-Z ]{2,40})\s+)?page\s+\d{1,4}(?:\s+of\s+\d{1,4})?\W*$", re.I)


def _read_note(text: str) -> _Note:
    note = _Note(text)
    heads = [m for m in _HEADING.finditer(text) if sum(c.isalpha() for c in m.group("name")) >= 2]
    spans = [("", 0, heads[0].start() if heads else len(text))]
    for k, m in enumerate(heads):
        spans.append(
            (" ".join(m.group("name").split()), m.end(), heads[k + 1].start() if k + 1 < len(heads) else len(text))
        )
    for name, start, end in spans:
        note.bodies.append((name, start, end))
        body = text[start:end]
        short = "\n" not in body.strip() and len(body.split()) <= 16
        pos = start
        for line in body.split("\n"):
            line_start, pos = pos, pos + len(line) + 1
            if not line.strip() or _PAGE_FURNITURE.search(line):
                continue  # a running header or footer that a PDF page put in the text is not the note's
            mark = _LIST_MARK.match(line)
            if mark:  # a list line is one unit, cut like a sentence when it runs long
                for s, e in _trimmed(line, mark.end(), len(line.rstrip())):
                    note.units.append(_Unit(line_start + s, line_start + e, name, True))
                continue
            for s, e in _sentences(line):
                note.units.append(_Unit(line_start + s, line_start + e, name, short and bool(name)))
    return note


def _sentences(line: str) -> Iterator[tuple[int, int]]:
    """Sentence spans in one line; a period after 'p.o.', 'b.i.d.' or 'Dr.' ends nothing."""
    start = 0
    for m in _SENT_END.finditer(line):
        if _ABBREV_DOT.search(line[start : m.end()]):
            continue
        yield from _trimmed(line, start, m.end())
        start = m.end()
    yield from _trimmed(line, start, len(line))


def _trimmed(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    while end - start > _MAX_UNIT:
        cut = line.rfind(" ", start, start + _MAX_UNIT)
        cut = cut if cut > start else start + _MAX_UNIT
        yield start, cut
        start = cut + 1
    if end > start:
        yield start, end


# --------------------------------------------------------------------------- section kinds

_MED_SECTION = re.compile(r"MEDICATION|MEDICINE|\bMEDS\b|PRESCRIPTION|\bDRUGS\b|\bRX\b")
_ALLERGY_SECTION = re.compile(r"ALLERG")
_PROBLEM_SECTION = re.compile(r"DIAGNOS|PROBLEM|ASSESSMENT|IMPRESSION|MEDICAL HISTORY|PAST HISTORY")
_HISTORY_SECTION = re.compile(r"PAST MEDICAL|PAST SURGICAL|PAST HISTORY|SURGICAL HISTORY|MEDICAL HISTORY")
_FAMILY_SECTION = re.compile(r"FAMILY")
_PROCEDURE_SECTION = re.compile(r"PROCEDURE|OPERATION|SURGICAL HISTORY|SURGERIES")
_FOLLOW_SECTION = re.compile(r"FOLLOW")
_PLAN_SECTION = re.compile(r"\bPLAN\b|RECOMMENDATION")
_NO_PROBLEM_SECTION = re.compile(
    r"MEDICATION|MEDICINE|\bMEDS\b|ALLERG|PROCEDURE|OPERATION|SURGICAL|TECHNIQUE|COMPARISON|DATE|PHYSICIAN|"
    r"PATIENT|MRN|RECORD|FACILITY|\bCLINIC\b|PROVIDER|ATTENDING|DICTATED|INSTRUCTIONS|DISPOSITION|CONDITION|EXAM$"
)


def _is(pattern: re.Pattern[str], section: str) -> bool:
    return bool(section) and bool(pattern.search(section))


# --------------------------------------------------------------------------- the extractor


def extract_clinical_facts(document: DocumentForExtraction) -> Extraction:
    """Every clinical field read from ``document.text``; a field that fails costs only itself."""
    out = Extraction()
    text = document.text if isinstance(getattr(document, "text", None), str) else ""
    text = text[:MAX_CHARS]
    state: dict[str, object] = {}

    def note() -> _Note:
        if "note" not in state:
            state["note"] = _read_note(text)
            state["mentions"] = {id(u): _lexicon_mentions(text[u.start : u.end], u.start) for u in state["note"].units}
        return state["note"]  # type: ignore[return-value]

    def mentions(unit: _Unit) -> list[_Mention]:
        note()
        return state["mentions"][id(unit)]  # type: ignore[index]

    out.collect("note_date", lambda: _note_date(text))
    out.collect("problem", lambda: _problems(note(), mentions))
    out.collect("medication", lambda: _medications(note(), mentions))
    out.collect("allergy", lambda: _allergies(note(), mentions))
    out.collect("procedure", lambda: _procedures(note(), mentions))
    out.collect("follow_up", lambda: _follow_ups(note()))
    return out


def _fact(
    name: str,
    value: str,
    unit: _Unit,
    raw_start: int,
    raw_end: int,
    text: str,
    *,
    confidence: float,
    assertion: Assertion | None = None,
    **attributes: str,
) -> Fact:
    a = assertion or Assertion()
    if a.hypothetical:
        attributes["hypothetical"] = "yes"
    return Fact(
        kind=CLINICAL,
        field=name,
        value=value,
        start=unit.start,
        end=unit.end,
        raw=text[raw_start:raw_end],
        confidence=confidence,
        attributes={k: v for k, v in attributes.items() if v},
        negated=a.negated,
        uncertain=a.uncertain or a.hypothetical,
        historical=a.historical,
        family=a.family,
    )


def _dedupe(facts: list[Fact], *, by_section: bool = False) -> list[Fact]:
    """One fact per value and assertion (per section for medications): the first mention is the evidence."""
    seen: set[tuple] = set()
    kept = []
    for f in facts:
        key = (
            f.value.lower(),
            f.negated,
            f.uncertain,
            f.historical,
            f.family,
            f.attributes.get("section", "") if by_section else "",
        )
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def _with_section(a: Assertion, section: str) -> Assertion:
    """The section's own assertion on top of the sentence's."""
    return Assertion(
        negated=a.negated,
        uncertain=a.uncertain,
        historical=a.historical or _is(_HISTORY_SECTION, section),
        family=a.family or _is(_FAMILY_SECTION, section),
        hypothetical=a.hypothetical,
    )


# --------------------------------------------------------------------------- note date

_DATE_LABEL = re.compile(
    r"^[ \t]*(?P<label>DATE OF (?:SERVICE|VISIT|EXAM|EXAMINATION|PROCEDURE|CONSULTATION|OPERATION|SURGERY|"
    r"ADMISSION|DISCHARGE|NOTE|ENCOUNTER|STUDY)|(?:EXAM|VISIT|SERVICE|ENCOUNTER) DATE|DATE)[ \t]*:[ \t]*"
    r"(?P<value>[^\n]{1,60})",
    re.MULTILINE | re.IGNORECASE,
)
_DATE_TEXT = re.compile(
    r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}\b|"
    r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{4}\b",
    re.IGNORECASE,
)
_SIGNED = re.compile(r"\b(?:electronically signed|signed|dictated|transcribed)\b[^\n]{0,100}", re.IGNORECASE)
_DATE_RANK = (
    ("SERVICE", "VISIT", "EXAM", "PROCEDURE", "CONSULTATION", "OPERATION", "SURGERY", "NOTE", "ENCOUNTER", "STUDY"),
    ("ADMISSION",),
    ("DATE",),
    ("DISCHARGE",),
)


def _note_date(text: str) -> list[Fact]:
    """The encounter date: a dated header by rank (service, admission, plain DATE, discharge), else a signature."""
    candidates: list[tuple[int, int, int, int, str]] = []  # rank, line start, line end, date start, date text
    for m in _DATE_LABEL.finditer(text):
        label = " ".join(m.group("label").upper().split())
        rank = next((r for r, words in enumerate(_DATE_RANK) if any(w in label.split() for w in words)), 2)
        if label == "DATE":
            rank = 2
        d = _DATE_TEXT.search(m.group("value"))
        if d:
            candidates.append((rank, m.start("label"), m.end("value"), m.start("value") + d.start(), d.group(0)))
    for m in _SIGNED.finditer(text):
        d = _DATE_TEXT.search(m.group(0))
        if d:
            candidates.append((4, m.start(), m.end(), m.start() + d.start(), d.group(0)))
    for rank, start, end, d_start, raw in sorted(candidates, key=lambda c: (c[0], c[1])):
        day = parse_date(raw, day_first=False)
        if day is not None:
            unit = _Unit(start, end, "", False)
            return [
                _fact(
                    "note_date", day.isoformat(), unit, d_start, d_start + len(raw), text, confidence=0.95 - 0.1 * rank
                )
            ]
    return []


# --------------------------------------------------------------------------- problems

_NEGATIVE_START = re.compile(
    r"^(?:otherwise\s+)?(?:no|not|negative|without|none|normal|unremarkable|denies|nothing)\b", re.IGNORECASE
)
# A clause with a verb or a subject is narrative, read concept by concept, not a diagnosis line.
_SENTENCE_LIKE = re.compile(
    r"\b(?:is|are|was|were|there|has|have|had|shows?|showed|demonstrates?|seen|noted|presents?|will|would|"
    r"should|we|he|she|patient|evidence|to)\b",
    re.IGNORECASE,
)
_UNCERTAIN_WORDS = re.compile(
    r"\b(?:possible|possibly|probable|likely|suspected|questionable|rule out|r/o|may represent|versus|vs\.?|"
    r"cannot be excluded|concerning for|suspicious for|differential)\b|\?",
    re.IGNORECASE,
)
_NOT_A_PROBLEM = re.compile(r"\s+(?:screening|prophylaxis|precautions|education|risk|protocol|clinic|service)\b", re.I)
_ITEM_END = re.compile(r"(?<![A-Za-z]\.[A-Za-z])[.](?=\s|$)|:\s")


def _problems(note: _Note, mentions) -> list[Fact]:
    text = note.text
    facts: list[Fact] = []
    for unit in note.units:
        section = unit.section
        if _is(_NO_PROBLEM_SECTION, section) or (_is(_PLAN_SECTION, section) and not _is(_PROBLEM_SECTION, section)):
            continue  # a plan restates the assessment and names what is to be done, not what the patient has
        span = text[unit.start : unit.end]
        if (
            unit.item
            and _is(_PROBLEM_SECTION, section)
            and not _NEGATIVE_START.match(span)
            and not _SENTENCE_LIKE.search(span)
        ):
            facts += _problem_items(note, unit, span)
            continue
        every = mentions(unit)
        found = [m for m in every if m.category == CONDITION and not _NOT_A_PROBLEM.match(text, m.end)]
        facts += _asserted_mentions("problem", text, unit, found, every, confidence=0.8)
    return _dedupe(facts)


def _asserted_mentions(
    field_name: str, text: str, unit: _Unit, found: list[_Mention], every: list[_Mention], *, confidence: float
) -> list[Fact]:
    """A fact per mention in ``found``, each with its ConText assertion in the unit (every
    concept of the unit bounds the triggers' scopes) and its section's."""
    if not found:
        return []
    span = text[unit.start : unit.end]
    targets = [(m.start - unit.start, m.end - unit.start) for m in found]
    concepts = [(m.start - unit.start, m.end - unit.start) for m in every]
    return [
        _fact(
            field_name,
            m.value,
            unit,
            m.start,
            m.end,
            text,
            confidence=confidence,
            assertion=_with_section(a, unit.section),
            section=unit.section,
        )
        for m, a in zip(found, assert_targets(span, targets, concepts=concepts), strict=True)
    ]


def _problem_items(note: _Note, unit: _Unit, span: str) -> list[Fact]:
    """A diagnosis line: its first clause is the problem ("Essential hypertension, controlled")."""
    cut = _ITEM_END.search(span)
    head = span[: cut.start()] if cut else span
    pieces = [(0, len(head))]
    if not unit.item or " and " in head:
        pieces = _list_pieces(head) or pieces
    facts = []
    for s, e in pieces:
        raw = head[s:e].strip(" ,;")
        if not raw or len(raw.split()) > 20 or not any(c.isalpha() for c in raw):
            continue
        s = head.index(raw, s)
        a = Assertion(uncertain=bool(_UNCERTAIN_WORDS.search(raw)))
        value = " ".join(raw.split()).rstrip(".").lower()
        facts.append(
            _fact(
                "problem",
                value,
                unit,
                unit.start + s,
                unit.start + s + len(raw),
                note.text,
                confidence=0.9,
                assertion=_with_section(a, unit.section),
                section=unit.section,
            )
        )
    return facts


def _list_pieces(head: str) -> list[tuple[int, int]]:
    """'Hypertension, hyperlipidemia and gout' -> three spans, when every piece is short."""
    blanked = re.sub(r"\b(?:and|or)\b", lambda m: ",".ljust(len(m.group(0))), head)
    parts = []
    for m in re.finditer(r"[^,;]+", blanked):
        piece = m.group(0)
        if piece.strip():
            start = m.start() + len(piece) - len(piece.lstrip())
            parts.append((start, start + len(piece.strip())))
    if len(parts) < 2 or any(len(head[s:e].split()) > 6 for s, e in parts):
        return []
    return parts


# --------------------------------------------------------------------------- medications

_DOSE = re.compile(
    r"(?<![\w.])(?P<dose>\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?\s*(?:-\s*\d+(?:\.\d+)?\s*)?"
    r"(?:mg|mcg|µg|g|grams?|units?|u|meq|ml|iu|%|puffs?|tablets?|tabs?|capsules?|caps?|inhalations?|drops?|"
    r"patch(?:es)?|sprays?|scoops?))(?![\w/])",
    re.IGNORECASE,
)
_ROUTE = re.compile(
    r"(?<![\w.])(?P<route>p\.o\.|po|by mouth|orally|oral|i\.v\.|iv|intravenous(?:ly)?|subcutaneous(?:ly)?|"
    r"s\.?c\.|subq|sq|sublingual(?:ly)?|s\.l\.|i\.m\.|im|intramuscular(?:ly)?|inhaled|via inhalation|"
    r"nebulized|topical(?:ly)?|transdermal|per rectum|rectal(?:ly)?|intranasal|ophthalmic|per tube|"
    r"via g-tube|via ng tube)(?![\w])",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"(?<![\w.])(?P<freq>(?:once|twice|three times|four times|\d+ times) (?:a day|daily|per day|a week|weekly)|"
    r"every (?:other )?(?:\d+(?:\s*(?:to|-)\s*\d+)? )?(?:hours?|days?|weeks?|morning|evening|night|day)|"
    r"daily|nightly|at bedtime|at night|in the morning|weekly|monthly|with meals|before meals|"
    r"q\.?\s?\d+\s?(?:h|hr|hrs|hours?)\.?|q\.?\s?(?:am|pm|a\.m\.|p\.m\.|h\.s\.|hs|d\.|day|daily|week)|"
    r"q\.d\.|qd|b\.i\.d\.|bid|t\.i\.d\.|tid|q\.i\.d\.|qid|h\.s\.|qhs|q\.h\.s\.|a day)"
    r"(?P<prn>\s*(?:,\s*)?(?:as needed|p\.r\.n\.|prn))?(?![\w])"
    r"|(?<![\w.])(?P<prn_only>as needed|p\.r\.n\.|prn)(?![\w])",
    re.IGNORECASE,
)
# ------- lab readings that name a drug ("Calcium was low at 8.8 mg/dL", "Digoxin level 2.1", "albumin 3.2")

# Drugs that are also measured in blood: a bare number after them outside a medication list is a reading.
_ANALYTES = frozenset(
    "calcium magnesium iron albumin digoxin lanoxin lithium phenytoin dilantin vancomycin tacrolimus valproic acid "
    "depakote theophylline carbamazepine tegretol cyclosporine gentamicin tobramycin amikacin phenobarbital "
    "vitamin d vitamin b12 folic acid testosterone estradiol heparin".split()
)
_ANALYTE_VALUES = frozenset({"valproic acid", "vitamin d", "vitamin b12", "folic acid"}) | _ANALYTES
_LAB_UNIT = re.compile(
    r"\d\s*(?:mg/dl|mmol/l|g/dl|meq/l|u/l|units/l|iu/l|ng/ml|ng/dl|mcg/ml|µg/ml|mcg/dl|µg/dl|pg/ml|mg/l|k/ul|"
    r"umol/l|µmol/l|nmol/l|pmol/l)(?![\w/])",
    re.IGNORECASE,
)
_DOSE_UNIT_AFTER = (
    r"(?!\.?\d)(?!\s*(?:mg|mcg|µg|g|grams?|units?|u|meq|ml|iu|tablets?|tabs?|capsules?|caps?|puffs?|%)\b)"
)
_LAB_AFTER = re.compile(
    r"^\s*(?:(?:levels?|trough|peak|concentration|serum level)\b|"
    r"(?:was|is|were|are|has been|had been)\s+(?:\w+\s+){0,3}?(?:(?:low|high|elevated|normal|abnormal|less than|"
    r"greater than|within|undetectable|subtherapeutic|therapeutic|supratherapeutic|toxic)\b|"
    r"\d+(?:\.\d+)?" + _DOSE_UNIT_AFTER + r")|of\s+\d+(?:\.\d+)?" + _DOSE_UNIT_AFTER + r")",
    re.IGNORECASE,
)
_BARE_NUMBER_AFTER = re.compile(r"^\s*(?:[:=]\s*)?\d+(?:\.\d+)?" + _DOSE_UNIT_AFTER + r"(?!\s*(?:/|x\b))", re.I)
_LAB_BEFORE = re.compile(
    r"\b(?:serum|ionized|total|corrected|plasma|blood|level of|levels of|"
    r"(?:re)?check(?:ed)?(?: (?:her|his|the|a))?)\s+$",
    re.IGNORECASE,
)
_LAB_SECTION = re.compile(r"\bLAB|DATA\b|RESULTS|STUDIES")


def _is_lab_reading(text: str, m: _Mention, stop: int, section: str) -> bool:
    """Whether a drug name is read as a measured value, from the words around it in its clause."""
    clause = text[m.end : min(stop, m.end + 60)]
    cut = re.search(r"[;,]|\.(?=\s|$)|\band\s+(?!\d)", clause)
    clause = clause[: cut.start()] if cut and not _LAB_UNIT.search(clause[: cut.start()] + "0") else clause
    if _LAB_AFTER.match(clause) or _LAB_BEFORE.search(text[max(0, m.start - 12) : m.start]):
        return True
    dose = _DOSE.search(clause)
    lab = _LAB_UNIT.search(clause)
    if lab and (dose is None or lab.start() < dose.start()):
        return True
    if _BARE_NUMBER_AFTER.match(clause) and not _FREQUENCY.search(clause) and not _ROUTE.search(clause):
        return _is(_LAB_SECTION, section) or (m.value in _ANALYTE_VALUES and not _is(_MED_SECTION, section))
    return False


# ------- allergy cues in the narrative ("allergic to penicillin and Bactrim", "hypersensitivity to Coumadin")

_ALLERGIC_BEFORE = re.compile(
    r"\b(?P<no>no\s+(?:known\s+)?)?(?:allergic(?: or sensitive)?|allerg(?:y|ies)|intoleran(?:t|ce)|"
    r"hypersensitiv(?:e|ity)|(?:allergic |adverse |anaphylactic |bad )?reactions?|anaphylaxis)\s+(?:to|of|from)\s+"
    r"(?:(?:the|any|all|iv|oral|a)\s+)?$",
    re.IGNORECASE,
)
_ALLERGIC_AFTER = re.compile(
    r"^\s*(?:hypersensitivity|allergy|allergies|intolerance|allergic reaction|anaphylaxis)\b", re.IGNORECASE
)
_LIST_GLUE = re.compile(r"^(?:\s*(?:\([^)]{0,40}\))?\s*(?:,|and|or|as well as|/)?\s*)+$", re.IGNORECASE)


def _allergic_mentions(text: str, unit: _Unit, drugs: list[_Mention]) -> set[int]:
    """Indexes of the drugs an allergy cue governs: the one right after it and those listed with it."""
    hits: set[int] = set()
    for k, m in enumerate(drugs):
        cue = _ALLERGIC_BEFORE.search(text[max(unit.start, m.start - 40) : m.start])
        if (
            (cue and not cue.group("no"))
            or _ALLERGIC_AFTER.match(text[m.end : min(unit.end, m.end + 30)])
            or (k - 1 in hits and _LIST_GLUE.match(text[drugs[k - 1].end : m.start]))
        ):
            hits.add(k)
    return hits


_MED_NAME = re.compile(r"(?P<name>[A-Za-z][A-Za-z'-]+(?: [A-Za-z][A-Za-z'-]+){0,2}?)\s+(?=\d)")
_NOT_NAMES = frozenset(
    {
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "was",
        "is",
        "on",
        "take",
        "takes",
        "taking",
        "also",
        "given",
        "started",
        "currently",
        "include",
        "includes",
        "and",
        "or",
        "with",
        "to",
        "of",
        "for",
        "x",
        "last",
        "total",
        "in",
        "at",
        "dose",
        "patient",
        "then",
        "up",
        "increase",
        "decrease",
        "reduced",
        "that",
        "day",
        "days",
        "hours",
        "had",
    }
)
_NEGATED_MED = re.compile(r"\b(?:no|not on|not taking|stopped|discontinued|off|held|hold)\s+(?:\w+\s+)?$", re.I)


def _medications(note: _Note, mentions) -> list[Fact]:
    text = note.text
    facts: list[Fact] = []
    for unit in note.units:
        section = unit.section
        if _is(_ALLERGY_SECTION, section):
            continue
        span = text[unit.start : unit.end]
        drugs = [m for m in mentions(unit) if m.category == DRUG]
        allergic = _allergic_mentions(text, unit, drugs)
        labs: set[int] = set()
        for k, m in enumerate(drugs):
            stop = drugs[k + 1].start if k + 1 < len(drugs) else unit.end
            if _is_lab_reading(text, m, stop, section) or (
                k - 1 in labs and _LIST_GLUE.match(text[drugs[k - 1].end : m.start])
            ):
                labs.add(k)
        label = _ALLERGY_LABEL.search(text, unit.start, unit.end)
        drugs = [
            m
            for k, m in enumerate(drugs)
            if k not in allergic and k not in labs and not (label and m.start >= label.end())
        ]
        in_med_section = _is(_MED_SECTION, section)
        if in_med_section:
            drugs += _unlisted_drugs(span, unit.start, drugs)
            drugs.sort(key=lambda m: m.start)
        for k, m in enumerate(drugs):
            stop = drugs[k + 1].start if k + 1 < len(drugs) else unit.end
            tail = text[m.end : min(stop, m.end + 90)]
            attrs = _dose_route_frequency(tail)
            negated = bool(_NEGATED_MED.search(text[max(unit.start, m.start - 25) : m.start]))
            a = Assertion(negated=negated, historical=_is(_HISTORY_SECTION, section))
            confidence = 0.6 if m.category == "unlisted" else (0.9 if in_med_section else 0.8)
            facts.append(
                _fact(
                    "medication",
                    m.generic or m.value,  # the generic name, so that SQL for warfarin finds Coumadin
                    unit,
                    m.start,
                    m.end,
                    text,
                    confidence=confidence,
                    assertion=a,
                    section=section,
                    brand=m.value if m.generic else "",
                    **attrs,
                )
            )
    return _dedupe(facts, by_section=True)


def _unlisted_drugs(span: str, base: int, known: list[_Mention]) -> list[_Mention]:
    """In a medication list, a name the lexicon lacks followed by a dose ("Zestoretic 20 mg") is a drug."""
    found = []
    for piece in re.finditer(r"[^,;]+", span):
        m = _MED_NAME.match(piece.group(0).lstrip())
        if not m:
            continue
        offset = piece.start() + len(piece.group(0)) - len(piece.group(0).lstrip())
        start, end = base + offset + m.start("name"), base + offset + m.end("name")
        if not _DOSE.match(span[end - base :].lstrip()):
            continue
        words = m.group("name").lower().split()
        if words[0] in _NOT_NAMES or any(k.start < end and k.end > start for k in known):
            continue
        found.append(_Mention("unlisted", " ".join(words), "", start, end))
    return found


def _dose_route_frequency(tail: str) -> dict[str, str]:
    """Dose, route and frequency written after a drug name, before the next drug."""
    attrs: dict[str, str] = {}
    if d := _DOSE.search(tail):
        attrs["dose"] = " ".join(d.group("dose").split())
    if r := _ROUTE.search(tail):
        attrs["route"] = r.group("route")
    if f := _FREQUENCY.search(tail):
        attrs["frequency"] = " ".join(f.group(0).split())
    return attrs


# --------------------------------------------------------------------------- allergies

_NKDA = re.compile(
    r"\b(?:nkda|nka|no known (?:drug |medication |medical )?allerg(?:y|ies)|no (?:drug )?allergies|none known|"
    r"no known drug allergy)\b|^\s*none\.?\s*$",
    re.IGNORECASE,
)
_ALLERGY_LABEL = re.compile(r"^[ \t]*(?:drug )?allerg(?:y|ies)\b[^:\n]{0,30}:[ \t]*", re.IGNORECASE | re.MULTILINE)
_ALLERGEN_LEAD = re.compile(
    r"^(?:(?:the patient|he|she|patient) (?:is|has|reports)\s+)?(?:(?:a |known )?(?:history of )?"
    r"(?:allerg(?:y|ies|ic)) to|allergic to|to)\s+",
    re.IGNORECASE,
)
_REACTION = re.compile(r"\s*\(([^)]{1,60})\)")


def _allergies(note: _Note, mentions) -> list[Fact]:
    text = note.text
    facts: list[Fact] = []
    for unit in _allergy_units(note):
        span = text[unit.start : unit.end]
        nkda = _NKDA.search(span)
        if nkda:
            facts.append(
                _fact(
                    "allergy",
                    "NKDA",
                    unit,
                    unit.start + nkda.start(),
                    unit.start + nkda.end(),
                    text,
                    confidence=0.95,
                    section=unit.section,
                )
            )
            continue
        facts += _allergens(unit, span, text)
    for unit in note.units:  # "allergic to penicillin" in the narrative
        drugs = [m for m in mentions(unit) if m.category == DRUG]
        for k in sorted(_allergic_mentions(text, unit, drugs)):
            m = drugs[k]
            facts.append(_fact("allergy", m.value, unit, m.start, m.end, text, confidence=0.8, section=unit.section))
    return _dedupe(facts)


def _allergy_units(note: _Note) -> list[_Unit]:
    """Units under an ALLERGIES heading, and lines labelled 'Allergies reviewed: ...'."""
    units = [u for u in note.units if _is(_ALLERGY_SECTION, u.section)]
    firsts: dict[str, int] = {}
    for u in units:
        firsts.setdefault(u.section, u.start)
    units = [
        u for u in units if u.item or u.start == firsts[u.section] or "allerg" in note.text[u.start : u.end].lower()
    ]
    for m in _ALLERGY_LABEL.finditer(note.text):
        if m.group(0).strip().isupper():
            continue  # an upper-case label is a heading, already read
        line_end = note.text.find("\n", m.end())
        line_end = len(note.text) if line_end < 0 else line_end
        if line_end > m.end():
            units.append(_Unit(m.end(), line_end, "", True))
    return units


def _allergens(unit: _Unit, span: str, text: str) -> list[Fact]:
    """'Penicillin (rash), sulfa drugs and latex' -> one fact each, the reaction as an attribute."""
    first = _ITEM_END.search(span)
    head = span[: first.start()] if first and first.start() > 0 else span
    lead = _ALLERGEN_LEAD.match(head)
    offset = lead.end() if lead else 0
    facts = []
    body = head[offset:]
    reactions = {m.start(): m for m in _REACTION.finditer(body)}
    blanked = _REACTION.sub(lambda m: " " * len(m.group(0)), body)
    blanked = re.sub(r"\b(?:and|or)\b", lambda m: ",".ljust(len(m.group(0))), blanked)
    for piece in re.finditer(r"[^,;/]+", blanked):
        raw_full = piece.group(0)
        reaction = next((r for p, r in reactions.items() if piece.start() <= p < piece.end()), None)
        name = raw_full.strip(" .")
        if not name or len(name.split()) > 4 or not any(c.isalpha() for c in name):
            continue
        start = unit.start + offset + piece.start() + raw_full.index(name)
        facts.append(
            _fact(
                "allergy",
                " ".join(name.lower().split()),
                unit,
                start,
                start + len(name),
                text,
                confidence=0.85,
                section=unit.section,
                reaction=reaction.group(1) if reaction else "",
            )
        )
    return facts


# --------------------------------------------------------------------------- procedures and follow-up


def _procedures(note: _Note, mentions) -> list[Fact]:
    text = note.text
    facts: list[Fact] = []
    for unit in note.units:
        span = text[unit.start : unit.end]
        if _is(_PROCEDURE_SECTION, unit.section) and (unit.item or len(span.split()) <= 12):
            if _NEGATIVE_START.match(span):
                continue
            cut = _ITEM_END.search(span)
            raw = (span[: cut.start()] if cut else span).strip()
            if raw and len(raw.split()) <= 15:
                a = _with_section(Assertion(), unit.section)
                facts.append(
                    _fact(
                        "procedure",
                        " ".join(raw.lower().split()),
                        unit,
                        unit.start,
                        unit.start + len(raw),
                        text,
                        confidence=0.9,
                        assertion=a,
                        section=unit.section,
                    )
                )
            continue
        every = mentions(unit)
        found = [m for m in every if m.category == PROCEDURE]
        facts += _asserted_mentions("procedure", text, unit, found, every, confidence=0.75)
    return _dedupe(facts)


_FOLLOW = re.compile(
    r"\b(?:(?:follow[- ]?up|followup)\b(?!\s+of\b)[^.;]{0,60}?\b(?:in|within|with|at|on)\b|"
    r"return to (?:the )?(?:clinic|office)|return in \d|see (?:me|us|him|her) (?:again |back )?in\b|"
    r"recheck\b[^.;]{0,40}\bin \d|repeat\b[^.;]{0,40}\bin \d)",
    re.IGNORECASE,
)
_NO_FOLLOW = re.compile(
    r"\b(?:no|not)\b[^.]{0,30}\bfollow[- ]?up\b[^.]{0,20}\b(?:needed|necessary|required|indicated)"
    r"|\bno follow[- ]?up\b",
    re.IGNORECASE,
)


_SIGNATURE = re.compile(r"\s*(?:dictated|electronically signed|signed|transcribed|cc|d|t)\b", re.I)


def _follow_ups(note: _Note) -> list[Fact]:
    text = note.text
    facts = []
    for unit in note.units:
        span = text[unit.start : unit.end]
        m = _FOLLOW.search(span)
        if not (m or (_is(_FOLLOW_SECTION, unit.section) and len(span) > 3)) or _SIGNATURE.match(span):
            continue
        value = " ".join(span.split())[:300]
        a = Assertion(negated=bool(_NO_FOLLOW.search(span)))
        facts.append(
            _fact(
                "follow_up",
                value,
                unit,
                unit.start,
                unit.end,
                text,
                confidence=0.8 if m else 0.7,
                assertion=a,
                section=unit.section,
            )
        )
    return _dedupe(facts)
