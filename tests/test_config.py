"""The configuration: where each value comes from, and one clear line for every bad one."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from analysis.config import Config
from analysis.errors import ConfigError


@pytest.fixture
def toml_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "docanalysis.toml"
    monkeypatch.setenv("DOCANALYSIS_CONFIG", str(path))
    return path


def _one_line(caught: pytest.ExceptionInfo[ConfigError]) -> str:
    message = str(caught.value)
    assert "\n" not in message, message
    return message


def test_the_environment_wins_over_the_toml_file(toml_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml_file.write_text('[docanalysis]\nbatch_size = 16\npdf_engine = "pypdfium2"\nredact_stored = true\n')
    monkeypatch.setenv("DOCANALYSIS_BATCH_SIZE", "8")
    monkeypatch.setenv("DOCANALYSIS_PDF_ENGINE", "")  # empty: not set
    config = Config.load()
    assert config.batch_size == 8 and config.pdf_engine == "pypdfium2" and config.redact_stored is True


def test_top_level_keys_in_the_toml_file(toml_file: Path) -> None:
    toml_file.write_text("chunk_tokens = 150\n")
    assert Config.load().chunk_tokens == 150


def test_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCANALYSIS_HOME", str(tmp_path / "from-env"))
    monkeypatch.setenv("DOCANALYSIS_DB_URL", "sqlite:////tmp/env.db")
    config = Config.load(home=tmp_path / "given", db_url=None)  # None: not given
    assert config.home == tmp_path / "given"
    assert config.database_url == "sqlite:////tmp/env.db"


def test_direct_construction_ignores_the_environment(toml_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml_file.write_text("not toml at all [")
    monkeypatch.setenv("DOCANALYSIS_BATCH_SIZE", "8")
    assert Config(jobs="").batch_size == 64


def test_an_unknown_key_in_the_toml_file_is_refused_by_name(toml_file: Path) -> None:
    toml_file.write_text("[docanalysis]\nbatch_size = 16\nbach_size = 8\n")
    with pytest.raises(ConfigError) as caught:
        Config.load()
    assert _one_line(caught) == f"unknown settings in {toml_file}: bach_size"


def test_a_missing_or_broken_toml_file_is_one_line(toml_file: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        Config.load()
    toml_file.write_text("batch_size = = 3\n")
    with pytest.raises(ConfigError, match="is not valid TOML") as caught:
        Config.load()
    _one_line(caught)


def test_a_bad_choice_names_the_setting_the_choices_and_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError) as caught:
        Config(device="tpu")
    assert _one_line(caught) == "device must be one of auto, cpu, cuda, mps, got 'tpu'"
    monkeypatch.setenv("DOCANALYSIS_SUMMARY_BACKEND", "gpt")
    with pytest.raises(ConfigError, match="summary_backend must be one of auto, extractive, llm, got 'gpt'"):
        Config.load()


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("batch_size", 0, "batch_size must be at least 1, got 0"),
        ("max_mapped_tasks", 1025, "max_mapped_tasks must be between 1 and 1024, got 1025"),
        ("max_mapped_tasks", 0, "max_mapped_tasks must be between 1 and 1024, got 0"),
        ("parse_memory_mb", 63, "parse_memory_mb must be at least 64, got 63"),
        ("parse_timeout_s", 0, "parse_timeout_s must be above 0, got 0"),
        ("llm_retries", -1, "llm_retries must be at least 0, got -1"),
        ("batch_size", "lots", "batch_size expects int, got 'lots'"),
        ("jobs", "summarize,translate", "jobs must be a comma-separated subset of summarize, sentiment"),
        ("bach_size", 8, "unknown setting 'bach_size'"),
    ],
)
def test_bad_values_are_one_line(setting: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Config(**{setting: value})
    assert _one_line(caught).startswith(message)


def test_chunk_overlap_must_stay_below_chunk_tokens() -> None:
    assert Config(chunk_tokens=100, chunk_overlap=99).chunk_overlap == 99
    with pytest.raises(ConfigError, match=r"chunk_overlap must be >= 0 and below chunk_tokens \(100\), got 100"):
        Config(chunk_tokens=100, chunk_overlap=100)
    with pytest.raises(ConfigError, match="chunk_overlap must be at least 0, got -1"):
        Config(chunk_overlap=-1)


def test_onnx_int8_is_the_old_name_of_openvino(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Config(embedding_backend="onnx-int8").embedding_backend == "openvino"
    monkeypatch.setenv("DOCANALYSIS_EMBEDDING_BACKEND", "onnx-int8")
    assert Config.load().embedding_backend == "openvino"


def test_secrets_stay_out_of_repr_and_messages() -> None:
    config = Config(db_url="postgresql+psycopg://u:hunter2@db/x", llm_api_key="sk-hunter3")
    assert "hunter2" not in repr(config) and "hunter3" not in repr(config) and "hunter2" not in str(config)
    assert config.database_url == "postgresql+psycopg://u:hunter2@db/x"
    assert config.llm_api_key is not None and config.llm_api_key.get_secret_value() == "sk-hunter3"
    with pytest.raises(ConfigError) as caught:
        Config(llm_api_key=["sk-hunter4"])
    assert "hunter4" not in str(caught.value)


def test_the_configuration_is_frozen_and_replace_validates(tmp_path: Path) -> None:
    config = Config(home=str(tmp_path))
    assert config.home == tmp_path
    with pytest.raises(ValidationError):
        config.batch_size = 8  # type: ignore[misc]
    assert config.replace(jobs="sentiment").job_list == ("sentiment",)
    assert config.job_list == ("summarize", "sentiment", "extract")
    with pytest.raises(ConfigError, match="batch_size must be at least 1"):
        config.replace(batch_size=0)


def test_defaults() -> None:
    config = Config()
    assert config.job_max_attempts == 3
    assert config.database_url.startswith("sqlite:///") and config.database_url.endswith("/.docanalysis/docanalysis.db")
    assert config.index_dir == Path(".docanalysis/index")
    assert config.source_roots == (Path(".docanalysis/inbox").resolve(),)
