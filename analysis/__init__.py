"""docanalysis: batch analysis of legal and medical documents.

The public surface is small: configure, run the pipeline, search, ask. The names load on first
use, so importing one stage (say ``analysis.embed`` on a GPU box) does not pull in the
store, the PDF parsers and everything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.lazy import lazy_exports

if TYPE_CHECKING:
    from analysis.answering import ask
    from analysis.config import Config
    from analysis.errors import DocAnalysisError
    from analysis.pipeline import RunReport, rebuild_index, run_pipeline
    from analysis.records import Answer, AnswerSentence
    from analysis.search import search_chunks

_PUBLIC = {
    "Answer": "analysis.records",
    "AnswerSentence": "analysis.records",
    "Config": "analysis.config",
    "DocAnalysisError": "analysis.errors",
    "RunReport": "analysis.pipeline",
    "rebuild_index": "analysis.pipeline",
    "run_pipeline": "analysis.pipeline",
    "search_chunks": "analysis.search",
    "ask": "analysis.answering",
}
__all__ = [
    "Answer",
    "AnswerSentence",
    "Config",
    "DocAnalysisError",
    "RunReport",
    "ask",
    "rebuild_index",
    "run_pipeline",
    "search_chunks",
]

__getattr__ = lazy_exports(__name__, _PUBLIC)
