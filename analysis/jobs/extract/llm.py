"""The ``llm`` backend: the chat model answers in JSON that a schema constrains, over the
candidate chunks only, and quotes its evidence; the quote is found in the document to give the
offsets, values are normalised as the rules' are, and ``verify_facts`` then refuses what the
quote does not support (counted as ``facts_rejected``).

The schema is enforced where the model is served: a llama.cpp grammar for the local model
(``response_format`` with a JSON schema), an OpenAI-style ``json_schema`` response format for
an endpoint (what LangChain's ``with_structured_output(method="json_schema")`` sends), passed
through the redacting and endpoint wrappers so outbound redaction still applies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs.extract.facts import CLAUSE, DocumentForExtraction, Extraction, Fact, FieldProblem
from analysis.jobs.extract.fields import (
    CLAUSE_FIELDS,
    CLINICAL_FIELDS,
    CONTRACT_FIELDS,
    JUDGMENT_FIELDS,
    OUTCOMES,
    FieldSpec,
    extraction_kind,
    prompt_hash_of,
)
from analysis.jobs.extract.normalize import iso_duration, jurisdiction, parse_date
from analysis.jobs.prompts import load_prompt
from analysis.provenance import ModelInfo
from analysis.records import SourceChunk

VERSION = "1"
PROMPT = "extract_v1"
# One call per group keeps each answer short enough for a small model's output budget.
GROUPS: dict[str, tuple[tuple[FieldSpec, ...], ...]] = {
    "contract": (CONTRACT_FIELDS, CLAUSE_FIELDS[:9], CLAUSE_FIELDS[9:]),
    "judgment": (JUDGMENT_FIELDS,),
    "clinical": (CLINICAL_FIELDS,),
}
CHUNKS_PER_FIELD = 1
MAX_EXCERPT_CHARS = 2400


def answer_schema(fields: Sequence[FieldSpec]) -> dict[str, Any]:
    """The JSON schema of one answer: a list of (field, value, quote)."""
    item = {
        "type": "object",
        "properties": {
            "field": {"type": "string", "enum": [f.name for f in fields]},
            "value": {"type": "string"},
            "quote": {"type": "string"},
        },
        "required": ["field", "value", "quote"],
    }
    return {"type": "object", "properties": {"facts": {"type": "array", "items": item}}, "required": ["facts"]}


class LLMBackend:
    backend = "llm"

    def __init__(self, chat_model: BaseChatModel, info: ModelInfo, embedder: Callable[[], Embedder]) -> None:
        self.chat_model = chat_model
        self.embedder = embedder
        self.prompt = load_prompt(PROMPT)
        self.model_id = info.model_id
        self.prompt_hash = prompt_hash_of(self.prompt.sha256, VERSION)
        self.models = [info]
        self._field_vectors: dict[str, np.ndarray] = {}

    @classmethod
    def from_config(cls, config: Config, embedder: Callable[[], Embedder]) -> LLMBackend:
        from analysis.jobs.llm import make_chat_model

        chat_model, info = make_chat_model(config)
        return cls(chat_model, info, embedder)

    def extractor_for(self, document: DocumentForExtraction) -> tuple[str, str] | None:
        kind = extraction_kind(document)
        return (f"{kind}_llm", VERSION) if kind else None

    def extract(self, document: DocumentForExtraction) -> Extraction:
        kind = extraction_kind(document)
        out = Extraction()
        if kind is None or not document.chunks:
            return out
        for group in GROUPS[kind]:
            answered: set[str] = set()
            failed_before = len(out.problems)
            out.collect(
                ",".join(f.name for f in group) if len(group) < 4 else f"{group[0].name}..{group[-1].name}",
                lambda group=group, answered=answered: self._ask(document, group, answered, out.problems),
            )
            if any(p.kind == "failed" for p in out.problems[failed_before:]):
                continue  # no answer: a clause not named is unknown, not absent
            out.facts.extend(
                Fact(CLAUSE, spec.name, "no", None, None, confidence=0.5)
                for spec in group
                if spec.kind == CLAUSE and spec.name not in answered
            )
        return out

    def _ask(
        self, document: DocumentForExtraction, group: Sequence[FieldSpec], answered: set[str], problems: list
    ) -> list[Fact]:
        chunks = self._candidates(document.chunks, group)
        excerpts = "\n\n".join(c.text for c in chunks)[:MAX_EXCERPT_CHARS]
        fields = "\n".join(f"- {f.name}: {f.description or f.name.replace('_', ' ')}" for f in group)
        message = HumanMessage(self.prompt.render(doc_type=document.doc_type, fields=fields, excerpts=excerpts))
        schema = answer_schema(group)
        reply = self.chat_model.invoke([message], response_format=_response_format(self.chat_model, schema))
        try:
            items = json.loads(str(reply.content), strict=False).get("facts", [])  # a line break in a quote
        except (json.JSONDecodeError, AttributeError) as exc:
            raise ValueError(f"the model's answer is not the JSON asked for: {exc}") from None
        specs = {f.name: f for f in group}
        facts = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or item.get("field") not in specs:
                continue
            spec = specs[item["field"]]
            fact = _to_fact(spec, str(item.get("value", "")), str(item.get("quote", "")), document.text, chunks)
            if isinstance(fact, str):
                problems.append(FieldProblem(spec.name, "rejected", fact))
                continue
            answered.add(spec.name)
            facts.append(fact)
        return facts

    def _candidates(self, chunks: Sequence[SourceChunk], group: Sequence[FieldSpec]) -> list[SourceChunk]:
        """The chunks most like each field, in reading order: similarity to its description, plus
        its name's words in the chunk's section title and text (dense similarity alone misses
        a clause titled exactly so)."""
        missing = [f for f in group if f.name not in self._field_vectors]
        if missing:
            vectors = self.embedder().encode([f.description or f.name.replace("_", " ") for f in missing])
            self._field_vectors.update({f.name: v for f, v in zip(missing, vectors)})
        matrix = np.vstack([c.vector for c in chunks])
        sections = [(c.section or "").casefold() for c in chunks]
        texts = [c.text.casefold() for c in chunks]
        picked: set[int] = {0}  # the opening names the parties, the date and the document
        for spec in group:
            words = [w for w in spec.name.split("_") if len(w) > 2]
            lexical = np.array(
                [
                    0.5 * any(w in section for w in words) + 0.3 * sum(w in body for w in words) / max(1, len(words))
                    for section, body in zip(sections, texts)
                ]
            )
            scores = matrix @ self._field_vectors[spec.name] + lexical
            picked.update(int(i) for i in np.argsort(-scores)[:CHUNKS_PER_FIELD])
        return [chunks[i] for i in sorted(picked)]


def _response_format(chat_model: BaseChatModel, schema: dict[str, Any]) -> dict[str, Any]:
    from analysis.jobs.llm import LlamaCppChatModel

    if isinstance(chat_model, LlamaCppChatModel):
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": "facts", "schema": schema, "strict": False}}


def _to_fact(spec: FieldSpec, value: str, quote: str, text: str, chunks: Sequence[SourceChunk]) -> Fact | str:
    """The answer as a fact with offsets, or why it cannot be one."""
    span = _find(quote, text, chunks)
    if span is None:
        return "the quoted evidence is not in the document"
    start, end = span
    evidence = text[start:end]
    if spec.kind == CLAUSE:
        return Fact(CLAUSE, spec.name, "yes", start, end, confidence=0.6)
    inside = _find(value, evidence, ()) if value else None
    raw = evidence[inside[0] : inside[1]] if inside else evidence
    normalised = _normalise(spec, raw)
    if normalised is None:
        return f"no {spec.value} can be read from the quoted evidence"
    return Fact(spec.kind, spec.name, normalised, start, end, raw=raw, confidence=0.6)


def _normalise(spec: FieldSpec, raw: str) -> str | None:
    if spec.value == "date":
        day = parse_date(raw) or parse_date(raw, day_first=True)
        return day.isoformat() if day else None
    if spec.value == "period":
        return iso_duration(raw)
    if spec.value == "jurisdiction":
        return jurisdiction(raw)
    if spec.value == "outcome":
        low = raw.casefold()
        return next((o for o in OUTCOMES if o in low), None)
    return " ".join(raw.split()) or None


def _find(needle: str, text: str, chunks: Sequence[SourceChunk]) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``text``, ignoring case and runs of whitespace (PDF line breaks)."""
    words = needle.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    for chunk in chunks:  # the excerpts the model saw first
        found = pattern.search(text, chunk.char_start, chunk.char_end)
        if found:
            return found.span()
    found = pattern.search(text)
    return found.span() if found else None
