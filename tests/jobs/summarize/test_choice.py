"""`summary_backend = "auto"`: an LLM only where one can serve, and the reason said in words."""

from __future__ import annotations

import pytest

from analysis.config import Config
from analysis.jobs.summarize.choice import choose_summary_backend


@pytest.mark.parametrize(
    ("settings", "backend", "reason"),
    [
        ({}, "extractive", "no LLM configured"),
        ({"llm_base_url": "http://vllm:8000/v1", "llm_model": "m"}, "openai", "endpoint is configured"),
        ({"llm_backend": "llama_cpp"}, "llama_cpp", "local model was chosen"),
        ({"llm_model_path": "/models/x.gguf"}, "llama_cpp", "llm_model_path is set"),
        ({"summary_backend": "extractive", "llm_base_url": "http://vllm:8000/v1"}, "extractive", "= extractive"),
        ({"summary_backend": "llm"}, "llama_cpp", "summary_backend = llm"),
        ({"summary_backend": "llm", "llm_base_url": "http://h/v1"}, "openai", "llm_backend = openai"),
        # a local model named beside an endpoint URL: the named backend wins
        ({"llm_backend": "llama_cpp", "llm_base_url": "http://h/v1"}, "llama_cpp", "local model was chosen"),
    ],
)
def test_auto_picks_an_llm_only_where_one_can_serve(settings: dict[str, str], backend: str, reason: str) -> None:
    choice = choose_summary_backend(Config(**settings))
    assert choice.backend == backend
    assert reason in choice.reason


def test_the_default_is_auto_and_the_line_says_what_runs() -> None:
    config = Config()
    assert config.summary_backend == "auto" and config.summary_verify
    assert choose_summary_backend(config).describe(config).startswith("summaries: extractive (auto: no LLM")
    local = Config(llm_backend="llama_cpp")
    assert "LLM via llama_cpp, verify-and-repair" in choose_summary_backend(local).describe(local)
