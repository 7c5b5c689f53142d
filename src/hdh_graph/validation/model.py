"""What a validation produces: results located in the catalogue's files, and the report that groups them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How serious a result is. Only violations make a catalogue fail."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"

    @classmethod
    def from_iri(cls, iri: str | None) -> Severity:
        if iri and iri.endswith("#Warning"):
            return cls.WARNING
        if iri and iri.endswith("#Info"):
            return cls.INFO
        return cls.VIOLATION


SEVERITY_ORDER = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Result:
    """One finding, placed where a curator can fix it.

    ``file`` is relative to the catalogue folder (``/`` separators); ``line`` and ``column`` are 1-based and
    point at the first description of ``resource`` (or at the syntax error). ``rule`` names the shape (its
    IRI, or ``hdh:syntax`` / ``hdh:encoding`` for unreadable files); ``source`` says whose rule it is:
    ``hdh``, ``dcat-ap``, ``healthdcat-ap`` or ``file``.
    """

    file: str
    line: int | None
    column: int | None
    resource: str | None
    property: str | None
    value: str | None
    message_fr: str
    message_en: str
    severity: Severity
    rule: str
    component: str | None = None
    source: str = "hdh"
    hint_fr: str | None = None
    hint_en: str | None = None

    def sort_key(self) -> tuple[object, ...]:
        return (
            self.file,
            self.line or 0,
            SEVERITY_ORDER[self.severity],
            self.resource or "",
            self.property or "",
            self.rule,
            self.value or "",
            self.message_en,
            self.component or "",
            self.message_fr,
            self.source,
        )

    def identity(self) -> tuple[object, ...]:
        """What makes two results the same finding (used to compare engines and to remove duplicates)."""
        return (self.file, self.resource, self.property, self.value, self.rule, self.component, self.severity)


@dataclass
class ValidationReport:
    """All results of one validation run, sorted by file, line and severity."""

    results: list[Result] = field(default_factory=list)
    files_checked: list[str] = field(default_factory=list)
    engine: str = "sparql"
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.results = sorted(set(self.results), key=Result.sort_key)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity is Severity.VIOLATION]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity is Severity.WARNING]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def by_file(self) -> dict[str, list[Result]]:
        grouped: dict[str, list[Result]] = defaultdict(list)
        for result in self.results:
            grouped[result.file].append(result)
        return dict(grouped)
