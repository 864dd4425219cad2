"""A chat model over a remote endpoint that says plainly when the endpoint itself is down.

The client (langchain-openai over the openai package) already retries with backoff; when
its retries are spent it raises one of many types, sometimes wrapped by LangChain. This
wrapper turns exactly those into ``LLMUnavailableError`` at the one place requests leave,
so a job tells "the server is down, try later" from "this document broke the model call".
"""

from __future__ import annotations

import sys
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from analysis.errors import LLMUnavailableError, first_line
from analysis.jobs.llm.wrapper import ChatModelWrapper


class EndpointChatModel(ChatModelWrapper):
    """``inner`` with its endpoint failures (down, overloaded, too slow) raised as ``LLMUnavailableError``."""

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        try:
            reply = self.inner.invoke(messages, stop=stop, **kwargs)
        except Exception as exc:
            if _endpoint_failure(exc):
                raise LLMUnavailableError(first_line(exc)) from exc
            raise
        return ChatResult(generations=[ChatGeneration(message=reply)])


def _endpoint_failure(exc: BaseException) -> bool:
    """The server failed (connection, timeout, rate limit, 5xx), not the request: LangChain's
    retryable model errors, or the openai client's own when LangChain passes them through."""
    from langchain_core.exceptions import ModelAPIError, ModelConnectionError, ModelRateLimitError, ModelTimeoutError

    failures: tuple[type[BaseException], ...] = (
        ModelAPIError,
        ModelConnectionError,
        ModelRateLimitError,
        ModelTimeoutError,
    )
    if "openai" in sys.modules:
        import openai

        failures += (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)
    return isinstance(exc, failures) or isinstance(exc.__cause__, failures)
