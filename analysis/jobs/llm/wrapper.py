"""A chat model that hands every request to another one, changing it on the way (the base of the
redacting and the endpoint wrappers)."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from pydantic import ConfigDict


class ChatModelWrapper(BaseChatModel):
    """Forwards to ``inner``; a subclass's ``_generate`` says what changes."""

    inner: BaseChatModel

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @property
    def _llm_type(self) -> str:
        return self.inner._llm_type

    @property
    def model_name(self) -> str | None:
        return getattr(self.inner, "model_name", None)
