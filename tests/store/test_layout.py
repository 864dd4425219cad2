"""The store's layout: one module per concern, each small, sharing only the engine and the helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis.store import Store
from analysis.store.engine import Repository
from analysis.store.store import PARTS, forwarding_table

STORE = Path(__file__).resolve().parents[2] / "analysis" / "store"
REPOSITORIES = ("runs", "documents", "embeddings", "results", "queries", "answers")
SHARED = {"analysis.store.engine", "analysis.store.shared", "analysis.store.schema"}
MAX_LINES = 350


def _store_imports(module: str) -> set[str]:
    tree = ast.parse((STORE / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {n for n in names if n == "analysis.store" or n.startswith("analysis.store.")}


@pytest.mark.parametrize("module", REPOSITORIES)
def test_a_repository_is_small_and_imports_no_other_repository(module: str) -> None:
    assert len((STORE / f"{module}.py").read_text(encoding="utf-8").splitlines()) <= MAX_LINES
    assert _store_imports(module) <= SHARED


def test_every_repository_is_a_part_of_the_store() -> None:
    parts = {cls.__module__.rsplit(".", 1)[1] for cls in PARTS.values() if issubclass(cls, Repository)}
    assert parts == set(REPOSITORIES)


def test_the_store_forwards_each_name_to_the_one_part_that_defines_it() -> None:
    with Store("sqlite://") as store:
        assert store.start_run.__self__ is store.runs
        assert store.save_document.__self__ is store.documents
        assert store.vectors.__self__ is store.embeddings
        assert store.save_summary.__self__ is store.results
        assert store.search_hits.__self__ is store.queries
        assert store.session.__self__ is store.db
        assert "record_job_failure" in dir(store)
        with pytest.raises(AttributeError):
            store.no_such_method  # noqa: B018


def test_two_parts_defining_one_name_are_refused() -> None:
    class A(Repository):
        def counts(self) -> None: ...

    class B(Repository):
        def counts(self) -> None: ...

    with pytest.raises(TypeError, match="counts"):
        forwarding_table({"a": A, "b": B}, set())
    with pytest.raises(TypeError, match="counts"):
        forwarding_table({"a": A}, {"counts"})
