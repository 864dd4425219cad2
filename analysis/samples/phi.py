"""Clinical notes with labelled identifiers, for measuring PHI redaction.

Every identifier (patient and clinician names, dates of birth, medical record numbers,
social security numbers, phone numbers, emails, street addresses, home towns) is written
through ``_Note.add``, which records its type and character span, so a benchmark or a test
knows exactly what a redactor should have found. Formats vary the way real notes do: labelled
EHR headers and free narrative, upper-case headers, several phone, date and MRN styles.
Everything is a pure function of the seed and fictional; the clinical filler reuses
``analysis.samples.clinical`` (vitals, labs, histories), which carries no identifiers.

Dates other than the date of birth (visit, admission, signature dates) appear unlabelled on
purpose: the redactor keeps them, and a benchmark counts redacting them as a false positive.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from analysis.samples import clinical, legal
from analysis.samples.legal import pick

IDENTIFIER_TYPES = ("PERSON", "DATE_OF_BIRTH", "MRN", "SSN", "PHONE", "EMAIL", "ADDRESS", "LOCATION")

# Names beyond the sample corpus's pools, so that measured recall is not about one naming style.
EXTRA_FIRST = (
    "Mei", "Oluwaseun", "Anh", "Rajesh", "Siobhan", "Joaquin", "Ingrid", "Kwame", "Fatima", "Dmitri",
    "Aaliyah", "Bjorn", "Camille", "Tariq", "Yuki", "Esperanza", "Ferdinand", "Greta", "Hamza", "Lucinda",
)
EXTRA_LAST = (
    "Nguyen", "Okafor", "Patel", "O'Brien", "Kim", "Hernandez", "Lindgren", "Mensah", "Haddad", "Petrov",
    "Washington", "Kowalski", "Fitzgerald", "Tanaka", "Abdullah", "McKenzie", "Delgado", "Novak", "Brooks",
    "Schwartz",
)
STREETS = (
    "Oak", "Maple", "Cedar Ridge", "Elm", "Sycamore", "Lincoln", "Washington", "Hillcrest", "Birchwood",
    "Old Mill", "Pine Hollow", "Chestnut", "Sunset", "Meadow Lark", "Park", "Walnut", "River Bend", "Orchard",
)
STREET_TYPES = (
    "Street", "St.", "Avenue", "Ave", "Road", "Rd.", "Drive", "Lane", "Boulevard", "Court", "Way", "Place",
    "Terrace",
)
UNITS = ("Apt 4B", "Apt. 12", "Unit 3", "Suite 210", "#7")
TOWNS = (
    ("Springfield", "IL", "627"), ("Dayton", "OH", "454"), ("Fresno", "CA", "937"), ("Allentown", "PA", "181"),
    ("Boise", "ID", "837"), ("Chattanooga", "TN", "374"), ("Lansing", "MI", "489"), ("Tacoma", "WA", "984"),
    ("Savannah", "GA", "314"), ("Albuquerque", "NM", "871"), ("Burlington", "VT", "054"), ("Omaha", "NE", "681"),
    ("Worcester", "MA", "016"), ("Wichita", "KS", "672"), ("Durham", "NC", "277"), ("Providence", "RI", "029"),
)
MAIL_DOMAINS = ("example.com", "mailbox.org", "fastmail.com", "outlook.com", "gmail.com", "yahoo.com")
RELATIONS = ("spouse", "partner", "adult child", "sibling", "caregiver", "neighbor")
FEMALE = clinical.FEMALE_FIRST | {
    "Beatrice", "Delphine", "Farah", "Harriet", "Juliana", "Leona", "Noelle", "Priya", "Rosalind", "Tamsin",
    "Vivian", "Xiomara", "Zelda", "Bridget", "Dorothea", "Fiona", "Helena", "Jolene", "Mirela", "Ottilie",
    "Mei", "Siobhan", "Ingrid", "Fatima", "Aaliyah", "Camille", "Yuki", "Esperanza", "Greta", "Lucinda",
}

_FIELD = re.compile(r"\{(?:([A-Z_]+):)?(\w+)\}")


@dataclass(frozen=True)
class Identifier:
    """One labelled identifier: ``text == note.text[start:end]``."""

    type: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class LabelledNote:
    seed: int
    kind: str
    text: str
    identifiers: tuple[Identifier, ...]


class _Note:
    """Text built piece by piece; ``{TYPE:key}`` fields are identifiers and get labelled."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.spans: list[Identifier] = []

    def add(self, template: str, values: dict[str, str] | None = None) -> None:
        values = values or {}
        last = 0
        for m in _FIELD.finditer(template):
            self._plain(template[last : m.start()])
            kind, key = m.group(1), m.group(2)
            value = values[key]
            if kind:
                self.spans.append(Identifier(kind, self.size, self.size + len(value), value))
            self._plain(value)
            last = m.end()
        self._plain(template[last:])

    def _plain(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def note(self, seed: int, kind: str) -> LabelledNote:
        return LabelledNote(seed, kind, "".join(self.parts), tuple(self.spans))


def labelled_notes(n: int, *, seed: int = 0) -> list[LabelledNote]:
    """``n`` notes for seeds ``seed .. seed + n - 1``; disjoint seed ranges give disjoint sets."""
    return [labelled_note(s) for s in range(seed, seed + n)]


def labelled_note(seed: int) -> LabelledNote:
    """One note; its kind (clinic visit, discharge summary, referral letter) follows the seed."""
    rng = random.Random(f"phi:{seed}")
    facts = _facts(rng)
    kind = pick(rng, tuple(_KINDS))
    note = _Note()
    _KINDS[kind](rng, note, facts)
    return note.note(seed, kind)


# --------------------------------------------------------------------------- identifier formats


def _name(rng: random.Random) -> tuple[str, str]:
    first = pick(rng, clinical.PATIENT_FIRST + legal.FIRST_NAMES + EXTRA_FIRST)
    last = pick(rng, clinical.PATIENT_LAST + legal.LAST_NAMES + EXTRA_LAST)
    return first, last


def _dob(rng: random.Random) -> tuple[date, str]:
    day = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 75))
    style = rng.randrange(5)
    text = (
        f"{day:%m/%d/%Y}",
        f"{day.month}/{day.day}/{day.year}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day:%Y-%m-%d}",
        f"{day.day} {day:%b} {day.year}",
    )[style]
    return day, text


def _mrn(rng: random.Random) -> str:
    return pick(
        rng,
        (
            f"{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
            f"{rng.randint(0, 99999999):08d}",
            f"MR{rng.randint(1000000, 9999999)}",
            f"{rng.choice('ABCDEFGHK')}{rng.randint(100000, 9999999)}",
            f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
        ),
    )


def _ssn(rng: random.Random) -> str:
    a, b, c = rng.randint(100, 665), rng.randint(10, 99), rng.randint(1000, 9999)
    return pick(rng, (f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}"))


def _phone(rng: random.Random) -> str:
    a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
    return pick(
        rng,
        (
            f"({a}) {b}-{c:04d}",
            f"{a}-{b}-{c:04d}",
            f"{a}.{b}.{c:04d}",
            f"+1 {a} {b} {c:04d}",
            f"1-{a}-{b}-{c:04d}",
            f"({a}) {b}-{c:04d} ext. {rng.randint(10, 999)}",
        ),
    )


def _address(rng: random.Random, town: tuple[str, str, str]) -> str:
    street = f"{rng.randint(2, 9899)} {pick(rng, STREETS)} {pick(rng, STREET_TYPES)}"
    unit = f", {pick(rng, UNITS)}" if rng.random() < 0.3 else ""
    city, state, prefix = town
    return f"{street}{unit}, {city}, {state} {prefix}{rng.randint(0, 99):02d}"


def _email(rng: random.Random, first: str, last: str) -> str:
    local = pick(
        rng,
        (
            f"{first}.{last}",
            f"{first[0]}{last}",
            f"{first}{rng.randint(1, 99)}",
            f"{last}.{first[0]}{rng.randint(50, 99)}",
        ),
    )
    local = re.sub(r"[^a-z0-9.]", "", local.lower())
    return f"{local}@{pick(rng, MAIL_DOMAINS)}"


def _facts(rng: random.Random) -> dict[str, str]:
    """Everything a note may say about one patient, their contact and their clinicians."""
    first, last = _name(rng)
    kin_first, kin_last = _name(rng)
    female = first in FEMALE
    dob_day, dob = _dob(rng)
    town = pick(rng, TOWNS)
    visit = legal.random_date(rng, 2021, 2025)
    age = max(18, visit.year - dob_day.year)
    md_first, md_last = _name(rng)
    pcp_first, pcp_last = _name(rng)
    upper = rng.random() < 0.25
    return {
        "name": f"{first} {last}".upper() if upper else f"{first} {last}",
        "first": first,
        "last": last,
        "title": "Ms." if female else "Mr.",
        "he": "she" if female else "he",
        "He": "She" if female else "He",
        "his": "her" if female else "his",
        "man": "woman" if female else "man",
        "age": str(age),
        "dob": dob,
        "mrn": _mrn(rng),
        "ssn": _ssn(rng),
        "phone": _phone(rng),
        "phone2": _phone(rng),
        "email": _email(rng, first, last),
        "address": _address(rng, town),
        "hometown": pick(rng, TOWNS)[0],
        "kin": f"{kin_first} {last if rng.random() < 0.6 else kin_last}",
        "relation": pick(rng, RELATIONS),
        "md": f"{md_first} {md_last}",
        "md_last": md_last,
        "pcp": f"{pcp_first} {pcp_last}",
        "pcp_last": pcp_last,
        "suffix": pick(rng, ("MD", "MD", "DO", "NP", "PA-C", "M.D.")),
        "visit": clinical.short_date(visit),
        "clinic": pick(rng, clinical.CLINICS),
        "hospital": pick(rng, clinical.HOSPITALS),
    }


# --------------------------------------------------------------------------- note kinds


def _header(rng: random.Random, note: _Note, f: dict[str, str]) -> None:
    """An EHR header: labelled fields in one of three styles, in a shuffled subset."""
    style = rng.randrange(3)
    labels = (
        {"name": "PATIENT NAME", "dob": "DATE OF BIRTH", "mrn": "MRN", "ssn": "SSN", "address": "ADDRESS",
         "phone": "PHONE", "email": "EMAIL"},
        {"name": "Patient", "dob": "DOB", "mrn": "Medical Record #", "ssn": "Social Security No.",
         "address": "Home address", "phone": "Tel", "email": "E-mail"},
        {"name": "Name", "dob": "Date of birth", "mrn": "MR#", "ssn": "SS#", "address": "Address",
         "phone": "Cell", "email": "Email"},
    )[style]
    types = {"name": "PERSON", "dob": "DATE_OF_BIRTH", "mrn": "MRN", "ssn": "SSN", "address": "ADDRESS",
             "phone": "PHONE", "email": "EMAIL"}
    keys = ["name", "dob", "mrn"] + [k for k in ("ssn", "address", "phone", "email") if rng.random() < 0.7]
    for key in keys:
        note.add(f"{labels[key]}: {{{types[key]}:{key}}}\n", f)
    note.add("Date of service: {visit}\n", f)


def _clinic_visit(rng: random.Random, note: _Note, f: dict[str, str]) -> None:
    conditions = clinical.comorbidities(rng, "female" if f["he"] == "she" else "male", rng.randint(2, 4))
    meds = clinical.home_medications(rng, conditions)
    note.add("PROGRESS NOTE\n" + f["clinic"] + "\n\n")
    _header(rng, note, f)
    note.add("Provider: {PERSON:md}, {suffix}\n\n", f)
    note.add(
        "SUBJECTIVE:\n{PERSON:name} is a {age}-year-old {man} seen today for follow-up of "
        + ", ".join(conditions)
        + ". {title} {PERSON:last} reports good adherence to medications. ",
        f,
    )
    if rng.random() < 0.5:
        note.add("{He} was accompanied by {his} {relation}, {PERSON:kin}. ", f)
    note.add(clinical.social_history(rng, {"his": f["his"]}) + "\n\n")
    note.add("MEDICATIONS:\n" + (clinical.numbered(meds) if meds else "None.") + "\n\n")
    note.add("OBJECTIVE:\nVITAL SIGNS: " + clinical.vitals(rng) + "\n\n")
    note.add("ASSESSMENT AND PLAN:\n" + clinical.numbered([c[0].upper() + c[1:] + ", stable." for c in conditions]))
    note.add("\nReturn to clinic in {n} months.\n\n".replace("{n}", str(rng.randint(2, 6))))
    if rng.random() < 0.6:
        note.add("The patient prefers to be contacted at {PHONE:phone2}.\n", f)
    note.add("Electronically signed by {PERSON:md}, {suffix} on {visit}\n", f)


def _discharge(rng: random.Random, note: _Note, f: dict[str, str]) -> None:
    conditions = clinical.comorbidities(rng, "female" if f["he"] == "she" else "male", rng.randint(2, 4))
    note.add("DISCHARGE SUMMARY\n" + f["hospital"] + "\n\n")
    _header(rng, note, f)
    note.add("ATTENDING PHYSICIAN: Dr. {PERSON:md}\nPRIMARY CARE: {PERSON:pcp}, {suffix}\n\n", f)
    note.add(
        "HISTORY OF PRESENT ILLNESS:\nThe patient is a {age}-year-old {man}, born {DATE_OF_BIRTH:dob}, "
        "with a history of " + " and ".join(conditions) + ". ",
        f,
    )
    note.add("{title} {PERSON:last} originally moved here from {LOCATION:hometown}. ", f)
    note.add("\n\nFAMILY HISTORY:\n" + clinical.family_history(rng) + "\n\n")
    note.add("LABORATORY DATA:\n" + clinical.lab_panel(rng, {}) + "\n\n")
    note.add(
        "DISPOSITION:\nDischarged home to {ADDRESS:address} with {his} {relation}, {PERSON:kin}, who can be reached "
        "at {PHONE:phone2}.\n\n",
        f,
    )
    note.add("FOLLOW-UP:\nWith Dr. {PERSON:pcp_last} in one to two weeks.\n\n", f)
    note.add("Dictated by: {PERSON:md}, {suffix}\n", f)


def _referral(rng: random.Random, note: _Note, f: dict[str, str]) -> None:
    conditions = clinical.comorbidities(rng, "female" if f["he"] == "she" else "male", rng.randint(1, 3))
    note.add(f["clinic"] + "\n{visit}\n\nDear Dr. {PERSON:pcp_last},\n\n", f)
    note.add(
        "Thank you for referring {PERSON:name} (DOB {DATE_OF_BIRTH:dob}, MRN {MRN:mrn}) for evaluation of "
        + conditions[0]
        + ". ",
        f,
    )
    note.add("{He} lives at {ADDRESS:address} and can be reached at {PHONE:phone} or {EMAIL:email}. ", f)
    if rng.random() < 0.5:
        note.add("For insurance purposes {his} social security number is {SSN:ssn}. ", f)
    note.add("\n\n" + clinical.social_history(rng, {"his": f["his"]}) + " ")
    note.add(clinical.family_history(rng) + "\n\n")
    note.add("On examination: " + clinical.vitals(rng) + "\n\n")
    note.add(
        "I have asked {title} {PERSON:last} to return in three months. Please do not hesitate to call me at "
        "{PHONE:phone2}.\n\nSincerely,\n\n{PERSON:md}, {suffix}\n",
        f,
    )


_KINDS = {"clinic_visit": _clinic_visit, "discharge_summary": _discharge, "referral_letter": _referral}

__all__ = ["IDENTIFIER_TYPES", "Identifier", "LabelledNote", "labelled_note", "labelled_notes"]
