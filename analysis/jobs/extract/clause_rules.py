"""How each of the 18 CUAD clause categories is phrased in commercial contracts: the pattern
table the contract rules score sentences with (``contracts.py`` reads the text and scores).

Written from legal drafting conventions, not from any one document: a strong cue alone makes a
clause, weak cues need a heading, similarity or a second cue, and penalties lower look-alikes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a clause pattern: a space means any run of whitespace (PDF text breaks lines and
    uses no-break spaces), matching ignores case."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"), re.IGNORECASE)


def _any(*patterns: str) -> re.Pattern[str] | None:
    return _rx("|".join(f"(?:{p})" for p in patterns)) if patterns else None


_GAP = r"(?:[^.;]|\.(?=\w)){0,%d}?"  # a bounded gap inside one clause of a sentence ("3.1" does not end it)


def _g(n: int) -> str:
    return _GAP % n


# --------------------------------------------------------------------------- clause rules


@dataclass(frozen=True)
class ClauseRule:
    """How one clause category is phrased. ``strong`` alone makes a clause; ``weak`` needs a
    heading, similarity or a second weak cue; ``penalty`` lowers sentences that only look alike;
    ``strip`` removes look-alike phrases ("non-exclusive", "exclusive jurisdiction") first."""

    field: str
    strong: re.Pattern[str] | None
    weak: re.Pattern[str] | None = None
    heading: re.Pattern[str] | None = None
    penalty: re.Pattern[str] | None = None
    strip: re.Pattern[str] | None = None
    weak_score: float = 0.5
    penalty_score: float = 0.6


_NOT = (
    r"(?:(?:shall|will|may|must|can|could|should)(?: not|not|n['’]t)|(?:neither|no) (?:party|\w+) (?:shall|will|may))"
)
_DAMAGES = (
    r"(?:indirect|incidental|consequential|special|punitive|exemplary|lost profits"
    r"|loss of (?:profits?|revenues?|data|business))"
)
_CARVE_OUT = (
    r"(?:indemnif\w*|gross(?:ly)? negligen\w*|wil(?:l)?ful|intentional|fraud\w*|confidential\w*|infring\w*"
    r"|misappropriat\w*|death|bodily injury|personal injury|breach of (?:section|article|clause|its obligations under))"
)

CLAUSE_RULES: tuple[ClauseRule, ...] = (
    ClauseRule(
        "termination_for_convenience",
        strong=_any(
            rf"terminat\w*{_g(150)}\b(?:for (?:its |their |the \w+'s )?(?:own )?convenience|without (?:any"
            rf" )?(?:cause|reason)"
            rf"|with or without (?:cause|reason)|for any reason or (?:for )?no reason|for any or no reason|for no"
            rf" reason"
            r"|at will|in (?:its|their) sole (?:and absolute )?discretion)",
            rf"(?:for (?:its )?convenience|without cause|with or without cause|for any reason|sole (?:and absolute )?"
            rf"discretion){_g(100)}terminat\w*",
            rf"(?:may|shall have the right to|is entitled to|can)(?: be)? terminat\w*{_g(80)}at any time",
            r"(?:cancell?able|terminable) at any time|unilateral(?:ly)? (?:to )?terminat\w*",
            rf"at any time{_g(60)}(?:may|shall have the right to|right to) terminat\w*",
        ),
        weak=_any(
            rf"(?:may|shall have the right to|right to|is entitled to) terminat\w*{_g(120)}(?:upon|by giving|on|with"
            rf"|after)"
            rf"{_g(60)}(?:days?|months?|years?)['’]?{_g(30)}notice",
            rf"(?:upon|by giving|on|with|after){_g(30)}(?:days?|months?)['’]?{_g(30)}notice{_g(80)}terminat\w*",
        ),
        heading=_rx(r"terminat"),
        penalty=_rx(
            r"breach|default|insolv|bankrupt|fail(?:s|ure|ed)? to|force majeure|cure|violat|expiration of the"
            r" (?:initial )?term"
            r"|non-?renew|not to renew|change of control|convicted|misconduct|terminat\w* (?:the |all |any"
            r" )?(?:discussions|negotiations|talks)|opportunity to cure|following grounds"
        ),
        penalty_score=0.9,
        weak_score=0.6,
    ),
    ClauseRule(
        "anti_assignment",
        strong=_any(
            rf"{_NOT}{_g(80)}\b(?:assign|transfer|delegate|sublicense)",
            r"not (?:be )?(?:assignable|assigned|transferable|transferred|delegable)",
            rf"\bassign\w*{_g(250)}without{_g(60)}(?:consent|approval|authori[sz]ation|agreement)",
            rf"(?:consent|approval) of{_g(80)}\b(?:assign|transfer)\w*",
            rf"\b(?:no|any) (?:purported |attempted )?(?:assignment|transfer){_g(160)}(?:void|consent|approval"
            rf"|prohibited|null|not be (?:permitted|valid|effective))",
            rf"neither party (?:may|shall|will|can){_g(60)}\b(?:assign|transfer)",
            rf"\bassign\w*{_g(160)}(?:is|are|shall be) (?:prohibited|void|null)",
        ),
        weak=_any(rf"\bassign\w*{_g(150)}(?:upon|with|after|by giving){_g(40)}notice", r"\bassignment\b"),
        heading=_rx(r"assign"),
        strip=_rx(
            r"assignment of (?:the )?(?:proceeds|receivables|patent|invention)s?|assignment for the benefit of"
            r" creditors"
        ),
    ),
    ClauseRule(
        "change_of_control",
        strong=_any(
            r"change (?:of|in) (?:the )?(?:control|ownership)",
            r"(?:controlling|majority) (?:interest|ownership|shareholder|stake)",
            rf"\b(?:merger|consolidation|amalgamation|acquisition){_g(180)}\b(?:deemed (?:an? )?(?:assignment"
            rf"|transfer)|consent|notify|notice|terminat\w*)",
            rf"\b(?:deemed (?:an? )?(?:assignment|transfer)|consent|terminat\w*){_g(180)}\b(?:merger|consolidation"
            rf"|amalgamation)\b",
            rf"(?:sale|transfer|disposition|acqui\w+) (?:of )?(?:all or )?(?:substantially|materially) all (?:of"
            rf" )?{_g(40)}(?:assets|business|stock|shares|equity)",
            r"(?:fifty percent|50 ?%|majority) of (?:the |its )?(?:outstanding |issued )?(?:voting )?(?:stock|shares"
            r"|securities|equity|voting)",
        ),
        weak=_any(r"by operation of law", r"\bsuccessor\w* in interest"),
        heading=_rx(r"change of control|assign"),
        penalty=_rx(
            r"bankrupt|insolven|receiver|creditors|liquidat|winding up|without (?:the )?(?:need for )?(?:any"
            r" )?(?:prior )?(?:written )?consent(?![^.;]{0,250}\bnotice)"
        ),
    ),
    ClauseRule(
        "non_compete",
        strong=_any(
            r"non-? ?compet\w*",
            rf"(?:{_NOT}|agrees? not to|covenants? not to|refrain from|undertakes? not to|shall"
            rf" not){_g(200)}\bcompet(?:e|es|ing|itive|ition)\b",
            rf"(?:{_NOT}|agrees? not to|covenants? not to|refrain from){_g(120)}(?:engage|participate|invest|be"
            rf" (?:engaged|interested|employed)){_g(150)}(?:similar|same|like) (?:business|products?|services?)",
            rf"(?:{_NOT}|agrees? not to){_g(80)}(?:sell|market|distribute|promote|solicit orders){_g(100)}outside"
            rf" (?:of )?the (?:territory|area)",
            r"(?:restrictive covenant|covenant not to compete)",
        ),
        weak=_any(r"compet(?:ing|itive) (?:products?|services?|business)", r"\bcompet\w*"),
        heading=_rx(r"compet|restrictive covenant|exclusiv"),
        strip=_rx(r"competitive (?:bid|price|pricing|rates?|terms)|competent (?:jurisdiction|authority|court)"),
    ),
    ClauseRule(
        "exclusivity",
        strong=_any(
            r"\bexclusive(?:ly)? (?:right|rights|licen[cs]e\w*|distribut\w+|agen\w+|reseller|supplier|provider|basis"
            r"|sales|marketing"
            r"|dealer|representative|partner|arrangement|relationship|territory|sponsor\w*|endorse\w*|manufactur\w+"
            r"|source|purchaser"
            r"|customer|vendor|seller|developer|collaborat\w+|dealing|promot\w+|carrier|transport\w*|hosting"
            r"|outsourc\w*)",
            r"(?:on|in) an exclusive (?:basis|manner)",
            r"sole (?:and exclusive )?(?:source|supplier|distributor|provider|agent|reseller|vendor)",
            r"\bexclusively (?:from|to|through|with|for|by)\b",
            r"(?:all|one hundred percent|100 ?%) of (?:its|their|the \w+['’]s|[\w]+['’]s) (?:\w+ )?(?:requirements"
            r"|needs|purchases)",
            rf"(?:{_NOT}|agrees? not to){_g(100)}(?:appoint|grant|engage|authori[sz]e|licen[cs]e|sell|purchase|buy"
            rf"|contract with)"
            rf"{_g(100)}(?:any )?(?:other|third[- ]part\w+|additional|another|competing){_g(50)}(?:distributors?"
            rf"|agents?|resellers?|suppliers?|licensees?|sponsors?|vendors?|providers?|manufacturers?|sources?"
            rf"|dealers?)",
            r"(?:only|sole) (?:distributor|supplier|reseller|agent|provider|licensee|source)",
        ),
        weak=_any(r"\bexclusiv\w*"),
        heading=_rx(r"exclusiv"),
        strip=_rx(
            r"non-? ?exclusiv\w*|exclusive (?:jurisdiction|venue|forum|remed\w+|property|owner\w*|right,? title|of\b"
            r"|and in lieu)"
            r"|(?:sole and )?exclusive (?:and sole )?(?:remed\w+|liability|obligation)|exclusiv\w+ (?:by|in|under"
            r"|within) the (?:laws|courts?)"
            r"|exclusively (?:in|with|before) (?:the )?(?:state |federal )?courts?|exclusive (?:right )?to (?:bring"
            r"|seek|enforce)"
            r"|(?:governed|construed|interpreted|settled|resolved|determined|submit\w*|venue|heard)\s+exclusively"
            r"|exclusively (?:by|in accordance)"
            r"|(?:remed\w+|rights?) (?:are|is|shall be) not exclusive|(?:sole and )?exclusive (?:rights?,? )?(?:and"
            r" interests? )?(?:of|in) (?:the |all )?(?:intellectual|rights|ownership|title)"
        ),
    ),
    ClauseRule(
        "no_solicit",
        strong=_any(
            r"non-? ?solicit\w*|no-? ?hire|non-? ?hire",
            rf"(?:{_NOT}|agrees? not to|covenants? not to|undertakes? not to|refrain from|not"
            rf" to){_g(120)}\b(?:solicit\w*|hire|recruit\w*|entic\w+|induc\w+|employ|interfere|divert\w*"
            rf"|(?:make an )?offer(?:s|ing)? (?:of )?employment)\b{_g(120)}"
            r"\b(?:employ(?:ee|ees|ment)|personnel|staff|consultants?|contractors?|customers?|clients?|accounts"
            r"|subscribers|suppliers|franchisees)\b",
            rf"(?:solicit\w*|hire|recruit\w*){_g(80)}(?:employ(?:ee|ees)|personnel|staff){_g(150)}(?:without{_g(30)}"
            rf"(?:consent|approval|permission)|prior written (?:consent|approval|permission))",
        ),
        weak=_any(r"\bsolicit\w*"),
        heading=_rx(r"solicit|no[- ]hire"),
        penalty=_rx(
            r"solicit(?:ing|ation of)? (?:orders|sales|business|purchasers|bids|proposals)"
            r"|solicit\w* (?:of )?(?:proxies|consents|votes)|offers? to (?:buy|purchase|sell)|securities"
        ),
    ),
    ClauseRule(
        "cap_on_liability",
        strong=_any(
            rf"(?:in no event|under no circumstances){_g(250)}(?:liab\w+|damages)",
            rf"(?:aggregate|total|cumulative|maximum|entire|collective|overall|sole) (?:\w+"
            rf" )?liabilit\w*{_g(250)}(?:exceed|limited to|not to exceed|no more than|greater than|in excess of"
            rf"|the amount)",
            rf"liabilit\w*{_g(200)}(?:shall|will|does|do|to) (?:not|in no event) exceed",
            rf"liabilit\w*{_g(150)}(?:shall be|is|are|be) limited to",
            rf"(?:not|neither party|no party|nor){_g(80)}be liable{_g(200)}{_DAMAGES}",
            rf"(?:no|any) (?:action|claim|suit|proceeding){_g(200)}(?:may|shall|must|can) be (?:brought|commenced"
            rf"|filed|asserted|instituted){_g(80)}(?:more than|within|after|later than)",
            r"(?:exclusive|sole) (?:and exclusive )?(?:remed\w+|liability)",
            rf"(?:exclud\w+|disclaim\w+|waive\w*){_g(100)}{_DAMAGES}",
            r"(?:shall|will) (?:have|incur|bear) no (?:liability|responsibility)",
        ),
        weak=_any(
            r"\bliabilit\w*", rf"\b{_DAMAGES} damages", r"limitation(?:s)? (?:of|on) (?:liability|damages|remedies)"
        ),
        heading=_rx(r"limitation|liabilit|damages"),
        strip=_rx(r"limited liability (?:company|partnership)|liability (?:insurance|coverage|polic\w+)"),
    ),
    ClauseRule(
        "uncapped_liability",
        strong=_any(
            rf"(?:limitation|limitations|exclusion|exclusions|cap|caps|foregoing|above|(?:this|the preceding)"
            rf" (?:section|article|paragraph)|restrictions?|limits?)"
            rf"{_g(150)}(?:shall|will|does|do) not (?:apply|limit){_g(300)}{_CARVE_OUT}",
            rf"(?:except|excluding|other than|save|with the exception of)(?: for| with respect to| in the case of|"
            rf" in respect of| as to)?{_g(250)}{_CARVE_OUT}"
            rf"{_g(300)}(?:in no event|liab\w+{_g(80)}(?:exceed|limited to)|be liable{_g(150)}{_DAMAGES})",
            rf"(?:in no event|liab\w+{_g(80)}(?:exceed|limited to)|be liable{_g(150)}{_DAMAGES}){_g(300)}(?:except"
            rf"|excluding|other than|provided that|save|unless){_g(120)}{_CARVE_OUT}",
            r"(?:unlimited|uncapped) liabilit\w*",
            rf"nothing in this agreement{_g(60)}(?:limit|exclude|restrict)s?{_g(80)}liabilit\w*",
        ),
        heading=_rx(r"limitation|liabilit"),
    ),
    ClauseRule(
        "liquidated_damages",
        strong=_any(
            r"liquidated damages",
            r"(?:early )?termination (?:fee|charge|payment|penalty)",
            r"(?:cancell?ation|break-? ?up|kill) (?:fee|charge)",
            r"(?:genuine |reasonable )?pre-? ?estimate of (?:the )?(?:loss|damage)",
            r"\b(?:reasonable|genuine|good faith) (?:pre-?)?estimate of",
        ),
        weak=_any(r"\bpenalt(?:y|ies)\b"),
        heading=_rx(r"liquidated|termination fee|damages"),
    ),
    ClauseRule(
        "audit_rights",
        strong=_any(
            rf"(?:right|entitled|permit|allow|access|authori[sz]\w+|afford|may){_g(120)}\b(?:audit|inspect|examine"
            rf"|review|copy)\w*{_g(120)}"
            r"(?:books|records|accounts|facilit\w+|premises|operations|documentation|sites?|plants?|locations?"
            r"|systems|procedures|compliance)",
            r"\baudit(?:s|ed|ing|or|ors)?\b[^.;]{0,120}?(?:books|records|accounts|facilit\w+|premises|compliance"
            r"|statements of)",
            rf"(?:books|records|accounts){_g(150)}(?:available|open|subject){_g(80)}(?:inspection|audit\w*"
            rf"|examination|review|copying)",
            r"audit rights?|right to audit|inspection rights?",
        ),
        weak=_any(
            r"\baudit\w*",
            r"\binspect\w*",
            r"(?:keep|maintain) (?:complete |accurate |full |true )*(?:and \w+ )?(?:books|records)",
        ),
        heading=_rx(r"audit|inspection|records"),
        strip=_rx(
            r"audited (?:financial|consolidated|annual|balance)[^.;]{0,40}?(?:statements?|sheets?)|independent"
            r" (?:registered )?(?:public )?accounting firm"
        ),
    ),
    ClauseRule(
        "insurance",
        strong=_any(
            rf"(?:maintain|carry|obtain|procure|purchase|keep|have|secure)\w*{_g(150)}insurance",
            rf"insurance{_g(150)}(?:coverage|polic(?:y|ies)|limits?|in (?:an|the) (?:amount|minimum)|insurers?"
            rf"|carriers?|underwrit\w+|per occurrence)",
            r"additional(?:ly)? insured|certificates? of insurance|(?:named|loss) payee",
            r"(?:general|products?|professional|umbrella|excess|errors and omissions|cargo|auto\w*) liability"
            r" (?:insurance|coverage|polic\w+)",
        ),
        weak=_any(r"\binsur\w+"),
        heading=_rx(r"insurance"),
        strip=_rx(
            r"federal deposit insurance(?: corporation)?|\bFDIC\b|insurance (?:agency|agent|business|company"
            r"|companies|products?)"
        ),
    ),
    ClauseRule(
        "ip_ownership_assignment",
        strong=_any(
            rf"(?:hereby|shall|will|agrees? to|does hereby) (?:irrevocably )?(?:assign|transfer"
            rf"|convey)\w*{_g(250)}(?:right,? title,? and interest|intellectual property|patents?|copyrights?"
            rf"|inventions?|work product|trademarks?|know-how|improvements?)",
            rf"(?:inventions?|improvements?|developments?|work product|deliverables?|works?|modifications?"
            rf"|enhancements?|derivative works?|intellectual property|results|creations?|materials|discoveries"
            rf"|technology|data){_g(250)}"
            r"(?:shall|will) (?:be|become|vest)(?: solely)? (?:in |with )?(?:the )?(?:sole (?:and exclusive"
            r" )?|exclusive )?(?:property|owned|ownership|vested)",
            r"works? (?:made )?for hire",
            rf"(?:title|ownership|all rights?){_g(120)}(?:shall|will) (?:vest|pass|transfer)",
            rf"(?:shall|will) (?:exclusively |solely )?own{_g(80)}(?:all )?(?:right|intellectual|inventions?"
            rf"|improvements?|work product|deliverables?|results|developments?|modifications?|derivative)",
        ),
        weak=_any(r"\bownership\b", r"\bhereby assigns?\b"),
        heading=_rx(r"intellectual property|ownership|proprietary|inventions|work product"),
        penalty=_rx(
            r"confidential information|shall remain the (?:sole )?(?:and exclusive )?property of (?:the"
            r" )?(?:disclosing|licensor)"
        ),
    ),
    ClauseRule(
        "license_grant",
        strong=_any(
            rf"\bgrants?\b{_g(200)}licen[cs]e",
            rf"licen[cs]e{_g(40)}(?:is|are|shall be) (?:hereby )?granted",
            rf"\bgrants?\b{_g(200)}(?:the |a )?(?:right|rights|permission|authority) (?:to|and licen[cs]e to) (?:use"
            rf"|reproduce|display|distribute|sell|market|make|sublicense|publish|copy|exploit|practice"
            rf"|manufacture|promote|advertise|perform|broadcast)",
            r"(?:is|are) (?:hereby )?licensed|hereby licen[cs]es",
            r"(?:sub-?licen[cs]e|licen[cs]e) (?:fee|agreement)s?",
        ),
        weak=_any(r"\blicen[cs]\w+", r"\bright to use\b"),
        heading=_rx(r"licen[cs]e|grant"),
        weak_score=0.4,
        strip=_rx(
            r"licensed (?:professional|engineer|contractor|to do business|to conduct business|in the state)"
            r"|business licen[cs]e\w*|driver'?s licen[cs]e|(?:export|import) licen[cs]e\w*"
            r"|licen[cs]es?,? (?:(?:and|or) )?(?:permits|certificates|approvals|authori[sz]ations|registrations)"
            r"|(?:permits|certificates|approvals|authori[sz]ations|registrations),? (?:(?:and|or) )?licen[cs]es"
        ),
    ),
    ClauseRule(
        "minimum_commitment",
        strong=_any(
            r"minimum (?:annual |monthly |quarterly |yearly |aggregate |total |purchase |guaranteed )*(?:purchase"
            r"|order|quantit\w+|volume|commitment|amount|number|sales|royalt\w+|payments?|guarantee|requirement"
            r"|revenue|fees?|spend|units)",
            rf"\b(?:purchase|order|buy|procure|sell|pay|generate|achieve|provide)\b{_g(80)}(?:at least|not less"
            rf" than|no less than|a minimum of|minimum of)(?! {_g(30)}(?:days?|months?|business)\b)",
            r"take-? ?or-? ?pay|(?:guaranteed|committed) (?:minimum|volume|quantit\w+)",
            r"(?:annual|quarterly|monthly) (?:purchase |sales )?(?:quota|target)s?",
        ),
        weak=_any(r"\bminimum\b", r"\bforecast\w*"),
        heading=_rx(r"minimum|commitment|purchase|quota"),
    ),
    ClauseRule(
        "most_favored_nation",
        strong=_any(
            r"most[- ]favou?red[- ](?:nation|customer|pricing|licensee|terms|status)",
            r"most favou?rable (?:treatment|terms|prices?|pricing|rates?|scheme|conditions)",
            rf"more favou?rable (?:than those|terms){_g(150)}"
            r"(?:enjoyed|offered|granted|provided|obtain\w*|other|third)",
            rf"(?:no|not) less favou?rable than{_g(150)}(?:other|any|third|similarly)",
            rf"(?:at least|no less) (?:as )?favou?rable (?:as|than){_g(150)}(?:other|any third|granted to|offered to"
            rf"|provided to|given to)",
            rf"(?:lower|lowest|better|more favou?rable|best)(?: \w+)? (?:price|prices|pricing|terms|rates?|royalt\w+"
            rf"|discounts?){_g(150)}(?:offer|grant|provid|give|extend|charg|sell)\w*{_g(80)}(?:other|any|third)",
            rf"(?:offer|grant|provid|give|extend|charg)\w*{_g(100)}(?:other|any|third){_g(100)}(?:lower|better|more"
            rf" favou?rable) (?:price|prices|pricing|terms|rates?)",
            rf"(?:offer|grant|provid|give|extend|charg|sell)\w* (?:\w+ )?(?:lower|better|more favou?rable)(?: \w+)?"
            rf" (?:price|prices|pricing|terms|rates?|royalt\w+){_g(150)}(?:other|any|third)",
        ),
        weak=_any(r"(?:same|such|equivalent|comparable) (?:lower |better )?(?:price|prices|pricing|terms|rates?)"),
        heading=_rx(r"most favou?red|pricing|price"),
    ),
    ClauseRule(
        "post_termination_services",
        strong=_any(
            rf"(?:upon|after|following|on|in the event of|subsequent to|within \w+ (?:\(\d+\) )?days (?:after"
            rf"|of))(?: the)?(?: any)?(?: such)? (?:termination|expiration|expiry|cancell?ation)"
            rf"{_g(250)}(?:transition|wind-? ?down|sell-? ?off|continue to (?:provide|supply|sell|distribute|perform"
            rf"|support|fill|honou?r|service|manufacture|purchase|pay|use)"
            r"|(?:fill|complete|honou?r|accept)\w*[^.;]{0,40}?(?:orders|purchase orders)|repurchase|buy back|last[-"
            r" ]time buy|dispose of|sell (?:off|its|any|remaining))",
            r"(?:transition|termination|wind-? ?down|run-? ?off) (?:services|assistance|period|plan)",
            r"sell-? ?off period|last[- ]time buy|post-? ?termination",
            rf"(?:shall|will|must) {_g(100)}within {_g(30)}(?:days?|months?) (?:after|following|of) (?:the )?(?:date of"
            rf" )?(?:termination|expiration|expiry|cancell?ation)",
            rf"(?:at|upon) the (?:end|expiration|expiry) of the term{_g(60)}(?:shall|will) (?:remove|surrender|restore"
            rf"|repair|vacate)",
            rf"(?:for a period of|during (?:the|a)|for){_g(60)}(?:after|following) (?:the )?(?:termination"
            rf"|expiration|expiry)",
        ),
        weak=_any(
            rf"(?:upon|after|following|on)(?: the)?(?: any)? (?:termination|expiration|expiry){_g(200)}(?:return"
            rf"|destroy|deliver|pay|cease|remit|transfer|surrender|discontinue)\w*",
            r"surviv\w+",
        ),
        heading=_rx(r"effect of (?:termination|expiration)|termination|expiration|transition|post-termination"),
        weak_score=0.45,
    ),
    ClauseRule(
        "warranty_duration",
        strong=_any(
            rf"warrant\w*{_g(250)}(?:for a period of|period of|for|during) {_g(25)}(?:\(\d+\) )?(?:days?"
            rf"|months?|years?)\b",
            rf"warrant\w*{_g(200)}within {_g(25)}(?:\(\d+\) )?(?:days?|months?|years?) (?:after|of|from|following)",
            rf"(?:latent|hidden|material)? ?defects?{_g(120)}(?:within|for) {_g(25)}(?:\(\d+\) )?(?:days?|months?"
            rf"|years?)\b",
            r"warranty (?:period|term)",
            rf"(?:days?|months?|years?){_g(120)}(?:from|after|following) (?:the )?(?:date of )?(?:delivery|shipment"
            rf"|acceptance|installation|purchase|receipt|completion|manufacture){_g(150)}warrant\w*",
            rf"warrant\w*{_g(150)}(?:expire|terminate|survive|last|remain in (?:full )?(?:force"
            rf"|effect)){_g(80)}(?:days?|months?|years?)",
        ),
        heading=_rx(r"warrant"),
    ),
    ClauseRule(
        "third_party_beneficiary",
        strong=_any(
            r"intended (?:third[- ]party )?beneficiar\w*",
            r"(?:is|are|shall be|be deemed|as) (?:an? )?(?:express(?:ly)? |intended |specific )?(?:third[- ]party "
            r"|third )?(?:creditor )?beneficiar\w* (?:of|to|hereof|hereunder|under)",
            rf"third[- ]party beneficiar\w*{_g(250)}(?:except|other than|provided that|save)",
            rf"(?:except|other than|save){_g(200)}third[- ]party beneficiar\w*",
            rf"(?:entitled|right) to enforce{_g(120)}(?:although|though|even though|notwithstanding|not a party)",
            rf"in trust for{_g(120)}(?:not a party|indemnif\w+|third)",
        ),
        weak=_any(r"third[- ]part(?:y|ies) beneficiar\w*"),
        heading=_rx(r"beneficiar"),
        weak_score=0.3,
    ),
)
