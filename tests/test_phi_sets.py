"""The labelled de-identification sets of benchmarks/phi_sets.py: the independent set is frozen
(SHA256SUMS), every document parses to exact spans, every label type is well represented in both
splits, and the presidio-research sample gives its 1,500 sentences with exact spans."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_phi_sets() -> ModuleType:
    """benchmarks/phi_sets.py by its path (benchmarks/ is not a package, and its redaction.py must not
    shadow anything named ``redaction`` on sys.path)."""
    name = "docanalysis_benchmarks_phi_sets"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "phi_sets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


phi_sets = _load_phi_sets()
SPLITS = phi_sets.SPLITS


def test_the_independent_set_is_frozen() -> None:
    """Every file matches SHA256SUMS, none is missing and none was added (a label is never changed to suit
    the redactor; a wrong label is fixed only in a commit of its own, with SHA256SUMS)."""
    frozen = phi_sets.frozen_hashes()
    on_disk = {
        path.relative_to(phi_sets.INDEPENDENT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in phi_sets.INDEPENDENT.rglob("*")
        if path.is_file() and path.parent != phi_sets.INDEPENDENT  # README.md and SHA256SUMS sit at the top
    }
    assert sorted(set(frozen) - set(on_disk)) == [], "files listed in SHA256SUMS are missing"
    assert sorted(set(on_disk) - set(frozen)) == [], "files not listed in SHA256SUMS were added"
    changed = sorted(path for path, digest in on_disk.items() if frozen[path] != digest)
    assert changed == [], "files changed since SHA256SUMS was written"
    assert phi_sets.current_hashes() == frozen
    assert {p.name for p in phi_sets.INDEPENDENT.iterdir() if p.is_dir()} == set(SPLITS)


def test_there_are_at_least_60_documents() -> None:
    counts = {split: len(phi_sets.independent_documents(split)) for split in SPLITS}
    assert all(counts.values()), counts
    assert sum(counts.values()) >= 60, counts


@pytest.mark.parametrize("split", SPLITS)
def test_every_document_parses_to_exact_spans(split: str) -> None:
    for document in phi_sets.independent_documents(split):
        assert document.identifiers, f"{document.name}: no identifier labelled"
        for span in document.identifiers + document.keep:
            assert span.text and document.text[span.start : span.end] == span.text, (document.name, span)
        starts = [(s.start, s.end) for s in document.identifiers]
        assert all(a[1] <= b[0] for a, b in zip(starts, starts[1:])), f"{document.name}: identifiers overlap"
        assert not any(m in document.text for m in ("[[", "]]", "{{", "}}")), document.name


@pytest.mark.parametrize("split", SPLITS)
def test_every_label_type_appears_at_least_5_times(split: str) -> None:
    """Enough of each type for its recall to mean something (holdout6's author wrote 7 ages and 7 URLs)."""
    counts = Counter(s.type for d in phi_sets.independent_documents(split) for s in d.identifiers)
    assert set(counts) == set(phi_sets.LABELS), counts
    scarce = {label: counts[label] for label in phi_sets.LABELS if counts[label] < 5}
    assert scarce == {}, f"{split}: label types with fewer than 5 spans"


def test_parse_marked_gives_plain_text_and_offsets() -> None:
    document = phi_sets.parse_marked("t", "Seen by [[PERSON|Dr Ada Oyelaran]] on {{Lasix}}; call [[PHONE|555 0101]].")
    assert document.text == "Seen by Dr Ada Oyelaran on Lasix; call 555 0101."
    assert [(s.type, s.text) for s in document.identifiers] == [("PERSON", "Dr Ada Oyelaran"), ("PHONE", "555 0101")]
    assert [(s.type, s.text) for s in document.keep] == [("KEEP", "Lasix")]
    for span in document.identifiers + document.keep:
        assert document.text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "marked",
    [
        "Seen by [[NAME|Ada Oyelaran]].",  # not one of the labels
        "Seen by [[person|Ada Oyelaran]].",  # labels are upper case
        "Seen by [[PERSON|Ada Oyelaran.",  # never closed
        "Seen by Ada Oyelaran]] today.",  # never opened
        "Keep {{Lasix and go.",
        "Keep Lasix}} and go.",
        "Seen by [[PERSON|]].",  # empty
        "Seen by [[PERSON| Ada]].",  # surrounding space
        "Seen by [[PERSON|Ada|Oyelaran]].",
    ],
)
def test_parse_marked_rejects_bad_markup(marked: str) -> None:
    with pytest.raises(phi_sets.MarkupError):
        phi_sets.parse_marked("t", marked)


def test_presidio_documents_are_1500_with_exact_spans() -> None:
    documents = phi_sets.presidio_documents()
    assert len(documents) == 1500
    assert sum(len(d.identifiers) for d in documents) > 1000
    for document in documents:
        for span in document.identifiers + document.neutral:
            assert document.text[span.start : span.end] == span.text, (document.name, span)
        assert {s.type for s in document.identifiers} <= {*phi_sets.LABELS, "PLACE"}, document.name
