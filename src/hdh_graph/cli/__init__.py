"""The ``hdh`` command line: a thin layer that gathers options and calls the library.

Each verb lives in its own module and is loaded only when it is run, so that ``hdh --help`` stays fast
and one verb's dependencies never slow another.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from typing import Any

import click

from hdh_graph import __version__

# verb name -> "module:attribute" under hdh_graph.cli; other packages add verbs through the entry-point group
# PLUGIN_GROUP (the loaders add ``hdh import`` this way, so that the library never imports them)
PLUGIN_GROUP = "hdh_graph.commands"
COMMANDS: dict[str, str] = {
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
        own = {name for name, target in COMMANDS.items() if _module_exists(target)}
        return sorted(own | set(_plugins()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            plugin = _plugins().get(cmd_name)
            return None if plugin is None else _as_command(plugin.load(), plugin.value)
        module_name, attr = target.split(":")
        module = importlib.import_module(f"hdh_graph.cli.{module_name}")
        command: click.Command = getattr(module, attr)
        return command


def _plugins() -> dict[str, importlib.metadata.EntryPoint]:
    """The verbs other installed packages register under PLUGIN_GROUP, by name."""
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=PLUGIN_GROUP) if ep.name not in COMMANDS}


def _as_command(obj: object, where: str) -> click.Command:
    if not isinstance(obj, click.Command):
        raise click.ClickException(f"{where} (entry point of {PLUGIN_GROUP}) is not a click command")
    return obj


def _module_exists(target: str) -> bool:
    return importlib.util.find_spec(f"hdh_graph.cli.{target.split(':')[0]}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hdh")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
def main(debug: bool) -> None:
    """hdh: build, validate, query, serve and publish the health data catalogue graph."""


def run(*args: Any) -> None:  # pragma: no cover - entry point helper
    main(*args)
