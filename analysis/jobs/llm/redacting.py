"""A chat model that redacts PHI before a request leaves the machine and restores it in the reply.

``make_chat_model`` wraps an OpenAI-compatible endpoint in it when ``redact_outbound`` says so,
so every caller (summaries, sentiment, whatever comes next) is covered at the one place where
text is sent. Inside ``analysis.redaction.document_scope`` all calls for one document share
its placeholders; outside one, each call has its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from analysis.jobs.llm.wrapper import ChatModelWrapper
from analysis.redaction import Placeholders, Redactor, current_scope


class RedactingChatModel(ChatModelWrapper):
    """``inner`` never sees an identifier the redactor finds; callers get the originals back."""

    redactor: Redactor

    @property
    def _llm_type(self) -> str:
        return f"redacted-{self.inner._llm_type}"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        placeholders = current_scope() or Placeholders()
        safe = redact_messages(self.redactor, messages, placeholders)
        reply = self.inner.invoke(safe, stop=stop, **kwargs)
        content = reply.content
        if isinstance(content, str):
            content = placeholders.restore(content)
        elif isinstance(content, list):
            content = [_map_part(part, placeholders.restore) for part in content]
        return ChatResult(generations=[ChatGeneration(message=reply.model_copy(update={"content": content}))])


def redact_messages(
    redactor: Redactor, messages: Sequence[BaseMessage], placeholders: Placeholders
) -> list[BaseMessage]:
    """Copies of ``messages`` with every text part redacted (one mapping for all of them)."""
    texts: list[str] = []
    for message in messages:
        if isinstance(message.content, str):
            texts.append(message.content)
        else:
            texts += [p if isinstance(p, str) else p["text"] for p in message.content if _has_text(p)]
    redacted = iter(r.text for r in redactor.redact_many(texts, placeholders=placeholders))
    out = []
    for message in messages:
        if isinstance(message.content, str):
            content: Any = next(redacted)
        else:
            content = [_map_part(part, lambda _text: next(redacted)) for part in message.content]
        out.append(message.model_copy(update={"content": content}))
    return out


def _has_text(part: Any) -> bool:
    return isinstance(part, str) or (isinstance(part, dict) and isinstance(part.get("text"), str))


def _map_part(part: Any, change: Any) -> Any:
    if not _has_text(part):
        return part
    return change(part) if isinstance(part, str) else {**part, "text": change(part["text"])}
