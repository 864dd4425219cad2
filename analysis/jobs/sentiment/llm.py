"""Sentiment from a chat model, constrained to the three labels.

The prompt lives in a versioned file (``prompt_v1.txt``) and its sha256 is the scorer's
``prompt_hash``, so a stored result names the exact wording that produced it. Small local
models (SmolLM2-135M) do not always obey "one word", so the reply is parsed leniently:
the first label word anywhere in it wins; a reply with none becomes "neutral" with
confidence 0, which downstream can tell apart from a real "neutral".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from analysis.jobs.sentiment.results import LABELS, SentimentResult

DEFAULT_PROMPT_PATH = Path(__file__).with_name("prompt_v1.txt")
_LABEL_WORD = re.compile(r"\b(negative|neutral|positive)\b", re.IGNORECASE)
_POLARITY = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}


def parse_label(reply: str) -> SentimentResult:
    """The first label word in ``reply``; confidence 1 when it names one label only, 0.5 when several, 0 when none."""
    found = [m.group(1).lower() for m in _LABEL_WORD.finditer(reply)]
    if not found:
        return SentimentResult(label="neutral", score=0.0, confidence=0.0)
    label = found[0]
    confidence = 1.0 if len(set(found)) == 1 else 0.5
    return SentimentResult(label=label, score=_POLARITY[label] * confidence, confidence=confidence)


def _reply_text(message: Any) -> str:
    """A chat reply's text, whether its content is a string or a list of content parts."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)
    return str(content)


def describe_chat_model(chat_model: BaseChatModel) -> str:
    """A readable identity for a chat model when the caller gives none: its file stem or model name."""
    path = getattr(chat_model, "model_path", None)
    if path:
        return f"{chat_model._llm_type}:{Path(str(path)).stem}"
    name = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None)
    return f"{chat_model._llm_type}:{name}" if name else chat_model._llm_type


class LLMScorer:
    """One chat call per text, batched with ``max_concurrency``; the reply is cut to one label.

    ``model_id`` should be the identity ``analysis.jobs.llm.make_chat_model`` returns with the
    model (it includes the weights' hash); without it a name is derived from the model.
    """

    backend = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        model_id: str | None = None,
        prompt_path: Path = DEFAULT_PROMPT_PATH,
        max_concurrency: int = 4,
        max_tokens: int | None = 8,
        max_chars: int = 2000,
    ) -> None:
        if not isinstance(chat_model, BaseChatModel):
            raise TypeError(f"the llm backend needs a LangChain BaseChatModel, got {type(chat_model).__name__}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency}")
        raw = Path(prompt_path).read_bytes()
        self.template = raw.decode("utf-8")
        if "{text}" not in self.template:
            raise ValueError(f"prompt {prompt_path} has no {{text}} placeholder")
        self.prompt_hash = hashlib.sha256(raw).hexdigest()
        self.chat_model = chat_model
        self.model_id = model_id or describe_chat_model(chat_model)
        self.max_concurrency = max_concurrency
        self.max_tokens = max_tokens
        self.max_chars = max_chars

    def prompt(self, text: str) -> str:
        """The filled prompt; long texts are cut so a small model's context holds prompt and reply."""
        return self.template.replace("{text}", text[: self.max_chars].strip())

    def score(self, texts: Sequence[str], *, vectors: np.ndarray | None = None) -> list[SentimentResult]:
        """Label each text with the chat model; ``vectors`` is accepted for the common interface and ignored."""
        if len(texts) == 0:
            return []
        runnable: Any = self.chat_model
        if self.max_tokens is not None:
            runnable = self.chat_model.bind(max_tokens=self.max_tokens)  # one word needs a few tokens only
        replies = runnable.batch(
            [[HumanMessage(content=self.prompt(t))] for t in texts], config={"max_concurrency": self.max_concurrency}
        )
        return [parse_label(_reply_text(reply)) for reply in replies]


__all__ = ["DEFAULT_PROMPT_PATH", "LABELS", "LLMScorer", "parse_label"]
