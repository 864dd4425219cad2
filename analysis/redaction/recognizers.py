"""Pattern recognizers for the Safe Harbor identifiers that occur in text (docs/privacy.md has the table).

Each type has strong patterns for distinctive or labelled formats ('DOB: 14-FEB-1933', 'Member ID:
XJH-884-221') and weak ones that presidio's context words raise ('a 9-digit number near "SSN"').
Name and place patterns score above the NER model's 0.85, so that presidio keeps them, not the
model's guess, when both find the same span. Patterns never use nested unbounded repeats: text
with no spaces or nothing but digits must not backtrack for long. How many digits an ID needs is
checked after matching (``analysis.redaction.findings``), not by look-arounds. The PERSON
patterns are in ``name_patterns.py``.
"""

from __future__ import annotations

from typing import Any

from analysis.redaction.name_patterns import person_patterns

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
DATE = (
    rf"(?:(?:[0-2]?\d|3[01])[/.-](?:[0-2]?\d|3[01])[/.-](?:19|20)?\d{{2}}(?!\d)"
    rf"|(?:19|20)\d{{2}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?!\d)"
    rf"|{_MONTH}[ \t]+\d{{1,2}}{_ORDINAL},?[ \t]+(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}{_ORDINAL}(?:[ \t]+day)?(?:[ \t]+of)?[ \t-]+{_MONTH}[ \t,-]+(?:(?:19|20)\d{{2}}|\d{{2}}(?!\d)))"
)
_DAY_WORD = (
    r"(?i:(?:twenty|thirty)[- ]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third"
    r"|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
    r"|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|\d{1,2}(?:st|nd|rd|th))"
)
_OLD_DATE = (  # a full date before 1937: whoever it belongs to is over 89 today, or it is their birth
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]19[0-3]\d(?!\d)|19[0-3]\d[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)"
    rf"|{_MONTH}[ \t]+\d{{1,2}}{_ORDINAL},?[ \t]+19[0-3]\d|\d{{1,2}}{_ORDINAL}(?:[ \t]+of)?[ \t-]+{_MONTH}[ \t,-]+19[0-3]\d)"
)
_STREET_TYPES = (
    r"(?i:Street|St|Avenue|Ave|Av|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Bvd|Court|Ct|Way|Place|Pl|Terrace|Ter|Tce"
    r"|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Row|Pike|Crescent|Cres|Close|Cl|Gardens|Gdns"
    r"|Grove|Mews|Rise|View|Walk|Green|Park|Hill|Crossing|Run|Path|Alley|Mall|Esplanade|Promenade|Quay|Wynd|Parade"
    r"|Pde|Plaza|Center|Centre|Gate|Yard|Wharf|Strand|Causeway|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke|Route|Rte"
    r"|Bypass|Heights|Hts|Point|Ridge|Landing|Meadows?|Commons?|Glen|Hollow|Vale|Chase|Fold|Brow|Bank|Fields?"
    r"|Manor|Circus|Market|Cross|Passage|Approach|Embankment|Broadway|Nagar|Marg|Colony)\b\.?"
)
_HOUSE = r"(?:[NSEW]?\d{1,6}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?|One|Two|Three)"
_STREET_WORD = r"(?:[A-Z][A-Za-z'’.-]+|\d{1,3}(?:st|nd|rd|th))"
_DIRECTION = r"(?:[NSEW]\.?|North|South|East|West|NE|NW|SE|SW)"
_UNIT_WORD = (
    r"(?i:Apt\.?|Apartment|Suite|Ste\.?|Unit|Room|Rm\.?|Flat|Floor|Fl\.?|Level|Lot|Building|Bldg\.?|Block"
    r"|Shop|Office|Bay|Space|House No\.?|Plot(?: No\.?)?|Blk\.?|#)"
)
_UNIT = rf"(?:{_UNIT_WORD}[ \t]?#?[\w/-]{{1,6}}|\d{{1,2}}(?:st|nd|rd|th)[ \t](?:Floor|Fl\.?))"
_POSTCODE = (
    r"(?:[A-Z]{2}[ \t]{1,4}\d{5}(?:-\d{4})?|Dublin[ \t]\d{1,2}W?|\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}"
    r"|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)[ \t]{1,6}\d{4}|[AC-FHKNPRTV-Y]\d{2}[ \t]?[0-9AC-FHKNPRTV-Y]{4}"
    r"|\d{3}[ \t]?\d{3})\b"
)
# A following line or comma part of an address: a town, a county or region, a postcode; never a
# salutation or a field label.
_PLACE = (
    r"(?!(?:Dear|Re|RE|Subject|Date|Tel|Phone|Fax|Email|Patient|DOB|Attn|To|From|Sincerely|Ref|Mobile|Ph)\b)"
    rf"(?:(?:Co\.[ \t])?\p{{Lu}}[\p{{L}}.'’-]+(?:[ \t]\p{{Lu}}[\p{{L}}.'’-]+){{0,2}}"
    rf"(?:,?[ \t]+{_POSTCODE}|[ \t]+\d{{4}}(?=[ \t]*(?:\n|$)))?|{_POSTCODE})"
)
_PLACE_LINE = rf"{_PLACE}(?:,[ \t]*{_PLACE}){{0,2}}(?=[ \t]*(?:,|\n|$|\.(?:\s|$)|[ \t]{{2}}|\)|[-–—])|[ \t]+\p{{Ll}})"
_NEXT_PART = r"(?:,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*)"
_STATE_NAME = (
    r"(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho"
    r"|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi"
    r"|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota"
    r"|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont"
    r"|Virginia|Washington|West Virginia|Wisconsin|Wyoming)"
)
# Labels before an identifying number of a person, an account or a thing.
_ID_LABEL = (
    r"(?i:member|subscriber|policy|group|grp|claim|account|acct|a/c|card|licen[cs]e|driver'?s\s+licen[cs]e|dl"
    r"|passport|nhs|chi|medicare|medicaid|mbi|hicn|npi|dea|tin|ein|case|docket|index|file|reference|ref"
    r"|our\s+ref|your\s+ref|plate|registration|reg|vin|serial|s/n|sn|accession|encounter|visit|fin|csn|har"
    r"|specimen|badge|employee|staff|student|certificate|cert|permit|gmc|nmc|ahpra|prescription|rx|invoice"
    r"|order|booking|confirmation|tracking|insurance|identifier|id|pin|routing|iban|sort\s+code|bsb|device"
    r"|model/serial|lot|authori[sz]ation|auth|prior\s+auth|pa|uin|ssn|itin|national\s+insurance|ni|tax|fein|sbn"
    r"|cause|matter|civil\s+action|commission|rego|sin|nric|nhi|ppsn?|a-?number|alien\s+number|uscis|asset\s+tag|tag|envelope|bar|hrb|abn|acn|gst|vat|crn|log|membership|lic"
    r"|ramq|ohip|bsn|prc|cmq|philhealth|sss|pan|aadhaar|umid|medical\s+aid|health\s+card|imei|meid|esn|incident|event"
    r"|occurrence|crime|cad|phn|ird|hkid|nino|title|folio|parcel|apn|session|tracking|consignment|key|urn"
    r"|transit|branch|institution|cheques?|checks?|inv|chy|charity|receipt|voucher|cover\s+note)\b"
)
_CLAUSE_LOWER = r"(?:off|de|la|del|van|der|upon|near|opp|behind|at|no)"  # lower-case words inside an address
# Letters, digits and separators; a short lower-case part before a dash or slash ('GT/ak/44172'), spaced
# slashes ('14 / QK / 08812 / 24').
_ID_TOKEN = r"[A-Z0-9](?:[A-Z0-9/:.\-]|[a-z]{1,3}(?=[/\-])|[ \t](?=\d|/|[A-Z]{1,4}\b)){2,40}[A-Z0-9]"


def pattern_recognizers() -> list[Any]:
    """presidio PatternRecognizers for every type (their names start with 'docanalysis_')."""
    import regex
    from presidio_analyzer import Pattern, PatternRecognizer

    def recognizer(entity: str, patterns: list[tuple[str, str, float]], context: list[str]) -> Any:
        return PatternRecognizer(
            supported_entity=entity,
            name=f"docanalysis_{entity.lower()}",
            patterns=[Pattern(name, regex, score) for name, regex, score in patterns],
            context=context,
            supported_language="en",
            global_regex_flags=regex.MULTILINE,  # presidio's default adds IGNORECASE; names need case
        )

    mrn_label = (
        r"(?i:MRN|MR\s?#|MR\s?No\.?|medical\s+record(?:\s+(?:number|no\.?|#))?|chart\s+(?:number|no\.?|#)"
        r"|patient\s+id|pt\s+id|hospital\s+(?:number|no\.?|#)|hosp\s+(?:no\.?|#)|unit\s+(?:number|no\.?)|ur\s+(?:number|no\.?))"
    )
    field_gap = r"(?:\s*\([^)\n]{1,30}\))?[ \t]{0,12}(?:[:#.][ \t]{0,30}){0,2}\n?[ \t]{0,12}"  # 'Policy No .  :'
    return [
        recognizer(
            "EMAIL",
            [("email", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b", 0.95)],
            ["email", "e-mail", "mail"],
        ),
        recognizer(
            "URL",
            [
                ("url", r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]{2,200}[^\s<>\"'()\[\].,;:!?]", 0.9),
                (
                    "ipv4",
                    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)",
                    0.6,
                ),
                (
                    "ipv6",
                    r"\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b|\b(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}\b",
                    0.7,
                ),
                (
                    "domain",
                    r"\b[a-z0-9][a-z0-9-]{1,40}(?:\.[a-z0-9-]{1,40}){0,3}\.(?:com|org|net|edu|gov|io|info|biz|co\.uk|org\.uk"
                    r"|nhs\.uk|ac\.uk|co|us|ca|in|au|de|fr|ie|uk|ph|ng|nl)\b(?![@\w])(?:/[\w.\-/]*[\w/])?",
                    0.6,
                ),
            ],
            ["url", "website", "web", "portal", "ip", "address", "link", "site"],
        ),
        recognizer(
            "SSN",
            [
                ("ssn dashed", r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b", 0.7),
                (
                    "ssn labelled",
                    r"(?i:(?<=\b(?:SSN|SS#|SS\s?No\.?|social\s+security(?:\s+(?:number|no\.?|#))?)"
                    r"\s{0,3}[:#]?\s{0,3}))\d{3}[- ]?\d{2}[- ]?\d{4}\b",
                    0.9,
                ),
                ("ssn spaced", r"\b\d{3}\s\d{2}\s\d{4}\b", 0.3),
                ("ssn masked", r"(?i:\b(?:x{3}|\*{3})-(?:x{2}|\*{2})-)\d{4}\b", 0.9),
                ("ssn bare", r"\b\d{9}\b", 0.15),
            ],
            ["ssn", "social", "security", "ss"],
        ),
        recognizer(
            "PHONE",
            [
                (
                    "phone",
                    r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\([ \t]?\d{3}[ \t]?\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
                    r"(?:\s?(?i:ext\.?|extn\.?|x|opt\.?|option|pgr|pager|poste)\s?\d{1,5})?\b",
                    0.65,
                ),
                ("australian", r"(?<![\w-])\(0\d\)[ \t]?\d{4}[ \t]?\d{4}(?!\d)", 0.7),
                (
                    "phone international",
                    r"(?<![\w+])\+\d{1,3}[ \t.-]?(?:\(0?\d{1,4}\)[ \t.-]?)?\d{1,5}(?:[ \t.-]\d{2,6}){1,4}(?!\d)"
                    r"(?:\s?(?i:ext\.?|extn\.?|x)\s?\d{1,5})?",
                    0.7,
                ),
                ("phone digits", r"\b\d{10}\b", 0.2),
                (
                    "phone after a verb",  # 'call me on 9472 7916', 'messages to 699 956 915'
                    r"(?<=\b(?i:call|text|ring|reach|phone|message|messages|contact|dial)(?:\s+(?:me|us|him|her|them))?"
                    r"(?:\s+back)?\s+(?:on|at|to)\s)\+?[\d(][\d ().-]{5,20}\d",
                    0.8,
                ),
                ("uk mobile", r"(?<![\w+])07\d{3}[ ]?\d{3}[ ]?\d{3}(?!\d)", 0.6),
                ("freephone", r"(?<![\w+.\-])1[38]00[ -]?\d{3}[ -]?\d{3}(?![\d\-])", 0.75),  # '1800 454 454' (AU, IE)
                ("eight digits", r"(?<![\w+.\-/])[3689]\d{3}[ ]\d{4}(?![\d\-/])", 0.55),  # Singapore, HK: '9671 2284'
                (
                    "national number",  # '0300 555 0118', '01273 555 047', '0176 55512093', '06-5550 3197', '0917 555 3821'
                    r"(?<![\w+.\-])0[1-9]\d{0,3}[ -]\d{3,8}(?:[ -]\d{2,4})?(?![\d\-])(?:[ \t]?(?i:ext\.?|x|opt\.?|pgr|poste)[ \t]?\d{1,5})?",
                    0.55,
                ),
                ("phone national", r"(?<![\w+])(?:\+44 ?|0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?!\d)", 0.3),
                (
                    "phone labelled",
                    r"(?i:(?<=\b(?:phone|telephone|tel|ph|cell|mobile|mob|fax|facsimile|pager|bleep|direct(?:\s+line)?|"
                    r"daytime|evening|contact\s+number|home|work|office)(?:\s*\([a-z ]{1,12}\))?(?: number| no\.?| #)?"
                    r"(?: is)?[ \t]{0,12}[:#.]?[ \t]{0,30}))\+?[\d(][\d ().-]{2,20}\d(?:\s?(?:ext\.?|extn\.?|x)\s?\d{1,5})?",
                    0.85,
                ),
                (
                    "one-letter label",  # a letterhead's footer: 'T 067 41 990 | F 067 41 998'
                    r"(?<=(?:^|\||│|[ \t]{2})[ \t]*(?:T|F|P|M|Tel|Ph)[ \t]*[:.]?[ \t]+)\+?\(?\d[\d ()-]{6,16}\d(?=[ \t]*(?:\||│|$|[ \t]{2}))",
                    0.85,
                ),
                (
                    "extension",  # 'ext. 4-3318', 'bleep 417' (never 'x': '2 x 100 mg')
                    r"(?<=\b(?i:ext|extn|extension|bleep|pager|pgr)\.?[ \t]?#?)\d(?:-?\d){2,5}(?![\d/]|\.\d)",
                    0.9,
                ),
            ],
            ["phone", "telephone", "tel", "cell", "mobile", "call", "contact", "fax", "pager", "reached"],
        ),
        recognizer(
            "MRN",
            [
                ("mrn labelled", rf"(?<=\b{mrn_label}{field_gap})[A-Z]{{0,3}}[-]?\d[\d -]{{4,14}}\d\b", 0.9),
                ("mrn prefixed", r"\bMR\d{6,10}\b", 0.8),
                ("mrn like", r"\b(?:[A-Z]{1,3}\d{6,10}|\d{2,3}-\d{5,7}|\d{7,10})\b", 0.25),
            ],
            ["mrn", "mr", "record", "chart", "medical", "id", "acct", "account"],
        ),
        recognizer(
            "ID",
            [
                (
                    "labelled number",
                    rf"(?<=(?<![/\w.-]){_ID_LABEL}\.?(?:\s+(?i:no\.?|number|num|#|id|code))?(?:[ \t]+is)?{field_gap}\(?)(?=[A-Za-z0-9 /.\-]{{0,12}}\d){_ID_TOKEN}",
                    0.9,
                ),
                (
                    "prefixed reference",
                    r"\b[A-Z]{1,5}(?:-[A-Z]{1,5}){0,2}[-/]?\d{2,}(?:[-/][A-Z0-9]{2,}){0,3}\b",
                    0.7,
                ),
                (
                    "numbered",  # 'Cause No. 2024-DCV-118734', 'SRA No. 612889', 'FECA NUMBER: 004417-UTW'
                    rf"(?<=\b(?i:no|number|num|nr)\.?(?:[ \t]+(?:is|was))?[ \t]{{0,12}}[:#]?[ \t]{{0,30}}|#[ \t]?:?[ \t]{{0,12}}){_ID_TOKEN}",
                    0.85,
                ),
                (
                    "acronym label",  # 'RAMQ: BOUT 4412 0519', 'BSN: 1784.29.031'; never a vital sign
                    rf"(?<=\b(?!(?:BP|HR|RR|PR|SPO2|SpO2|TEMP|WT|HT|BMI|INR|GCS|FIO2|MAP|CVP|EF|DOB|DOD|PMH|ICD|CPT)\b)[A-Z]{{2,6}}[ \t]*(?:No\.?|#)?[ \t]*:[ \t]{{0,30}}){_ID_TOKEN}",
                    0.85,
                ),
                ("three-part code", r"\b[A-Z]{2,4}-\d{3,6}-[A-Z0-9]{1,3}\b", 0.85),  # 'SP-0512-A', 'AM-4471-B'
                ("court case", r"\b\d{1,2}:\d{2}-[a-z]{2,3}-\d{3,6}(?:-[A-Z]{2,4}){0,3}\b", 0.85),
                ("year and code", r"\b\d{2,6}[-/ ][A-Z]{1,5}[-/ ]\d{4,8}\b", 0.6),
                ("code and number", r"\b[A-Z]{2,5}[ \t]\d{5,10}\b", 0.6),
                (
                    "last digits",
                    r"(?<=\b(?i:ending(?:\s+in)?|last\s+(?:\d|four|three)\s+(?:digits\s+)?(?:of\s+)?)[ \t:]*)\d{3,4}\b",
                    0.9,
                ),
                (
                    "dashed code",  # an electronic prescription's token: '7F2B9C-A84011-41D3QX'
                    r"\b(?=[A-Z0-9]{4,8}-[A-Z0-9]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{4,8}(?:-[A-Z0-9]{4,8}){2,4}\b",
                    0.8,
                ),
                (
                    "prescription row",  # a pharmacy table's row that starts with its Rx number: '4418820      Eliquis'
                    r"(?<=(?:^|\n)[ \t]{0,4})\d{6,9}(?=[ \t]{2,}\p{Lu}\p{Ll}+[ \t]+\d)",
                    0.85,
                ),
                (
                    "patent",  # 'U.S. Patent No. 11,402,887', 'Pat. App. 18/221,407', 'application GB2401177.3'
                    r"(?<=\b(?:Patent|Pat\.)(?:[ \t]+App(?:lication|l)?\.?)?(?:[ \t]+No\.?)?[ \t]{1,3})\d{1,3}(?:[,/]\d{3})+"
                    r"|\b(?:GB|EP|US|WO|DE|FR|JP|CN|AU|CA)\d{6,12}(?:\.\d)?\b",
                    0.85,
                ),
                (
                    "masked number",  # 'xxx-xx-6129', 'XXXX-XXXX-XXXX-4417', '***-**-6612': the digits shown still identify
                    r"(?<![\w*])(?:[xX*•]{2,5}[- ]?){1,4}\d{3,4}\b",
                    0.85,
                ),
                ("letters and digits", r"\b(?=[A-Z0-9]*[A-Z])(?=(?:[A-Z]*\d){5})[A-Z0-9]{7,20}\b", 0.6),
                ("card", r"\b\d{4}(?:[ -]\d{4}){2,3}\b|\b\d{4}[ -]\d{6}[ -]\d{5}\b", 0.8),
                ("nhs number", r"\b\d{3}[ -]\d{3}[ -]\d{4}\b", 0.4),
                ("long number", r"\b\d{10,19}\b", 0.55),
                ("grouped digits", r"\b\d{2,6}(?:[-/]\d{2,8}){1,4}\b", 0.55),
                ("vin", r"\b(?=[A-Z]*\d)[A-HJ-NPR-Z0-9]{17}\b", 0.7),
                (
                    "officer's number",  # 'PC J. Hughes 4471', 'Sgt. O. Lindgren #2290', 'DC Rhys Llewellyn-Jones 7702'
                    r"(?<=\b(?:PC|DC|DS|DI|PS|Sgt|Cpl|Ofc|Officer|Det|Deputy|Constable|Sergeant|Trooper)\.?[ \t]"
                    r"(?:[A-Z]\.[ \t]?){0,2}(?:\p{Lu}[\p{L}'’-]+[ \t]){0,2}\p{Lu}[\p{L}'’-]+[ \t]+#?)\d{3,6}\b"
                    r"(?![ \t]*(?:hrs|hours|h\b|:))"
                    r"|(?<=\b(?:PC|DC|DS|PS|Sgt|Constable|Sergeant)\.?[ \t]#?)\d{3,6}(?=[ \t]+(?:[A-Z]\.[ \t]?)?\p{Lu}\p{Ll})",  # 'PC 4471 Okafor'
                    0.9,
                ),
                (
                    "lower-case code",  # 'Session ID: dxm-7f31c0a9', 'ref: a7c3e9f01'
                    r"(?<=\b(?i:id|session|token|ref|reference|code|key|hash)[ \t]*[:#][ \t]*)(?=[\w-]*\d)(?=[\w-]*[a-z])"
                    r"[a-z0-9][a-z0-9_-]{5,40}\b",
                    0.9,
                ),
                ("payment handle", r"\b[\w.-]{3,40}@[a-z]{3,20}\b(?![.@\w-])", 0.95),  # UPI 'sk.traders88@paytm'
                ("exhibit", r"(?<=\b(?i:exhibits?|exh\.?|ref(?:erence)?)[ \t]+)[A-Z]{2,4}/\d{1,3}\b", 0.95),
                ("uk vehicle", r"\b[A-Z]{2}\d{2}[ ]?[A-Z]{3}\b", 0.9),
                (
                    "user name",  # 'user ID ntsaif-ext-0093', 'user bobbytran51', 'username: j.smith'
                    r"(?<=\b(?i:user(?:[ \t]?(?:name|id))?|login|handle|account[ \t]name)[ \t]*:?[ \t]+)"
                    r"(?=[\w.-]*\d|[a-z]+[.-][a-z])[a-z][a-z0-9._-]{3,30}[a-z0-9]\b",
                    0.9,
                ),
            ],
            ["account", "member", "policy", "claim", "licence", "license", "number", "id", "serial", "card", "plate"],
        ),
        recognizer(
            "DATE_OF_BIRTH",
            [
                (
                    "dob labelled",
                    rf"(?<=\b(?i:DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s?date|birthday|b\.|born(?:\s+on)?(?:\s+the)?"
                    rf"|DOD|D\.O\.D\.?|date\s+of\s+death|died(?:\s+on)?(?:\s+the)?|deceased(?:\s+on)?|passed\s+away\s+on|expired(?:\s+on)?"
                    rf"|death(?:\s+date)?){field_gap})(?:{DATE}|\d{{2}}[ \t]\d{{2}}[ \t](?:19|20)\d{{2}}"
                    r"|\d{1,2}[ \t]*/[ \t]*\d{1,2}[ \t]*/[ \t]*(?:19|20)\d{2})",
                    0.9,
                ),
                (
                    "dob in words",  # 'born on the twenty-first of July 1986', 'DOB: March the 3rd, 1931'
                    rf"(?<=\b(?i:born|DOB|date\s+of\s+birth|died|date\s+of\s+death)(?:\s+on)?\s*:?\s+)(?i:the\s+)?"
                    rf"(?:{_DAY_WORD}(?:\s+of)?\s+{_MONTH}|{_MONTH}(?:\s+the)?\s+{_DAY_WORD}),?\s+(?:19|20)\d{{2}}",
                    0.9,
                ),
                ("date before 1937", rf"\b{_OLD_DATE}", 0.6),
                ("date", rf"\b{DATE}", 0.1),
            ],
            ["dob", "birth", "born", "birthday", "birthdate", "death", "died", "deceased"],
        ),
        recognizer(
            "AGE",
            [
                (
                    "age over 89",
                    r"\b(?:9\d|1[01]\d)(?=\s?-?[ \t]?(?:years?|yrs?|y/?o|y\.o\.|yo|y(?=\))|Y(?:[ \t]?/[ \t]?[MF])?)\b|-year|[MF]\b)",
                    0.9,
                ),
                (
                    "age beside a birth date or a person",  # 'DOB 1931-01-19 (93)', 'husband (himself 96)'
                    r"(?<=\b(?:DOB|D\.O\.B\.?|born)[^\n]{0,40}\((?:aged?[ \t])?)(?:9\d|1[01]\d|ninety(?:-\w+)?)(?=\))"
                    r"|(?<=\b(?:himself|herself|aged|now|is|was|turned|turns)[ \t])(?:9\d|1[01]\d)\b"
                    r"(?![ \t]*(?:%|mg|mcg|g\b|kg|lb|mm|cm|mmHg|bpm|/|\.\d|°|percent|beats|minutes|mins|hours|days))",
                    0.85,
                ),
                (
                    "labelled age over 89",
                    r"(?<=\b(?i:age|aged|age\s+at\s+death|age\s+of)(?:[^\n\d:]{0,16}:)?\s{0,20}[:=]?\s{0,20})(?:9\d|1[01]\d)\b",
                    0.9,
                ),
                ("age over 89 after a name", r"(?<=\p{L}\.?[ \t]?\()(?:9\d|1[01]\d)(?=\))", 0.6),
                (
                    "age over 89 in words",
                    r"(?i:\b(?:ninety|one[ \t]hundred(?:[ \t]and)?)(?:[ \t-](?:one|two|three|four|five|six|seven|eight|nine))?"
                    r"(?=[ \t-]+years?\b|[ \t-]+year-old|[ \t]+\(|[ \t-]*(?:y/?o|y\.o\.|yo)\b)"
                    r"|(?<=\b(?:aged|is|was|turned|turns|Age[ \t]*:)\s{1,12})(?:ninety|one[ \t]hundred)"
                    r"(?:[ \t-](?:one|two|three|four|five|six|seven|eight|nine))?\b)"
                    r"(?![ \t-]+(?i:and|thousand|million|hundred|dollars|pounds|euros|rupees|shillings)\b)",
                    0.9,
                ),
            ],
            [],
        ),
        recognizer(
            "ADDRESS",
            [
                (
                    "street address",
                    rf"(?:\b{_UNIT},?[ \t]*\n?[ \t]*)?\b{_HOUSE}[ \t](?:{_DIRECTION}[ \t])?(?:{_STREET_WORD}[ \t]){{0,3}}"
                    rf"{_STREET_TYPES}(?:[ \t]{_DIRECTION}(?![\w]))?(?:,?[ \t]*\n?[ \t]*{_UNIT})?(?:{_NEXT_PART}{_PLACE_LINE}){{0,4}}",
                    0.75,
                ),
                (
                    "grid or foreign street",  # '3380 W 3500 S APT 218', '5770 S 1500 W', '1507 Calle Sombra'
                    rf"\b{_HOUSE}[ \t](?:[NSEW][ \t]\d{{2,5}}[ \t][NSEW]\b|(?:Calle|Avenida|Rue|rue|Via|Camino|Rua|Carrer|chemin|boulevard|avenue)[ \t]"
                    rf"(?:\p{{Lu}}[\p{{L}}'’-]+[ \t]?){{1,3}})(?:,?[ \t]*\n?[ \t]*{_UNIT})?(?:{_NEXT_PART}{_PLACE_LINE}){{0,4}}",
                    0.75,
                ),
                (
                    "labelled address",  # a form's field: the value up to the next column or the line's end
                    rf"(?<=\b(?i:address|addr|home\s+address|street(?:\s+(?:name|number|address))?|city(?:/town)?|town"
                    rf"|zip(?:\s+code)?|post\s?code|postal\s+code|residence|domicile|apt|apartment|suite|county|birthplace|place\s+of\s+birth|lives\s+at|location\s+of\s+care)(?:\s*\([^)\n]{{1,30}}\))?[ \t]*:[ \t]*\n?[ \t]*)"
                    rf"(?=[\p{{Lu}}\d])[^\n:]{{1,80}}?(?=[ \t]{{2}}|[ \t]*\n|$)(?:\n[ \t]*{_PLACE_LINE}){{0,4}}",
                    0.85,
                ),
                (
                    "labelled place",  # 'Place: Bellville', 'Signed at: Gosford' (not 'Place: Resident room 218')
                    r"(?<=\b(?i:place|suburb|village|signed\s+at)[ \t]*:[ \t]*)\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}\p{Ll}+){0,2}"
                    r"(?=[ \t]*(?:\n|$))",
                    0.85,
                ),
                (
                    "city before state",
                    rf"\b\p{{Lu}}[\p{{L}}'’-]+(?:[ \t]\p{{Lu}}[\p{{L}}'’-]+){{0,2}}(?=,[ \t]+{_STATE_NAME}\b)",
                    0.7,
                ),
                (
                    "residence clause",  # 'residing at Flat No. 502, B-Wing, Sai Krupa Residency, Karve Nagar, Pune - 411052, do'
                    r"(?<=\b(?i:residing|resident|resides|reside|resided|domiciled|living|lives|lived|staying|stays)[ \t]+(?i:at|in|of)"
                    r"\s+|[A-Z][\p{L}'’.-]+,\s+of\s+)(?=[\p{Lu}\d])"
                    r"(?:(?:No|St|Rd|Ave|Dr|Mt|Ft|Co|Nr|Opp|Blk|Bldg|Apt|Ste)\.|[\p{Lu}\d][^\s,;().]*"
                    rf"|{_CLAUSE_LOWER}(?=\s)|[,\-–/#]|[ \t]+|\n(?![ \t]*\n)){{1,60}}?"
                    r"(?<=[\p{L}\d.])(?=,?[ \t]*\(|[.;]?(?:\s*\Z|\s*\n[ \t]*\n)|[.;]\s|,?\s+(?:\p{Lu}\p{Ll}+\s+)?State\b"
                    rf"|,?\s+(?!{_CLAUSE_LOWER}\b)\p{{Ll}})",
                    0.75,
                ),
                (
                    "irish county",
                    r"\bCo\.[ \t](?:Antrim|Armagh|Carlow|Cavan|Clare|Cork|Derry|Donegal|Down|Dublin|Fermanagh|Galway|Kerry"
                    r"|Kildare|Kilkenny|Laois|Leitrim|Limerick|Longford|Louth|Mayo|Meath|Monaghan|Offaly|Roscommon|Sligo"
                    r"|Tipperary|Tyrone|Waterford|Westmeath|Wexford|Wicklow)\b",
                    0.7,
                ),
                (
                    "military address",
                    r"\b(?:PSC|Unit|CMR)[ \t]\d{3,5},?[ \t]*Box[ \t]\d{1,5}(?:,?\s*(?:APO|FPO|DPO)[ \t](?:AA|AE|AP)[ \t]\d{5})?",
                    0.8,
                ),
                (
                    "postcode and town",  # '3511 NK Utrecht', '22767 Hamburg' at a line's start; 'Bengaluru 560011', 'Manila 1004'
                    r"(?<=(?:^|\n)[ \t]*)\d{4,5}[ \t]?(?:[A-Z]{2}[ \t]+)?\p{Lu}\p{Ll}+(?:[- ]\p{Lu}\p{Ll}+)?(?=[ \t]*(?:\n|$|[,.)]))"
                    r"|\b\p{Lu}[\p{L}.-]+(?:[ \t]\p{Lu}[\p{L}.-]+){0,2}(?:,[ \t]*\p{Lu}\p{L}+)?[ \t]*[-–]?[ \t]*\d{3}[ ]?\d{3}\b"
                    r"(?<=[A-Za-z][ \t\-–]{1,3}\d{3}[ ]?\d{3})"
                    r"|(?<=,[ \t]*)\p{Lu}\p{Ll}+(?:[ \t]City)?(?:,[ \t]*\p{Lu}\p{Ll}+)?[ \t]+(?!(?:19|20)\d{2}\b)\d{4}\b"
                    r"|\b\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}\p{Ll}+)?,[ \t](?!(?:19|20)\d{2}\b)\d{4}(?=[ \t]*(?:\n|$|[,.)\]]))",
                    0.65,
                ),
                (
                    "european street",  # 'Holstenstraße 112', 'Oudegracht 201', 'Kastanjelaan 117'
                    r"\b\p{Lu}\p{Ll}+(?:straße|strasse|str\.|straat|laan|gracht|weg|gasse|plein|kade|singel|dijk|allee|platz"
                    r"|damm|ufer|markt|steeg|vej|gatan|gata|katu|tie)[ \t]\d{1,4}(?:[-/ ]?[A-Za-z0-9]{1,3}\b)?",
                    0.75,
                ),
                (
                    "street alone",  # a street named in prose: 'along Walter Road', 'on 159th Street'
                    r"\b(?:\p{Lu}\p{Ll}+[ \t]){0,1}\p{Lu}\p{Ll}+[ \t]*\n?[ \t]*(?:Road|Street|Avenue|Lane|Drive|Boulevard)\b(?:,[ \t]*\p{Lu}\p{Ll}+(?=[ \t]*(?:\n|$|[,.\]])))?"
                    r"|\b\d{1,3}(?:st|nd|rd|th)[ \t](?:Street|Avenue)\b",
                    0.6,
                ),
                (
                    "city and state",  # 'Miramar, FL' (not 'Jones, MD': credentials that are also states are left out)
                    r"\b\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}\p{Ll}+)?,[ \t](?:AL|AK|AZ|AR|CA|CT|FL|GA|IA|ID|IL|KS|KY|LA|MA|MI|MN|MO|MS|MT|NC|ND|NE"
                    r"|NH|NJ|NM|NV|NY|RI|SC|SD|TN|TX|UT|VA|VT|WA|WI|WV|WY)\b(?![\w.])",
                    0.7,
                ),
                (
                    "place of a signature or an institution",  # 'Verified at Pune on this 12th day', 'Victoria Hospital, Kirkcaldy'
                    r"(?<=\b(?:at|in)[ \t])\p{Lu}\p{Ll}+(?=[ \t]+on[ \t]+(?:this|the)[ \t]+\d)"
                    # 'SIGNED at PAARL on 28 March', 'DATED at NAIROBI this 22nd day', 'Signed at The Entrance on'
                    r"|(?<=\b(?i:signed|dated|sworn|executed|declared|affirmed|verified|attested)[ \t]+(?i:at)[ \t]+)"
                    r"(?:\p{Lu}\p{Ll}+|\p{Lu}{3,})(?:[ \t](?:\p{Lu}\p{Ll}+|\p{Lu}{3,})){0,2}"
                    r"(?=[ \t]*(?:,|\n|$|[ \t](?i:on|this|the)\b))"
                    r"|(?<=\b(?:Hospital|Clinic|Surgery|Centre|Center|Infirmary|Practice|Home|Pharmacy)(?:,[ \t]*\n?|[ \t]*\n)[ \t]*)\p{Lu}\p{Ll}+"
                    r"(?:[ \t](?:upon|on|under|\p{Lu}\p{Ll}+)){0,3}(?=[ \t]*(?:\n|$|[,.]))",
                    0.7,
                ),
                (
                    "unit and street",  # 'Flat 12, Lapps Quay, Cork City'
                    rf"\b{_UNIT},[ \t]*(?:{_STREET_WORD}[ \t]){{1,3}}{_STREET_TYPES}(?:{_NEXT_PART}{_PLACE_LINE}){{0,3}}",
                    0.75,
                ),
                ("resident of", r"(?<=,[ \t]of[ \t])\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}\p{Ll}+)?(?=[ \t]*[\n,(])", 0.7),
                ("dx address", r"\bDX[ \t]\d{3,6}(?:[ \t]\p{Lu}[\p{L}-]+(?:[ \t]\d{1,2})?)?", 0.7),
                ("broadway", rf"\b{_HOUSE}[ \t](?:Broadway|Bowery|The [A-Z][a-z]+)\b", 0.7),
                ("unit line", rf"(?<=(?:^|\n)[ \t]*){_UNIT}(?=[ \t]*(?:,|\n))", 0.6),
                ("flat in a column", r"(?<=[ \t]{2}|\t)(?i:Apt\.?|Apartment|Flat)[ \t]?#?\d{1,4}[A-Z]?\b", 0.6),
                (
                    "po box",
                    rf"\b(?i:G?P\.?\s?O\.?\s?(?:Box|Drawer)|Post\s+Office\s+Box|Locked\s+Bag|Private\s+Bag)\s\d{{1,6}}\b(?:{_NEXT_PART}{_PLACE_LINE}){{0,3}}",
                    0.7,
                ),
                (
                    "rural route",
                    r"\b(?:Rural Route[ \t]?\d{1,4}|Star Route[ \t]?\d{1,4}|(?:RR|R\.R\.|HC|Route)[ \t]?\d{1,4},?[ \t]*Box[ \t]\d{1,5}(?:-?[A-Z])?)\b",
                    0.7,
                ),
                (
                    "city state zip",
                    rf"\b[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){{0,2}},?[ \t]{{1,8}}(?:(?:[A-Z]{{2}}|{_STATE_NAME})[ \t]{{1,8}}\d{{5}}(?:-\d{{4}})?"
                    r"|(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)[ \t]{1,8}\d{4})\b",
                    0.7,
                ),
                ("uk postcode", r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b", 0.6),
                ("canada postcode", r"\b[A-Z]\d[A-Z] \d[A-Z]\d\b", 0.6),
                ("eircode", r"\b[AC-FHKNPRTV-Y]\d{2}[ ]?[0-9AC-FHKNPRTV-Y]{4}\b(?<=\d[A-Z0-9 ]{4,5})", 0.6),
                (
                    "county",
                    r"\b(?:[A-Z][a-z]+[ \t]){1,2}County\b|\b(?:(?!(?:FOR|THE|OF|IN|AND|TO)\b)[A-Z]+[ \t]){1,2}COUNTY\b"
                    r"|\b(?i:County[ \t]+of)[ \t]+[A-Z][A-Za-z.]+(?:[ \t][A-Z][A-Za-z]+)?\b|\bCounty[ \t\n]+[A-Z][a-z]+\b",
                    0.6,
                ),
            ],
            ["address", "lives", "resides", "street", "home"],
        ),
        recognizer(
            "LOCATION",
            [
                # spaCy counts 'move', 'from' and 'here' as stop words, which presidio's context words skip,
                # so the verb is part of the pattern.
                (
                    "place of residence or origin",
                    r"(?<=\b(?:moved|relocated|came|comes|immigrated|emigrated|visiting|flying in|flew in|driving|drove|en route"
                    r"|resident|residents|a native|home"
                    r"|travell?ed|returned|born|raised|grew up|lives|lived|living|resides|resided|residing|native)"
                    r"(?: here| back| up)?(?: originally)? (?:from|in|to|near|of) )[A-Z][a-z]+(?: [A-Z][a-z]+)?\b",
                    0.86,
                ),
            ],
            [],
        ),
        recognizer(
            "PERSON",
            person_patterns(),
            [],
        ),
    ]
