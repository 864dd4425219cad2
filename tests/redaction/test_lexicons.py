"""Names and towns from the installed census and GeoNames lists: found where nothing else marks them,
refused where the words are ordinary words, organisations or regions."""

from __future__ import annotations

from analysis.redaction.lexicons import (
    full_names,
    given_names,
    given_names_alone,
    glued_names,
    last_comma_first,
    named_towns,
    names_in_capitals,
    surnames,
    towns,
    world_given_names,
    world_names,
)

_ENGLISH = frozenset("grace period will power mercy west hope springs bath reading normal mobile the report".split())


def _is_english(word: str) -> bool:
    return word.lower() in _ENGLISH


def _is_common(word: str, start: int, end: int) -> bool:
    return _is_english(word)


def _names(text: str) -> list[str]:
    return [text[s:e] for s, e in full_names(text, _is_english)]


def _towns(text: str) -> list[str]:
    return [text[s:e] for s, e in named_towns(text, _is_common)]


def test_the_lists_are_read_from_the_installed_packages() -> None:
    assert {"nadia", "lionel", "priscilla"} <= given_names()
    assert surnames()["smith"] == 1 and "mcallister" in surnames()
    assert {"glasgow", "tacoma", "pune", "durban", "são paulo", "sao paulo"} <= towns()


def test_the_world_lists_hold_names_the_census_lacks_and_no_brands() -> None:
    assert {"priya", "bongani", "jaxon", "oluwaseun", "siobhan"} <= world_given_names()
    assert {"priya", "bongani", "jaxon"} - given_names() == {"priya", "bongani", "jaxon"}
    assert {"khumalo", "deshmukh", "mokoena"} <= world_names()
    assert not {"sudocrem", "nexplanon", "essilor", "microsoft", "coumadin", "eliquis"} & world_names()


def test_full_names_in_running_prose() -> None:
    assert _names("The first aider on shift, Nadia Rahimi, attended.") == ["Nadia Rahimi"]
    assert _names("on the Petition of Lionel McTavish (the Petitioner)") == ["Lionel McTavish"]
    assert _names("my friend Priscilla Ng-Abara and Dolores J. Fuentes-McAllister") == [
        "Priscilla Ng-Abara",
        "Dolores J. Fuentes-McAllister",
    ]
    assert _names("Vaccine given by ANM Sunita Bhardwaj; seen with Oluwaseun Adeyemi.") == [
        "Sunita Bhardwaj",
        "Oluwaseun Adeyemi",
    ]


def test_a_common_given_name_alone_in_prose() -> None:
    text = (
        "The caller said he was Rahul from the bank. Present: Tenant (Kasia). Priya went home. "
        "VW Polo Vivo. Seen at Kasia Dental. Cal. Gov. Code. Grace to phone."
    )
    found = [text[s:e] for s, e in given_names_alone(text, lambda w: w.lower() in {"grace", "polo", "the"})]
    assert found == ["Rahul", "Kasia"]  # not a sentence's first word, a firm's or car's name, an abbreviation


def test_full_names_in_capitals_but_no_headings() -> None:
    english = {"last", "will", "and", "testament", "of", "me", "between", "grant", "powers", "family", "contacts"}
    text = (
        "LAST WILL AND TESTAMENT of me BRIDGET MARY Ó DÓNAILL (otherwise\nBETWEEN CLIVE ANTHONY McFARLANE, "
        "Taxpayer\nESTATE OF JOSEPH KIPROTICH arap MELLY (DECEASED)\nGRANT OF POWERS\nFAMILY CONTACTS\nNA TRÓCAIRE"
    )
    found = [text[s:e] for s, e in names_in_capitals(text, lambda w: w.lower() in english)]
    assert found == ["BRIDGET MARY Ó DÓNAILL", "CLIVE ANTHONY McFARLANE", "JOSEPH KIPROTICH arap MELLY"]


def test_last_comma_first_as_headers_write_it() -> None:
    text = (
        "| Okafor, C | MRN | Page 1 of 1 - DESJARDINS, R - W-338 | MOKOENA, T S | IDENTIFY: Nguyen, Thi Lan | "
        "Leeds, W | Hepatitis, B | Vitamin, D | Brandt & Olufemi, P.C. | Yep, I have it"
    )
    english = {"hepatitis", "vitamin", "yep", "have"}
    found = [text[s:e] for s, e in last_comma_first(text, lambda w: w.lower() in english)]
    assert found == ["Okafor, C", "DESJARDINS, R", "MOKOENA, T S", "Nguyen, Thi Lan"]


def test_words_regions_and_titles_are_no_full_names() -> None:
    text = (
        "A Grace Period applies. Will Power was low. Mercy West admitted her. Georgia Power and Queen Margaret. "
        "Thanjavur, Tamil Nadu. Ht 6'01  Wt 210  Hair BRO  Eyes BLU. Copay: Janssen CarePath."
    )
    assert _names(text) == []


def test_towns_where_a_place_is_expected() -> None:
    assert _towns("Her daughter lives in Tacoma and visits monthly.") == ["Tacoma"]
    assert _towns("Katya (in Evanston), who is the emergency contact") == ["Evanston"]
    assert _towns("BEFORE THE NOTARY PUBLIC AT PUNE\n") == ["PUNE"]
    assert _towns("Front Range GI Associates, Lakewood\n") == ["Lakewood"]
    assert _towns("visiting from Durban) and local") == ["Durban"]
    assert _towns("He dialyses at our satellite unit in Clydebank and tolerates it.") == ["Clydebank"]


def test_towns_that_are_words_courts_organisations_or_months_stay() -> None:
    text = (
        "Reading the report in Bath. Studied at the University of Glasgow. Seen at Tucson Medical Center. "
        "IN THE COUNTY COURT AT BRISTOL. Transferred to Miami Valley Hospital. MMSE 14/30 in Nov. "
        "the District of Columbia"
    )
    assert _towns(text) == []


def test_surnames_glued_to_initials_in_file_and_user_names() -> None:
    text = (
        "Printed by: hdunning\nAttachments: Claimant_Stmt_GHarland.pdf; APS_Sethi.pdf\n"
        "user: jsmith | entered by: amending | checked by: pharmacist | signed off by dpatel\n"
        "Printed 05/14/2024 16:22 by mfoster | SMS | DELIVERED | nurse.mgarcia | st.john | report.final\n"
        "Files: ACP_Kowalski_2019.pdf, Last_Will_Testament.pdf, Discharge_Summary_May.pdf; sent by frontdesk2"
    )
    english = {"amending", "pharmacist", "off", "will", "may", "summary", "report", "final", "testament"}
    found = [text[s:e] for s, e in glued_names(text, lambda w: w.lower() in english)]
    assert found == [
        *("GHarland", "hdunning", "jsmith", "dpatel", "mfoster", "nurse.mgarcia", "frontdesk2", "Sethi", "Kowalski")
    ]


def test_logins_after_a_system_label() -> None:
    text = (
        "Generated 09/03/2024 17:24 by drchambers01\neMR user: mtranbaxter\nPrinted 21/05/2024 by RHAKARAKA\n"
        "Given by mouth. Report sent by email. Updated by system. Printed by Epic. login: PHARMACY\n"
    )
    english = {"mouth", "email", "system", "pharmacy"}
    found = [text[s:e] for s, e in glued_names(text, lambda w: w.lower() in english)]
    assert found == ["drchambers01", "mtranbaxter", "RHAKARAKA"]


def test_capitals_words_and_brands_are_no_glued_names() -> None:
    text = "MRCPsych, DNase, HbA1c, NovoRapid, USBank, ACEInhibitor, CTScan, MRIBrain, iPhone, SpO2, PhD, McDonald"
    english = {"bank", "scan", "brain", "inhibitor"}
    assert [text[s:e] for s, e in glued_names(text, lambda w: w.lower() in english)] == []
