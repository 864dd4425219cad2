"""Domain and document-type classification by weighted keyword evidence.

Rules, not a model: the pipeline must classify thousands of documents a minute, offline,
and explain its choices. Only the first ``SCAN_CHARS`` characters are read (titles,
parties, clinical headings all come early) plus hints from the file name.

The domain is the side (legal vs medical) with clearly more weighted evidence, or
"other" when neither reaches ``MIN_DOMAIN_SCORE``. The document type is then the
best-scoring type of that domain, falling back to the domain's generic type.
"""

from __future__ import annotations

import math
import re
from pathlib import PurePath

from analysis.records import Classification

__all__ = ["DOC_TYPES", "SCAN_CHARS", "classify_document"]

DOC_TYPES: dict[str, tuple[str, ...]] = {
    "legal": (
        "services_agreement",
        "nda",
        "lease",
        "court_opinion",
        "statute",
        "contract",
        "legal_other",
    ),
    "medical": (
        "discharge_summary",
        "progress_note",
        "radiology_report",
        "history_and_physical",
        "consultation",
        "operative_report",
        "clinical_note",
    ),
    "other": ("other",),
}

SCAN_CHARS = 20_000
# A domain needs this much weighted evidence (after length damping) to be chosen.
MIN_DOMAIN_SCORE = 6.0
# ...and must beat the other domain by this factor.
DOMAIN_MARGIN = 1.5

_Rule = tuple[re.Pattern[str], float]


def _rules(*pairs: tuple[str, float], flags: int = re.MULTILINE) -> tuple[_Rule, ...]:
    """Compile ``(regex, weight)`` pairs once at import time.

    Patterns are lower case and run over the lower-cased text: about twice as fast as
    ``re.IGNORECASE`` on 20k characters.
    """
    return tuple((re.compile(p, flags), w) for p, w in pairs)


# --------------------------------------------------------------------------- #
# Domain evidence. Each match adds its weight; counts are capped per term so a single
# word repeated a hundred times cannot decide the domain on its own.
# --------------------------------------------------------------------------- #

_LEGAL_TERMS = _rules(
    (r"\bagreements?\b", 1.0),
    (r"\bpart(?:y|ies)\b", 1.0),
    (r"\bhereinafter\b", 2.0),
    (r"\bhere(?:by|of|to|under|in|with)\b", 1.0),
    (r"\bthere(?:of|to|under|in)\b", 0.7),
    (r"\bshall\b", 0.5),
    (r"\bgoverning law\b|\bgoverned by the laws?\b", 3.0),
    (r"\bindemnif", 2.0),
    (r"\bwhereas\b", 2.0),
    (r"\bwitnesseth\b|\bin witness whereof\b", 3.0),
    (r"\bcourt\b", 1.0),
    (r"\bplaintiffs?\b|\bdefendants?\b", 2.0),
    (r"\bappellants?\b|\brespondents?\b|\bpetitioners?\b", 1.5),
    (r"\bstatutes?\b|\bstatutory\b", 1.5),
    (r"\barticle\s+[0-9ivx]+\b", 1.0),
    (r"\bsection\s+\d", 0.7),
    (r"§", 1.5),
    (r"\bjurisdiction\b", 1.5),
    (r"\bbreach\b", 1.0),
    (r"\bterminat(?:e|ion)\b", 0.5),
    (r"\bconfidential(?:ity)?\b", 0.5),
    (r"\bliabilit(?:y|ies)\b|\bliable\b", 1.0),
    (r"\bwarrant(?:y|ies|s)\b", 0.7),
    (r"\blicens(?:e|or|ee)\b", 0.7),
    (r"\bjudg(?:e)?ments?\b", 1.0),
    (r"\bappeal\b", 1.0),
    (r"\bhon'?ble\b|\blordships?\b|\bj\.\s", 1.5),
    (r"\bact,?\s+(?:18|19|20)\d\d\b", 2.0),
    (r"\bcontracts?\b", 0.7),
    (r"\bexecuted\b|\bexecution\b", 0.5),
    (r"\bnotwithstanding\b", 1.0),
    (r"\bprovided,? however\b", 2.0),
    (r"\beffective date\b", 1.5),
    (r"\blessor\b|\blessee\b|\blandlord\b|\btenant\b", 1.0),
    (r"\bv(?:s)?\.\s", 0.5),
    (r"\bclauses?\b", 0.7),
)

_MEDICAL_TERMS = _rules(
    (r"\bpatient'?s?\b", 1.0),
    (r"\bdiagnos[ie]s\b|\bdiagnosed\b", 1.5),
    (r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|ml|units?)\b", 1.5),
    (r"\bhistory of present illness\b|\bhpi\b", 3.0),
    (r"\bphysical exam(?:ination)?\b", 3.0),
    (r"\bimpression\b", 1.5),
    (r"\bfindings?\b", 0.7),
    (r"\bmedications?\b", 1.5),
    (r"\ballerg(?:y|ies|ic)\b|\bnkda\b", 1.5),
    (r"\bchief complaint\b", 3.0),
    (r"\breview of systems\b", 3.0),
    (r"\bpast (?:medical|surgical) history\b", 3.0),
    (r"\b(?:social|family) history\b", 2.0),
    (r"\bassessment\b", 0.7),
    (r"\bblood pressure\b|\bheart rate\b|\brespirat(?:ory|ions)\b|\bpulse\b", 1.5),
    (r"\bhospital(?:ization|ized)?\b|\badmitted\b|\bdischarged?\b", 0.7),
    (r"\bsymptoms?\b|\bpain\b|\bfever\b|\bnausea\b|\bvomiting\b", 0.7),
    (r"\bcardio\w*|\bpulmonary\b|\babdom(?:en|inal)\b|\bneurolog\w*", 1.0),
    (r"\bclinical(?:ly)?\b|\bclinic\b", 0.7),
    (r"\bsurg(?:ery|ical)\b|\bprocedure\b|\banesthesia\b", 0.7),
    (r"\bx-?ray\b|\bmri\b|\bct scan\b|\bultrasound\b|\bradiograph\w*", 1.0),
    (r"\bnormal\b|\bunremarkable\b|\bnegative for\b|\bdenies\b", 0.5),
    (r"\b(?:year|yr)[- ]old\b", 2.0),
    (r"\b(?:p\.?o\.?|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?d\.?|p\.?r\.?n\.?)\b", 0.7),
    (r"\bheent\b|\bextremities\b|\bauscultation\b|\btenderness\b|\bnontender\b", 2.0),
    (r"\blabs?\b|\blaboratory\b|\bhemoglobin\b|\bcreatinine\b|\bwhite (?:blood )?count\b", 1.0),
    (r"\bm\.d\.\b|\bdr\.\s", 0.5),
    (r"\btherapy\b|\btreatment\b|\bdisease\b|\bsyndrome\b|\binfection\b", 0.7),
    (
        r"\b(?:bilateral(?:ly)?|palpation|erythema|edema|lesions?|mucosa|tympanic|(?:lymph)?adenopathy|"
        r"sclerae|pupils|tonsil\w*|apnea|hypertrophy|hypertension|diabetes|oxygen|saturation|"
        r"afebrile|tachycardia|murmurs?|rales|wheez\w*|thyromegaly|supple)\b",
        1.0,
    ),
)

# Counts per term are capped so that long boilerplate cannot dominate.
_TERM_CAP = 8


def _score(text: str, rules: tuple[_Rule, ...], *, cap: int = _TERM_CAP) -> float:
    """Weighted, per-term-capped match count."""
    total = 0.0
    for pattern, weight in rules:
        n = 0
        for _ in pattern.finditer(text):
            n += 1
            if n >= cap:
                break
        total += weight * n
    return total


# --------------------------------------------------------------------------- #
# Document types. Each type has rules over the head of the text (title area),
# over the whole scanned text, and over the file name.
# --------------------------------------------------------------------------- #

_HEAD_CHARS = 1_500

_LEGAL_TYPE_RULES: dict[str, tuple[tuple[_Rule, ...], tuple[_Rule, ...]]] = {
    # (head rules, body rules)
    "nda": (
        _rules(
            (r"\bnon-?disclosure agreement\b", 3.0),
            (r"\bconfidentiality (?:and non-?disclosure )?agreement\b", 2.0),
            (r"\bsecrecy agreement\b", 3.0),
        ),
        _rules(
            (r"\bconfidential information\b", 0.5),
            (r"\bdisclosing party\b|\breceiving party\b", 1.0),
        ),
    ),
    "lease": (
        _rules(
            (r"\blease agreement\b|\bdeed of lease\b", 3.0),
            (r"\brental agreement\b|\btenancy\b", 3.0),
        ),
        _rules(
            (r"\blandlord\b|\blessor\b", 0.5),
            (r"\btenant\b|\blessee\b", 0.5),
            (r"\bpremises\b", 0.3),
            (r"\b(?:monthly |base )?rent\b", 0.3),
            (r"\bsecurity deposit\b", 0.5),
        ),
    ),
    "services_agreement": (
        _rules(
            (r"\bservices? agreement\b", 3.0),
            (r"\bservicing agreement\b", 3.0),
            (r"\bconsult(?:ing|ancy) (?:services )?agreement\b", 3.0),
            (
                r"\b(?:outsourcing|hosting|maintenance|support|management|professional services)"
                r"(?: and \w+)? agreement\b",
                2.0,
            ),
            (r"\bstatement of work\b|\bmaster services\b", 3.0),
        ),
        _rules(
            (r"\bservice providers?\b", 1.0),
            (r"\bthe services\b", 0.4),
            (r"\bstatement of work\b|\bservice levels?\b|\bsla\b", 1.0),
            (r"\bconsultant\b", 0.4),
        ),
    ),
    "court_opinion": (
        _rules(
            (r"\bsupreme court\b|\bhigh court\b|\bcourt of appeals?\b|\bdistrict court\b", 5.0),
            (r"\b(?:petitioner|respondent|appellant|plaintiff|defendant)s?\b", 2.0),
            (r"\bdate of judg(?:e)?ment\b|\bbench\b|\bcoram\b", 3.0),
            (r"\b\w+\s+v(?:s)?\.?\s+\w+", 1.0),
            (r"\bopinion of the court\b|\bper curiam\b", 4.0),
        ),
        _rules(
            (r"\b(?:petitioner|respondent|appellant|plaintiff|defendant)s?\b", 0.5),
            (r"\bjudg(?:e)?ment\b", 0.5),
            (r"\bheld\b|\baffirm(?:ed)?\b|\breversed?\b|\bremand(?:ed)?\b", 0.5),
            (r"\bthe (?:high |trial |lower |district )?court\b", 0.5),
            (r"\blearned counsel\b|\bhon'?ble\b|\blordships?\b", 1.0),
            (r"\bappeal (?:is|was) (?:allowed|dismissed)\b", 3.0),
        ),
    ),
    "statute": (
        _rules(
            (r"\bstatute of\b|\bact,? (?:18|19|20)\d\d\b|\bcode of\b", 4.0),
            (r"\bbe it enacted\b|\benacted by\b", 6.0),
            (r"\bchapter\s+[ivx\d]+\b", 2.0),
            (r"^\s*article\s+1\b", 3.0),
        ),
        _rules(
            (r"^\s*(?:article|art\.)\s+\d+\s*$", 1.0),
            (r"^\s*§\s*\d+", 1.0),
            (r"\bshall come into force\b|\bthis act\b|\bthe present statute\b", 2.0),
            (r"\bsubsection\b|\bparagraph\s+\d", 0.3),
        ),
    ),
}

_MEDICAL_TYPE_RULES: dict[str, tuple[tuple[_Rule, ...], tuple[_Rule, ...]]] = {
    "discharge_summary": (
        _rules((r"\bdischarge summary\b", 10.0)),
        _rules(
            (r"\bdate of discharge\b|\bdischarge date\b", 4.0),
            (r"\bdischarge diagnos[ie]s\b|\bdiagnos[ie]s (?:on|at) discharge\b|\bfinal diagnos[ie]s\b", 4.0),
            (r"\bhospital course\b", 4.0),
            (r"\bdischarge (?:medications|instructions|condition|exam|labs)\b", 3.0),
            (r"\bcondition (?:at|on|upon) discharge\b", 3.0),
            (r"\bdate of admission\b|\badmission date\b|\badmitting diagnos[ie]s\b", 1.5),
            (r"\bwas discharged\b|\bdischarged (?:home|to)\b", 1.5),
        ),
    ),
    "operative_report": (
        _rules((r"\boperative (?:report|note)\b|\bprocedure note\b", 10.0)),
        _rules(
            (r"\bpre-?operative diagnos[ie]s\b", 4.0),
            (r"\bpost-?operative diagnos[ie]s\b", 4.0),
            (r"\bestimated blood loss\b|\bebl\b", 3.0),
            (r"\banesthesia:", 2.0),
            (r"\bprocedures? performed\b|\boperations? performed\b", 1.0),
            (r"\bdescription of (?:the )?(?:procedure|operation)\b", 3.0),
            (r"\b(?:prepped|draped) in (?:the )?(?:usual )?sterile\b", 3.0),
            (r"\bincision\b|\bsutures?\b", 1.0),
            (r"\bspecimens?:|\bdrains?:|\bcomplications:", 1.5),
        ),
    ),
    "radiology_report": (
        _rules(
            (r"\bradiology report\b", 10.0),
            (r"\b(?:mri|ct|cta|x-ray|ultrasound|mammogra\w+|radiograph\w*)\b[^\n]{0,60}$", 3.0),
            (r"\bexam(?:ination)?:\s*(?:mri|ct|x-ray|us|ultrasound)\b", 6.0),
        ),
        _rules(
            (r"^\s*technique\s*:", 4.0),
            (r"^\s*comparison\s*:", 4.0),
            (r"^\s*findings\s*:", 2.5),
            (r"^\s*impression\s*:", 1.5),
            (r"^\s*(?:clinical )?(?:indication|history)\s*:", 1.0),
            (r"\bcontrast\b|\bsagittal\b|\baxial\b|\bcoronal\b|\bt[12]-?weighted\b", 1.0),
            (r"\bno acute\b|\bunremarkable\b|\bvisualized\b", 0.5),
        ),
    ),
    "consultation": (
        _rules(
            (r"\bconsultation\b|\bconsult\b", 6.0),
        ),
        _rules(
            (r"\breason for (?:the )?consult(?:ation)?\b", 5.0),
            (r"\b(?:asked|requested) (?:to|by)[^.]{0,40}\b(?:see|evaluat\w+|consult\w*)\b", 3.0),
            (r"\bthank you for (?:the|this|allowing|asking|your)\b", 3.0),
            (r"\breferred by\b|\breferring physician\b|\brequesting physician\b", 2.0),
            (r"\bconsult(?:ation|ed|s)?\b", 2.0),
            (r"\brecommendations?\b", 1.0),
        ),
    ),
    "progress_note": (
        _rules(
            (r"\bprogress note\b|\bsoap note\b|\bfollow-?up (?:note|visit)\b", 10.0),
        ),
        _rules(
            (r"^\s*subjective\s*:", 5.0),
            (r"^\s*objective\s*:", 4.0),
            (r"^\s*interval history\s*:", 4.0),
            (r"^\s*assessment\s*:", 1.0),
            (r"^\s*plan\s*:", 1.0),
            (r"\btoday\b", 0.7),
            (
                r"\b(?:returns?|comes? in|presents?|seen) (?:today )?for (?:a )?"
                r"(?:follow-?up|recheck|re-?evaluation)\b",
                3.0,
            ),
            (r"\bfollow-?up\b", 0.7),
            (r"\bi am following (?:the patient|him|her)\b|\bfollowing up on\b", 3.0),
            (r"\breturn visit\b|\b(?:since|at) (?:her|his|the) last visit\b|\blast seen\b", 3.0),
            (r"\bhospital day\b|\bpost-?op(?:erative)? day\b", 3.0),
            (r"\bno new complaints\b|\bdoing well\b|\bfeels? (?:better|well)\b", 1.5),
        ),
    ),
    "history_and_physical": (
        _rules((r"\bhistory and physical\b|\bh\s*&\s*p\b|\badmission (?:note|history)\b", 10.0)),
        _rules(
            (r"^\s*chief complaint\s*:", 2.0),
            (r"^\s*(?:history of (?:the )?present illness|hpi)\s*:", 2.0),
            (r"^\s*past medical history\s*:", 1.0),
            (r"^\s*review of systems\s*:?", 1.0),
            (r"^\s*physical exam(?:ination)?\s*:?", 1.0),
            (r"^\s*(?:social|family) history\s*:", 1.0),
            (r"\badmit(?:ted)? (?:the patient |him |her )?(?:to|for)\b", 1.5),
        ),
    ),
}

# The last few words before AGREEMENT name the kind ("TRANSITION SERVICES AGREEMENT");
# earlier words are often a party's name ("... SERVICES STORED VALUE RESELLER AGREEMENT").
_TITLE_LINE_RE = re.compile(r"(?:[\w&/'-]+\s+){0,3}(?:AGREEMENT|CONTRACT|LEASE|TERM SHEET)\b")
_THIS_AGREEMENT_RE = re.compile(r"\bth(?:is|e)\s+((?:[A-Z][\w&/-]*\s+(?:and\s+)?){0,3}(?:Agreement|Contract|Lease))\b")
_TITLE_WEIGHT = 10.0
_TITLE_RULES: dict[str, re.Pattern[str]] = {
    "nda": re.compile(r"non-?disclosure|confidentiality|secrecy", re.IGNORECASE),
    "lease": re.compile(r"\blease\b|\brental\b|\btenancy\b", re.IGNORECASE),
    "services_agreement": re.compile(
        r"\bservices?\b|\bservicing\b|consult|outsourcing|hosting|maintenance|\bsupport\b|"
        r"statement of work|professional",
        re.IGNORECASE,
    ),
}

# Minimum type score; below it the domain's generic type is used.
_MIN_TYPE_SCORE = 5.0

_FILENAME_HINTS: tuple[tuple[re.Pattern[str], str, str, float], ...] = tuple(
    (re.compile(p, re.IGNORECASE), domain, doc_type, w)
    for p, domain, doc_type, w in (
        (r"non[-_ ]?disclosure|\bnda\b|confidentiality[-_ ]agreement", "legal", "nda", 8.0),
        (r"\blease\b", "legal", "lease", 6.0),
        (r"services?[-_ ]agreement|consulting|servicing|outsourcing|hosting", "legal", "services_agreement", 6.0),
        (r"opinion|judg(?:e)?ment|\bv(?:s)?[._ ]", "legal", "court_opinion", 4.0),
        (r"statute|\bact\b|\bcode\b|regulation", "legal", "statute", 4.0),
        (r"agreement|contract", "legal", "contract", 3.0),
        (r"discharge", "medical", "discharge_summary", 6.0),
        (r"radiology|\bmri\b|\bct\b|x ?ray|imaging", "medical", "radiology_report", 6.0),
        (r"operative|surgery|\bop[-_ ]note", "medical", "operative_report", 6.0),
        (r"consult", "medical", "consultation", 6.0),
        (r"progress|soap|follow ?up", "medical", "progress_note", 6.0),
        (r"h&p|history[-_ ]and[-_ ]physical", "medical", "history_and_physical", 6.0),
        (r"clinical|medical|patient", "medical", "clinical_note", 2.0),
    )
)

_SPACE_RE = re.compile(r"[ \t\f\v]+")
_NAME_SEP_RE = re.compile(r"[_.\-]+")


def classify_document(text: str, *, filename: str = "") -> Classification:
    """Classify a document's domain and type from its opening text and file name."""
    head = _SPACE_RE.sub(" ", text[:SCAN_CHARS])
    # "office_lease_2021.pdf" -> "office lease 2021 pdf" so that word boundaries work.
    stem = _NAME_SEP_RE.sub(" ", PurePath(filename).name) if filename else ""
    hints = [(domain, doc_type, w) for p, domain, doc_type, w in _FILENAME_HINTS if stem and p.search(stem)]

    # Damp by length so a 20k-char contract and a 2k-char clinical note compare fairly.
    damp = 1.0 / math.sqrt(max(1.0, len(head) / 4_000))
    low = head.lower()
    legal = _score(low, _LEGAL_TERMS) * damp
    medical = _score(low, _MEDICAL_TERMS) * damp
    for domain, _doc_type, w in hints:
        if domain == "legal":
            legal += w / 2
        else:
            medical += w / 2

    if legal >= MIN_DOMAIN_SCORE and legal >= DOMAIN_MARGIN * medical:
        domain = "legal"
    elif medical >= MIN_DOMAIN_SCORE and medical >= DOMAIN_MARGIN * legal:
        domain = "medical"
    elif max(legal, medical) >= 2 * MIN_DOMAIN_SCORE:
        domain = "legal" if legal > medical else "medical"
    else:
        return Classification(domain="other", doc_type="other")

    scores = _type_scores(head, low, domain)
    for hint_domain, doc_type, w in hints:
        if hint_domain == domain and doc_type in scores:
            scores[doc_type] += w
    best, best_score = max(scores.items(), key=lambda kv: kv[1]) if scores else ("", 0.0)
    if best == "statute" and _title_line(head[:_HEAD_CHARS]):
        best = "contract"  # titled "... AGREEMENT": a contract that cites acts, not a statute
    if best_score >= _MIN_TYPE_SCORE:
        return Classification(domain=domain, doc_type=best)
    if domain == "legal":
        return Classification(domain=domain, doc_type="contract" if _looks_like_contract(head) else "legal_other")
    return Classification(domain=domain, doc_type="clinical_note")


def _type_scores(head: str, low: str, domain: str) -> dict[str, float]:
    """Score every type of ``domain``: title rules, title-area rules and body rules.

    ``low`` is ``head.lower()``; the title is read from ``head`` (its case matters).
    """
    rules = _LEGAL_TYPE_RULES if domain == "legal" else _MEDICAL_TYPE_RULES
    title = _document_title(head[:_HEAD_CHARS]) if domain == "legal" else ""
    title_area = low[:_HEAD_CHARS]
    scores: dict[str, float] = {}
    for doc_type, (head_rules, body_rules) in rules.items():
        scores[doc_type] = _score(title_area, head_rules, cap=3) + _score(low, body_rules, cap=3)
        if title and doc_type in _TITLE_RULES and _TITLE_RULES[doc_type].search(title):
            scores[doc_type] += _TITLE_WEIGHT
    return scores


def _title_line(area: str) -> str:
    """An upper-case title line naming an agreement, contract or lease ("DISTRIBUTOR AGREEMENT")."""
    for line in area.splitlines()[:40]:
        line = line.strip()
        m = _TITLE_LINE_RE.search(line)
        if m and 8 <= len(line) <= 120 and sum(c.isupper() for c in line) > sum(c.islower() for c in line):
            return m.group(0)
    return ""


def _document_title(area: str) -> str:
    """The contract's own name: an upper-case title line, else "This X Agreement"."""
    title = _title_line(area)
    if title:
        return title
    m = _THIS_AGREEMENT_RE.search(area)
    return m.group(1) if m else ""


_CONTRACT_RE = re.compile(
    r"\bagreement\b|\bcontract\b|\bthe parties\b|\bin witness whereof\b|\bwhereas\b|\bmemorandum of understanding\b"
)


def _looks_like_contract(text: str) -> bool:
    """A generic agreement: the word itself plus parties/recitals language."""
    return len(_CONTRACT_RE.findall(text[:8_000].lower())) >= 3
