"""VADER with clinical negation: a finding that is absent is not a negative sentiment.

Plain VADER reads "No evidence of malignancy." as negative (-0.30) and "Patient denies
chest pain." as strongly negative (-0.73): the cue words ("denies", "negative", "no") and
the negated findings ("pain") carry negative valence. Medical text is full of such
pertinent negatives, so before VADER sees a sentence this module rewrites it, in the
spirit of NegEx:

* a *negation cue* ("no evidence of", "negative for", "denies", "without", "no acute",
  "free of", ...) becomes the neutral negator "not", and every negative-valence word in its
  scope (to the end of the clause, at most ``SCOPE`` words) is dropped, so positive words
  after it are still flipped by VADER ("no improvement" stays negative);
* a *relief cue* ("relieved", "got rid of", "helped with", ...) is kept, and the negative
  words it acts on are dropped ("it relieved my pain" is about relief, not pain);
* a *post cue* ("unremarkable", "resolved", "went away", "was negative", ...) drops the
  negative words before it in its clause ("The pain has resolved." reads as positive).

Dropping, rather than flipping, a negated finding makes "No evidence of malignancy."
neutral, not positive: the absence of a finding is reassuring but is not praise.
Clauses end at sentence punctuation and at contrast words ("but", "however"), so
"denies pain but reports severe nausea" keeps "severe nausea".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from analysis.jobs.sentiment.results import SentimentResult

NEGATION_VERSION = "clinical-negation-v1"
SCOPE = 12  # words a cue reaches; NegEx uses 5, but clinical lists ("denies fever, chills or pain") run longer

_NEGATION_CUES: tuple[str, ...] = (
    "no evidence of",
    "no evidence for",
    "no signs of",
    "no sign of",
    "no symptoms of",
    "no history of",
    "no complaints of",
    "no complaint of",
    "no acute",
    "no new",
    "no",
    "negative for",
    "denies",
    "denied",
    "deny",
    "denying",
    "without",
    "free of",
    "absence of",
    "absent",
    "ruled out for",
    "rules out",
    "never had",
    "resolution of",
)
_RELIEF_CUES: tuple[str, ...] = (
    "relieved",
    "relieves",
    "relief from",
    "relief of",
    "got rid of",
    "gets rid of",
    "get rid of",
    "eliminated",
    "eliminates",
    "reduced",
    "reduces",
    "decreased",
    "decreases",
    "lessened",
    "prevents",
    "prevented",
    "cured",
    "cures",
    "helped with",
    "helps with",
    "helped",
    "helps",
    "treats",
    "controls",
    "controlled",
)
_POST_CUES: tuple[str, ...] = (
    "unremarkable",
    "resolved",
    "resolving",
    "has resolved",
    "went away",
    "goes away",
    "go away",
    "gone",
    "subsided",
    "disappeared",
    "cleared",
    "ruled out",
    "within normal limits",
    "was negative",
    "were negative",
    "is negative",
    "are negative",
    "came back negative",
    "tested negative",
    "returned negative",
)
# Post cues whose own words are negative ("negative") are removed along with what they negate.
_DROP_POST_CUE = {cue for cue in _POST_CUES if cue.endswith("negative")}

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_CLAUSE_END = re.compile(r"[.;:!?\n]+|\b(?:but|however|although|though|except|yet|whereas)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    lower: str


def _phrases(cues: Sequence[str]) -> list[tuple[str, ...]]:
    """Cues as word tuples, longest first, so "no evidence of" wins over "no"."""
    return sorted((tuple(c.split()) for c in cues), key=len, reverse=True)


_NEG = _phrases(_NEGATION_CUES)
_RELIEF = _phrases(_RELIEF_CUES)
_POST = _phrases(_POST_CUES)


def _match(words: list[str], i: int, phrases: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    for phrase in phrases:
        if tuple(words[i : i + len(phrase)]) == phrase:
            return phrase
    return None


def _clauses(text: str) -> list[list[_Token]]:
    clauses: list[list[_Token]] = []
    start = 0
    for boundary in [*_CLAUSE_END.finditer(text), None]:
        end = boundary.start() if boundary is not None else len(text)
        tokens = [
            _Token(start + m.start(), start + m.end(), m.group().lower()) for m in _WORD.finditer(text[start:end])
        ]
        if tokens:
            clauses.append(tokens)
        if boundary is not None:
            start = boundary.end()
    return clauses


def rewrite_clinical_negation(text: str, lexicon: dict[str, float]) -> str:
    """The text with negated negative findings dropped and negation cues replaced by "not".

    Only character spans are replaced, so VADER still sees the original capitals and
    punctuation of everything that is kept.
    """
    edits: dict[int, tuple[int, str]] = {}  # start -> (end, replacement)

    def is_negative(token: _Token) -> bool:
        return lexicon.get(token.lower, 0.0) < 0

    for tokens in _clauses(text):
        words = [t.lower for t in tokens]
        i = 0
        while i < len(tokens):
            if cue := _match(words, i, _NEG):
                first, last = tokens[i], tokens[i + len(cue) - 1]
                edits[first.start] = (last.end, "not")
                scope = tokens[i + len(cue) : i + len(cue) + SCOPE]
            elif cue := _match(words, i, _RELIEF):
                scope = tokens[i + len(cue) : i + len(cue) + SCOPE]
            elif cue := _match(words, i, _POST):
                scope = tokens[max(0, i - SCOPE) : i]
                if " ".join(cue) in _DROP_POST_CUE:
                    first, last = tokens[i], tokens[i + len(cue) - 1]
                    edits[first.start] = (last.end, "")
            else:
                i += 1
                continue
            for token in scope:
                if is_negative(token) and token.start not in edits:
                    edits[token.start] = (token.end, "")
            i += len(cue)
    if not edits:
        return text
    parts: list[str] = []
    cursor = 0
    for start in sorted(edits):
        end, replacement = edits[start]
        if start < cursor:
            continue
        parts.append(text[cursor:start])
        parts.append(replacement)
        cursor = end
    parts.append(text[cursor:])
    return re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()


def _vader_version() -> str:
    try:
        return version("vaderSentiment")
    except PackageNotFoundError:  # pragma: no cover - an unpackaged checkout
        return "unknown"


class LexiconScorer:
    """VADER compound on the negation-rewritten text, cut into three labels by two thresholds.

    The thresholds default to VADER's own ±0.05. ``clinical_negation=False`` gives plain
    VADER, the baseline the benchmark compares against.
    """

    backend = "lexicon"
    prompt_hash = ""

    def __init__(
        self, *, negative_below: float = -0.05, positive_above: float = 0.05, clinical_negation: bool = True
    ) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        if not -1.0 <= negative_below <= positive_above <= 1.0:
            raise ValueError(
                f"need -1 <= negative_below <= positive_above <= 1, got {negative_below}, {positive_above}"
            )
        self._analyzer = SentimentIntensityAnalyzer()
        self.negative_below = negative_below
        self.positive_above = positive_above
        self.clinical_negation = clinical_negation
        suffix = f"+{NEGATION_VERSION}" if clinical_negation else ""
        self.model_id = f"vader-{_vader_version()}{suffix}"

    def polarity(self, text: str) -> dict[str, float]:
        """VADER's neg/neu/pos/compound for one text, after the clinical rewrite when enabled."""
        if self.clinical_negation:
            text = rewrite_clinical_negation(text, self._analyzer.lexicon)
        return dict(self._analyzer.polarity_scores(text))

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 4) float32 of neg, neu, pos, compound: cheap text features for the embedding head."""
        rows = [self.polarity(t) for t in texts]
        return np.asarray([[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows], dtype=np.float32)

    def label_for(self, compound: float) -> SentimentResult:
        """Cut a compound score; confidence grows with the distance from the nearest threshold."""
        compound = float(np.clip(compound, -1.0, 1.0))
        if compound > self.positive_above:
            label, margin, room = "positive", compound - self.positive_above, 1.0 - self.positive_above
        elif compound < self.negative_below:
            label, margin, room = "negative", self.negative_below - compound, 1.0 + self.negative_below
        else:
            label = "neutral"
            half = (self.positive_above - self.negative_below) / 2 or 1.0
            centre = (self.positive_above + self.negative_below) / 2
            margin, room = half - abs(compound - centre), half
        confidence = float(np.clip(0.5 + 0.5 * margin / room, 0.0, 1.0)) if room > 0 else 1.0
        return SentimentResult(label=label, score=compound, confidence=confidence)

    def score(self, texts: Sequence[str], *, vectors: np.ndarray | None = None) -> list[SentimentResult]:
        """Label each text; ``vectors`` is accepted for the common interface and ignored."""
        return [self.label_for(self.polarity(t)["compound"]) for t in texts]
