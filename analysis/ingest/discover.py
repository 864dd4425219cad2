"""Find the files under the source paths and fingerprint them by content.

Discovery never follows a path out of its source folder and never blocks: a symbolic link
that leads outside the folder (or nowhere, or round in a loop), a named pipe, a socket or a
device, a folder it cannot read, and a path no database can hold (a name that is not UTF-8, a
path longer than the store's path column) come back as a ``FoundFile`` with a ``problem``, which
the pipeline quarantines without opening the file. Hidden files and folders are skipped.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from analysis.errors import SourceNotFoundError, SourcePathError, UnsupportedFileError
from analysis.records import SourceFile

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})  # read by OCR
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES | IMAGE_SUFFIXES
VANISHED = "file disappeared before it could be parsed"
MAX_PATH_CHARS = 2048
"""The store's path columns (``document_sources.path``, ``quarantine.path``) hold this many characters."""
NOT_UTF8 = "name is not valid UTF-8 (rename it)"
TOO_LONG = "path too long to store"


class NotRegularFileError(OSError):
    """Opened something that is not a regular file (it was swapped for a pipe or a device)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({what})", str(path))


@dataclass(frozen=True)
class FoundFile:
    """A file under a source root; ``kind`` is None when its type is not supported.

    ``problem`` is the one-line reason the file must be quarantined without being read.
    """

    path: Path
    kind: str | None
    problem: str | None = None


def file_kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    return None


def path_problem(path: Path) -> str | None:
    """Why the store cannot hold ``path`` as it is, or None.

    On Linux a file name is bytes; one that is not UTF-8 (Latin-1 names from an old file share)
    reaches Python with lone surrogates, which neither SQLite nor PostgreSQL accepts, and PostgreSQL
    refuses a path longer than its column. Either would fail the whole run at the first query.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return NOT_UTF8
    if len(text) > MAX_PATH_CHARS:
        return f"{TOO_LONG} ({len(text)} characters > {MAX_PATH_CHARS})"
    return None


def is_stand_in(quarantine_reason: str) -> bool:
    """Whether a quarantine row with this reason holds a ``stored_path`` stand-in, not a real path."""
    return quarantine_reason.startswith((NOT_UTF8, TOO_LONG))


def stored_path(path: Path) -> str:
    """``str(path)`` as the store keeps it; for a path it cannot hold (see ``path_problem``), a stable
    stand-in: undecodable bytes written as ``\\xNN``, an over-long path cut short and ended with a hash
    of the whole, so that the quarantine row is found again on the next run."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = os.fsencode(path).decode("utf-8", "backslashreplace")
    if len(text) > MAX_PATH_CHARS:
        digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:16]
        text = f"{text[: MAX_PATH_CHARS - 20]}...#{digest}"
    return text


def validate_sources(paths: list[Path]) -> list[Path]:
    """Fail before any work when a named path is missing or an explicitly named file is unsupported."""
    resolved: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceNotFoundError(str(path))
        problem = path_problem(path.resolve())
        if problem is not None:  # every file under it would be quarantined for the same reason
            raise SourcePathError(problem, stored_path(path))
        if path.is_file() and file_kind(path) is None:
            raise UnsupportedFileError(path, ", ".join(sorted(SUPPORTED_SUFFIXES)))
        resolved.append(path.resolve())
    return resolved


def discover_files(paths: list[Path], *, skipped: Counter[str] | None = None) -> Iterator[FoundFile]:
    """Yield every file under ``paths`` in a stable order, each with its problem if it has one.

    Hidden entries and links to folders inside a root are skipped (counted in ``skipped``):
    the files behind such a link are found by their own path.
    """
    seen: set[Path] = set()
    skipped = Counter() if skipped is None else skipped
    for root in paths:
        candidates = _walk(root, skipped) if root.is_dir() else iter([found_file(root, root)])
        for found in candidates:
            if found.path in seen:
                continue
            seen.add(found.path)
            yield found


def found_file(path: Path, root: Path) -> FoundFile:
    """What discovery makes of one path under ``root``: its kind, or why it cannot be used."""
    return FoundFile(path=path, kind=file_kind(path), problem=_problem(path, root))


def _walk(root: Path, skipped: Counter[str]) -> Iterator[FoundFile]:
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        yield from (_unreadable_folder(error) for error in unreadable)
        unreadable.clear()
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                skipped["hidden"] += 1
            elif (here / name).is_symlink():  # os.walk lists links to folders here and never follows them
                problem = _problem(here / name, root)
                if problem is None:
                    skipped["linked_folder"] += 1
                else:
                    yield FoundFile(path=here / name, kind=None, problem=problem)
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                skipped["hidden"] += 1
            else:
                yield found_file(here / name, root)
    yield from (_unreadable_folder(error) for error in unreadable)


def _unreadable_folder(error: OSError) -> FoundFile:
    path = Path(error.filename)
    return FoundFile(
        path=path, kind=None, problem=path_problem(path) or f"cannot read folder: {error.strerror or error}"
    )


def _problem(path: Path, root: Path) -> str | None:
    """Why ``path`` must not be opened, or None; never follows a link out of ``root``."""
    unstorable = path_problem(path)
    if unstorable is not None:
        return unstorable
    try:
        info = path.lstat()
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return _link_problem(path, root)
    if not stat.S_ISREG(info.st_mode):
        return f"not a regular file ({_what(info.st_mode)})"
    return None


def _link_problem(path: Path, root: Path) -> str | None:
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return "symbolic link loop (not followed)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (not followed)"
        return "broken symbolic link (its target does not exist)"
    container = root if root.is_dir() else root.parent
    if not target.is_relative_to(container.resolve()):
        what = "folder" if target.is_dir() else "file"
        return f"symbolic link to a {what} outside the source folder (not followed): {target}"
    if target.is_dir():
        return None
    mode = target.stat().st_mode
    return None if stat.S_ISREG(mode) else f"symbolic link to something that is not a regular file ({_what(mode)})"


def _what(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return name
    return "special file"


def open_regular(path: Path) -> BinaryIO:
    """Open a file for reading, refusing anything but a regular file without blocking on it
    (a named pipe swapped in after discovery would otherwise hang the run)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(path, _what(mode))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def fingerprint(path: Path, kind: str) -> SourceFile:
    """Hash the file's bytes: a document's identity is its content, not its name."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
        info = os.fstat(handle.fileno())
    return SourceFile(path=path, sha256=digest.hexdigest(), size=info.st_size, mtime_ns=info.st_mtime_ns, kind=kind)
