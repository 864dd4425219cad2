"""ConText-style assertion rules (Harkema et al., 2009): is a mention negated, uncertain,
hypothetical, historical or about a family member?

medSpaCy's ConText was the first choice, but medspacy 1.3.1 and PyRuSH pin ``spacy<3.8`` on
Python 3.11 while the project pins spaCy 3.8, so the algorithm is implemented here: trigger
phrases with a direction (forward, backward or both) open a scope that runs to the end of the
sentence, a termination term, a new clause after a comma, or a window of tokens;
pseudo-triggers ("no increase", "gram negative") block the triggers they contain.

Many trigger and termination phrases below are taken from medSpaCy's English rule list
(``resources/en/context_rules.json``, github.com/medspacy/medspacy, MIT licence,
Copyright (c) 2020 medspacy), spelled out from its token patterns.

Triggers may overlap ("were negative for infection" holds the backward "were negative" and the
forward "negative for"); a trigger inside a longer one ("not" in "not ruled out") yields to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

NEGATED_EXISTENCE = "NEGATED_EXISTENCE"
POSSIBLE_EXISTENCE = "POSSIBLE_EXISTENCE"
HYPOTHETICAL = "HYPOTHETICAL"
HISTORICAL = "HISTORICAL"
FAMILY = "FAMILY"
CATEGORIES: tuple[str, ...] = (NEGATED_EXISTENCE, POSSIBLE_EXISTENCE, HYPOTHETICAL, HISTORICAL, FAMILY)

FORWARD, BACKWARD, BIDIRECTIONAL = "forward", "backward", "bidirectional"
_WINDOW = 20  # tokens a forward scope reaches beyond its trigger ("Negative for ..." lists run long)
_BACK_WINDOW = 6  # tokens a backward scope reaches before its trigger


@dataclass(frozen=True)
class Rule:
    """One trigger phrase (lower case, whole tokens) and what it asserts, in which direction."""

    phrase: str
    category: str
    direction: str = FORWARD
    scope: int = _WINDOW  # tokens the scope reaches


def _rules(category: str, direction: str, phrases: str, *, scope: int | None = None) -> list[Rule]:
    window = scope or (_WINDOW if direction != BACKWARD else _BACK_WINDOW)
    return [Rule(p.strip(), category, direction, window) for p in phrases.split("|") if p.strip()]


RULES: tuple[Rule, ...] = tuple(
    _rules(
        NEGATED_EXISTENCE,
        FORWARD,
        "no|not|n't|denies|denied|denying|deny|negative for|without|free of|no evidence of|no evidence|"
        "no signs of|no sign of|absence of|no history of|never had|no complaints of|resolution of|rules out|"
        "ruled out for|not demonstrate|did not show|does not show|no further|negative|nor|none|neither|"
        "never developed|with no|not have|did not have|no new|no acute|no findings of|no suspicious|without any|"
        "no definite|no obvious|no focal|no significant|no pathologic|not see|fails to reveal|absent|"
        # medSpaCy
        "adequate to rule out|can rule out|clear of|decline|declined|declines|declining|does not look like|"
        "inconsistent with|lack of|lacked|lacks|no abnormal|no cause of|no findings to indicate|not appear|"
        "not appreciate|not appreciated|not exhibit|not feel|not had|not reveal|not associated with|"
        "not complain of|not have evidence of|not known to have|not to be|rather than|"
        "unremarkable for|was not|without any evidence of|without evidence of|no other|denies any|no prior|"
        "no complaint of|ruled the patient out",
    )
    + _rules(
        NEGATED_EXISTENCE,
        BACKWARD,
        "is ruled out|was ruled out|were ruled out|has been ruled out|are ruled out|"
        "have been ruled out|is negative|was negative|were negative|are negative|unlikely|not seen|"
        "is absent|was absent|were absent|not present|not identified|not demonstrated|is not|was not|"
        "has resolved|have resolved|free|has been negative|no longer present|"
        "are not evident|is not evident|not evident|negative on|prophylaxis|not noted|not found|were not",
    )
    + _rules(
        POSSIBLE_EXISTENCE,
        FORWARD,
        "possible|possibly|probable|probably|questionable|question of|suspected|"
        "suspect|suspicious for|concern for|concerning for|rule out|rule him out for|rule her out for|"
        "r/o|ro|evaluate for|evaluation for|to evaluate|may represent|may be|might be|could be|"
        "likely|differential diagnosis|differential includes|worrisome for|cannot exclude|"
        "can not exclude|cannot rule out|consider|considered|presumed|presumably|query|"
        "might|might have|may have|may also have|may reflect|may indicate|could represent|could have|"
        "suggestive of|suggests|suggesting|concerned about|worried about|doubt|possibility of|"
        "rule the patient out|rule the patient out for|what must be ruled out is|to exclude|to rule out|"
        "may be ruled out for|equivocal for|presumptive",
    )
    + _rules(
        POSSIBLE_EXISTENCE,
        BACKWARD,
        "cannot be ruled out|cannot be excluded|can not be excluded|could not be excluded|could not be ruled out|"
        "is not excluded|not excluded|is possible|is suspected|is questionable|is likely|was suspected|"
        "are possible|?|is a consideration|versus|did not rule out|may be ruled out|not ruled out|"
        "is to be ruled out|not be excluded|is a possibility|was considered",
    )
    + _rules(POSSIBLE_EXISTENCE, BIDIRECTIONAL, "versus|vs|or possibly")
    + _rules(
        HYPOTHETICAL,
        FORWARD,
        "if|should he|should she|should they|should the patient|should the pt|should patient|should there|"
        "should any|should it|should this|come back for|come back to|come back if|return for|return with|"
        "in case of|in the event of|in case|risk of|risks of|risks include|risks including|"
        "complications including|complications such as|watch for|monitor for|warning signs of|"
        "to prevent|prevention of|unless|whether|in order to prevent|to avoid",
    )
    + _rules(
        HISTORICAL,
        FORWARD,
        "history of|h/o|hx of|past history of|status post|s/p|past medical history of|as a child|in the past|"
        "past history|past medical history|medical history significant for|history significant for|"
        "history remarkable for|history positive for|history notable for|surgical history of",
    )
    # Modifiers reach only the noun phrase they stand in ("previous MI", "known coronary disease").
    + _rules(HISTORICAL, FORWARD, "previous|previously|prior|remote|childhood|known", scope=4)
    + _rules(HISTORICAL, BACKWARD, "in the past|as a child|years ago|months ago|in childhood")
    + _rules(FAMILY, FORWARD, "family history of|family history|fh of|fhx")
    # A relative's name reaches a short clause ("mother with breast cancer", "her father died of a stroke").
    + _rules(
        FAMILY,
        FORWARD,
        "mother|father|brother|sister|mom|dad|"
        "aunt|uncle|grandmother|grandfather|grandparent|sibling|siblings|parents|cousin|maternal|paternal|"
        "brothers|sisters|daughter's|son's|aunts|uncles|cousins|grandparents|grandmothers|grandfathers|"
        "mother's|father's|brother's|sister's",
        scope=6,
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
    "as if",
    "even if",
    "if necessary",
    "if needed",
    "if indicated",
    "if possible",
    "if so",
    "risk factors",
    "risk factor",
    "no risk",
    "free air",
    "sugar free",
    "free fluid",
    "no improvement",
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
        "except for",
        "apart from",
        "which",
        "who",
        "presents",
        "presented",
        "presenting",
        "presents with",
        "presentation",
        "comes in with",
        "came in with",
        "reports",
        "reported",
        "complains",
        "complained",
        "complaining of",
        "for complaint of",
        "with complaint of",
        "with a complaint of",
        "with complaints of",
        "comes to",
        "came to",
        "comes in",
        "came in",
        "states",
        "stated",
        "notes",
        "says",
        "said",
        "other than",
        "instead",
        "show",
        "endorses",
        "endorsed",
        "admits to",
        "positive for",
        "significant for",
        "remarkable for",
        "secondary to",
        "secondary",
        "because",
        "since",
        "now",
        "currently",
        "today",
        "cause of",
        "cause for",
        "as a cause for",
        "source of",
        "source for",
        "etiology of",
        "reason for",
        "origin for",
        "trigger event for",
        "other possibilities of",
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
    HISTORICAL: frozenset({"has", "had", "is", "was", "significant for", "remarkable for", "positive for"}),
    FAMILY: frozenset({"has", "had", "is", "was", "who", "significant for", "remarkable for", "positive for"}),
    POSSIBLE_EXISTENCE: frozenset({"is", "was"}),
    HYPOTHETICAL: frozenset({"has", "had", "is", "was", "are", "were", "then"}),
}
# ';' lists go on under "history of" ("history of asthma; gout; hypertension").
_SEMICOLON_LISTS = frozenset({HISTORICAL, FAMILY})
_SEPARATORS = re.compile(r"[;:]|[.!?](?=\s+[\"'(]?[A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]|\b(?:vs|Dr|Mr|Mrs|Ms|St|No|approx|Jr|Sr|etc|e\.g|i\.e))\.$")
# After a comma, these open a new clause: the list that a trigger opened is over.
_NEW_CLAUSE = re.compile(
    r",\s*(?:and\s+|or\s+|then\s+|so\s+)?(?:he|she|they|it|we|i|the patient|patient|pt|this|there|which|who|"
    r"but|however|although|though|while|whereas|otherwise|return|call|she'?s|he'?s|just|only|except|other than|"
    r"may|might|could|would|will)\b",
    re.IGNORECASE,
)
# Triggers after which a comma ends the scope when a concept comes before them in the clause:
# in "pain without radiculopathy, osteoarthritis of the knee" the knee is not negated.
_COMMA_BOUND = frozenset({"without", "with no", "without any", "no", "not"})
# "one-week history of cough", "3-year history of diabetes": a duration, not a past problem.
_DURATION = re.compile(r"(?:^|-)(?:hours?|days?|weeks?|months?|years?|yrs?|wks?)$")

_TOKEN = re.compile(r"\?|[^\W_]+(?:[-'/][^\W_]+)*|n't", re.UNICODE)


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
    hypothetical: bool = False  # "if she develops fever": not a problem the patient has


@dataclass(frozen=True)
class _Hit:
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # character offsets in the sentence
    end: int
    rules: tuple[Rule, ...] = ()
    text: str = ""


def _scan(tokens: list[re.Match[str]]) -> tuple[list[_Hit], list[_Hit]]:
    """Triggers and terminations, the longest at each token. Triggers may overlap, but one inside
    a longer trigger or pseudo-trigger is dropped; a termination inside a trigger still ends
    the scopes of other triggers ("has not had any wheezing and is not taking ... for asthma")."""
    words = [t.group(0).lower() for t in tokens]
    found: list[tuple[int, int, str]] = []  # first, last, table
    for i in range(len(words)):
        for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            key = tuple(words[i : i + n])
            if key in _PSEUDO:
                found.append((i, i + n - 1, "pseudo"))
            elif key in _RULES_BY_TOKENS:
                found.append((i, i + n - 1, "rule"))
            elif key in _TERMS:
                found.append((i, i + n - 1, "term"))
            else:
                continue
            break

    by_first = {h[0]: h for h in found}  # at most one hit starts at each token

    def inside(h: tuple[int, int, str], tables: tuple[str, ...]) -> bool:
        for first in range(max(0, h[0] - _MAX_PHRASE), h[0] + 1):
            o = by_first.get(first)
            if o and o[2] in tables and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0]:
                return True
        return False

    triggers: list[_Hit] = []
    terms: list[_Hit] = []
    for h in found:
        first, last, table = h
        key = tuple(words[first : last + 1])
        start, end = tokens[first].start(), tokens[last].end()
        if table == "rule" and not inside(h, ("rule", "term", "pseudo")):
            if key[0] == "history" and first > 0 and _DURATION.search(words[first - 1]):
                continue
            triggers.append(_Hit(first, last, start, end, tuple(_RULES_BY_TOKENS[key])))
        elif table == "term" and not inside(h, ("term", "pseudo")):
            terms.append(_Hit(first, last, start, end, text=" ".join(key)))
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
    separators = [
        (m.start(), m.group(0))
        for m in _SEPARATORS.finditer(sentence)
        if not _ABBREVIATION.search(sentence[max(0, m.start() - 6) : m.end()])
    ]
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
                        t_first - trig.last <= rule.scope
                        and not _ended(rule, trig.end, start, terms, separators, forward=True)
                        and not _comma_ended(sentence, rule, trig, start, spans)
                    ):
                        found.add(rule.category)
                elif (
                    trig.start >= end
                    and rule.direction in (BACKWARD, BIDIRECTIONAL)
                    and trig.first - t_last <= min(rule.scope, _BACK_WINDOW)
                    and not _ended(rule, end, trig.start, terms, separators, forward=False)
                ):
                    found.add(rule.category)
        results.append(
            Assertion(
                negated=NEGATED_EXISTENCE in found,
                uncertain=POSSIBLE_EXISTENCE in found,
                historical=HISTORICAL in found,
                family=FAMILY in found,
                hypothetical=HYPOTHETICAL in found,
            )
        )
    return results


_COORDINATION = re.compile(r"\b(?:and|or|nor)\b", re.IGNORECASE)


def _comma_ended(sentence: str, rule: Rule, trig: _Hit, right: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a comma between the trigger and the target closes the trigger's scope.

    A new clause after a comma (", she ...", ", which ...") ends every scope. A negation that
    opens its clause ("No abdominal pain, nausea, vomiting.", "Denies fever, chills") goes on
    over commas; so do history and family lists. Otherwise (a negation after a concept, as in
    "pain without radiculopathy, osteoarthritis of the knee", and uncertainty cues) a comma
    ends the scope unless the target is in a short list that goes on with and/or.
    """
    between = sentence[trig.end : right]
    if "," not in between:
        return False
    if _NEW_CLAUSE.search(between):
        return True
    if rule.category in (HISTORICAL, FAMILY, HYPOTHETICAL):
        return False
    if rule.category == NEGATED_EXISTENCE:
        phrase = " ".join(_TOKEN.findall(sentence[trig.start : trig.end].lower()))
        clause_start = max(sentence.rfind(c, 0, trig.start) for c in ".;:") + 1
        if phrase not in _COMMA_BOUND or not any(clause_start <= s and e <= trig.start for s, e in spans):
            return False  # the negation opens its clause: a list follows
    items = between.split(",")
    if any(len(_TOKEN.findall(item)) > 3 for item in items[1:]):
        return True
    comma = trig.end + between.index(",")
    rest = sentence[comma : right + 80]
    stop = re.search(r"[;:.](?=\s|$)", rest)
    return not _COORDINATION.search(rest[: stop.start()] if stop else rest)


def _ended(
    rule: Rule, left: int, right: int, terms: list[_Hit], separators: list[tuple[int, str]], *, forward: bool
) -> bool:
    """Whether a termination term or a separator (';', ':', a sentence end) lies between the
    trigger and the target; ';' does not end a history list, nor ':' right after a forward trigger."""
    keep = _KEEPS_SCOPE.get(rule.category, frozenset())
    for pos, sep in separators:
        if not left <= pos < right:
            continue
        if sep == ";" and rule.category in _SEMICOLON_LISTS:
            continue
        if sep == ":" and forward and pos - left <= 1:
            continue
        return True
    return any(left <= t.start and t.end <= right and t.text not in keep for t in terms)
