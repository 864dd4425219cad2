"""Deterministic synthetic legal and medical documents for tests, demos and benchmarks.

Real contracts and patient records cannot ship with the project, so this package writes
realistic stand-ins (fictional names, real section structure) plus the malformed files an
ingester must quarantine.
"""

from analysis.samples.corpus import corpus_documents, generate_corpus
from analysis.samples.generate import (
    KINDS,
    SampleDocument,
    make_document,
    write_bad_files,
    write_markdown,
    write_pdf,
    write_text,
)

__all__ = [
    "KINDS",
    "SampleDocument",
    "corpus_documents",
    "generate_corpus",
    "make_document",
    "write_bad_files",
    "write_markdown",
    "write_pdf",
    "write_text",
]
