"""docs/reference/settings.md, generated from the settings' field descriptions.

    PYTHONPATH=plugins python -m docanalysis_airflow.settings_reference > docs/reference/settings.md

It lives here, not in ``analysis``, because it renders the Airflow deployment settings too and
the library never imports the plugin. A test fails when the file differs from what this prints.
"""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from analysis.config import ENV_PREFIX, Config, bounds, kind
from docanalysis_airflow.settings import DeploymentSettings

HEADER = """\
# Settings reference

Generated from the field descriptions in `analysis/config.py` and
`plugins/docanalysis_airflow/settings.py`; do not edit by hand. After changing a setting,
regenerate it:

```bash
PYTHONPATH=plugins python -m docanalysis_airflow.settings_reference > docs/reference/settings.md
```

## Library settings

One configuration object, `analysis.config.Config`, for the library, the CLI and the Airflow
tasks. Each setting is taken from, highest first: a command-line option (`--home`, `--db-url`),
the environment variable, the TOML file named by `DOCANALYSIS_CONFIG` (keys under
`[docanalysis]`, or at the top level), then the default. Inside Airflow, the `docanalysis_db`
and `docanalysis_index` connections and the `docanalysis_settings` variable come before all of
these. A bad value stops the program with one line naming the setting and what it may be.
"""

DEPLOYMENT_HEADER = """\
## Airflow deployment settings

`docanalysis_airflow.settings.DeploymentSettings`: what Airflow needs while it parses the DAG
files, so these come from the environment only (never the metadata database).
"""


def _type(field: FieldInfo) -> str:
    if get_origin(field.annotation) is Literal:
        return ", ".join(f"`{choice}`" for choice in get_args(field.annotation))
    return ", ".join(filter(None, [kind(field.annotation), bounds(field)]))


def _default(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`" if value != "" else "empty"


def settings_table(model: type[BaseSettings], *, env_only: bool = False) -> str:
    """One Markdown row per field: name, environment variable, type or choices, default, description."""
    head = ["environment variable", "type or choices", "default", "description"]
    rows = [head if env_only else ["setting", *head], ["---"] * (len(head) + (not env_only))]
    for name, field in model.model_fields.items():
        cells = [f"`{ENV_PREFIX}{name.upper()}`", _type(field), _default(field.default), field.description or ""]
        rows.append(cells if env_only else [f"`{name}`", *cells])
    return "".join("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |\n" for row in rows)


def settings_reference() -> str:
    """The Markdown text of docs/reference/settings.md."""
    return "\n".join(
        [HEADER, settings_table(Config), DEPLOYMENT_HEADER, settings_table(DeploymentSettings, env_only=True)]
    )


if __name__ == "__main__":
    print(settings_reference(), end="")
