"""The direction of the arrows: dags/ and plugins/ import analysis; analysis imports neither."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_library_never_imports_airflow_dags_or_plugins() -> None:
    offenders = {
        str(path.relative_to(REPO)): bad
        for path in (REPO / "analysis").rglob("*.py")
        if (bad := _imports(path) & {"airflow", "dags", "plugins"})
    }
    assert not offenders


def test_the_layout_exists() -> None:
    for name in (
        "analysis",
        "dags",
        "plugins",
        "sql",
        "tests",
        "benchmarks",
        "docker-compose.yml",
        "pyproject.toml",
        "README.md",
        ".ci/run",
        "constraints.txt",
    ):
        assert (REPO / name).exists(), name
