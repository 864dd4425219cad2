"""LLM backends behind LangChain chat-model interfaces, chosen by configuration.

``llama_cpp``: a local GGUF file (the packaged SmolLM2-135M-Instruct by default);
``openai``: any OpenAI-compatible endpoint (vLLM, Ollama, OpenAI, Azure) via langchain-openai;
PHI is redacted from its requests when ``redact_outbound`` says so (by default: unless the
endpoint is on loopback), and its model id then ends in ``+redacted``; an endpoint that is down
raises ``LLMUnavailableError``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urlparse

from langchain_core.language_models import BaseChatModel

from analysis.config import LLM_BACKENDS, Config
from analysis.errors import ConfigError
from analysis.jobs.llm.endpoint import EndpointChatModel
from analysis.jobs.llm.local import PACKAGED_LLM_DISTRIBUTION, LlamaCppChatModel, packaged_gguf_path
from analysis.provenance import ModelInfo, file_sha256, package_license
from analysis.redaction import outbound_redaction_applies

__all__ = [
    "LLM_BACKENDS",
    "LlamaCppChatModel",
    "ModelInfo",
    "make_chat_model",
    "packaged_gguf_path",
]


def make_chat_model(config: Config, *, backend: str | None = None) -> tuple[BaseChatModel, ModelInfo]:
    """The chat model the configuration selects, with the identity stored beside its results."""
    backend = backend or config.chat_backend
    if backend == "llama_cpp":
        return _local(config)
    if backend == "openai":
        return _openai(config)
    raise ConfigError(f"LLM backend must be one of {', '.join(LLM_BACKENDS)}, got {backend!r}")


def _local(config: Config) -> tuple[BaseChatModel, ModelInfo]:
    path = Path(config.llm_model_path).expanduser() if config.llm_model_path else packaged_gguf_path()
    if not path.is_file():
        raise ConfigError(f"llm_model_path does not name a GGUF file: {path}")
    sha = file_sha256(path.resolve())
    packaged = config.llm_model_path is None
    version, license_text = package_license(PACKAGED_LLM_DISTRIBUTION) if packaged else (None, None)
    info = ModelInfo(
        model_id=f"llama_cpp:{path.stem}@{sha[:12]}",
        kind="llm",
        name=path.stem,
        path=str(path),
        sha256=sha,
        license=license_text if packaged else None,
        package=PACKAGED_LLM_DISTRIBUTION if packaged else None,
        package_version=version,
    )
    model = LlamaCppChatModel(
        model_path=str(path),
        n_ctx=config.llm_context_tokens,
        max_tokens=config.llm_max_tokens,
        n_threads=config.llm_threads,
    )
    return model, info


def _openai(config: Config) -> tuple[BaseChatModel, ModelInfo]:
    if not config.llm_base_url or not config.llm_model:
        raise ConfigError("the openai backend needs llm_base_url and llm_model (DOCANALYSIS_LLM_BASE_URL, _LLM_MODEL)")
    from langchain_openai import ChatOpenAI

    host = urlparse(config.llm_base_url).hostname or ""
    hosted = host.endswith(("openai.com", "azure.com"))
    model = ChatOpenAI(
        model=config.llm_model,
        base_url=config.llm_base_url,
        api_key=config.llm_api_key or "not-needed",  # a SecretStr, which ChatOpenAI keeps wrapped
        temperature=0.0,
        max_tokens=config.llm_max_tokens,
        timeout=config.llm_timeout_s,
        max_retries=config.llm_retries,  # the client backs off exponentially between tries
        # langchain-openai sends max_completion_tokens; llama.cpp's server (and older vLLM) read only
        # max_tokens and would otherwise generate without limit.
        extra_body=None if hosted else {"max_tokens": config.llm_max_tokens},
    )
    version, _ = package_license("langchain-openai")
    info = ModelInfo(
        model_id=f"openai:{config.llm_model}",
        kind="llm",
        name=config.llm_model,
        path=config.llm_base_url,
        sha256=None,
        license="unknown (served by the endpoint)",
        package="langchain-openai",
        package_version=version,
    )
    outbound: BaseChatModel = model
    if outbound_redaction_applies(config.redact_outbound, config.llm_base_url):  # identifiers never leave
        from analysis.jobs.llm.redacting import RedactingChatModel
        from analysis.redaction import load_redactor

        outbound = RedactingChatModel(inner=model, redactor=load_redactor())
        info = dataclasses.replace(info, model_id=f"{info.model_id}+redacted")
    return EndpointChatModel(inner=outbound), info
