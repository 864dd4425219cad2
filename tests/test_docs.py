"""Docs kept honest: every command is documented in the README, the settings reference is generated."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from analysis.cli import main

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


def test_every_command_is_documented() -> None:
    commands = _commands(main)
    assert {"run", "search", "status", "index rebuild"} <= set(commands)
    missing = [c for c in commands if f"docanalysis {c}" not in README]
    assert not missing, f"undocumented commands: {missing}"


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
