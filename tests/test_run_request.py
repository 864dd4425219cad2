"""An on-demand request is checked whole, and every problem is named in one message."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import InvalidRequestError
from analysis.run_request import RUN_STEPS, confine_to_roots, parse_run_request


@pytest.fixture
def root(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "contracts").mkdir(parents=True)
    (inbox / "contracts" / "a.pdf").write_bytes(b"%PDF-1.4")
    return inbox


def test_a_valid_request(root: Path) -> None:
    request = parse_run_request(
        {"paths": ["contracts/a.pdf"], "requested_by": " c.lee ", "reason": "T-1", "since": "2026-11-01"},
        roots=[root],
    )
    assert request.paths == ((root / "contracts" / "a.pdf").resolve(),)
    assert request.requested_by == "c.lee"
    assert request.steps == RUN_STEPS
    assert request.since is not None and request.since.tzinfo is not None
    assert request.as_params()["paths"] == [str((root / "contracts" / "a.pdf").resolve())]


def test_every_problem_is_named_at_once(root: Path) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        parse_run_request({"paths": ["/etc/passwd"], "since": "last week", "jobs": ["translate"]}, roots=[root])
    message = str(caught.value)
    for fragment in ("requested_by is required", "reason is required", "outside the source roots", "since must be"):
        assert fragment in message
    assert "jobs must be" in message
    assert "\n" not in message


def test_a_symlink_cannot_lead_out_of_the_roots(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    (root / "link.txt").symlink_to(secret)
    with pytest.raises(InvalidRequestError, match="outside the source roots"):
        confine_to_roots("link.txt", [root])
    with pytest.raises(InvalidRequestError, match="outside the source roots"):
        confine_to_roots("../secret.txt", [root])


@pytest.mark.parametrize(
    "conf",
    [
        {"requested_by": "a", "reason": "b"},
        {"requested_by": "a", "reason": "b", "document_ids": [0]},
        {"requested_by": "a", "reason": "b", "document_ids": [True]},
        {"requested_by": "a", "reason": "b", "document_ids": [1], "force": "yes"},
        {"requested_by": "a", "reason": "b", "paths": "contracts/a.pdf"},
        {"requested_by": "a", "reason": "b", "paths": ["contracts/missing.pdf"]},
    ],
)
def test_invalid_requests(root: Path, conf: dict[str, object]) -> None:
    with pytest.raises(InvalidRequestError):
        parse_run_request(conf, roots=[root])
