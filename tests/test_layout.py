"""The direction of the arrows: dags/ and plugins/ import analysis; analysis imports neither."""

from __future__ import annotations

import ast
import re
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


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path, modules: set[str], *, deferred: bool) -> set[str]:
    """The analysis modules ``path`` imports when it loads (and, with ``deferred``, inside its
    functions too), each with the packages above it, whose ``__init__`` runs first."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    own = _module_name(path) + "."
    found: set[str] = set()

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # for the type checker only
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import | ast.ImportFrom) and (deferred or not in_function):
                if isinstance(child, ast.Import):
                    names = [alias.name for alias in child.names]
                else:
                    base = child.module or ""
                    if child.level:
                        base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + [base])
                    names = [
                        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in child.names
                    ]
                for name in names:
                    while name and not own.startswith(name + "."):  # its own packages are loading already
                        if name in modules:
                            found.add(name)
                        name = name.rpartition(".")[0]
            visit(child, nested)

    visit(tree, False)
    return found


def _cycles(deferred: bool) -> list[list[str]]:
    files = {_module_name(p): p for p in (REPO / "analysis").rglob("*.py") if "migrations" not in p.parts}
    graph = {name: _runtime_imports(path, set(files), deferred=deferred) - {name} for name, path in files.items()}
    cycles, state = [], dict.fromkeys(graph, 0)  # 0 new, 1 on the current path, 2 done

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state[nxt] == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif state[nxt] == 0:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if state[name] == 0:
            walk(name, [name])
    return cycles


def test_no_import_cycle_inside_the_library() -> None:
    """The arrows inside analysis/ point one way: a module never needs one that needs it back."""
    assert not _cycles(deferred=False), "import cycles when modules load"
    assert not _cycles(deferred=True), "import cycles through imports inside functions"


def test_no_test_module_imports_the_conftest() -> None:
    """tests/ is not a package: pytest loads the conftest as ``conftest`` (``from conftest import``
    shares it), but ``from tests.conftest import ...`` loads a second copy, whose own temporary
    AIRFLOW_HOME then replaces the one the Airflow fixtures migrated."""
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "tests").rglob("*.py")
        if re.search(r"^\s*(from\s+tests\.conftest\s+import|import\s+tests\.conftest)", path.read_text(), re.M)
    ]
    assert offenders == []
