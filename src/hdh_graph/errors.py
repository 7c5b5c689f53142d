"""The library's own error types. The CLI turns them into a message and an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class HdhError(Exception):
    """Base of every error the library raises on purpose. ``hint`` says how to fix it."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nHint: {self.hint}"


class SettingsError(HdhError):
    """A setting (flag, environment variable) has a value that cannot be used."""

    exit_code = 2


@dataclass(frozen=True)
class SourceProblem:
    """One problem in one input file, with its position when known (1-based line and column)."""

    path: Path
    message: str
    line: int | None = None
    column: int | None = None

    def location(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class SourceErrors(HdhError):
    """One or more input files could not be read; every problem found is listed, not only the first."""

    def __init__(self, problems: list[SourceProblem], hint: str | None = None) -> None:
        self.problems = problems
        lines = [f"{len(problems)} file problem(s):"] + [f"  {p}" for p in problems]
        super().__init__("\n".join(lines), hint)


class StoreError(HdhError):
    """The store is missing, locked or cannot be opened."""


class QueryError(HdhError):
    """A SPARQL query could not be parsed or run."""


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse; the message says the line and column."""
