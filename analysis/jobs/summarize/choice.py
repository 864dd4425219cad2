"""Which summarizer runs, and why: one answer for the job, `docanalysis status` and run output.

``summary_backend = "auto"`` (the default) uses an LLM only where one can serve: an
OpenAI-compatible endpoint is configured (``llm_base_url``), or the local model was named
(``llm_backend = "llama_cpp"`` or ``llm_model_path``). Otherwise summaries are extractive, which
needs no model beyond the embedder and is fully grounded by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.config import Config


@dataclass(frozen=True)
class SummaryChoice:
    """``backend``: ``extractive``, ``llama_cpp`` or ``openai``; ``reason``: why, in words."""

    backend: str
    reason: str

    @property
    def uses_llm(self) -> bool:
        return self.backend != "extractive"

    def describe(self, config: Config) -> str:
        """One line for people: what runs, with verification or not, and why."""
        if not self.uses_llm:
            return f"summaries: extractive ({self.reason})"
        checked = "verify-and-repair" if config.summary_verify else "grounding only, not repaired"
        return f"summaries: LLM via {self.backend}, {checked} ({self.reason})"


def choose_summary_backend(config: Config) -> SummaryChoice:
    """The summarizer the configuration selects, and the reason a person can check."""
    if config.summary_backend == "extractive":
        return SummaryChoice("extractive", "summary_backend = extractive")
    if config.summary_backend == "llm":
        return SummaryChoice(config.chat_backend, f"summary_backend = llm, llm_backend = {config.chat_backend}")
    if config.llm_base_url and config.chat_backend == "openai":
        return SummaryChoice("openai", "auto: an OpenAI-compatible endpoint is configured (llm_base_url)")
    if config.llm_backend == "llama_cpp" or config.llm_model_path:
        named = "llm_model_path is set" if config.llm_model_path else "llm_backend = llama_cpp"
        return SummaryChoice("llama_cpp", f"auto: the local model was chosen ({named})")
    return SummaryChoice(
        "extractive",
        "auto: no LLM configured; set llm_base_url for an endpoint, or llm_backend = llama_cpp for the local model",
    )
