"""The `docanalysis` command: a thin layer over the library that turns errors into one line."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from analysis.config import Config
from analysis.errors import DocAnalysisError, first_line
from analysis.jobs.registry import JOB_NAMES
from analysis.records import DOMAINS, NOT_OCR_SOURCES, Answer, SearchHit

if TYPE_CHECKING:
    from analysis.jobs.summarize.choice import SummaryChoice
    from analysis.jobs.summarize.job import Summary

F = TypeVar("F", bound=Callable[..., Any])


def _friendly_errors(func: F) -> F:
    """Library errors become one-line messages; anything else too, unless DOCANALYSIS_DEBUG is set."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DocAnalysisError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted") from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("DOCANALYSIS_DEBUG"):
                raise
            message = " ".join(str(exc).split())[:300]
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {message} (set DOCANALYSIS_DEBUG=1 for details)"
            ) from None

    return wrapper  # type: ignore[return-value]


@click.group()
@click.option(
    "--home", type=click.Path(path_type=Path), help="State folder (default: $DOCANALYSIS_HOME or ./.docanalysis)."
)
@click.option("--db-url", help="SQLAlchemy database URL (default: $DOCANALYSIS_DB_URL or a SQLite file in HOME).")
@click.option("-v", "--verbose", is_flag=True, help="Log each quarantined file and published index version.")
@click.pass_context
@_friendly_errors
def main(ctx: click.Context, home: Path | None, db_url: str | None, verbose: bool) -> None:
    """Analyse legal and medical documents: ingest, chunk, embed, index and search."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if not verbose:  # pypdf narrates every repair it makes to a damaged file; the quarantine says what matters
        logging.getLogger("pypdf").setLevel(logging.ERROR)
    ctx.obj = Config.load(home=home, db_url=db_url)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--sync", is_flag=True, help="Remove documents whose files disappeared from under PATHS.")
@click.option(
    "--jobs",
    help=f"Analysis jobs after indexing: a comma list of {','.join(JOB_NAMES)}, or 'none' (default: setting `jobs`).",
)
@click.option("--force", is_flag=True, help="Recompute job results even when this model and prompt already made them.")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar per stage.")
@click.pass_obj
@_friendly_errors
def run(config: Config, paths: tuple[Path, ...], sync: bool, jobs: str | None, force: bool, progress: bool) -> None:
    """Ingest, chunk, embed and index the documents under PATHS, then run the analysis jobs."""
    from analysis.pipeline import run_pipeline

    if jobs is not None:
        config = config.replace(jobs="" if jobs.strip().lower() == "none" else jobs)
    report = run_pipeline(list(paths), config=config, sync=sync, trigger="cli", show_progress=progress, force=force)
    counts = report.counts
    click.echo(
        f"run {report.run_id} {report.status}: {counts['files_seen']} files, "
        f"{counts['documents_new']} new, {counts['documents_changed']} changed, "
        f"{counts['documents_unchanged']} unchanged, {counts['documents_duplicate']} duplicate, "
        f"{counts['documents_removed']} removed, "
        f"{counts['quarantined_new']} quarantined; {counts['chunks_added']} chunks, "
        f"{counts['vectors_added']} vectors embedded; index version {report.index_version}; "
        f"{counts['summaries_written']} summaries, {counts['sentiments_written']} sentiment rows, "
        f"{counts['facts_written']} facts from {counts['extractions_written']} documents"
    )
    if "summarize" in config.jobs.split(",") and (counts["summaries_written"] or counts["summarize_failed"]):
        click.echo("  " + _summary_line(config, counts))
    if counts["facts_rejected"] or counts["fact_fields_failed"]:
        click.echo(
            f"  {counts['facts_rejected']} extracted values refused (not supported by their evidence), "
            f"{counts['fact_fields_failed']} fields failed: view extraction_problems_open"
        )
    if counts["pages_ocr"] or counts["pages_flagged"]:
        click.echo(
            f"  {counts['pages_ocr']} pages read by OCR; {counts['pages_flagged']} flagged for a person to check "
            "(pages.flag)"
        )
    if report.seconds:
        click.echo("stages: " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.seconds.items()))
    pending = _per_result(counts, "_pending")
    if pending:
        click.echo(f"  the LLM endpoint was unavailable: {pending} left pending for the next run")
    failed = _per_result(counts, "_failed")
    if failed:
        click.echo(f"  {failed} failed and will be retried next run: see `docanalysis status` (view job_failures_open)")
    given_up = _per_result(counts, "_given_up")
    if given_up:
        click.echo(f"  {given_up} not retried: failed job_max_attempts times (--force tries again)")
    for item in report.quarantined:
        click.echo(f"  quarantined {item.path}: {item.reason}")
    if counts["skipped_hidden"]:
        click.echo(f"  skipped {counts['skipped_hidden']} hidden files and folders (names starting with '.')")


def _per_result(counts: dict[str, int], suffix: str) -> str:
    """'3 documents' summaries and 1 documents' sentiments' for the counts ending in ``suffix``."""
    found = {key.removesuffix(suffix): n for key, n in sorted(counts.items()) if key.endswith(suffix) and n}
    return " and ".join(f"{n} documents' {what}" for what, n in found.items())


def search_filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters ``search`` and ``ask`` share; they reach the command as keyword arguments."""
    options = [
        click.option("--domain", type=click.Choice(DOMAINS), help="Only documents of this domain."),
        click.option("--document", help="Only this document: an id, a file's path, or a folder of documents."),
        click.option("--doc-type", help="Only documents of this type (e.g. contract, discharge_summary)."),
        click.option("--section", help="Only chunks whose section title contains this text (any case)."),
        click.option(
            "--since",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Only documents stored (or found at a new path) on or after this day (YYYY-MM-DD).",
        ),
        click.option("--per-document", type=int, help="At most this many hits from any one document."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@click.argument("query")
@click.option("-k", "k", default=5, show_default=True, help="Number of results.")
@search_filter_options
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "dense", "lexical"]),
    default="hybrid",
    show_default=True,
    help="Meaning and words fused (hybrid), meaning only (dense) or words only (lexical, BM25).",
)
@click.option("--save", is_flag=True, help="Keep the query, its filters and its hits (view search_results).")
@click.pass_obj
@_friendly_errors
def search(config: Config, query: str, k: int, mode: str, save: bool, **filters: Any) -> None:
    """Search the chunks by meaning and words: those that best answer QUERY, within the filters."""
    from analysis.search import search_chunks

    since = filters.pop("since")
    hits = search_chunks(
        query, k=k, mode=mode, since=since.date() if since else None, config=config, save=save, **filters
    )
    if not hits:
        click.echo(f"no results: {hits.note}" if hits.note else "no results")
    for hit in hits:
        click.echo(format_hit(hit))
    if save:
        click.echo(f"saved {len(hits)} hit(s) to the database: see the view search_results")


def format_hit(hit: SearchHit) -> str:
    pages = f"p.{hit.page_start}" if hit.page_start == hit.page_end else f"pp.{hit.page_start}-{hit.page_end}"
    snippet = " ".join(hit.text.split())[:160]
    return (
        f"{hit.rank}. {hit.score:.3f}  {Path(hit.source_path).name} ({hit.domain}/{hit.doc_type}) {pages}"
        f"  [{hit.section or '-'}]\n     {snippet}"
    )


@main.command()
@click.pass_obj
@_friendly_errors
def status(config: Config) -> None:
    """Counts, the last runs, the quarantine and the documents a job failed on."""
    from analysis.store import open_store

    store = open_store(config)
    try:
        counts = store.counts()
        click.echo("store: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        for (domain, doc_type), n in sorted(store.documents_by_domain().items()):
            click.echo(f"  {domain}/{doc_type}: {n}")
        languages = store.documents_by_language()
        click.echo("languages: " + (", ".join(f"{n} {lang or 'unknown'}" for lang, n in languages.items()) or "-"))
        click.echo(_summary_choice(config).describe(config))
        click.echo(f"pages by text source ({_ocr_engine_line(config)}):")
        for text_source, (n, flagged) in store.pages_by_text_source().items():
            click.echo(f"  {text_source}: {n}" + (f" ({flagged} flagged)" if flagged else ""))
        click.echo("last runs:")
        for run in store.recent_runs(5):
            took = f"{(run.finished_at - run.started_at).total_seconds():.1f}s" if run.finished_at else "-"
            click.echo(
                f"  {run.id} {run.status} {run.trigger} {run.started_at:%Y-%m-%d %H:%M:%S} {took} " + (run.error or "")
            )
        rows = store.quarantine_rows()
        click.echo(f"quarantine ({len(rows)}):")
        for row in rows:
            click.echo(f"  {row.path}: {row.reason}")
        facts = store.facts_by_field()
        problems = store.extraction_problem_counts()
        click.echo(
            f"facts ({sum(facts.values())}; views contract_terms, clause_flags, judgment_facts, clinical_facts; "
            f"{problems.get('rejected', 0)} refused, {problems.get('failed', 0)} failed):"
        )
        for kind in sorted({k for k, _ in facts}):
            fields = ", ".join(f"{n} {field}" for (k, field), n in facts.items() if k == kind)
            click.echo(f"  {kind}: {fields}")
        failures = store.job_failures()
        click.echo(f"job failures ({len(failures)}; view job_failures_open):")
        for failure in failures:
            click.echo(
                f"  document {failure.document_id} {failure.job} ({failure.attempts} attempt(s), "
                f"last {failure.last_seen_at:%Y-%m-%d %H:%M}): {failure.reason}"
            )
    finally:
        store.close()


@main.command()
@click.argument("where", required=False, metavar="[PATH|PATTERN]")
@click.option("-n", "--limit", default=200, show_default=True, help="Most rows printed (0: all).")
@click.pass_obj
@_friendly_errors
def documents(config: Config, where: str | None, limit: int) -> None:
    """Stored documents by path: id, type, pages and status (what the pipeline has left to do).

    PATH is a file or folder (the documents at or below it); PATTERN is matched against each stored
    path and file name (`'*lease*'`); without either, every document. Quarantined files are
    listed too, without an id. The id is what `purge --document`, an erasure request and
    `facts` take.
    """
    from analysis.embed import embedding_model_id
    from analysis.jobs.registry import registered_job
    from analysis.store import open_store

    if limit < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--limit")
    results = {job: registered_job(job).results for job in config.job_list}
    store = open_store(config)
    try:
        rows, total = store.document_listing(
            embedding_model_id=embedding_model_id(config),
            results=results,
            matches=path_matcher(where),
            limit=limit or None,
        )
    finally:
        store.close()
    if not rows:
        click.echo("no documents" + (f" match {where}" if where else ""))
        return
    click.echo(f"{'id':>6}  {'type':<28} {'pages':>5}  {'status':<24} path")
    for row in rows:
        kind = f"{row.domain}/{row.doc_type}" if row.document_id is not None else "-"
        pages = str(row.n_pages) if row.n_pages is not None else "-"
        ident = str(row.document_id) if row.document_id is not None else "-"
        click.echo(f"{ident:>6}  {kind:<28} {pages:>5}  {row.status:<24} {row.path}")
    if total > len(rows):
        click.echo(f"... {total - len(rows)} more (--limit 0 lists all)")


def path_matcher(where: str | None) -> Callable[[str], bool] | None:
    """A file or folder that exists: paths at or below it; anything else: a glob pattern matched
    against the whole stored path and its file name."""
    import fnmatch

    if where is None:
        return None
    path = Path(where).expanduser()
    if path.exists():
        root = str(path.resolve())
        return lambda stored: stored == root or stored.startswith(root.rstrip("/") + "/")
    return lambda stored: fnmatch.fnmatchcase(stored, where) or fnmatch.fnmatchcase(Path(stored).name, where)


@main.command()
@click.argument("document")
@click.option("--evidence/--no-evidence", default=False, help="Also print each value's evidence text.")
@click.pass_obj
@_friendly_errors
def facts(config: Config, document: str, evidence: bool) -> None:
    """The facts extracted from DOCUMENT (an id or a path), each with the page it was read from."""
    from analysis.store import open_store

    store = open_store(config)
    try:
        document_id = _document_id(store, document)
        rows = store.facts_for_document(document_id)
        problems = store.extraction_problems(document_id)
    finally:
        store.close()
    if not rows and not problems:
        click.echo(f"document {document_id}: no facts (not extracted yet, or nothing applies to its type)")
    for line in format_facts(rows, evidence=evidence):
        click.echo(line)
    for problem in problems:
        click.echo(f"  ! {problem.field} {problem.problem}: {problem.reason}")


def _document_id(store: Any, document: str) -> int:
    """A document id from an id or a path (a folder is refused: one document at a time)."""
    from analysis.errors import BadInputError

    ids = store.document_ids_for_reference(document)
    if len(ids) > 1:
        raise BadInputError(f"{document} holds {len(ids)} documents; name one file or a document id")
    return next(iter(ids))


def format_verified_summary(summary: Summary) -> list[str]:
    """Each drafted sentence with what verification did and the pages that back what was kept."""
    lines = []
    for sentence in summary.sentences:
        action, draft = sentence.get("action") or "kept", str(sentence.get("draft") or "")
        pages = sentence.get("pages") or []
        cited = f", p. {', '.join(str(p) for p in pages)}" if pages and action != "dropped" else ""
        shown = draft if action == "dropped" else str(sentence["text"])
        lines.append(f"[{action}{cited}] {shown}")
        if action != "kept" and draft:
            lines.append(f"    draft: {draft}" if action != "dropped" else f"    why: {sentence.get('note', '')}")
    counts = summary.counts
    lines.append(
        f"verification: {counts['summary_sentences_drafted']} drafted, {counts['summary_sentences_kept']} kept, "
        f"{counts['summary_sentences_repaired']} repaired, {counts['summary_sentences_replaced']} replaced, "
        f"{counts['summary_sentences_dropped']} dropped, {counts['summary_sentences_added']} added from the source; "
        f"groundedness {summary.grounding.groundedness:.2f}; "
        f"{summary.draft.tokens_out} tokens out in {summary.draft.latency_s:.1f}s"
    )
    return lines


def format_facts(rows: list[Any], *, evidence: bool = False) -> list[str]:
    """One line per fact: field, value, its attributes and assertion flags, and its page."""
    lines = []
    kind = None
    for row in rows:
        if row.kind == "clause" and row.value == "no":
            continue
        if row.kind != kind:
            kind = row.kind
            lines.append(f"{kind}:")
        details = [
            f"{k} {v}"
            for k, v in (("role", row.role), ("dose", row.dose), ("route", row.route), ("frequency", row.frequency))
            if v
        ]
        details += [flag for flag in ("negated", "uncertain", "historical", "family") if getattr(row, flag)]
        where = f"p. {row.page}" if row.page is not None else "no page"
        extra = f" ({', '.join(details)})" if details else ""
        lines.append(f"  {row.field}: {row.value}{extra} [{where}]")
        if evidence and row.evidence:
            lines.append(f'      "{" ".join(row.evidence.split())[:300]}"')
    absent = sorted(row.field for row in rows if row.kind == "clause" and row.value == "no")
    if absent:
        lines.append(f"clauses not found: {', '.join(absent)}")
    return lines


@main.command()
@click.argument("question")
@click.option("-k", "--k", "k", default=5, show_default=True, help="Chunks retrieved to answer from.")
@search_filter_options
@click.option("--sentences", default=3, show_default=True, help="Most sentences in the answer.")
@click.option("--extractive", is_flag=True, help="Quote the best-matching source sentences (no LLM).")
@click.option("--llm", is_flag=True, help="Answer with the chat model of `llm_backend` even if summaries do not.")
@click.option("--no-save", is_flag=True, help="Do not store the question and answer (view answer_citations).")
@click.pass_obj
@_friendly_errors
def ask(
    config: Config,
    question: str,
    k: int,
    domain: str | None,
    document: str | None,
    doc_type: str | None,
    section: str | None,
    since: Any,
    per_document: int | None,
    sentences: int,
    extractive: bool,
    llm: bool,
    no_save: bool,
) -> None:
    """Answer QUESTION from the documents, each sentence cited with its page [p. N].

    Without an LLM configured (setting `summary_backend`), or with --extractive, the answer is the
    source sentences that best answer it; unsupported sentences of an LLM's answer are marked.
    """
    import getpass

    from analysis.answering import ask as ask_question
    from analysis.errors import BadInputError

    if extractive and llm:
        raise BadInputError("--extractive and --llm exclude each other")
    if document is not None and not document.isdigit():
        document = str(Path(document).expanduser().resolve())
    answer = ask_question(
        question,
        k=k,
        domain=domain,
        document=int(document) if document is not None and document.isdigit() else document,
        doc_type=doc_type,
        section=section,
        since=since.date() if since else None,
        per_document=per_document,
        backend="extractive" if extractive else "llm" if llm else "auto",
        sentences=sentences,
        save=not no_save,
        requested_by=getpass.getuser(),
        config=config,
    )
    for line in format_answer(answer):
        click.echo(line)


def format_answer(answer: Answer) -> list[str]:
    """The answer's sentences with their citations, then the documents and pages cited."""
    if answer.reason:
        lines = [answer.reason]
    else:
        lines = [f"answer ({answer.backend}, groundedness {answer.groundedness:.2f}):"]
        lines += [f"  {sentence.text} {sentence.citation}" for sentence in answer.sentences]
        lines.append("sources:")
        for path, pages in answer.sources():
            label = "p." if len(pages) == 1 else "pp."
            lines.append(f"  {path} {label} {', '.join(map(str, pages))}")
    if answer.question_id is not None:
        lines.append(f"saved as question {answer.question_id}: see the view answer_citations")
    return lines


def _ocr_engine_line(config: Config) -> str:
    from analysis.ingest.ocr import OcrOptions, ocr_engine_name

    name = ocr_engine_name(OcrOptions.from_config(config))
    return f"OCR here: {name or 'none'}, ocr_engine = {config.ocr_engine}"


# The demo corpus's scans: one one-page scanned PDF, a scanned PNG, a two-page fax TIFF and a PDF with one
# scanned page among text pages: five pages for OCR, so that `make demo` shows it without taking long.
DEMO_SCANNED = 1


def format_ocr_pages(pages: list[dict[str, Any]]) -> list[str]:
    """One line per document with OCR'd pages (which, by what engine, how sure), then the start of
    the first OCR'd page of a document that mixes text-layer and scanned pages (else of the first)."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for page in pages:
        by_path.setdefault(page["path"], []).append(page)
    lines = [f"\nread by OCR ({len(by_path)} document(s); view document_overview, column n_pages_ocr):"]
    shown = None
    for path, doc_pages in by_path.items():
        read = [p for p in doc_pages if p["text_source"] not in NOT_OCR_SOURCES]
        if not read:
            continue
        engines = sorted({p["text_source"] for p in read})
        numbers = ", ".join(str(p["number"]) for p in read)
        confidence = ", ".join(f"{p['ocr_confidence']:.2f}" for p in read if p["ocr_confidence"] is not None)
        line = (
            f"  {Path(path).name}: page{'s' if len(read) > 1 else ''} {numbers} of {len(doc_pages)} "
            f"by {', '.join(engines)} (confidence {confidence or '-'})"
        )
        rest = [p for p in doc_pages if p["text_source"] in NOT_OCR_SOURCES]
        if rest:
            line += f"; page{'s' if len(rest) > 1 else ''} {', '.join(str(p['number']) for p in rest)} " + ", ".join(
                sorted({"from the text layer" if p["text_source"] == "text_layer" else "unread" for p in rest})
            )
        flags = sorted({p["flag"] for p in read if p["flag"]})
        if flags:
            line += f"; flagged: {'; '.join(flags)}"
        lines.append(line)
        if shown is None or (rest and not shown[2]):
            shown = (path, read[0], rest)
    if shown is None:
        return [lines[0], "  none (no scanned pages, or no OCR engine: see the ocr_engine setting)"]
    path, page, _ = shown
    begins = " ".join((page["begins"] or "").split())
    lines.append(f"page {page['number']} of {Path(path).name} as OCR read it: {begins[:150]!r}...")
    return lines


@main.group()
def index() -> None:
    """Manage the search indexes (FAISS vectors and BM25 words, published together)."""


@index.command("rebuild")
@click.pass_obj
@_friendly_errors
def index_rebuild(config: Config) -> None:
    """Rebuild both indexes from the store: vectors as stored (no re-embedding), words re-read."""
    from analysis.index import IndexStore
    from analysis.pipeline import rebuild_index

    version = rebuild_index(config)
    index_store = IndexStore.from_config(config)
    index, lexical = index_store.load(), index_store.load_lexical(version)
    click.echo(
        f"published index version {version}: {index.count if index else 0} vectors, "
        f"{lexical.count if lexical else 0} chunks in the lexical index"
    )


@main.command()
@click.option("--document", "document_ids", type=int, multiple=True, required=True, help="Document id (repeatable).")
@click.option("--reason", required=True, help="Why (kept in the erasures table).")
@click.option("--requested-by", default=None, help="Who asked (default: the current user).")
@click.pass_obj
@_friendly_errors
def purge(config: Config, document_ids: tuple[int, ...], reason: str, requested_by: str | None) -> None:
    """Erase documents everywhere: store, index versions, artifacts. Keeps id, hash and reason."""
    import getpass

    from analysis.maintenance import erase_documents

    counts = erase_documents(config, list(document_ids), reason=reason, requested_by=requested_by or getpass.getuser())
    click.echo(
        f"erased {counts.get('documents_erased', 0)} document(s); index version {counts.get('index_version', 0)}; "
        f"{counts.get('index_versions_dropped', 0)} older index version(s) deleted"
    )


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.pass_obj
@_friendly_errors
def db_upgrade(config: Config) -> None:
    """Apply the schema migrations (tables and the analysts' views) to the configured database."""
    from sqlalchemy import create_engine

    from analysis.store import redact_url
    from analysis.store.migrate import upgrade

    engine = create_engine(config.database_url)
    try:
        before, after = upgrade(engine)
    except Exception as exc:  # a driver or server error: say which database, without its password
        raise click.ClickException(f"cannot upgrade {redact_url(config.database_url)}: {first_line(exc)}") from None
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"{redact_url(config.database_url)}: already at revision {after}")
    else:
        click.echo(f"{redact_url(config.database_url)}: upgraded from {before or 'an empty database'} to {after}")


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("-n", "n", type=int, help="Number of documents (default: the small demo set).")
@click.option("--seed", default=0, show_default=True, help="Random seed; same seed, same files.")
@click.option("--bad/--no-bad", default=False, help="Also write files that must be quarantined.")
@click.option(
    "--scanned",
    default=DEMO_SCANNED,
    show_default=True,
    help="Also write this many one-page scanned PDFs, and then a scanned PNG, a two-page fax TIFF and a PDF with "
    "one scanned page (documents only OCR can read; 0: none).",
)
@_friendly_errors
def samples(out_dir: Path, n: int | None, seed: int, bad: bool, scanned: int) -> None:
    """Write a synthetic legal and clinical corpus (PDF, text and scans) to OUT_DIR."""
    from analysis.samples import generate_corpus

    if n is not None and n < 1:
        raise click.BadParameter("must be at least 1", param_hint="-n")
    if scanned < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--scanned")
    paths = generate_corpus(out_dir, n=n, seed=seed, include_bad=bad, scanned=scanned)
    click.echo(f"wrote {len(paths)} files to {out_dir}")


def _summary_choice(config: Config) -> SummaryChoice:
    from analysis.jobs.summarize.choice import choose_summary_backend

    return choose_summary_backend(config)


def _summary_line(config: Config, counts: Mapping[str, int]) -> str:
    """Which summarizer ran and why; for a verified LLM, what verification did to the drafts."""
    line = _summary_choice(config).describe(config)
    if counts.get("summary_sentences_drafted"):
        line += (
            f"; {counts['summary_sentences_drafted']} sentences drafted: {counts['summary_sentences_kept']} kept, "
            f"{counts['summary_sentences_repaired']} repaired, {counts['summary_sentences_replaced']} replaced "
            f"by a quoted source sentence, {counts['summary_sentences_dropped']} dropped, "
            f"{counts['summary_sentences_added']} central source sentences added (view summary_repairs)"
        )
        if counts.get("summary_sentences_repair_errors"):
            line += f"; {counts['summary_sentences_repair_errors']} repair calls failed and fell back to the source"
    return line


@main.command()
@click.option("--query", default="What happens if the tenant fails to pay rent?", show_default=True)
@click.pass_obj
@_friendly_errors
def demo(config: Config, query: str) -> None:
    """Generate the sample corpus, run the pipeline on it, then show the store and one search."""
    from analysis.pipeline import run_pipeline
    from analysis.samples import generate_corpus
    from analysis.search import search_chunks

    corpus = config.home / "samples"
    generate_corpus(corpus, include_bad=True, scanned=DEMO_SCANNED)
    report = run_pipeline([corpus], config=config, sync=True, trigger="demo", show_progress=sys.stderr.isatty())
    click.echo(f"run {report.run_id} {report.status}; index version {report.index_version}")
    ctx = click.get_current_context()
    ctx.invoke(status)
    from analysis.store import open_store

    store = open_store(config)
    try:
        click.echo("\n".join(format_ocr_pages(store.ocr_pages())))
    finally:
        store.close()
    click.echo(f"\nsearch: {query!r}")
    for hit in search_chunks(query, k=3, config=config):
        click.echo(format_hit(hit))
    store = open_store(config)
    try:
        overviews = store.document_overviews(limit=2)
    finally:
        store.close()
    for item in overviews:
        click.echo(
            f"\nsummary of {Path(item['path']).name} ({item['backend']}, groundedness {item['groundedness']:.2f}, "
            f"sentiment {item['sentiment'] or '-'}):\n  {item['summary'][:600]}"
        )
    from analysis.demo import facts_demo, verified_summary_demo

    shown = verified_summary_demo(config)
    if shown is not None:
        click.echo(f"\nLLM summary of {shown.file_name} by {shown.model_id}, verified (not stored):")
        for line in format_verified_summary(shown.verified):
            click.echo(f"  {line}")
        click.echo("the extractive summary of the same document:")
        click.echo(f"  {shown.extractive_text[:600]}")
    for facts in facts_demo(config):
        click.echo(f"\n{facts.kind} facts of {facts.file_name} (all of them: docanalysis facts {facts.document_id}):")
        for line in format_facts(facts.rows):
            click.echo(f"  {line}")


if __name__ == "__main__":
    main()
