"""What a compliance user may ask of an on-demand run, checked before any work starts.

A scheduler's own parameter schema checks types; this module checks what a schema cannot:
that the request names something, that every path exists and lies under a configured
source root, and that every document id is known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.errors import InvalidRequestError
from analysis.jobs.registry import JOB_NAMES

RUN_STEPS = ("ingest", "embed", *JOB_NAMES)


@dataclass(frozen=True)
class RunRequest:
    """A validated on-demand request; ``paths`` are resolved and inside the source roots."""

    requested_by: str
    reason: str
    paths: tuple[Path, ...] = ()
    document_ids: tuple[int, ...] = ()
    since: datetime | None = None
    steps: tuple[str, ...] = RUN_STEPS
    force: bool = False

    def as_params(self) -> dict[str, Any]:
        """The request as stored on the run and audit rows (JSON)."""
        return {
            "requested_by": self.requested_by,
            "reason": self.reason,
            "paths": [str(p) for p in self.paths],
            "document_ids": list(self.document_ids),
            "since": self.since.isoformat() if self.since else None,
            "jobs": list(self.steps),
            "force": self.force,
        }


def parse_run_request(conf: Mapping[str, Any], *, roots: Sequence[Path]) -> RunRequest:
    """Check a request and say everything that is wrong with it in one message."""
    problems: list[str] = []
    requested_by = _text(conf.get("requested_by"), "requested_by", problems)
    reason = _text(conf.get("reason"), "reason", problems)
    paths = _paths(conf.get("paths") or [], roots, problems)
    document_ids = _ids(conf.get("document_ids") or [], problems)
    since = _since(conf.get("since"), problems)
    steps = _steps(conf.get("jobs"), problems)
    force = conf.get("force", False)
    if not isinstance(force, bool):
        problems.append(f"force must be true or false, got {force!r}")
    if not (conf.get("paths") or conf.get("document_ids") or conf.get("since")):
        problems.append("name at least one of paths, document_ids or since")
    if problems:
        raise InvalidRequestError(problems)
    return RunRequest(
        requested_by=requested_by,
        reason=reason,
        paths=tuple(paths),
        document_ids=tuple(document_ids),
        since=since,
        steps=steps,
        force=bool(force),
    )


def confine_to_roots(path: Path | str, roots: Sequence[Path]) -> Path:
    """The real path of ``path`` (relative ones are taken from the first root), if under a root.

    Symlinks are followed first, so a link inside a root cannot reach outside it.
    """
    raw = Path(path).expanduser()
    candidate = (raw if raw.is_absolute() else Path(roots[0]) / raw).resolve()
    for root in roots:
        if candidate.is_relative_to(Path(root).resolve()):
            return candidate
    raise InvalidRequestError([f"path {str(path)!r} is outside the source roots ({', '.join(map(str, roots))})"])


def _text(value: Any, name: str, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{name} is required (a non-empty string)")
        return ""
    return value.strip()


def _paths(value: Any, roots: Sequence[Path], problems: list[str]) -> list[Path]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        problems.append("paths must be a list of file or folder paths")
        return []
    resolved = []
    for raw in value:
        try:
            path = confine_to_roots(raw, roots)
        except InvalidRequestError as exc:
            problems.extend(exc.problems)
            continue
        if not path.exists():
            problems.append(f"path {raw!r} does not exist")
            continue
        resolved.append(path)
    return resolved


def _ids(value: Any, problems: list[str]) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in value):
        problems.append("document_ids must be a list of positive integers")
        return []
    return sorted(set(value))


def _since(value: Any, problems: list[str]) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        since = datetime.fromisoformat(str(value))
    except ValueError:
        problems.append(f"since must be an ISO date or timestamp such as 2026-11-01, got {value!r}")
        return None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def _steps(value: Any, problems: list[str]) -> tuple[str, ...]:
    if value in (None, []):
        return RUN_STEPS
    if not isinstance(value, list) or any(s not in RUN_STEPS for s in value):
        problems.append(f"jobs must be a list drawn from {', '.join(RUN_STEPS)}, got {value!r}")
        return RUN_STEPS
    return tuple(s for s in RUN_STEPS if s in value)
