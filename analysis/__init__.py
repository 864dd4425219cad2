"""docanalysis: batch analysis of legal and medical documents.

The public surface is small: configure, run the pipeline, search.
"""

from analysis.config import Config
from analysis.errors import DocAnalysisError
from analysis.pipeline import RunReport, rebuild_index, run_pipeline
from analysis.search import search_chunks

__all__ = ["Config", "DocAnalysisError", "RunReport", "rebuild_index", "run_pipeline", "search_chunks"]
