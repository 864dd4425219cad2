"""The ingest stage: source files to stored documents, sections and token-bounded chunks.

    discover -> parse (worker processes: extract, classify, structure) -> chunking -> store

``ingest_sources`` is the stage function; each module is one step of it.
"""

from analysis.ingest.stage import files_to_ingest, ingest_found, ingest_sources, remove_missing_sources

__all__ = ["files_to_ingest", "ingest_found", "ingest_sources", "remove_missing_sources"]
