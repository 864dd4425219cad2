"""The lexical index: BM25 over the same chunks as the FAISS index, for hybrid search.

Dense vectors find paraphrases; BM25 finds the exact words a lawyer or clinician types
("governed by the laws of", "metformin"). Scoring is bm25s's; the tokens of every chunk are kept
beside its scores, so an update tokenises only the chunks it adds and drops the ones it removes
(BM25's statistics then recomputed from the kept tokens). A version lives in the FAISS version's
folder and is published with it, so both always describe the same chunks.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from analysis.errors import IndexStateError

log = logging.getLogger(__name__)

# Bumped whenever ``lexical_terms`` changes what it returns: an index made by another version is rebuilt.
TOKENIZER = "words-snowball-en-1"
LEXICAL_DIR = "lexical"
_META_FILE = "lexical.json"
_IDS_FILE = "chunk_ids.npy"
_TOKENS_FILE = "tokens.npy"
_INDPTR_FILE = "tokens_indptr.npy"

# Letters and digits, with inner apostrophes and dots kept ("o'brien", "3.5"); any script.
_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def lexical_terms(text: str) -> list[str]:
    """The terms BM25 matches on: lower-case words, English stop words out, Snowball stems.

    Stemming makes "terminate", "terminated" and "termination" one term, which is how people
    search contracts; words of other scripts pass through unstemmed.
    """
    stop = _stop_words()
    words = [w for w in _WORD.findall(text.lower()) if w not in stop and len(w) < 64]
    return _stemmer().stemWords(words) if words else []


@dataclass
class LexicalIndex:
    """BM25 over chunks: position ``i`` of the score matrix is chunk ``chunk_ids[i]``."""

    chunk_ids: np.ndarray
    vocab: dict[str, int]
    tokens: np.ndarray  # every chunk's term ids, concatenated
    indptr: np.ndarray  # chunk i's terms are tokens[indptr[i]:indptr[i + 1]]
    bm25: Any = field(default=None, repr=False)
    _order: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def build(cls, chunks: Iterable[tuple[int, str]]) -> LexicalIndex:
        """An index of ``(chunk id, text)`` pairs."""
        empty = cls(np.empty(0, np.int64), {}, np.empty(0, np.int32), np.zeros(1, np.int64))
        return empty.updated(remove=np.empty(0, np.int64), add=chunks)

    @property
    def count(self) -> int:
        return len(self.chunk_ids)

    def updated(self, *, remove: np.ndarray, add: Iterable[tuple[int, str]]) -> LexicalIndex:
        """A new index without the ``remove`` chunks and with the ``add`` ones (only these are tokenised)."""
        keep = ~np.isin(self.chunk_ids, remove)
        lengths = np.diff(self.indptr)[keep]
        kept_tokens = self.tokens[np.repeat(keep, np.diff(self.indptr))]
        vocab = dict(self.vocab)
        new_ids: list[int] = []
        new_tokens: list[np.ndarray] = []
        for chunk_id, text in add:
            terms = lexical_terms(text)
            new_ids.append(int(chunk_id))
            new_tokens.append(np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms), np.int32, len(terms)))
        chunk_ids = np.concatenate([self.chunk_ids[keep], np.asarray(new_ids, dtype=np.int64)])
        all_lengths = np.concatenate([lengths, np.fromiter(map(len, new_tokens), np.int64, len(new_tokens))])
        tokens = np.concatenate([kept_tokens, *new_tokens]).astype(np.int32, copy=False)
        indptr = np.concatenate([[0], np.cumsum(all_lengths)]).astype(np.int64)
        index = LexicalIndex(chunk_ids, vocab, tokens, indptr)
        index.bm25 = index._score_matrix()
        return index

    def _score_matrix(self) -> Any:
        """bm25s's eager score matrix from the kept term ids (no re-tokenising)."""
        import bm25s

        bm25 = bm25s.BM25()
        if not self.count:
            return bm25
        vocab = dict(self.vocab)
        vocab.setdefault("", len(vocab))  # bm25s's token for chunks that have no terms at all
        empty = vocab[""]
        docs = [part.tolist() or [empty] for part in np.split(self.tokens, self.indptr[1:-1])]
        bm25.index((docs, vocab), show_progress=False)
        return bm25

    def positions_of(self, chunk_ids: np.ndarray) -> np.ndarray:
        """Positions of the given chunk ids in the score matrix (ids not in the index are left out)."""
        if self._order is None:
            self._order = np.argsort(self.chunk_ids, kind="stable")
        ordered = self.chunk_ids[self._order]
        wanted = np.asarray(chunk_ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(ordered, wanted), max(self.count - 1, 0))
        found = ordered[at] == wanted if self.count else np.zeros(len(wanted), dtype=bool)
        return self._order[at[found]]

    def search(self, query: str, k: int, *, allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The top ``k`` (chunk ids, BM25 scores) for ``query``; only chunks that share a term with it."""
        if not self.count or self.bm25 is None:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        term_ids = [self.vocab[t] for t in lexical_terms(query) if t in self.vocab]
        if not term_ids:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        scores = self.bm25.get_scores_from_ids(term_ids)
        if allowed_ids is not None:
            mask = np.zeros(self.count, dtype=bool)
            mask[self.positions_of(allowed_ids)] = True
            scores = np.where(mask, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
        return self.chunk_ids[order], scores[order].astype(np.float32)

    # persistence ----------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (the staging folder of an index version)."""
        target = folder / LEXICAL_DIR
        target.mkdir(parents=True, exist_ok=True)
        np.save(target / _IDS_FILE, self.chunk_ids)
        np.save(target / _TOKENS_FILE, self.tokens)
        np.save(target / _INDPTR_FILE, self.indptr)
        if self.count:
            self.bm25.save(str(target / "bm25"), show_progress=False)
        meta = {"tokenizer": TOKENIZER, "count": self.count, "vocab": self.vocab}
        (target / _META_FILE).write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The index saved in ``folder``; None when there is none or another tokenizer made it."""
        import bm25s

        target = folder / LEXICAL_DIR
        if not (target / _META_FILE).exists():
            return None
        try:
            meta = json.loads((target / _META_FILE).read_text())
            if meta.get("tokenizer") != TOKENIZER:
                return None
            index = cls(
                np.load(target / _IDS_FILE),
                meta["vocab"],
                np.load(target / _TOKENS_FILE),
                np.load(target / _INDPTR_FILE),
            )
            index.bm25 = (
                bm25s.BM25.load(str(target / "bm25"), mmap=True, show_progress=False, verbosity=0)
                if index.count
                else bm25s.BM25()
            )
        except (OSError, ValueError, KeyError) as exc:
            raise IndexStateError(f"the lexical index in {folder} cannot be read ({exc})") from None
        if index.count != meta["count"] or len(index.indptr) != index.count + 1:
            raise IndexStateError(f"the lexical index in {folder} is incomplete")
        return index

    def holds_exactly(self, chunk_ids: Sequence[int] | np.ndarray) -> bool:
        wanted = np.asarray(chunk_ids, dtype=np.int64)
        return len(wanted) == self.count and np.array_equal(np.sort(wanted), np.sort(self.chunk_ids))
