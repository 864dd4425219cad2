"""Any script is safe: documents in many scripts, encodings and directions through the default run.

`docanalysis run` with the default jobs over ``torture_corpus`` (tests/hostile_files.py), on
SQLite and on PostgreSQL (which refuses NUL and lone surrogates outright): every file is stored
or quarantined with a one-line reason, every file with readable text is stored whatever its
script, every stored document gets its summary and its sentiment, and a second run has nothing
left to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hostile_files import STORED, torture_corpus
from run_checks import accounted, analysis_gaps, one_line, open_failures
from sqlalchemy import select

from analysis.cli import main
from analysis.config import Config
from analysis.ingest.discover import stored_path
from analysis.store import Store
from analysis.store.schema import ChunkRow


def _run(config: Config, src: Path) -> Result:
    """`docanalysis run` as a user types it: the default jobs, no --jobs."""
    args = ["--home", str(config.home)]
    if config.db_url:
        args += ["--db-url", config.db_url.get_secret_value()]
    return CliRunner().invoke(main, [*args, "run", "--no-progress", str(src)])


@pytest.mark.slow
def test_every_script_and_encoding_is_stored_or_quarantined_and_analysed(any_config: Config, tmp_path: Path) -> None:
    src = tmp_path / "torture"
    expected = {stored_path(src / name): outcome for name, outcome in torture_corpus(src).items()}

    result = _run(any_config, src)

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    store = Store(any_config.database_url)
    try:
        with store.session() as s:
            stored, quarantined = accounted(s)
            assert not stored & set(quarantined), "a path is both stored and quarantined"
            assert stored | set(quarantined) == set(expected), "every file is accounted for"
            for path, outcome in expected.items():
                if outcome == STORED:
                    assert path in stored, f"{path} has readable text but was quarantined: {quarantined.get(path)}"
                else:
                    assert quarantined.get(path, "").startswith(outcome), (path, quarantined.get(path))
            assert all(one_line(reason) for reason in quarantined.values())
            for chunk in s.scalars(select(ChunkRow.text)):
                chunk.encode("utf-8")  # no lone surrogate reached the store
                assert "\x00" not in chunk
            assert analysis_gaps(s) == []
            assert open_failures(s) == {}, "no job fails on any script today"
    finally:
        store.close()

    again = _run(any_config, src)
    assert again.exit_code == 0, again.output
    assert " 0 new, " in again.output and " 0 quarantined;" in again.output, again.output
