"""Docs kept honest: every command and every setting is documented in the README."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from analysis.cli import main
from analysis.config import Config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


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


def test_every_setting_is_documented() -> None:
    missing = [f.name for f in dataclasses.fields(Config) if f"| `{f.name}` |" not in README]
    assert not missing, f"undocumented settings: {missing}"


def test_readme_quick_start_is_two_commands_that_ci_runs() -> None:
    quick = README.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in quick.splitlines()[1:] if line.strip()]
    assert commands == ["make demo", "make test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci
