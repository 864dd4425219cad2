"""Discovery never follows a path out of its source folder and never blocks on what it finds."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from analysis.ingest.discover import NotRegularFileError, discover_files, fingerprint, open_regular


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
