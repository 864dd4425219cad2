"""Synthetic legal documents: services agreements, NDAs, commercial leases, appellate opinions.

Clauses are data (headings plus alternative wordings with ``{placeholders}``) so a seed
changes the parties, money, dates, governing law and which optional clauses appear, while
each kind keeps the section structure a chunker will meet in real contracts and opinions.
Every name, company, case and citation here is fictional.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

Context = dict[str, str]
Terms = dict[str, Any]  # a builder's typed facts (dates, counts) beside the strings it formats


@dataclass(frozen=True)
class Clause:
    """One numbered clause; a document gets one of ``bodies`` when ``chance`` allows it."""

    heading: str
    bodies: tuple[str, ...]
    chance: float = 1.0


@dataclass(frozen=True)
class Article:
    """A numbered group of clauses (an ARTICLE in a contract, a top-level item in an NDA)."""

    title: str
    clauses: tuple[Clause, ...]
    chance: float = 1.0


# --------------------------------------------------------------------------- vocabulary

COMPANY_STEMS = (
    "Northwind", "Bluegate", "Harborline", "Cedar Ridge", "Ironwood", "Silverpine", "Meridian",
    "Copperfield", "Redstone", "Lakeshore", "Summit Arc", "Granite Peak", "Brightwater",
    "Falconcrest", "Oakhaven", "Tidewell", "Quarry Lane", "Westbrook", "Amberline", "Kestrel",
    "Juniper Hollow", "Stonebridge", "Palisade", "Wrenfield", "Blackwater Bay", "Larkspur",
    "Halcyon", "Marrowgate", "Pinecrest", "Saltmarsh", "Thornbury", "Velmont", "Wildrose",
    "Ashgrove", "Coralline", "Driftwood", "Evergleam", "Foxhollow", "Greystone", "Hollis & Vane",
)
COMPANY_TRADES = (
    "Analytics", "Logistics", "Health Systems", "Software", "Manufacturing", "Biosciences",
    "Capital Partners", "Retail Group", "Energy Solutions", "Data Services", "Consulting Group",
    "Foods", "Robotics", "Media", "Medical Devices", "Freight", "Hospitality", "Technologies",
    "Construction", "Laboratories",
)
COMPANY_SUFFIXES = ("Inc.", "LLC", "Corp.", "L.P.", "Holdings, Inc.", "Co.", "Group LLC")
FIRST_NAMES = (
    "Adrian", "Beatrice", "Calvin", "Delphine", "Elliot", "Farah", "Gideon", "Harriet", "Isaac",
    "Juliana", "Kendrick", "Leona", "Marcus", "Noelle", "Oscar", "Priya", "Quentin", "Rosalind",
    "Silas", "Tamsin", "Ulysses", "Vivian", "Wendell", "Xiomara", "Yusuf", "Zelda", "Anselm",
    "Bridget", "Cormac", "Dorothea", "Emeric", "Fiona", "Gregor", "Helena", "Ignatius", "Jolene",
    "Lucian", "Mirela", "Niall", "Ottilie",
)
LAST_NAMES = (
    "Ashcombe", "Bellweather", "Carrow", "Dunmore", "Eastlake", "Fairbanks", "Galloway",
    "Hargrove", "Ingersoll", "Jessup", "Kingsley", "Lindqvist", "Mortimer", "Nakamura-Reyes",
    "Okonkwo", "Pemberton", "Quayle", "Ravensworth", "Sandoval", "Thistlewood", "Underhill",
    "Vasquez-Holt", "Whitcombe", "Yardley", "Zimmerman", "Abernathy", "Brightman", "Castellanos",
    "Delacroix", "Ellsworth", "Fenwick", "Grimaldi", "Holloway", "Iverson", "Jaworski",
    "Kowalczyk", "Lockhart", "Marchetti", "Northcott", "Oyelaran",
)
OFFICER_TITLES = (
    "Chief Executive Officer", "President", "Chief Financial Officer", "General Counsel",
    "Chief Operating Officer", "Vice President, Operations", "Managing Member",
    "Vice President, Legal Affairs", "Chief Technology Officer", "Senior Vice President",
)
# (state, city, county, zip prefix)
PLACES = (
    ("Delaware", "Wilmington", "New Castle", "198"), ("New York", "Albany", "Albany", "122"),
    ("California", "Sacramento", "Sacramento", "958"), ("Texas", "Austin", "Travis", "787"),
    ("Illinois", "Springfield", "Sangamon", "627"), ("Massachusetts", "Worcester", "Worcester", "016"),
    ("Washington", "Spokane", "Spokane", "992"), ("Colorado", "Denver", "Denver", "802"),
    ("Georgia", "Savannah", "Chatham", "314"), ("Florida", "Tampa", "Hillsborough", "336"),
    ("North Carolina", "Raleigh", "Wake", "276"), ("Minnesota", "Duluth", "St. Louis", "558"),
    ("Ohio", "Columbus", "Franklin", "432"), ("Pennsylvania", "Harrisburg", "Dauphin", "171"),
    ("Oregon", "Portland", "Multnomah", "972"), ("Arizona", "Tucson", "Pima", "857"),
    ("Tennessee", "Nashville", "Davidson", "372"), ("Virginia", "Richmond", "Henrico", "232"),
    ("Michigan", "Grand Rapids", "Kent", "495"), ("Utah", "Provo", "Utah", "846"),
    ("Missouri", "Kansas City", "Jackson", "641"), ("Wisconsin", "Madison", "Dane", "537"),
)
STREET_NAMES = (
    "Harbor", "Maple", "Commerce", "Industrial", "Willow Creek", "Founders", "Riverside",
    "Lexington", "Union Station", "Briar Hill", "Canal", "Juniper", "Magnolia", "Observatory",
    "Prospect", "Quarry", "Sterling", "Tanager", "Wharf", "Yellowpine",
)
STREET_TYPES = ("Street", "Avenue", "Boulevard", "Parkway", "Drive", "Road", "Way", "Plaza")
ENTITY_TYPES = {
    "Inc.": "corporation", "Corp.": "corporation", "Holdings, Inc.": "corporation",
    "Co.": "corporation", "LLC": "limited liability company",
    "Group LLC": "limited liability company", "L.P.": "limited partnership",
}


# --------------------------------------------------------------------------- helpers


def pick(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    """One item; a named helper keeps the fact builders readable."""
    return rng.choice(items)


def person(rng: random.Random) -> str:
    """A fictional full name, sometimes with a middle initial for variety."""
    middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.4 else ""
    return f"{pick(rng, FIRST_NAMES)}{middle} {pick(rng, LAST_NAMES)}"


def company(rng: random.Random) -> tuple[str, str]:
    """A fictional company name and the entity type its suffix implies."""
    suffix = pick(rng, COMPANY_SUFFIXES)
    return f"{pick(rng, COMPANY_STEMS)} {pick(rng, COMPANY_TRADES)} {suffix}", ENTITY_TYPES[suffix]


def address(rng: random.Random, place: tuple[str, str, str, str]) -> str:
    """A street address in ``place`` so that addresses are searchable, distinctive facts."""
    state, city, _county, zip_prefix = place
    street = f"{rng.randint(100, 9899)} {pick(rng, STREET_NAMES)} {pick(rng, STREET_TYPES)}"
    return f"{street}, {city}, {state} {zip_prefix}{rng.randint(0, 99):02d}"


def long_date(day: date) -> str:
    """'March 4, 2024', the style contracts and opinions use."""
    return f"{day:%B} {day.day}, {day.year}"


def random_date(rng: random.Random, first_year: int = 2016, last_year: int = 2025) -> date:
    """A day within the given years."""
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days))


def money(amount: float) -> str:
    """'$12,500.00'."""
    return f"${amount:,.2f}"


def words_for(number: int) -> str:
    """Small numbers spelled out, as drafters write 'thirty (30) days'."""
    ones = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    tens = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if number < 20:
        return ones[number]
    if number < 100:
        return tens[number // 10] + ("" if number % 10 == 0 else "-" + ones[number % 10])
    return str(number)


def spelled(number: int) -> str:
    """'thirty (30)'."""
    return f"{words_for(number)} ({number})"


def party_block(rng: random.Random, prefix: str) -> Context:
    """Name, entity type, state, address and signatory of one contracting party."""
    name, entity = company(rng)
    place = rng.choice(PLACES)
    return {
        f"{prefix}": name,
        f"{prefix}_entity": entity,
        f"{prefix}_state": place[0],
        f"{prefix}_address": address(rng, place),
        f"{prefix}_signer": person(rng),
        f"{prefix}_title": pick(rng, OFFICER_TITLES),
    }


def render_articles(
    rng: random.Random,
    articles: tuple[Article, ...],
    ctx: Context,
    article_fmt: str,
    clause_fmt: str,
    used: list[tuple[str, str, int]] | None = None,
) -> list[str]:
    """Number the articles and clauses that this seed keeps and fill their templates.

    Numbering happens after optional clauses are dropped so the numbers never skip. ``used``
    collects (article title, clause heading, body index) of every clause written, so the
    builder can say which clauses its text contains without reading the text back.
    """
    blocks: list[str] = []
    number = 0
    for article in articles:
        if rng.random() >= article.chance:
            continue
        number += 1
        ctx["article"] = str(number)
        blocks.append(article_fmt.format(n=number, title=article.title, upper=article.title.upper()))
        sub = 0
        for clause in article.clauses:
            if rng.random() >= clause.chance:
                continue
            sub += 1
            template = rng.choice(clause.bodies)
            if used is not None:
                used.append((article.title, clause.heading, clause.bodies.index(template)))
            body = template.format_map(ctx)
            first, *rest = body.split("\n\n")
            label = clause_fmt.format(n=number, m=sub, heading=clause.heading)
            blocks.append(f"{label} {first}")
            blocks.extend(rest)
    return blocks


def signature_block(
    ctx: Context, roles: tuple[tuple[str, str], ...], noun: str = "Agreement"
) -> list[str]:
    """'IN WITNESS WHEREOF' plus one signature stanza per (role label, context prefix)."""
    blocks = [
        f"IN WITNESS WHEREOF, the parties have caused this {noun} to be executed by their "
        "duly authorized representatives as of the date first written above."
    ]
    for label, prefix in roles:
        blocks.append(
            f"{label}: {ctx[prefix]}\nBy: ______________________________\n"
            f"Name: {ctx[prefix + '_signer']}\nTitle: {ctx[prefix + '_title']}"
        )
    return blocks


def dispute_clause(rng: random.Random, ctx: Context) -> str:
    """Arbitration or courts, chosen per document so governing-law text differs."""
    if rng.random() < 0.5:
        return (
            "Any dispute arising out of or relating to this Agreement shall be resolved by "
            "binding arbitration administered by the American Arbitration Association under its "
            f"Commercial Arbitration Rules before {pick(rng, ('a single arbitrator', 'a panel of three arbitrators'))}"
            ", "
            f"seated in {ctx['venue_city']}, {ctx['law_state']}. Judgment on the award may be "
            "entered in any court of competent jurisdiction."
        )
    return (
        "Each party irrevocably submits to the exclusive jurisdiction of the state and federal "
        f"courts located in {ctx['venue_county']} County, {ctx['law_state']}, and waives any "
        "objection to venue in those courts. EACH PARTY WAIVES ITS RIGHT TO A JURY TRIAL IN ANY "
        "ACTION ARISING OUT OF THIS AGREEMENT."
    )


def governing_place(rng: random.Random) -> Context:
    """Governing-law state and the venue city and county that go with it."""
    state, city, county, _zip = rng.choice(PLACES)
    return {"law_state": state, "venue_city": city, "venue_county": county}


# --------------------------------------------------------------------------- services agreement

SERVICE_LINES = (
    ("cloud data migration and managed hosting services", "migration runbooks and hosting environment reports"),
    ("payroll processing and benefits administration services", "payroll registers and benefits enrollment files"),
    ("clinical data abstraction and medical coding services", "abstracted registry records and coding audit reports"),
    ("custom software development and quality assurance services", "source code, test plans and release notes"),
    ("freight brokerage and logistics management services", "carrier scorecards and shipment tracking reports"),
    ("facilities maintenance and janitorial services", "maintenance logs and inspection checklists"),
    ("cybersecurity monitoring and incident response services", "threat reports and incident postmortems"),
    ("marketing analytics and campaign management services", "campaign dashboards and attribution analyses"),
    ("document review and electronic discovery support services", "privilege logs and review protocols"),
    ("translation and localization services", "translated manuscripts and terminology glossaries"),
    ("equipment calibration and field engineering services", "calibration certificates and service tickets"),
    ("customer support call center services", "call quality reports and knowledge base articles"),
    ("laboratory specimen courier services", "chain-of-custody manifests and delivery logs"),
    ("enterprise resource planning implementation services", "configuration workbooks and training materials"),
)

MSA_ARTICLES = (
    Article("Definitions", (
        Clause("Affiliate", (
            '"Affiliate" means any entity that directly or indirectly controls, is controlled by, or is under common '
            'control with a party, where "control" means ownership of more than fifty percent (50%) of the voting '
            'interests of the entity.',
        )),
        Clause("Confidential Information", (
            '"Confidential Information" means all non-public business, technical and financial information disclosed '
            'by one party to the other in connection with this Agreement, whether orally or in writing, that is '
            'designated as confidential or that a reasonable person would understand to be confidential.',
            '"Confidential Information" means any information disclosed by or on behalf of a party that is marked '
            'confidential or that should reasonably be understood to be confidential given its nature and the '
            'circumstances of disclosure, including pricing, customer lists, product plans and source code.',
        )),
        Clause("Deliverables", (
            '"Deliverables" means the work product, including {deliverables}, that Provider prepares for Customer '
            'under a Statement of Work.',
        )),
        Clause("Services", (
            '"Services" means the {service_line} described in one or more Statements of Work, together with any '
            'related support that Provider performs under this Agreement.',
        )),
        Clause("Statement of Work", (
            '"Statement of Work" or "SOW" means a written order, substantially in the form of Exhibit A, that '
            'references this Agreement and is signed by authorized representatives of both parties.',
        )),
        Clause("Customer Data", (
            '"Customer Data" means all data, records and files that Customer or its users submit to Provider or that '
            'Provider generates on Customer\'s behalf in performing the Services.',
        ), 0.6),
        Clause("Business Day", (
            '"Business Day" means any day other than a Saturday, Sunday or a day on which national banks in '
            '{venue_city}, {law_state} are authorized to close.',
        ), 0.5),
    )),
    Article("Services", (
        Clause("Statements of Work", (
            "Provider shall perform the Services described in each Statement of Work in accordance with this "
            "Agreement. Each SOW shall describe the scope of Services, the Deliverables, the schedule, the fees and "
            "any acceptance criteria. If a Statement of Work conflicts with this Agreement, this Agreement controls "
            "unless the SOW expressly identifies the provision it modifies.",
            "From time to time the parties may execute Statements of Work under which Provider will furnish the "
            "Services. Each Statement of Work is incorporated into and governed by this Agreement. In the event of a "
            "conflict, the terms of this Agreement prevail over any Statement of Work except as to project-specific "
            "pricing.",
        )),
        Clause("Change Orders", (
            "Either party may request a change to the scope of a Statement of Work by written change request. "
            "Provider shall respond within {change_days} Business Days with an estimate of the effect on fees and "
            "schedule. No change is binding until both parties sign a change order.",
        )),
        Clause("Personnel", (
            "Provider shall assign qualified personnel to perform the Services and shall designate an account "
            "manager, initially {provider_pm}, who will serve as Customer's primary point of contact. Provider shall "
            "not remove key personnel identified in a Statement of Work without at least {spelled_notice} days' "
            "prior written notice, except for illness, resignation or termination for cause.",
        )),
        Clause("Subcontractors", (
            "Provider may engage subcontractors to perform portions of the Services with Customer's prior written "
            "consent, which shall not be unreasonably withheld. Provider remains responsible for the acts and "
            "omissions of its subcontractors as if they were its own.",
        ), 0.6),
        Clause("Customer Responsibilities", (
            "Customer shall provide Provider with timely access to facilities, systems, information and personnel "
            "reasonably required for performance of the Services. Provider is excused from any delay to the extent "
            "caused by Customer's failure to perform these responsibilities.",
        ), 0.7),
    )),
    Article("Term and Termination", (
        Clause("Term", (
            "This Agreement commences on the Effective Date and continues for an initial term of {spelled_term} "
            "years (the \"Initial Term\"). Thereafter it renews automatically for successive {renewal_months}-month "
            "periods unless either party gives notice of non-renewal at least {spelled_notice} days before the end "
            "of the then-current term.",
            "The term of this Agreement begins on the Effective Date and ends {spelled_term} years later, unless "
            "terminated earlier under this Article {article}. The parties may extend the term by mutual written "
            "agreement; absent an extension, any Statement of Work then in effect continues under these terms until "
            "its own expiration.",
        )),
        Clause("Termination for Convenience", (
            "Customer may terminate this Agreement or any Statement of Work for convenience upon {spelled_notice} "
            "days' prior written notice to Provider. Customer shall pay for Services performed through the effective "
            "date of termination and for non-cancellable commitments Provider made in reliance on the affected SOW.",
        ), 0.7),
        Clause("Termination for Cause", (
            "Either party may terminate this Agreement upon written notice if the other party materially breaches "
            "this Agreement and fails to cure the breach within {spelled_cure} days after receiving written notice "
            "describing it in reasonable detail. Either party may also terminate immediately if the other becomes "
            "insolvent, makes a general assignment for the benefit of creditors, or becomes the subject of any "
            "bankruptcy proceeding that is not dismissed within sixty (60) days.",
        )),
        Clause("Effect of Termination", (
            "Upon expiration or termination of this Agreement:\n\n(a) Customer shall pay all undisputed fees accrued "
            "through the effective date of termination;\n\n(b) each party shall return or destroy the other party's "
            "Confidential Information as provided in Article 5;\n\n(c) Provider shall deliver to Customer all "
            "completed Deliverables and any work in progress for which Customer has paid; and\n\n(d) Sections that "
            "by their nature should survive, including those governing payment, confidentiality, indemnification and "
            "limitation of liability, shall survive.",
        )),
        Clause("Transition Assistance", (
            "For up to {transition_days} days after termination, Provider shall provide reasonable transition "
            "assistance at its then-current rates so that the Services may be transferred to Customer or a successor "
            "provider without undue interruption.",
        ), 0.5),
    )),
    Article("Fees and Payment", (
        Clause("Fees", (
            "Customer shall pay Provider the fees set forth in each Statement of Work. Unless a Statement of Work "
            "provides otherwise, time-and-materials Services are billed at {hourly_rate} per hour, and fixed-fee "
            "Services are billed at a monthly fee of {monthly_fee}.",
            "In consideration of the Services, Customer shall pay a fixed monthly fee of {monthly_fee}, plus "
            "{hourly_rate} per hour for any Services outside the scope of the applicable Statement of Work that "
            "Customer approves in advance in writing.",
        )),
        Clause("Invoicing and Payment", (
            "Provider shall invoice Customer monthly in arrears. Customer shall pay each undisputed invoice within "
            "{spelled_net} days after receipt. If Customer disputes an invoice in good faith, it shall notify "
            "Provider in writing within fifteen (15) days, pay the undisputed portion, and the parties shall work "
            "diligently to resolve the dispute.",
        )),
        Clause("Late Payments", (
            "Undisputed amounts not paid when due bear interest at the lesser of {late_rate} percent per month or "
            "the highest rate permitted by law. Provider may suspend the Services upon ten (10) Business Days' "
            "written notice if any undisputed amount remains unpaid more than thirty (30) days after its due date.",
        ), 0.8),
        Clause("Taxes", (
            "Fees are exclusive of sales, use, value-added and similar taxes. Customer is responsible for all such "
            "taxes other than taxes based on Provider's net income, property or employees.",
        )),
        Clause("Expenses", (
            "Customer shall reimburse Provider for reasonable, pre-approved travel and out-of-pocket expenses "
            "incurred in performing the Services, in accordance with Customer's travel policy, provided that "
            "Provider submits receipts with its invoice. Expenses shall not exceed {expense_cap} in any calendar "
            "quarter without Customer's written approval.",
        ), 0.6),
        Clause("Rate Adjustments", (
            "Provider may increase its hourly rates once per contract year, effective on the anniversary of the "
            "Effective Date, upon sixty (60) days' written notice, by no more than {escalator} percent over the "
            "rates then in effect.",
        ), 0.5),
    )),
    Article("Confidentiality", (
        Clause("Obligations", (
            "Each party shall hold the other party's Confidential Information in confidence, use it only to perform "
            "or receive the Services, and disclose it only to its employees, contractors and advisors who need to "
            "know it and are bound by written obligations at least as protective as this Article {article}. Each "
            "party shall protect the other's Confidential Information with at least the degree of care it uses to "
            "protect its own, and no less than reasonable care.",
        )),
        Clause("Exclusions", (
            "Confidential Information does not include information that (a) is or becomes publicly available through "
            "no fault of the receiving party; (b) was rightfully known to the receiving party without restriction "
            "before disclosure; (c) is rightfully received from a third party without a duty of confidentiality; or "
            "(d) is independently developed without use of the disclosing party's Confidential Information.",
        )),
        Clause("Compelled Disclosure", (
            "A receiving party may disclose Confidential Information to the extent required by law or court order, "
            "provided it gives the disclosing party prompt notice, where legally permitted, and reasonable "
            "cooperation in seeking a protective order.",
        ), 0.8),
    )),
    Article("Intellectual Property", (
        Clause("Ownership of Deliverables", (
            "Upon payment in full, Customer shall own all right, title and interest in the Deliverables, excluding "
            "Provider's Pre-Existing Materials. Provider hereby assigns to Customer all intellectual property rights "
            "in the Deliverables and shall execute any documents reasonably necessary to perfect that assignment.",
            "Provider retains ownership of the Deliverables and grants Customer a perpetual, non-exclusive, "
            "royalty-free license to use, copy and modify the Deliverables for Customer's internal business purposes.",
        )),
        Clause("Pre-Existing Materials", (
            "Each party retains ownership of the tools, software, methodologies and know-how it owned before the "
            "Effective Date or develops independently of this Agreement (\"Pre-Existing Materials\"). To the extent "
            "Provider's Pre-Existing Materials are incorporated into a Deliverable, Provider grants Customer a "
            "non-exclusive, perpetual license to use them as part of that Deliverable.",
        )),
        Clause("Feedback", (
            "Customer may, but is not required to, provide suggestions regarding the Services. Provider may use such "
            "feedback without restriction or obligation.",
        ), 0.4),
    )),
    Article("Data Protection", (
        Clause("Security Program", (
            "Provider shall maintain a written information security program with administrative, physical and "
            "technical safeguards designed to protect Customer Data against unauthorized access, consistent with "
            "industry standards such as ISO/IEC 27001 or the NIST Cybersecurity Framework.",
        )),
        Clause("Security Incidents", (
            "Provider shall notify Customer without undue delay, and in any event within {breach_hours} hours, after "
            "becoming aware of any unauthorized access to or acquisition of Customer Data, and shall cooperate with "
            "Customer's investigation and any legally required notifications.",
        )),
        Clause("Protected Health Information", (
            "If the Services involve protected health information as defined in 45 C.F.R. § 160.103, the parties "
            "shall enter into a business associate agreement, which shall control over this Agreement with respect "
            "to such information.",
        ), 0.5),
    ), 0.5),
    Article("Warranties", (
        Clause("Mutual Warranties", (
            "Each party represents and warrants that it is duly organized and in good standing, that it has full "
            "authority to enter into this Agreement, and that its performance will not violate any agreement by "
            "which it is bound.",
        )),
        Clause("Performance Warranty", (
            "Provider warrants that the Services will be performed in a professional and workmanlike manner by "
            "qualified personnel, consistent with generally accepted industry standards. Customer's exclusive remedy "
            "for breach of this warranty is re-performance of the non-conforming Services or, if Provider cannot "
            "re-perform within {spelled_cure} days, a refund of the fees paid for them.",
        )),
        Clause("Disclaimer", (
            "EXCEPT AS EXPRESSLY PROVIDED IN THIS AGREEMENT, NEITHER PARTY MAKES ANY OTHER WARRANTY, EXPRESS OR "
            "IMPLIED, INCLUDING ANY IMPLIED WARRANTY OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE OR "
            "NON-INFRINGEMENT.",
        )),
    )),
    Article("Indemnification", (
        Clause("By Provider", (
            "Provider shall defend, indemnify and hold harmless Customer and its Affiliates from and against any "
            "third-party claim alleging that the Deliverables infringe any patent, copyright or trade secret, or "
            "arising from the gross negligence or willful misconduct of Provider's personnel, and shall pay any "
            "damages finally awarded or agreed in settlement.",
        )),
        Clause("By Customer", (
            "Customer shall defend, indemnify and hold harmless Provider from any third-party claim arising from "
            "materials Customer furnishes to Provider or from Customer's use of the Deliverables in violation of "
            "this Agreement or applicable law.",
        ), 0.8),
        Clause("Procedure", (
            "The indemnified party shall give prompt written notice of the claim, allow the indemnifying party to "
            "control its defense and settlement, and provide reasonable cooperation at the indemnifying party's "
            "expense. No settlement that imposes obligations on the indemnified party may be made without its "
            "consent.",
        )),
    )),
    Article("Limitation of Liability", (
        Clause("Exclusion of Damages", (
            "IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT, INCIDENTAL, CONSEQUENTIAL, SPECIAL OR "
            "PUNITIVE DAMAGES, OR FOR LOST PROFITS OR LOSS OF DATA, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH "
            "DAMAGES.",
        )),
        Clause("Cap", (
            "EACH PARTY'S TOTAL LIABILITY ARISING OUT OF THIS AGREEMENT SHALL NOT EXCEED THE FEES PAID OR PAYABLE BY "
            "CUSTOMER DURING THE {cap_months} MONTHS PRECEDING THE EVENT GIVING RISE TO THE CLAIM.",
            "EACH PARTY'S AGGREGATE LIABILITY UNDER THIS AGREEMENT SHALL NOT EXCEED {liability_cap}.",
        )),
        Clause("Exceptions", (
            "The limitations in this Article {article} do not apply to a party's indemnification obligations, breach "
            "of Article 5 (Confidentiality), or liability arising from gross negligence, fraud or willful misconduct.",
        )),
    )),
    Article("Insurance", (
        Clause("Required Coverage", (
            "During the term Provider shall maintain, with insurers rated A- or better by A.M. Best: (a) commercial "
            "general liability insurance of at least {insurance_cgl} per occurrence; (b) professional liability "
            "insurance of at least {insurance_eo} per claim; (c) cyber liability insurance of at least "
            "{insurance_eo}; and (d) workers' compensation insurance as required by law.",
        )),
        Clause("Certificates", (
            "Provider shall furnish certificates of insurance on request and shall give Customer thirty (30) days' "
            "notice of cancellation or material reduction of any required coverage.",
        )),
    ), 0.5),
    Article("Non-Solicitation", (
        Clause("Employees", (
            "During the term and for {nonsolicit_months} months thereafter, neither party shall solicit for "
            "employment any employee of the other party who was directly involved in the Services, except through "
            "general solicitations not targeted at such employees.",
        )),
    ), 0.4),
    Article("General Provisions", (
        Clause("Governing Law", (
            "This Agreement is governed by the laws of the State of {law_state}, without regard to its conflict of "
            "laws principles. {dispute}",
        )),
        Clause("Notices", (
            "All notices under this Agreement must be in writing and delivered by hand, by nationally recognized "
            "overnight courier, or by certified mail, return receipt requested, to the addresses first written "
            "above, with a copy by email. Notices to Customer shall be marked \"Attention: {customer_title}\".",
        )),
        Clause("Assignment", (
            "Neither party may assign this Agreement without the prior written consent of the other, except to a "
            "successor in a merger, acquisition or sale of all or substantially all of its assets, upon written "
            "notice.",
        )),
        Clause("Force Majeure", (
            "Neither party is liable for delay or failure in performance, other than payment obligations, caused by "
            "events beyond its reasonable control, including acts of God, fire, flood, epidemic, war, terrorism, "
            "labor disputes not involving the affected party's employees, or failures of public utilities. If a "
            "force majeure event continues for more than {spelled_fm} days, either party may terminate the affected "
            "Statement of Work on written notice.",
        ), 0.8),
        Clause("Independent Contractors", (
            "The parties are independent contractors. Nothing in this Agreement creates a partnership, joint "
            "venture, agency or employment relationship.",
        )),
        Clause("Entire Agreement", (
            "This Agreement, including its exhibits and all Statements of Work, constitutes the entire agreement "
            "between the parties regarding its subject matter and supersedes all prior proposals and understandings. "
            "It may be amended only by a writing signed by both parties. This Agreement may be executed in "
            "counterparts, including by electronic signature, each of which is an original.",
        )),
    )),
)


def _msa_facts(rng: random.Random) -> tuple[Context, Terms]:
    """Money, terms and parties that make one services agreement distinct, and the typed terms."""
    ctx = party_block(rng, "provider") | party_block(rng, "customer") | governing_place(rng)
    service_line, deliverables = rng.choice(SERVICE_LINES)
    monthly = rng.randrange(4_000, 180_000, 250)
    ctx |= {
        "service_line": service_line,
        "deliverables": deliverables,
        "effective": long_date(effective := random_date(rng)),
        "provider_pm": person(rng),
        "hourly_rate": money(rng.randrange(85, 425, 5)),
        "monthly_fee": money(monthly),
        "expense_cap": money(rng.randrange(2_500, 40_000, 500)),
        "liability_cap": money(rng.choice((250_000, 500_000, 1_000_000, 2_000_000, 5_000_000))),
        "insurance_cgl": money(rng.choice((1_000_000, 2_000_000))),
        "insurance_eo": money(rng.choice((2_000_000, 3_000_000, 5_000_000, 10_000_000))),
        "spelled_term": spelled(term_years := rng.choice((1, 2, 3, 4, 5))),
        "renewal_months": str(renewal_months := rng.choice((6, 12, 24))),
        "spelled_notice": spelled(notice_days := rng.choice((30, 45, 60, 90))),
        "spelled_cure": spelled(rng.choice((10, 15, 30))),
        "spelled_net": spelled(rng.choice((15, 30, 45, 60))),
        "spelled_fm": spelled(rng.choice((30, 45, 60, 90))),
        "change_days": str(rng.choice((3, 5, 10))),
        "transition_days": str(rng.choice((30, 60, 90, 120))),
        "late_rate": rng.choice(("one", "one and one-half (1.5)", "one-half (0.5)")),
        "escalator": rng.choice(("three (3)", "four (4)", "five (5)", "two and one-half (2.5)")),
        "cap_months": rng.choice(("SIX (6)", "TWELVE (12)", "TWENTY-FOUR (24)")),
        "breach_hours": rng.choice(("twenty-four (24)", "forty-eight (48)", "seventy-two (72)")),
        "nonsolicit_months": rng.choice(("six (6)", "twelve (12)", "eighteen (18)")),
    }
    ctx["dispute"] = dispute_clause(rng, ctx)
    terms: Terms = {
        "effective": effective, "term_years": term_years, "renewal_months": renewal_months, "notice_days": notice_days,
    }
    return ctx, terms


def services_agreement(rng: random.Random) -> tuple[str, str, dict]:
    """A master services agreement: preamble, recitals, articles with sections, signatures."""
    ctx, terms = _msa_facts(rng)
    used: list[tuple[str, str, int]] = []
    title = "MASTER SERVICES AGREEMENT"
    blocks = [
        title,
        (f'This Master Services Agreement (the "Agreement") is entered into as of {ctx["effective"]} '
         f'(the "Effective Date") by and between {ctx["provider"]}, a {ctx["provider_state"]} '
         f'{ctx["provider_entity"]} with its principal place of business at {ctx["provider_address"]} '
         f'("Provider"), and {ctx["customer"]}, a {ctx["customer_state"]} {ctx["customer_entity"]} '
         f'with its principal place of business at {ctx["customer_address"]} ("Customer").'),
        "RECITALS",
        f"WHEREAS, Provider is in the business of providing {ctx['service_line']};",
        "WHEREAS, Customer wishes to engage Provider to perform such services on the terms and "
        "conditions set forth below; and",
        "NOW, THEREFORE, in consideration of the mutual covenants contained herein and other good "
        "and valuable consideration, the receipt and sufficiency of which are acknowledged, the "
        "parties agree as follows:",
    ]
    blocks += render_articles(rng, MSA_ARTICLES, ctx, "ARTICLE {n}. {upper}", "Section {n}.{m} {heading}.", used)
    blocks += signature_block(ctx, (("PROVIDER", "provider"), ("CUSTOMER", "customer")))
    renews = ("Term and Termination", "Term", 0) in used  # the automatic-renewal wording
    truth = _contract_truth(
        title, ((ctx["provider"], "Provider"), (ctx["customer"], "Customer")),
        agreement=terms["effective"], effective=terms["effective"],
        expiration=_add_years(terms["effective"], terms["term_years"]), initial_term=_period(terms["term_years"] * 12),
        renewal=_period(terms["renewal_months"]) if renews else None,
        notice=f"P{terms['notice_days']}D" if renews else None,
        law=ctx["law_state"], clauses=_clause_flags(used, MSA_CUAD),
    )
    return f"{title}: {ctx['provider']} and {ctx['customer']}", "\n\n".join(blocks), truth


# --------------------------------------------------------------------------- NDA

NDA_PURPOSES = (
    "a potential acquisition of or investment in one party by the other",
    "a joint development program for a point-of-care diagnostic device",
    "a possible supply and distribution relationship for specialty chemicals",
    "a proposed licensing arrangement for patented battery technology",
    "a prospective strategic partnership in regional cold-chain logistics",
    "the evaluation of a data-sharing collaboration for clinical research",
    "a potential software integration between the parties' products",
    "a possible joint bid on a municipal infrastructure contract",
    "the negotiation of a contract manufacturing agreement",
    "an evaluation of a co-marketing program for consumer health products",
)

NDA_ARTICLES = (
    Article("Definitions", (
        Clause("Confidential Information", (
            '"Confidential Information" means all information disclosed by a party (the "Disclosing Party") to the '
            'other party (the "Receiving Party"), whether before or after the Effective Date and whether in written, '
            'oral, electronic or visual form, including business plans, financial information, customer and supplier '
            'lists, pricing, formulas, designs, source code, specifications, {info_examples} and any notes or '
            'analyses that contain or reflect such information.',
        )),
        Clause("Representatives", (
            '"Representatives" means a party\'s Affiliates and its and their directors, officers, employees, '
            'attorneys, accountants, lenders and financial advisors.',
        )),
        Clause("Purpose", (
            'The "Purpose" means the parties\' evaluation and negotiation of {purpose}.',
        )),
    )),
    Article("Obligations of the Receiving Party", (
        Clause("Use and Disclosure", (
            "The Receiving Party shall use Confidential Information solely for the Purpose and shall not disclose it "
            "to any person other than its Representatives who need to know it for the Purpose and who are informed "
            "of its confidential nature.",
            "The Receiving Party shall not use the Disclosing Party's Confidential Information for any purpose other "
            "than the Purpose, and shall restrict disclosure to those Representatives with a need to know who are "
            "bound by confidentiality obligations no less protective than those herein.",
        )),
        Clause("Standard of Care", (
            "The Receiving Party shall protect the Confidential Information using the same degree of care it uses to "
            "protect its own confidential information of like importance, but in no event less than a reasonable "
            "degree of care.",
        )),
        Clause("Responsibility for Representatives", (
            "Each party is responsible for any breach of this Agreement by its Representatives.",
        ), 0.7),
        Clause("Notice of Unauthorized Use", (
            "The Receiving Party shall notify the Disclosing Party promptly, and in any event within {notice_days} "
            "days, upon discovering any unauthorized use or disclosure of Confidential Information.",
        ), 0.6),
    )),
    Article("Exclusions", (
        Clause("Excluded Information", (
            "The obligations in Section 2 do not apply to information that:\n\n(a) is or becomes generally available "
            "to the public other than through a breach of this Agreement;\n\n(b) was in the Receiving Party's "
            "possession without restriction before receipt from the Disclosing Party;\n\n(c) is received from a "
            "third party who is not under an obligation of confidentiality; or\n\n(d) is independently developed by "
            "the Receiving Party without reference to the Confidential Information.",
        )),
    )),
    Article("Compelled Disclosure", (
        Clause("Legal Process", (
            "If the Receiving Party is required by law, regulation or legal process to disclose Confidential "
            "Information, it shall, to the extent legally permitted, give the Disclosing Party prompt written notice "
            "so that the Disclosing Party may seek a protective order, and shall disclose only the portion legally "
            "required.",
        )),
    )),
    Article("Term", (
        Clause("Duration", (
            "This Agreement governs disclosures made during the {spelled_term}-year period following the Effective "
            "Date. The Receiving Party's obligations with respect to Confidential Information survive for "
            "{spelled_survival} years after the date of disclosure, except that obligations with respect to trade "
            "secrets continue for as long as the information remains a trade secret under applicable law.",
        )),
    )),
    Article("Return or Destruction", (
        Clause("Return", (
            "Within {return_days} days after the Disclosing Party's written request, the Receiving Party shall "
            "return or destroy all Confidential Information in its possession and certify the destruction in "
            "writing, except that it may retain copies required by law or stored in routine electronic backups, "
            "which remain subject to this Agreement.",
        )),
    )),
    Article("No License; No Warranty", (
        Clause("No License", (
            "All Confidential Information remains the property of the Disclosing Party. No license under any patent, "
            "copyright, trade secret or other right is granted by this Agreement.",
        )),
        Clause("As Is", (
            'CONFIDENTIAL INFORMATION IS PROVIDED "AS IS" WITHOUT WARRANTY OF ANY KIND, AND THE DISCLOSING PARTY '
            'SHALL HAVE NO LIABILITY ARISING FROM ITS USE.',
        )),
    )),
    Article("No Obligation to Proceed", (
        Clause("No Commitment", (
            "Neither this Agreement nor any disclosure obligates either party to enter into any further agreement or "
            "transaction. Either party may terminate discussions at any time for any reason.",
        )),
    ), 0.7),
    Article("Non-Solicitation", (
        Clause("Employees", (
            "For {nonsolicit_months} months after the Effective Date, neither party shall directly solicit for "
            "employment any employee of the other party with whom it had contact in connection with the Purpose, "
            "provided that general advertisements not directed at such employees are not a breach.",
        )),
    ), 0.45),
    Article("Residuals", (
        Clause("Unaided Memory", (
            "Nothing in this Agreement restricts either party from using general skills, know-how and experience "
            "retained in the unaided memory of its personnel, provided that this Section does not grant any right "
            "under the Disclosing Party's patents or copyrights.",
        )),
    ), 0.35),
    Article("Export Control", (
        Clause("Compliance", (
            "Each party shall comply with the U.S. Export Administration Regulations, 15 C.F.R. § 730 et seq., with "
            "respect to any technical data received under this Agreement.",
        )),
    ), 0.3),
    Article("Remedies", (
        Clause("Equitable Relief", (
            "Each party acknowledges that unauthorized use or disclosure of Confidential Information may cause "
            "irreparable harm for which damages would be an inadequate remedy. The Disclosing Party is therefore "
            "entitled to seek injunctive relief, without posting bond, in addition to any other remedies available "
            "at law or in equity.",
        )),
    )),
    Article("Governing Law", (
        Clause("Law and Venue", (
            "This Agreement is governed by the laws of the State of {law_state} without regard to conflict of laws "
            "principles. {dispute}",
        )),
    )),
    Article("Miscellaneous", (
        Clause("Entire Agreement", (
            "This Agreement is the entire agreement of the parties on its subject matter and supersedes all prior "
            "discussions. It may be amended only in a writing signed by both parties.",
        )),
        Clause("Assignment", (
            "Neither party may assign this Agreement without the other party's prior written consent, and any "
            "attempted assignment in violation of this Section is void.",
        )),
        Clause("Counterparts", (
            "This Agreement may be signed in counterparts and delivered electronically, and each counterpart is an "
            "original.",
        )),
    )),
)

NDA_INFO_EXAMPLES = (
    "clinical trial protocols", "manufacturing yields", "product roadmaps", "bills of materials",
    "regulatory submissions", "test data", "marketing plans", "network architecture diagrams",
    "formulation data", "supplier cost structures",
)


def nda(rng: random.Random) -> tuple[str, str, dict]:
    """A mutual NDA with numbered clauses ``1.``, ``1.1`` and sub-clauses ``(a)``."""
    ctx = party_block(rng, "first") | party_block(rng, "second") | governing_place(rng)
    ctx |= {
        "effective": long_date(effective := random_date(rng)),
        "purpose": pick(rng, NDA_PURPOSES),
        "info_examples": ", ".join(rng.sample(NDA_INFO_EXAMPLES, 2)),
        "spelled_term": words_for(term_years := rng.choice((1, 2, 3))),
        "spelled_survival": spelled(rng.choice((2, 3, 5, 7))),
        "return_days": spelled(rng.choice((10, 15, 30))),
        "notice_days": spelled(rng.choice((2, 5, 10))),
        "nonsolicit_months": spelled(rng.choice((6, 12, 18, 24))),
    }
    ctx["dispute"] = dispute_clause(rng, ctx)
    title = "MUTUAL NON-DISCLOSURE AGREEMENT"
    blocks = [
        title,
        (f'This Mutual Non-Disclosure Agreement (this "Agreement") is made effective as of '
         f'{ctx["effective"]} (the "Effective Date") between {ctx["first"]}, a {ctx["first_state"]} '
         f'{ctx["first_entity"]} located at {ctx["first_address"]}, and {ctx["second"]}, a '
         f'{ctx["second_state"]} {ctx["second_entity"]} located at {ctx["second_address"]} '
         '(each a "party" and together the "parties").'),
        (f"The parties wish to exchange certain confidential information in connection with "
         f"{ctx['purpose']}. In consideration of the mutual promises below, the parties agree "
         "as follows:"),
    ]
    used: list[tuple[str, str, int]] = []
    blocks += render_articles(rng, NDA_ARTICLES, ctx, "{n}. {upper}", "{n}.{m} {heading}.", used)
    blocks += signature_block(ctx, (("PARTY A", "first"), ("PARTY B", "second")))
    # The disclosure period is the agreement's term; it has no renewal (survival is not renewal).
    truth = _contract_truth(
        title, ((ctx["first"], "Party A"), (ctx["second"], "Party B")),
        agreement=effective, effective=effective, expiration=_add_years(effective, term_years),
        initial_term=_period(term_years * 12), renewal=None, notice=None,
        law=ctx["law_state"], clauses=_clause_flags(used, NDA_CUAD),
    )
    return f"{title}: {ctx['first']} and {ctx['second']}", "\n\n".join(blocks), truth


# --------------------------------------------------------------------------- lease

PERMITTED_USES = (
    "general office use", "a dental practice and related administrative offices",
    "a physical therapy clinic", "retail sale of specialty coffee and baked goods",
    "light manufacturing and assembly of electronic components", "a veterinary clinic",
    "a software development studio", "warehousing and distribution of packaged goods",
    "a fitness studio", "a law office", "a medical imaging center", "a craft brewery taproom",
)
BUILDING_NAMES = (
    "Harborview Commons", "Ridgeline Business Park", "The Foundry Building", "Lakeside Tower",
    "Meridian Plaza", "Old Mill Exchange", "Northgate Professional Center", "Copper Square",
    "Juniper Row", "Westfield Industrial Center", "Station Place", "Oak Terrace Medical Pavilion",
)

LEASE_ARTICLES = (
    Article("Premises", (
        Clause("Lease of Premises", (
            "Landlord leases to Tenant, and Tenant leases from Landlord, the premises known as {premises} (the "
            "\"Premises\"), consisting of approximately {sqft} rentable square feet in the building commonly known "
            "as {building} (the \"Building\"), together with the non-exclusive right to use the Common Areas.",
        )),
        Clause("Condition", (
            "Tenant accepts the Premises in their \"AS IS\" condition on the Commencement Date, subject only to "
            "Landlord's completion of the work described in Exhibit B and to latent defects of which Tenant notifies "
            "Landlord within {spelled_defect} days.",
            "Landlord shall deliver the Premises broom clean, with the roof watertight and the building systems in "
            "good working order. Landlord shall provide a tenant improvement allowance of {ti_allowance} to be "
            "applied to improvements approved under Article 7.",
        )),
    )),
    Article("Term", (
        Clause("Initial Term", (
            "The term of this Lease begins on {commencement} (the \"Commencement Date\") and expires at 11:59 p.m. "
            "on the last day of the {term_months}th full calendar month thereafter, unless sooner terminated as "
            "provided herein.",
        )),
        Clause("Early Access", (
            "Tenant may enter the Premises up to {early_days} days before the Commencement Date to install "
            "furniture, cabling and equipment, subject to all terms of this Lease other than the payment of Base "
            "Rent.",
        ), 0.5),
    )),
    Article("Rent", (
        Clause("Base Rent", (
            "Tenant shall pay Base Rent in monthly installments in advance on the first day of each month, without "
            "demand, deduction or setoff, according to the following schedule:\n\n{rent_schedule}",
        )),
        Clause("Abatement", (
            "Provided Tenant is not in default, Base Rent shall be abated for the first {abatement_months} full "
            "months of the term.",
        ), 0.4),
        Clause("Late Charge", (
            "Any installment of Rent not received within five (5) days after its due date shall bear a late charge "
            "equal to {late_pct} percent of the overdue amount, which the parties agree is a reasonable estimate of "
            "Landlord's administrative costs.",
        )),
        Clause("Security Deposit", (
            "Upon execution of this Lease Tenant shall deposit {deposit} with Landlord as security for Tenant's "
            "performance. Landlord may apply the deposit to cure any default, and Tenant shall restore the amount "
            "applied within ten (10) days after demand. Landlord shall return any unapplied balance within thirty "
            "(30) days after the expiration of the term.",
        )),
    )),
    Article("Operating Expenses and Taxes", (
        Clause("Tenant's Share", (
            "Tenant shall pay, as Additional Rent, {tenant_share} percent of the Operating Expenses and Real Estate "
            "Taxes for the Building in excess of those incurred during the base year of {base_year}. Landlord shall "
            "deliver an annual reconciliation statement within one hundred twenty (120) days after the end of each "
            "calendar year.",
            "This is a net lease. Tenant shall pay its proportionate share, {tenant_share} percent, of all Operating "
            "Expenses, insurance premiums and Real Estate Taxes attributable to the Building, in monthly estimated "
            "installments subject to annual reconciliation.",
        )),
        Clause("Audit Right", (
            "Tenant may, within ninety (90) days after receiving an annual statement, audit Landlord's books "
            "relating to Operating Expenses. If the audit shows an overcharge of more than four percent (4%), "
            "Landlord shall refund the overcharge and pay the reasonable cost of the audit.",
        ), 0.6),
    )),
    Article("Use", (
        Clause("Permitted Use", (
            "Tenant shall use the Premises only for {use} and for no other purpose without Landlord's prior written "
            "consent. Tenant shall comply with all laws, including the Americans with Disabilities Act, 42 U.S.C. § "
            "12101 et seq., applicable to its particular use of the Premises.",
        )),
        Clause("Hazardous Materials", (
            "Tenant shall not bring onto the Premises any hazardous materials other than customary office and "
            "cleaning supplies in quantities lawful for their ordinary use.",
            "Tenant may use hazardous materials reasonably necessary for its Permitted Use, provided Tenant stores, "
            "handles and disposes of them in compliance with all environmental laws and indemnifies Landlord from "
            "any resulting contamination.",
        )),
    )),
    Article("Maintenance and Repairs", (
        Clause("Landlord's Obligations", (
            "Landlord shall maintain in good repair the roof, foundation, structural elements, exterior walls and "
            "the base building plumbing, electrical and HVAC systems, the cost of which may be included in Operating "
            "Expenses to the extent permitted by Article 4.",
        )),
        Clause("Tenant's Obligations", (
            "Tenant shall keep the interior of the Premises, including fixtures, doors, interior glass and any "
            "supplemental HVAC equipment serving only the Premises, in good condition and repair, reasonable wear "
            "and tear excepted.",
        )),
    )),
    Article("Alterations", (
        Clause("Consent Required", (
            "Tenant shall not make any alterations costing more than {alteration_cap} in the aggregate, or affecting "
            "the structure or building systems, without Landlord's prior written consent. All alterations shall be "
            "performed by licensed contractors in a good and workmanlike manner.",
        )),
        Clause("Removal", (
            "At the end of the term Tenant shall remove any alterations that Landlord designated for removal when it "
            "gave consent and repair any damage caused by the removal.",
        ), 0.7),
    )),
    Article("Insurance and Indemnity", (
        Clause("Tenant's Insurance", (
            "Tenant shall maintain commercial general liability insurance with limits of not less than {cgl} per "
            "occurrence, naming Landlord and its property manager as additional insureds, and property insurance "
            "covering Tenant's personal property and improvements at full replacement cost.",
        )),
        Clause("Waiver of Subrogation", (
            "Landlord and Tenant each waive all claims against the other for damage to property to the extent the "
            "loss is covered by property insurance required to be carried under this Lease.",
        )),
        Clause("Indemnity", (
            "Tenant shall indemnify Landlord against claims for bodily injury or property damage occurring in the "
            "Premises, except to the extent caused by the negligence or willful misconduct of Landlord or its agents.",
        )),
    )),
    Article("Assignment and Subletting", (
        Clause("Consent", (
            "Tenant shall not assign this Lease or sublet all or part of the Premises without Landlord's prior "
            "written consent, which shall not be unreasonably withheld, conditioned or delayed. Fifty percent (50%) "
            "of any sublease rent in excess of the Rent due hereunder shall be paid to Landlord.",
        )),
    )),
    Article("Default and Remedies", (
        Clause("Events of Default", (
            "Each of the following is an Event of Default:\n\n(a) Tenant fails to pay Rent within "
            "{spelled_cure_rent} days after written notice that it is past due;\n\n(b) Tenant fails to perform any "
            "other obligation within thirty (30) days after written notice, or, if the failure cannot reasonably be "
            "cured within thirty (30) days, fails to begin the cure within that period and diligently complete it; "
            "or\n\n(c) Tenant files a petition in bankruptcy or abandons the Premises.",
        )),
        Clause("Remedies", (
            "Upon an Event of Default Landlord may terminate this Lease, re-enter the Premises in accordance with "
            "applicable law, and recover all Rent then due together with the damages recoverable under the law of "
            "{law_state}. Landlord shall use commercially reasonable efforts to relet the Premises to mitigate its "
            "damages.",
        )),
    )),
    Article("Option to Renew", (
        Clause("Renewal", (
            "Provided no Event of Default exists, Tenant may extend the term for {renewal_count} additional "
            "period(s) of {renewal_years} years each by written notice given at least {renewal_notice} months before "
            "expiration. Base Rent for each renewal period shall equal ninety-five percent (95%) of the fair market "
            "rent then prevailing for comparable space in {city}.",
        )),
    ), 0.6),
    Article("Parking and Signage", (
        Clause("Parking", (
            "Tenant shall have the non-exclusive use of {parking} parking spaces in the Building's parking facility "
            "at no additional charge during the initial term.",
        )),
        Clause("Signage", (
            "Tenant may install its name on the Building directory and a suite entry sign, and, subject to "
            "Landlord's approval of design, one exterior sign on the Building monument.",
        ), 0.6),
    ), 0.6),
    Article("Holding Over", (
        Clause("Holdover Rent", (
            "If Tenant remains in possession after the term expires without Landlord's written consent, Tenant shall "
            "be a tenant at sufferance and shall pay {holdover_pct} percent of the Base Rent in effect for the last "
            "month of the term, prorated on a daily basis.",
        )),
    ), 0.7),
    Article("Guaranty", (
        Clause("Personal Guaranty", (
            "As a condition of this Lease, {guarantor} shall execute the Guaranty of Lease attached as Exhibit D, "
            "guaranteeing Tenant's obligations for the first {guaranty_years} years of the term.",
        )),
    ), 0.3),
    Article("Miscellaneous", (
        Clause("Governing Law", (
            "This Lease is governed by the laws of the State of {law_state}, where the Premises are located.",
        )),
        Clause("Notices", (
            "Notices shall be in writing and delivered to Landlord at {landlord_address} and to Tenant at the "
            "Premises.",
        )),
        Clause("Quiet Enjoyment", (
            "So long as Tenant performs its obligations, Tenant shall peaceably enjoy the Premises without hindrance "
            "by Landlord or anyone claiming through Landlord.",
        )),
        Clause("Entire Agreement", (
            "This Lease, including its exhibits, is the entire agreement of the parties and may be modified only by "
            "a written amendment signed by both parties.",
        )),
    )),
)


def _rent_schedule(first_month: float, years: int, bump: float) -> str:
    """One line per lease year, so each lease carries several distinctive rent figures."""
    lines = []
    for year in range(1, years + 1):
        monthly = first_month * (1 + bump) ** (year - 1)
        lines.append(f"Lease Year {year}: {money(monthly)} per month")
    return "\n".join(lines)


def _lease_facts(rng: random.Random) -> tuple[Context, Terms]:
    """Premises, rent and term for one lease (the premises sit in the governing-law state), and the typed terms."""
    place = rng.choice(PLACES)
    state, city, county, _zip = place
    ctx = party_block(rng, "landlord") | party_block(rng, "tenant")
    sqft = rng.randrange(900, 42_000, 25)
    psf = rng.randrange(14, 58) + rng.choice((0.0, 0.25, 0.5, 0.75))
    years = rng.choice((3, 5, 7, 10))
    bump = rng.choice((0.025, 0.03, 0.035, 0.04))
    start_monthly = round(sqft * psf / 12, 2)
    ctx |= {
        "law_state": state, "venue_city": city, "venue_county": county, "city": city,
        "premises": f"Suite {rng.randint(1, 9)}{rng.randint(0, 4)}{rng.randint(0, 9)}, {address(rng, place)}",
        "building": pick(rng, BUILDING_NAMES),
        "sqft": f"{sqft:,}",
        "effective": long_date(dated := random_date(rng)),
        "commencement": long_date(commencement := random_date(rng, 2017, 2026)),
        "term_months": str(years * 12),
        "term_years": spelled(years),
        "rent_schedule": _rent_schedule(start_monthly, years, bump),
        "base_rent": money(start_monthly),
        "bump": f"{bump * 100:g}",
        "deposit": money(round(start_monthly * rng.choice((1, 2, 3)), 2)),
        "tenant_share": f"{rng.uniform(2, 100):.2f}",
        "base_year": str(rng.randint(2017, 2025)),
        "use": pick(rng, PERMITTED_USES),
        "ti_allowance": money(sqft * rng.choice((5, 10, 15, 25, 40))),
        "alteration_cap": money(rng.choice((5_000, 10_000, 25_000, 50_000))),
        "cgl": money(rng.choice((1_000_000, 2_000_000, 3_000_000))),
        "late_pct": rng.choice(("five (5)", "four (4)", "three (3)")),
        "holdover_pct": rng.choice(("one hundred fifty (150)", "one hundred twenty-five (125)", "two hundred (200)")),
        "parking": spelled(max(2, sqft // 1000 * rng.choice((2, 3, 4)))),
        "renewal_count": spelled(rng.choice((1, 2))),
        "renewal_years": words_for(renewal_years := rng.choice((3, 5))),
        "renewal_notice": spelled(rng.choice((6, 9, 12))),
        "guarantor": person(rng),
        "guaranty_years": spelled(rng.choice((2, 3))),
        "spelled_defect": spelled(rng.choice((30, 60, 90))),
        "spelled_cure_rent": spelled(rng.choice((5, 10))),
        "early_days": spelled(rng.choice((15, 30, 45))),
        "abatement_months": spelled(rng.choice((1, 2, 3, 4))),
        "landlord_address": ctx["landlord_address"],
    }
    terms: Terms = {
        "dated": dated, "commencement": commencement, "term_years": years, "renewal_years": renewal_years,
    }
    return ctx, terms


def lease(rng: random.Random) -> tuple[str, str, dict]:
    """A commercial lease: basic lease information summary, then articles ``3.1`` style."""
    ctx, terms = _lease_facts(rng)
    title = "COMMERCIAL LEASE AGREEMENT"
    summary = "\n".join((
        f"Landlord: {ctx['landlord']}, a {ctx['landlord_state']} {ctx['landlord_entity']}",
        f"Tenant: {ctx['tenant']}, a {ctx['tenant_state']} {ctx['tenant_entity']}",
        f"Premises: {ctx['premises']}",
        f"Rentable Area: approximately {ctx['sqft']} square feet",
        f"Term: {ctx['term_years']} years",
        f"Commencement Date: {ctx['commencement']}",
        f"Initial Monthly Base Rent: {ctx['base_rent']}, increasing {ctx['bump']}% annually",
        f"Security Deposit: {ctx['deposit']}",
        f"Permitted Use: {ctx['use']}",
    ))
    blocks = [
        title,
        (f'This Commercial Lease Agreement (this "Lease") is dated {ctx["effective"]} and is made '
         f'between {ctx["landlord"]} ("Landlord") and {ctx["tenant"]} ("Tenant").'),
        "BASIC LEASE INFORMATION",
        summary,
        "The Basic Lease Information is incorporated into this Lease. If it conflicts with any "
        "other provision of this Lease, the other provision controls.",
    ]
    used: list[tuple[str, str, int]] = []
    blocks += render_articles(rng, LEASE_ARTICLES, ctx, "ARTICLE {n}. {upper}", "{n}.{m} {heading}.", used)
    blocks += signature_block(ctx, (("LANDLORD", "landlord"), ("TENANT", "tenant")), "Lease")
    premises_short = ctx["premises"].split(",")[1].strip()
    # The lease is dated one day and its term commences on another: CUAD's Effective Date is the
    # commencement. The renewal option is Tenant's unilateral extension; its notice is to exercise
    # the option, not to stop a renewal, so there is no notice period to terminate renewal.
    option = any(article == "Option to Renew" for article, _, _ in used)
    truth = _contract_truth(
        title, ((ctx["landlord"], "Landlord"), (ctx["tenant"], "Tenant")),
        agreement=terms["dated"], effective=terms["commencement"],
        expiration=_lease_expiry(terms["commencement"], terms["term_years"] * 12),
        initial_term=_period(terms["term_years"] * 12),
        renewal=_period(terms["renewal_years"] * 12) if option else None, notice=None,
        law=ctx["law_state"], clauses=_clause_flags(used, LEASE_CUAD),
    )
    return f"{title}: {premises_short}, {ctx['city']}", "\n\n".join(blocks), truth


# --------------------------------------------------------------------------- court opinion

REPORTERS = ("P.3d", "N.W.2d", "S.E.2d", "N.E.3d", "So. 3d", "A.3d", "S.W.3d")
DIVISIONS = ("DIVISION ONE", "DIVISION TWO", "DIVISION THREE", "FIRST DISTRICT", "SECOND DISTRICT", "THIRD DISTRICT")


@dataclass(frozen=True)
class Issue:
    """One argument on appeal: neutral analysis plus the paragraph for each outcome."""

    heading: str
    analysis: tuple[str, ...]
    affirm: str
    reverse: str


@dataclass(frozen=True)
class CaseType:
    """Facts and reasoning for one kind of appeal; the plaintiff always lost below."""

    nature: str
    plaintiff_is_person: bool
    defendant_is_person: bool
    posture: str
    background: tuple[str, ...]
    issues: tuple[Issue, ...]
    defendant_suffixes: tuple[str, ...] = ()


STANDARDS = {
    "summary judgment": (
        "We review a grant of summary judgment de novo, applying the same standard as the trial court. {cite3}. "
        "Summary judgment is appropriate only when there is no genuine dispute as to any material fact and the "
        "moving party is entitled to judgment as a matter of law. We view the evidence and all reasonable inferences "
        "from it in the light most favorable to the non-moving party, here {plaintiff_short}.",
        "Whether a contract term is enforceable, and the construction of unambiguous contract language, are "
        "questions of law that we review de novo. {cite3}.",
    ),
    "preliminary injunction": (
        "We review the denial of a preliminary injunction for abuse of discretion, but we review de novo any legal "
        "conclusions on which the ruling rests. {cite3}. A party seeking a preliminary injunction must show a "
        "likelihood of success on the merits, a likelihood of irreparable harm, that the balance of equities tips in "
        "its favor, and that the injunction is in the public interest.",
        "A trial court abuses its discretion when it applies the wrong legal standard or bases its decision on a "
        "clearly erroneous assessment of the evidence. {cite4}.",
    ),
    "dismissal": (
        "We review de novo a judgment of dismissal on limitations grounds. {cite3}. We accept the well-pleaded facts "
        "of the complaint as true and affirm only if it is clear from the face of the complaint that the claim is "
        "time-barred.",
        "When the trial court considered materials outside the pleadings, we treat the ruling as one for summary "
        "judgment and apply the corresponding standard. {cite4}.",
    ),
}

PRODUCTS = (
    "custom aluminum extrusions", "pharmaceutical-grade glass vials", "printed circuit board assemblies",
    "refrigerated display cases", "modular steel stair units", "organic soybean meal",
    "hospital bed frames", "precast concrete panels",
)
HAZARDS = (
    ("a puddle of clear liquid near the dairy cooler", "fractured her left wrist"),
    ("a loose rubber floor mat at the entrance vestibule", "tore the meniscus in her right knee"),
    ("an accumulation of ice on the sidewalk outside the main entrance", "suffered a fractured hip"),
    ("crushed grapes in the produce aisle", "sustained a concussion and a fractured elbow"),
    ("a pallet jack left in the middle of an aisle", "fractured two ribs"),
)
ROLES = (
    ("regional sales director", "medical device sales"), ("senior account executive", "commercial insurance brokerage"),
    ("lead software engineer", "logistics software"), ("branch manager", "staffing services"),
    ("territory manager", "veterinary pharmaceuticals"),
    ("director of business development", "industrial HVAC services"),
)
LOSSES = (
    ("a frozen sprinkler pipe burst and flooded the first floor of its warehouse", "the freezing exclusion"),
    ("the roof of its manufacturing plant partially collapsed under accumulated snow", "the wear-and-tear exclusion"),
    ("a power surge destroyed the compressor of its main refrigeration unit", "the mechanical breakdown exclusion"),
    ("sewer water backed up through floor drains into its restaurant", "the water exclusion"),
)
PROCEDURES = (
    ("a laparoscopic cholecystectomy", "a retained surgical clip fragment in the common bile duct"),
    ("a total knee arthroplasty", "a retained portion of a surgical drain"),
    ("a screening colonoscopy", "a perforation of the sigmoid colon that went undiagnosed"),
    ("a lumbar microdiscectomy", "a dural tear that was not repaired"),
    ("an emergency department evaluation for abdominal pain", "a missed diagnosis of appendicitis"),
)

CASE_TYPES = {
    "liquidated_damages": CaseType(
        "a commercial supply contract and the enforceability of its liquidated damages clause",
        False, False, "summary judgment",
        (
            "The facts material to this appeal are undisputed. On {contract_date}, {plaintiff_short} agreed to "
            "purchase {product} from {defendant_short} for a total price of {contract_price}. The contract required "
            "delivery in {installments} installments, the last due on {due_date}, and provided that if "
            "{defendant_short} failed to deliver on schedule it would pay {plaintiff_short} {per_day} \"as "
            "liquidated damages and not as a penalty\" for each day of delay.",
            "{defendant_short} completed the final delivery {delay_days} days late. {plaintiff_short} withheld "
            "payment of the last invoice and demanded {ld_total} under the liquidated damages clause. "
            "{defendant_short} refused, asserting that {plaintiff_short} had obtained substitute goods within a week "
            "and had suffered, at most, {actual_loss} in expedited freight charges.",
            "{plaintiff_short} sued for breach of contract. On cross-motions for summary judgment the trial court "
            "ruled that the clause was an unenforceable penalty because the per-day amount bore no reasonable "
            "relation to any anticipated loss, awarded {plaintiff_short} its proven actual damages of {actual_loss}, "
            "and entered judgment accordingly. This appeal followed.",
        ),
        (
            Issue(
                "Enforceability of the Liquidated Damages Clause",
                (
                    "A liquidated damages provision is enforceable if, at the time of contracting, the anticipated "
                    "damages from a breach were difficult to estimate and the agreed amount was a reasonable "
                    "forecast of just compensation. {cite1}. A provision that fixes an amount grossly "
                    "disproportionate to any foreseeable loss is a penalty and will not be enforced. {statute_ref}; "
                    "{cite2}. The label the parties used is relevant but not controlling.",
                    "{plaintiff_short} argues that delays in delivering {product} threatened its own downstream "
                    "production commitments, that those losses were inherently uncertain when the contract was "
                    "signed, and that sophisticated commercial parties negotiated the clause at arm's length. "
                    "{defendant_short} responds that the per-day figure was roughly {ratio} percent of the daily "
                    "contract value and that {plaintiff_short} offered no evidence that anyone attempted to forecast "
                    "its losses.",
                ),
                "We agree with the trial court. The record contains no evidence that the parties made any effort to "
                "estimate {plaintiff_short}'s likely losses, and the per-day figure, which would exceed the entire "
                "contract price after a few months of delay, is disproportionate to any harm reasonably foreseeable "
                "at the time of contracting. Because the clause operates as a penalty, the trial court correctly "
                "limited {plaintiff_short} to its proven actual damages.",
                "We disagree with the trial court. Reasonableness is measured prospectively, at the time of "
                "contracting, not by the loss that actually occurred. {cite2}. The uncontroverted declaration of "
                "{plaintiff_short}'s operations manager explains that a delay in delivery of {product} could idle an "
                "assembly line and expose {plaintiff_short} to penalties from its own customers, losses that were "
                "genuinely difficult to predict. Between sophisticated parties, such a negotiated estimate is "
                "entitled to deference, and the trial court erred in declining to enforce it.",
            ),
            Issue(
                "Prejudgment Interest",
                (
                    "{plaintiff_short} also challenges the trial court's refusal to award prejudgment interest. "
                    "Under {statute_ref2}, a party is entitled to prejudgment interest on a liquidated claim from "
                    "the date the amount became due. A claim is liquidated when the amount can be computed with "
                    "exactness from the contract without reliance on opinion or discretion.",
                ),
                "Because {plaintiff_short}'s recovery is limited to unliquidated actual damages that were disputed "
                "until trial, the trial court did not err in declining to award prejudgment interest.",
                "Because the liquidated damages clause is enforceable, the amount owed became fixed on the date of "
                "final delivery and is computable from the contract. {plaintiff_short} is therefore entitled to "
                "prejudgment interest from that date on remand.",
            ),
        ),
    ),
    "premises_liability": CaseType(
        "a fall in a retail store and the evidence required to show the owner's notice of a hazard",
        True, False, "summary judgment",
        (
            "On {incident_date}, {plaintiff_short} was shopping at the {defendant_short} store located at "
            "{store_address} when she slipped on {hazard} and {injury}. No employee witnessed the fall. The store's "
            "surveillance video, which was produced in discovery, shows the area where the fall occurred for the "
            "{video_minutes} minutes before the incident.",
            "According to {plaintiff_short}'s expert, a retail safety consultant, the video shows at least two "
            "employees walking past the area during that period without inspecting the floor, and "
            "{defendant_short}'s written policy required aisle sweeps every {sweep_minutes} minutes. The store's "
            "sweep log for that day contained no entry for the two hours before the fall.",
            "{plaintiff_short} sued for negligence. {defendant_short} moved for summary judgment, arguing that there "
            "was no evidence it created the hazard or had actual or constructive notice of it. The trial court "
            "granted the motion, concluding that any inference about how long the hazard existed would be "
            "speculative. {plaintiff_short} appeals.",
        ),
        (
            Issue(
                "Constructive Notice",
                (
                    "A business owner owes its invitees a duty to exercise reasonable care to keep the premises "
                    "reasonably safe. {cite1}. To recover for an injury caused by a transitory substance, the "
                    "invitee must show that the owner created the condition or had actual or constructive notice of "
                    "it. Constructive notice may be shown by evidence that the condition existed long enough that "
                    "the owner, exercising reasonable care, should have discovered it. {cite2}.",
                    "{defendant_short} contends that the video does not show the substance itself and that no "
                    "witness can say when it reached the floor. {plaintiff_short} responds that the absence of any "
                    "other shopper in the aisle during the recorded period, together with the missed sweeps, permits "
                    "a reasonable inference that the hazard existed for at least {video_minutes} minutes.",
                ),
                "We agree with the trial court that the evidence does not permit a non-speculative inference about "
                "the duration of the hazard. The video does not depict the substance, and the area was partly "
                "obscured by a display for much of the recorded period. Without some evidence of how long the "
                "condition existed, a jury could find constructive notice only by guessing.",
                "We conclude that a genuine issue of material fact exists. Viewing the evidence in the light most "
                "favorable to {plaintiff_short}, a jury could reasonably infer from the video that no one entered "
                "the aisle and created the hazard during the recorded period, so that it existed for at least "
                "{video_minutes} minutes, and that {defendant_short}'s failure to follow its own inspection schedule "
                "was a failure to exercise reasonable care. These inferences are not speculation; they are the "
                "ordinary stuff of circumstantial proof.",
            ),
            Issue(
                "The Open and Obvious Doctrine",
                (
                    "As an alternative ground for affirmance, {defendant_short} argues that the hazard was open and "
                    "obvious. Whether a condition is open and obvious is ordinarily a question of fact unless "
                    "reasonable minds could reach only one conclusion. {cite4}. Under {statute_ref}, the comparative "
                    "fault of the plaintiff reduces but does not bar recovery.",
                ),
                "We need not reach this argument because we affirm on the ground on which the trial court relied.",
                "The record does not establish as a matter of law that the hazard was open and obvious. "
                "{plaintiff_short} testified that the substance was clear and that her attention was drawn to shelf "
                "signage, as the store intended. Any comparative fault is for the jury to weigh.",
            ),
        ),
        ("Markets, Inc.", "Home & Garden Co.", "Grocery Company", "Hardware Stores, Inc.", "Family Pharmacy, LLC"),
    ),
    "noncompete": CaseType(
        "an employer's request to enforce a covenant not to compete against a former employee",
        False, True, "preliminary injunction",
        (
            "{defendant_short} worked for {plaintiff_short} for {tenure} years, most recently as its {role} in the "
            "{industry} business. As a condition of a promotion in {promotion_year}, {defendant_short} signed an "
            "agreement providing that for {nc_months} months after leaving {plaintiff_short} she would not \"engage "
            "in any business competitive with the Company\" within {radius} miles of any office at which she had "
            "worked.",
            "On {resignation_date}, {defendant_short} resigned and, two weeks later, began working for "
            "{new_employer}, a direct competitor with an office {new_office_miles} miles from {plaintiff_short}'s "
            "{city} office. {plaintiff_short} presented evidence that at least {clients} of its customers had moved "
            "their accounts to {new_employer} in the following months, while {defendant_short} testified that those "
            "customers contacted her on their own.",
            "{plaintiff_short} sued for breach of the covenant and moved for a preliminary injunction. After an "
            "evidentiary hearing, the trial court denied the motion, finding the covenant broader than necessary to "
            "protect any legitimate business interest. {plaintiff_short} appeals the interlocutory order under "
            "{statute_ref}.",
        ),
        (
            Issue(
                "Likelihood of Success: Reasonableness of the Covenant",
                (
                    "Restrictive covenants in employment agreements are disfavored and are enforced only to the "
                    "extent they are reasonable in time, geographic scope and the activity restrained, and are "
                    "necessary to protect a legitimate business interest such as trade secrets or customer goodwill. "
                    "{cite1}. The employer bears the burden of proving reasonableness. {cite2}.",
                    "{plaintiff_short} argues that {defendant_short}'s relationships with key accounts were "
                    "developed at its expense and that a {nc_months}-month restriction is common in the {industry} "
                    "industry. {defendant_short} argues that the covenant bars her from any work for any competitor, "
                    "including positions unrelated to sales, across a radius that reaches into several states.",
                ),
                "We discern no abuse of discretion. The covenant is not limited to the customers {defendant_short} "
                "served or to the kind of work she performed, and its {radius}-mile radius extends far beyond the "
                "territory in which she actually worked. The trial court reasonably concluded that {plaintiff_short} "
                "was unlikely to succeed in enforcing a restraint of that breadth.",
                "The trial court applied the wrong legal standard. Under {statute_ref2}, a court that finds a "
                "covenant overbroad must consider whether to modify it to the extent reasonably necessary to protect "
                "the employer's interests. The court here declined to enforce the covenant without considering "
                "modification, and the record shows a legitimate interest in the goodwill of the accounts "
                "{defendant_short} personally managed.",
            ),
            Issue(
                "Irreparable Harm",
                (
                    "Loss of customer goodwill can constitute irreparable harm because it is difficult to quantify "
                    "in money damages. {cite4}. But the harm must be likely, not merely possible, and delay in "
                    "seeking relief may undercut a claim of urgency.",
                ),
                "Because {plaintiff_short} waited several months before moving for an injunction and the trial court "
                "found its customer losses could be measured by lost commissions, the court did not abuse its "
                "discretion in finding no irreparable harm.",
                "On this record the loss of established accounts, and the risk that more will follow, is the kind of "
                "harm that money damages cannot readily repair. On remand the trial court should reconsider the "
                "remaining factors under the correct standard.",
            ),
        ),
    ),
    "insurance_coverage": CaseType(
        "a commercial property insurer's denial of coverage under an exclusion in an all-risk policy",
        False, False, "summary judgment",
        (
            "{defendant_short} issued {plaintiff_short} a commercial property policy, No. {policy_no}, covering the "
            "period that included {incident_date}. The policy is an all-risk policy: it covers \"direct physical "
            "loss of or damage to\" covered property unless an exclusion applies. On {incident_date}, {loss}.",
            "{plaintiff_short} submitted a claim for {claim_amount}, the estimated cost of repairs and lost business "
            "income. {defendant_short} denied the claim in its entirety, relying on {exclusion}. {plaintiff_short}'s "
            "facilities manager testified that the building's heat had been maintained and inspected in accordance "
            "with the policy's protective safeguards endorsement.",
            "{plaintiff_short} sued for breach of contract and a declaratory judgment of coverage. The trial court "
            "granted summary judgment to {defendant_short}, reasoning that the exclusion unambiguously applied. "
            "{plaintiff_short} appeals.",
        ),
        (
            Issue(
                "Application of the Exclusion",
                (
                    "We interpret an insurance policy as a whole, giving its terms their plain and ordinary meaning "
                    "as understood by a reasonable insured. {cite1}. The insured bears the initial burden of showing "
                    "that a loss falls within the policy's grant of coverage, after which the insurer bears the "
                    "burden of proving that an exclusion applies. {cite2}. Exclusions are construed narrowly, and "
                    "ambiguities are resolved in favor of coverage.",
                    "{plaintiff_short} argues that the exclusion applies only to losses caused by a failure to "
                    "maintain the premises, and that the loss here was caused by an unforeseeable event covered "
                    "elsewhere in the policy. {defendant_short} argues that the exclusion's anti-concurrent "
                    "causation clause bars coverage regardless of any other cause contributing to the loss.",
                ),
                "The exclusion's language is plain, and the undisputed evidence places the loss squarely within it. "
                "The anti-concurrent causation clause forecloses {plaintiff_short}'s argument that another cause "
                "contributed. The trial court correctly granted summary judgment to {defendant_short}.",
                "Read as a whole, the policy is reasonably susceptible to {plaintiff_short}'s interpretation. The "
                "exclusion is conditioned on the insured's failure to take protective measures, and the record "
                "contains evidence from which a jury could find that {plaintiff_short} took them. Because "
                "{defendant_short} did not carry its burden of establishing the exclusion as a matter of law, "
                "summary judgment was improper.",
            ),
            Issue(
                "Bad Faith Claim",
                (
                    "{plaintiff_short} also contends that the trial court erred in dismissing its statutory bad "
                    "faith claim under {statute_ref}. An insurer does not act in bad faith when it denies a claim "
                    "that is fairly debatable. {cite4}.",
                ),
                "Because the claim was not covered, the denial could not have been in bad faith, and the trial court "
                "properly dismissed that claim.",
                "Because we reverse on coverage, the dismissal of the bad faith claim, which rested entirely on the "
                "absence of coverage, must also be vacated. We express no view on whether the claim was fairly "
                "debatable.",
            ),
        ),
    ),
    "malpractice_limitations": CaseType(
        "the statute of limitations governing a medical negligence claim and the discovery rule",
        True, False, "dismissal",
        (
            "On {incident_date}, {plaintiff_short} underwent {procedure} performed by a physician employed by "
            "{defendant_short}. In the months that followed she reported persistent pain to her primary care "
            "physician, who attributed it to post-operative inflammation. Imaging performed on {discovery_date} "
            "revealed {injury}.",
            "{plaintiff_short} filed her complaint on {filing_date}, more than {limit_years} years after the "
            "procedure but less than {limit_years} years after the imaging study. {defendant_short} moved to "
            "dismiss, arguing that the action was barred by {statute_ref}, which requires a medical negligence "
            "action to be commenced within {limit_years} years after the date of the act or omission, and that the "
            "statute's discovery exception did not apply.",
            "The trial court agreed with {defendant_short} and dismissed the complaint with prejudice, reasoning "
            "that {plaintiff_short}'s persistent pain should have put her on inquiry notice of her claim well before "
            "the imaging study. {plaintiff_short} appeals.",
        ),
        (
            Issue(
                "The Discovery Rule",
                (
                    "Under {statute_ref}, the limitations period does not begin to run until the patient discovers, "
                    "or in the exercise of reasonable diligence should have discovered, both the injury and its "
                    "probable cause. {cite1}. The inquiry focuses on what a reasonable person in the patient's "
                    "position would have known, and it is ordinarily a question of fact. {cite2}.",
                    "{defendant_short} argues that pain after surgery is itself notice of injury. {plaintiff_short} "
                    "responds that she did exactly what a reasonable patient would do: she reported her symptoms to "
                    "physicians, who assured her they were an expected part of recovery.",
                ),
                "Although the discovery rule is generous, it is not unlimited. {plaintiff_short}'s own complaint "
                "alleges that her surgeon told her, {notice_weeks} weeks after the procedure, that a complication "
                "may have occurred and recommended further imaging, which she declined. On these pleaded facts she "
                "was on inquiry notice more than {limit_years} years before she filed suit, and dismissal was proper.",
                "A patient who is told by her physicians that her symptoms are normal is not charged with knowledge "
                "that she was injured by negligence. {cite4}. Nothing in the complaint shows that {plaintiff_short} "
                "knew or should have known the cause of her pain before {discovery_date}. Because her claim is not "
                "time-barred on the face of the complaint, the trial court erred in dismissing it.",
            ),
            Issue(
                "The Statute of Repose",
                (
                    "{defendant_short} alternatively argues that the outside limit in {statute_ref2}, which bars any "
                    "action brought more than {repose_years} years after the act or omission regardless of "
                    "discovery, independently supports the judgment.",
                ),
                "We need not decide this question because the action is barred by the limitations period.",
                "The complaint was filed well within {repose_years} years of the procedure, so the statute of repose "
                "provides no alternative basis for affirmance.",
            ),
        ),
        ("Regional Medical Center", "Surgical Associates, P.C.", "Community Hospital", "Health Partners, P.A."),
    ),
}

PRECEDENT_NOTES = (
    "{defendant_short} relies heavily on {cite5}, but that case is distinguishable. There, the record was developed "
    "at a full trial, and the court's analysis turned on findings of fact to which the reviewing court owed "
    "deference. Here, by contrast, the question comes to us on a {posture} record, and our review is "
    "correspondingly less deferential. We therefore do not find {cite5} controlling.",
    "Our decision in {cite5} is not to the contrary. That case involved materially different language, and the "
    "court there expressly declined to decide whether its reasoning would extend to circumstances like those "
    "presented here. We read it as consistent with the general rule stated above.",
    "The parties have not cited, and we have not found, a decision of this State addressing precisely this "
    "question. Courts in other jurisdictions applying similar principles have reached the same result we reach "
    "today. See, e.g., {cite5}; {cite6}. We find their reasoning persuasive.",
    "{plaintiff_short} argues for the first time in the reply brief that {cite6} requires a different analysis. "
    "Arguments raised for the first time in a reply brief are ordinarily deemed waived, and in any event the "
    "argument fails on its merits because {cite6} addressed a different statutory scheme.",
)

CONCURRENCES = (
    "I join the court's opinion in full. I write separately only to emphasize the narrowness of our holding. "
    "The question presented turns on the particular record before us, and nothing in today's decision should be "
    "read to announce a categorical rule for cases in which the parties have developed the facts more fully. "
    "Trial courts retain their ordinary discretion to manage these disputes, and litigants remain free to "
    "present the kind of evidence that was absent here.",
    "I concur in the judgment. I agree with the majority's disposition, but I would reach it on narrower "
    "grounds. Because the result follows from the plain language the parties chose, I see no need to address "
    "the broader policy questions discussed in Part III, and I would leave them for a case in which they are "
    "squarely presented and fully briefed.",
    "I concur. I write to note that the rule we apply today has been criticized by commentators and by courts "
    "in several other jurisdictions, and the Legislature may wish to consider whether the current statutory "
    "framework strikes the appropriate balance. Until it does, however, we are bound to apply the law as "
    "written, and the majority does so faithfully.",
)

REVIEW_NOTES = (
    "We may affirm the judgment on any ground supported by the record, whether or not the trial court relied on "
    "it, provided the parties had a fair opportunity to address that ground below. {cite5}. Issues not raised in "
    "an appellant's opening brief are deemed abandoned.",
    "Questions of statutory interpretation are reviewed de novo. Our task is to give effect to the intent of the "
    "Legislature, beginning with the plain language of the statute read in the context of the statutory scheme as "
    "a whole. {cite6}.",
    "To the extent the trial court's ruling rested on findings of historical fact, we defer to those findings "
    "unless they are clearly erroneous, meaning that we are left with the definite and firm conviction that a "
    "mistake has been made. {cite5}.",
)

JURISDICTION = (
    "We have jurisdiction over this appeal under {statute_ref3}. The notice of appeal was timely filed.",
    "This court has jurisdiction under {statute_ref3}, and neither party disputes the timeliness of the appeal.",
)

GENERIC_ISSUES = (
    Issue(
        "Exclusion of Expert Testimony",
        (
            "{plaintiff_short} next contends that the trial court erred in striking portions of the declaration of "
            "its expert witness, {expert}, on the ground that the opinions were disclosed after the deadline in the "
            "scheduling order. We review evidentiary rulings, including the exclusion of expert testimony as a "
            "discovery sanction, for abuse of discretion. {cite5}.",
            "Before excluding evidence for a discovery violation, a trial court should consider the reason for the "
            "late disclosure, the importance of the evidence, the prejudice to the opposing party, and whether a "
            "lesser sanction such as a continuance would cure that prejudice. {cite6}. The record reflects that the "
            "supplemental opinions were served {late_days} days late and {days_before} days before the hearing.",
        ),
        "The trial court considered each of these factors on the record and found that {defendant_short} would be "
        "prejudiced because discovery had closed. That finding is supported by the record, and the court did not "
        "abuse its discretion in declining to consider the late opinions.",
        "The trial court did not address whether a lesser sanction would suffice, and nothing in the record "
        "suggests that a short continuance would have prejudiced {defendant_short}. Exclusion of critical "
        "evidence without consideration of lesser sanctions was an abuse of discretion, and the court on remand "
        "should consider the supplemental opinions.",
    ),
    Issue(
        "Denial of Leave to Amend",
        (
            "{plaintiff_short} also argues that the trial court should have granted leave to amend the complaint to "
            "add a claim for {extra_claim}. Leave to amend shall be freely given when justice so requires, but a "
            "court may deny leave where the amendment would be futile, would cause undue prejudice, or is sought "
            "after undue delay. {cite5}.",
            "The motion for leave was filed {late_days} days after the deadline for amending pleadings and after "
            "{defendant_short}'s dispositive motion had been fully briefed.",
        ),
        "Given the timing of the motion and the absence of any explanation for the delay, the trial court acted "
        "within its discretion in denying leave to amend.",
        "Because we reverse the judgment on other grounds, the procedural posture that supported the denial of "
        "leave no longer exists. On remand the trial court may reconsider the motion in light of this opinion.",
    ),
)

FEES_ISSUE = Issue(
    "Attorney Fees on Appeal",
    (
        "Both parties request attorney fees on appeal under the prevailing-party provision of {fees_basis}. A party "
        "that prevails on appeal under such a provision is entitled to reasonable fees incurred on appeal upon "
        "compliance with Rule {rule_no} of the Rules of Appellate Procedure.",
    ),
    "As the prevailing party, {defendant_short} is awarded its reasonable attorney fees on appeal in an amount to be "
    "determined by the trial court. {plaintiff_short}'s request is denied.",
    "Because the outcome of the litigation remains undetermined, we decline to award fees at this time; the trial "
    "court may consider fees incurred on appeal when it determines the prevailing party at the conclusion of the "
    "case.",
)


def case_cite(rng: random.Random, year_lo: int = 1988, year_hi: int = 2023) -> str:
    """A fictional but well-formed citation: 'Name v. Company, 412 P.3d 118, 121 (2019)'."""
    first_party = pick(rng, LAST_NAMES)
    other = f"{pick(rng, COMPANY_STEMS)} {pick(rng, COMPANY_TRADES)}"
    page = rng.randint(100, 1400)
    return (f"{first_party} v. {other}, {rng.randint(100, 520)} {pick(rng, REPORTERS)} {page}, "
            f"{page + rng.randint(2, 12)} ({rng.randint(year_lo, year_hi)})")


def _statute(rng: random.Random, state: str) -> str:
    """A fictional section of the state's revised statutes: 'Oregon Rev. Stat. § 12-345'."""
    return f"{state} Rev. Stat. § {rng.randint(2, 59)}-{rng.randint(101, 999)}"


def _opinion_parties(rng: random.Random, case: CaseType) -> Context:
    """Plaintiff and defendant names, full and short forms."""
    ctx: Context = {}
    for role, is_person in (("plaintiff", case.plaintiff_is_person), ("defendant", case.defendant_is_person)):
        if role == "defendant" and case.defendant_suffixes:
            stem = pick(rng, COMPANY_STEMS)
            ctx[role], ctx[f"{role}_short"] = f"{stem} {pick(rng, case.defendant_suffixes)}".upper(), stem
        elif is_person:
            first, last = pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)
            ctx[role], ctx[f"{role}_short"] = f"{first.upper()} {last.upper()}", last
        else:
            name, _ = company(rng)
            ctx[role], ctx[f"{role}_short"] = name.upper(), " ".join(name.split()[:2])
    if ctx["plaintiff_short"] == ctx["defendant_short"]:
        ctx["defendant_short"] += " Defendants"
    return ctx


def _opinion_facts(rng: random.Random, case: CaseType) -> Context:
    """Every placeholder any case type uses; unused ones cost nothing."""
    state, city, county, _zip = rng.choice(PLACES)
    incident = random_date(rng, 2014, 2021)
    price = rng.randrange(150_000, 4_000_000, 5_000)
    per_day = rng.randrange(1_000, 25_000, 250)
    delay = rng.randint(12, 140)
    hazard, fall_injury = rng.choice(HAZARDS)
    role, industry = rng.choice(ROLES)
    loss, exclusion = rng.choice(LOSSES)
    procedure, harm = rng.choice(PROCEDURES)
    limit_years = rng.choice((2, 3))
    ctx = _opinion_parties(rng, case) | {
        "state": state, "city": city, "county": county,
        "incident_date": long_date(incident),
        "contract_date": long_date(incident - timedelta(days=rng.randint(60, 400))),
        "due_date": long_date(incident),
        "product": pick(rng, PRODUCTS), "contract_price": money(price),
        "installments": words_for(rng.randint(3, 12)),
        "per_day": money(per_day), "delay_days": str(delay), "ld_total": money(per_day * delay),
        "actual_loss": money(rng.randrange(4_000, 90_000, 50)),
        "ratio": f"{per_day / (price / 365) * 100:.0f}",
        "store_address": address(rng, (state, city, county, _zip)),
        "hazard": hazard, "injury": fall_injury if case.posture != "dismissal" else harm,
        "video_minutes": str(rng.randint(18, 75)), "sweep_minutes": str(rng.choice((15, 30, 45, 60))),
        "tenure": words_for(rng.randint(3, 14)), "role": role, "industry": industry,
        "promotion_year": str(incident.year - rng.randint(1, 4)),
        "nc_months": str(rng.choice((12, 18, 24, 36))), "radius": str(rng.choice((50, 75, 100, 150, 250))),
        "resignation_date": long_date(incident), "new_employer": company(rng)[0],
        "new_office_miles": str(rng.randint(2, 40)), "clients": words_for(rng.randint(3, 19)),
        "policy_no": f"CPP-{rng.randint(1000000, 9999999)}", "loss": loss, "exclusion": exclusion,
        "claim_amount": money(rng.randrange(85_000, 3_500_000, 500)),
        "procedure": procedure,
        "discovery_date": long_date(incident + timedelta(days=365 * limit_years + rng.randint(20, 300))),
        "filing_date": long_date(incident + timedelta(days=365 * limit_years + rng.randint(330, 700))),
        "limit_years": words_for(limit_years), "repose_years": words_for(rng.choice((5, 6, 7, 10))),
        "notice_weeks": words_for(rng.randint(3, 10)),
        "statute_ref": _statute(rng, state),
        "statute_ref2": f"{_statute(rng, state)}({rng.choice('abcd')})",
        "fees_basis": rng.choice(("the parties' contract", _statute(rng, state))),
        "rule_no": str(rng.randint(18, 41)),
    }
    ctx["statute_ref3"] = _statute(rng, state)
    ctx["expert"] = f"Dr. {person(rng)}" if rng.random() < 0.5 else person(rng)
    ctx["late_days"] = words_for(rng.randint(9, 60))
    ctx["days_before"] = words_for(rng.randint(10, 45))
    ctx["extra_claim"] = pick(rng, ("negligent misrepresentation", "unjust enrichment", "promissory estoppel",
                                    "breach of the implied covenant of good faith and fair dealing"))
    ctx["posture"] = case.posture
    for n in range(1, 7):
        ctx[f"cite{n}"] = case_cite(rng)
    return ctx


def _caption(rng: random.Random, ctx: Context, judges: list[str]) -> tuple[list[str], date]:
    """Court, parties, docket, lower court, dates and panel, as appellate slip opinions open; and the filing date."""
    argued = random_date(rng, 2022, 2025)
    division = pick(rng, DIVISIONS)
    docket = f"No. {rng.randint(1, 9)}-CA-{argued.year % 100:02d}-{rng.randint(100, 9999):04d}"
    trial_judge = person(rng)
    filed = argued + timedelta(days=rng.randint(40, 200))
    return [
        f"IN THE COURT OF APPEALS OF THE STATE OF {ctx['state'].upper()}\n{division}",
        f"{ctx['plaintiff']},\nPlaintiff-Appellant,\nv.\n{ctx['defendant']},\nDefendant-Appellee.",
        docket,
        f"Appeal from the Superior Court of {ctx['county']} County\nThe Honorable {trial_judge}, Judge",
        f"Argued and Submitted {long_date(argued)}\nFiled {long_date(filed)}",
        f"Before: {judges[0]}, {judges[1]}, and {judges[2]}, Judges.",
    ], filed


def court_opinion(rng: random.Random) -> tuple[str, str, dict]:
    """An appellate opinion: caption, OPINION, background, standard, discussion, conclusion."""
    case = CASE_TYPES[rng.choice(sorted(CASE_TYPES))]
    ctx = _ReadLog(_opinion_facts(rng, case))
    affirm = rng.random() < 0.5
    judges = [f"{pick(rng, FIRST_NAMES)[0]}. {last.upper()}" for last in rng.sample(LAST_NAMES, 3)]
    author = judges[rng.randrange(3)]
    others = [j for j in judges if j != author]
    issues = list(case.issues) + rng.sample(GENERIC_ISSUES, 2 if rng.random() < 0.4 else 1)
    if rng.random() < 0.5:
        issues.append(FEES_ISSUE)
    caption, filed = _caption(rng, ctx, judges)
    blocks = caption + ["OPINION", f"{author}, Judge:"]
    blocks.append(_introduction(ctx, case, issues, affirm))
    blocks += _background(rng, ctx, case)
    blocks.append("II. STANDARD OF REVIEW")
    blocks.append(pick(rng, JURISDICTION).format_map(ctx))
    blocks += [p.format_map(ctx) for p in STANDARDS[case.posture]]
    blocks.append(pick(rng, REVIEW_NOTES).format_map(ctx))
    blocks.append("III. DISCUSSION")
    for letter, issue in zip("ABCD", issues, strict=False):
        blocks.append(f"{letter}. {issue.heading}")
        blocks += [p.format_map(ctx) for p in issue.analysis]
        if issue in case.issues:
            blocks.append(pick(rng, PRECEDENT_NOTES).format_map(ctx))
        blocks.append((issue.affirm if affirm else issue.reverse).format_map(ctx))
    blocks += ["IV. CONCLUSION", _conclusion(ctx, affirm), "AFFIRMED." if affirm else "REVERSED AND REMANDED."]
    if rng.random() < 0.4:
        blocks += [f"{others[0]}, Judge, concurring:", pick(rng, CONCURRENCES), f"{others[1]}, Judge, concurs."]
    else:
        blocks.append(f"{others[0]}, Judge, and {others[1]}, Judge, concur.")
    title = f"{ctx['plaintiff_short']} v. {ctx['defendant_short']} ({ctx['state']} Ct. App.)"
    # The plaintiff lost below and appeals; "REVERSED AND REMANDED" reverses first, so its outcome is "reversed".
    truth = {
        "court": f"Court of Appeals of the State of {ctx['state']}",
        "decision_date": filed.isoformat(),
        "appellant": ctx["plaintiff"],
        "respondent": ctx["defendant"],
        "outcome": "affirmed" if affirm else "reversed",
        "statutes": _opinion_statutes(ctx),
    }
    return title, "\n\n".join(blocks), truth


def _introduction(ctx: Context, case: CaseType, issues: list[Issue], affirm: bool) -> str:
    """The opening paragraph names the dispute, the questions and the result."""
    questions = "; ".join(issue.heading.lower() for issue in issues)
    result = "affirm" if affirm else "reverse and remand for further proceedings"
    return (
        f"{ctx['plaintiff_short']} appeals from the judgment entered in favor of {ctx['defendant_short']} in an "
        f"action involving {case.nature}. The appeal presents the following questions: {questions}. Having "
        f"considered the briefs, the record and the arguments of counsel, we {result}."
    )


def _background(rng: random.Random, ctx: Context, case: CaseType) -> list[str]:
    """Facts and procedural history, under one heading or two subheadings."""
    facts = [p.format_map(ctx) for p in case.background[:-1]]
    history = case.background[-1].format_map(ctx)
    if rng.random() < 0.5:
        return ["I. BACKGROUND", *facts, history]
    return ["I. FACTUAL AND PROCEDURAL BACKGROUND", "A. The Underlying Facts", *facts,
            "B. Proceedings in the Trial Court", history]


def _conclusion(ctx: Context, affirm: bool) -> str:
    """The disposition paragraph, which must agree with the reasoning chosen above."""
    if affirm:
        return (f"The trial court did not err. The judgment in favor of {ctx['defendant_short']} is "
                f"affirmed. Costs on appeal are awarded to {ctx['defendant_short']}.")
    return (f"The judgment in favor of {ctx['defendant_short']} is reversed, and the case is "
            "remanded to the Superior Court of "
            f"{ctx['county']} County for further proceedings consistent with this opinion. "
            f"Costs on appeal are awarded to {ctx['plaintiff_short']}.")

# --------------------------------------------------------------------------- truth (extract job tests)

# The clause categories the extract job flags (CLAUSE_FIELDS in analysis/jobs/extract/fields.py;
# a test keeps the two lists equal). Kept here so samples never import the jobs package.
CLAUSE_CATEGORIES: tuple[str, ...] = (
    "termination_for_convenience", "anti_assignment", "change_of_control", "non_compete", "exclusivity",
    "no_solicit", "cap_on_liability", "uncapped_liability", "liquidated_damages", "audit_rights", "insurance",
    "ip_ownership_assignment", "license_grant", "minimum_commitment", "most_favored_nation",
    "post_termination_services", "warranty_duration", "third_party_beneficiary",
)

# Which CUAD categories (definitions in CUAD_v1_README) each clause wording expresses, keyed by
# (article, clause heading) or, where the wordings differ, (article, clause heading, body index).
# A clause not listed expresses none. Judgement calls are commented where they are made.
ClauseKey = tuple[str, str] | tuple[str, str, int]
MSA_CUAD: dict[ClauseKey, tuple[str, ...]] = {
    ("Term and Termination", "Termination for Convenience"): ("termination_for_convenience",),
    # payment of accrued fees, delivery of work in progress, return of information after termination
    ("Term and Termination", "Effect of Termination"): ("post_termination_services",),
    ("Term and Termination", "Transition Assistance"): ("post_termination_services",),
    ("Intellectual Property", "Ownership of Deliverables", 0): ("ip_ownership_assignment",),  # "hereby assigns"
    ("Intellectual Property", "Ownership of Deliverables", 1): ("license_grant",),
    ("Intellectual Property", "Pre-Existing Materials"): ("license_grant",),
    # an exclusive remedy limits what can be recovered (CUAD files "sole remedy" under Cap On Liability)
    ("Warranties", "Performance Warranty"): ("cap_on_liability",),
    ("Limitation of Liability", "Exclusion of Damages"): ("cap_on_liability",),
    ("Limitation of Liability", "Cap"): ("cap_on_liability",),
    ("Limitation of Liability", "Exceptions"): ("uncapped_liability",),  # indemnity, confidentiality, gross negligence
    ("Insurance", "Required Coverage"): ("insurance",),
    ("Insurance", "Certificates"): ("insurance",),
    ("Non-Solicitation", "Employees"): ("no_solicit",),
    # consent to assign, and notice when assigning to a successor by merger or sale of substantially all assets
    ("General Provisions", "Assignment"): ("anti_assignment", "change_of_control"),
    # Not flagged: the fixed monthly fee (a price, not a minimum purchase), Affiliates as indemnitees
    # (no clause makes them beneficiaries), the force majeure termination right (not without cause).
}
NDA_CUAD: dict[ClauseKey, tuple[str, ...]] = {
    # "the Disclosing Party shall have no liability arising from its use": a liability exclusion
    ("No License; No Warranty", "As Is"): ("cap_on_liability",),
    ("Non-Solicitation", "Employees"): ("no_solicit",),
    ("Miscellaneous", "Assignment"): ("anti_assignment",),
    # Not flagged: "No License" denies a licence; return on request and survival of confidentiality
    # are not post-termination commitments; "terminate discussions" ends talks, not the agreement.
}
LEASE_CUAD: dict[ClauseKey, tuple[str, ...]] = {
    # Landlord answers for latent defects notified within 30/60/90 days: a defect warranty with a duration
    ("Premises", "Condition", 0): ("warranty_duration",),
    # a late charge the parties agree "is a reasonable estimate" of Landlord's costs
    ("Rent", "Late Charge"): ("liquidated_damages",),
    ("Rent", "Security Deposit"): ("post_termination_services",),  # refund within 30 days after expiration
    ("Operating Expenses and Taxes", "Audit Right"): ("audit_rights",),
    ("Alterations", "Removal"): ("post_termination_services",),  # removal and repair at the end of the term
    ("Insurance and Indemnity", "Tenant's Insurance"): ("insurance",),
    ("Assignment and Subletting", "Consent"): ("anti_assignment",),
    # Not flagged: the renewal option (a contract term, renewal_term), holdover rent, the guaranty.
}


def _clause_flags(used: Iterable[tuple[str, str, int]], table: dict[ClauseKey, tuple[str, ...]]) -> dict[str, bool]:
    """Every clause category, True when one of the clauses written expresses it."""
    present: set[str] = set()
    for article, heading, body in used:
        present.update(table.get((article, heading), ()))
        present.update(table.get((article, heading, body), ()))
    return {category: category in present for category in CLAUSE_CATEGORIES}


def _period(months: int) -> str:
    """An ISO 8601 period in whole years where it is one ('P2Y'), else months ('P6M')."""
    return f"P{months // 12}Y" if months % 12 == 0 else f"P{months}M"


def _add_years(day: date, years: int) -> date:
    """The anniversary ``years`` later (CUAD's "N years following the Effective Date"); 29 February -> 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _lease_expiry(commencement: date, months: int) -> date:
    """The last day of the ``months``-th full calendar month after commencement.

    A term that commences on the 1st counts its own month as the first full month.
    """
    first = commencement.month - 1 + (0 if commencement.day == 1 else 1)  # zero-based month index
    last = commencement.year * 12 + first + months - 1
    year, month = divmod(last, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def _contract_truth(
    name: str,
    parties: tuple[tuple[str, str], ...],
    *,
    agreement: date,
    effective: date,
    expiration: date | None,
    initial_term: str | None,
    renewal: str | None,
    notice: str | None,
    law: str | None,
    clauses: dict[str, bool],
) -> dict:
    """The contract facts as the extract job reports them: ISO dates, ISO 8601 periods."""
    return {
        "document_name": name,
        "parties": [{"name": party, "role": role} for party, role in parties],
        "agreement_date": agreement.isoformat(),
        "effective_date": effective.isoformat(),
        "expiration_date": expiration.isoformat() if expiration else None,
        "initial_term": initial_term,
        "renewal_term": renewal,
        "notice_period": notice,
        "governing_law": law,
        "clauses": clauses,
    }


class _ReadLog(dict):
    """A context that remembers which placeholders were filled, in order, so a builder knows what it wrote."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read: dict[str, None] = {}

    def __getitem__(self, key: str) -> str:
        self.read.setdefault(key, None)
        return super().__getitem__(key)


_STATUTE_KEYS = ("statute_ref", "statute_ref2", "statute_ref3", "fees_basis")


def _opinion_statutes(ctx: _ReadLog) -> list[str]:
    """The statutes the opinion cites, in order of first citation ("the parties' contract" is no statute)."""
    cited = [ctx.get(key, "") for key in ctx.read if key in _STATUTE_KEYS]
    return list(dict.fromkeys(s for s in cited if "§" in s))


BUILDERS = {
    "services_agreement": services_agreement,
    "nda": nda,
    "lease": lease,
    "court_opinion": court_opinion,
}
