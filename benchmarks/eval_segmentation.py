"""Sentence boundaries on real documents: today's regex splitter, pySBD, spaCy's senter and parser,
and the segmenter ``analysis.sentences.segment_sentences`` uses.

    PYTHONPATH=. .venv/bin/python benchmarks/eval_segmentation.py [--speed-chars 400000]
        [--out benchmarks/results/eval_segmentation.json]
    PYTHONPATH=. .venv/bin/python benchmarks/eval_segmentation.py draft   # print passages to label

There is no gold for these documents, so the gold was made by hand: passages picked at random with
a fixed seed from four sources in ../shared/eval (CUAD contract PDFs as pypdf reads them, MTSamples
notes, Supreme Court of India judgment PDFs as pypdf reads them, SumPubMed full texts), read by a
person, and every place where a new unit starts marked. Only the labels are stored
(``benchmarks/data/segmentation/labels.jsonl``): the file, the character offsets of the passage in
the text read from it, a short sha256 of the passage and the boundaries as offsets into it, so the
measure is reproducible without copying the documents.

What counts as a boundary (the labelling guide): the first character of a sentence; of a heading,
a title line, a field line ("Sample Name: ..."); of the text after a run-in heading (a capitalised
label of a few words ending in a colon at the start of a line: "HISTORY OF PRESENT ILLNESS:  Ms. X
..." has a boundary at "Ms.", "Knee:  Normal range ..." at "Normal"; these are kept apart as
``runin`` too, and scored with and without them, since a general segmenter does not aim for
them); of a list item or numbered clause that
starts a line or follows a sentence end ("2.4.3 Provided ..." starts at "2"); of page furniture (a
page number, a running head). Not a boundary: after an abbreviation ("U.S.", "Inc.", "Dr.",
"M.D.", "No."), inside a number or citation, where pypdf wrapped a sentence onto the next line, at
a semicolon, or before an inline "(a)" enumeration.

Where pypdf or SumPubMed's preprocessing lost a full stop ("... table <dig>  we observe ...") a
boundary is marked where a reader sees a new sentence; where a stray full stop sits inside a
sentence ("... Ernakulam. to the General Hospital") none is. Candidates to look at were the union
of the boundaries of today's splitter, pySBD and spaCy's senter plus every line start (``draft``);
boundaries none of them proposed were added by hand.

Each segmenter runs on the passage alone; the passage's own start is not counted. A predicted
boundary matches a labelled one at the same offset after skipping white space. Speed is measured
on the whole text of the sampled documents (up to ``--speed-chars`` characters per source), one
document at a time, as the extractive summarizer would call it; sentences/s counts the sentences
each segmenter itself returns.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import save  # noqa: E402

EVAL = Path(os.environ.get("DOCANALYSIS_EVAL", Path(__file__).resolve().parents[2] / "shared" / "eval"))
LABELS = Path(__file__).resolve().parent / "data" / "segmentation" / "labels.jsonl"
SEED = 20261207
PASSAGES_PER_SOURCE = 12
PASSAGE_CHARS = 700

Spans = list[tuple[int, int]]


# --- the documents, read in place --------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _source_files(source: str) -> list[str]:
    if source == "cuad":
        return sorted(p.name for p in (EVAL / "legal_cuad_pdfs" / "pdf").iterdir() if p.suffix.lower() == ".pdf")
    if source == "mtsamples":
        return sorted(p.name for p in (EVAL / "medical_mtsamples" / "txt").glob("*.txt"))
    if source == "judgments":
        folder = EVAL / "legal_court_opinions_india" / "judgment_reports"
        return sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".pdf")
    if source == "pubmed":
        path = EVAL / "medical_summaries" / "sumpubmed_sample" / "sumpubmed_300.jsonl"
        return [f"sumpubmed_300.jsonl#id={json.loads(line)['id']}" for line in path.read_text().splitlines()]
    raise ValueError(f"unknown source {source!r}: cuad, mtsamples, judgments, pubmed")


@cache
def read_source(source: str, file: str) -> str:
    """The text of one document as the pipeline would see it (pypdf for PDFs)."""
    if source == "cuad":
        return _pdf_text(EVAL / "legal_cuad_pdfs" / "pdf" / file)
    if source == "mtsamples":
        return (EVAL / "medical_mtsamples" / "txt" / file).read_text(encoding="utf-8", errors="replace")
    if source == "judgments":
        return _pdf_text(EVAL / "legal_court_opinions_india" / "judgment_reports" / file)
    if source == "pubmed":
        name, wanted = file.split("#id=")
        for line in (EVAL / "medical_summaries" / "sumpubmed_sample" / name).read_text().splitlines():
            record = json.loads(line)
            if str(record["id"]) == wanted:
                return str(record["text"])
    raise ValueError(f"{source}: {file} not found")


def passage_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _sample_passages(seed: int = SEED, per_source: int = PASSAGES_PER_SOURCE) -> Iterator[dict[str, Any]]:
    """Passages picked at random with a fixed seed: whole lines, about PASSAGE_CHARS long."""
    rng = random.Random(seed)
    for source in ("cuad", "mtsamples", "judgments", "pubmed"):
        files = _source_files(source)
        for n, file in enumerate(rng.sample(files, per_source)):
            text = read_source(source, file)
            offset = rng.randrange(max(1, len(text) - PASSAGE_CHARS))
            start = text.rfind("\n", 0, offset) + 1
            end = text.find("\n", start + PASSAGE_CHARS)
            if end < 0 or end > start + PASSAGE_CHARS + 400:  # a long paragraph: cut it at a space
                end = max(text.rfind(" ", start, start + PASSAGE_CHARS + 400), start + PASSAGE_CHARS)
                end = min(end, len(text))
            passage = text[start:end]
            yield {"id": f"{source}-{n:02d}", "source": source, "file": file, "start": start, "end": end,
                   "sha256": passage_hash(passage)}  # fmt: skip


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    """The labelled passages: pointers into the eval documents and boundary offsets."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def passage_text(label: dict[str, Any]) -> str:
    text = read_source(label["source"], label["file"])[label["start"] : label["end"]]
    if passage_hash(text) != label["sha256"]:
        raise ValueError(f"{label['id']}: the passage changed (pypdf version?); its labels no longer apply")
    return text


# --- the segmenters ------------------------------------------------------------------------------


def regex_today(text: str) -> Spans:
    from analysis.sentences import sentence_spans

    return sentence_spans(text)


@cache
def _pysbd() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def pysbd_spans(text: str) -> Spans:
    return [(s.start, s.end) for s in _pysbd().segment(text)]


@cache
def _spacy(pipe: str) -> Any:
    import spacy

    from analysis.redaction.redactor import SPACY_MODEL_PACKAGE

    model = __import__(SPACY_MODEL_PACKAGE)
    path = Path(model.__file__).parent
    path = next(p for p in path.iterdir() if (p / "config.cfg").exists())
    if pipe == "senter":
        nlp = spacy.load(path, exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "tagger"])
        nlp.enable_pipe("senter")
    else:
        nlp = spacy.load(path, exclude=["senter", "ner", "lemmatizer", "attribute_ruler"])
    nlp.max_length = 10**7
    return nlp


def spacy_spans(pipe: str) -> Callable[[str], Spans]:
    def spans(text: str) -> Spans:
        return [(s.start_char, s.end_char) for s in _spacy(pipe)(text).sents]

    return spans


def segment_sentences(text: str) -> Spans:
    from analysis.sentences import segment_sentences as segment

    return [(s.start, s.end) for s in segment(text)]


SEGMENTERS: dict[str, Callable[[str], Spans]] = {
    "regex (today)": regex_today,
    "pysbd": pysbd_spans,
    "spacy senter": spacy_spans("senter"),
    "spacy parser": spacy_spans("parser"),
    "segment_sentences (new)": segment_sentences,
}


# --- scoring -------------------------------------------------------------------------------------


def boundaries(text: str, spans: Spans) -> set[int]:
    """Where each span starts, past white space, without the passage's own start."""
    out = set()
    for start, _ in spans:
        while start < len(text) and text[start].isspace():
            start += 1
        out.add(start)
    first = len(text) - len(text.lstrip())
    return {b for b in out if first < b < len(text)}


def score(gold: set[int], predicted: set[int]) -> dict[str, float]:
    hit = len(gold & predicted)
    precision = hit / len(predicted) if predicted else 0.0
    recall = hit / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": hit, "fp": len(predicted - gold), "fn": len(gold - predicted), "precision": precision,
            "recall": recall, "f1": f1}  # fmt: skip


def measure(names: list[str], speed_chars: int, labels_path: Path = LABELS) -> dict[str, Any]:
    labels = load_labels(labels_path)
    texts = {label["id"]: passage_text(label) for label in labels}
    results: dict[str, Any] = {"passages": len(labels), "boundaries": sum(len(x["boundaries"]) for x in labels)}
    for name in names:
        segment = SEGMENTERS[name]
        segment("Warm up. Load the model.")
        row: dict[str, Any] = {}
        found = {label["id"]: boundaries(texts[label["id"]], segment(texts[label["id"]])) for label in labels}
        for source in ("all", "cuad", "mtsamples", "judgments", "pubmed", "without run-in"):
            gold: set[tuple[str, int]] = set()
            predicted: set[tuple[str, int]] = set()
            for label in labels:
                if source in ("all", "without run-in", label["source"]):
                    ignored = set(label["runin"]) if source == "without run-in" else set()
                    gold |= {(label["id"], b) for b in set(label["boundaries"]) - ignored}
                    predicted |= {(label["id"], b) for b in found[label["id"]] - ignored}
            row[source] = score(gold, predicted)
        row["speed"] = _speed(segment, labels, speed_chars)
        results[name] = row
        print(f"{name:26s} P {row['all']['precision']:.3f} R {row['all']['recall']:.3f} F1 {row['all']['f1']:.3f}"
              f"  {row['speed']['sentences_per_s']:9.0f} sentences/s {row['speed']['chars_per_s']:11.0f} chars/s"
              + "".join(f"  {s} {row[s]['f1']:.3f}" for s in ("cuad", "mtsamples", "judgments", "pubmed",
                                                             "without run-in")))  # fmt: skip
    return results


def _speed(segment: Callable[[str], Spans], labels: list[dict[str, Any]], speed_chars: int) -> dict[str, float]:
    documents: list[str] = []
    for source in ("cuad", "mtsamples", "judgments", "pubmed"):
        budget = speed_chars
        for file in dict.fromkeys(x["file"] for x in labels if x["source"] == source):
            text = read_source(source, file)[:budget]
            budget -= len(text)
            documents.append(text)
            if budget <= 0:
                break
    started = time.perf_counter()
    sentences = sum(len(segment(text)) for text in documents)
    seconds = time.perf_counter() - started
    chars = sum(map(len, documents))
    return {"chars": chars, "sentences": sentences, "seconds": seconds, "sentences_per_s": sentences / seconds,
            "chars_per_s": chars / seconds}  # fmt: skip


def draft(seed: int, per_source: int) -> None:
    """Print the sampled passages with every candidate boundary marked, for a person to label."""
    for record in _sample_passages(seed, per_source):
        text = read_source(record["source"], record["file"])[record["start"] : record["end"]]
        candidates: set[int] = set()
        for name in ("regex (today)", "pysbd", "spacy senter"):
            candidates |= boundaries(text, SEGMENTERS[name](text))
        candidates |= {m.end() for m in re.finditer(r"\n\s*", text) if m.end() < len(text)}
        marks = sorted(candidates)
        out = []
        cursor = 0
        for k, b in enumerate(marks):
            out.append(text[cursor:b] + f"⟦{k}⟧")
            cursor = b
        out.append(text[cursor:])
        print(json.dumps({**record, "candidates": marks}))
        print("".join(out))
        print("=" * 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="measure", choices=["measure", "draft"])
    parser.add_argument("--segmenters", default=",".join(SEGMENTERS))
    parser.add_argument("--speed-chars", type=int, default=400_000, help="per source")
    parser.add_argument("--labels", type=Path, default=LABELS, help="or data/segmentation/heldout.jsonl")
    parser.add_argument("--seed", type=int, default=SEED, help="draft: the sample's seed")
    parser.add_argument("--per-source", type=int, default=PASSAGES_PER_SOURCE, help="draft: passages per source")
    parser.add_argument("--out", default="eval_segmentation.json")
    args = parser.parse_args()
    if args.command == "draft":
        draft(args.seed, args.per_source)
        return
    results = measure(args.segmenters.split(","), args.speed_chars, args.labels)
    results["machine"] = {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()}
    save(Path(args.out).name, results)


if __name__ == "__main__":
    main()
