"""Questions put to ``docanalysis ask`` and their answers, sentence by sentence with the pages that
back them, so compliance can see what was asked, what was answered and from which pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from analysis.records import AnswerSentence
from analysis.store.engine import Repository
from analysis.store.schema import AnswerRow, AnswerSentenceRow, QuestionRow
from analysis.store.shared import now, storable


class Answers(Repository):
    """Writes and reads of ``questions``, ``answers`` and ``answer_sentences``."""

    def save_question(
        self,
        text: str,
        *,
        filters: dict[str, Any],
        k: int,
        requested_by: str | None,
        embedding_model_id: str,
        index_version: int,
    ) -> int:
        """Keep a question (``filters`` JSON-ready: dates as ISO strings); returns its id."""
        with self._session() as s, s.begin():
            row = QuestionRow(
                text=storable(text),
                filters=filters,
                k=k,
                requested_by=requested_by,
                embedding_model_id=embedding_model_id,
                index_version=index_version,
                created_at=now(),
            )
            s.add(row)
            s.flush()
            return row.id

    def save_answer(
        self,
        question_id: int,
        *,
        backend: str,
        model_id: str,
        prompt_hash: str,
        sentences: list[AnswerSentence],
        groundedness: float,
        latency_s: float,
    ) -> int:
        """Keep an answer and one row per sentence in one transaction; returns the answer id.

        The answer's model must be in ``models`` already (``record_model``).
        """
        with self._session() as s, s.begin():
            answer = AnswerRow(
                question_id=question_id,
                backend=backend,
                model_id=model_id,
                prompt_hash=prompt_hash,
                text=storable(" ".join(sentence.text for sentence in sentences)),
                groundedness=groundedness,
                n_unsupported=sum(not sentence.supported for sentence in sentences),
                latency_s=latency_s,
                created_at=now(),
            )
            s.add(answer)
            s.flush()
            s.add_all(
                AnswerSentenceRow(
                    answer_id=answer.id,
                    sentence_index=index,
                    sentence=storable(sentence.text),
                    supported=sentence.supported,
                    similarity=sentence.similarity,
                    chunk_id=sentence.chunk_id,
                    document_id=sentence.document_id,
                    page=sentence.page,
                    char_start=sentence.char_start,
                    char_end=sentence.char_end,
                )
                for index, sentence in enumerate(sentences)
            )
            return answer.id

    def answer_sentence_rows(self, answer_id: int) -> list[AnswerSentenceRow]:
        with self._session() as s:
            return list(
                s.scalars(
                    select(AnswerSentenceRow)
                    .where(AnswerSentenceRow.answer_id == answer_id)
                    .order_by(AnswerSentenceRow.sentence_index)
                )
            )
