"""The summarize job: extractive.py and llm.py summarise, grounding.py checks each sentence against the source."""

from analysis.jobs.summarize.job import SummarizeJob, build_summarizer

__all__ = ["SummarizeJob", "build_summarizer"]
