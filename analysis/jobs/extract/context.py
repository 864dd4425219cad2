"""ConText-style assertion rules (Harkema et al., 2009): is a mention negated, uncertain,
historical or about a family member?

medSpaCy's ConText was the first choice, but medspacy 1.3.1 and PyRuSH pin ``spacy<3.8`` on
Python 3.11 while the project pins spaCy 3.8, so the algorithm is implemented here: trigger
phrases with a direction (forward, backward or both) open a scope that runs to the end of the
sentence, a termination term, or a window of tokens; pseudo-triggers ("no increase",
"gram negative") block the triggers they contain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

NEGATED_EXISTENCE = "NEGATED_EXISTENCE"
POSSIBLE_EXISTENCE = "POSSIBLE_EXISTENCE"
HISTORICAL = "HISTORICAL"
FAMILY = "FAMILY"
CATEGORIES: tuple[str, ...] = (NEGATED_EXISTENCE, POSSIBLE_EXISTENCE, HISTORICAL, FAMILY)

FORWARD, BACKWARD, BIDIRECTIONAL = "forward", "backward", "bidirectional"
_WINDOW = 12  # tokens a scope reaches beyond its trigger


@dataclass(frozen=True)
class Rule:
    """One trigger phrase (lower case, whole tokens) and what it asserts, in which direction."""

    phrase: str
    category: str
    direction: str = FORWARD


def _rules(category: str, direction: str, phrases: str) -> list[Rule]:
    return [Rule(p.strip(), category, direction) for p in phrases.split("|") if p.strip()]


RULES: tuple[Rule, ...] = tuple(
    _rules(
        NEGATED_EXISTENCE,
        FORWARD,
        "no|not|denies|denied|denying|deny|negative for|without|free of|no evidence of|"
        "no signs of|no sign of|absence of|no history of|never had|no complaints of|resolution of|rules out|"
        "ruled out for|not demonstrate|did not show|does not show|no further|negative|nor|none|neither|"
        "never developed|with no|not have|did not have|no new|no acute|no findings of|no suspicious|without any|"
        "no definite|no obvious|no focal|no significant|no pathologic|not see|fails to reveal|absent",
    )
    + _rules(
        NEGATED_EXISTENCE,
        BACKWARD,
        "is ruled out|was ruled out|were ruled out|has been ruled out|"
        "have been ruled out|is negative|was negative|were negative|are negative|unlikely|not seen|"
        "is absent|was absent|were absent|not present|not identified|not demonstrated|is not|was not|"
        "has resolved|have resolved|free",
    )
    + _rules(
        POSSIBLE_EXISTENCE,
        FORWARD,
        "possible|possibly|probable|probably|questionable|question of|suspected|"
        "suspect|suspicious for|concern for|concerning for|rule out|rule him out for|rule her out for|"
        "r/o|ro|evaluate for|evaluation for|to evaluate|may represent|may be|might be|could be|"
        "likely|differential diagnosis|differential includes|worrisome for|cannot exclude|"
        "can not exclude|cannot rule out|consider|considered|presumed|presumably|query",
    )
    + _rules(
        POSSIBLE_EXISTENCE,
        BACKWARD,
        "cannot be ruled out|cannot be excluded|can not be excluded|"
        "is not excluded|not excluded|is possible|is suspected|is questionable|is likely|was suspected|"
        "are possible|?|is a consideration|versus",
    )
    + _rules(POSSIBLE_EXISTENCE, BIDIRECTIONAL, "versus|vs|or possibly")
    + _rules(
        HISTORICAL,
        FORWARD,
        "history of|h/o|hx of|past history of|previous|previously|prior|status post|"
        "s/p|remote|past medical history of|childhood|as a child|in the past|known",
    )
    + _rules(HISTORICAL, BACKWARD, "in the past|as a child|years ago|months ago")
    + _rules(
        FAMILY,
        FORWARD,
        "family history of|family history|fh of|fhx|mother|father|brother|sister|mom|dad|"
        "aunt|uncle|grandmother|grandfather|grandparent|sibling|siblings|parents|cousin|maternal|paternal|"
        "brothers|sisters|daughter's|son's",
    )
    + _rules(
        FAMILY,
        BACKWARD,
        "in his mother|in her mother|in his father|in her father|in his brother|"
        "in her brother|in his sister|in her sister|in the mother|in the father|in mother|in father|"
        "runs in the family|in the family|in his family|in her family",
    )
)

# Phrases that contain a trigger but assert nothing; they block the triggers inside them.
PSEUDO: tuple[str, ...] = (
    "no increase",
    "no change",
    "no significant change",
    "not only",
    "not necessarily",
    "not certain whether",
    "not certain if",
    "gram negative",
    "gram-negative",
    "without difficulty",
    "without complication",
    "without complications",
    "no further workup",
    "not drain",
    "not extend",
    "not cause",
    "no interval change",
    "history of present illness",
    "no longer",
    "not been",
    "not improve",
    "not clear",
    "whether or not",
    "no known drug allergies",
    "negative pressure",
    "free water",
    "likely due to",
    "known drug allergies",
    "prior to",
    "prior to admission",
    "previously healthy",
    "no acute distress",
    "not tolerate",
    "without contrast",
    "with and without contrast",
    "not well controlled",
    "not at goal",
    "at goal",
)

# Words that end a scope: a clause that turns to something else.
TERMINATIONS: frozenset[str] = frozenset(
    {
        "but",
        "however",
        "yet",
        "though",
        "although",
        "aside from",
        "except",
        "apart from",
        "which",
        "who",
        "presents",
        "presented",
        "presenting",
        "presents with",
        "reports",
        "reported",
        "complains",
        "complained",
        "secondary to",
        "because",
        "since",
        "now",
        "currently",
        "today",
        "cause of",
        "source of",
        "etiology of",
        "reason for",
        "origin for",
        "nevertheless",
        "still",
        "admits",
        "admitted",
        "has",
        "had",
        "is",
        "was",
        "are",
        "were",
        "showed",
        "shows",
        "revealed",
        "reveals",
        "consistent with",
        "then",
        "treated",
        "started",
    }
)
# Terminations that do not end the scopes of these categories ("history of X with Y" keeps Y historical).
_KEEPS_SCOPE = {
    HISTORICAL: frozenset({"has", "had", "is", "was"}),
    FAMILY: frozenset({"has", "had", "is", "was", "who"}),
    POSSIBLE_EXISTENCE: frozenset({"is", "was"}),
}
_SEPARATORS = re.compile(r"[;:]")

_TOKEN = re.compile(r"\?|[^\W_]+(?:[-'/][^\W_]+)*", re.UNICODE)


def _phrase_table(phrases: Sequence[str]) -> dict[tuple[str, ...], str]:
    return {tuple(_TOKEN.findall(p.lower())): p for p in phrases}


_RULES_BY_TOKENS: dict[tuple[str, ...], list[Rule]] = {}
for _rule in RULES:
    _RULES_BY_TOKENS.setdefault(tuple(_TOKEN.findall(_rule.phrase.lower())), []).append(_rule)
_PSEUDO = _phrase_table(PSEUDO)
_TERMS = _phrase_table(sorted(TERMINATIONS))
_MAX_PHRASE = max(len(k) for k in [*_RULES_BY_TOKENS, *_PSEUDO, *_TERMS])


@dataclass(frozen=True)
class Assertion:
    """The categories that apply to one target span."""

    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    family: bool = False


@dataclass(frozen=True)
class _Hit:
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # character offsets in the sentence
    end: int
    rules: tuple[Rule, ...] = ()
    text: str = ""


def _scan(tokens: list[re.Match[str]]) -> tuple[list[_Hit], list[_Hit]]:
    """Triggers and terminations, longest match first; pseudo-triggers swallow what they cover."""
    words = [t.group(0).lower() for t in tokens]
    triggers: list[_Hit] = []
    terms: list[_Hit] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            key = tuple(words[i : i + n])
            hit = _Hit(i, i + n - 1, tokens[i].start(), tokens[i + n - 1].end())
            if key in _PSEUDO:
                break
            if key in _RULES_BY_TOKENS:
                triggers.append(_Hit(hit.first, hit.last, hit.start, hit.end, tuple(_RULES_BY_TOKENS[key])))
                break
            if key in _TERMS:
                terms.append(_Hit(hit.first, hit.last, hit.start, hit.end, text=" ".join(key)))
                break
        else:
            n = 1
        i += n
    return triggers, terms


def assert_targets(
    sentence: str, targets: Sequence[tuple[int, int]], *, concepts: Sequence[tuple[int, int]] = ()
) -> list[Assertion]:
    """The assertion for each (start, end) target, offsets relative to ``sentence``.

    ``concepts`` are spans of other recognised concepts: a trigger word inside one ("migraine
    without aura") is part of its name and asserts nothing.
    """
    tokens = list(_TOKEN.finditer(sentence))
    triggers, terms = _scan(tokens)
    spans = [*targets, *concepts]
    triggers = [t for t in triggers if not any(t.start < e and t.end > s for s, e in spans)]
    separators = [m.start() for m in _SEPARATORS.finditer(sentence)]
    results = []
    for start, end in targets:
        found: set[str] = set()
        t_first = next((k for k, t in enumerate(tokens) if t.end() > start), len(tokens))
        t_last = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].start() < end), -1)
        for trig in triggers:
            for rule in trig.rules:
                if rule.category in found:
                    continue
                if trig.end <= start and rule.direction in (FORWARD, BIDIRECTIONAL):
                    if (
                        t_first - trig.last <= _WINDOW
                        and not _ended(rule, trig.end, start, terms, separators)
                        and not (rule.category in _LIST_SCOPED and _list_ended(sentence, trig.end, start))
                    ):
                        found.add(rule.category)
                elif (
                    trig.start >= end
                    and rule.direction in (BACKWARD, BIDIRECTIONAL)
                    and trig.first - t_last <= _WINDOW // 2
                    and not _ended(rule, end, trig.start, terms, separators)
                ):
                    found.add(rule.category)
        results.append(
            Assertion(
                negated=NEGATED_EXISTENCE in found,
                uncertain=POSSIBLE_EXISTENCE in found,
                historical=HISTORICAL in found,
                family=FAMILY in found,
            )
        )
    return results


_LIST_SCOPED = frozenset({NEGATED_EXISTENCE, POSSIBLE_EXISTENCE})
_COORDINATION = re.compile(r"\b(?:and|or|nor)\b", re.IGNORECASE)


def _list_ended(sentence: str, left: int, right: int) -> bool:
    """A comma ends a forward scope unless a list goes on after it ("no fever, chills or cough"):
    in "pain without radiculopathy, osteoarthritis of the knee" the knee is not negated."""
    comma = sentence.find(",", left, right)
    if comma < 0:
        return False
    rest = sentence[comma:]
    stop = re.search(r"[;:.]", rest)
    return not _COORDINATION.search(rest[: stop.start()] if stop else rest)


def _ended(rule: Rule, left: int, right: int, terms: list[_Hit], separators: list[int]) -> bool:
    """Whether a termination term or a ';'/':' lies between the trigger and the target."""
    keep = _KEEPS_SCOPE.get(rule.category, frozenset())
    if any(left <= s < right for s in separators):
        return True
    return any(left <= t.start and t.end <= right and t.text not in keep for t in terms)
