"""Synthetic clinical documents: discharge summaries, SOAP progress notes, radiology reports.

Headings follow the MTSamples convention (upper case, colon, at line start) because that
is what a clinical chunker has to split on. Content is assembled from scenario data:
an admission scenario drives the discharge summary, a set of chronic problems drives the
progress note, and an exam type with optional abnormal findings drives the radiology report.
Every patient, clinician and facility here is fictional.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from analysis.samples.legal import FIRST_NAMES, LAST_NAMES, pick, random_date

Context = dict[str, str]

HOSPITALS = (
    "Mercy Valley Medical Center", "St. Brendan's Regional Hospital", "Lakeside University Hospital",
    "Cedar Hollow Community Hospital", "Northridge General Hospital", "Riverbend Memorial Hospital",
    "Harborview Heights Medical Center", "Saint Odile Hospital", "Prairie Crossing Health Center",
    "Bramblewood Regional Medical Center",
)
CLINICS = (
    "Willow Street Internal Medicine", "Eastgate Family Medicine", "Northside Primary Care Associates",
    "Copper Hill Medical Group", "Lakeview Endocrinology and Diabetes Center", "Meadowbrook Cardiology Clinic",
    "Granite Falls Community Health Center", "Riverside Pulmonary and Sleep Medicine",
)
PATIENT_FIRST = (
    "Harold", "Margaret", "Luis", "Denise", "Walter", "Gloria", "Raymond", "Yolanda", "Eugene", "Francine",
    "Tobias", "Imelda", "Curtis", "Rhonda", "Desmond", "Lorraine", "Nikolai", "Patrice", "Vernon", "Consuelo",
    "Bernard", "Antoinette", "Clifford", "Marisol", "Alfred", "Henrietta", "Reginald", "Svetlana",
)
PATIENT_LAST = (
    "Albright", "Benavides", "Crowley", "Dempsey", "Esposito", "Fairchild", "Gutierrez", "Hollander", "Ibarra",
    "Jankowski", "Kearney", "Lombardi", "Mcallister", "Nyberg", "Oduya", "Pacheco", "Quintero", "Rasmussen",
    "Szabo", "Tremblay", "Ulrich", "Villanueva", "Weatherby", "Yilmaz", "Zamora", "Brannigan", "Castellano",
)
FEMALE_FIRST = frozenset({
    "Margaret", "Denise", "Gloria", "Yolanda", "Francine", "Imelda", "Rhonda", "Lorraine", "Patrice",
    "Consuelo", "Antoinette", "Marisol", "Henrietta", "Svetlana",
})


# --------------------------------------------------------------------------- shared pieces


def clinician(rng: random.Random, suffix: str = "MD") -> str:
    """'Priya Okonkwo, MD'; names reuse the legal pools, which are equally fictional."""
    return f"{pick(rng, FIRST_NAMES)} {pick(rng, LAST_NAMES)}, {suffix}"


def patient(rng: random.Random, min_age: int = 24, max_age: int = 91) -> Context:
    """Name, age, sex and the pronouns that templates need."""
    first = pick(rng, PATIENT_FIRST)
    female = first in FEMALE_FIRST
    age = rng.randint(min_age, max_age)
    return {
        "name": f"{first} {pick(rng, PATIENT_LAST)}",
        "age": str(age),
        "sex": "female" if female else "male",
        "man": "woman" if female else "man",
        "he": "she" if female else "he",
        "He": "She" if female else "He",
        "his": "her" if female else "his",
        "His": "Her" if female else "His",
        "him": "her" if female else "him",
        "mrn": f"{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
    }


def short_date(day: date) -> str:
    """'03/04/2024', the way EHR headers print dates."""
    return f"{day:%m/%d/%Y}"


def numbered(items: list[str] | tuple[str, ...]) -> str:
    """'1. ...' lines, as dictated lists of diagnoses and medications appear."""
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def section(heading: str, body: str) -> str:
    """One MTSamples-style section: short bodies inline, longer ones on the next line."""
    if "\n" not in body and len(body) <= 80:
        return f"{heading}: {body}"
    return f"{heading}:\n{body}"


# --------------------------------------------------------------------------- vitals and labs

# name: (low, high, unit, decimals)
LAB_NORMALS = {
    "WBC": (4.6, 10.2, "K/uL", 1), "hemoglobin": (12.1, 16.4, "g/dL", 1), "platelets": (165, 375, "K/uL", 0),
    "sodium": (136, 144, "mmol/L", 0), "potassium": (3.6, 4.9, "mmol/L", 1), "chloride": (99, 107, "mmol/L", 0),
    "bicarbonate": (22, 29, "mmol/L", 0), "BUN": (8, 21, "mg/dL", 0), "creatinine": (0.7, 1.2, "mg/dL", 2),
    "glucose": (78, 132, "mg/dL", 0),
}


def lab_panel(rng: random.Random, overrides: dict[str, tuple[float, float]]) -> str:
    """A basic CBC and metabolic panel with scenario-specific abnormal values mixed in."""
    values = []
    for name, (low, high, unit, decimals) in LAB_NORMALS.items():
        low, high = overrides.get(name, (low, high))
        values.append(f"{name} {rng.uniform(low, high):.{decimals}f} {unit}")
    return "On admission: " + ", ".join(values) + "."


def vitals(rng: random.Random, febrile: bool = False, tachy: bool = False, hypoxic: bool = False) -> str:
    """A vital-signs line; flags push values out of range where the scenario implies it."""
    temp = rng.uniform(100.6, 103.1) if febrile else rng.uniform(97.4, 99.1)
    pulse = rng.randint(104, 128) if tachy else rng.randint(62, 94)
    spo2 = rng.randint(84, 91) if hypoxic else rng.randint(94, 99)
    return (f"Temperature {temp:.1f} F, pulse {pulse}, blood pressure {rng.randint(104, 168)}/{rng.randint(58, 98)}, "
            f"respiratory rate {rng.randint(22, 30) if hypoxic else rng.randint(14, 20)}, oxygen saturation "
            f"{spo2}% on {'room air' if not hypoxic or rng.random() < 0.5 else '2 L nasal cannula'}.")


# --------------------------------------------------------------------------- chronic conditions

# condition: home medication options (one is chosen, with its dose)
CONDITIONS: dict[str, tuple[str, ...]] = {
    "hypertension": ("lisinopril {d} mg daily|10|20|40", "amlodipine {d} mg daily|5|10",
                     "losartan {d} mg daily|50|100", "hydrochlorothiazide {d} mg daily|12.5|25"),
    "type 2 diabetes mellitus": ("metformin {d} mg twice daily|500|850|1000", "glipizide {d} mg daily|5|10",
                                 "insulin glargine {d} units at bedtime|12|18|24|30|40"),
    "hyperlipidemia": ("atorvastatin {d} mg nightly|20|40|80", "rosuvastatin {d} mg daily|10|20"),
    "hypothyroidism": ("levothyroxine {d} mcg daily|50|75|88|100|112|125",),
    "gastroesophageal reflux disease": ("omeprazole {d} mg daily|20|40", "pantoprazole {d} mg daily|40"),
    "paroxysmal atrial fibrillation": ("apixaban {d} mg twice daily|5", "metoprolol succinate {d} mg daily|25|50"),
    "chronic kidney disease stage 3a": ("sodium bicarbonate {d} mg twice daily|650",),
    "major depressive disorder": ("sertraline {d} mg daily|50|100|150", "escitalopram {d} mg daily|10|20"),
    "osteoarthritis of the knees": ("acetaminophen {d} mg every 8 hours as needed|500|650",),
    "benign prostatic hyperplasia": ("tamsulosin {d} mg daily|0.4",),
    "mild persistent asthma": ("fluticasone {d} mcg inhaled twice daily|110|220",),
    "gout": ("allopurinol {d} mg daily|100|300",),
    "coronary artery disease": ("aspirin {d} mg daily|81", "clopidogrel {d} mg daily|75"),
    "generalized anxiety disorder": ("buspirone {d} mg twice daily|7.5|10|15",),
    "osteoporosis": ("alendronate {d} mg weekly|70",),
    "obstructive sleep apnea on CPAP": (),
    "migraine without aura": ("sumatriptan {d} mg as needed for headache|50|100",),
}
ALLERGIES = (
    "No known drug allergies.", "No known drug allergies.", "Penicillin (rash).", "Sulfa drugs (hives).",
    "Codeine (nausea and vomiting).", "Iodinated contrast (hives).", "Lisinopril (angioedema).",
    "Latex (contact dermatitis).", "Morphine (pruritus).", "Shellfish and iodinated contrast (throat tightness).",
)
OCCUPATIONS = (
    "retired machinist", "school bus driver", "retired schoolteacher", "accountant", "warehouse supervisor",
    "home health aide", "retired postal carrier", "electrician", "restaurant owner", "hairdresser",
    "retired nurse", "long-haul truck driver", "pastor", "software tester", "farmer",
)


def medication(rng: random.Random, spec: str) -> str:
    """Fill a 'name {d} mg ...|dose|dose' spec with one of its doses."""
    text, *doses = spec.split("|")
    return text.format(d=rng.choice(doses)) if doses else text


def comorbidities(rng: random.Random, sex: str, count: int) -> list[str]:
    """Chronic conditions for the history, sex-appropriate."""
    pool = [c for c in CONDITIONS if sex == "male" or c != "benign prostatic hyperplasia"]
    return rng.sample(pool, count)


def home_medications(rng: random.Random, conditions: list[str]) -> list[str]:
    """One or two medications for each chronic condition, with doses."""
    meds: list[str] = []
    for condition in conditions:
        options = CONDITIONS[condition]
        if options:
            meds += [medication(rng, spec) for spec in rng.sample(options, min(len(options), rng.choice((1, 1, 2))))]
    return meds


def social_history(rng: random.Random, ctx: Context) -> str:
    """Occupation, tobacco, alcohol and living situation."""
    tobacco = pick(rng, (
        "Never smoker.", f"Former smoker, quit {rng.randint(2, 30)} years ago with a {rng.randint(10, 45)} pack-year "
        "history.",
        f"Current smoker, {rng.choice(('one-half', 'one', 'one and one-half'))} pack per day.",
    ))
    alcohol = pick(rng, ("Drinks alcohol socially.", "Denies alcohol use.",
                         f"Drinks {rng.randint(2, 14)} beers per week.", "Denies illicit drug use."))
    living = pick(rng, (f"Lives with {ctx['his']} spouse.", "Lives alone.", f"Lives with {ctx['his']} daughter.",
                        "Lives in an assisted living facility."))
    return f"The patient is a {pick(rng, OCCUPATIONS)}. {tobacco} {alcohol} {living}"


def family_history(rng: random.Random) -> str:
    """Two first-degree relatives with common conditions."""
    return _family_history(rng)[0]


def _family_history(rng: random.Random) -> tuple[str, list[str]]:
    """The family history line and the two conditions it names."""
    relatives = rng.sample(("Mother", "Father", "Brother", "Sister"), 2)
    conditions = rng.sample((
        "coronary artery disease", "type 2 diabetes", "breast cancer", "colon cancer", "stroke", "hypertension",
        "Alzheimer dementia", "chronic obstructive pulmonary disease",
    ), 2)
    return f"{relatives[0]} with {conditions[0]}. {relatives[1]} with {conditions[1]}.", conditions


# --------------------------------------------------------------------------- discharge summary


@dataclass(frozen=True)
class Admission:
    """One reason for admission and everything a discharge summary says about it."""

    diagnosis: str
    complaint: str
    hpi: str
    exam: str
    labs: tuple[tuple[str, float, float], ...]
    imaging: str
    course: tuple[str, ...]
    procedures: tuple[str, ...]
    new_meds: tuple[str, ...]
    secondary: tuple[str, ...]
    followup: str
    febrile: bool = False
    tachy: bool = False
    hypoxic: bool = False


ADMISSIONS = (
    Admission(
        "Community-acquired pneumonia, {side} lower lobe", "Cough, fever and shortness of breath.",
        "The patient is a {age}-year-old {man} with a history of {history} who presented to the emergency department "
        "with {days} days of productive cough with yellow-green sputum, subjective fevers, chills and progressive "
        "dyspnea on exertion. {He} also reported pleuritic {side}-sided chest pain. {He} denied hemoptysis, recent "
        "travel or sick contacts. In the emergency department {he} was febrile and tachycardic.",
        "LUNGS: Decreased breath sounds and coarse crackles at the {side} base with egophony.",
        (("WBC", 13.5, 22.8),),
        "Chest x-ray showed a {side} lower lobe consolidation without effusion.",
        (
            "The patient was admitted to the medical floor and started on ceftriaxone 1 g IV daily and azithromycin "
            "500 mg daily. Blood cultures showed no growth. Sputum culture grew normal respiratory flora. {He} "
            "required supplemental oxygen at 2 L by nasal cannula for the first {o2_days} days, which was weaned to "
            "room air with ambulatory saturations of {sat}%.",
            "{His} fever curve trended down by hospital day 2 and the leukocytosis resolved. {He} was transitioned to "
            "oral amoxicillin-clavulanate to complete a {abx_days}-day course of antibiotics.",
        ),
        (),
        ("amoxicillin-clavulanate 875/125 mg twice daily for {abx_left} more days",
         "guaifenesin 600 mg twice daily as needed"),
        ("Acute hypoxic respiratory failure, resolved", "Sepsis, present on admission, resolved"),
        "primary care physician in 1 week with repeat chest x-ray in 6 to 8 weeks",
        febrile=True, tachy=True, hypoxic=True,
    ),
    Admission(
        "Acute on chronic systolic heart failure exacerbation", "Shortness of breath and leg swelling.",
        "The patient is a {age}-year-old {man} with a history of {history} and ischemic cardiomyopathy who presented "
        "with {days} days of worsening dyspnea, three-pillow orthopnea, paroxysmal nocturnal dyspnea and a weight "
        "gain of {weight_gain} pounds. {He} admits to dietary indiscretion over the holidays and ran out of "
        "{his} furosemide one week ago.",
        "NECK: Jugular venous pressure elevated to the angle of the jaw.\nLUNGS: Bibasilar crackles.\n"
        "EXTREMITIES: 3+ pitting edema to the knees bilaterally.",
        (("sodium", 129, 134), ("BUN", 28, 46), ("creatinine", 1.3, 1.9)),
        "Chest x-ray showed cardiomegaly with pulmonary vascular congestion and small bilateral pleural effusions. "
        "BNP was {bnp} pg/mL. Echocardiogram showed a left ventricular ejection fraction of {ef}% with global "
        "hypokinesis.",
        (
            "The patient was diuresed with furosemide 80 mg IV twice daily with a net negative fluid balance of "
            "{net_liters} liters over the hospitalization. {His} discharge weight is {dry_weight} pounds. Renal "
            "function remained stable during diuresis and potassium was repleted as needed.",
            "Guideline-directed medical therapy was optimized. Carvedilol was continued and sacubitril-valsartan "
            "was started after a 36-hour washout of {his} ACE inhibitor. Heart failure education was provided by "
            "nursing and a low-sodium diet was reviewed with the patient and family.",
        ),
        ("Transthoracic echocardiogram",),
        ("furosemide 40 mg twice daily", "carvedilol 12.5 mg twice daily", "sacubitril-valsartan 24/26 mg twice daily",
         "spironolactone 25 mg daily"),
        ("Hyponatremia, hypervolemic", "Acute kidney injury on chronic kidney disease, improved"),
        "heart failure clinic in 7 days with a basic metabolic panel",
        hypoxic=True,
    ),
    Admission(
        "Non-ST-elevation myocardial infarction", "Chest pain.",
        "The patient is a {age}-year-old {man} with a history of {history} who presented with substernal chest "
        "pressure radiating to the left arm that began at rest {hours} hours before arrival, associated with "
        "diaphoresis and nausea. ECG showed {ecg}. Initial high-sensitivity troponin was {trop} ng/L and rose on "
        "repeat testing.",
        "HEART: Regular rate and rhythm, S4 gallop, no murmurs.",
        (("glucose", 140, 210),),
        "Chest x-ray showed no acute cardiopulmonary process.",
        (
            "The patient was treated with aspirin, a heparin infusion, and high-intensity atorvastatin. Cardiac "
            "catheterization on hospital day 1 showed a {stenosis}% stenosis of the {artery}, which was treated with "
            "a drug-eluting stent with an excellent angiographic result. The remaining coronary arteries showed "
            "mild nonobstructive disease.",
            "Post-procedure the patient remained chest pain free and the radial access site was without hematoma. "
            "Echocardiogram showed an ejection fraction of {ef}% with {wall} hypokinesis. Cardiac rehabilitation "
            "referral was placed.",
        ),
        ("Left heart catheterization with percutaneous coronary intervention",),
        ("aspirin 81 mg daily", "ticagrelor 90 mg twice daily", "atorvastatin 80 mg nightly",
         "metoprolol succinate 25 mg daily", "nitroglycerin 0.4 mg sublingual as needed for chest pain"),
        ("Coronary artery disease, single-vessel", "Hyperglycemia"),
        "cardiology in 2 weeks and cardiac rehabilitation",
    ),
    Admission(
        "Diabetic ketoacidosis", "Nausea, vomiting and abdominal pain.",
        "The patient is a {age}-year-old {man} with type 1 diabetes mellitus and {history} who presented with "
        "{days} days of polyuria, polydipsia, nausea, vomiting and diffuse abdominal pain. {He} had been rationing "
        "{his} insulin because of cost. Point-of-care glucose in the emergency department read high.",
        "GENERAL: Ill-appearing with dry mucous membranes and Kussmaul respirations.",
        (("glucose", 420, 710), ("bicarbonate", 6, 13), ("potassium", 5.2, 6.1), ("sodium", 128, 134)),
        "Beta-hydroxybutyrate was {bhb} mmol/L and the anion gap was {gap}.",
        (
            "The patient was admitted to the intensive care unit and treated with an insulin infusion per the DKA "
            "protocol, aggressive intravenous fluids and potassium replacement. The anion gap closed after "
            "{gap_hours} hours and {he} was transitioned to subcutaneous insulin with a 2-hour overlap.",
            "Diabetes education was provided, and social work assisted the patient in enrolling in a manufacturer "
            "assistance program for insulin. No precipitating infection was identified.",
        ),
        (),
        ("insulin glargine {glargine} units at bedtime",
         "insulin lispro {lispro} units with meals plus correction scale",
         "glucose meter and test strips"),
        ("Type 1 diabetes mellitus, uncontrolled, hemoglobin A1c {a1c}%", "Hyperkalemia, resolved"),
        "endocrinology in 1 week",
        tachy=True,
    ),
    Admission(
        "Acute gallstone pancreatitis", "Epigastric pain radiating to the back.",
        "The patient is a {age}-year-old {man} with a history of {history} who presented with severe epigastric pain "
        "radiating to the back that began after a fatty meal {hours} hours before arrival, with nausea and "
        "nonbilious emesis. {He} drinks alcohol rarely.",
        "ABDOMEN: Epigastric tenderness with voluntary guarding. No rebound. Hypoactive bowel sounds.",
        (("WBC", 11.0, 16.5), ("glucose", 130, 190)),
        "Lipase was {lipase} U/L. Right upper quadrant ultrasound showed cholelithiasis with a common bile duct "
        "diameter of {cbd} mm. CT of the abdomen showed peripancreatic fat stranding without necrosis.",
        (
            "The patient was treated with goal-directed lactated Ringer's solution, intravenous analgesia and "
            "antiemetics. {His} pain improved and diet was advanced to low fat by hospital day 3.",
            "General surgery was consulted and the patient underwent laparoscopic cholecystectomy on hospital day "
            "{surgery_day} without complication. Liver enzymes normalized before discharge.",
        ),
        ("Laparoscopic cholecystectomy",),
        ("oxycodone 5 mg every 6 hours as needed for severe pain, #{pills}", "docusate 100 mg twice daily",
         "ondansetron 4 mg every 8 hours as needed for nausea"),
        ("Cholelithiasis", "Systemic inflammatory response syndrome, resolved"),
        "general surgery clinic in 2 weeks",
        tachy=True,
    ),
    Admission(
        "Cellulitis of the {side} lower extremity", "Red, painful, swollen leg.",
        "The patient is a {age}-year-old {man} with a history of {history} who presented with {days} days of "
        "spreading erythema, warmth and pain of the {side} lower leg after a minor abrasion while gardening. {He} "
        "reported fevers to 101 F at home.",
        "SKIN: {area} cm area of erythema, warmth and induration over the {side} anterior shin, margins marked. No "
        "fluctuance or crepitus.",
        (("WBC", 11.2, 17.9),),
        "Venous duplex of the {side} lower extremity showed no deep vein thrombosis.",
        (
            "The patient was started on intravenous cefazolin, and vancomycin was added because of a prior history "
            "of MRSA colonization. The leg was elevated. Erythema receded within the marked borders by hospital day "
            "2 and {he} defervesced.",
            "{He} was transitioned to oral cephalexin and doxycycline to complete a {abx_days}-day course.",
        ),
        (),
        ("cephalexin 500 mg four times daily for {abx_left} more days",
         "doxycycline 100 mg twice daily for {abx_left} more days"),
        ("Tinea pedis", "Venous stasis"),
        "primary care physician in 3 to 5 days for a wound check",
        febrile=True,
    ),
    Admission(
        "Acute exacerbation of chronic obstructive pulmonary disease", "Wheezing and shortness of breath.",
        "The patient is a {age}-year-old {man} with severe COPD on 2 L home oxygen and a history of {history} who "
        "presented with {days} days of increased dyspnea, cough and sputum purulence following an upper "
        "respiratory infection. {He} had been using {his} rescue inhaler every 2 hours.",
        "LUNGS: Diffuse expiratory wheezes with prolonged expiratory phase and use of accessory muscles.",
        (("WBC", 10.5, 14.5), ("bicarbonate", 30, 35)),
        "Venous blood gas showed pH {ph} with pCO2 {pco2} mmHg. Chest x-ray showed hyperinflation without "
        "consolidation. Respiratory viral panel was positive for rhinovirus.",
        (
            "The patient was treated with scheduled ipratropium-albuterol nebulizers, prednisone 40 mg daily and "
            "azithromycin. {He} required BiPAP overnight on hospital day 1 for hypercapnia, then was weaned back to "
            "{his} baseline 2 L nasal cannula.",
            "Inhaler technique was reviewed and {he} was switched to a triple-therapy inhaler. Smoking cessation "
            "counseling was provided and pulmonary rehabilitation referral was placed.",
        ),
        (),
        ("prednisone 40 mg daily for {steroid_left} more days",
         "fluticasone-umeclidinium-vilanterol 1 inhalation daily",
         "albuterol inhaler 2 puffs every 4 hours as needed"),
        ("Acute on chronic hypercapnic respiratory failure", "Rhinovirus infection"),
        "pulmonology in 2 weeks",
        tachy=True, hypoxic=True,
    ),
    Admission(
        "Acute pyelonephritis with acute kidney injury", "Fever, flank pain and dysuria.",
        "The patient is a {age}-year-old {man} with a history of {history} who presented with {days} days of "
        "dysuria and urinary frequency followed by fever, rigors and {side} flank pain.",
        "BACK: {Side} costovertebral angle tenderness.",
        (("WBC", 14.0, 21.0), ("creatinine", 1.6, 2.8), ("BUN", 26, 44)),
        "Urinalysis showed large leukocyte esterase, positive nitrite and greater than 50 white cells per high-power "
        "field. CT of the abdomen and pelvis without contrast showed {side} perinephric stranding without "
        "hydronephrosis or stone.",
        (
            "The patient was treated with ceftriaxone and intravenous fluids. Urine culture grew greater than "
            "100,000 colonies of Escherichia coli sensitive to ceftriaxone and ciprofloxacin. Blood cultures grew "
            "the same organism in 1 of 2 sets.",
            "Creatinine improved to {cr_discharge} mg/dL with hydration, and {his} lisinopril and metformin were "
            "held and may be resumed at follow-up. {He} was afebrile for 48 hours before discharge.",
        ),
        (),
        ("ciprofloxacin 500 mg twice daily for {abx_left} more days",),
        ("Escherichia coli bacteremia", "Sepsis, present on admission, resolved"),
        "primary care physician in 1 week with a basic metabolic panel",
        febrile=True, tachy=True,
    ),
    Admission(
        "Upper gastrointestinal bleed secondary to duodenal ulcer", "Black stools and lightheadedness.",
        "The patient is a {age}-year-old {man} with a history of {history} who presented with {days} days of black, "
        "tarry stools and lightheadedness on standing. {He} had been taking ibuprofen 800 mg three times daily for "
        "knee pain.",
        "ABDOMEN: Mild epigastric tenderness. Rectal examination showed melena.",
        (("hemoglobin", 6.4, 8.1), ("BUN", 38, 62)),
        "Hemoglobin was {hgb_low} g/dL, down from a baseline of 13 g/dL.",
        (
            "The patient received {units} units of packed red blood cells and a pantoprazole infusion. EGD on "
            "hospital day 1 showed a {ulcer_cm} cm clean-based duodenal bulb ulcer without stigmata of recent "
            "hemorrhage. Biopsies were positive for Helicobacter pylori.",
            "Hemoglobin remained stable at {hgb_stable} g/dL for 48 hours. NSAIDs were discontinued and {he} was "
            "started on bismuth quadruple therapy for Helicobacter pylori eradication.",
        ),
        ("Esophagogastroduodenoscopy with biopsy",),
        ("pantoprazole 40 mg twice daily", "bismuth subsalicylate 524 mg four times daily for 14 days",
         "metronidazole 500 mg three times daily for 14 days", "tetracycline 500 mg four times daily for 14 days"),
        ("Acute blood loss anemia", "Helicobacter pylori infection"),
        "gastroenterology in 4 weeks with stool antigen testing to confirm eradication",
        tachy=True,
    ),
    Admission(
        "Acute ischemic stroke, left middle cerebral artery territory", "Right-sided weakness and difficulty speaking.",
        "The patient is a {age}-year-old {man} with a history of {history} who was last known well at {lkw} when "
        "{his} family found {him} with right arm weakness and word-finding difficulty. NIH Stroke Scale on arrival "
        "was {nihss}.",
        "NEUROLOGIC: Expressive aphasia. Right facial droop. Right upper extremity strength 3/5, right lower "
        "extremity 4/5. Sensation intact.",
        (("glucose", 110, 180),),
        "CT of the head showed no hemorrhage. CT angiography showed no large vessel occlusion. MRI of the brain "
        "showed a {infarct_cm} cm acute infarct in the left frontal operculum.",
        (
            "The patient was outside the window for thrombolysis and was admitted to the stroke unit. Telemetry "
            "showed {tele}. LDL cholesterol was {ldl} mg/dL and hemoglobin A1c {a1c}%.",
            "Speech therapy and physical therapy worked with the patient daily, and {his} aphasia improved "
            "substantially. {He} was evaluated by physical medicine and rehabilitation and accepted to an acute "
            "inpatient rehabilitation facility.",
        ),
        (),
        ("aspirin 81 mg daily", "clopidogrel 75 mg daily for 21 days", "atorvastatin 80 mg nightly"),
        ("Expressive aphasia", "Right hemiparesis"),
        "neurology stroke clinic in 6 weeks",
    ),
    Admission(
        "Acute pulmonary embolism, {side} lower lobe segmental", "Sudden shortness of breath.",
        "The patient is a {age}-year-old {man} with a history of {history} who presented with sudden-onset dyspnea "
        "and {side}-sided pleuritic chest pain {days} days after a long car trip. {He} denied hemoptysis.",
        "EXTREMITIES: {Side} calf tenderness and swelling.",
        (),
        "CT pulmonary angiography showed filling defects in the {side} lower lobe segmental arteries without right "
        "heart strain. Troponin and BNP were normal. Venous duplex showed occlusive thrombus of the {side} popliteal "
        "vein.",
        (
            "The patient was started on a heparin infusion and transitioned to apixaban. {He} remained "
            "hemodynamically stable on room air with exertional saturations above 93%.",
            "Because the event was provoked by prolonged immobility, a treatment duration of 3 months is planned. "
            "Age-appropriate cancer screening is up to date.",
        ),
        (),
        ("apixaban 10 mg twice daily for 7 days, then 5 mg twice daily",),
        ("Deep vein thrombosis, {side} popliteal vein",),
        "primary care physician in 1 to 2 weeks and hematology in 3 months",
        tachy=True, hypoxic=True,
    ),
    Admission(
        "Partial small bowel obstruction due to adhesions", "Abdominal distention and vomiting.",
        "The patient is a {age}-year-old {man} with a history of {history} and a prior open appendectomy who "
        "presented with {days} days of crampy abdominal pain, distention, bilious emesis and no bowel movement.",
        "ABDOMEN: Distended and tympanitic with diffuse tenderness and high-pitched bowel sounds. Well-healed right "
        "lower quadrant incision.",
        (("potassium", 3.0, 3.4), ("bicarbonate", 29, 33)),
        "CT of the abdomen and pelvis showed dilated loops of small bowel to {sbo_cm} cm with a transition point in "
        "the right lower quadrant and distal decompression, without pneumatosis or free air.",
        (
            "The patient was managed with bowel rest, nasogastric decompression and intravenous fluids with "
            "potassium repletion. A water-soluble contrast challenge on hospital day 2 showed contrast in the colon "
            "at 24 hours.",
            "The nasogastric tube was removed, {he} passed flatus and had a bowel movement, and diet was advanced "
            "to regular without recurrence of symptoms. Surgery was not required.",
        ),
        (),
        ("polyethylene glycol 17 g daily as needed for constipation",),
        ("Hypokalemia, resolved", "Metabolic alkalosis, resolved"),
        "general surgery clinic in 2 weeks",
    ),
)

DISCHARGE_CONDITIONS = ("Stable.", "Good.", "Improved and stable.", "Fair, improved.")
DISPOSITIONS = (
    "Home.", "Home with home health services.", "Home with family.", "Skilled nursing facility for short-term "
    "rehabilitation.", "Home with outpatient physical therapy.",
)
ARTERIES = ("proximal left anterior descending artery", "mid right coronary artery", "proximal circumflex artery",
            "first obtuse marginal branch")


def _admission_facts(rng: random.Random) -> Context:
    """Numbers that the admission templates may reference."""
    side = rng.choice(("right", "left"))
    abx_days = rng.choice((5, 7, 10, 14))
    return {
        "side": side, "Side": side.capitalize(), "days": str(rng.randint(2, 7)), "hours": str(rng.randint(2, 10)),
        "o2_days": str(rng.randint(1, 3)), "sat": str(rng.randint(92, 97)), "abx_days": str(abx_days),
        "abx_left": str(abx_days - rng.randint(2, 4)), "weight_gain": str(rng.randint(6, 18)),
        "bnp": f"{rng.randint(900, 4800):,}", "ef": str(rng.choice((20, 25, 30, 35, 40, 45))),
        "net_liters": f"{rng.uniform(3.5, 9.5):.1f}", "dry_weight": str(rng.randint(148, 262)),
        "ecg": pick(rng, ("2 mm ST depressions in leads V4 through V6", "T-wave inversions in the inferior leads",
                          "nonspecific ST changes")),
        "trop": str(rng.randint(60, 2400)), "stenosis": str(rng.choice((80, 85, 90, 95, 99))),
        "artery": pick(rng, ARTERIES), "wall": pick(rng, ("anterior", "inferior", "lateral")),
        "bhb": f"{rng.uniform(4.5, 9.8):.1f}", "gap": str(rng.randint(22, 34)), "gap_hours": str(rng.randint(10, 22)),
        "glargine": str(rng.randint(14, 32)), "lispro": str(rng.randint(4, 10)), "a1c": f"{rng.uniform(6.1, 13.8):.1f}",
        "lipase": f"{rng.randint(900, 8800):,}", "cbd": str(rng.randint(4, 7)), "surgery_day": str(rng.randint(2, 4)),
        "pills": str(rng.choice((8, 10, 12))), "area": f"{rng.randint(6, 18)} x {rng.randint(5, 14)}",
        "ph": f"{rng.uniform(7.28, 7.34):.2f}", "pco2": str(rng.randint(52, 68)),
        "steroid_left": str(rng.randint(1, 3)),
        "cr_discharge": f"{rng.uniform(0.9, 1.3):.2f}", "units": str(rng.randint(1, 3)),
        "ulcer_cm": f"{rng.uniform(0.6, 2.2):.1f}", "hgb_low": f"{rng.uniform(6.4, 8.1):.1f}",
        "hgb_stable": f"{rng.uniform(8.6, 10.2):.1f}",
        "lkw": f"{rng.randint(5, 11)}:{rng.choice(('00', '15', '30', '45'))} a.m.",
        "nihss": str(rng.randint(3, 9)), "infarct_cm": f"{rng.uniform(1.2, 3.4):.1f}",
        "tele": pick(rng, ("normal sinus rhythm throughout",
                           "a 6-hour episode of atrial fibrillation, and apixaban was started")),
        "ldl": str(rng.randint(88, 176)), "sbo_cm": f"{rng.uniform(3.2, 4.6):.1f}",
    }


def discharge_summary(rng: random.Random) -> tuple[str, str, dict]:
    """Header, diagnoses, history, exam, labs, hospital course, discharge medications and follow-up."""
    adm = rng.choice(ADMISSIONS)
    ctx = patient(rng, 28, 92) | _admission_facts(rng)
    history = comorbidities(rng, ctx["sex"], rng.randint(2, 5))
    ctx["history"] = ", ".join(history[:-1]) + " and " + history[-1]
    admitted = random_date(rng, 2019, 2025)
    stay = rng.randint(2, 8)
    diagnosis = adm.diagnosis.format_map(ctx)
    home = home_medications(rng, history)
    meds_out = [m.format_map(ctx) for m in adm.new_meds] + home[: max(1, len(home) - rng.randint(0, 2))]
    blocks = [
        "DISCHARGE SUMMARY",
        "\n".join((f"PATIENT NAME: {ctx['name']}", f"MEDICAL RECORD NUMBER: {ctx['mrn']}",
                   f"DATE OF ADMISSION: {short_date(admitted)}",
                   f"DATE OF DISCHARGE: {short_date(admitted + timedelta(days=stay))}",
                   f"ATTENDING PHYSICIAN: {clinician(rng)}", f"FACILITY: {pick(rng, HOSPITALS)}")),
        section("ADMISSION DIAGNOSIS", diagnosis + "."),
        section("DISCHARGE DIAGNOSES", numbered([diagnosis, *(s.format_map(ctx) for s in adm.secondary),
                                                 *(h[0].upper() + h[1:] for h in history)])),
        section("CHIEF COMPLAINT", adm.complaint),
        section("HISTORY OF PRESENT ILLNESS", adm.hpi.format_map(ctx)),
        section("PAST MEDICAL HISTORY", numbered([h[0].upper() + h[1:] for h in history])),
    ]
    optional, chosen = _discharge_optional(rng, ctx, home)
    blocks += optional
    blocks += [
        section("PHYSICAL EXAMINATION ON ADMISSION", "\n".join((
            "VITAL SIGNS: " + vitals(rng, adm.febrile, adm.tachy, adm.hypoxic),
            "GENERAL: " + pick(rng, ("Alert and oriented, in mild distress.", "Awake, alert, uncomfortable-appearing.",
                                     "Elderly-appearing, in moderate distress.")),
            adm.exam.format_map(ctx)))),
        section("LABORATORY DATA", lab_panel(rng, {n: (lo, hi) for n, lo, hi in adm.labs})),
        section("IMAGING AND OTHER STUDIES", adm.imaging.format_map(ctx)),
        section("HOSPITAL COURSE", "\n\n".join(p.format_map(ctx) for p in adm.course)),
    ]
    if adm.procedures:
        blocks.append(section("PROCEDURES", numbered(adm.procedures)))
    blocks += [
        section("CONDITION AT DISCHARGE", pick(rng, DISCHARGE_CONDITIONS)),
        section("DISPOSITION", pick(rng, DISPOSITIONS)),
        section("DISCHARGE MEDICATIONS", numbered(meds_out)),
        section("DISCHARGE INSTRUCTIONS", _instructions(rng)),
        section("FOLLOW-UP", f"Follow up with {adm.followup}."),
        f"Dictated by: {clinician(rng)}\nElectronically signed {short_date(admitted + timedelta(days=stay + 1))}",
    ]
    said = ADMISSION_MENTIONS[adm.diagnosis]
    truth = _truth(
        admitted,
        medications=[*meds_out, *home, *said.medications],
        problems=[diagnosis, *(s.format_map(ctx) for s in adm.secondary), *history, *said.problems],
        allergy=chosen["allergy"],
        negated=said.negated,
        procedures=[*adm.procedures, *said.procedures, *chosen["surgery"]],
        family=chosen["family"],
    )
    return f"Discharge Summary: {ctx['name']}, {diagnosis}", "\n\n".join(blocks), truth


def _discharge_optional(rng: random.Random, ctx: Context, home: list[str]) -> tuple[list[str], dict]:
    """Sections that real discharge summaries include only sometimes, and what they chose."""
    blocks = []
    chosen: dict = {"surgery": [], "family": []}
    if rng.random() < 0.6:
        surgery = pick(rng, (
            "Appendectomy.", "Cholecystectomy.", "Right total knee arthroplasty.", "Cesarean section."
            if ctx["sex"] == "female" else "Inguinal hernia repair.", "None.", "Tonsillectomy as a child.",
            "Lumbar laminectomy."))
        blocks.append(section("PAST SURGICAL HISTORY", surgery))
        chosen["surgery"] = [SURGERY_TRUTH[surgery]] if SURGERY_TRUTH[surgery] else []
    blocks.append(section("MEDICATIONS ON ADMISSION", numbered(home) if home else "None."))
    chosen["allergy"] = pick(rng, ALLERGIES)
    blocks.append(section("ALLERGIES", chosen["allergy"]))
    blocks.append(section("SOCIAL HISTORY", social_history(rng, ctx)))
    if rng.random() < 0.6:
        text, chosen["family"] = _family_history(rng)
        blocks.append(section("FAMILY HISTORY", text))
    return blocks, chosen


def _instructions(rng: random.Random) -> str:
    """Diet, activity and return precautions."""
    diet = pick(rng, ("Cardiac diet.", "Low-sodium diet, 2 grams daily.", "Regular diet as tolerated.",
                      "Carbohydrate-consistent diabetic diet.", "Low-fat diet."))
    activity = pick(rng, ("Activity as tolerated.", "No lifting more than 10 pounds for 2 weeks.",
                          "Walk at least three times daily, increasing distance as tolerated."))
    return (f"{diet} {activity} Return to the emergency department for fever above 101 F, chest pain, worsening "
            "shortness of breath, or any other concerning symptoms.")


# --------------------------------------------------------------------------- progress note


@dataclass(frozen=True)
class Problem:
    """One chronic problem as a clinic note discusses it in each SOAP section."""

    assessment: str
    subjective: tuple[str, ...]
    objective: str
    plan: tuple[str, ...]


PROBLEMS = (
    Problem(
        "Essential hypertension, {control}.",
        ("{He} checks {his} blood pressure at home and reports readings of {home_sys}/{home_dia} on average. {He} "
         "denies headache, chest pain or lightheadedness.",
         "{He} has been taking {his} antihypertensive regularly and denies side effects other than mild ankle "
         "swelling."),
        "Office blood pressure {bp_sys}/{bp_dia} on repeat measurement.",
        ("Continue current antihypertensive regimen; {bp_action}.", "Reinforced sodium restriction to under 2 grams "
         "daily and regular aerobic exercise.", "Basic metabolic panel today."),
    ),
    Problem(
        "Type 2 diabetes mellitus, hemoglobin A1c {a1c}%.",
        ("{He} reports fasting glucose readings between {fbg_low} and {fbg_high} mg/dL. Denies hypoglycemic "
         "episodes, polyuria or polydipsia.", "{He} admits to difficulty with diet over the past few months and has "
         "gained {gain} pounds."),
        "Hemoglobin A1c {a1c}%, compared with {a1c_prev}% three months ago. Monofilament sensation intact bilaterally.",
        ("{dm_action}.", "Referred for diabetes self-management education.", "Annual dilated eye examination ordered. "
         "Urine albumin-to-creatinine ratio today."),
    ),
    Problem(
        "Hyperlipidemia.",
        ("{He} tolerates {his} statin without myalgias.",),
        "Lipid panel: total cholesterol {tc} mg/dL, LDL {ldl} mg/dL, HDL {hdl} mg/dL, triglycerides {tg} mg/dL.",
        ("Continue statin therapy; 10-year ASCVD risk estimated at {ascvd}%.", "Repeat lipid panel in 12 months."),
    ),
    Problem(
        "Hypothyroidism.",
        ("{He} reports improved energy since the last levothyroxine dose adjustment. No palpitations or heat "
         "intolerance.",),
        "TSH {tsh} mIU/L.",
        ("Continue levothyroxine at the current dose, taken on an empty stomach.", "Recheck TSH in 6 months."),
    ),
    Problem(
        "Moderate persistent asthma, {asthma_control}.",
        ("{He} uses {his} albuterol inhaler about {puffs} times per week and wakes at night with cough {nights} "
         "times per month.", "Symptoms worsen with cold air and seasonal pollen."),
        "Lungs with scattered end-expiratory wheezes. Peak flow {peak} L/min, {peak_pct}% of personal best.",
        ("Step up to a medium-dose inhaled corticosteroid with long-acting beta agonist.", "Written asthma action "
         "plan reviewed.", "Influenza vaccine given today."),
    ),
    Problem(
        "Major depressive disorder, recurrent, {dep_status}.",
        ("{He} reports {mood} mood. PHQ-9 score today is {phq}. Denies suicidal ideation, intent or plan.",
         "Sleep is fragmented and {he} has lost interest in woodworking, which {he} previously enjoyed."),
        "Affect is {affect}. Thought process linear. No evidence of psychosis.",
        ("{dep_action}.", "Continue psychotherapy with {his} counselor every 2 weeks.", "Crisis line information "
         "provided."),
    ),
    Problem(
        "Chronic low back pain without radiculopathy.",
        ("Pain is {pain}/10, located in the lower lumbar region, worse with prolonged sitting, without radiation, "
         "numbness or bowel or bladder changes.",),
        "Lumbar paraspinal tenderness. Straight leg raise negative bilaterally. Strength 5/5 in the lower "
        "extremities.",
        ("Referral to physical therapy for core strengthening.", "Naproxen 500 mg twice daily with food as needed "
         "for up to 2 weeks.", "Imaging not indicated in the absence of red flag symptoms."),
    ),
    Problem(
        "Chronic kidney disease stage 3a.",
        ("{He} denies edema, decreased urine output or nausea.",),
        "Creatinine {cr} mg/dL, estimated GFR {egfr} mL/min/1.73 m2. Urine albumin-to-creatinine ratio {uacr} mg/g.",
        ("Avoid NSAIDs and nephrotoxic agents.", "Start empagliflozin 10 mg daily for renal protection.",
         "Renal function panel in 3 months."),
    ),
    Problem(
        "Osteoarthritis of the {side} knee.",
        ("{He} reports {side} knee pain with stairs and after walking more than {blocks} blocks, with morning "
         "stiffness lasting less than 30 minutes.",),
        "{Side} knee with crepitus, small effusion and medial joint line tenderness. Range of motion 5 to 115 "
        "degrees.",
        ("Topical diclofenac gel 4 times daily.", "Weight loss and quadriceps strengthening discussed.",
         "Consider intra-articular corticosteroid injection if no improvement in 6 weeks."),
    ),
    Problem(
        "Paroxysmal atrial fibrillation on anticoagulation.",
        ("{He} reports occasional palpitations lasting minutes, without syncope. Denies bleeding on apixaban.",),
        "Irregularly irregular rhythm on examination. ECG today shows atrial fibrillation with a ventricular rate "
        "of {af_rate}.",
        ("Continue apixaban 5 mg twice daily; CHA2DS2-VASc score {chads}.", "Increase metoprolol succinate for "
         "rate control.", "Ambulatory monitor for 14 days."),
    ),
    Problem(
        "Gastroesophageal reflux disease.",
        ("{He} reports heartburn {gerd_freq} times per week, worse after late meals.",),
        "Abdomen soft, nontender.",
        ("Continue proton pump inhibitor 30 minutes before breakfast.", "Avoid meals within 3 hours of bedtime and "
         "elevate the head of the bed."),
    ),
    Problem(
        "Obesity, body mass index {bmi}.",
        ("{He} is motivated to lose weight and has been walking 20 minutes daily.",),
        "Weight {weight} pounds. Body mass index {bmi}.",
        ("Discussed a calorie deficit of 500 kcal per day.", "Referral to the medical weight management program.",
         "Discussed pharmacotherapy options, including GLP-1 receptor agonists."),
    ),
)


def _progress_facts(rng: random.Random) -> Context:
    """Measurements the problem templates may reference."""
    a1c = rng.uniform(6.2, 10.9)
    sys = rng.randint(118, 166)
    return {
        "home_sys": str(sys - rng.randint(0, 12)), "home_dia": str(rng.randint(70, 92)), "bp_sys": str(sys),
        "bp_dia": str(rng.randint(68, 98)), "control": "controlled" if sys < 135 else "not at goal",
        "bp_action": "no changes today" if sys < 135 else pick(rng, ("increase lisinopril to 40 mg daily",
                                                                     "add amlodipine 5 mg daily")),
        "a1c": f"{a1c:.1f}", "a1c_prev": f"{a1c + rng.uniform(-1.2, 1.0):.1f}", "fbg_low": str(rng.randint(110, 150)),
        "fbg_high": str(rng.randint(160, 240)), "gain": str(rng.randint(3, 14)),
        "dm_action": "Continue metformin" if a1c < 7.5 else pick(rng, (
            "Add semaglutide 0.25 mg weekly, titrating monthly", "Add empagliflozin 10 mg daily",
            "Increase insulin glargine by 2 units every 3 days to a fasting goal of 80 to 130 mg/dL")),
        "tc": str(rng.randint(150, 260)), "ldl": str(rng.randint(62, 170)), "hdl": str(rng.randint(34, 72)),
        "tg": str(rng.randint(90, 320)), "ascvd": f"{rng.uniform(4, 28):.1f}", "tsh": f"{rng.uniform(0.6, 6.8):.2f}",
        "asthma_control": rng.choice(("not well controlled", "well controlled")), "puffs": str(rng.randint(1, 6)),
        "nights": str(rng.randint(0, 5)), "peak": str(rng.randint(280, 480)), "peak_pct": str(rng.randint(68, 96)),
        "dep_status": rng.choice(("moderate", "in partial remission", "mild")), "mood": rng.choice(
            ("improved", "low", "stable", "fair")), "phq": str(rng.randint(4, 19)), "affect": rng.choice(
            ("mildly constricted", "euthymic", "tearful at times", "bright")),
        "dep_action": pick(rng, ("Increase sertraline to 100 mg daily", "Continue escitalopram 10 mg daily",
                                 "Add bupropion XL 150 mg daily")),
        "pain": str(rng.randint(3, 8)), "cr": f"{rng.uniform(1.2, 1.7):.2f}", "egfr": str(rng.randint(45, 59)),
        "uacr": str(rng.randint(12, 260)), "side": rng.choice(("right", "left")), "blocks": str(rng.randint(2, 6)),
        "af_rate": str(rng.randint(72, 118)), "chads": str(rng.randint(2, 5)), "gerd_freq": str(rng.randint(2, 6)),
        "bmi": f"{rng.uniform(30.2, 41.8):.1f}", "weight": str(rng.randint(188, 284)),
    }


def progress_note(rng: random.Random) -> tuple[str, str, dict]:
    """An outpatient SOAP note covering two to four chronic problems."""
    ctx = patient(rng, 32, 88) | _progress_facts(rng)
    ctx["Side"] = ctx["side"].capitalize()
    problems = rng.sample(PROBLEMS, rng.randint(2, 4))
    visit = random_date(rng, 2020, 2025)
    provider = clinician(rng, pick(rng, ("MD", "DO", "NP", "PA-C")))
    reason = ", ".join(p.assessment.format_map(ctx).split(",")[0].rstrip(".").lower() for p in problems)
    subjective = [f"{ctx['name']} is a {ctx['age']}-year-old {ctx['man']} seen today for follow-up of {reason}."]
    told = [rng.choice(p.subjective) for p in problems]
    subjective += [t.format_map(ctx) for t in told]
    allergy_line = pick(rng, ALLERGY_LINES)
    allergy = pick(rng, ALLERGIES)
    subjective.append(allergy_line.format(allergy=allergy))
    vital_signs = "VITAL SIGNS: " + vitals(rng)
    exam = [(part, pick(rng, options)) for part, options in EXAM_NORMALS]
    objective = [vital_signs, *(f"{part}: {finding}" for part, finding in exam)]
    objective += [p.objective.format_map(ctx) for p in problems]
    assessment = numbered([p.assessment.format_map(ctx) for p in problems])
    plan = [f"{i}. {p.assessment.format_map(ctx).split(',')[0].rstrip('.')}: "
            + " ".join(line.format_map(ctx) for line in p.plan) for i, p in enumerate(problems, 1)]
    plan.append(f"Health maintenance: {pick(rng, HEALTH_MAINTENANCE)} {pick(rng, HEALTH_MAINTENANCE[::-1])}")
    plan.append(f"Total time spent on the date of the encounter was {rng.randint(22, 48)} minutes, including review "
                "of records, examination, counseling and documentation.")
    plan.append(f"Return to clinic in {rng.choice(('4 weeks', '6 weeks', '3 months', '6 months'))}, sooner as needed.")
    blocks = [
        "PROGRESS NOTE",
        "\n".join((f"PATIENT: {ctx['name']}", f"MRN: {ctx['mrn']}", f"DATE OF SERVICE: {short_date(visit)}",
                   f"CLINIC: {pick(rng, CLINICS)}", f"PROVIDER: {provider}")),
        section("CHIEF COMPLAINT", pick(rng, ("Follow-up of chronic conditions.", "Routine follow-up.",
                                              "Medication review and laboratory follow-up."))),
        section("SUBJECTIVE", "\n\n".join(subjective)),
        section("REVIEW OF SYSTEMS", _review_of_systems(rng, ros := [])),
        section("CURRENT MEDICATIONS", numbered(current := home_medications(rng, comorbidities(rng, ctx["sex"], 3)))),
        section("OBJECTIVE", "\n".join(objective)),
        section("ASSESSMENT", assessment),
        section("PLAN", "\n\n".join(plan)),
        f"Electronically signed by {provider} on {short_date(visit)}.",
    ]
    said = [PROBLEM_MENTIONS[p.assessment] for p in problems]
    mentions = [m for p, t, ms in zip(problems, told, said, strict=True)
                for m in (ms[0][p.subjective.index(t)], *ms[1:])]
    mentions += [EXAM_NORMAL_MENTIONS.get(finding, Mentions()) for _, finding in exam]
    mentions += [ROS_MENTIONS[item] for item in ros]
    actions = {"Type 2": ctx["dm_action"], "Major depressive": ctx["dep_action"],
               "Essential hypertension": ctx["bp_action"]}
    acted = [ACTION_DRUGS.get(a, "") for p in problems for key, a in actions.items() if p.assessment.startswith(key)]
    truth = _truth(
        visit,
        medications=[*current, *filter(None, acted), *(d for m in mentions for d in m.medications)],
        problems=[*(p.assessment.format_map(ctx).rstrip(".") for p in problems),
                  *(x for m in mentions for x in m.problems)],
        allergy=allergy,
        negated=[x for m in mentions for x in m.negated],
        procedures=[x for m in mentions for x in m.procedures],
    )
    return f"Progress Note: {ctx['name']}, {short_date(visit)}", "\n\n".join(blocks), truth


EXAM_NORMALS = (
    ("GENERAL", ("Well-appearing, in no acute distress.", "Pleasant, alert and oriented, no distress.")),
    ("HEENT", ("Normocephalic, atraumatic. Oropharynx clear.", "Pupils equal and reactive. Moist mucous membranes.")),
    ("NECK", ("Supple, no lymphadenopathy or thyromegaly.", "No jugular venous distention. No carotid bruits.")),
    ("HEART", ("Regular rate and rhythm, no murmurs, rubs or gallops.", "Normal S1 and S2, no murmurs.")),
    ("LUNGS", ("Clear to auscultation bilaterally.", "Good air movement, no wheezes or crackles.")),
    ("ABDOMEN", ("Soft, nontender, nondistended, normal bowel sounds.", "Soft, obese, nontender.")),
    ("EXTREMITIES", ("No edema. Distal pulses 2+ and symmetric.", "Trace bilateral ankle edema.")),
    ("NEUROLOGIC", ("Alert and oriented x3. Gait normal.", "Cranial nerves grossly intact, strength 5/5 throughout.")),
)
ROS_ITEMS = (
    "fevers, chills or night sweats", "chest pain or palpitations", "shortness of breath or cough",
    "nausea, vomiting, diarrhea or blood in the stool", "dysuria or hematuria", "new joint swelling",
    "focal weakness or numbness", "unintentional weight loss", "rash or new skin lesions",
)
HEALTH_MAINTENANCE = (
    "Colonoscopy up to date.", "Influenza vaccine given today.", "Due for pneumococcal vaccination, given today.",
    "Mammogram ordered." , "Tdap up to date.", "Zoster vaccine series recommended.",
    "Low-dose CT lung cancer screening discussed.", "Hepatitis C screening completed.",
)


def _review_of_systems(rng: random.Random, chosen: list[str] | None = None) -> str:
    """Pertinent negatives, the filler a real ROS is mostly made of; ``chosen`` receives them."""
    negatives = rng.sample(ROS_ITEMS, rng.randint(4, 7))
    if chosen is not None:
        chosen += negatives
    return ("Negative for " + "; negative for ".join(negatives) + ". All other systems reviewed and negative "
            "except as noted in the history above.")


ALLERGY_LINES = ("Allergies reviewed: {allergy}", "Allergy list unchanged: {allergy}")


# --------------------------------------------------------------------------- radiology report


@dataclass(frozen=True)
class Finding:
    """An abnormal finding: the sentence in FINDINGS and the line it earns in IMPRESSION."""

    section: str
    text: str
    impression: str


@dataclass(frozen=True)
class Exam:
    """One imaging study: its technique, its normal report by section, and possible abnormal findings."""

    name: str
    indications: tuple[str, ...]
    technique: str
    normal: tuple[tuple[str, str], ...]
    findings: tuple[Finding, ...]
    normal_impression: str


EXAMS = (
    Exam(
        "CT CHEST WITH CONTRAST (PULMONARY EMBOLISM PROTOCOL)",
        ("Acute shortness of breath and tachycardia, elevated D-dimer.", "Pleuritic chest pain, evaluate for pulmonary "
         "embolism.", "Hypoxia after recent knee surgery."),
        "Helical CT images of the chest were obtained after intravenous administration of {contrast} mL of "
        "iohexol 350 using a pulmonary embolism protocol. Coronal and sagittal reformations and maximum intensity "
        "projection images were reviewed.",
        (("Pulmonary arteries", "The main pulmonary artery is normal in caliber. No filling defects are seen to the "
          "subsegmental level."),
         ("Lungs and airways", "The central airways are patent. The lungs are clear without consolidation or "
          "suspicious nodule."),
         ("Pleura", "No pleural effusion or pneumothorax."),
         ("Heart and mediastinum", "Heart size is normal. No pericardial effusion. No mediastinal or hilar "
          "lymphadenopathy."),
         ("Upper abdomen", "Limited images of the upper abdomen are unremarkable."),
         ("Bones", "No acute osseous abnormality. Mild degenerative changes of the thoracic spine.")),
        (Finding("Pulmonary arteries", "Filling defects are present in the {side} lower lobe segmental and "
                 "subsegmental pulmonary arteries. The RV to LV ratio is {rvlv}.",
                 "Acute {side} lower lobe segmental and subsegmental pulmonary emboli. RV to LV ratio {rvlv}."),
         Finding("Lungs and airways", "A {nodule} mm solid nodule is present in the {lobe}, series 4 image {image}.",
                 "{nodule} mm solid nodule in the {lobe}. Follow-up CT in 6 to 12 months per Fleischner Society "
                 "guidelines if the patient is high risk."),
         Finding("Pleura", "Small {side} pleural effusion with adjacent compressive atelectasis.",
                 "Small {side} pleural effusion."),
         Finding("Lungs and airways", "Peripheral wedge-shaped opacity in the {side} lower lobe measuring {wedge} cm.",
                 "Wedge-shaped {side} lower lobe opacity, which may represent pulmonary infarct.")),
        "No pulmonary embolism. No acute cardiopulmonary abnormality.",
    ),
    Exam(
        "CT ABDOMEN AND PELVIS WITH CONTRAST",
        ("Right lower quadrant pain and fever.", "Abdominal pain and leukocytosis.", "Left lower quadrant pain, "
         "history of diverticulosis."),
        "Axial CT images of the abdomen and pelvis were obtained following administration of {contrast} mL of "
        "intravenous iohexol 300. Oral contrast was not administered. Coronal and sagittal reformations were "
        "reviewed.",
        (("Liver", "Normal in size and attenuation without focal lesion."),
         ("Gallbladder and bile ducts", "Gallbladder is unremarkable. No biliary ductal dilatation."),
         ("Pancreas, spleen and adrenal glands", "Unremarkable."),
         ("Kidneys", "Kidneys enhance symmetrically. No hydronephrosis or renal calculus."),
         ("Bowel", "No bowel obstruction or wall thickening. The appendix is normal."),
         ("Pelvis", "Urinary bladder is unremarkable. No free fluid."),
         ("Bones", "No aggressive osseous lesion.")),
        (Finding("Bowel", "The appendix is dilated to {appendix} mm with wall hyperenhancement and periappendiceal fat "
                 "stranding. An appendicolith is present at the base. No abscess or free air.",
                 "Acute appendicitis with appendicolith, without abscess or perforation."),
         Finding("Bowel", "Segmental wall thickening of the sigmoid colon with pericolonic fat stranding and "
                 "numerous diverticula. A {abscess} cm rim-enhancing fluid collection is adjacent.",
                 "Acute sigmoid diverticulitis complicated by a {abscess} cm pericolonic abscess."),
         Finding("Liver", "A {cyst} cm homogeneous fluid attenuation lesion in hepatic segment {segment} is "
                 "consistent with a simple cyst.", "Simple hepatic cyst, no follow-up needed."),
         Finding("Kidneys", "A {stone} mm calculus in the {side} proximal ureter with mild upstream hydronephrosis.",
                 "{stone} mm obstructing {side} proximal ureteral calculus with mild hydronephrosis.")),
        "No acute abdominal or pelvic abnormality.",
    ),
    Exam(
        "MRI LUMBAR SPINE WITHOUT CONTRAST",
        ("Low back pain radiating to the {side} leg for 8 weeks despite physical therapy.", "Lumbar radiculopathy.",
         "Low back pain with {side} foot numbness."),
        "Multiplanar, multisequence MR images of the lumbar spine were obtained without intravenous contrast on a "
        "1.5 Tesla magnet, including sagittal T1, T2 and STIR and axial T1 and T2 sequences.",
        (("Alignment", "Normal lumbar lordosis without spondylolisthesis."),
         ("Vertebrae", "Vertebral body heights are maintained. Marrow signal is normal."),
         ("Conus", "The conus medullaris terminates at L1 and is normal in signal."),
         ("L1-L2 through L3-L4", "No disc herniation, canal stenosis or foraminal narrowing."),
         ("L4-L5", "Mild disc desiccation without significant stenosis."),
         ("L5-S1", "No disc herniation or neural foraminal narrowing."),
         ("Paraspinal soft tissues", "Unremarkable.")),
        (Finding("L4-L5", "Broad-based disc bulge with a superimposed {side} paracentral extrusion measuring "
                 "{disc} mm, "
                 "contacting the traversing {side} L5 nerve root. Moderate {side} lateral recess narrowing.",
                 "L4-L5 {side} paracentral disc extrusion contacting the traversing {side} L5 nerve root."),
         Finding("L5-S1", "Disc bulge and facet arthropathy with severe {side} neural foraminal narrowing and "
                 "impingement of the exiting {side} L5 nerve root.", "Severe {side} L5-S1 foraminal stenosis."),
         Finding("Vertebrae", "Mild superior endplate compression deformity of L{level} with approximately {loss}% "
                 "height loss, without marrow edema, consistent with a chronic fracture.",
                 "Chronic mild L{level} compression deformity.")),
        "No significant spinal canal or neural foraminal stenosis.",
    ),
    Exam(
        "CHEST RADIOGRAPH, 2 VIEWS",
        ("Cough and fever.", "Shortness of breath.", "Preoperative evaluation."),
        "Frontal and lateral views of the chest were obtained.",
        (("Lungs", "The lungs are clear without focal consolidation, pulmonary edema or pneumothorax."),
         ("Pleura", "No pleural effusion."),
         ("Heart and mediastinum", "The cardiomediastinal silhouette is within normal limits."),
         ("Bones", "No acute osseous abnormality.")),
        (Finding("Lungs", "Focal airspace opacity in the {side} lower lobe, obscuring the {side} hemidiaphragm.",
                 "{Side} lower lobe pneumonia. Recommend follow-up radiograph in 6 to 8 weeks to document "
                 "resolution."),
         Finding("Heart and mediastinum", "The heart is enlarged. Cephalization of the pulmonary vasculature with "
                 "interstitial edema.", "Cardiomegaly with mild interstitial pulmonary edema."),
         Finding("Pleura", "Blunting of the {side} costophrenic angle, compatible with a small pleural effusion.",
                 "Small {side} pleural effusion.")),
        "No acute cardiopulmonary process.",
    ),
    Exam(
        "MRI BRAIN WITH AND WITHOUT CONTRAST",
        ("New headaches and blurred vision.", "Transient right arm numbness.", "Dizziness and gait instability."),
        "Multiplanar, multisequence MR images of the brain were obtained before and after the intravenous "
        "administration of {gad} mL of gadobutrol, including diffusion-weighted and susceptibility-weighted "
        "imaging.",
        (("Parenchyma", "No acute infarct on diffusion-weighted imaging. Gray-white differentiation is preserved."),
         ("White matter", "A few scattered punctate T2/FLAIR hyperintensities, nonspecific and likely related to "
          "chronic small vessel ischemic change."),
         ("Ventricles and extra-axial spaces", "Ventricles are normal in size. No extra-axial collection."),
         ("Enhancement", "No abnormal parenchymal, leptomeningeal or dural enhancement."),
         ("Vascular flow voids", "Normal flow voids are present in the major intracranial arteries."),
         ("Orbits, sinuses and mastoids", "Unremarkable.")),
        (Finding("Enhancement", "A {mening} cm extra-axial, homogeneously enhancing dural-based mass along the {side} "
                 "frontal convexity with a dural tail, without mass effect on the adjacent parenchyma.",
                 "{mening} cm {side} frontal convexity mass, most consistent with meningioma."),
         Finding("Parenchyma", "Focus of restricted diffusion measuring {dwi} mm in the {side} corona radiata.",
                 "Small acute infarct in the {side} corona radiata."),
         Finding("Orbits, sinuses and mastoids", "Mucosal thickening of the maxillary sinuses bilaterally.",
                 "Mild chronic maxillary sinus disease.")),
        "No acute intracranial abnormality. No abnormal enhancement.",
    ),
    Exam(
        "ULTRASOUND ABDOMEN, RIGHT UPPER QUADRANT",
        ("Right upper quadrant pain after meals.", "Elevated liver enzymes.", "Nausea and epigastric pain."),
        "Grayscale and color Doppler sonographic images of the right upper quadrant were obtained.",
        (("Liver", "Normal in size, measuring {liver} cm, with normal echotexture. No focal lesion."),
         ("Gallbladder", "No gallstones, wall thickening or pericholecystic fluid. Sonographic Murphy sign negative."),
         ("Bile ducts", "The common bile duct measures {cbd} mm. No intrahepatic ductal dilatation."),
         ("Pancreas", "The visualized pancreas is unremarkable."),
         ("Right kidney", "Normal in size without hydronephrosis.")),
        (Finding("Gallbladder", "Multiple mobile shadowing gallstones, the largest measuring {gs} cm. Gallbladder wall "
                 "thickened to {gbwall} mm with pericholecystic fluid. Sonographic Murphy sign positive.",
                 "Cholelithiasis with findings of acute calculous cholecystitis."),
         Finding("Liver", "The liver is diffusely echogenic with posterior acoustic attenuation.",
                 "Hepatic steatosis."),
         Finding("Gallbladder", "A {polyp} mm nonshadowing, nonmobile echogenic polyp arises from the gallbladder "
                 "wall.",
                 "{polyp} mm gallbladder polyp; follow-up ultrasound in 12 months is suggested.")),
        "Unremarkable right upper quadrant ultrasound.",
    ),
    Exam(
        "CT HEAD WITHOUT CONTRAST",
        ("Fall with head strike on anticoagulation.", "Acute confusion.", "Headache and vomiting."),
        "Axial CT images of the head were obtained without intravenous contrast. Sagittal and coronal "
        "reformations were reviewed in brain and bone windows.",
        (("Brain", "No intracranial hemorrhage, mass effect or midline shift. Gray-white differentiation is "
          "preserved."),
         ("Ventricles", "Ventricles and sulci are appropriate for age."),
         ("Extra-axial spaces", "No extra-axial collection."),
         ("Calvarium and skull base", "No fracture."),
         ("Sinuses and mastoids", "The visualized paranasal sinuses and mastoid air cells are clear.")),
        (Finding("Extra-axial spaces", "Crescentic hyperdense extra-axial collection along the {side} cerebral "
                 "convexity measuring up to {sdh} mm in thickness, with {shift} mm of leftward midline shift.",
                 "Acute {side} subdural hematoma measuring up to {sdh} mm with {shift} mm midline shift."),
         Finding("Brain", "Periventricular white matter hypodensities, compatible with chronic small vessel ischemic "
                 "disease.", "Chronic small vessel ischemic disease."),
         Finding("Calvarium and skull base", "Nondisplaced fracture of the {side} parietal bone with overlying "
                 "scalp hematoma.", "Nondisplaced {side} parietal skull fracture.")),
        "No acute intracranial abnormality.",
    ),
    Exam(
        "ULTRASOUND VENOUS DUPLEX, {SIDE} LOWER EXTREMITY",
        ("{Side} calf swelling and pain.", "Leg swelling after long flight.", "Elevated D-dimer."),
        "Grayscale, color and spectral Doppler images of the {side} lower extremity deep veins were obtained with "
        "compression.",
        (("Common femoral vein", "Compressible with normal phasic flow and augmentation."),
         ("Femoral vein", "Compressible with normal color flow."),
         ("Popliteal vein", "Compressible with normal color flow."),
         ("Calf veins", "The posterior tibial and peroneal veins are compressible."),
         ("Contralateral common femoral vein", "Normal respiratory phasicity.")),
        (Finding("Popliteal vein", "The popliteal vein is noncompressible and distended with echogenic intraluminal "
                 "thrombus and absent color flow.", "Acute occlusive deep vein thrombosis of the {side} popliteal "
                 "vein."),
         Finding("Calf veins", "Noncompressible {side} peroneal vein with intraluminal thrombus.",
                 "Acute isolated {side} peroneal vein thrombosis."),
         Finding("Popliteal vein", "A {baker} cm anechoic fluid collection in the popliteal fossa, consistent with a "
                 "Baker cyst.", "{baker} cm Baker cyst.")),
        "No deep vein thrombosis in the {side} lower extremity.",
    ),
)
LOBES = ("right upper lobe", "right middle lobe", "right lower lobe", "left upper lobe", "lingula", "left lower lobe")


def _radiology_facts(rng: random.Random) -> Context:
    """Measurements and locations the exam templates may reference."""
    side = rng.choice(("right", "left"))
    return {
        "side": side, "Side": side.capitalize(), "SIDE": side.upper(), "contrast": str(rng.choice((75, 80, 90, 100))),
        "gad": f"{rng.uniform(6.0, 9.5):.1f}", "rvlv": f"{rng.uniform(0.7, 1.3):.1f}",
        "nodule": str(rng.randint(4, 14)),
        "lobe": pick(rng, LOBES), "image": str(rng.randint(40, 180)), "wedge": f"{rng.uniform(1.5, 4.0):.1f}",
        "appendix": str(rng.randint(9, 16)), "abscess": f"{rng.uniform(2.0, 5.5):.1f}",
        "cyst": f"{rng.uniform(1.0, 4.5):.1f}", "segment": rng.choice(("II", "III", "IVa", "V", "VI", "VII", "VIII")),
        "stone": str(rng.randint(3, 9)), "disc": str(rng.randint(4, 9)), "level": str(rng.randint(1, 4)),
        "loss": str(rng.choice((10, 15, 20, 25))), "mening": f"{rng.uniform(1.0, 3.8):.1f}",
        "dwi": str(rng.randint(5, 14)),
        "liver": f"{rng.uniform(13.5, 17.8):.1f}", "cbd": f"{rng.uniform(2.5, 6.5):.1f}",
        "gs": f"{rng.uniform(0.4, 2.8):.1f}",
        "gbwall": str(rng.randint(4, 8)), "polyp": str(rng.randint(3, 9)), "sdh": str(rng.randint(4, 16)),
        "shift": str(rng.randint(0, 8)), "baker": f"{rng.uniform(2.0, 6.5):.1f}",
    }


def radiology_report(rng: random.Random) -> tuple[str, str, dict]:
    """EXAM, CLINICAL HISTORY, TECHNIQUE, COMPARISON, FINDINGS, IMPRESSION, signature."""
    exam = rng.choice(EXAMS)
    ctx = patient(rng, 19, 94) | _radiology_facts(rng)
    found = rng.sample(exam.findings, rng.choice((0, 1, 1, 2, 2, 3)))
    exam_day = random_date(rng, 2019, 2025)
    name = exam.name.format_map(ctx)
    blocks = [
        "RADIOLOGY REPORT",
        "\n".join((f"PATIENT: {ctx['name']}", f"MRN: {ctx['mrn']}", f"AGE/SEX: {ctx['age']}/{ctx['sex'][0].upper()}",
                   f"DATE OF EXAM: {short_date(exam_day)}", f"ORDERING PHYSICIAN: {clinician(rng)}",
                   f"FACILITY: {pick(rng, HOSPITALS)}")),
        section("EXAM", name),
        section(pick(rng, ("CLINICAL HISTORY", "INDICATION")), _indication(rng, exam, ctx, asked := {})),
        section("TECHNIQUE", _technique(rng, exam, ctx)),
        section("COMPARISON", _comparison(rng, name, exam_day)),
        section("FINDINGS", _findings_text(exam, found, ctx)),
        section("IMPRESSION", _impression(rng, exam, found, ctx)),
    ]
    blocks.append(section("RECOMMENDATIONS", _recommendations(found, ctx)))
    if found and rng.random() < 0.4:
        blocks.append(f"Findings were discussed by telephone with {clinician(rng)} at {rng.randint(1, 12)}:"
                      f"{rng.randint(0, 59):02d} on {short_date(exam_day)}, who acknowledged receipt.")
    if rng.random() < 0.5:
        blocks.append(f"Preliminary interpretation by {clinician(rng)} (radiology resident). I have personally "
                      "reviewed the images and agree with the findings as documented above.")
    blocks.append(f"Electronically signed by {clinician(rng)}, Radiologist, on {short_date(exam_day)}.")
    headline = found[0].impression.format_map(ctx).split(".")[0] if found else "no acute findings"
    said = EXAM_MENTIONS[exam.name]
    parts = {f.section for f in found}
    mentions = [said.indications[exam.indications.index(asked["indication"])]]
    mentions += [m for part, m in said.normal.items() if part not in parts]
    mentions += [said.findings[exam.findings.index(f)] for f in found]
    if not found:
        mentions.append(said.normal_impression)
    truth = _truth(
        exam_day,
        medications=[],
        problems=[*asked["history"], *(f.impression.format_map(ctx).split(". ")[0].rstrip(".") for f in found),
                  *(x for m in mentions for x in m.problems)],
        allergy=None,
        negated=[x for m in mentions for x in m.negated],
        procedures=[],
    )
    return f"Radiology Report: {name.title()}, {ctx['name']}, {headline}", "\n\n".join(blocks), truth


DOSE_STATEMENT = (
    "This CT examination was performed using one or more of the following dose reduction techniques: automated "
    "exposure control, adjustment of the mA and/or kV according to patient size, or iterative reconstruction."
)


def _indication(rng: random.Random, exam: Exam, ctx: Context, asked: dict | None = None) -> str:
    """Age, sex and history, then the ordering reason, as the order requisition carries them."""
    history = comorbidities(rng, ctx["sex"], rng.randint(1, 3))
    indication = rng.choice(exam.indications)
    if asked is not None:
        asked.update(history=history, indication=indication)
    return f"{ctx['age']}-year-old {ctx['sex']} with a history of {', '.join(history)}. " + indication.format_map(ctx)


def _technique(rng: random.Random, exam: Exam, ctx: Context) -> str:
    """The exam's protocol plus, for CT, the dose line every CT report must carry."""
    text = exam.technique.format_map(ctx)
    if exam.name.startswith("CT"):
        text += (f" {DOSE_STATEMENT}\nRADIATION DOSE: CTDIvol {rng.uniform(4.0, 18.0):.1f} mGy, "
                 f"DLP {rng.randint(180, 1100)} mGy-cm.")
    return text


def _recommendations(found: list[Finding], ctx: Context) -> str:
    """Follow-up advice carried over from the impressions that contain any."""
    advice = [f.impression.format_map(ctx) for f in found if "follow-up" in f.impression.lower()]
    if advice:
        return " ".join(advice)
    if found:
        return "Clinical correlation and management per the referring service."
    return "None. No follow-up imaging is needed for the findings of this examination."


def _comparison(rng: random.Random, name: str, exam_day: date) -> str:
    """Either 'None.' or a dated prior study."""
    if rng.random() < 0.4:
        return "None."
    prior = exam_day - timedelta(days=rng.randint(60, 1500))
    study = pick(rng, ("Prior " + name.split(",")[0].title(), "Chest radiograph", "Outside CT"))
    return f"{study} dated {short_date(prior)}."


def _findings_text(exam: Exam, found: list[Finding], ctx: Context) -> str:
    """One line per anatomic section; abnormal findings replace that section's normal text."""
    lines = []
    for part, normal in exam.normal:
        abnormal = [f.text.format_map(ctx) for f in found if f.section == part]
        lines.append(f"{part}: {' '.join(abnormal) if abnormal else normal.format_map(ctx)}")
    return "\n".join(lines)


def _impression(rng: random.Random, exam: Exam, found: list[Finding], ctx: Context) -> str:
    """Numbered impressions for abnormal findings, or the exam's normal impression."""
    if not found:
        return exam.normal_impression.format_map(ctx)
    items = [f.impression.format_map(ctx) for f in found]
    if rng.random() < 0.5:
        items.append(pick(rng, ("Otherwise no acute abnormality.", "No other acute findings.")))
    return numbered(items)


BUILDERS = {
    "discharge_summary": discharge_summary,
    "progress_note": progress_note,
    "radiology_report": radiology_report,
}


# --------------------------------------------------------------------------- truth for the extract job's tests

# What each template writes besides the scenario's own variables, read off the templates by hand:
# drugs named in the narrative, problems present and problems written as negated, procedures.


@dataclass(frozen=True)
class Mentions:
    medications: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()


def _m(meds: str = "", problems: str = "", negated: str = "", procedures: str = "") -> Mentions:
    def split(v: str) -> tuple[str, ...]:
        return tuple(x.strip() for x in v.split(";") if x.strip())

    return Mentions(split(meds), split(problems), split(negated), split(procedures))


ADMISSION_MENTIONS: dict[str, Mentions] = {
    ADMISSIONS[0].diagnosis: _m("ceftriaxone; azithromycin; amoxicillin-clavulanate",
                                "productive cough; fevers; chills; dyspnea on exertion; chest pain; crackles; "
                                "consolidation; fever; leukocytosis", "hemoptysis; sick contacts; effusion"),
    ADMISSIONS[1].diagnosis: _m("furosemide; carvedilol; sacubitril-valsartan",
                                "ischemic cardiomyopathy; dyspnea; orthopnea; paroxysmal nocturnal dyspnea; "
                                "weight gain; "
                                "crackles; edema; cardiomegaly; pulmonary vascular congestion; pleural effusions; "
                                "heart failure", "", "echocardiogram"),
    ADMISSIONS[2].diagnosis: _m("aspirin; heparin; atorvastatin", "diaphoresis; nausea", "chest pain; hematoma",
                                "cardiac catheterization; drug-eluting stent; echocardiogram"),
    ADMISSIONS[3].diagnosis: _m("insulin", "type 1 diabetes mellitus; polyuria; polydipsia; nausea; vomiting; "
                                "abdominal pain; diabetic ketoacidosis; diabetes", "infection"),
    ADMISSIONS[4].diagnosis: _m("lactated ringer's", "epigastric pain; nausea; cholelithiasis", "",
                                "laparoscopic cholecystectomy"),
    ADMISSIONS[5].diagnosis: _m("cefazolin; vancomycin; cephalexin; doxycycline",
                                "erythema; abrasion; fevers; mrsa", "crepitus; deep vein thrombosis"),
    ADMISSIONS[6].diagnosis: _m("ipratropium-albuterol; prednisone; azithromycin",
                                "chronic obstructive pulmonary disease; dyspnea; cough; upper respiratory infection; "
                                "wheezes; hyperinflation; hypercapnia", "consolidation", "bipap"),
    ADMISSIONS[7].diagnosis: _m("ceftriaxone; ciprofloxacin; lisinopril; metformin",
                                "dysuria; urinary frequency; fever; flank pain", "hydronephrosis"),
    ADMISSIONS[8].diagnosis: _m("ibuprofen; pantoprazole; bismuth", "lightheadedness; knee pain; melena",
                                "hemorrhage", "egd"),
    ADMISSIONS[9].diagnosis: _m("", "weakness; stroke; expressive aphasia; facial droop; aphasia", "hemorrhage"),
    ADMISSIONS[10].diagnosis: _m("heparin; apixaban", "dyspnea; pleuritic chest pain; thrombus", "hemoptysis"),
    ADMISSIONS[11].diagnosis: _m("", "abdominal pain", "free air", "open appendectomy"),
}

# assessment template -> (one Mentions per subjective option, objective, plan)
PROBLEM_MENTIONS: dict[str, tuple[tuple[Mentions, ...], Mentions, Mentions]] = {
    PROBLEMS[0].assessment: ((_m(negated="headache; chest pain; lightheadedness"), _m()), _m(), _m()),
    PROBLEMS[1].assessment: ((_m(negated="polyuria; polydipsia"), _m()), _m(), _m()),
    PROBLEMS[2].assessment: ((_m(negated="myalgias"),), _m(), _m()),
    PROBLEMS[3].assessment: ((_m("levothyroxine", negated="palpitations"),), _m(), _m("levothyroxine")),
    PROBLEMS[4].assessment: ((_m("albuterol", "cough"), _m()), _m(problems="wheezes"), _m()),
    PROBLEMS[5].assessment: ((_m(negated="suicidal ideation"), _m()), _m(negated="psychosis"), _m()),
    PROBLEMS[6].assessment: ((_m(negated="numbness; radiculopathy"),), _m(), _m("naproxen", negated="radiculopathy")),
    PROBLEMS[7].assessment: ((_m(negated="edema; nausea"),), _m(), _m("empagliflozin")),
    PROBLEMS[8].assessment: ((_m(problems="knee pain"),), _m(problems="crepitus; effusion"), _m("diclofenac")),
    PROBLEMS[9].assessment: ((_m("apixaban", "palpitations", "syncope; bleeding"),), _m(problems="atrial fibrillation"),
                             _m("apixaban; metoprolol succinate")),
    PROBLEMS[10].assessment: ((_m(problems="heartburn"),), _m(), _m()),
    PROBLEMS[11].assessment: ((_m(),), _m(), _m()),
}
ACTION_DRUGS: dict[str, str] = {
    "Continue metformin": "metformin", "Add semaglutide 0.25 mg weekly, titrating monthly": "semaglutide",
    "Add empagliflozin 10 mg daily": "empagliflozin",
    "Increase insulin glargine by 2 units every 3 days to a fasting goal of 80 to 130 mg/dL": "insulin glargine",
    "Increase sertraline to 100 mg daily": "sertraline", "Continue escitalopram 10 mg daily": "escitalopram",
    "Add bupropion XL 150 mg daily": "bupropion xl", "increase lisinopril to 40 mg daily": "lisinopril",
    "add amlodipine 5 mg daily": "amlodipine", "no changes today": "",
}
EXAM_NORMAL_MENTIONS: dict[str, Mentions] = {
    "Supple, no lymphadenopathy or thyromegaly.": _m(negated="lymphadenopathy"),
    "No jugular venous distention. No carotid bruits.": _m(negated="jugular venous distention"),
    "Good air movement, no wheezes or crackles.": _m(negated="wheezes; crackles"),
    "No edema. Distal pulses 2+ and symmetric.": _m(negated="edema"),
    "Trace bilateral ankle edema.": _m(problems="edema"),
}
ROS_MENTIONS: dict[str, Mentions] = {
    "fevers, chills or night sweats": _m(negated="fevers; chills; night sweats"),
    "chest pain or palpitations": _m(negated="chest pain; palpitations"),
    "shortness of breath or cough": _m(negated="shortness of breath; cough"),
    "nausea, vomiting, diarrhea or blood in the stool": _m(negated="nausea; vomiting; diarrhea"),
    "dysuria or hematuria": _m(negated="dysuria; hematuria"),
    "new joint swelling": _m(negated="joint swelling"),
    "focal weakness or numbness": _m(negated="weakness; numbness"),
    "unintentional weight loss": _m(negated="weight loss"),
    "rash or new skin lesions": _m(negated="rash"),
}


@dataclass(frozen=True)
class ExamMentions:
    indications: tuple[Mentions, ...]
    normal: dict[str, Mentions]
    findings: tuple[Mentions, ...]  # finding text and impression together
    normal_impression: Mentions


EXAM_MENTIONS: dict[str, ExamMentions] = {
    EXAMS[0].name: ExamMentions(
        (_m(problems="shortness of breath; tachycardia"), _m(problems="pleuritic chest pain; pulmonary embolism"),
         _m(problems="hypoxia")),
        {"Lungs and airways": _m(negated="consolidation; nodule"),
         "Pleura": _m(negated="pleural effusion; pneumothorax"),
         "Heart and mediastinum": _m(negated="pericardial effusion; hilar lymphadenopathy")},
        (_m(problems="pulmonary emboli"), _m(problems="nodule"), _m(problems="pleural effusion; atelectasis"),
         _m(problems="opacity; pulmonary infarct")),
        _m(negated="pulmonary embolism"),
    ),
    EXAMS[1].name: ExamMentions(
        (_m(problems="fever"), _m(problems="abdominal pain; leukocytosis"), _m(problems="diverticulosis")),
        {"Kidneys": _m(negated="hydronephrosis"), "Bowel": _m(negated="bowel obstruction")},
        (_m(problems="acute appendicitis", negated="abscess; free air; perforation"),
         _m(problems="diverticulitis; abscess"), _m(problems="simple hepatic cyst"), _m(problems="hydronephrosis")),
        _m(),
    ),
    EXAMS[2].name: ExamMentions(
        (_m(problems="low back pain"), _m(problems="lumbar radiculopathy"), _m(problems="low back pain; numbness")),
        {"L1-L2 through L3-L4": _m(negated="disc herniation"), "L5-S1": _m(negated="disc herniation")},
        (_m(), _m(), _m(problems="fracture", negated="edema")),
        _m(),
    ),
    EXAMS[3].name: ExamMentions(
        (_m(problems="cough; fever"), _m(problems="shortness of breath"), _m()),
        {"Lungs": _m(negated="consolidation; pulmonary edema; pneumothorax"), "Pleura": _m(negated="pleural effusion")},
        (_m(problems="opacity; pneumonia"), _m(problems="edema; cardiomegaly; pulmonary edema"),
         _m(problems="pleural effusion")),
        _m(),
    ),
    EXAMS[4].name: ExamMentions(
        (_m(problems="headaches; blurred vision"), _m(problems="numbness"), _m(problems="dizziness")),
        {},
        (_m(problems="meningioma"), _m(), _m()),
        _m(),
    ),
    EXAMS[5].name: ExamMentions(
        (_m(), _m(), _m(problems="nausea; epigastric pain")),
        {"Right kidney": _m(negated="hydronephrosis")},
        (_m(problems="cholelithiasis; acute calculous cholecystitis"), _m(problems="hepatic steatosis"),
         _m(problems="gallbladder polyp")),
        _m(),
    ),
    EXAMS[6].name: ExamMentions(
        (_m(), _m(problems="confusion"), _m(problems="headache; vomiting")),
        {"Brain": _m(negated="intracranial hemorrhage"), "Calvarium and skull base": _m(negated="fracture")},
        (_m(problems="subdural hematoma"), _m(problems="chronic small vessel ischemic disease"),
         _m(problems="fracture; hematoma")),
        _m(),
    ),
    EXAMS[7].name: ExamMentions(
        (_m(), _m(problems="leg swelling"), _m()),
        {},
        (_m(problems="thrombus; deep vein thrombosis"), _m(problems="thrombus; thrombosis"), _m()),
        _m(negated="deep vein thrombosis"),
    ),
}
SURGERY_TRUTH: dict[str, str] = {
    "Appendectomy.": "appendectomy", "Cholecystectomy.": "cholecystectomy",
    "Right total knee arthroplasty.": "right total knee arthroplasty", "Cesarean section.": "cesarean section",
    "Inguinal hernia repair.": "inguinal hernia repair", "None.": "", "Tonsillectomy as a child.": "tonsillectomy",
    "Lumbar laminectomy.": "lumbar laminectomy",
}
ALLERGY_TRUTH: dict[str, tuple[str, ...]] = {
    "No known drug allergies.": ("NKDA",), "Penicillin (rash).": ("penicillin",),
    "Sulfa drugs (hives).": ("sulfa drugs",),
    "Codeine (nausea and vomiting).": ("codeine",), "Iodinated contrast (hives).": ("iodinated contrast",),
    "Lisinopril (angioedema).": ("lisinopril",), "Latex (contact dermatitis).": ("latex",),
    "Morphine (pruritus).": ("morphine",), "Shellfish and iodinated contrast (throat tightness).":
    ("shellfish", "iodinated contrast"),
}
NOT_DRUGS = frozenset({"glucose meter and test strips"})
_MED_PARTS = re.compile(
    r"^(?P<name>[a-z][a-z' -]*?)(?: (?P<dose>[\d.,/]+ (?:mg|mcg|g|units|puffs|inhalation)))?"
    r"(?: (?P<route>IV|inhaled|sublingual))?(?: (?P<frequency>.*))?$"
)
_FREQUENCY_END = re.compile(r" for |, | plus | with food|, #")


def _medication_truth(med: str) -> dict[str, str]:
    """A medication the generator wrote, as name, dose, route and frequency (split from its own spec)."""
    m = _MED_PARTS.match(med)
    if not m or not m.group("dose"):
        return {"name": med}
    frequency = _FREQUENCY_END.split(m.group("frequency") or "")[0]
    return {"name": m.group("name"), "dose": m.group("dose"), "route": m.group("route") or "", "frequency": frequency}


def _truth(day: date, *, medications: list[str], problems: list[str], allergy: str | None, negated: tuple | list,
           procedures: list[str], family: list[str] | tuple = ()) -> dict:
    """The facts a builder wrote, in the shape the extract job's tests compare against."""
    return {
        "note_date": day.isoformat(),
        "medications": [_medication_truth(m) for m in medications if m not in NOT_DRUGS],
        "problems": [p[0].lower() + p[1:] for p in dict.fromkeys(problems)],
        "allergies": list(ALLERGY_TRUTH[allergy]) if allergy else [],
        "negated": list(dict.fromkeys(negated)),
        "procedures": list(dict.fromkeys(procedures)),
        "family": list(family),
    }
