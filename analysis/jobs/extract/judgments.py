"""Court judgments by rules: court, decision date, parties, disposition and the statutes cited.

Judgments announce these facts in a few fixed places (the caption or the reporter's header,
and the last paragraphs for the disposition), so patterns read them exactly where a model would
paraphrase. The rules cover US slip opinions ("Plaintiff-Appellant, v. ..., Filed March 4, 2024",
"AFFIRMED.") and the Supreme Court of India's reports ("PETITIONER: ... RESPONDENT: ... DATE OF
JUDGMENT: 29/04/1969", "The appeal is dismissed"), in their own case or lower-cased. Every
pattern is bounded, so no text (empty, huge, not English) makes them slow or raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date

from analysis.jobs.extract.facts import JUDGMENT, DocumentForExtraction, Extraction, Fact
from analysis.jobs.extract.normalize import parse_date

JUDGMENT_EXTRACTOR = ("judgment_rules", "1")

_HEADER_CHARS = 6_000  # captions and reporters' headers sit at the top
_TAIL_CHARS = 30_000  # the disposition sits in the last paragraphs
_MAX_CHARS = 2_000_000  # beyond this a "judgment" is a corpus; read its start only
_MAX_STATUTES = 100
_SENTENCE_REACH = 600  # how far evidence may extend either side of a match

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_LONG_DATE = (
    rf"(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?{_MONTH}\.?,?\s+\d{{4}})"
)
_NUMERIC_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"

# ----------------------------------------------------------------------------- court

_COURT_WORDS = (
    r"(?:supreme|high|district|superior|appellate|federal|family|circuit|county|sessions|civil|criminal|city"
    r"|municipal|magistrates?'?s?|tax|labou?r|industrial|consumer|commercial|chancery|probate|bankruptcy"
    r"|united|states|state|u\.\s?s\.|international|constitutional|special|additional|judicial|claims|juvenile"
    r"|land|the|court\s+of\s+appeals?\s+for\s+the)"
)
_COURT_LINE = re.compile(
    rf"^[ \t]*(?:in[ \t]+the[ \t]+)?(?P<court>(?:{_COURT_WORDS}[ \t]+){{0,5}}(?:court|tribunal)\b"
    r"(?:[ \t]+(?:of|for|at|in)\b[^\n]{0,80})?)[ \t]*[,.:]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_NOT_A_COURT = re.compile(r"\bv\.|\bvs\b|\bversus\b|appeal\s+from|\bjudge\b|honou?rable", re.IGNORECASE)
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "at", "on", "to", "a", "an", "by"})


def _court(text: str) -> list[Fact]:
    """The first court named on a line of its own in the header: the court that decided."""
    for match in _COURT_LINE.finditer(text, 0, min(len(text), _HEADER_CHARS)):
        if _NOT_A_COURT.search(match.group(0)):
            continue
        start, end = _stripped_span(text, *match.span("court"))
        raw = text[start:end]
        line_start, line_end = _line_span(text, start, end)
        return [_fact("court", _smart_title(raw), line_start, line_end, raw)]
    return []


# ----------------------------------------------------------------------------- decision date

_DATE_LABEL = re.compile(
    r"(?:^|\n)[ \t]*(?P<label>date\s+of\s+(?:judge?ment|decision|order)|decided|filed|opinion\s+filed|delivered"
    r"|judge?ment\s+(?:delivered|pronounced)\s+on|pronounced\s+on|decided\s+on|date\s+of\s+pronouncement)"
    rf"[ \t]*[:.\-]?\s*(?:on\s+)?(?P<date>{_NUMERIC_DATE}|{_LONG_DATE})",
    re.IGNORECASE,
)
_TITLE_DATE = re.compile(rf"\b(?:vs?\.?|versus)\s[^\n]{{1,300}}?\bon\s+(?P<date>{_LONG_DATE})[ \t]*$", re.I | re.M)
_INDIAN = re.compile(r"\bindia\b|\bhigh\s+court\b|\bdate\s+of\s+judge?ment\b", re.IGNORECASE)


def _decision_date(text: str) -> list[Fact]:
    """The labelled date of judgment in the header, else the date in a reporter's title line."""
    header = text[:_HEADER_CHARS]
    day_first = bool(_INDIAN.search(header))
    for pattern, confidence in ((_DATE_LABEL, 1.0), (_TITLE_DATE, 0.9)):
        for match in pattern.finditer(header):
            raw = match.group("date")
            parsed = _parse(raw, day_first=day_first)
            if parsed is None:
                continue
            start = match.start("label") if "label" in pattern.groupindex else _line_span(text, *match.span())[0]
            return [_fact("decision_date", parsed.isoformat(), start, match.end("date"), raw, confidence)]
    return []


def _parse(raw: str, *, day_first: bool) -> date | None:
    try:
        return parse_date(re.sub(r"\s*([/.-])\s*", r"\1", raw), day_first=day_first)
    except Exception:  # a date parser's surprise costs the date, not the document
        return None


# ----------------------------------------------------------------------------- parties

_ROLE = (
    r"(?:(?:plaintiffs?|defendants?|claimants?|complainants?)(?:[ \t]+and[ \t]+|[ \t]*-[ \t]*))?"
    r"(?:appellants?|appellees?|petitioners?|respondents?)"
    r"(?:[ \t]*(?:/|,|and)[ \t]*cross[- ](?:appellants?|appellees?|petitioners?|respondents?))?"
)
_US_CAPTION = re.compile(
    rf"^[ \t]*(?P<n1>[^\n]{{2,200}}?)[ \t]*,?[ \t]*\n[ \t]*(?P<r1>{_ROLE})[ \t]*[.,]?[ \t]*\n"
    r"[ \t]*(?:v\.?|vs\.?|versus)[ \t]*\n"
    rf"[ \t]*(?P<n2>[^\n]{{2,200}}?)[ \t]*,?[ \t]*\n[ \t]*(?P<r2>{_ROLE})[ \t]*[.,]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LABELLED_PARTIES = re.compile(
    r"(?P<r1>petitioners?|appellants?)[ \t]*:\s*(?P<n1>\S.{0,400}?)\n[ \t]*(?:vs?\.?|versus)[ \t]*\n"
    r"[ \t]*(?P<r2>respondents?)[ \t]*:\s*(?P<n2>\S.{0,400}?)\s*"
    r"(?=\n[ \t]*(?:date\s+of|bench|citation|judge?ment|coram|act\s*:)|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_TITLE_PARTIES = re.compile(
    rf"^[ \t]*(?P<n1>[^\n]{{2,200}}?)\s+(?:vs?\.?|versus)\s+(?P<n2>[^\n]{{2,200}}?)\s+on\s+{_LONG_DATE}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def _parties(text: str) -> list[Fact]:
    """Appellant and respondent from a labelled header, a US caption, or a reporter's title line."""
    header = text[:_HEADER_CHARS]
    for pattern, confidence in ((_LABELLED_PARTIES, 1.0), (_US_CAPTION, 1.0), (_TITLE_PARTIES, 0.8)):
        for match in pattern.finditer(header):
            facts = _party_pair(text, match, confidence)
            if facts:
                return facts
    return []


def _party_pair(text: str, match: re.Match[str], confidence: float) -> list[Fact]:
    """Appellant then respondent, each named by its role label (or by order in a title line)."""
    facts: list[Fact] = []
    for name, role_group, default in (("n1", "r1", "appellant"), ("n2", "r2", "respondent")):
        role = (match.group(role_group) if role_group in match.re.groupindex else None) or ""
        field = _field_for_role(role) or default
        start, end = _stripped_span(text, *match.span(name), strip=" \t\n,;:")
        raw = text[start:end]
        value = " ".join(raw.split())
        if not value or len(value) > 300:
            return []
        attributes = {"label": " ".join(role.split())} if role else {}
        facts.append(_fact(field, value, start, end, raw, confidence, attributes))
    if {f.field for f in facts} != {"appellant", "respondent"}:
        return []
    return facts


def _field_for_role(role: str) -> str | None:
    lowered = role.lower()
    if "appellant" in lowered.split("cross")[0] or "petitioner" in lowered.split("cross")[0]:
        return "appellant"
    if "appellee" in lowered or "respondent" in lowered:
        return "respondent"
    return None


# ----------------------------------------------------------------------------- outcome

_SUBJECT = r"(?:appeals?|petitions?|revisions?|applications?\s+for\s+special\s+leave)"
_JUDGMENT_NOUN = r"(?:judge?ments?|orders?|decrees?|decisions?|convictions?|sentences?|awards?|rulings?|findings?)"
_BE = r"(?:is|are|be|stands?|shall\s+stand|must\s+be|should\s+be|will\s+be|hereby)"
_TAGLINE_END = r"(?=\s*(?:[.(\n]|and\b|with\b|$)|[^\W\d_])"
_ADVERB = r"(?:(?:accordingly|therefore|hereby|thus|consequently|also|only|partly|partially|,)\s*)*"
_OUTCOME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (outcome, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
    for outcome, pattern in (
        ("partly allowed", rf"\b{_SUBJECT}\b[^;]{{0,160}}?\b{_BE}\s+{_ADVERB}(?:partly|partially)\s+allowed\b"),
        ("partly allowed", rf"\b{_SUBJECT}\b[^;]{{0,160}}?\b{_BE}\s+{_ADVERB}allowed\s+(?:in\s+part|partly)\b"),
        ("partly allowed", rf"\b{_SUBJECT}\s+(?:allowed\s+in\s+part|partly\s+allowed|allowed\s+partly)\b"),
        ("partly allowed", r"\baffirmed\s+in\s+part\b[^.;]{0,40}\breversed\s+in\s+part\b"),
        ("partly allowed", r"\breversed\s+in\s+part\b[^.;]{0,40}\baffirmed\s+in\s+part\b"),
        ("allowed", rf"\b{_SUBJECT}\b[^;]{{0,160}}?\b{_BE}\s+{_ADVERB}(?:allowed|accepted|granted)\b"),
        ("dismissed", rf"\b{_SUBJECT}\b[^;]{{0,160}}?\b{_BE}\s+{_ADVERB}(?:dismissed|rejected)\b"),
        ("allowed", rf"\bwe\s+{_ADVERB}allow\s+(?:the|this|these|both|all\s+the)\s+{_SUBJECT}"),
        ("dismissed", rf"\bwe\s+{_ADVERB}dismiss\s+(?:the|this|these|both|all\s+the)\s+{_SUBJECT}"),
        ("allowed", rf"\b{_SUBJECT}\s+{_ADVERB}succeeds?\b"),
        ("dismissed", rf"\b{_SUBJECT}\s+{_ADVERB}fails?\b"),
        # the reporter's tagline, "Appeal allowed." (in converted text often glued to the running footer)
        ("allowed", rf"\b{_SUBJECT}\s+allowed{_TAGLINE_END}"),
        ("dismissed", rf"\b{_SUBJECT}\s+dismissed{_TAGLINE_END}"),
        # disposed of without a decision either way (a reference answered, a bench to sit): no outcome
        ("", rf"\b{_SUBJECT}\b[^;]{{0,160}}?\b{_BE}\s+{_ADVERB}disposed\s+of\b"),
        ("", rf"\b{_SUBJECT}\s+disposed\s+of{_TAGLINE_END}"),
        ("", rf"\bdirections\s+given{_TAGLINE_END}"),
        (
            "reversed",
            rf"\b{_JUDGMENT_NOUN}\b[^;]{{0,160}}?\b{_BE}\s+{_ADVERB}(?:reversed|set\s+aside|vacated|quashed)",
        ),
        ("reversed", rf"\bwe\s+{_ADVERB}(?:reverse|set\s+aside|vacate|quash)\b"),
        ("affirmed", rf"\b{_JUDGMENT_NOUN}\b[^;]{{0,160}}?\b{_BE}\s+{_ADVERB}(?:affirmed|upheld|confirmed)\b"),
        ("affirmed", rf"\bwe\s+{_ADVERB}(?:affirm|uphold)\b"),
        (
            "remanded",
            r"\b(?:case|matter|cause|proceedings?|suit)\b[^;]{0,160}?\b(?:is|are|be|stands?|hereby)\s+"
            r"(?:hereby\s+)?(?:remanded|remitted)\b",
        ),
        ("remanded", rf"\bwe\s+{_ADVERB}(?:remand|remit)\b"),
        ("reversed", r"^[ \t]*reversed(?:[ \t,]+and[ \t]+remanded)?[ \t]*\.?[ \t]*$"),
        ("affirmed", r"^[ \t]*affirmed[ \t]*\.?[ \t]*$"),
        ("remanded", r"^[ \t]*(?:vacated[ \t]+and[ \t]+)?remanded[ \t]*\.?[ \t]*$"),
    )
)


def _outcome(text: str) -> list[Fact]:
    """The last clear disposition; within its sentence the first one stated wins ("reversed and remanded").

    A disposition belongs to the sentence of its verb ("... is dismissed"), so a subject found in
    an earlier sentence never moves it.
    """
    tail_start = max(0, len(text) - _TAIL_CHARS)
    found = _dispositions(text, tail_start) or (_dispositions(text, 0) if tail_start else [])
    if not found:
        return []
    last_sentence = max(found, key=lambda d: d[0])[0]
    start, end, outcome, raw_start, raw_end = min((d for d in found if d[0] == last_sentence), key=lambda d: d[4])
    if not outcome:
        return []  # the last word is "disposed of": no allowed/dismissed/affirmed/reversed/remanded to report
    vacated = outcome == "reversed" and re.search(r"\bvacated\b", text[raw_start:raw_end], re.IGNORECASE)
    if vacated and re.search(r"\bremanded\b", text[start:end], re.IGNORECASE):
        outcome = "remanded"  # "vacated and remanded": sent back, not decided the other way
    return [_fact("outcome", outcome, min(start, raw_start), max(end, raw_end), text[raw_start:raw_end])]


def _dispositions(text: str, offset: int) -> list[tuple[int, int, str, int, int]]:
    """(verb's sentence start, its end, outcome, match start, match end) for every disposition after offset."""
    found = []
    for outcome, pattern in _OUTCOME_PATTERNS:
        for match in pattern.finditer(text, offset):
            raw_start, raw_end = _stripped_span(text, *match.span(), strip=" \t\n.,")
            start, end = _sentence_span(text, max(raw_start, raw_end - 1), raw_end)
            found.append((start, end, outcome, raw_start, raw_end))
    return found


# ----------------------------------------------------------------------------- statutes

_NUMBER = r"\d+[a-z]?(?:-[a-z0-9]+)?(?:\([a-z0-9]+\))*"
_NUMBERS = rf"{_NUMBER}(?:\s*(?:,|and|&|or)\s*{_NUMBER}){{0,8}}"
_ACT_KIND = r"(?:act|code|ordinance|rules|regulations?|constitution)"
_ACT_WORD = rf"(?!{_ACT_KIND}\b)[^\W\d_][\w.'&()-]*"
_SECTION_OF_ACT = re.compile(
    rf"\b(?P<kind>sections?|secs?\.|ss?\.)\s*(?P<numbers>{_NUMBERS})\s+of\s+(?:the\s+)?"
    rf"(?P<act>(?:{_ACT_WORD}\s+){{1,8}}?{_ACT_KIND}\b"
    r"(?:,?\s+\d{4}\b)?)",
    re.IGNORECASE,
)
_CODES = {"ipc": "Indian Penal Code", "crpc": "Code of Criminal Procedure", "cpc": "Code of Civil Procedure"}
_SECTION_OF_CODE = re.compile(
    rf"\b(?P<kind>sections?|secs?\.|ss?\.)\s*(?P<numbers>{_NUMBERS})\s*,?\s*(?:of\s+(?:the\s+)?)?"
    r"(?P<code>i\.?\s?p\.?\s?c|cr\.?\s?p\.?\s?c|c\.?\s?p\.?\s?c)\b\.?",
    re.IGNORECASE,
)
_USC = re.compile(r"\b\d+\s+U\.?\s?S\.?\s?C\.?(?:\s?A\.)?\s*(?:§§?|sec(?:tion|\.)?)\s*\d[\w.-]*(?:\([\w]+\))*")
_CODE_SECTION = re.compile(
    r"\b(?P<code>(?:[A-Z][\w.'&]*[ \t]+){1,6})§[ \t]*\d[\w.:-]*?(?:\([\w]+\))*(?=[\s,;)]|\.\s|\.?$)"
)
_LEADING_WORDS = frozenset(
    {"under", "see", "in", "the", "by", "pursuant", "per", "and", "of", "to", "also", "cf.", "but"}
)
_EMPTY_ACT_WORDS = frozenset(
    {"said", "this", "that", "same", "present", "principal", "new", "old", "parent", "the", "of", "latter", "former"}
)


def _statutes(text: str) -> list[Fact]:
    """Each statute or section cited once, normalised to "Section 302, Indian Penal Code" or as cited."""
    facts: list[Fact] = []
    seen: set[str] = set()
    taken: list[tuple[int, int]] = []
    for start, end, values in sorted(_statute_mentions(text), key=lambda m: m[0]):
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        sentence_start, sentence_end = _sentence_span(text, start, end)
        for value in values:
            if value.lower() in seen or len(facts) >= _MAX_STATUTES:
                continue
            seen.add(value.lower())
            facts.append(_fact("statute", value, sentence_start, sentence_end, text[start:end]))
    return facts


def _statute_mentions(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """(start, end, normalised values) for every citation any pattern finds; overlaps are settled by the caller."""
    for match in _USC.finditer(text):
        yield match.start(), match.end(), [" ".join(match.group(0).split())]
    for match in _SECTION_OF_CODE.finditer(text):
        code = _CODES[re.sub(r"[^a-z]", "", match.group("code").lower())]
        yield match.start(), match.end(), [f"Section {n}, {code}" for n in _split_numbers(match.group("numbers"))]
    for match in _SECTION_OF_ACT.finditer(text):
        act = " ".join(match.group("act").split())
        if not set(act.lower().split()[:-1]) - _EMPTY_ACT_WORDS:
            continue  # "section 4 of the said Act" names no act
        numbers = _split_numbers(match.group("numbers"))
        yield match.start(), match.end(), [f"Section {n}, {_smart_title(act)}" for n in numbers]
    for match in _CODE_SECTION.finditer(text):
        words = match.group("code").split()
        while words and words[0].lower() in _LEADING_WORDS:
            words.pop(0)
        if not words:
            continue
        start = match.start("code") + match.group("code").index(words[0])
        yield start, match.end(), [" ".join(text[start : match.end()].split())]


def _split_numbers(numbers: str) -> list[str]:
    return [n for n in re.split(r"\s*(?:,|\band\b|&|\bor\b)\s*", numbers) if n]


# ----------------------------------------------------------------------------- helpers


def _fact(
    field: str,
    value: str,
    start: int,
    end: int,
    raw: str,
    confidence: float = 1.0,
    attributes: dict[str, str] | None = None,
) -> Fact:
    return Fact(JUDGMENT, field, value, start, end, raw, confidence, attributes or {})


def _smart_title(text: str) -> str:
    """Title case for text written all in one case ("SUPREME COURT OF INDIA"); mixed case stays as written."""
    words = text.split()
    if any(c.islower() for c in text) and any(c.isupper() for c in text):
        return " ".join(words)
    titled = [w if i and w.lower() in _SMALL_WORDS else w[:1].upper() + w[1:].lower() for i, w in enumerate(words)]
    return " ".join(w.lower() if i and w.lower() in _SMALL_WORDS else w for i, w in enumerate(titled))


def _stripped_span(text: str, start: int, end: int, strip: str = " \t\n") -> tuple[int, int]:
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return _stripped_span(text, line_start, len(text) if line_end < 0 else line_end)


_ABBREVIATIONS = frozenset(
    "v vs no nos s ss sec secs art arts rev stat stats ann co ltd inc corp mr mrs ms dr j jj cj cf pvt bros govt hon"
    " st viz cl ch vol p pp para paras ors anr etc supp ed gen comp civ proc crim pen bus com".split()
)


def _is_sentence_end(text: str, i: int) -> bool:
    """Whether the stop at ``i`` ends a sentence rather than an abbreviation ("v.", "U.S.C.", "s.")."""
    if i + 1 < len(text) and not text[i + 1].isspace():
        return False
    if text[i] in "!?":
        return True
    j = i
    while j > 0 and not text[j - 1].isspace() and i - j < 20:
        j -= 1
    token = text[j:i].lower().strip("(\"'[")
    return bool(token) and len(token) > 1 and "." not in token and token not in _ABBREVIATIONS


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line block) around text[start:end]: the evidence a reader checks."""
    left = max(0, start - _SENTENCE_REACH)
    for k in range(start - 1, left - 1, -1):
        char = text[k]
        if (char == "\n" and k > 0 and text[k - 1] == "\n") or (char in ".!?" and _is_sentence_end(text, k)):
            left = k + 1
            break
    right = min(len(text), end + _SENTENCE_REACH)
    for k in range(end, right):
        char = text[k]
        if char == "\n" and k + 1 < len(text) and text[k + 1] == "\n":
            right = k
            break
        if char in ".!?" and _is_sentence_end(text, k):
            right = k + 1
            break
    left, right = _stripped_span(text, left, right)
    return min(left, start), max(right, end)


# ----------------------------------------------------------------------------- entry point

_READERS: Sequence[tuple[str, Callable[[str], list[Fact]]]] = (
    ("court", _court),
    ("decision_date", _decision_date),
    ("appellant", _parties),  # appellant and respondent come from one caption
    ("outcome", _outcome),
    ("statute", _statutes),
)


def extract_judgment_facts(document: DocumentForExtraction) -> Extraction:
    """Court, decision date, appellant, respondent, outcome and statutes of one judgment, each with its evidence."""
    text = document.text[:_MAX_CHARS] if document.text else ""
    extraction = Extraction()
    for name, reader in _READERS:
        extraction.collect(name, lambda reader=reader: reader(text))
    return extraction
