"""Publishing the catalogue: validate it, then build the store, and refuse a catalogue with violations.

``hdh build`` and the build that ``hdh serve`` starts go through :func:`validated_build`; a curator who must
publish anyway (to look at a work in progress) says so with ``allow_violations``.
"""

from __future__ import annotations

from hdh_graph.build import BuildReport, Progress, build_store
from hdh_graph.errors import HdhError
from hdh_graph.settings import Settings
from hdh_graph.validation import ValidationReport, render, validate_catalogue
from hdh_graph.vocab import HDH

UNREADABLE_RULES = frozenset({HDH.syntax, HDH.encoding})


class CatalogueNotValid(HdhError):
    """The catalogue has violations: the store was not rebuilt."""

    def __init__(self, report: ValidationReport, text: str) -> None:
        super().__init__(
            f"{text.rstrip()}\nThe store was not rebuilt: the catalogue has {len(report.violations)} violation(s).",
            hint="fix the violations above (see docs/validation.md), or build anyway with --allow-violations",
        )
        self.report = report


def validated_build(
    settings: Settings, progress: Progress | None = None, *, allow_violations: bool = False
) -> tuple[BuildReport, ValidationReport]:
    """Validate the catalogue, then build the store; raise :class:`CatalogueNotValid` on violations unless
    ``allow_violations``. Broken files are reported by the build itself (file, line, column)."""
    say = progress or (lambda _message: None)
    say(f"Validating {settings.catalogue}")
    report = validate_catalogue(settings)
    say(f"Validation: {len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
    unreadable = any(r.rule in UNREADABLE_RULES for r in report.results)
    # Unreadable files are the build's to report: it lists every one with its line and column.
    if report.violations and not allow_violations and not unreadable:
        raise CatalogueNotValid(report, render(report, "text", settings.base_iri, show_warnings=False))
    return build_store(settings, progress=progress), report
