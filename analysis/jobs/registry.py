"""The analysis jobs, by name, in the order a run runs them.

Config validation, the on-demand request schema, the CLI and the DAGs all read this list.
Adding a job is one module with a class that follows ``analysis.jobs.base.Job`` and one line
here. Entries name their class by import path, so reading the list loads no model library.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.jobs.base import JobFactory


@dataclass(frozen=True)
class RegisteredJob:
    name: str
    factory: str  # "module:Class", the class's from_config builds the job
    task_id: str  # the Airflow task that maps the job over shards
    description: str
    results: str  # its result table, keyed by document content (what `docanalysis documents` checks)

    def load(self) -> JobFactory:
        module, _, attribute = self.factory.partition(":")
        return getattr(importlib.import_module(module), attribute)


REGISTRY: tuple[RegisteredJob, ...] = (
    RegisteredJob(
        "summarize",
        "analysis.jobs.summarize.job:SummarizeJob",
        "summarize_documents",
        "grounded summary per document",
        "summaries",
    ),
    RegisteredJob(
        "sentiment", "analysis.jobs.sentiment.job:SentimentJob", "score_sentiment", "sentiment per chunk", "sentiments"
    ),
    RegisteredJob(
        "extract",
        "analysis.jobs.extract.job:ExtractJob",
        "extract_facts",
        "key facts with evidence per document",
        "extractions",
    ),
)

JOB_NAMES: tuple[str, ...] = tuple(job.name for job in REGISTRY)


def registered_job(name: str) -> RegisteredJob:
    for job in REGISTRY:
        if job.name == name:
            return job
    raise KeyError(f"unknown job {name!r}; jobs are: {', '.join(JOB_NAMES)}")
