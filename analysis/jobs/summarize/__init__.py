"""The summarize job: summarizers (extractive, LLM) in summarizers.py, grounding in grounding.py."""

from analysis.jobs.summarize.job import SummarizeJob, build_summarizer

__all__ = ["SummarizeJob", "build_summarizer"]
