"""The analysis jobs that run after indexing, one module or subpackage each, and their runner.

    summarize/   grounded summaries (extractive or LLM), prompts in prompts/
    sentiment/   per-chunk and per-document sentiment (embedding head, lexicon or LLM)
    extract/     key facts with their evidence: contract terms and clauses, judgments, clinical facts
    llm/         the chat-model backends both can use
    registry.py  which jobs exist; base.py what a job is; runner.py runs one over the documents it has not done

``run_job`` is the stage function. Names load on first use, so reading the registry (as the
configuration does) never imports a model library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.lazy import lazy_exports

if TYPE_CHECKING:
    from analysis.jobs.base import Job, JobDocument
    from analysis.jobs.registry import JOB_NAMES, REGISTRY
    from analysis.jobs.runner import JobContext, build_job, run_job
    from analysis.jobs.summarize import build_summarizer

_PUBLIC = {
    "JOB_NAMES": "analysis.jobs.registry",
    "REGISTRY": "analysis.jobs.registry",
    "Job": "analysis.jobs.base",
    "JobContext": "analysis.jobs.runner",
    "JobDocument": "analysis.jobs.base",
    "build_job": "analysis.jobs.runner",
    "run_job": "analysis.jobs.runner",
    "build_summarizer": "analysis.jobs.summarize",
}
__all__ = [
    "JOB_NAMES",
    "Job",
    "JobContext",
    "JobDocument",
    "REGISTRY",
    "build_job",
    "build_summarizer",
    "run_job",
]

__getattr__ = lazy_exports(__name__, _PUBLIC)
