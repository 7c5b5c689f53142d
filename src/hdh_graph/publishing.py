"""Publishing the catalogue: validate it, then build the store, and refuse a catalogue with violations.

``hdh build`` and the build that ``hdh serve`` starts go through :func:`validated_build`; a curator who must
publish anyway (to look at a work in progress) says so with ``allow_violations``. The validation results are
saved with the new snapshot (``validation.json``, see :func:`validation_record`) for the site to show to curators.
"""

from __future__ import annotations

from typing import Any

from hdh_graph.build import BuildReport, Progress, build_store
from hdh_graph.errors import HdhError
from hdh_graph.settings import Settings
from hdh_graph.store import VALIDATION_REPORT, VALIDATION_REPORT_VERSION
from hdh_graph.validation import Result, ValidationReport, render, validate_catalogue
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
    """Validate the catalogue, then build the store with the validation results saved in it; raise
    :class:`CatalogueNotValid` on violations unless ``allow_violations``. Broken files are reported by the build
    itself (file, line, column)."""
    say = progress or (lambda _message: None)
    say(f"Validating {settings.catalogue}")
    report = validate_catalogue(settings)
    say(f"Validation: {len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
    unreadable = any(r.rule in UNREADABLE_RULES for r in report.results)
    # Unreadable files are the build's to report: it lists every one with its line and column.
    if report.violations and not allow_violations and not unreadable:
        raise CatalogueNotValid(report, render(report, "text", settings.base_iri, show_warnings=False))
    attachments = {VALIDATION_REPORT: validation_record(report)}
    return build_store(settings, progress=progress, attachments=attachments), report


def validation_record(report: ValidationReport) -> dict[str, Any]:
    """The results as saved with a snapshot: small, stable, in the report's order (file, line, severity).

    ``resource`` is the focus node's IRI (a blank node is reported on the named resource that holds it, the
    way to it prefixed to ``property``; ``"[]"`` for a blank node nothing holds); ``property`` is the path as
    ``hdh validate`` shows it (``dct:license``, ``dcat:contactPoint / vcard:fn``, ``^dcat:inSeries``)."""
    return {
        "schema_version": VALIDATION_REPORT_VERSION,
        "engine": report.engine,
        "conforms": report.conforms,
        "summary": {
            "files": len(report.files_checked),
            "violations": len(report.violations),
            "warnings": len(report.warnings),
        },
        "results": [_result_record(r) for r in report.results],
    }


def _result_record(r: Result) -> dict[str, Any]:
    return {
        "severity": r.severity.value,
        "rule": r.rule,
        "component": r.component,
        "resource": r.resource,
        "property": r.property,
        "value": r.value,
        "message": {"fr": r.message_fr, "en": r.message_en},
        "hint": {"fr": r.hint_fr, "en": r.hint_en} if (r.hint_fr or r.hint_en) else None,
        "file": r.file,
        "line": r.line,
    }
