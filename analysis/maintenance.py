"""Keeping the store and index healthy, and erasing a document everywhere on request.

Erasure is for compliance: the document, its pages, chunks, vectors, summaries and
sentiment go, the index is republished without its vectors and older index versions
(which still hold them) are deleted. What remains is one row with the document id, its
hash and the reason: never its content.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Sequence

from analysis.config import Config
from analysis.errors import InvalidRequestError
from analysis.index import IndexStore, sync_index
from analysis.ingest.discover import is_stand_in
from analysis.store import open_store

log = logging.getLogger(__name__)


def erase_documents(
    config: Config, document_ids: Sequence[int], *, reason: str, requested_by: str, run_id: int | None = None
) -> dict[str, int]:
    """Remove documents from the store, the index and every older index version (on disk or the object store)."""
    if not reason.strip() or not requested_by.strip():
        raise InvalidRequestError(["an erasure needs a reason and who requested it"])
    counts: Counter[str] = Counter()
    with open_store(config) as store:
        store.require_documents(document_ids)
        for document_id in sorted(set(document_ids)):
            if store.erase_document(document_id, reason=reason, requested_by=requested_by, run_id=run_id):
                counts["documents_erased"] += 1
                log.info("erased document %s (%s)", document_id, reason)
        counts["index_version"] = sync_index(store, config)
        index_store = IndexStore.from_config(config)
        # the store's lock too: a writer on another host must not publish while the others are deleted
        with store.writer_lock("index", config.lock_timeout_s), index_store.writer_lock(config.lock_timeout_s):
            counts["index_versions_dropped"] = index_store.drop_old_versions()
        store.compact()  # no bytes of the erased rows left in the database files
    return dict(counts)


def vacuum_store(config: Config) -> dict[str, int]:
    """Drop documents no path points at and quarantine rows of files that are gone.

    A broken link is still there (``lexists``), and a row under a stand-in path (a name that is not
    UTF-8, a path too long to store) cannot be looked up: dropping either would only have the next
    run quarantine the file again; a ``--sync`` run forgets them when the file is gone.
    """
    with open_store(config) as store:
        counts = {"documents_purged": len(store.purge_orphans())}
        gone = [
            row.path for row in store.quarantine_rows() if not is_stand_in(row.reason) and not os.path.lexists(row.path)
        ]
        counts["quarantine_rows_removed"] = store.forget_quarantined(gone)
    return counts
