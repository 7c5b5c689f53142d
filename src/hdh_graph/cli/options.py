"""Options shared by the CLI verbs, and the conversion of library errors into exit codes."""

from __future__ import annotations

import errno
import functools
import sqlite3
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
        except (OSError, sqlite3.OperationalError) as exc:
            if not _out_of_space(exc):
                raise
            fail(
                HdhError(
                    f"the disk is full, or a file size limit was reached, while writing: {exc}",
                    hint="free some space (or raise the limit) and run the command again; what the command "
                    "replaces is only replaced once complete, so the previous version is still in place",
                )
            )

    return wrapper  # type: ignore[return-value]


_SPACE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_SPACE_WORDS = ("no space left", "file too large", "disk is full", "disk i/o error", "quota exceeded")


def _out_of_space(exc: BaseException) -> bool:
    """An error that says the disk (or the process's file size limit) is full, from the OS, RocksDB or SQLite."""
    if isinstance(exc, OSError) and exc.errno in _SPACE:
        return True
    return any(word in str(exc).lower() for word in _SPACE_WORDS)


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
