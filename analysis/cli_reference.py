"""docs/reference/cli.md, generated from the `--help` of every `docanalysis` command.

    python -m analysis.cli_reference > docs/reference/cli.md

A test fails when the file differs from what this prints, so the reference cannot drift
from the code. The width is fixed, so the output does not depend on the terminal.
"""

from __future__ import annotations

import click

WIDTH = 100

HEADER = """\
# Command-line reference

Generated from the `--help` of every `docanalysis` command; do not edit by hand. After changing
a command, regenerate it:

```bash
python -m analysis.cli_reference > docs/reference/cli.md
```

Global options (`--home`, `--db-url`, `-v`) go before the command: `docanalysis --home DIR status`.
"""


def _sections(command: click.Command, ctx: click.Context) -> list[str]:
    """This command's help, then each subcommand's, in click's order (alphabetical)."""
    help_text = command.get_help(ctx).rstrip()
    sections = [f"## `{ctx.command_path}`\n\n```text\n{help_text}\n```\n"]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                sections += _sections(sub, click.Context(sub, info_name=name, parent=ctx))
    return sections


def cli_reference() -> str:
    """The Markdown text of docs/reference/cli.md."""
    from analysis.cli import main

    root = click.Context(main, info_name="docanalysis", terminal_width=WIDTH, max_content_width=WIDTH)
    return "\n".join([HEADER, *_sections(main, root)])


if __name__ == "__main__":
    click.echo(cli_reference(), nl=False)
