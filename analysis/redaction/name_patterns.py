"""The patterns that find a person's name: after a title, a label, a role or a relative, in a caption,
a signature or a greeting, as "Last, First", initials, nicknames. Each is (name, regex, score); a score
below ``SPREAD_SCORE`` makes the finding a weak one that ``redactor.py`` judges as it judges a guess.
"""

from __future__ import annotations

_NAME_WORD = r"(?:Mc|Mac|O['’])?\p{Lu}[\p{L}'’\-]+"
_PARTICLE = r"(?:van der|van den|van|von|de la|de los|del|de|da|dos|di|du|le|la|bin|binti|binte|ibn|al|el|ben|ter|zu|Ó|Ní|Nic|Ua|Mac|dela)"
# 'son of', 'daughter of', 'wife of', 'child of' in Indian, Malaysian and Singaporean names; 'bin', 'binti'.
_PATRONYM = r"(?:[SD]/[Oo]|[sd]/o|W/o|[Aa]/[LlPp]|A/L|A/P|bin|binti|binte|BIN|BINTI)\.?"
PATRONYM_MARKERS = frozenset("s/o d/o w/o a/l a/p bin binti binte".split())
_PATRONYM_WORD = r"(?:Mc|Mac|O['’])?\p{Lu}[\p{L}'’\-]*[\p{L}]\.?"
_NICKNAME = r"(?:[\"“‘'][\p{Lu}][\p{L}.]+[\"”’']|\(\p{Lu}\p{Ll}+\)|\([\"“‘']\p{Lu}[\p{L}.]+[\"”’']\))"
NAME = rf"(?:[A-Z]\.[ \t]?){{0,2}}(?:(?:Ó|Ní|Mac|Mc|Van|Von|De|Da|Di|Le|La|Al|El)[ \t])?{_NAME_WORD}(?: {_NAME_WORD}| {_PARTICLE} {_NAME_WORD}| [A-Z]\.?(?![\p{{L}}])| {_NICKNAME}){{0,3}}"
INITIALS = r"(?:[A-Z]\.){2,3}(?![\p{L}])"
# 'OKAFOR, Margaret A.' and 'Okafor, Margaret': a surname, a comma, given names.
LAST_FIRST = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,2}}, {_NAME_WORD}(?: {_NICKNAME})?(?: [A-Z]\.?(?![\p{{L}}]))?(?: {_NAME_WORD})?(?: {_NICKNAME})?"
_TITLE = (
    r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Rev|Fr|Hon|Judge|Justice|Sister|Sr|Sgt|Det|Officer|Ofc|OFC|Cllr"
    r"|Sir|Dame|Lady|Lord|Mstr|Master|Mme|Mlle|Sra|Dep|Ptl|Cpl|Lt|Capt|Insp|PC|DC|DS|DI|Shri|Smt|Sri|Kumari|Adv|Pharm|Mdm|MDM|Madam|Encik|Puan|Cik|Tuan|Alhaji|Alhaja|Engr|Barr|Chief(?![ \t]+(?:\p{Lu}\p{Ll}+[ \t]+)?(?i:Officer|Executive|Operating|Financial|Medical|Nursing|Complaints?|Technology"
    r"|Information|Legal|Justice|Constable|Inspector|Superintendent|Resident|Engineer|Editor)\b))"
)
_RELATIVE = (  # lower case, or capitalised at a sentence's start; never 'CHILD SUPPORT'
    r"(?:[Ww]ife|[Hh]usband|[Ss]pouse|[Pp]artner|[Ss]on|[Dd]aughter|[Ss]on-in-law|[Dd]aughter-in-law|[Ss]tepson"
    r"|[Ss]tepdaughter|[Ss]tepmother|[Ss]tepfather|[Cc]hild|[Mm]other|[Ff]ather|[Mm]um|[Mm]om|[Dd]ad|[Ss]ister"
    r"|[Bb]rother|[Gg]od(?:daughter|son|mother|father|child)|[Ss]tep(?:brother|sister)|[Hh]alf-(?:brother|sister)|[Ss]ibling|[Tt]win|[Cc]aregiver|[Cc]arer|[Gg]uardian|[Nn]eighbou?r|[Ff]riend|[Nn]iece"
    r"|[Nn]ephew|[Aa]unt|[Uu]ncle|[Cc]ousin|[Gg]randson|[Gg]randdaughter|[Gg]randchild|[Gg]randmother"
    r"|[Gg]randfather|[Gg]randma|[Gg]randpa|[Ff]ianc[eé]e?|[Bb]oyfriend|[Gg]irlfriend|[Rr]oommate|[Ff]latmate"
    r"|[Hh]ousemate|[Ll]andlady|[Cc]olleague|[Cc]o-?worker|[Ww]idow|[Ww]idower|[Ee]x-wife|[Ee]x-husband"
    r"|[Pp]roxy|[Ss]ponsor|[Ii]nterpreter|[Kk]id|[Bb]aby|[Gg]randkid)"
)
# Labels that start a header line (or a table cell) and are followed by a person's name.
_NAME_LABEL = (
    r"(?i:patient(?:'s)?(?:\s+(?:full\s+)?name)?|pt(?:\s+name)?|(?:full\s+|legal\s+|printed\s+|print\s+)?names?"
    r"|client|claimant|insured|member|subscriber|policy\s*holder|employee(?:\s+name)?|tenant|landlord|lessee|lessor"
    r"|plaintiff|defendant|petitioner|respondent|applicant|appellant|witness|deponent|affiant|decedent|deceased"
    r"|testator|testatrix|executor|executrix|guardian|ward|minor|child|parent|mother|father|spouse|husband|wife"
    r"|next\s+of\s+kin|nok|(?:emergency\s+)?contact(?:\s+person)?|given|known\s+as|copy\s+to|reviewed|dispensed|checked|(?:process\s+)?server|guarantor|beneficiary|agent|attorney(?:-in-fact)?"
    r"|principal|grantor|representative|physician|provider|attending(?:\s+physician)?|surgeon|assistant|anesthesiologist"
    r"|anaesthetist|radiologist|pathologist|dentist|pharmacist|therapist|nurse|author|interpreter|caregiver"
    r"|informant|driver|owner|victim|complainant|notary|consultant|registrar|judge|officer|prescriber|pcp|gp"
    r"|primary\s+care(?:\s+physician)?|referring(?:\s+(?:physician|clinician|doctor))?|ordering(?:\s+(?:physician|provider))?"
    r"|(?:referred|ordered|prepared|reviewed|verified|approved|witnessed|requested|dictated|transcribed|signed|seen|issued"
    r"|completed|submitted|taken|recorded|authored|entered|pronounced|certified)"
    r"\s+(?:by|to)|signature|signed|sig|resident|chaplain|witness(?:es)?"
    r"|suspect|victim|owner|first\s+names?|last\s+name|surname|given\s+names?|forenames?|middle\s+name|preferred\s+name"
    r"|manager|mgr|supervisor|rn|lpn|np|hca|crna|team\s+leader|transcriptionist|hygienist|emergency|informant|director"
    r"|certifier|coroner|statement\s+of|other\s+names(?:\s+used)?|names?\s+used|alias(?:es)?|aka|superintendent|foreman"
    r"|operator|adjuster|adjustor|handler|caseworker|case\s+manager|social\s+worker|coordinator|identify)"
)
# Labels that are followed by a name as often as by something else ('RE: CRITICAL VALUE', 'To: Cardiology').
_WEAK_NAME_LABEL = r"(?i:from|to|attn|attention|cc|re|regarding|lead|by|for)"
_NAME_LABEL_PREFIX = (
    r"(?<=(?:^|\n|[ \t]{{2}}|\t|\|)[ \t]*(?:\d{{1,2}}[a-z]?\.[ \t]*)?(?:[\p{{L}}'/\-–]+[ \t]){{0,3}}{label}(?:[ \t]+[\p{{L}}\d#'/]+){{0,2}}"
    r"(?:[ \t]*\([^)\n]{{0,30}}\))?[ \t]*:[ \t]{{0,40}}(?:{title}\.?\s)?[\"“]?)"
)


def person_patterns() -> list[tuple[str, str, float]]:
    """The PERSON recognizer's patterns, strongest evidence first."""
    return [
        ("titled name", rf"(?<=\b{_TITLE}\.?\s){NAME}", 0.9),
        (  # capitals titles only before a name in capitals: 'MS. OYELOWO:' (never 'MR. No', mitral regurgitation)
            "titled name in capitals",
            r"(?<=\b(?:MR|MRS|MS|DR|MISS|PROF|JUDGE|JUSTICE|HON)\.?[ \t])(?!(?:PRESIDING|OF|THE|AND|SIGNATURE|DATE)\b)"
            r"[A-Z][A-Z'’\-]{2,}(?:[ \t][A-Z]\.)?"
            r"(?:[ \t][A-Z][A-Z'’\-]+){0,2}\b",
            0.86,
        ),
        (
            "role and name",  # 'Plaintiff Rosalind Mae Turner', 'victim DUBOIS', 'PC Chidi Okafor'; judged as a guess
            rf"(?<=\b(?:Plaintiffs?|Defendants?|Petitioner|Respondent|Claimant|Tenant|Landlord|Witness|[Vv]ictim"
            rf"|[Ss]uspect|Resident|[Nn]urse|HCA|PC|DC|DS|DI|Sgt|Dep\.|Deputy|Officer|Lead|Mgr|Manager|Supervisor"
            rf"|Chaplain|Midwife|midwife|Paramedic|paramedic|Carer|Physio|Pharmacist|pharmacist|[Gg]rand-(?:niece|nephew)|Decedent|[Ww]itness|[Cc]hild|[Mm]inor|rep|NOK|[Gg]od(?:daughter|son|mother|father)|supervisor|manager|foreman)[ \t\n]+(?:#?\d{{3,6}}[ \t]+)?){NAME}",
            0.8,
        ),
        (
            "caption name",  # a party in a court caption, in capitals: 'ROSALIND MAE TURNER, an individual,'
            r"(?<![\p{L}])(?<=(?:^|\n)[ \t]*(?:\d{1,2}[ \t]+|\(?\d{1,2}[.)][ \t]+)?|[a-z,;][ \t])[A-Z][A-Z'’.\-]+(?:[ \t][A-Z]\.?)?(?:[ \t][A-Z][A-Z'’.\-]+){1,3}"
            r"(?=,?[ \t]+(?:an individual|individually|a/k/a|aka|et al|deceased|a minor|residing|of legal age|born|aged?\b"
            r"|a resident|\(\"?(?:Respondent|Petitioner|Plaintiff|Defendant|Decedent|Ward))|,?[ \t]{2,}[)§]|,?[ \t]*\n[^\n]{0,60}"
            r"\b(?:Plaintiffs?|Defendants?|Petitioners?|Respondents?|Appellants?|Appellees?|Claimants?|Decedent|Deceased)\b)",
            0.8,
        ),
        (
            "dotted initials",
            rf"(?<![\p{{L}}.])(?!(?:D\.O\.B|U\.S\.A|P\.L\.C|L\.L\.C|C\.E\.O|B\.I\.D|T\.I\.D|Q\.I\.D|P\.R\.N)\.){INITIALS}",
            0.86,
        ),
        (
            "name with credentials",  # judged as a guess: 'Triage RN' is no name
            rf"\b{NAME}(?=,?\s(?:MD|M\.D\.|DO|D\.O\.|NP|PA-C|PA|RN|PhD|DNP|APRN|MBBS|MBChB|MRCP|MRCGP|FRCS|FRCP"
            rf"|FNP|FNP-C|CNM|CNM2|DPM|LCSW|DDS|DMD|PharmD|Esq|LPN|CNA|MSW|LMFT|PsyD|JD|QC|KC|CHPN|RGN|RMN|FRCPC|OT|PT|SLP)\b)",
            0.85,
        ),
        (
            "labelled name",  # a header field: the label starts its line or a table cell
            _NAME_LABEL_PREFIX.format(label=_NAME_LABEL, title=_TITLE)
            + rf"(?:{LAST_FIRST}|{NAME}|{INITIALS}|(?:[A-Z][ \t]){{1,3}}{_NAME_WORD})",
            0.9,
        ),
        (
            "weakly labelled name",  # judged as a guess
            _NAME_LABEL_PREFIX.format(label=_WEAK_NAME_LABEL, title=_TITLE) + rf"(?:{LAST_FIRST}|{NAME}|{INITIALS})",
            0.8,
        ),
        (
            "signed by",
            rf"(?<=\b(?i:dictated|signed|seen|transcribed|reviewed|prepared|witnessed|attested|sworn|authori[sz]ed)"
            rf"\s+(?i:by|before):?\s{{1,3}}(?:{_TITLE}\.?\s)?)(?:{NAME}|[A-Z]{{2,3}}\b)",
            0.9,
        ),
        ("slash signature", rf"(?<=/s/[ \t]*){NAME}", 0.9),
        (
            "name with a nickname",  # 'Graciela "Chela" Montemayor'
            r"\b\p{Lu}\p{Ll}+[ \t][\"“]\p{Lu}[\p{L}.]+[\"”][ \t](?:\p{Lu}\.[ \t])?\p{Lu}[\p{L}'’\-]+",
            0.9,
        ),
        (
            "name and relation",  # a contacts table: 'Halina Brzezinska   | Daughter', 'Ifeoma Nwachukwu (sister)'
            rf"\b(?:{LAST_FIRST}|{NAME})(?=[ \t]*\((?i:{_RELATIVE})\)|[ \t]{{2,}}\|?[ \t]*(?:{_RELATIVE}|Son|Daughter|Wife|Husband"
            rf"|Partner|Sister|Brother|Mother|Father|Niece|Nephew|Grand(?:daughter|son)|Neighbou?r|Friend)\b|[ \t]*\|[ \t]*(?:{_RELATIVE})\b)",
            0.86,
        ),
        (
            "surname in capitals, given name",  # 'KOWALCZYK, Zofia H.', 'DE SOUZA, Marcus'
            r"\b(?:\p{Lu}[ \t])?\p{Lu}[\p{Lu}'’\-]{1,}(?:[ \t]\p{Lu}[\p{Lu}'’\-]{1,}){0,2},[ \t]\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}\p{Ll}+)?(?:[ \t][A-Z]\.?(?![\p{L}]))?",
            0.8,
        ),
        (
            "name in capitals",  # 'GERTRUDE ILONA HORVATH', judged: headings use ordinary words
            r"(?<![\p{L}\-])[A-Z][A-Z'’.\-]+(?:[ \t][A-Z]\.)?(?:[ \t][\"“][A-Z]+[\"”])?(?:[ \t][A-Z][A-Z'’.\-]+){1,3}(?![\p{L}\-])",
            0.7,
        ),
        (
            "introduced name",  # dialogue and letters: 'My name is Siiri', 'This is Dr Lang', 'last name? Boyle'
            rf"(?<=\b(?i:my\s+name\s+is|my\s+name's|name\s+is|i\s+am|i'm|this\s+is|call\s+me|calls?\s+(?:me|him|her)|last\s+name\??"
            rf"|first\s+name\??|surname\??)[ \t:]{{1,3}}(?:{_TITLE}\.?\s)?){NAME}",
            0.8,
        ),
        (
            "closing signature",
            rf"(?<=(?i:sincerely|regards|yours\s+(?:sincerely|faithfully|truly)|respectfully|best\s+wishes|"
            rf"with\s+thanks|many\s+thanks)(?:\s+yours)?,?[ \t]*\n(?:[ \t]*\n){{0,3}}(?:[ \t]*[A-Z][A-Z&'’.,\- ]{{3,60}}\n(?:[ \t]*\n){{0,2}})?"
            rf"[ \t]*(?:{_TITLE}\.?\s)?){NAME}",
            0.9,
        ),
        (
            "relative's name",
            rf"(?<=\b{_RELATIVE}(?:,(?![ \t]*\n)|:|[ \t]-|\s+named|\s+called|\s+is)?(?:\s|[ \t]*\n[ \t]{{1,8}})){NAME}",
            0.86,
        ),
        (
            "also known as",
            rf"(?<=\b(?i:n[ée]e|formerly|maiden\s+name:?|previously\s+known\s+as|also\s+known\s+as|known\s+as"
            rf"|a\.?k\.?a\.?|goes\s+by|prefers\s+to\s+be\s+called|nicknamed|name\s+appears\s+as|(?:recorded|registered|listed)\s+as|known(?:\s+\w+){{1,3}}\s+as|know\s+as|know\s+to\s+be|known\s+to\s+be):?\s{{1,12}}[\"“'‘]?)(?:{_PARTICLE}[ \t])?{NAME}",
            0.86,
        ),
        ("quoted nickname", r"(?<=\b[A-Z][a-z]+[ \t][\"“‘])[A-Z][a-z]+(?=[\"”’][ \t][A-Z])", 0.86),
        ("nickname in brackets", r"(?<=\b[A-Z][a-z]+[ \t]\([\"“])[A-Z][A-Za-z]{1,12}(?=[\"”]\))", 0.86),
        (
            "name in brackets",  # 'wife (Marelize)', 'girl (Zofia)', 'Patrick Joseph (PJ) Fahy'
            rf"(?<=\b(?:{_RELATIVE}|[Gg]irl|[Bb]oy|[Tt]wins?)[ \t]\()\p{{Lu}}[\p{{L}}'’-]+(?:[ \t]\p{{Lu}}[\p{{L}}'’-]+)?(?=\))"
            r"|(?<=\b\p{Lu}\p{Ll}+[ \t]\()\p{Lu}{2,3}(?=\)[ \t]\p{Lu}\p{Ll}+)",
            0.86,
        ),
        ("maiden name in brackets", rf"(?<=\((?:born|n[ée]e)[ \t]+){NAME}(?=\))", 0.86),
        (
            "quoted name after a naming verb",  # 'a CNA named "Bug"', 'call him "Robbo"'
            r"(?<=\b(?:named|called|nicknamed|calls?[ \t]+(?:me|him|her)|call[ \t]+(?:me|him|her))[ \t]+[\"“'‘])"
            r"\p{Lu}[\p{L}'’-]+(?:[ \t]\p{Lu}[\p{L}'’-]+)?(?=[\"”'’])",
            0.86,
        ),
        (
            "labelled name in a greeting",  # 'Hi Faith,', 'Thanks Will.', 'Thanks,\nFaith' (judged as a label's name)
            r"(?<=(?:^|\n)[ \t]*(?i:hi|hello|hey|dear|thanks|thank\s+you|cheers|many\s+thanks|kind\s+regards|regards|best"
            r"|warm\s+regards|best\s+wishes|take\s+care)[ \t]*,?[ \t]*(?:\n[ \t]*)?)(?!(?:Sirs?|Madam|Colleagues?|All|Team|Everyone|Doctor|Patient|Again|There)\b)"
            r"\p{Lu}[\p{Ll}'’-]+(?:[ \t]\p{Lu}[\p{Ll}'’-]+)?(?=[ \t]*(?:[,.!][ \t]|[,.!]?[ \t]*(?:\n|\Z)))",
            0.86,
        ),
        (
            "name on a signature line",  # 'Signature: ____G K Sahni____', 'Employee: ______ H. Walker'
            rf"(?<=_{{2,}}[ \t]?)(?:[A-Z][ \t]){{0,2}}{NAME}(?=[ \t]?_{{2,}})|(?<=:[ \t]*_{{3,}}[ \t]+){NAME}",
            0.86,
        ),
        (
            "typist's initials",  # 'Ref: HS/kt': the author's and the typist's initials of a letter
            r"(?<=\b(?i:ref|our\s+ref)[ \t]*:?[ \t]*)[A-Z]{2,3}/[a-z]{2,3}\b(?![/\d])",
            0.86,
        ),
        (  # 'Rajesh s/o Muthusamy', 'LETCHUMI D/O ARUMUGAM', 'Siti binti Abdullah', 'Kumar a/l Rajan'
            "patronymic name",
            rf"(?<![\p{{L}}.'’-])(?!{_TITLE}\.?[ \t])(?:{_PATRONYM_WORD}[ \t]){{1,3}}{_PATRONYM}[ \t]"
            rf"(?:(?:Late|late|LATE|Shri|SHRI|Sri|Mr|Mohd|MOHD)\.?[ \t])?{_PATRONYM_WORD}(?:[ \t]{_PATRONYM_WORD}){{0,3}}"
            rf"(?![\p{{L}}'’-])",
            0.9,
        ),
        ("sworn I", rf"(?<=\bI,[ \t]){NAME}(?=,)", 0.9),
        (
            "referred patient",
            rf"(?<=\bfor[ \t]+(?:referring|seeing|sending)[ \t]+(?:{_TITLE}\.?[ \t])?){NAME}",
            0.86,
        ),
        ("case caption", rf"\b{NAME}(?=[ \t]+v\.?[ \t]+\p{{Lu}})", 0.86),
        ("name and age", rf"\b{NAME}(?=,[ \t]+(?:a|an|aged)[ \t]+\d{{1,3}}[ -]?(?:y/?o|year|yr))", 0.86),
        (
            "initials",  # 'Transcribed: KB', 'Dictated by: mkb'
            r"(?<=\b(?i:transcribed|transcriptionist|dictated|typed|initials?)(?:\s+by)?:?[ \t]{1,12}(?:\d{1,4}[/-]\d{1,2}[/-]\d{2,4}[ \t]+)?)[A-Za-z]{2,3}\b(?![:/])",
            0.86,
        ),
        (
            "upper-case last, first",
            r"(?<![\w,])[A-Z][A-Z'’\-]+(?:[ \t][A-Z][A-Z'’\-]+)?,[ \t][A-Z][A-Z'’\-]+(?:[ \t][A-Z]\.?)?\b",
            0.7,
        ),
        (
            "initials and surname",
            r"(?<![\w.])(?!(?:U\.S|U\.K|N\.A|P\.C|L\.P|D\.C|E\.U|U\.N|S\.A)\.)[A-Z]\.(?:[ \t]?[A-Z]\.)?[ \t]?"
            r"(?:Mc|Mac|O['’])?(?:[A-Z][a-z'’\-]{2,}|(?<=[ \t])[A-Z]{3,}(?:-[A-Z]+)?)\b",
            0.7,
        ),
    ]
