"""The ``hdh`` command line: a thin layer that gathers options and calls the library.

Each verb lives in its own module and is loaded only when it is run, so that ``hdh --help`` stays fast
and one verb's dependencies never slow another.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

from hdh_graph import __version__

# verb name -> "module:attribute" under hdh_graph.cli
COMMANDS: dict[str, str] = {
    "import": "importing:import_group",
    "build": "store_cmds:build",
    "query": "store_cmds:query",
    "export": "store_cmds:export",
    "stats": "store_cmds:stats",
    "serve": "serve_cmds:serve",
    "publish": "serve_cmds:publish",
    "validate": "validate_cmds:validate",
    "site": "site_cmds:site",
    "harvest": "harvest_cmds:harvest",
    "quality": "quality_cmds:quality",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, target in COMMANDS.items() if _module_exists(target))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        module = importlib.import_module(f"hdh_graph.cli.{module_name}")
        command: click.Command = getattr(module, attr)
        return command


def _module_exists(target: str) -> bool:
    return importlib.util.find_spec(f"hdh_graph.cli.{target.split(':')[0]}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hdh")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
def main(debug: bool) -> None:
    """hdh: build, validate, query, serve and publish the health data catalogue graph."""


def run(*args: Any) -> None:  # pragma: no cover - entry point helper
    main(*args)
