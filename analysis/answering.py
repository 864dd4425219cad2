"""Questions answered from the indexed documents, every sentence grounded and cited with its page.

``ask`` retrieves with ``search_chunks`` (the same filters), then answers in one of two ways:

- ``extractive`` (the default when no LLM is configured): the source sentences of the retrieved
  chunks that best answer the question, quoted, each cited with the page that holds it;
- ``llm``: the configured chat model (``llm_backend``) reads the numbered chunks and answers briefly.

Either way every sentence goes through the summaries' grounding check against the retrieved chunks
and is cited ``[p. N]`` with the page of its best-matching source sentence, or marked unsupported.
The question, the answer and each sentence with its page are stored (view ``answer_citations``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from analysis.answer_ranking import DOCUMENT_MATCH_WEIGHT, name_match, question_terms, rank_sentences
from analysis.config import Config
from analysis.embed import Embedder, load_embedder_for
from analysis.errors import ConfigError, IndexStateError
from analysis.index import IndexStore
from analysis.jobs.summarize.grounding import facts_in, ground_sentences
from analysis.provenance import ModelInfo
from analysis.records import Answer, AnswerSentence, SearchHit, SourceChunk, page_at
from analysis.search import search_chunks
from analysis.sentences import sentence_spans
from analysis.store import open_store

AnswerBackend = Literal["auto", "extractive", "llm"]
ANSWER_BACKENDS = get_args(AnswerBackend)
MAX_QUESTION_CHARS = 2000
MAX_K = 50
EXTRACTIVE_VERSION = "ask-extractive-v1"
_INNER_DOCUMENTS = 2  # documents searched again for what the question asks
FACT_MATCH_WEIGHT = 0.5  # an LLM sentence is backed by the source sentence that holds its facts
PROMPT_NAME = "ask_v1"


@dataclass(frozen=True)
class _Candidate:
    """A sentence of a retrieved chunk, placed in its document."""

    text: str
    hit: SearchHit
    start: int  # offsets into the document's text
    end: int


def ask(
    question: str,
    *,
    k: int = 5,
    domain: str | None = None,
    document: str | int | None = None,
    doc_type: str | None = None,
    section: str | None = None,
    since: dt.date | None = None,
    per_document: int | None = None,
    backend: AnswerBackend = "auto",
    sentences: int = 3,
    save: bool = True,
    requested_by: str | None = None,
    config: Config | None = None,
    embedder: Embedder | None = None,
) -> Answer:
    """Answer ``question`` from the ``k`` chunks that ``search_chunks`` retrieves with these filters.

    ``backend``: ``extractive`` quotes the best-matching source sentences (up to ``sentences``);
    ``llm`` asks the configured chat model; ``auto`` is ``llm`` when summaries use an LLM
    (``choose_summary_backend``), else ``extractive``. With ``save`` (the default) the question, the
    answer and its cited sentences are stored (view ``answer_citations``).
    """
    question = _validated(question, k=k, sentences=sentences, backend=backend)
    config = config or Config.load()
    index_version = IndexStore.from_config(config).current_version()
    if index_version == 0:
        raise IndexStateError(f"no index under {config.index_location}: run `docanalysis run PATH` first")
    filters = {
        name: value
        for name, value in (
            ("document", document),
            ("doc_type", doc_type),
            ("section", section),
            ("since", since),
            ("per_document", per_document),
        )
        if value is not None
    }
    embedder = embedder or load_embedder_for(config)
    started = time.perf_counter()
    hits = _retrieve(question, k=k, domain=domain, filters=filters, config=config, embedder=embedder)
    chosen = _backend(backend, config)
    model: ModelInfo | None = None
    prompt_hash = ""
    if not hits:
        answer = Answer(question, chosen, "", [], [], 0.0, reason=_nothing_retrieved(domain, filters))
    elif chosen == "extractive":
        model = _extractive_model(embedder)
        answer = _extractive(question, hits, embedder, config, sentences, model.model_id)
    else:
        answer, model, prompt_hash = _generated(question, hits, embedder, config, sentences)
    if not save:
        return answer
    stored = {"domain": domain, **filters} if domain else dict(filters)
    return _save(
        answer,
        filters={name: value.isoformat() if isinstance(value, dt.date) else value for name, value in stored.items()},
        k=k,
        requested_by=requested_by,
        embedding_model_id=embedder.model_id,
        index_version=index_version,
        model=model,
        prompt_hash=prompt_hash,
        latency_s=time.perf_counter() - started,
        config=config,
    )


def _validated(question: str, *, k: int, sentences: int, backend: str) -> str:
    """The question, stripped; every bad argument refused with what is valid."""
    text = question.strip()
    if not text:
        raise ConfigError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise ConfigError(f"the question is {len(text):,} characters long; at most {MAX_QUESTION_CHARS:,} are allowed")
    if not 1 <= k <= MAX_K:
        raise ConfigError(f"k must be between 1 and {MAX_K}, got {k}")
    if sentences < 1:
        raise ConfigError(f"sentences must be at least 1, got {sentences}")
    if backend not in ANSWER_BACKENDS:
        raise ConfigError(f"backend must be one of {', '.join(ANSWER_BACKENDS)}, got {backend!r}")
    return text


def _backend(backend: str, config: Config) -> str:
    if backend == "auto":
        from analysis.jobs.summarize.choice import choose_summary_backend

        return choose_summary_backend(config).backend
    return config.chat_backend if backend == "llm" else "extractive"


def _retrieve(
    question: str, *, k: int, domain: str | None, filters: dict[str, Any], config: Config, embedder: Embedder
) -> list[SearchHit]:
    """The ``k`` chunks closest to the question, then, inside the documents they come from, the chunks
    closest to what it asks without the names that chose those documents (a party's name pulls the
    contract's first page; its governing-law clause is further in). The matched chunks themselves,
    not search's widened passages (``context=0``): sentences are cited one by one, and a short
    prompt leaves the model room (benchmarks/README.md, "Questions answered with citations")."""
    hits = search_chunks(question, k=k, domain=domain, context=0, config=config, embedder=embedder, **filters)
    terms = question_terms(question)
    if not hits or not terms.names or terms.topic_text == question:
        return hits
    documents = list(dict.fromkeys(hit.document_id for hit in hits))
    within = {key: value for key, value in filters.items() if key != "document"}
    inner = [
        hit
        for document_id in documents[:_INNER_DOCUMENTS]
        for hit in search_chunks(
            terms.topic_text,
            k=k,
            domain=domain,
            context=0,
            config=config,
            embedder=embedder,
            **within,
            document=document_id,
        )
    ]
    seen = {hit.chunk_id for hit in hits}
    extra = [hit for hit in inner if hit.document_id in documents[:_INNER_DOCUMENTS] and hit.chunk_id not in seen]
    extra = list({hit.chunk_id: hit for hit in extra}.values())[:k]
    return [*hits, *(dataclasses.replace(hit, rank=len(hits) + i) for i, hit in enumerate(extra, start=1))]


def _nothing_retrieved(domain: str | None, filters: dict[str, Any]) -> str:
    named = {"domain": domain, **filters} if domain else filters
    if not named:
        return "no answer: the index returned no chunk for this question"
    described = ", ".join(f"{name} {value}" for name, value in named.items())
    return f"no answer: no indexed chunk matches the filters ({described})"


# --------------------------------------------------------------------------- extractive


def _extractive(
    question: str, hits: list[SearchHit], embedder: Embedder, config: Config, count: int, model_id: str
) -> Answer:
    """The source sentences that best answer the question, best first, each grounded and cited."""
    candidates = _candidates(hits)
    if not candidates:
        return Answer(question, "extractive", model_id, [], hits, 0.0, reason="no answer: the chunks hold no sentence")
    terms = question_terms(question)
    vectors = embedder.encode([terms.topic_text, *(c.text for c in candidates)])
    matches = _document_matches(question, hits)
    scores = rank_sentences(
        terms,
        [c.text for c in candidates],
        vectors[1:],
        vectors[0],
        [matches[c.hit.document_id] for c in candidates],
        [c.hit.rank for c in candidates],
    )
    picked: list[int] = []
    for index in np.argsort(-scores, kind="stable"):
        if len(picked) == count:
            break
        if all(float(vectors[1 + index] @ vectors[1 + j]) < 0.95 for j in picked):  # no near-repeats
            picked.append(int(index))
    said = [candidates[i].text for i in picked]
    said_vectors = vectors[[1 + i for i in picked]]
    backing = [candidates[i] for i in picked]
    return _grounded(question, "extractive", model_id, said, said_vectors, hits, backing, config, embedder)


def _candidates(hits: list[SearchHit]) -> list[_Candidate]:
    """Each sentence of the retrieved chunks once (chunks overlap), with its place in its document."""
    seen: dict[tuple[int, int, int], _Candidate] = {}
    for hit in hits:
        for a, b in _whole_sentences(hit.text):
            text = " ".join(hit.text[a:b].split())
            if len(text.split()) < 3:
                continue  # a heading or a list stub answers nothing
            key = (hit.document_id, hit.char_start + a, hit.char_start + b)
            seen.setdefault(key, _Candidate(text, hit, hit.char_start + a, hit.char_start + b))
    return list(seen.values())


# a span that ends like this did not end a sentence: an abbreviation ("Rev.", "Inc.", "v.", "C.") or a
# list number after a heading ("IMPRESSION: 1.")
_UNFINISHED = re.compile(
    r"(?:\b(?:Rev|Stat|Stats|Inc|Co|Corp|Ltd|Dr|Mr|Mrs|Ms|St|Ave|No|Nos|Art|Sec|Ct|App|Supp|Cir|v|vs|cf|[A-Z])\."
    r"|:\s*\d{1,2}[.)]|§)$"
)


def _whole_sentences(text: str) -> list[tuple[int, int]]:
    """``sentence_spans`` with a span joined to the next where it stopped at an abbreviation or a list
    number (the splitter, shared with chunking, breaks "Utah Rev. Stat. § 18-889" after "Rev.")."""
    joined: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        if joined and _UNFINISHED.search(text[joined[-1][0] : joined[-1][1]]) and "\n\n" not in text[joined[-1][1] : a]:
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return joined


def _extractive_model(embedder: Embedder) -> ModelInfo:
    return ModelInfo.of_project(version=EXTRACTIVE_VERSION, kind="answerer", embedding_model_id=embedder.model_id)


# --------------------------------------------------------------------------- LLM

_CITATION = re.compile(r"\s*\[(?:excerpt\s*)?\d+(?:\s*[,;-]\s*\d+)*\]", re.IGNORECASE)


def _generated(
    question: str, hits: list[SearchHit], embedder: Embedder, config: Config, count: int
) -> tuple[Answer, ModelInfo, str]:
    """The chat model's answer from the numbered chunks, split into sentences, grounded and cited."""
    from langchain_core.messages import HumanMessage

    from analysis.jobs.llm import LlamaCppChatModel, make_chat_model
    from analysis.jobs.prompts import load_prompt
    from analysis.jobs.summarize.llm import clean_reply

    chat_model, info = make_chat_model(config)
    prompt = load_prompt(PROMPT_NAME)
    shown = list(hits)
    while True:
        excerpts = "\n\n".join(f"[{i}] {' '.join(hit.text.split())}" for i, hit in enumerate(shown, start=1))
        text = prompt.render(max_sentences=count, excerpts=excerpts, question=question)
        budget = config.llm_context_tokens - config.llm_max_tokens - 32
        if (
            len(shown) <= 1
            or not isinstance(chat_model, LlamaCppChatModel)
            or chat_model.get_num_tokens(text) <= budget
        ):
            break
        shown = shown[:-1]  # the local model's own tokenizer says it will not fit: drop the last chunk
    reply = chat_model.invoke([HumanMessage(text)])
    cleaned = _CITATION.sub("", clean_reply(reply.content))
    said = _answer_sentences(cleaned)
    candidates = _candidates(hits)
    backend = _backend("llm", config)
    if not said:
        empty = Answer(
            question, backend, info.model_id, [], hits, 0.0, reason="no answer: the model replied with nothing"
        )
        return empty, info, prompt.sha256
    if not candidates:
        empty = Answer(question, backend, info.model_id, [], hits, 0.0, reason="no answer: the chunks hold no sentence")
        return empty, info, prompt.sha256
    vectors = embedder.encode([*said, *(c.text for c in candidates)])
    said_vectors, candidate_vectors = vectors[: len(said)], vectors[len(said) :]
    # the source sentence closest to each of the model's, in the document that matches the question's names
    # and holding the numbers, dates and names the model's sentence states
    matches = _document_matches(question, hits)
    bonus = np.array([DOCUMENT_MATCH_WEIGHT * matches[c.hit.document_id] for c in candidates])
    backing = []
    for sentence, vector in zip(said, said_vectors):
        facts = [fact.lower() for fact in facts_in(sentence) if fact.lower() not in question.lower()]  # what is new
        held = np.array([sum(f in c.text.lower() for f in facts) / len(facts) if facts else 0.0 for c in candidates])
        backing.append(candidates[int(np.argmax(candidate_vectors @ vector + bonus + FACT_MATCH_WEIGHT * held))])
    answer = _grounded(question, backend, info.model_id, said, said_vectors, hits, backing, config, embedder)
    return answer, info, prompt.sha256


# --------------------------------------------------------------------------- grounding and citing


def _grounded(
    question: str,
    backend: str,
    model_id: str,
    said: list[str],
    said_vectors: np.ndarray,
    hits: list[SearchHit],
    backing: list[_Candidate],
    config: Config,
    embedder: Embedder,
) -> Answer:
    """Each sentence through the grounding check against the retrieved chunks, cited with the page
    of the source sentence that backs it (``backing``, one per sentence)."""
    chunk_vectors = embedder.encode([hit.text for hit in hits])
    chunks = [
        SourceChunk(
            id=hit.chunk_id,
            ordinal=hit.rank,
            text=hit.text,
            page_start=hit.page_start,
            page_end=hit.page_end,
            section=hit.section,
            n_tokens=0,
            vector=vector,
            char_start=hit.char_start,
            char_end=hit.char_end,
        )
        for hit, vector in zip(hits, chunk_vectors)
    ]
    result = ground_sentences(
        said,
        chunks,
        said_vectors,
        source_text="\n\n".join(hit.text for hit in hits),
        threshold=config.grounding_threshold,
    )
    pages = _page_spans(config, {source.hit.document_id for source in backing})
    cited = [
        AnswerSentence(
            text=grounded.text,
            supported=grounded.supported,
            similarity=grounded.similarity,
            chunk_id=source.hit.chunk_id,
            document_id=source.hit.document_id,
            source_path=source.hit.source_path,
            page=page_at(pages[source.hit.document_id], source.start),
            char_start=source.start,
            char_end=source.end,
        )
        for grounded, source in zip(result.sentences, backing)
    ]
    return Answer(question, backend, model_id, cited, hits, result.groundedness)


def _answer_sentences(reply: str) -> list[str]:
    """A reply's sentences (not cut at "v." or "Rev."), list markers stripped; short bits left out."""
    said = [
        re.sub(r"^(?:[-*\u2022]|\d+[.)])\s+", "", " ".join(reply[a:b].split())).strip()
        for a, b in _whole_sentences(reply)
    ]
    kept = [sentence for sentence in said if len(sentence.split()) >= 3]
    whole = " ".join(reply.split())
    return kept or ([whole] if whole else [])


def _document_matches(question: str, hits: list[SearchHit]) -> dict[int, float]:
    """How well each retrieved document's chunks match the names in the question."""
    terms = question_terms(question)
    retrieved: dict[int, str] = {}
    for hit in hits:
        retrieved[hit.document_id] = retrieved.get(hit.document_id, "") + "\n" + hit.text
    return {document_id: name_match(terms, text) for document_id, text in retrieved.items()}


def _page_spans(config: Config, document_ids: set[int]) -> dict[int, list[tuple[int, int, int]]]:
    """(page, char_start, char_end) of each page of each document, from the store."""
    store = open_store(config)
    try:
        return {document_id: store.page_spans(document_id) for document_id in document_ids}
    finally:
        store.close()


# --------------------------------------------------------------------------- storage


def _save(
    answer: Answer,
    *,
    filters: dict[str, Any],
    k: int,
    requested_by: str | None,
    embedding_model_id: str,
    index_version: int,
    model: ModelInfo | None,
    prompt_hash: str,
    latency_s: float,
    config: Config,
) -> Answer:
    store = open_store(config)
    try:
        question_id = store.save_question(
            answer.question,
            filters=filters,
            k=k,
            requested_by=requested_by,
            embedding_model_id=embedding_model_id,
            index_version=index_version,
        )
        answer_id = None
        if model is not None and answer.sentences:
            store.record_model(model)
            answer_id = store.save_answer(
                question_id,
                backend=answer.backend,
                model_id=model.model_id,
                prompt_hash=prompt_hash,
                sentences=answer.sentences,
                groundedness=answer.groundedness,
                latency_s=latency_s,
            )
    finally:
        store.close()
    return dataclasses.replace(answer, question_id=question_id, answer_id=answer_id)
