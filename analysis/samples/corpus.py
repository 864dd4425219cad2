"""A whole sample corpus in one call: the generated documents, their scanned copies and the files
that must be quarantined (one-way imports: this module uses ``generate`` and ``scan``)."""

from __future__ import annotations

from pathlib import Path

from analysis.samples.generate import WRITERS, SampleDocument, _doc_seed, _plan, make_document, write_bad_files
from analysis.samples.scan import scanned_samples, write_scans


def generate_corpus(
    out_dir: Path,
    *,
    n: int | None = None,
    seed: int = 0,
    formats: tuple[str, ...] = ("pdf", "txt"),
    include_bad: bool = False,
    scanned: int = 0,
) -> list[Path]:
    """Write a deterministic corpus into ``out_dir`` and return the paths in a stable order.

    ``n=None`` writes the demo set (each kind once per format, each file its own document);
    ``n=N`` writes N files cycling through kinds and formats. ``scanned=K`` (K > 0) adds
    documents only OCR can read: K one-page image-only PDFs (``*-scan.pdf``), a PNG, a two-page
    TIFF and a PDF with one scanned page among text pages (``*-mixed.pdf``); each scanned page
    costs seconds of OCR in a pipeline run, so the default is none (``scan.scanned_samples``
    gives their names and known text). ``include_bad`` adds the files under ``out_dir/bad``
    that an ingester has to quarantine rather than index.
    """
    formats = tuple(formats)
    unknown = [fmt for fmt in formats if fmt not in WRITERS]
    if not formats or unknown:
        raise ValueError(f"unknown or empty formats {formats!r}; valid formats: {', '.join(WRITERS)}")
    if scanned < 0:
        raise ValueError(f"scanned must be zero or positive, got {scanned}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [WRITERS[name.rsplit(".", 1)[1]](doc, out_dir / name) for name, doc in corpus_documents(n, seed, formats)]
    if scanned:
        paths += write_scans(out_dir, scanned_samples(n=n, seed=seed, formats=formats, scanned=scanned))
    if include_bad:
        paths += write_bad_files(out_dir / "bad", seed=seed)
    return paths


def corpus_documents(
    n: int | None = None, seed: int = 0, formats: tuple[str, ...] = ("pdf", "txt")
) -> list[tuple[str, SampleDocument]]:
    """(file name, document) of each generated file of ``generate_corpus`` with these arguments:
    tests read the facts each document was written with (``SampleDocument.truth``) from here."""
    named = []
    for index, kind, fmt in _plan(n, tuple(formats)):
        doc = make_document(kind, seed=_doc_seed(seed, index))
        named.append((f"{doc.domain}-{kind}-{index:04d}.{fmt}", doc))
    return named
