"""The rules backend for contracts: terms and clause flags read with patterns, no LLM.

Candidate clauses come from three signals: lexical patterns written from how each clause type is
phrased in commercial contracts (the strongest), the section headings the structure stage
detected (``chunk.section``) plus run-in headings ("12. Assignment."), and the similarity of the
stored chunk vectors to each field's description (``fields.py``). Values are then read from the
chosen sentence with patterns, ``normalize`` (dates, periods, jurisdictions) and, for parties and
dates the patterns miss, the packaged spaCy model's entities on the preamble only.

Every fact points at a sentence (or a smaller span) of ``document.text``; a clause's "no" has no
evidence. Nothing here raises out of ``extract``: a field that fails costs that field only.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.jobs.extract.clause_rules import CLAUSE_RULES, ClauseRule
from analysis.jobs.extract.facts import CLAUSE, CONTRACT, DocumentForExtraction, Extraction, Fact
from analysis.jobs.extract.fields import CLAUSE_FIELDS, CONTRACT_FIELDS, FieldSpec
from analysis.jobs.extract.normalize import find_jurisdiction, find_periods, jurisdiction, parse_date
from analysis.jobs.extract.terms import AFTER, MONTH_END, add_term, nth_full_month

if TYPE_CHECKING:
    from analysis.embed import Embedder

log = logging.getLogger(__name__)

MAX_CHARS = 2_000_000  # read at most this much of a document (a 30-page contract is ~100,000)
_HEAD_CHARS = 6_000  # where the title, parties and agreement date are looked for
_MAX_SENTENCE = 2_500  # longer "sentences" (tables, lists without full stops) are cut at ; or a line break
_THRESHOLD = 1.0  # a clause is "yes" from this score up
_HEADING_BONUS = 0.4
_SIMILARITY_WEIGHT = 1.5  # score added per unit of similarity above the document's typical chunk
_SIMILARITY_CAP = 0.3
_STRONG_RANK = 0.3
_OBLIGES = re.compile(r"\b(?:shall|will|must|agrees?|may)\b", re.IGNORECASE)
_STATES = re.compile(
    r"\b(?:shall|will|may|must|agrees?|is|are|be|has|have|means)\b", re.IGNORECASE
)  # how much a strong cue outranks weak ones when choosing the evidence sentence


# --------------------------------------------------------------------------- reading the text


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    chunk: int | None  # index into document.chunks, where the sentence starts
    heading: str  # the run-in or detected heading it falls under, lower case ("" when none)


_PLAIN = str.maketrans({"\xa0": " ", "‐": "-", "‑": "-", "–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "‘": "'"})
_TABLE_OF_CONTENTS = re.compile(r"(?:\.{4,}|\s\d{1,3}\s+\d{1,2}\.\d{1,2}\s+[A-Z])")
_ABBREVIATIONS = frozenset(
    "inc corp co ltd llc l.l.c lp l.p llp n.a no nos sec secs art arts para paras mr mrs ms dr st jr sr u.s u.s.a "
    "e.g i.e etc vs v ave blvd rd ste approx id s.a b.v n.v a.g ag gmbh pty plc cf fig al ex exh p pp vol dept "
    "min max est int'l intl".split()
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“(\[]?[A-Z0-9])|\n[ \t\xa0]*\n\s*")
_LONG_BREAK = re.compile(r";\s+|:\s*\n|\n")
_HEADING_LIKE = re.compile(
    r"^\s*(?:(?i:section|article|clause)\s+)?(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z]\.|\([a-z0-9]+\))?\s*"
    r"(?P<title>[A-Z][A-Za-z&/,'’\- ]{2,80}?)\s*[.:]?\s*$"
)


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans over ``text``: full stops followed by a capital, and blank lines; a bare
    number ("2.") or an abbreviation ("Inc.") before a full stop does not end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        blank = "\n" in match.group() and match.group().count("\n") >= 2
        if match.group().startswith((".", "!", "?")) and not blank and not _ends_sentence(text, match.start()):
            continue
        end = match.start() + 1 if match.group()[0] in ".!?" else match.start()
        _add_span(text, start, end, spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _ends_sentence(text: str, dot: int) -> bool:
    before = text[max(0, dot - 12) : dot]
    token = re.split(r"[\s(]", before)[-1].lower()
    if not token:
        return True
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False
    return not re.fullmatch(r"\d{1,3}(?:\.\d{1,3})*|[ivxlc]{1,5}|\(?[a-z0-9]{1,3}\)", token)


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Trim whitespace; cut an over-long span at semicolons or line breaks."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    if end - start <= _MAX_SENTENCE:
        spans.append((start, end))
        return
    cut = None
    for match in _LONG_BREAK.finditer(text, start + 200, start + _MAX_SENTENCE):
        cut = match.end()
    if cut is None:
        cut = start + _MAX_SENTENCE
    spans.append((start, cut))
    _add_span(text, cut, end, spans)


def _heading_of(sentence: str) -> str | None:
    """A short sentence that reads as a heading ("GOVERNING LAW.", "12. Assignment"), or None."""
    if len(sentence) > 90 or len(sentence.split()) > 9:
        return None
    match = _HEADING_LIKE.match(sentence)
    if match is None:
        return None
    title = match["title"]
    words = [w for w in re.split(r"\s+", title) if w]
    capitalised = sum(
        1 for w in words if w[0].isupper() or w.lower() in {"of", "and", "or", "to", "for", "on", "the", "in"}
    )
    return title.lower() if words and capitalised == len(words) else None


_NUMBERED = re.compile(r"^\s*(?:(?i:section|article)\s+)?(?:\d+(?:\.\d+)*\.?|\([a-z0-9]+\))\s")
_RUN_IN = re.compile(
    r"^\s*(?:(?i:section|article)\s+)?(?:\d+(?:\.\d+)*\.?|\([a-z0-9]+\))\s*"
    r"(?P<title>[A-Z][A-Za-z&/,'’\- ]{2,60}?)[.:]\s"
)


class _Reading:
    """The document cut into sentences, each tied to its chunk and heading, plus chunk similarities."""

    def __init__(self, document: DocumentForExtraction, similarities: np.ndarray | None) -> None:
        self.text = document.text[:MAX_CHARS]
        self.plain = self.text.translate(_PLAIN)  # same length: offsets agree with ``text``
        self.chunks = list(document.chunks)
        self.similarities = similarities  # (n_chunks, n_fields) relative to the document's mean, or None
        self.memo: dict[str, Any] = {}  # values one field reads from another (the dates), computed once
        starts = [c.char_start for c in self.chunks]
        offsets_known = any(c.char_end > 0 for c in self.chunks)
        self.sentences: list[_Sentence] = []
        current = clause = ""  # the heading above, the run-in title of the numbered clause
        for start, end in _split_sentences(self.text):
            body = self.text[start:end]
            heading = _heading_of(body)
            if heading is not None:
                current, clause = heading, ""
            run_in = _RUN_IN.match(body)
            if run_in:
                clause = run_in["title"].lower()
            elif heading is None and _NUMBERED.match(body):
                clause = ""  # a new numbered clause without a title of its own
            chunk = bisect.bisect_right(starts, start) - 1 if offsets_known else None
            own = " | ".join(dict.fromkeys(h for h in (clause, current) if h))
            self.sentences.append(_Sentence(start, end, chunk if chunk is not None and chunk >= 0 else None, own))

    def section(self, sentence: _Sentence) -> str:
        """The sentence's heading and its chunk's section (the last part of the path), lower case."""
        parts = [sentence.heading]
        if sentence.chunk is not None:
            section = self.chunks[sentence.chunk].section or ""
            path = [p.strip() for p in section.split(">")]
            if len(path) > 1 or not re.search(r"agreement|contract", path[0], re.IGNORECASE):
                parts.append(path[-1].lower())
        return " | ".join(p for p in parts if p)

    def similarity(self, sentence: _Sentence, field_index: int) -> float:
        if self.similarities is None or sentence.chunk is None or sentence.chunk >= len(self.similarities):
            return 0.0
        return float(self.similarities[sentence.chunk, field_index])


# --------------------------------------------------------------------------- the backend


class ContractRules:
    """Contract terms and CUAD clause flags from patterns, headings and the stored chunk vectors."""

    name = "contract_rules"
    version = "1"

    def __init__(self, embedder: Callable[[], Embedder]) -> None:
        self._embedder_factory = embedder
        self._descriptions: np.ndarray | None = None
        self._lock = threading.Lock()
        self._nlp: Any = None
        self._nlp_failed = False

    # public ------------------------------------------------------------------------------

    def extract(self, document: DocumentForExtraction) -> Extraction:
        """Facts for every contract and clause field; a field that fails is a problem, not an error."""
        extraction = Extraction()
        try:
            reading = _Reading(document, self._similarities(document.chunks))
        except Exception as exc:  # the shared reading failed: every field reports it
            error = exc

            def failed() -> Sequence[Fact]:
                raise error

            for spec in CONTRACT_FIELDS + CLAUSE_FIELDS:
                extraction.collect(spec.name, failed)
            return extraction

        readers: dict[str, Callable[[_Reading], list[Fact]]] = {
            "document_name": self._document_name,
            "party": self._parties,
            "agreement_date": lambda r: list(self._memo(r, self._agreement_date)),
            "effective_date": lambda r: list(self._memo(r, self._effective_date)),
            "expiration_date": self._expiration_date,
            "renewal_term": self._renewal_term,
            "notice_period": self._notice_period,
            "governing_law": self._governing_law,
        }
        for spec in CONTRACT_FIELDS:
            reader = readers.get(spec.name)
            if reader is not None:
                extraction.collect(spec.name, lambda reader=reader: reader(reading))
        for index, rule in enumerate(CLAUSE_RULES):
            extraction.collect(rule.field, lambda rule=rule, index=index: [self._clause(reading, rule, index)])
        return extraction

    @staticmethod
    def _memo(reading: _Reading, reader: Callable[[_Reading], list[Fact]]) -> list[Fact]:
        """``reader(reading)``, computed once per document."""
        key = reader.__name__
        if key not in reading.memo:
            reading.memo[key] = reader(reading)
        return reading.memo[key]

    # similarity --------------------------------------------------------------------------

    def _similarities(self, chunks: Sequence[Any]) -> np.ndarray | None:
        """Each chunk's cosine to each clause description, minus that field's mean over the
        document: how much more a chunk is about the clause than the document's typical chunk."""
        vectors = [np.asarray(c.vector, dtype=np.float32).ravel() for c in chunks if c.vector is not None]
        if not chunks or len(vectors) != len(chunks) or len({v.shape for v in vectors}) != 1:
            return None
        try:
            descriptions = self._description_vectors()
        except Exception as exc:  # no embedder here: the patterns and headings still work
            log.warning("contract rules: no description vectors (%s); similarity not used", exc)
            return None
        matrix = np.vstack(vectors)
        if matrix.shape[1] != descriptions.shape[1] or not np.all(np.isfinite(matrix)):
            return None
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = matrix / np.where(norms > 0, norms, 1.0)
        sims = matrix @ descriptions.T
        return sims - sims.mean(axis=0, keepdims=True)

    def _description_vectors(self) -> np.ndarray:
        with self._lock:
            if self._descriptions is None:
                texts = [_rule_description(rule.field) for rule in CLAUSE_RULES]
                encoded = np.asarray(self._embedder_factory().encode(texts), dtype=np.float32)
                norms = np.linalg.norm(encoded, axis=1, keepdims=True)
                self._descriptions = encoded / np.where(norms > 0, norms, 1.0)
            return self._descriptions

    # clauses -----------------------------------------------------------------------------

    def _clause(self, reading: _Reading, rule: ClauseRule, index: int) -> Fact:
        """The best-scoring sentence for the category: "yes" with it as evidence, or "no"."""
        best: tuple[float, _Sentence, tuple[int, int] | None] | None = None
        evidence: tuple[float, float, _Sentence, tuple[int, int] | None] | None = None
        position: dict[int, int] = {}
        for number, sentence in enumerate(reading.sentences):
            scored = self._score(reading, rule, index, sentence)
            if scored is None:
                continue
            if best is None or scored[0] > best[0]:
                best = (scored[0], sentence, scored[1])
            # the evidence: among the sentences that pass, a strong cue (the clause stated) ranks first
            rank = scored[0] + (_STRONG_RANK if scored[2] else 0.0)
            if not _STATES.search(reading.plain, sentence.start, sentence.end):
                rank -= _STRONG_RANK  # a heading names the clause; the annotated span states it
            elif _OBLIGES.search(reading.plain, sentence.start, sentence.end):
                rank += 0.15  # an obligation or a right, rather than a representation about the past
            if scored[0] >= _THRESHOLD and (evidence is None or rank > evidence[0]):
                evidence = (rank, scored[0], sentence, scored[1])
                position[id(sentence)] = number
        if best is None or best[0] < _THRESHOLD or evidence is None:
            top = best[0] if best else 0.0
            return Fact(CLAUSE, rule.field, "no", None, None, confidence=round(max(0.5, 0.9 - 0.35 * top), 3))
        _, score, sentence, cue = evidence
        raw = reading.text[cue[0] : cue[1]] if cue else None
        attributes = {"section": s} if (s := reading.section(sentence)) else {}
        start, end = _paragraph(reading, position[id(sentence)])
        return Fact(
            CLAUSE,
            rule.field,
            "yes",
            start,
            end,
            raw=raw,
            confidence=round(min(0.97, 0.55 + 0.2 * score), 3),
            attributes=attributes,
        )

    def _score(
        self, reading: _Reading, rule: ClauseRule, index: int, sentence: _Sentence
    ) -> tuple[float, tuple[int, int] | None, bool] | None:
        """The sentence's score for the rule, the cue that matched (offsets in the document) and
        whether it was a strong cue."""
        body = reading.plain[sentence.start : sentence.end]
        if _TABLE_OF_CONTENTS.search(body):
            return None
        if rule.strip is not None:
            body = rule.strip.sub(lambda m: " " * len(m.group()), body)
        strong = rule.strong.search(body) if rule.strong else None
        weak_hits = list(rule.weak.finditer(body)) if rule.weak and strong is None else []
        if strong is None and not weak_hits:
            return None
        score = 1.0 if strong else rule.weak_score * min(2, len(weak_hits))
        cue_match = strong or weak_hits[0]
        section = reading.section(sentence)
        if rule.heading is not None and section and rule.heading.search(section):
            score += _HEADING_BONUS
        score += min(_SIMILARITY_CAP, max(0.0, _SIMILARITY_WEIGHT * reading.similarity(sentence, index)))
        if rule.penalty is not None and rule.penalty.search(body):
            score -= rule.penalty_score
        if len(body.split()) < 8:  # a heading or a fragment, not the clause itself
            score -= 0.5
        cue = (sentence.start + cue_match.start(), sentence.start + cue_match.end())
        return score, cue, strong is not None

    # contract terms ----------------------------------------------------------------------

    def _document_name(self, reading: _Reading) -> list[Fact]:
        """The title: an early line in capitals (or title case) naming the kind of contract."""
        head = reading.text[:_HEAD_CHARS]
        for match in re.finditer(r"[^\n]+", head[:3000]):
            line = match.group()
            name = " ".join(line.split()).strip(" .:")
            if not (4 <= len(name) <= 120) or not _TITLE_WORDS.search(name) or _LEGEND.search(name):
                continue
            if name.upper() != name and not name.istitle():
                continue
            raw = line.strip()
            start = head.find(raw, match.start())
            return [Fact(CONTRACT, "document_name", name, start, start + len(raw), raw=raw, confidence=0.8)]
        preamble = re.search(r"\bThis ((?:[A-Z][\w&\-]*\s+){0,6}(?:Agreement|Contract|Lease|License))\b", head)
        if preamble:
            raw = preamble.group(1)
            value = " ".join(raw.split())
            return [Fact(CONTRACT, "document_name", value, preamble.start(1), preamble.end(1), raw=raw, confidence=0.6)]
        return []

    def _preamble(self, reading: _Reading) -> _Sentence | None:
        """The sentence that names the parties ("... by and between A and B"), before the recitals
        (a recital's "agreement dated ... between" is another contract)."""
        recitals = _RECITAL_START.search(reading.text, 0, _HEAD_CHARS)
        end = recitals.start() if recitals else _HEAD_CHARS
        for sentence in reading.sentences:
            if sentence.start >= end:
                break
            body = reading.text[sentence.start : sentence.end]
            if _PARTIES_CUE.search(body) and re.search(
                r"agreement|contract|lease|made|entered|dated", body, re.IGNORECASE
            ):
                return sentence
        return None

    def _parties(self, reading: _Reading) -> list[Fact]:
        """The parties found (``_party_candidates``), each name cut to the name itself."""
        tidy = [_tidy_party(f) for f in self._party_candidates(reading)]
        unique: list[Fact] = []
        for fact in tidy:
            if fact is not None and all(_party_key(u.value) != _party_key(fact.value) for u in unique):
                unique.append(fact)
        return unique

    def _party_candidates(self, reading: _Reading) -> list[Fact]:
        """The preamble's parties; where it names fewer than two or only roles ("between the Company
        and the Agent"), the names defined before the recitals ('Acme Inc. (the "Company")'), labelled
        ones ("Party A: ..."), the signature blocks and, last, spaCy's entities of the preamble."""
        preamble = self._preamble(reading)
        facts: list[Fact] = []
        tail_start, tail = 0, ""
        if preamble is not None:
            body = reading.text[preamble.start : preamble.end]
            cue = _PARTIES_CUE.search(body)
            assert cue is not None
            tail_start = preamble.start + cue.end()
            tail = reading.text[tail_start : preamble.end]
            stop = re.search(r"\b(?:WHEREAS|RECITALS|WITNESSETH)\b|\n\s*\n", tail)
            if stop:
                tail = tail[: stop.start()]
            facts = _parties_from(tail, tail_start)
        if len(facts) >= 2 and not any(_is_role(f.value) for f in facts):
            return facts
        head_end = _recitals_start(reading.text)
        found = _defined_parties(reading.text, head_end) + _labelled_parties(reading.text, head_end)
        facts = _merge_parties(facts, found)
        if len([f for f in facts if not _is_role(f.value)]) < 2:
            facts = _merge_parties(facts, _signature_parties(reading.text))
        named = [f for f in facts if not _is_role(f.value)]
        if len(named) >= 2 or preamble is None:
            return named or facts
        return named + self._parties_from_entities(reading, tail_start, tail, {f.value for f in named})

    def _parties_from_entities(self, reading: _Reading, offset: int, tail: str, known: set[str]) -> list[Fact]:
        """spaCy's ORG and PERSON entities of the preamble, when the pattern found fewer than two."""
        nlp = self._spacy()
        if nlp is None or not tail.strip():
            return []
        facts = []
        for ent in nlp(tail[:2000]).ents:
            if ent.label_ not in ("ORG", "PERSON"):
                continue
            value = " ".join(ent.text.split()).strip(" ,.;")
            if len(value) < 3 or value in known or _ROLE_STOP.fullmatch(value) or _ADDRESS.search(value):
                continue
            if ent.label_ == "ORG" and len(value.split()) < 2 and not _SUFFIX.search(value):
                continue
            known.add(value)
            start = offset + ent.start_char
            facts.append(Fact(CONTRACT, "party", value, start, start + len(ent.text), raw=ent.text, confidence=0.5))
        return facts[:4]

    def _spacy(self) -> Any:
        with self._lock:
            if self._nlp is None and not self._nlp_failed:
                try:
                    from analysis.redaction import load_spacy_model

                    self._nlp = load_spacy_model()
                except Exception as exc:  # patterns still answer without it
                    log.warning("contract rules: spaCy model unavailable (%s)", exc)
                    self._nlp_failed = True
            return self._nlp

    def _dates(self, reading: _Reading, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """Full dates written in text[start:end]: (start, end, raw, ISO date)."""
        found = []
        for match in _DATE.finditer(reading.text, start, end):
            raw = match.group()
            parsed = parse_date(raw)
            if parsed is not None:
                found.append((match.start(), match.end(), raw, parsed.isoformat()))
        return found

    def _agreement_date(self, reading: _Reading) -> list[Fact]:
        """The date the contract is dated or made: in the preamble, else after "dated"/"as of" early on."""
        preamble = self._preamble(reading)
        if preamble is not None:
            dates = self._dates(reading, preamble.start, preamble.end)
            if dates:
                return [_date_fact("agreement_date", dates[0], 0.85)]
        head_end = min(len(reading.text), _HEAD_CHARS)
        for cue in re.finditer(
            r"\b(?:dated|made|entered into|executed|as of|effective)\b", reading.text[:head_end], re.IGNORECASE
        ):
            dates = self._dates(reading, cue.end(), min(cue.end() + 80, len(reading.text)))
            if dates:
                return [_date_fact("agreement_date", dates[0], 0.7)]
        dates = self._dates(reading, 0, min(len(reading.text), 1500))
        if dates:
            return [_date_fact("agreement_date", dates[0], 0.5)]
        return self._date_from_entities(reading, preamble, "agreement_date")

    def _date_from_entities(self, reading: _Reading, preamble: _Sentence | None, field_name: str) -> list[Fact]:
        """spaCy DATE entities of the preamble, where the date patterns found none."""
        if preamble is None:
            return []
        nlp = self._spacy()
        if nlp is None:
            return []
        body = reading.text[preamble.start : min(preamble.end, preamble.start + 2000)]
        for ent in nlp(body).ents:
            if ent.label_ != "DATE":
                continue
            parsed = parse_date(ent.text)
            if parsed is not None:
                start = preamble.start + ent.start_char
                return [_date_fact(field_name, (start, start + len(ent.text), ent.text, parsed.isoformat()), 0.5)]
        return []

    def _effective_date(self, reading: _Reading) -> list[Fact]:
        """A date the text calls effective, or the agreement date where the contract is effective
        as of its own date ("effective as of the date first written above")."""
        text = reading.text
        for match in _EFFECTIVE_CUE.finditer(text):
            window_start = max(0, match.start() - 60)
            dates = self._dates(reading, window_start, min(len(text), match.end() + 80))
            if not dates:
                continue
            # the date nearest after the cue, else the one just before '(the "Effective Date")'
            after = [d for d in dates if d[0] >= match.start()]
            chosen = (
                after[0] if after and not match.group().startswith(("(", '"', "“")) else dates[-1 if not after else 0]
            )
            if match.group().lstrip().startswith(("(", '"', "“")):
                before = [d for d in dates if d[1] <= match.start()]
                chosen = before[-1] if before else chosen
            return [_date_fact("effective_date", chosen, 0.8)]
        commencement = self._commencement(reading)
        if commencement is not None:
            return [_date_fact("effective_date", commencement[1], 0.7, evidence=commencement[0])]
        # No date of its own: a contract takes effect when made, so its agreement date, said so.
        agreement = self._memo(reading, self._agreement_date)
        if not agreement:
            return []
        fact = agreement[0]
        stated = _EFFECTIVE_AS_DATED.search(text) is not None
        return [
            Fact(
                CONTRACT,
                "effective_date",
                fact.value,
                fact.start,
                fact.end,
                raw=fact.raw,
                confidence=0.6 if stated else 0.45,
                attributes={"from": "agreement_date"},
            )
        ]

    def _commencement(self, reading: _Reading) -> tuple[tuple[int, int], tuple[int, int, str, str]] | None:
        """The date the term begins on, where a sentence says so ("The term of this Lease begins on
        April 24, 2021 (the "Commencement Date")"): (sentence span, date)."""
        for sentence in reading.sentences:
            body = reading.plain[sentence.start : sentence.end]
            cue = _COMMENCES_ON.search(body)
            if cue is None:
                continue
            dates = self._dates(reading, sentence.start + cue.end(), min(sentence.end, sentence.start + cue.end() + 40))
            if dates:
                return (sentence.start, sentence.end), dates[0]
        return None

    def _expiration_date(self, reading: _Reading) -> list[Fact]:
        """A date on which the (initial) term ends, written out in a term/expiry sentence; else the
        start plus the initial term, as CUAD reads it (a derived fact that says how it was derived)."""
        for sentence in reading.sentences:
            body = reading.text[sentence.start : sentence.end]
            if not _TERM_CUE.search(body):
                continue
            for cue in _EXPIRY_CUE.finditer(body):
                dates = self._dates(
                    reading, sentence.start + cue.end(), min(sentence.end, sentence.start + cue.end() + 60)
                )
                if dates:
                    return [_date_fact("expiration_date", dates[0], 0.7, evidence=(sentence.start, sentence.end))]
        return self._derived_expiration(reading)

    def _derived_expiration(self, reading: _Reading) -> list[Fact]:
        """The Effective Date plus "an initial term of two (2) years", or the last day of the "84th
        full calendar month" after the Commencement Date written in the same sentence."""
        starts = self._memo(reading, self._effective_date) or self._memo(reading, self._agreement_date)
        for sentence in reading.sentences:
            body = reading.plain[sentence.start : sentence.end]
            if not (_TERM_CUE.search(body) or "Effective Date" in body) or _NOT_THE_TERM.search(body):
                continue
            month = nth_full_month(body)
            if month is not None:
                dates = self._dates(reading, sentence.start, sentence.start + month[1])
                if not dates:
                    continue
                start_iso = dates[-1][3]
                rule, term, raw = (
                    MONTH_END,
                    month[0],
                    reading.text[sentence.start + month[1] : sentence.start + month[2]],
                )
            else:
                found = _initial_term(body)
                if found is None or not starts:
                    continue
                term, raw_start, raw_end = found
                start_iso, rule, raw = (
                    starts[0].value,
                    AFTER,
                    reading.text[sentence.start + raw_start : sentence.start + raw_end],
                )
            try:
                value = add_term(date.fromisoformat(start_iso), term, rule)
            except ValueError:
                value = None
            if value is None:
                continue
            attributes = {"rule": rule, "term": term, "start": start_iso}
            return [
                Fact(
                    CONTRACT,
                    "expiration_date",
                    value.isoformat(),
                    sentence.start,
                    sentence.end,
                    raw=raw,
                    confidence=0.65,
                    attributes=attributes,
                )
            ]
        return []

    def _renewal_sentences(self, reading: _Reading) -> Iterable[_Sentence]:
        for sentence in reading.sentences:
            if _RENEWAL_CUE.search(reading.text[sentence.start : sentence.end]):
                yield sentence

    def _renewal_term(self, reading: _Reading) -> list[Fact]:
        """The length of each renewal ("successive one (1) year periods" -> P1Y)."""
        for sentence in self._renewal_sentences(reading):
            body = reading.text[sentence.start : sentence.end]
            for period in find_periods(body):
                if period.value is None:
                    continue
                before = body[max(0, period.start - 80) : period.start].lower()
                after = body[period.end : period.end + 40].lower()
                if _NOTICE_AFTER.search(after) or not _RENEWAL_BEFORE.search(before):
                    continue
                raw = body[period.start : period.end]
                return [_period_fact("renewal_term", period.value, sentence, raw, sentence.start + period.start, 0.75)]
        return []

    def _notice_period(self, reading: _Reading) -> list[Fact]:
        """How long before the term ends a party must say it will not renew."""
        for sentence in self._renewal_sentences(reading):
            body = reading.text[sentence.start : sentence.end]
            if not re.search(r"notice|notif", body, re.IGNORECASE) or not _STOPS_RENEWAL.search(body):
                continue
            for period in find_periods(body):
                if period.value is None:
                    continue
                after = body[period.end : period.end + 60].lower()
                before = body[max(0, period.start - 40) : period.start].lower()
                if _NOTICE_AFTER.search(after) or re.search(
                    r"(?:at least|no less than|not less than|upon|with|by giving|minimum of)\s*$", before
                ):
                    raw = body[period.start : period.end]
                    return [
                        _period_fact("notice_period", period.value, sentence, raw, sentence.start + period.start, 0.7)
                    ]
        return []

    def _governing_law(self, reading: _Reading) -> list[Fact]:
        """The jurisdiction whose law governs: from the "governed by ... laws of" sentence, preferring
        one about "this Agreement" under a governing-law heading over "organised under the laws of"."""
        candidates: list[tuple[float, int, _Sentence, list[re.Match[str]]]] = []
        for sentence in reading.sentences:
            body = reading.text[sentence.start : sentence.end]
            cues = list(_LAW_CUE.finditer(body))
            if not cues:
                continue
            weight = 1.0
            if "govern" in reading.section(sentence) or _GOVERNING_HEADING.search(body):
                weight += 0.5
            if re.search(r"this\s+(?:agreement|contract|lease)|hereunder|hereof|herein", body, re.IGNORECASE):
                weight += 0.5
            if re.search(r"\bgovern(?:ed|s)\b", body, re.IGNORECASE):
                weight += 0.3
            if _INCORPORATION.search(body):
                weight -= 1.0
            candidates.append((weight, sentence.start, sentence, cues))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        for weight, _, sentence, cues in candidates:
            body = reading.text[sentence.start : sentence.end]
            for cue in cues:
                scope = body[cue.start() : cue.end() + 250]
                found = find_jurisdiction(scope)
                if found is None or found.value is None:
                    continue
                laws = re.search(
                    r"(?:the\s+)?(?:internal\s+|substantive\s+)?laws?\b", scope[: found.start], re.IGNORECASE
                )
                raw_start = cue.start() + (laws.start() if laws else found.start)
                raw = body[raw_start : cue.start() + found.end]
                if len(raw) > 200 or jurisdiction(raw) != found.value:
                    raw = body[cue.start() + found.start : cue.start() + found.end]
                return [
                    Fact(
                        CONTRACT,
                        "governing_law",
                        found.value,
                        sentence.start,
                        sentence.end,
                        raw=raw,
                        confidence=round(max(0.3, min(0.95, 0.5 + 0.2 * weight)), 3),
                    )
                ]
        return []


# --------------------------------------------------------------------------- helpers


_PARAGRAPH_CHARS = 1_500  # a clause's evidence grows to its neighbouring sentences up to this length
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\xa0]*\n")


def _paragraph(reading: _Reading, number: int) -> tuple[int, int]:
    """The span of sentence ``number`` grown by its neighbours in the same clause: sentences with
    no blank line between them, not past a heading or the start of another numbered clause, while
    the span stays within ``_PARAGRAPH_CHARS``. CUAD annotates a clause by its paragraph more
    often than by one sentence; the neighbours carry the rest of the annotated span."""
    sentences = reading.sentences
    first = last = number
    start, end = sentences[number].start, sentences[number].end

    def joins(a: _Sentence, b: _Sentence) -> bool:  # b follows a in the same paragraph
        if _PARAGRAPH_BREAK.search(reading.text, a.end, b.start) or b.heading != a.heading:
            return False
        body = reading.text[b.start : min(b.end, b.start + 100)]
        return _heading_of(reading.text[b.start : b.end]) is None and not _NUMBERED.match(body)

    grow = True
    while grow:
        grow = False
        following = last + 1 < len(sentences) and sentences[last + 1].end - start <= _PARAGRAPH_CHARS
        if following and joins(sentences[last], sentences[last + 1]):
            last += 1
            end = sentences[last].end
            grow = True
        preceding = first > 0 and end - sentences[first - 1].start <= _PARAGRAPH_CHARS
        if preceding and joins(sentences[first - 1], sentences[first]):
            first -= 1
            start = sentences[first].start
            grow = True
    return start, end


def _rule_description(name: str) -> str:
    spec: FieldSpec | None = next((s for s in CLAUSE_FIELDS if s.name == name), None)
    return (spec.description if spec and spec.description else name.replace("_", " ")).strip()


def _date_fact(
    name: str, date: tuple[int, int, str, str], confidence: float, *, evidence: tuple[int, int] | None = None
) -> Fact:
    start, end, raw, iso = date
    span = evidence or (start, end)
    return Fact(CONTRACT, name, iso, span[0], span[1], raw=raw, confidence=confidence)


def _period_fact(name: str, value: str, sentence: _Sentence, raw: str, raw_start: int, confidence: float) -> Fact:
    return Fact(CONTRACT, name, value, sentence.start, sentence.end, raw=raw, confidence=confidence)


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?{_MONTH}\.?\s*,?\s*(?:A\.D\.\s*)?\d{{4}}\b"
    r"|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(
    r"\b(?:agreement|contract|lease|licen[cs]e|amendment|addendum|memorandum|indenture|terms and conditions|"
    r"statement of work|order form|deed|charter|understanding)\b",
    re.IGNORECASE,
)
_LEGEND = re.compile(
    r"confidential treatment|redacted|securities and exchange|\bexhibit\b|\*\s*\*|\bpage\b|omitted", re.IGNORECASE
)
_PARTIES_CUE = re.compile(r"\b(?:by\s+and\s+(?:between|among)|between|among)\b", re.IGNORECASE)
_ROLE_STOP = re.compile(r"(?i)agreement|the agreement|effective date|party|parties|each|together|collectively")
_GENERIC_ROLES = frozenset(
    "company agent provider distributor licensor licensee supplier customer client buyer seller purchaser vendor "
    "contractor consultant employer employee executive franchisor reseller manufacturer landlord tenant lessor lessee "
    "bank trustee sponsor partner member investor corporation".split()
)
_DEFINED = re.compile(r"\(([^()]{0,120}?)[\"“”']([^\"“”']{1,60})[\"”“']([^()]{0,60}?)\)")
_ENTITY_END = re.compile(
    r",?\s+(?:a|an)\s+(?:[A-Z][\w.\-]*\s+){0,4}(?:corporation|company|limited|partnership|llc|l\.l\.c|bank"
    r"|association|trust|"
    r"entity|organi[sz]ation|individual|society|institution|joint|business|national|federal|state|public|private|"
    r"non-?profit|professional|general|cooperative|sole|statutory|exempted|\w+\s+(?:law|laws))\b",
    re.IGNORECASE,
)


def _parties_from(tail: str, offset: int) -> list[Fact]:
    """Parties named after "between": each name up to its first comma or bracket, with the role
    it is defined as ("Licensor") when one is."""
    facts: list[Fact] = []
    position = 0
    defined = [m for m in _DEFINED.finditer(tail)]
    segments: list[tuple[int, int, str | None]] = []
    for match in defined:
        role = " ".join(match.group(2).split())
        if _ROLE_STOP.fullmatch(role) or role.lower() in ("agreement", "effective date"):
            position = match.end()
            continue
        segments.append((position, match.start(), role))
        position = match.end()
    if not segments:  # no defined terms: "between A and B"
        parts = re.split(r"\s+and\s+|;", tail[:600], maxsplit=3)
        cursor = 0
        for part in parts[:3]:
            index = tail.find(part, cursor)
            segments.append((index, index + len(part), None))
            cursor = index + len(part)
    for seg_start, seg_end, role in segments:
        segment = tail[seg_start:seg_end]
        lead = re.match(r"[\s,;:]*(?:and\s+|and/or\s+)?(?:the\s+)?", segment, re.IGNORECASE)
        name_start = seg_start + (lead.end() if lead else 0)
        chunk = tail[name_start:seg_end]
        label = re.match(r"(?:[^:\n]{0,40}:\s*)?(?:Party\s+[A-Z]\s*:\s*)", chunk)  # "the following parties: Party A:"
        if label:
            name_start += label.end()
            chunk = chunk[label.end() :]
        end = _name_end(chunk)
        raw = chunk[:end].rstrip(" ,;:\n\t\xa0")
        if raw.endswith(".") and not re.search(r"(?:\b[A-Za-z]{1,4}|\b(?:[A-Za-z]\.)+[A-Za-z])\.$", raw):
            raw = raw[:-1]  # a full stop ending the sentence, not "Inc." or "B.V."
        value = " ".join(raw.split()).strip(" ,;:")
        if not (2 <= len(value) <= 120) or not re.search(r"[A-Z]", value[:1]) or _ROLE_STOP.fullmatch(value):
            continue
        if value.lower() in _GENERIC_ROLES and role is None:  # "between the Company and the Agent": defined elsewhere
            continue
        start = offset + name_start
        attributes = {"role": role} if role else {}
        facts.append(
            Fact(CONTRACT, "party", value, start, start + len(raw), raw=raw, confidence=0.8, attributes=attributes)
        )
        if len(facts) >= 6:
            break
    return facts


def _name_end(chunk: str) -> int:
    """Where a party's name ends: before ", a Delaware corporation", an address or a bracket."""
    cuts = [len(chunk)]
    entity = _ENTITY_END.search(chunk)
    if entity:
        cuts.append(entity.start())
    for pattern in (
        r"\(",
        r",\s*(?:with|having|whose|located|organi[sz]ed|incorporated|registered|doing|d/b/a|a\s|an\s|its|c/o|\d)",
        r"\s+(?:whose|having|dated|located|residing|acting|on\s+behalf|with\s+(?:its|a|an|offices|respect)"
        r"|in\s+respect)\b",
        r",\s*\d",
        r"\s+c/o\s",
        r"\s+(?:is|being)\s+(?:a|an|the)\s",  # "Acme Ltd is a company registered in ..."
        r"\s+of\s+[\[\d]",  # "Brett Haumann of [address]"
        rf"\s+{_MONTH}\.?\s+\d{{1,2}}\b",  # "... PFIZER INC. August 21, 2018"
    ):
        match = re.search(pattern, chunk, re.IGNORECASE)
        if match:
            cuts.append(match.start())
    # a comma not followed by a corporate suffix ("Acme, Inc." keeps its comma)
    for match in re.finditer(r",", chunk):
        if not re.match(
            r",\s*(?:Inc|Ltd|LLC|L\.L\.C|LLP|L\.P|LP|Corp|Co|N\.A|S\.A|B\.V|N\.V|AG|GmbH|PLC|Limited"
            r"|a\s+\w+\s+corporation)\b",
            chunk[match.start() :],
            re.IGNORECASE,
        ):
            cuts.append(match.start())
            break
    return min(cuts)


_EFFECTIVE_CUE = re.compile(
    r"[(\"“]\s*(?:the\s+|this\s+)?[\"“]?Effective\s+Date[\"”]?\s*[)\"”]|\beffective\s+(?:as\s+of|on|from|upon)\b"
    r"|\"?Effective\s+Date\"?\s+(?:means|shall\s+mean|shall\s+be|is)\b",
    re.IGNORECASE,
)
_EFFECTIVE_AS_DATED = re.compile(
    r"effective\s+(?:as\s+of\s+)?(?:the\s+)?(?:date\s+(?:first\s+)?(?:written|set\s+forth|stated|above)"
    r"|date\s+hereof|date\s+of\s+(?:this|execution))"
    r"|Effective\s+Date[\"”]?\s+(?:means|shall\s+mean)\s+the\s+date\s+(?:first\s+)?(?:written|set\s+forth|above"
    r"|hereof|of\s+this)",
    re.IGNORECASE,
)
_TERM_CUE = re.compile(
    r"\bterm\b|expir|terminat|remain\s+in\s+(?:full\s+)?(?:force|effect)|continue\s+in\s+(?:full\s+)?(?:force|effect)",
    re.IGNORECASE,
)
_EXPIRY_CUE = re.compile(
    r"\b(?:until|through|expir\w*\s+(?:on|at)|terminat\w*\s+on|ending\s+on|end\s+on|concluding(?:\s+on)?|thru"
    r"|to\s+and\s+including)\b",
    re.IGNORECASE,
)
_RENEWAL_CUE = re.compile(
    r"\brenew\w*|\bextend\w*\s+(?:automatically|for|the\s+term)|automatic(?:ally)?\s+(?:extend|continu)|\bsuccessive\b",
    re.IGNORECASE,
)
_RENEWAL_BEFORE = re.compile(
    r"successive|additional|renewal|further|consecutive|subsequent|renew\w*\s+(?:for|on)|for\s+(?:an?|one"
    r"|another)\s*$|extended\s+for|period(?:s|\(s\))?\s+of\s*$|terms?\s+of\s*$"
)
_NOTICE_AFTER = re.compile(
    r"^[\s'’)]*(?:\(\d+\)\s*)?(?:prior|before|in\s+advance|advance|written\s+notice|notice|of\s+notice|'\s*notice"
    r"|’\s*notice|preceding)"
)
_LAW_CUE = re.compile(
    r"\bgovern(?:ed|s|ing)?\b[^.;]{0,100}?\blaws?\b|\bconstru(?:ed|e|ction)\b[^.;]{0,100}?\blaws?\b"
    r"|\binterpret(?:ed|ation)?\b[^.;]{0,100}?\blaws?\b|subject\s+to\s+the\s+(?:\w+\s+)?laws?\b|\b(?:English"
    r"|[A-Z][a-z]+)\s+law\s+(?:shall|will)\s+(?:govern|apply)",
    re.IGNORECASE,
)
_GOVERNING_HEADING = re.compile(r"governing\s+law|choice\s+of\s+law|applicable\s+law", re.IGNORECASE)
_INCORPORATION = re.compile(
    r"\b(?:organi[sz]ed|incorporated|existing|formed|qualified|chartered|registered"
    r"|good\s+standing)\s+(?:and\s+\w+\s+)?under\b",
    re.IGNORECASE,
)
_STOPS_RENEWAL = re.compile(
    r"non-?\s*renew|not\s+(?:to\s+)?(?:be\s+)?renew|\bunless\b|terminat|cancel|elect\w*\s+not|intention\s+not",
    re.IGNORECASE,
)
_COMMENCES_ON = re.compile(
    r"\bterm\b[^.;]{0,60}?\b(?:shall\s+)?(?:begin|commence|start)(?:s|ing)?\s+(?:on|as\s+of)\s+", re.IGNORECASE
)
_NOT_THE_TERM = re.compile(
    r"surviv|warrant|confidential\w*\s+(?:information\s+)?(?:obligations|shall)|non-?compet|solicit|payment",
    re.IGNORECASE,
)
# the initial term as a period: "an initial term of two (2) years", "continue in effect for a period of
# five years from the Effective Date", "the two-year period following the Effective Date", "ends three years later"
_TERM_STATED = re.compile(  # the words before the period say it is the term
    r"(?:(?:initial|original|primary)\s+(?:term|period)\s+(?:of|shall\s+be|is)\s+(?:(?:a|the)\s+period\s+of\s+)?"
    r"|(?:for|during)\s+(?:an|the)\s+(?:initial\s+)?term\s+of\s+"
    r"|(?:continue|remain)\w*\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+(?:for|during)\s+"
    r"(?:(?:a|the)\s+(?:term|period)\s+of\s+)?"
    r"|(?:shall\s+be|is|remain)\s+valid\s+for\s+(?:(?:a|the)\s+(?:term|period)\s+of\s+)?"
    r"|term\s+of\s+this\s+\w+\s+(?:shall\s+be|is)\s+(?:for\s+)?(?:(?:a|the)\s+period\s+of\s+)?)$",
    re.IGNORECASE,
)
_TERM_BEFORE = re.compile(  # words that make a term of the period when what follows ties it to the start
    r"(?:(?:for|during)\s+(?:a|an|the)\s+(?:initial\s+)?(?:term|period)\s+of\s+"
    r"|(?:continue|remain|be\s+in\s+effect)\w*\s+for\s+(?:(?:a|the)\s+period\s+of\s+)?"
    r"|(?:during|for|within)\s+the\s+|\bends\s+|expire\w*\s+)$",
    re.IGNORECASE,
)
_TERM_AFTER = re.compile(
    r"^\s*(?:later\b|(?:period|term)?\s*(?:(?:following|after|from|commencing\s+(?:on|with)|beginning\s+(?:on|with))"
    r"\s+the\s+(?:Effective|Commencement|Start)\s+Date|(?:after|from)\s+the\s+date\s+(?:hereof|of\s+this))"
    r"|\s*\(\s*(?:the\s+)?\"?(?:Initial|Original)\s+(?:Term|Period))",
    re.IGNORECASE,
)


def _initial_term(body: str) -> tuple[str, int, int] | None:
    """("P2Y", start, end) of the initial term's length written in ``body``, or None."""
    for period in find_periods(body):
        if period.value is None or period.value.endswith(("D", "W")):
            continue
        before, after = body[max(0, period.start - 80) : period.start], body[period.end : period.end + 60]
        if re.match(r"[\s,]*(?:after|following|from)\s+(?:the\s+)?(?:termination|expiration|expiry)", after, re.I):
            continue  # a period after the term, not the term
        if _TERM_STATED.search(before) and re.search(r"\bterm\b|this\s+(?:agreement|lease|contract)", body, re.I):
            return period.value, period.start, period.end
        if _TERM_BEFORE.search(before) and (_TERM_AFTER.search(after) or re.search(r"initial|original", before, re.I)):
            return period.value, period.start, period.end
        if _TERM_AFTER.search(after) and re.search(r"\bterm\b", body, re.IGNORECASE):
            return period.value, period.start, period.end
    return None


_SUFFIX = re.compile(
    r"(?:\b(?:Inc|Incorporated|Corp|Corporation|Company|Co|LLC|L\.L\.C|Ltd|Limited|LP|L\.P|LLP|L\.L\.P|PLC|plc|AG|GmbH"
    r"|S\.A|SA|S\.p\.A|B\.V|N\.V|Pty|Bank|Association|Trust|Fund|Holdings|Partners|Group)\b\.?)\s*$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b(?:St|Street|Road|Rd|Avenue|Ave|Highway|Hwy|Boulevard|Blvd|Lane|Drive|Suite|Floor|POB|P\.?O\.? Box|Box"
    r"|Zone|Park|Plaza|Building|Tower|District)\b\.?",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z0-9][\w.&'’\-]*|&|of|and|de|la|du|der|van|von|the|for|\(\w+\))[,]?$")
_PARTY_ROLES = _GENERIC_ROLES | frozenset(
    "executive franchisee licensee licensor lead agents employer parties party shares plan offering".split()
)
_RECITALS = re.compile(
    r"\b(?:WHEREAS|RECITALS|BACKGROUND|WITNESSETH|NOW,? THEREFORE|AGREED TERMS)\b"
    r"|\n\s*(?:ARTICLE|Section|SECTION)\s+1\b"
    r"|\n\s*1\.\s+[A-Z]"
)
_RECITAL_START = re.compile(r"\b(?:WHEREAS|RECITALS|WITNESSETH)\b|(?m:^\s*Whereas\b)")
_BOUNDARY = re.compile(r"(?:^|\b(?:between|among|with|and|by|undersigned)\b|[:;,]|\(\d+\)|\n)\s*", re.IGNORECASE)


_NOT_A_NAME = re.compile(
    r"(?i)\b(?:this|agreement|exhibit|section|article|confidential|whereas|dated|page|schedule|amendment|addendum)\b"
    rf"|^{_MONTH}\.?\s+\d"
)


def _is_role(value: str) -> bool:
    return value.lower().removeprefix("the ") in _PARTY_ROLES or bool(re.fullmatch(r"(?i)party\s+[a-z0-9]", value))


def _recitals_start(text: str) -> int:
    """Where the recitals or the first clause begin (the parties are named before), within the head."""
    found = _RECITALS.search(text, 200, _HEAD_CHARS)
    return found.start() if found else min(len(text), 4000)


def _name_before(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The entity name in text[start:end] that a definition after it names: the first run of
    capitalised words after a boundary, cut before ", a Delaware corporation", an address."""
    for boundary in _BOUNDARY.finditer(text, start, end):
        name_start = boundary.end()
        if name_start >= end or not text[name_start].isupper():
            continue
        chunk = text[name_start:end]
        cut = _name_end(chunk)
        raw = chunk[:cut].rstrip(" ,;:\n\t\xa0")
        words = raw.split()
        if not (1 <= len(words) <= 10) or not all(_NAME_WORD.match(w) for w in words):
            continue
        if re.match(r"(?i)(?:this|the|such|each|all|any|whereas|ladies|dear|attention)\b", raw) or _NOT_A_NAME.search(
            raw
        ):
            continue
        if end - name_start > 240:  # a name is followed by a short description, not a paragraph
            continue
        return name_start, name_start + len(raw)
    return None


def _defined_parties(text: str, head_end: int) -> list[Fact]:
    """Parties defined before the recitals: 'Acme, Inc., a Delaware corporation (the "Company")'."""
    facts: list[Fact] = []
    previous = 0
    for match in _DEFINED.finditer(text, 0, head_end):
        role = " ".join(match.group(2).split())
        span = _name_before(text, previous, match.start())
        previous = match.end()
        if span is None or _ROLE_STOP.fullmatch(role):
            continue
        raw = text[span[0] : span[1]]
        value = " ".join(raw.split()).strip(" ,;:")
        if not (_SUFFIX.search(value) or _is_role(role) or len(value.split()) >= 2) or _is_role(value):
            continue
        if _ADDRESS.search(value) or len(value) < 3:
            continue
        facts.append(
            Fact(CONTRACT, "party", value, span[0], span[1], raw=raw, confidence=0.7, attributes={"role": role})
        )
    return facts[:8]


_LABEL = re.compile(r"(?m)(?:^|\s)(?P<role>Party\s+[A-Z]|Part\s+[A-Z]|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s*[:：]\s+")


def _labelled_parties(text: str, head_end: int) -> list[Fact]:
    """Parties written as labels: "Party A: Didi Chuxing Technology Co., Ltd." with a corporate suffix."""
    facts = []
    for match in _LABEL.finditer(text, 0, head_end):
        role = match["role"]
        if not (_is_role(role) or role.lower() in _PARTY_ROLES):
            continue
        chunk = text[match.end() : min(head_end, match.end() + 150)]
        line = re.split(r"\n|\s{3,}|\(|Legal Representative|Registration|Address", chunk)[0]
        raw = line[: _name_end(line)].rstrip(" ,;:")
        value = " ".join(raw.split())
        if 3 <= len(value) <= 100 and _SUFFIX.search(value) and value[0].isupper():
            start = match.end()
            facts.append(Fact(CONTRACT, "party", value, start, start + len(raw), raw=raw, confidence=0.6))
    return facts[:4]


_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)
_SIGNATORY = re.compile(
    r"(?m)(?:^|\s{2,})(?P<name>[A-Z][A-Za-z0-9.,&'’\- ]{2,80}?(?:\b(?:Inc|Incorporated|Corp|Corporation|Company|Co|LLC"
    r"|L\.L\.C|Ltd|Limited|LP|L\.P|LLP|PLC|AG|GmbH|S\.A|B\.V|N\.V|Pty|Bank|Association|Trust|Fund)\b\.?))"
    r"(?=\s*(?:\n|\s{2,}|By\b|$))",
)


def _signature_parties(text: str) -> list[Fact]:
    """Entity names (with a corporate suffix) in the last signature block ("IN WITNESS WHEREOF ... ACME INC. By:")."""
    blocks = list(_WITNESS.finditer(text))
    witness = blocks[-1] if blocks else None
    if witness is None:
        return []
    facts: list[Fact] = []
    end = min(len(text), witness.end() + 4000)
    sentence_end = text.find(".", witness.end(), end)
    for match in _SIGNATORY.finditer(text, sentence_end + 1 if sentence_end >= 0 else witness.end(), end):
        raw = match["name"].strip()
        raw = re.sub(r"^(?:[A-Z][A-Za-z ]{1,20}:\s*)", "", raw)  # "LICENSOR: ACME INC."
        value = " ".join(raw.split())
        if len(value.split()) > 9 or re.search(r"(?i)\b(?:by|name|title|its|date)\b\s*:", value):
            continue
        start = text.find(raw, match.start())
        facts.append(Fact(CONTRACT, "party", value, start, start + len(raw), raw=raw, confidence=0.55))
    return facts[:8]


_PARTY_LEAD = re.compile(r"^(?:the\s+)?part(?:y|ies)\s+(?:to|of)\s+(?:this|the)\s+\w+\s*[:\-]?\s*", re.IGNORECASE)
_NAME_LINKS = frozenset(
    "of and & de la du der des van von the for und y e et da do di del f/k/a d/b/a a/k/a fka dba aka".split()
)


def _tidy_party(fact: Fact) -> Fact | None:
    """The name without a leading label ("Parties to this agreement ACME") and cut before the first
    lower-case word that links no name ("IBM will provide ...", "Cisco governing ..."): a name is
    capitalised words joined by "of", "and", "f/k/a" and the like. The evidence stays the same."""
    value = _PARTY_LEAD.sub("", fact.value)
    words = value.split()
    for i, word in enumerate(words):
        bare = word.strip(",.;:()\"'")
        if i and bare and bare.islower() and bare not in _NAME_LINKS:
            value = " ".join(words[:i])
            break
    value = re.sub(r"(?:[\s,;:(]|\b(?:and|of|the|for|&))+$", "", value).strip()
    if not value or not re.search(r"[A-Z0-9]", value):
        return None if value != fact.value else fact
    return fact if value == fact.value else replace(fact, value=value)


def _party_key(value: str) -> frozenset[str]:
    stop = {"the", "and", "of", "inc", "corp", "corporation", "ltd", "limited", "llc", "co", "company", "l", "p"}
    return frozenset(w for w in re.findall(r"\w+", value.casefold()) if w not in stop)


def _merge_parties(facts: list[Fact], found: list[Fact]) -> list[Fact]:
    """``facts`` with roles replaced by the names defined as them, then the new names added."""
    by_role = {f.attributes.get("role", "").casefold(): f for f in found if f.attributes.get("role")}
    merged: list[Fact] = []
    for fact in facts:
        if _is_role(fact.value) and fact.value.casefold().removeprefix("the ") in by_role:
            fact = by_role[fact.value.casefold().removeprefix("the ")]
        merged.append(fact)
    for fact in found:
        key = _party_key(fact.value)
        if not key or _is_role(fact.value) or _NOT_A_NAME.search(fact.value):
            continue
        if any(key <= _party_key(m.value) or _party_key(m.value) <= key for m in merged if _party_key(m.value)):
            continue
        merged.append(fact)
    unique: list[Fact] = []
    for fact in merged:
        if all(_party_key(u.value) != _party_key(fact.value) for u in unique):
            unique.append(fact)
    return unique[:8]
