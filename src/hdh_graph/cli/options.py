"""Options shared by the CLI verbs, and the conversion of library errors into exit codes."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from hdh_graph.errors import HdhError
from hdh_graph.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def settings_options(func: F) -> F:
    """Add ``--catalogue``, ``--store`` and ``--base-iri``; pass a ``settings`` argument instead."""

    @click.option(
        "--catalogue",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Folder of Turtle files to read [env HDH_CATALOGUE; default ./catalogue].",
    )
    @click.option(
        "--store",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Folder of the embedded store [env HDH_STORE; default ./var/store].",
    )
    @click.option(
        "--base-iri",
        default=None,
        help="Base of every resource IRI [env HDH_BASE_IRI; default https://catalogue.health-data-hub.fr/].",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, catalogue: Path | None, store: Path | None, base_iri: str | None, **kw: Any) -> Any:
        try:
            settings = Settings.from_env(catalogue=catalogue, store=store, base_iri=base_iri)
        except HdhError as exc:
            fail(exc)
        return func(*args, settings=settings, **kw)

    return wrapper  # type: ignore[return-value]


def reports_errors(func: F) -> F:
    """Turn the library's errors into a clean message on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kw: Any) -> Any:
        try:
            return func(*args, **kw)
        except HdhError as exc:
            fail(exc)

    return wrapper  # type: ignore[return-value]


def fail(exc: HdhError) -> NoReturn:
    """Print a library error (with its traceback under --debug) and exit with its code."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().params.get("debug"):
        traceback.print_exc()
    click.echo(f"Error: {exc}", err=True)
    sys.exit(exc.exit_code)


def progress(message: str) -> None:
    """Progress lines go to stderr so that stdout stays clean for data."""
    click.echo(message, err=True)
