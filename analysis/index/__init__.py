"""The index stage: FAISS versions derived from the store's vectors, published atomically.

``sync_index`` is the stage function; ``IndexStore`` the folder of published versions that
readers load; ``VectorIndex`` one version.
"""

from analysis.index.faiss_index import CURRENT_FILE, INDEX_FILE, IndexStore, VectorIndex, choose_kind, ivf_lists
from analysis.index.sync import rebuild_index, reconcile, sync_index, update_index

__all__ = [
    "CURRENT_FILE",
    "INDEX_FILE",
    "IndexStore",
    "VectorIndex",
    "choose_kind",
    "ivf_lists",
    "rebuild_index",
    "reconcile",
    "sync_index",
    "update_index",
]
