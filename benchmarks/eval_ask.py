"""Questions answered with citations (``analysis.ask``) on the generated sample corpus.

    PYTHONPATH=. .venv/bin/python benchmarks/eval_ask.py [--paths extractive,llm] [--k 5]
        [--out benchmarks/results/eval_ask.json]

Twenty questions written as a user would ask them about the demo corpus (`docanalysis samples`:
every kind once as PDF and once as text), each with the words that answer it, taken from the
generator's truth (``SampleDocument.truth``: governing law, parties, dates, terms, courts, statutes,
medications and doses, allergies, findings) and checked to occur in the named document. The corpus
goes through the real pipeline (``run_pipeline``: parse, chunk, embed, index; no jobs) into a
temporary home; each question is then asked with the extractive path and with the local LLM path
(SmolLM2-135M through llama.cpp), and an answer counts when one of its sentences comes from the named
document, states the answer's key fact (for example "Tennessee", "75 mg", "penicillin"), is supported
by the grounding check and cites a page that holds the answer words. s/question is the wall clock of
``ask`` (retrieval, answer, grounding, storage).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from analysis import Answer, ask
from analysis.config import Config
from analysis.embed import load_embedder
from analysis.pipeline import run_pipeline
from analysis.samples import corpus_documents, generate_corpus
from analysis.store import open_store
from analysis.store.schema import DocumentRow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import save  # noqa: E402

PATHS = ("extractive", "llm")


@dataclass(frozen=True)
class Question:
    """A question, the generated file whose text answers it, the words of the answer as the document
    writes them (where they are is the page to cite), and the key fact an answer must state."""

    text: str
    file: str
    answer: str  # case and spacing aside, as the document writes it
    key: tuple[str, ...]  # any of these, case aside: the fact itself, as a quote or a paraphrase may say it


# The answers are the generator's truth for the demo corpus (seed 0), as the documents write them;
# main() checks that each occurs in its file before asking anything.
QUESTIONS = (
    Question(
        "Which state's law governs the services agreement between Tidewell Manufacturing and Halcyon Freight?",
        "legal-services_agreement-0000.pdf",
        "laws of the State of Tennessee",
        ("Tennessee",),
    ),
    Question(
        "How long is the initial term of the Tidewell Manufacturing services agreement?",
        "legal-services_agreement-0000.pdf",
        "initial term of two (2) years",
        ("two (2) years", "2 years", "two years"),
    ),
    Question(
        "How much notice does Wildrose Software need to give to stop the agreement from renewing?",
        "legal-services_agreement-0001.txt",
        "at least ninety (90) days",
        ("ninety (90) days", "90 days", "ninety days"),
    ),
    Question(
        "What law governs the Wildrose Software and Greystone Consulting agreement?",
        "legal-services_agreement-0001.txt",
        "laws of the State of Wisconsin",
        ("Wisconsin",),
    ),
    Question(
        "What law governs the NDA between Brightwater Retail Group and Halcyon Robotics Group?",
        "legal-nda-0002.pdf",
        "laws of the State of New York",
        ("New York",),
    ),
    Question(
        "When did the non-disclosure agreement between Palisade Biosciences and Ironwood Logistics take effect?",
        "legal-nda-0003.txt",
        "March 12, 2020",
        ("March 12, 2020",),
    ),
    Question(
        "Which state's law applies to the lease of 4608 Maple Avenue in Provo?",
        "legal-lease-0004.pdf",
        "laws of the State of Utah",
        ("Utah",),
    ),
    Question(
        "When does the term of the lease at 4608 Maple Avenue begin?",
        "legal-lease-0004.pdf",
        "September 4, 2026",
        ("September 4, 2026",),
    ),
    Question(
        "Who is the landlord of 930 Maple Parkway in Denver?",
        "legal-lease-0005.txt",
        "Silverpine Hospitality Holdings, Inc.",
        ("Silverpine Hospitality",),
    ),
    Question(
        "Which law governs the Denver lease between Silverpine Hospitality and Wildrose Consulting?",
        "legal-lease-0005.txt",
        "laws of the State of Colorado",
        ("Colorado",),
    ),
    Question(
        "Which court decided the appeal of Jolene Pemberton against Lakeshore Markets?",
        "legal-court_opinion-0006.pdf",
        "Court of Appeals of the State of Massachusetts",
        ("Massachusetts",),
    ),
    Question(
        "When was the opinion in Pemberton v. Lakeshore filed?",
        "legal-court_opinion-0006.pdf",
        "Filed May 30, 2023",
        ("May 30, 2023",),
    ),
    Question(
        "Under which statute does the court have jurisdiction in Ingersoll v. Bluegate Markets?",
        "legal-court_opinion-0007.txt",
        "Utah Rev. Stat. § 18-889",
        ("18-889",),
    ),
    Question(
        "What dose of clopidogrel was Vernon Rasmussen discharged on?",
        "medical-discharge_summary-0008.pdf",
        "clopidogrel 75 mg",
        ("75 mg",),
    ),
    Question(
        "How much atorvastatin should Vernon Rasmussen take after his stroke?",
        "medical-discharge_summary-0008.pdf",
        "atorvastatin 80 mg",
        ("80 mg",),
    ),
    Question(
        "What prednisone dose was Vernon Mcallister given for his COPD exacerbation?",
        "medical-discharge_summary-0009.txt",
        "prednisone 40 mg",
        ("40 mg",),
    ),
    Question(
        "What is Rhonda Szabo allergic to?",
        "medical-progress_note-0010.pdf",
        "Penicillin (rash)",
        ("penicillin",),
    ),
    Question(
        "Does Antoinette Albright have any drug allergies?",
        "medical-progress_note-0011.txt",
        "No known drug allergies",
        ("no known drug allergies",),
    ),
    Question(
        "What did the leg ultrasound of Svetlana Benavides show?",
        "medical-radiology_report-0012.pdf",
        "deep vein thrombosis of the left popliteal vein",
        ("deep vein thrombosis",),
    ),
    Question(
        "What did Rhonda Tremblay's chest radiograph show in the pleura?",
        "medical-radiology_report-0013.txt",
        "small pleural effusion",
        ("pleural effusion",),
    ),
)


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def answer_pages(config: Config, path: Path, answer: str) -> tuple[int, set[int]]:
    """The stored document of ``path`` and the pages whose text holds ``answer``."""
    store = open_store(config)
    try:
        (document_id,) = store.document_ids_at([str(path.resolve())])
        spans = store.page_spans(document_id)
        with store.session() as s:
            text = s.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id)) or ""
    finally:
        store.close()
    pages = {number for number, start, end in spans if _flat(answer) in _flat(text[start:end])}
    if not pages:
        raise SystemExit(f"the answer {answer!r} is on no page of {path.name}: fix the question table")
    return document_id, pages


def judged(answer: Answer, document_id: int, pages: set[int], key: tuple[str, ...]) -> dict[str, Any]:
    """Whether a supported sentence from the right document states the key fact and cites a page that
    holds the answer."""
    holding = [
        s for s in answer.sentences if s.document_id == document_id and any(_flat(k) in _flat(s.text) for k in key)
    ]
    cited = [s for s in holding if s.supported and s.page in pages]
    return {
        "correct": bool(cited),
        "holds_answer": bool(holding),
        "cited_pages": [s.page if s.supported else None for s in answer.sentences],
        "answer_pages": sorted(pages),
        "groundedness": answer.groundedness,
        "answer": [f"{s.text} {s.citation}" for s in answer.sentences] or [answer.reason],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paths", default=",".join(PATHS), help="comma list of extractive, llm")
    parser.add_argument("--k", type=int, default=5, help="chunks retrieved per question")
    parser.add_argument("--out", default="eval_ask.json", help="file name under benchmarks/results/")
    args = parser.parse_args()
    paths = [p for p in args.paths.split(",") if p]
    embedder = load_embedder(batch_size=32)
    with tempfile.TemporaryDirectory(prefix="eval-ask-") as tmp:
        corpus = Path(tmp) / "corpus"
        generate_corpus(corpus)
        truth = {name: doc for name, doc in corpus_documents()}
        config = Config(home=Path(tmp) / "home", jobs="", batch_size=32)
        started = time.perf_counter()
        run_pipeline([corpus], config=config, embedder=embedder)
        print(f"pipeline on {len(truth)} generated documents: {time.perf_counter() - started:.1f} s")
        targets = [answer_pages(config, corpus / q.file, q.answer) for q in QUESTIONS]
        results: dict[str, Any] = {"k": args.k, "machine": platform.processor() or platform.machine(), "paths": {}}
        for path in paths:
            rows, seconds = [], []
            for question, (document_id, pages) in zip(QUESTIONS, targets):
                start = time.perf_counter()
                answer = ask(question.text, k=args.k, backend=path, config=config, embedder=embedder)  # type: ignore[arg-type]
                seconds.append(time.perf_counter() - start)
                rows.append(
                    {
                        "question": question.text,
                        "file": question.file,
                        **judged(answer, document_id, pages, question.key),
                    }
                )
            score = sum(r["correct"] for r in rows)
            results["paths"][path] = {
                "correct": score,
                "of": len(rows),
                "s_per_question": sum(seconds) / len(seconds),
                "rows": rows,
            }
            print(
                f"\n{path}: {score}/{len(rows)} cite the page that holds the answer; "
                f"{sum(seconds) / len(seconds):.2f} s/question"
            )
        print("\n| # | question | answer on p. | " + " | ".join(paths) + " |")
        print("|---|---|---|" + "---|" * len(paths))
        for i, question in enumerate(QUESTIONS):
            marks = []
            for path in paths:
                row = results["paths"][path]["rows"][i]
                pages = ",".join(str(p) for p in row["cited_pages"] if p is not None) or "-"
                marks.append(("yes" if row["correct"] else "no") + f" (p. {pages})")
            answer_on = ",".join(map(str, results["paths"][paths[0]]["rows"][i]["answer_pages"]))
            print(f"| {i + 1} | {question.text} | {answer_on} | " + " | ".join(marks) + " |")
        save(args.out, results)


if __name__ == "__main__":
    main()
