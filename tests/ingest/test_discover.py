"""Discovery never follows a path out of its source folder and never blocks on what it finds."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from analysis.errors import SourcePathError
from analysis.ingest.discover import (
    MAX_PATH_CHARS,
    NotRegularFileError,
    discover_files,
    fingerprint,
    open_regular,
    path_problem,
    stored_path,
    validate_sources,
)


def _problems(root: Path, skipped: Counter[str] | None = None) -> dict[str, str | None]:
    return {f.path.name: f.problem for f in discover_files([root], skipped=skipped)}


def test_links_inside_the_folder_are_followed_and_links_out_are_not(tmp_path: Path) -> None:
    root, outside = tmp_path / "inbox", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "a.txt").write_text("inside")
    (outside / "secret.txt").write_text("outside")
    (root / "in.txt").symlink_to(root / "a.txt")
    (root / "relative-out.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (root / "out.txt").symlink_to(outside / "secret.txt")
    (root / "out-folder").symlink_to(outside)
    (root / "sub-link").symlink_to(root / "sub")
    skipped: Counter[str] = Counter()

    problems = _problems(root, skipped)

    assert problems["a.txt"] is None and problems["in.txt"] is None
    for name in ("out.txt", "relative-out.txt"):
        assert (
            problems[name] == f"symbolic link to a file outside the source folder (not followed): {outside}/secret.txt"
        )
    assert problems["out-folder"] == f"symbolic link to a folder outside the source folder (not followed): {outside}"
    assert "sub-link" not in problems and skipped["linked_folder"] == 1


def test_broken_links_loops_and_pipes_are_problems_not_hangs(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nothing.txt")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "self.pdf").symlink_to(tmp_path / "self.pdf")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "pipe-link.txt").symlink_to(tmp_path / "pipe.txt")

    problems = _problems(tmp_path)

    assert problems == {
        "a.txt": "symbolic link loop (not followed)",
        "b.txt": "symbolic link loop (not followed)",
        "broken.txt": "broken symbolic link (its target does not exist)",
        "pipe-link.txt": "symbolic link to something that is not a regular file (named pipe)",
        "pipe.txt": "not a regular file (named pipe)",
        "self.pdf": "symbolic link loop (not followed)",
    }


def test_a_pipe_swapped_in_after_discovery_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # nobody writes to it: a plain open() would wait forever
    with pytest.raises(NotRegularFileError, match="named pipe"):
        open_regular(tmp_path / "pipe.txt")
    with pytest.raises(OSError, match="not a regular file"):
        fingerprint(tmp_path / "pipe.txt", "text")


def test_hidden_entries_are_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("x")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "note.txt").write_text("x")
    skipped: Counter[str] = Counter()
    assert _problems(tmp_path, skipped) == {"note.txt": None}
    assert skipped["hidden"] == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their permissions")
def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked").chmod(0)
    try:
        problems = _problems(tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert problems == {"locked": "cannot read folder: Permission denied"}


def test_a_path_the_store_cannot_hold_is_a_problem_with_a_stable_stand_in(tmp_path: Path) -> None:
    """A Latin-1 file name reaches Python with lone surrogates, which no database encodes; a path
    longer than the path column is refused by PostgreSQL. Both would fail the run at the first query."""
    root = tmp_path / "inbox"
    root.mkdir()
    latin1 = root / os.fsdecode(b"caf\xe9.txt")
    latin1.write_text("a note")
    deep = root.joinpath(*("x" * 250 for _ in range(9)), "deep.txt")
    deep.parent.mkdir(parents=True)
    deep.write_text("a note")
    (root / "日本語.txt").write_text("a note")  # any script is fine when it is UTF-8

    problems = {f.path: f.problem for f in discover_files([root])}

    assert problems[latin1] == "name is not valid UTF-8 (rename it)"
    assert problems[deep] == f"path too long to store ({len(str(deep))} characters > {MAX_PATH_CHARS})"
    assert problems[root / "日本語.txt"] is None
    assert stored_path(latin1) == f"{root}/caf\\xe9.txt"
    stand_in = stored_path(deep)
    assert len(stand_in) <= MAX_PATH_CHARS and stand_in == stored_path(deep), "the same on every run"
    assert stand_in.startswith(str(root)) and stand_in != stored_path(deep.with_name("other.txt"))
    assert stored_path(root / "日本語.txt") == str(root / "日本語.txt")
    assert path_problem(root / "日本語.txt") is None


def test_the_path_limit_is_the_store_column_length() -> None:
    from analysis.store.schema import QuarantineRow, SourceRow

    assert SourceRow.__table__.c.path.type.length == QuarantineRow.__table__.c.path.type.length == MAX_PATH_CHARS


def test_a_source_path_the_store_cannot_hold_is_refused_before_any_work(tmp_path: Path) -> None:
    root = tmp_path / os.fsdecode(b"d\xe9p\xf4t")
    root.mkdir()
    with pytest.raises(SourcePathError, match="name is not valid UTF-8"):
        validate_sources([root])
