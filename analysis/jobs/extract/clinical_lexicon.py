"""Word lists the clinical rules read: drug names (generic and brand), conditions and symptoms,
procedures. Written by hand from common US prescribing and problem-list vocabulary, so the
extractor finds drugs and conditions beyond those the sample generator writes.

Terms are lower case; matching is by whole tokens, longest first.
"""

from __future__ import annotations

# Generic names; multi-word salts and combinations are listed whole so the longest match wins.
GENERIC_DRUGS: frozenset[str] = frozenset("""
abacavir acarbose acetaminophen acetazolamide acyclovir adalimumab adenosine albuterol alendronate allopurinol
alprazolam amiodarone amitriptyline amlodipine amoxicillin amoxicillin-clavulanate amphetamine ampicillin
ampicillin-sulbactam anastrozole apixaban aripiprazole aspirin atenolol atorvastatin atropine azathioprine
azithromycin baclofen beclomethasone benazepril benztropine bisoprolol bismuth bismuth-subsalicylate bumetanide
budesonide bupropion buprenorphine buspirone butalbital calcitriol calcium candesartan captopril carbamazepine
carbidopa-levodopa carvedilol cefazolin cefdinir cefepime cefpodoxime ceftriaxone cefuroxime celecoxib cephalexin
cetirizine chlorthalidone chlorpromazine cholecalciferol cilostazol ciprofloxacin citalopram clarithromycin
clindamycin clobetasol clonazepam clonidine clopidogrel clotrimazole clozapine colchicine cyclobenzaprine
cyclosporine dabigatran dapagliflozin dexamethasone dextroamphetamine diazepam diclofenac dicyclomine digoxin
diltiazem diphenhydramine divalproex docusate donepezil doxazosin doxycycline dulaglutide duloxetine empagliflozin
enalapril enoxaparin entecavir epinephrine eplerenone ergocalciferol erythromycin escitalopram esomeprazole
estradiol eszopiclone ethambutol etanercept exenatide ezetimibe famotidine fenofibrate fentanyl ferrous-sulfate
fexofenadine finasteride fluconazole fludrocortisone fluoxetine fluticasone fluticasone-salmeterol
fluticasone-umeclidinium-vilanterol fluvoxamine folic-acid fondaparinux formoterol fosfomycin furosemide gabapentin
gemfibrozil gentamicin glargine glimepiride glipizide glucagon glyburide guaifenesin haloperidol heparin
hydralazine hydrochlorothiazide hydrocodone hydrocodone-acetaminophen hydrocortisone hydromorphone
hydroxychloroquine hydroxyzine ibuprofen imipramine indomethacin infliximab insulin ipratropium
ipratropium-albuterol irbesartan isoniazid isosorbide isosorbide-mononitrate ivermectin ketorolac labetalol
lacosamide lactulose lamotrigine lansoprazole letrozole leuprolide levetiracetam levocetirizine levofloxacin
levothyroxine lidocaine linagliptin linezolid liraglutide lisinopril lithium loperamide loratadine lorazepam losartan
lovastatin lurasidone magnesium meclizine medroxyprogesterone meloxicam memantine meropenem mesalamine metformin
methadone methimazole methocarbamol methotrexate methylphenidate methylprednisolone metoclopramide metolazone
metoprolol metoprolol-succinate metoprolol-tartrate metronidazole midazolam minocycline mirtazapine montelukast
morphine moxifloxacin mupirocin mycophenolate nabumetone nadolol naloxone naltrexone naproxen nebivolol nifedipine
nitrofurantoin nitroglycerin norepinephrine nortriptyline nystatin olanzapine olmesartan omeprazole ondansetron
oseltamivir oxcarbazepine oxybutynin oxycodone oxycodone-acetaminophen pantoprazole paroxetine penicillin
phenazopyridine phenobarbital phenytoin pioglitazone piperacillin-tazobactam polyethylene-glycol potassium-chloride
pramipexole pravastatin prazosin prednisolone prednisone pregabalin primidone prochlorperazine promethazine
propranolol pseudoephedrine quetiapine quinapril rabeprazole raloxifene ramipril ranitidine rifampin risperidone
rivaroxaban rizatriptan ropinirole rosuvastatin sacubitril-valsartan salmeterol semaglutide senna sennosides
sertraline sildenafil simvastatin sitagliptin sodium-bicarbonate sotalol spironolactone sucralfate sulfamethoxazole
sulfamethoxazole-trimethoprim sulfasalazine sumatriptan tacrolimus tadalafil tamoxifen tamsulosin telmisartan
temazepam terazosin terbinafine teriparatide testosterone tetracycline theophylline thiamine ticagrelor timolol
tiotropium tizanidine topiramate torsemide tramadol trazodone triamcinolone triamterene trimethoprim valacyclovir
valproate valproic-acid valsartan vancomycin varenicline venlafaxine verapamil vitamin-b12 vitamin-d warfarin
zolpidem ziprasidone zonisamide ifosfamide mesna etoposide cisplatin carboplatin cyclophosphamide doxorubicin
paclitaxel rituximab bevacizumab trastuzumab pembrolizumab nivolumab levalbuterol mometasone beclomethasone
umeclidinium vilanterol budesonide-formoterol albumin propofol ketamine etomidate succinylcholine rocuronium
vecuronium cefoxitin ertapenem aztreonam daptomycin tobramycin amikacin rifaximin neomycin bacitracin
silver-sulfadiazine permethrin hydroxyurea imatinib allopurinol febuxostat probenecid bethanechol tolterodine
solifenacin mirabegron dutasteride bicalutamide megestrol dronabinol scopolamine dimenhydrinate famciclovir
ganciclovir valganciclovir tenofovir emtricitabine dolutegravir efavirenz lamivudine zidovudine ribavirin
sofosbuvir nicotine cyanocobalamin multivitamin iron ferrous-gluconate calcium-carbonate calcium-acetate
sevelamer cinacalcet epoetin darbepoetin desmopressin vasopressin octreotide levemir lispro aspart detemir
degludec dextrose naproxen-sodium oxymetazoline phenylephrine dopamine dobutamine milrinone nitroprusside
esmolol alteplase tenecteplase bivalirudin argatroban eptifibatide prasugrel cangrelor edoxaban colesevelam
niacin omega-3 icosapent ranolazine ivabradine dofetilide dronedarone flecainide propafenone mexiletine
""".split()) | {
    "metoprolol succinate", "metoprolol tartrate", "insulin glargine", "insulin lispro", "insulin aspart",
    "insulin detemir", "insulin degludec", "insulin regular", "regular insulin", "nph insulin", "sodium bicarbonate",
    "potassium chloride", "ferrous sulfate", "ferrous gluconate", "folic acid", "polyethylene glycol",
    "bismuth subsalicylate", "isosorbide mononitrate", "isosorbide dinitrate", "valproic acid", "vitamin d",
    "vitamin b12", "calcium carbonate", "calcium acetate", "magnesium oxide", "magnesium sulfate",
    "docusate sodium", "nitroglycerin patch", "lidocaine patch", "fentanyl patch", "nicotine patch",
    "piperacillin tazobactam", "trimethoprim sulfamethoxazole", "amoxicillin clavulanate", "naproxen sodium",
    "silver sulfadiazine", "fish oil", "vitamin c", "vitamin b6", "vitamin e", "vitamin k", "sodium chloride",
    "normal saline", "lactated ringer's", "bupropion xl", "bupropion sr", "diltiazem cd", "omega-3 fatty acids",
}

# Brand names as US notes write them, with the generic each stands for.
BRAND_DRUGS: dict[str, str] = {
    "tylenol": "acetaminophen", "advil": "ibuprofen", "motrin": "ibuprofen", "aleve": "naproxen",
    "naprosyn": "naproxen", "celebrex": "celecoxib", "mobic": "meloxicam", "toradol": "ketorolac",
    "ultram": "tramadol", "percocet": "oxycodone-acetaminophen", "vicodin": "hydrocodone-acetaminophen",
    "norco": "hydrocodone-acetaminophen", "lortab": "hydrocodone-acetaminophen", "oxycontin": "oxycodone",
    "dilaudid": "hydromorphone", "ms contin": "morphine", "duragesic": "fentanyl", "neurontin": "gabapentin",
    "lyrica": "pregabalin", "flexeril": "cyclobenzaprine", "robaxin": "methocarbamol", "zanaflex": "tizanidine",
    "soma": "carisoprodol", "lipitor": "atorvastatin", "crestor": "rosuvastatin", "zocor": "simvastatin",
    "pravachol": "pravastatin", "mevacor": "lovastatin", "zetia": "ezetimibe", "vytorin": "ezetimibe-simvastatin",
    "tricor": "fenofibrate", "lopid": "gemfibrozil", "niaspan": "niacin", "lovaza": "omega-3 fatty acids",
    "coumadin": "warfarin", "jantoven": "warfarin", "eliquis": "apixaban", "xarelto": "rivaroxaban",
    "pradaxa": "dabigatran", "lovenox": "enoxaparin", "plavix": "clopidogrel", "brilinta": "ticagrelor",
    "effient": "prasugrel", "aggrenox": "aspirin-dipyridamole", "ecotrin": "aspirin", "bayer": "aspirin",
    "lasix": "furosemide", "bumex": "bumetanide", "demadex": "torsemide", "aldactone": "spironolactone",
    "inspra": "eplerenone", "hctz": "hydrochlorothiazide", "microzide": "hydrochlorothiazide",
    "zaroxolyn": "metolazone", "dyazide": "triamterene-hydrochlorothiazide", "maxzide": "triamterene-hydrochlorothiazide",
    "lopressor": "metoprolol tartrate", "toprol": "metoprolol succinate", "toprol xl": "metoprolol succinate",
    "coreg": "carvedilol", "tenormin": "atenolol", "bystolic": "nebivolol", "inderal": "propranolol",
    "zestril": "lisinopril", "prinivil": "lisinopril", "vasotec": "enalapril", "altace": "ramipril",
    "lotensin": "benazepril", "accupril": "quinapril", "cozaar": "losartan", "hyzaar": "losartan-hydrochlorothiazide",
    "diovan": "valsartan", "benicar": "olmesartan", "avapro": "irbesartan", "micardis": "telmisartan",
    "atacand": "candesartan", "entresto": "sacubitril-valsartan", "norvasc": "amlodipine", "procardia": "nifedipine",
    "adalat": "nifedipine", "cardizem": "diltiazem", "calan": "verapamil", "catapres": "clonidine",
    "apresoline": "hydralazine", "imdur": "isosorbide mononitrate", "isordil": "isosorbide dinitrate",
    "nitrostat": "nitroglycerin", "lanoxin": "digoxin", "cordarone": "amiodarone", "pacerone": "amiodarone",
    "multaq": "dronedarone", "tikosyn": "dofetilide", "ranexa": "ranolazine", "glucophage": "metformin",
    "glucotrol": "glipizide", "micronase": "glyburide", "diabeta": "glyburide", "glynase": "glyburide",
    "amaryl": "glimepiride", "actos": "pioglitazone", "avandia": "rosiglitazone", "januvia": "sitagliptin",
    "janumet": "sitagliptin-metformin", "tradjenta": "linagliptin", "jardiance": "empagliflozin",
    "farxiga": "dapagliflozin", "invokana": "canagliflozin", "victoza": "liraglutide", "ozempic": "semaglutide",
    "wegovy": "semaglutide", "rybelsus": "semaglutide", "trulicity": "dulaglutide", "byetta": "exenatide",
    "mounjaro": "tirzepatide", "lantus": "insulin glargine", "basaglar": "insulin glargine",
    "toujeo": "insulin glargine", "levemir": "insulin detemir", "tresiba": "insulin degludec",
    "humalog": "insulin lispro", "novolog": "insulin aspart", "humulin": "insulin", "humulin n": "nph insulin",
    "humulin r": "regular insulin", "novolin": "insulin", "synthroid": "levothyroxine", "levoxyl": "levothyroxine",
    "unithroid": "levothyroxine", "tapazole": "methimazole", "cytomel": "liothyronine", "fosamax": "alendronate",
    "actonel": "risedronate", "boniva": "ibandronate", "evista": "raloxifene", "forteo": "teriparatide",
    "prolia": "denosumab", "prilosec": "omeprazole", "nexium": "esomeprazole", "protonix": "pantoprazole",
    "prevacid": "lansoprazole", "aciphex": "rabeprazole", "pepcid": "famotidine", "zantac": "ranitidine",
    "carafate": "sucralfate", "reglan": "metoclopramide", "zofran": "ondansetron", "phenergan": "promethazine",
    "compazine": "prochlorperazine", "colace": "docusate", "senokot": "senna", "miralax": "polyethylene glycol",
    "dulcolax": "bisacodyl", "imodium": "loperamide", "lomotil": "diphenoxylate-atropine", "bentyl": "dicyclomine",
    "asacol": "mesalamine", "lialda": "mesalamine", "xifaxan": "rifaximin", "creon": "pancrelipase",
    "zoloft": "sertraline", "prozac": "fluoxetine", "paxil": "paroxetine", "celexa": "citalopram",
    "lexapro": "escitalopram", "effexor": "venlafaxine", "effexor xr": "venlafaxine", "pristiq": "desvenlafaxine",
    "cymbalta": "duloxetine", "wellbutrin": "bupropion", "zyban": "bupropion", "remeron": "mirtazapine",
    "desyrel": "trazodone", "elavil": "amitriptyline", "pamelor": "nortriptyline", "buspar": "buspirone",
    "xanax": "alprazolam", "ativan": "lorazepam", "klonopin": "clonazepam", "valium": "diazepam",
    "restoril": "temazepam", "ambien": "zolpidem", "lunesta": "eszopiclone", "sonata": "zaleplon",
    "seroquel": "quetiapine", "zyprexa": "olanzapine", "risperdal": "risperidone", "abilify": "aripiprazole",
    "geodon": "ziprasidone", "latuda": "lurasidone", "haldol": "haloperidol", "clozaril": "clozapine",
    "lithobid": "lithium", "depakote": "divalproex", "depakene": "valproic acid", "tegretol": "carbamazepine",
    "trileptal": "oxcarbazepine", "lamictal": "lamotrigine", "keppra": "levetiracetam", "dilantin": "phenytoin",
    "topamax": "topiramate", "zonegran": "zonisamide", "vimpat": "lacosamide", "aricept": "donepezil",
    "namenda": "memantine", "exelon": "rivastigmine", "razadyne": "galantamine", "sinemet": "carbidopa-levodopa",
    "requip": "ropinirole", "mirapex": "pramipexole", "cogentin": "benztropine", "ritalin": "methylphenidate",
    "concerta": "methylphenidate", "adderall": "amphetamine-dextroamphetamine", "vyvanse": "lisdexamfetamine",
    "strattera": "atomoxetine", "imitrex": "sumatriptan", "maxalt": "rizatriptan", "fioricet": "butalbital",
    "ventolin": "albuterol", "proair": "albuterol", "proventil": "albuterol", "xopenex": "levalbuterol",
    "atrovent": "ipratropium", "duoneb": "ipratropium-albuterol", "combivent": "ipratropium-albuterol",
    "spiriva": "tiotropium", "advair": "fluticasone-salmeterol", "symbicort": "budesonide-formoterol",
    "breo": "fluticasone-vilanterol", "trelegy": "fluticasone-umeclidinium-vilanterol", "flovent": "fluticasone",
    "pulmicort": "budesonide", "qvar": "beclomethasone", "singulair": "montelukast", "flonase": "fluticasone",
    "nasonex": "mometasone", "claritin": "loratadine", "zyrtec": "cetirizine", "allegra": "fexofenadine",
    "benadryl": "diphenhydramine", "sudafed": "pseudoephedrine", "mucinex": "guaifenesin",
    "robitussin": "guaifenesin", "tessalon": "benzonatate", "augmentin": "amoxicillin-clavulanate",
    "amoxil": "amoxicillin", "keflex": "cephalexin", "rocephin": "ceftriaxone", "ancef": "cefazolin",
    "omnicef": "cefdinir", "ceftin": "cefuroxime", "zithromax": "azithromycin", "z-pak": "azithromycin",
    "zpak": "azithromycin", "biaxin": "clarithromycin", "cipro": "ciprofloxacin", "levaquin": "levofloxacin",
    "avelox": "moxifloxacin", "bactrim": "sulfamethoxazole-trimethoprim", "septra": "sulfamethoxazole-trimethoprim",
    "macrobid": "nitrofurantoin", "macrodantin": "nitrofurantoin", "flagyl": "metronidazole",
    "cleocin": "clindamycin", "vibramycin": "doxycycline", "zosyn": "piperacillin-tazobactam",
    "unasyn": "ampicillin-sulbactam", "zyvox": "linezolid", "diflucan": "fluconazole", "valtrex": "valacyclovir",
    "zovirax": "acyclovir", "tamiflu": "oseltamivir", "plaquenil": "hydroxychloroquine", "medrol": "methylprednisolone",
    "solu-medrol": "methylprednisolone", "decadron": "dexamethasone", "deltasone": "prednisone",
    "kenalog": "triamcinolone", "humira": "adalimumab", "enbrel": "etanercept", "remicade": "infliximab",
    "zyloprim": "allopurinol", "uloric": "febuxostat", "colcrys": "colchicine", "flomax": "tamsulosin",
    "proscar": "finasteride", "avodart": "dutasteride", "cardura": "doxazosin", "hytrin": "terazosin",
    "ditropan": "oxybutynin", "detrol": "tolterodine", "vesicare": "solifenacin", "myrbetriq": "mirabegron",
    "pyridium": "phenazopyridine", "viagra": "sildenafil", "cialis": "tadalafil", "premarin": "conjugated estrogens",
    "provera": "medroxyprogesterone", "depo-provera": "medroxyprogesterone", "chantix": "varenicline",
    "nicoderm": "nicotine", "accutane": "isotretinoin", "lidoderm": "lidocaine patch", "xylocaine": "lidocaine",
    "narcan": "naloxone", "suboxone": "buprenorphine-naloxone", "subutex": "buprenorphine",
    "k-dur": "potassium chloride", "klor-con": "potassium chloride", "os-cal": "calcium carbonate",
    "tums": "calcium carbonate", "renvela": "sevelamer", "sensipar": "cinacalcet", "epogen": "epoetin",
    "procrit": "epoetin", "aranesp": "darbepoetin", "heparin": "heparin", "ensure": "nutritional supplement",
    "theo-dur": "theophylline", "uniphyl": "theophylline", "glucotrol xl": "glipizide", "levitra": "vardenafil",
    "antivert": "meclizine", "phenobarb": "phenobarbital", "restasis": "cyclosporine", "xalatan": "latanoprost",
    "timoptic": "timolol", "paradox": "chlorhexidine", "peridex": "chlorhexidine", "bactroban": "mupirocin",
    "lamisil": "terbinafine", "nystatin": "nystatin", "mycostatin": "nystatin", "nizoral": "ketoconazole",
    "aldomet": "methyldopa", "cozaar hct": "losartan-hydrochlorothiazide", "lotrel": "amlodipine-benazepril",
    "exforge": "amlodipine-valsartan", "caduet": "amlodipine-atorvastatin", "benicar hct": "olmesartan-hctz",
    "mirtazapine": "mirtazapine", "tenoretic": "atenolol-chlorthalidone", "ziac": "bisoprolol-hydrochlorothiazide",
}

DRUG_CLASSES_NOT_DRUGS: frozenset[str] = frozenset({
    "statin", "nsaids", "nsaid", "ace inhibitor", "beta blocker", "antibiotics", "antihypertensive",
})

# Conditions and symptoms; the value a match carries is the canonical form (abbreviations expanded).
CONDITIONS: dict[str, str] = {term: term for term in """
abdominal pain|abscess|acute kidney injury|adrenal insufficiency|alcohol abuse|alcohol dependence|alzheimer disease|
alzheimer dementia|anemia|aneurysm|angina|anorexia|anxiety|aortic stenosis|aphasia|appendicitis|arrhythmia|arthritis|
asthma|atelectasis|atrial fibrillation|atrial flutter|back pain|bacteremia|benign prostatic hyperplasia|
bipolar disorder|bleeding|blurred vision|bowel obstruction|bradycardia|breast cancer|bronchitis|bronchiectasis|
cardiomegaly|cardiomyopathy|cellulitis|cerebrovascular accident|chest pain|chills|cholecystitis|cholelithiasis|
chronic kidney disease|chronic obstructive pulmonary disease|cirrhosis|colitis|colon cancer|confusion|
congestive heart failure|consolidation|constipation|coronary artery disease|cough|crackles|crepitus|cystitis|
deep vein thrombosis|dehydration|delirium|dementia|depression|dermatitis|diabetes|diabetes mellitus|
diabetic ketoacidosis|diaphoresis|diarrhea|diverticulitis|diverticulosis|dizziness|dysphagia|dyspnea|
dyspnea on exertion|dysuria|edema|effusion|emphysema|encephalopathy|endocarditis|end-stage renal disease|
epilepsy|erythema|esophagitis|fatigue|fever|fevers|fibromyalgia|fracture|gastritis|gastroenteritis|
gastroesophageal reflux disease|gastrointestinal bleed|glaucoma|gout|headache|headaches|heart failure|
heartburn|hematemesis|hematochezia|hematoma|hematuria|hemoptysis|hemorrhage|hepatitis|hepatic steatosis|hernia|
herpes zoster|hydronephrosis|hypercalcemia|hypercapnia|hypercholesterolemia|hyperglycemia|hyperkalemia|
hyperlipidemia|hypernatremia|hyperparathyroidism|hypertension|hyperthyroidism|hypocalcemia|hypoglycemia|
hypokalemia|hypomagnesemia|hyponatremia|hypotension|hypothyroidism|hypoxia|ileus|infection|influenza|insomnia|
intracranial hemorrhage|iron deficiency anemia|ischemia|jaundice|kidney stone|leukocytosis|lightheadedness|
lymphadenopathy|lymphoma|malaise|mass|melena|meningioma|meningitis|metabolic acidosis|metabolic alkalosis|
migraine|murmur|myalgias|myocardial infarction|nausea|nephrolithiasis|neuropathy|night sweats|nodule|numbness|
obesity|obstructive sleep apnea|orthopnea|osteoarthritis|osteomyelitis|osteoporosis|otitis media|palpitations|
pancreatitis|paresthesias|parkinson disease|peptic ulcer disease|pericardial effusion|peripheral vascular disease|
peripheral arterial disease|pharyngitis|pleural effusion|pneumonia|pneumothorax|polydipsia|polyuria|
prostate cancer|proteinuria|pruritus|pulmonary edema|pulmonary embolism|pulmonary embolus|pulmonary emboli|
pulmonary infarct|pyelonephritis|rash|renal failure|renal insufficiency|respiratory failure|rhinorrhea|
rheumatoid arthritis|schizophrenia|sciatica|seizure|seizures|sepsis|shortness of breath|sinusitis|sleep apnea|
sore throat|splenomegaly|stenosis|stroke|subdural hematoma|suicidal ideation|syncope|tachycardia|
thrombocytopenia|thrombosis|thrombus|tinnitus|transient ischemic attack|tremor|tuberculosis|ulcer|
upper respiratory infection|urinary frequency|urinary incontinence|urinary tract infection|vertigo|vomiting|
weakness|weight gain|weight loss|wheezing|wheezes|hypoxemia|lung cancer|ovarian cancer|pancreatic cancer|
cancer|carcinoma|tumor|metastatic disease|metastases|ascites|varices|thyroid nodule|goiter|sarcoidosis|lupus|
psoriasis|eczema|acne|urticaria|anaphylaxis|angioedema|hives|sepsis|septic shock|shock|cardiac arrest|
ventricular tachycardia|heart block|aortic regurgitation|mitral regurgitation|mitral stenosis|
pulmonary hypertension|cor pulmonale|interstitial lung disease|pulmonary fibrosis|cystic fibrosis|
sickle cell disease|hemophilia|leukemia|myeloma|hiv|aids|hepatitis c|hepatitis b|clostridium difficile|mrsa|
ewing sarcoma|sarcoma|neutropenia|pancytopenia|ketoacidosis|diabetic neuropathy|retinopathy|nephropathy|
macular degeneration|cataract|cataracts|hearing loss|otitis externa|conjunctivitis|tonsillitis|
croup|bronchiolitis|febrile seizure|failure to thrive|developmental delay|autism|adhd|attention deficit disorder|
hemorrhoids|anal fissure|fistula|celiac disease|crohn disease|ulcerative colitis|irritable bowel syndrome|
cholangitis|choledocholithiasis|hepatomegaly|fatty liver|alcoholic cirrhosis|portal hypertension|
renal cell carcinoma|bladder cancer|urinary retention|incontinence|erectile dysfunction|infertility|
endometriosis|menorrhagia|preeclampsia|gestational diabetes|miscarriage|ectopic pregnancy|
concussion|traumatic brain injury|spinal stenosis|disc herniation|radiculopathy|compression fracture|
carpal tunnel syndrome|rotator cuff tear|tendinitis|bursitis|plantar fasciitis|sprain|laceration|contusion|
abrasion|burn|frostbite|hypothermia|heat stroke|overdose|poisoning|alcohol withdrawal|substance abuse|
post-traumatic stress disorder|panic disorder|obsessive-compulsive disorder|eating disorder|
generalized anxiety disorder|major depressive disorder|psychosis|hallucinations|suicide attempt|
hyperthermia|lethargy|somnolence|agitation|palpitation|claudication|cyanosis|clubbing|jugular venous distention|
orthostatic hypotension|tachypnea|hypoventilation|apnea|snoring|epistaxis|dysarthria|hemiparesis|
facial droop|ataxia|diplopia|photophobia|neck stiffness|cough|sputum|hypoalbuminemia|malnutrition|
hyperuricemia|polycythemia|leukopenia|coagulopathy|pulmonary nodule|lung nodule|hilar lymphadenopathy|
infiltrate|opacity|hyperinflation|emphysematous changes|ground-glass opacity|effusions|pleural effusions|
rhinovirus infection|helicobacter pylori infection|tinea pedis|venous stasis|expressive aphasia|
acute blood loss anemia|systemic inflammatory response syndrome|cholecystectomy site infection|
small bowel obstruction|peritonitis|perforation|pneumoperitoneum|free air|pericarditis|myocarditis|
aortic dissection|carotid stenosis|renal artery stenosis|pulmonary vascular congestion|
hemorrhagic cystitis|neonatal jaundice|jaundice|obstruction|ketosis|hypovolemia|hypervolemia|
tachyarrhythmia|sick sinus syndrome|wolff-parkinson-white syndrome|long qt syndrome|
hyperkalaemia|anaemia|oedema|diarrhoea|tumour|haemorrhage
""".replace("\n", "").split("|") if term.strip()}

ABBREVIATIONS: dict[str, str] = {
    "htn": "hypertension", "dm": "diabetes mellitus", "dm2": "type 2 diabetes mellitus", "t2dm": "type 2 diabetes mellitus",
    "niddm": "type 2 diabetes mellitus", "iddm": "type 1 diabetes mellitus", "cad": "coronary artery disease",
    "chf": "congestive heart failure", "copd": "chronic obstructive pulmonary disease", "ckd": "chronic kidney disease",
    "esrd": "end-stage renal disease", "aki": "acute kidney injury", "arf": "acute renal failure",
    "gerd": "gastroesophageal reflux disease", "pe": "pulmonary embolism", "dvt": "deep vein thrombosis",
    "mi": "myocardial infarction", "nstemi": "non-st-elevation myocardial infarction",
    "stemi": "st-elevation myocardial infarction", "cva": "cerebrovascular accident",
    "tia": "transient ischemic attack", "uti": "urinary tract infection", "uri": "upper respiratory infection",
    "osa": "obstructive sleep apnea", "bph": "benign prostatic hyperplasia", "afib": "atrial fibrillation",
    "a-fib": "atrial fibrillation", "af": "atrial fibrillation", "sob": "shortness of breath",
    "doe": "dyspnea on exertion", "pnd": "paroxysmal nocturnal dyspnea", "jvd": "jugular venous distention",
    "dka": "diabetic ketoacidosis", "hld": "hyperlipidemia", "oa": "osteoarthritis", "ra": "rheumatoid arthritis",
    "ptsd": "post-traumatic stress disorder", "mdd": "major depressive disorder", "gad": "generalized anxiety disorder",
    "pvd": "peripheral vascular disease", "pad": "peripheral arterial disease", "sah": "subarachnoid hemorrhage",
    "sdh": "subdural hematoma", "ich": "intracranial hemorrhage", "ibs": "irritable bowel syndrome",
    "pud": "peptic ulcer disease", "sbo": "small bowel obstruction", "ards": "acute respiratory distress syndrome",
    "gi bleed": "gastrointestinal bleed", "ugib": "upper gastrointestinal bleed", "lgib": "lower gastrointestinal bleed",
    "n/v": "nausea and vomiting", "cp": "chest pain", "loc": "loss of consciousness", "ams": "altered mental status",
}

# Longer canonical conditions (multi-word, listed so the longest match wins over their parts).
CONDITIONS.update({term: term for term in (
    "type 1 diabetes mellitus", "type 2 diabetes mellitus", "type 2 diabetes", "type 1 diabetes",
    "paroxysmal atrial fibrillation", "essential hypertension", "acute on chronic systolic heart failure",
    "systolic heart failure", "diastolic heart failure", "community-acquired pneumonia", "aspiration pneumonia",
    "acute hypoxic respiratory failure", "acute respiratory failure", "chronic respiratory failure",
    "non-st-elevation myocardial infarction", "st-elevation myocardial infarction", "acute myocardial infarction",
    "acute ischemic stroke", "ischemic stroke", "hemorrhagic stroke", "acute pancreatitis", "gallstone pancreatitis",
    "acute gallstone pancreatitis", "acute pulmonary embolism", "acute appendicitis", "acute cholecystitis",
    "acute calculous cholecystitis", "acute diverticulitis", "acute pyelonephritis", "chronic low back pain",
    "low back pain", "pleuritic chest pain", "substernal chest pain", "productive cough", "shortness of breath",
    "paroxysmal nocturnal dyspnea", "loss of consciousness", "altered mental status", "nausea and vomiting",
    "mild persistent asthma", "moderate persistent asthma", "severe persistent asthma",
    "chronic small vessel ischemic disease", "small vessel ischemic disease", "hepatic cyst", "simple hepatic cyst",
    "gallbladder polyp", "pulmonary emboli", "subarachnoid hemorrhage", "acute respiratory distress syndrome",
    "upper gastrointestinal bleed", "lower gastrointestinal bleed", "duodenal ulcer", "gastric ulcer",
    "obstructive sleep apnea", "major depressive disorder", "ischemic cardiomyopathy", "dilated cardiomyopathy",
    "acute blood loss anemia", "migraine without aura", "migraine with aura", "escherichia coli bacteremia",
    "hypokalemia", "right hemiparesis", "left hemiparesis", "morbid obesity", "tension headache",
    "cluster headache", "lumbar radiculopathy", "cervical radiculopathy", "degenerative disc disease",
    "degenerative joint disease", "chronic pain", "neck pain", "knee pain", "hip pain", "shoulder pain",
    "flank pain", "epigastric pain", "pelvic pain", "joint pain", "joint swelling", "leg swelling",
    "sick contacts", "hemorrhagic cystitis", "iron deficiency anemia", "urinary tract infection",
    "acute kidney injury", "kidney disease", "liver disease", "heart disease", "lung disease",
    "alzheimer's disease", "parkinson's disease", "crohn's disease", "hodgkin's lymphoma",
)})
CONDITIONS.update(ABBREVIATIONS)
# Words that are conditions elsewhere but name a test, a place or a normal finding in notes.
CONDITION_STOPWORDS: frozenset[str] = frozenset({"mass", "stenosis", "ulcer", "obstruction", "burn", "sputum"})

PROCEDURES: frozenset[str] = frozenset({
    "appendectomy", "cholecystectomy", "laparoscopic cholecystectomy", "colonoscopy", "endoscopy",
    "esophagogastroduodenoscopy", "egd", "cardiac catheterization", "left heart catheterization",
    "percutaneous coronary intervention", "pci", "coronary artery bypass graft", "cabg", "angioplasty",
    "stent placement", "echocardiogram", "transthoracic echocardiogram", "transesophageal echocardiogram",
    "thoracentesis", "paracentesis", "lumbar puncture", "bronchoscopy", "intubation", "mechanical ventilation",
    "dialysis", "hemodialysis", "hysterectomy", "cesarean section", "c-section", "tonsillectomy",
    "adenoidectomy", "tonsillectomy and adenoidectomy", "hernia repair", "inguinal hernia repair",
    "total knee arthroplasty", "total hip arthroplasty", "knee replacement", "hip replacement", "arthroscopy",
    "laminectomy", "lumbar laminectomy", "discectomy", "spinal fusion", "mastectomy", "lumpectomy", "biopsy",
    "thyroidectomy", "prostatectomy", "nephrectomy", "splenectomy", "colectomy", "hemicolectomy",
    "cystoscopy", "craniotomy", "tracheostomy", "pacemaker placement", "defibrillator placement",
    "ablation", "cardioversion", "carotid endarterectomy", "amputation", "debridement",
    "incision and drainage", "blood transfusion", "transfusion", "chemotherapy", "radiation therapy",
    "cataract surgery", "circumcision", "vasectomy", "tubal ligation", "d&c",
    "dilation and curettage", "open appendectomy", "bariatric surgery", "gastric bypass", "cholangiography",
    "ercp", "stress test", "drug-eluting stent", "bipap",
})
