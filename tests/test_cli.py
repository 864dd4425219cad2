"""The CLI is thin: these tests check its wiring and that every failure is one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from analysis.cli import format_ocr_pages, main
from analysis.samples import make_document, write_text


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.slow
def test_run_search_status(home: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    write_text(make_document("radiology_report", seed=5), src / "ct.txt")
    write_text(make_document("nda", seed=6), src / "nda.txt")
    (src / "notes.docx").write_bytes(b"PK\x03\x04 not supported")
    code, out = _invoke("--home", str(home), "run", "--no-progress", str(src))
    assert code == 0, out
    assert "2 new" in out and "1 quarantined" in out
    assert "unsupported file type '.docx'" in out

    code, out = _invoke("--home", str(home), "search", "confidential information disclosure", "-k", "2")
    assert code == 0, out
    assert out.startswith("1. ") and "nda.txt" in out.splitlines()[0]

    code, out = _invoke("--home", str(home), "search", "impression", "--domain", "medical", "-k", "1")
    assert code == 0 and "ct.txt" in out

    # --save keeps the search for SQL: one row per hit, ranked, joinable to the documents
    code, out = _invoke("--home", str(home), "search", "confidential information disclosure", "-k", "2", "--save")
    assert code == 0 and "saved 2 hit(s)" in out
    engine = create_engine(f"sqlite:///{home / 'docanalysis.db'}")
    with engine.connect() as conn:
        saved = conn.execute(
            text(
                "SELECT r.rank, o.path FROM search_results r JOIN document_overview o ON o.document_id = r.document_id "
                "WHERE r.query = 'confidential information disclosure' ORDER BY r.rank"
            )
        ).all()
    engine.dispose()
    assert [rank for rank, _ in saved] == [1, 2] and saved[0][1].endswith("nda.txt")

    code, out = _invoke("--home", str(home), "status")
    assert code == 0
    assert "2 documents" in out and "notes.docx" in out and "succeeded" in out

    code, out = _invoke("--home", str(home), "index", "rebuild")
    assert code == 0 and "published index version 2" in out

    # documents: the ids a purge or an erasure request takes, by path or pattern, with what is left to do
    code, out = _invoke("--home", str(home), "documents")
    assert code == 0, out
    rows = {line.split()[-1]: line.split() for line in out.splitlines()[1:]}
    assert set(rows) == {str(src.resolve() / name) for name in ("ct.txt", "nda.txt", "notes.docx")}
    nda = rows[str(src.resolve() / "nda.txt")]
    assert nda[0].isdigit() and nda[1] == "legal/nda" and nda[2] == "1" and nda[3] == "done"
    assert rows[str(src.resolve() / "notes.docx")][:2] == ["-", "-"] and "quarantined:" in out
    code, out = _invoke("--home", str(home), "documents", str(src / "nda.txt"))
    assert code == 0 and len(out.splitlines()) == 2 and out.splitlines()[1].split()[0] == nda[0]
    code, out = _invoke("--home", str(home), "documents", "*ct*")
    assert [line.split()[-1] for line in out.splitlines()[1:]] == [str(src.resolve() / "ct.txt")]
    code, out = _invoke("--home", str(home), "documents", "--limit", "1")
    assert code == 0 and out.splitlines()[-1] == "... 2 more (--limit 0 lists all)"
    code, out = _invoke("--home", str(home), "documents", "*.xlsx")
    assert code == 0 and out.strip() == "no documents match *.xlsx"
    write_text(make_document("lease", seed=7), src / "lease.txt")
    code, out = _invoke("--home", str(home), "run", "--no-progress", "--jobs", "none", str(src))
    assert code == 0, out
    code, out = _invoke("--home", str(home), "documents", str(src / "lease.txt"))
    assert "pending: summarize, sentiment, extract" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "/no/such/folder"], "source path does not exist: /no/such/folder"),
        (["--db-url", "postgresql+psycopg://u:secret@127.0.0.1:1/x", "status"], "cannot reach the database"),
        (["--db-url", "nonsense://", "status"], "cannot reach the database"),
        (["search", "anything"], "no index"),
        (["search", "  "], "query is empty"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(home: Path, args: list[str], message: str) -> None:
    code, out = _invoke("--home", str(home), *args)
    assert code != 0
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), out
    assert message in lines[0]
    assert "secret" not in out and "Traceback" not in out


def test_documents_in_an_empty_store(home: Path) -> None:
    code, out = _invoke("--home", str(home), "documents")
    assert code == 0 and out.strip() == "no documents"
    code, out = _invoke("--home", str(home), "documents", "--limit", "-1")
    assert code == 2 and "must be 0 or more" in out


def test_unsupported_file_named_on_the_command_line(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "slides.pptx"
    bad.write_bytes(b"x")
    code, out = _invoke("--home", str(home), "run", str(bad))
    assert code == 1 and "unsupported file type '.pptx'" in out


def test_invalid_setting_is_one_line(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCANALYSIS_BATCH_SIZE", "lots")
    code, out = _invoke("--home", str(home), "status")
    assert code == 1 and "batch_size expects int" in out


def test_samples_writes_a_corpus(tmp_path: Path) -> None:
    code, out = _invoke("samples", str(tmp_path / "c"), "-n", "7", "--seed", "3", "--scanned", "0")
    assert code == 0 and "wrote 7 files" in out
    assert len(list((tmp_path / "c").glob("*.*"))) == 7
    code, out = _invoke("samples", str(tmp_path / "s"), "-n", "2")  # with the default scans
    assert code == 0 and "wrote 6 files" in out
    assert sorted(p.name.split("-", 3)[-1] for p in (tmp_path / "s").glob("*-*-*-*")) == [
        "mixed.pdf",
        "scan.pdf",
        "scan.png",
        "scan.tif",
    ]


def test_ocr_pages_are_shown_per_document() -> None:
    def page(path: str, number: int, source: str, confidence: float | None = None, flag: str | None = None) -> dict:
        return {
            "path": path,
            "number": number,
            "text_source": source,
            "ocr_confidence": confidence,
            "flag": flag,
            "begins": f"Text of  page\n{number}",
        }

    lines = format_ocr_pages(
        [
            page("/c/a-scan.tif", 1, "tesseract 5.3.0", 0.91),
            page("/c/a-scan.tif", 2, "tesseract 5.3.0", 0.42, "low OCR confidence (0.42 < 0.6)"),
            page("/c/b-mixed.pdf", 1, "text_layer"),
            page("/c/b-mixed.pdf", 2, "rapidocr 1.4.4", 0.97),
            page("/c/b-mixed.pdf", 3, "text_layer"),
        ]
    )
    assert lines[1:] == [
        "  a-scan.tif: pages 1, 2 of 2 by tesseract 5.3.0 (confidence 0.91, 0.42); "
        "flagged: low OCR confidence (0.42 < 0.6)",
        "  b-mixed.pdf: page 2 of 3 by rapidocr 1.4.4 (confidence 0.97); pages 1, 3 from the text layer",
        "page 2 of b-mixed.pdf as OCR read it: 'Text of page 2'...",
    ]
    assert lines[0].startswith("\nread by OCR (2 document(s)")
    assert format_ocr_pages([])[1].startswith("  none")
