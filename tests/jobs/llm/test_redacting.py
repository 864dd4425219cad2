"""Outbound redaction end to end: a real HTTP server plays the OpenAI-compatible endpoint and
records every request body; a real pipeline run with LLM summaries and sentiment talks to it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_endpoint import chat_endpoint, prompt_of
from sqlalchemy import select

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs.llm import make_chat_model
from analysis.jobs.llm.redacting import RedactingChatModel
from analysis.pipeline import run_pipeline
from analysis.samples.phi import labelled_notes
from analysis.store import Store
from analysis.store.schema import SummaryRow

_PLACEHOLDER = re.compile(r"<PERSON_\d+>")


def _answer(body: dict) -> tuple[int, str]:
    """A summary reply names the first person placeholder it was sent."""
    prompt = prompt_of(body)
    names = _PLACEHOLDER.findall(prompt)
    return 200, "neutral" if "sentiment" in prompt.lower() else f"The patient {names[0] if names else ''} was seen."


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[dict]]]:
    with chat_endpoint(_answer) as served:
        yield served


@pytest.mark.slow
def test_loopback_endpoints_are_not_wrapped_unless_asked() -> None:
    local = Config(llm_backend="openai", llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    model, info = make_chat_model(local)
    assert not isinstance(model.inner, RedactingChatModel) and info.model_id == "openai:m"
    remote = Config(llm_backend="openai", llm_base_url="http://vllm.internal:8000/v1", llm_model="m")
    model, info = make_chat_model(remote)
    assert isinstance(model.inner, RedactingChatModel) and info.model_id == "openai:m+redacted"


def test_no_labelled_identifier_reaches_the_endpoint(
    endpoint: tuple[str, list[dict]], tmp_path: Path, embedder: Embedder
) -> None:
    base_url, bodies = endpoint
    notes = labelled_notes(3, seed=0)
    src = tmp_path / "notes"
    src.mkdir()
    for note in notes:
        (src / f"note-{note.seed}.txt").write_text(note.text, encoding="utf-8")
    config = Config(
        home=tmp_path / "home",
        batch_size=32,
        llm_backend="openai",
        llm_base_url=base_url,
        llm_model="fake",
        redact_outbound="always",
        summary_backend="llm",
        summary_strategy="map_reduce",
        summary_input_tokens=128,  # several requests per document: placeholders must agree across them
        sentiment_backend="llm",
    )
    report = run_pipeline([src], config=config, embedder=embedder)
    assert report.counts["summaries_written"] == 3 and bodies

    sent = "\n".join(m["content"] for body in bodies for m in body["messages"])
    assert "<PERSON_1>" in sent and "<PHONE_" in sent
    for note in notes:
        for ident in note.identifiers:
            assert ident.text not in sent, f"{ident.type} {ident.text!r} reached the endpoint"

    store = Store(config.database_url)
    try:
        with store.session() as s:
            summaries = list(s.scalars(select(SummaryRow)))
    finally:
        store.close()
    assert all(s.model_id == "openai:fake+redacted" for s in summaries)
    restored = " ".join(s.text for s in summaries)
    assert "<PERSON_" not in restored, "the endpoint's placeholders are put back before storing"
    names = {i.text.lower() for n in notes for i in n.identifiers if i.type == "PERSON"}
    assert any(name in restored.lower() for name in names), restored
