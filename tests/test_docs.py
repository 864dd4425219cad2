"""Docs kept honest: the command and settings references are generated from the code, and
every relative link points at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from analysis.cli import main
from analysis.cli_reference import cli_reference

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SETTINGS_REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "settings.md"


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names: list[str] = []
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            names.extend(_commands(command, prefix=f"{full} "))
        else:
            names.append(full)
    return names


REPO = Path(__file__).resolve().parents[1]
CLI_REFERENCE = REPO / "docs" / "reference" / "cli.md"


def test_cli_reference_is_generated_from_the_code() -> None:
    assert CLI_REFERENCE.read_text() == cli_reference(), (
        "docs/reference/cli.md is out of date: run `python -m analysis.cli_reference > docs/reference/cli.md`"
    )


def test_every_command_is_in_the_cli_reference() -> None:
    commands = _commands(main)
    assert {"run", "search", "status", "index rebuild", "purge", "db upgrade"} <= set(commands)
    reference = CLI_REFERENCE.read_text()
    missing = [c for c in commands if f"## `docanalysis {c}`" not in reference]
    assert not missing, f"commands missing from docs/reference/cli.md: {missing}"


def test_settings_reference_is_generated_from_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(SETTINGS_REFERENCE.parents[2] / "plugins"))
    from docanalysis_airflow.settings_reference import settings_reference

    assert SETTINGS_REFERENCE.read_text() == settings_reference(), (
        "docs/reference/settings.md is out of date: run "
        "`PYTHONPATH=plugins python -m docanalysis_airflow.settings_reference > docs/reference/settings.md`"
    )


def test_readme_quick_start_is_two_commands_that_ci_runs() -> None:
    quick = README.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in quick.splitlines()[1:] if line.strip()]
    assert commands == ["make demo", "make test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci


_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _relative_links(markdown: str) -> list[str]:
    """Link targets outside code (fenced blocks and inline code), without URLs or in-page anchors."""
    prose = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    targets = [t for t in _LINK.findall(prose) if not re.match(r"[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]
    return [t.split("#", 1)[0] for t in targets]


def test_every_relative_link_points_at_a_file_that_exists() -> None:
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    broken = [
        f"{page.relative_to(REPO)}: {target}"
        for page in pages
        for target in _relative_links(page.read_text())
        if not (page.parent / target).resolve().exists()
    ]
    assert not broken, f"links to files that do not exist: {broken}"


def test_the_link_check_sees_links() -> None:
    assert _relative_links("see [the guide](docs/a.md#top), [x](https://e.org) and `[y](z.md)`") == ["docs/a.md"]


def _one_machine_section() -> str:
    text = (REPO / "docs" / "airflow.md").read_text()
    return text.split("## Running the DAGs on one machine", 1)[1].split("\n## ", 1)[0]


def test_airflow_on_one_machine_is_make_airflow_in_the_docs_and_the_readme() -> None:
    """tests/live/test_live_airflow.py runs the page's `make airflow` line; these are the rest of
    what an operator needs from the page and the README, and the Makefile variables it names."""
    section = _one_machine_section()
    commands = section.split("```bash\n", 1)[1].split("```", 1)[0]
    assert "mkdir -p inbox" in commands and any(line.startswith("make airflow") for line in commands.splitlines())
    for needed in ("simple_auth_manager_passwords.json.generated", "docanalysis.db", "Ctrl-C", "is_paused", "HTTP 400"):
        assert needed in section, needed
    readme = README.split("## Airflow on one machine", 1)[1].split("\n## ", 1)[0]
    assert "make airflow" in readme and "simple_auth_manager_passwords.json.generated" in readme
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^airflow: install$", makefile, re.MULTILINE)
    documented = re.findall(r"^\| `([A-Z_]+)` \| `[^`]*` \|", section, re.MULTILINE)
    assert documented and all(re.search(rf"^{name} \?= ", makefile, re.MULTILINE) for name in documented), documented
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert {".airflow/", "inbox/"} <= set(ignored)
